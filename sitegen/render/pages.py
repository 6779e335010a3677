"""Rendering the planned pages into the sink, over all cores when there are many; template mistakes become SourceErrors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import jinja2

from sitegen.errors import BuildError, SourceError, TemplateProblem, clip, on_pages
from sitegen.messages import _
from sitegen.output.cache import PreviousBuild
from sitegen.output.staging import Produced, Sink
from sitegen.parallel import Failed, frozen_heap, map_shared
from sitegen.progress import ProgressBar
from sitegen.render.context import context
from sitegen.render.environment import TEMPLATES_DIR
from sitegen.site.index import Site
from sitegen.site.plan import PageJob, SitePlan


@dataclass(frozen=True)
class RenderTask:
    """What every worker needs; inherited by forked workers, never pickled."""

    site: Site
    env: jinja2.Environment
    comments: Mapping[str, tuple]
    sink: Sink


@dataclass(frozen=True)
class Rendered:
    """What a stage rendered, and what it left for later (``later``): site paths of pages, or output files."""

    produced: Produced
    left: tuple[str, ...] = ()


def render_pages(plan: SitePlan, env: jinja2.Environment, comments: Mapping[str, tuple], sink: Sink,
                 previous: PreviousBuild, bar: ProgressBar, later: bool = False) -> Rendered:
    """Render every page whose fingerprint changed into the sink; the others are left as they are.

    With ``later`` (serve, to show an edit at once), the second and later pages of every list are
    left as the last build wrote them, if it did: a new post shifts every one of them (1,700 pages
    at 10,000 posts), and a writer looks at the first. They keep their old records, so the build
    after renders them.

    Raises every template error once per template line, with the pages it broke: a typo in
    base.html fails every page the same way, and is one line, not thousands.
    """
    reused = previous.reusable(plan.fingerprints)
    todo = [job for job in plan.jobs if job.file not in reused]
    left = previous.on_disk(job.file for job in todo if job.number > 1) if later else frozenset()
    if left:
        todo = [job for job in todo if job.file not in left]
    written = 0
    broke: dict[SourceError, list[str]] = {}
    with frozen_heap():  # forked workers then share the site and plan with this process, untouched
        results = map_shared(_render_one, todo, RenderTask(plan.site, env, comments, sink), progress=bar.stage("render", len(todo)))
    for job, result in zip(todo, results):
        if isinstance(result, Failed):
            for error in result.errors:
                broke.setdefault(error, []).append(job.file)
        elif isinstance(result.value, bytes):
            written += sink.put(job.file, result.value)
        else:
            written += result.value
    if broke:
        raise BuildError(SourceError(e.path, e.line, on_pages(e.message, files)) for e, files in broke.items())
    produced = Produced(frozenset(plan.fingerprints), plan.fingerprints, reused | left, written)  # one fingerprint per page
    return Rendered(produced, tuple(sorted(job.path for job in plan.jobs if job.file in left)))


def _render_one(task: RenderTask, job: PageJob) -> bool | bytes:
    """A worker writes the page into the staging tree itself; a dry run keeps pages in memory, so they come back."""
    html = render_page(task.env, task.site, job, task.comments).encode("utf-8")
    return task.sink.put(job.file, html) if task.sink.publishes else html


def render_page(env: jinja2.Environment, site: Site, job: PageJob, comments: Mapping[str, tuple]) -> str:
    """Render one planned page; a template mistake becomes a SourceError naming template and line."""
    try:
        return env.get_template(job.template).render(context(site, job, comments))
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError([SourceError(f"{TEMPLATES_DIR}/{exc.name or job.template}", exc.lineno,
                                      _("the template is not valid Jinja: {error}; look for an unclosed {{% … %}} or {{{{ … }}}}",
                                        error=(exc.message or "syntax error").rstrip(".")))]) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError([SourceError(f"{TEMPLATES_DIR}/{job.template}", 0,
                                      _("the template {name} is missing: put it in {folder}/, or copy it from sitegen's own",
                                        name=exc.name, folder=TEMPLATES_DIR))]) from None
    except TemplateProblem as exc:
        path, line = _template_frame(exc, job.template)
        raise BuildError([SourceError(path, line, str(exc))]) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, job.template)
        raise BuildError([SourceError(path, line, _("the template uses a name this page does not have ({error}); check its spelling",
                                                    error=exc))]) from None
    except BuildError:
        raise
    except Exception as exc:  # whatever a template's expression raised (1 / 0, 'x' + 1, a deep recursion)
        if _template_frame(exc, None) is None:
            raise  # not in a template: a bug of ours, reported as one
        path, line = _template_frame(exc, job.template)
        raise BuildError([SourceError(path, line, _("the template failed: {kind}: {error}", kind=type(exc).__name__,
                                                    error=clip(exc, 200)))]) from None


def _template_frame(exc: BaseException, default: str | None) -> tuple[str, int] | None:
    """The innermost template file and line in a traceback (Jinja maps template code to its source lines); else ``default``."""
    found = (f"{TEMPLATES_DIR}/{default}", 0) if default is not None else None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if f"/{TEMPLATES_DIR}/" in filename.replace("\\", "/"):
            rel = filename.replace("\\", "/").rsplit(f"/{TEMPLATES_DIR}/", 1)[1]
            found = (f"{TEMPLATES_DIR}/{rel}", tb.tb_lineno)
        tb = tb.tb_next
    return found
