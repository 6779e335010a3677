"""Rendering the planned pages into the sink, over all cores when there are many; template mistakes become SourceErrors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import jinja2

from sitegen.errors import BuildError, SourceError
from sitegen.output.cache import PreviousBuild
from sitegen.output.staging import Produced, Sink
from sitegen.parallel import Failed, frozen_heap, map_shared
from sitegen.progress import ProgressBar
from sitegen.render.context import context
from sitegen.render.environment import TEMPLATES_DIR
from sitegen.site.index import Site
from sitegen.site.plan import PageJob, SitePlan

# stop after this many template errors: one typo in base.html fails every page the same way
MAX_ERRORS = 20


@dataclass(frozen=True)
class RenderTask:
    """What every worker needs; inherited by forked workers, never pickled."""

    site: Site
    env: jinja2.Environment
    comments: Mapping[str, tuple]
    sink: Sink


def render_pages(plan: SitePlan, env: jinja2.Environment, comments: Mapping[str, tuple], sink: Sink,
                 previous: PreviousBuild, bar: ProgressBar) -> Produced:
    """Render every page whose fingerprint changed into the sink; the others are left as they are.

    Raises every template error (up to ``MAX_ERRORS``).
    """
    reused = previous.reusable(plan.fingerprints)
    todo = [job for job in plan.jobs if job.file not in reused]
    written = 0
    errors: dict[SourceError, None] = {}
    with frozen_heap():  # forked workers then share the site and plan with this process, untouched
        results = map_shared(_render_one, todo, RenderTask(plan.site, env, comments, sink), progress=bar.stage("render", len(todo)))
    for job, result in zip(todo, results):
        if isinstance(result, Failed):
            errors.update(dict.fromkeys(result.errors))
            if len(errors) >= MAX_ERRORS:
                break
        elif isinstance(result.value, bytes):
            written += sink.put(job.file, result.value)
        else:
            written += result.value
    if errors:
        raise BuildError(errors)
    return Produced(frozenset(plan.fingerprints), plan.fingerprints, reused, written)  # one fingerprint per page


def _render_one(task: RenderTask, job: PageJob) -> bool | bytes:
    """A worker writes the page into the staging tree itself; a dry run keeps pages in memory, so they come back."""
    html = render_page(task.env, task.site, job, task.comments).encode("utf-8")
    return task.sink.put(job.file, html) if task.sink.publishes else html


def render_page(env: jinja2.Environment, site: Site, job: PageJob, comments: Mapping[str, tuple]) -> str:
    """Render one planned page; a template mistake becomes a SourceError naming template and line."""
    try:
        return env.get_template(job.template).render(context(site, job, comments))
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError([SourceError(f"{TEMPLATES_DIR}/{exc.name or job.template}", exc.lineno, exc.message or "syntax error")]) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError([SourceError(f"{TEMPLATES_DIR}/{job.template}", 0, f"template not found: {exc.name}")]) from None
    except (jinja2.UndefinedError, TypeError, AttributeError, KeyError, ValueError) as exc:
        path, line = _template_frame(exc, job.template)
        raise BuildError([SourceError(path, line, f"{type(exc).__name__}: {exc} (rendering /{job.path})")]) from None


def _template_frame(exc: BaseException, default: str) -> tuple[str, int]:
    """The innermost template file and line in a traceback; Jinja maps template code to its source lines."""
    found = (f"{TEMPLATES_DIR}/{default}", 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if f"/{TEMPLATES_DIR}/" in filename.replace("\\", "/"):
            rel = filename.replace("\\", "/").rsplit(f"/{TEMPLATES_DIR}/", 1)[1]
            found = (f"{TEMPLATES_DIR}/{rel}", tb.tb_lineno)
        tb = tb.tb_next
    return found
