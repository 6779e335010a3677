"""Rendering the planned pages straight into the staging tree, over all cores when there are many."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import jinja2

from .errors import BuildError, SourceError
from .index import Site
from .output import Staging
from .parallel import Progress, map_shared
from .plan import PageJob
from .render import render_page

# stop after this many template errors: one typo in base.html fails every page the same way
MAX_ERRORS = 20


@dataclass(frozen=True)
class RenderTask:
    """What every worker needs; inherited by forked workers, never pickled."""

    site: Site
    env: jinja2.Environment
    comments: Mapping[str, tuple]
    staging: Staging


def _render_one(task: RenderTask, job: PageJob) -> bool:
    html = render_page(task.env, task.site, job, task.comments)
    return task.staging.put(job.file, html.encode("utf-8"))


def render_pages(task: RenderTask, jobs: list[PageJob], progress: Progress | None = None) -> int:
    """Render and place every job; returns how many files got new bytes; raises every template error."""
    written = 0
    errors: dict[SourceError, None] = {}
    for result in map_shared(_render_one, jobs, task, progress=progress):
        if isinstance(result, tuple):
            errors.update(dict.fromkeys(result))
            if len(errors) >= MAX_ERRORS:
                break
        else:
            written += result
    if errors:
        raise BuildError(errors)
    return written
