"""The one sequencing function: config → content → comments → site → images → render (search beside it) → output.

``build`` reads top to bottom as the list of stages. Each stage is a function of one package that
takes typed data and returns typed data; the stages that make files put them into the sink
(output/) and return a ``Produced`` record of what they put. Every problem is a BuildError raised
before anything is published. ``check`` runs the same stages into a sink that writes nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sitegen import fingerprints
from sitegen.comments.published import published_comments
from sitegen.config.settings import Config, load_config
from sitegen.config.urls import Urls
from sitegen.content.read import read_content
from sitegen.content.registry import Registry, load_registry
from sitegen.errors import BuildError, SourceError
from sitegen.images.stage import make_images
from sitegen.output.cache import CACHE_DIR, Memory, next_state, previous_build, publish, save
from sitegen.output.links import check_links
from sitegen.output.staging import WriteReport, check_output_dir, open_sink
from sitegen.output.static import copy_static
from sitegen.progress import ProgressBar
from sitegen.render.environment import TEMPLATES_DIR, environment
from sitegen.render.machine import comment_targets, machine_outputs
from sitegen.render.pages import render_pages
from sitegen.search.bundle import search_index
from sitegen.site.plan import plan_site


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    root: Path
    output: Path | None = None  # default: config.yaml's output_dir under root
    base_url: str | None = None  # overrides config.yaml's base_url
    drafts: bool = False
    future: bool = False  # include posts dated after ``now`` ("Schemalagd"), as serve does
    comment_endpoint: str | None = None  # overrides config.yaml's comments.endpoint, used as it is (serve)
    now: datetime | None = None  # the time posts are published by; default: the clock
    later: bool = False  # serve: the search index and the later pages of each list stay as the last build left them; a build after brings them up to date


@dataclass(frozen=True)
class Settings:
    """config.yaml with the command line's overrides, and the municipality registry."""

    config: Config
    registry: Registry
    endpoint: str  # where comment forms post to
    key: str  # fingerprints.cache_key of both: what every cached record was made with


@dataclass
class Timings:
    """Seconds spent per stage, in order."""

    stages: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = now - self._last
        self._last = now


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command line and the benchmark."""

    output: Path
    posts: int
    pages: int  # HTML pages rendered this time (the others were unchanged)
    files: int  # files in the output
    write: WriteReport
    timings: dict[str, float]
    comment_targets: Mapping[str, tuple[str, bool]]  # post key -> (URL path, comments open), for the receiver
    read: int = 0  # posts and pages read this time; the others came from the cache
    index_reused: bool = False  # only post bodies changed: the previous index and plan were reused
    hidden: tuple[int, int] = (0, 0)  # posts left out: (drafts, scheduled for a later date)
    warnings: tuple[SourceError, ...] = ()  # what will not work on the pages, though the build went on (raw HTML the CSP blocks)
    search_pending: bool = False  # the search index was left as it was (``later``): a build after brings it up to date
    pages_pending: tuple[str, ...] = ()  # site paths of the pages left as they were (``later``)
    outputs_pending: tuple[str, ...] = ()  # the feeds and other machine outputs left as they were (``later``)

    @property
    def pending(self) -> bool:
        """Something was left as it was (``later``): a build after brings it up to date."""
        return bool(self.search_pending or self.pages_pending or self.outputs_pending)


def build(opts: BuildOptions, use_cache: bool = True, bar: ProgressBar | None = None, dry_run: bool = False,
          memory: Memory | None = None) -> BuildReport:
    """Build the site into its output folder; on any problem raise BuildError and leave the folder as it was.

    Every link a writer wrote must lead somewhere. With ``dry_run`` (``check``) nothing is written
    or cached: the pages go to a sink that keeps them, every link the templates made is checked
    too, no search index is made, and problems in some sources do not stop the others being checked.
    With ``memory`` (serve), the build starts from the state the last one left there and leaves
    its own; a ``later`` build leaves the writing of it to disk to ``Memory.save``.
    """
    timings, bar = Timings(), bar or ProgressBar(sys.stderr, enabled=False)
    settings = load_settings(opts)
    out = output_folder(opts, settings.config, dry_run)
    with previous_build(opts.root, settings.key, out, use_cache and not dry_run, memory) as previous:
        timings.lap("config")
        content = read_content(opts.root, settings.config, settings.registry, previous.state.sources, bar)
        if content.problems and not dry_run:  # check goes on with the valid sources, to find the rest of the problems
            raise BuildError(content.problems)
        with sources_first(content.problems):  # check: the sources' problems, then what the later stages find
            comments = published_comments(opts.root, settings.config, content.posts, content.failed)  # drafts too: theirs wait
            timings.lap("read")
            inputs = fingerprints.build_inputs(settings.key, opts.root / TEMPLATES_DIR, content.static.assets, settings.endpoint, opts.drafts, out)
            now = opts.now or datetime.now(UTC)
            shown = content.published(opts.drafts, opts.future, now)
            scheduled = frozenset(p.key for p in shown[0] if p.meta.date > now)
            plan = plan_site(settings.config, settings.registry, inputs, shown, comments, previous.state.plan, scheduled)
            env = environment(opts.root, plan.site, settings.endpoint, content.static.assets, None if dry_run else opts.root / CACHE_DIR)
            timings.lap("index")  # the index, the plan and the template environment
            with open_sink(out, dry_run, previous.state.spare) as sink:
                images = make_images(opts.root, plan.site, content.static, settings.config.images, previous, sink, bar)
                timings.lap("images")
                later = opts.later and not dry_run  # serve: what a writer does not look at first waits for the build after
                rendered = render_pages(plan, env, comments, sink, previous, bar, later)
                pages = rendered.produced
                timings.lap("render")
                search_later = later and bool(previous.state.search.shards)  # a first build has no index to keep
                with search_index(plan, sink, previous, search_later) as indexing:  # Pagefind runs beside the next stage
                    machine = machine_outputs(plan, content.static, settings.endpoint, previous, sink, bar, later)
                    outputs = machine.produced
                    timings.lap("outputs")
                search = indexing.result()
                timings.lap("search")
                made = images.produced + pages + outputs + search.produced
                produced = made + copy_static(opts.root, plan.site, content.static, made, plan.made_from, sink, bar)
                broken = check_links(plan.site, produced.files, sink, unsure=bool(content.problems))
                if broken:
                    raise BuildError(broken)
                gone = publish(sink, produced, previous)
        timings.lap("write")
        if use_cache and not dry_run:
            state = next_state(previous, content, plan, produced, search.record, images.seen, out, gone)
            if memory is None:
                save(previous.folder, previous.stored, state)
            else:
                memory.keep(previous.folder, state, previous.stored)
                if not opts.later:
                    memory.save()
            timings.lap("cache")
    reused = previous.state.plan is not None and previous.state.plan.structure == plan.structure
    write = WriteReport(produced.written, len(produced.files) - produced.written, len(gone))
    return BuildReport(out, len(plan.site.posts), len(pages.files - pages.reused), len(produced.files), write,
                       timings.stages, comment_targets(plan.site), content.read, reused, content.hidden(opts.drafts, opts.future, now),
                       content.warnings, search_later, rendered.left, machine.left)


@contextmanager
def sources_first(problems: Sequence[SourceError]) -> Iterator[None]:
    """Raise ``problems`` (only ``check`` gets this far with any) before, or with, any problem the block finds."""
    try:
        yield
    except BuildError as exc:
        raise BuildError([*problems, *exc.errors]) from None
    if problems:
        raise BuildError(problems)


def post_lines(opts: BuildOptions, drafts: bool, scheduled: bool) -> list[str]:
    """``list``: one tab-separated line per post, newest first: date, status, place, file, URL."""
    from sitegen.messages import _

    settings = load_settings(opts)
    content = read_content(opts.root, settings.config, settings.registry, {}, ProgressBar(sys.stderr, enabled=False))
    if content.problems:
        raise BuildError(content.problems)
    now = opts.now or datetime.now(UTC)
    urls = Urls.for_config(settings.config)
    lines = []
    for post in sorted(content.published(drafts, scheduled, now)[0], key=lambda p: (p.meta.date, p.key), reverse=True):
        status = _("draft") if post.meta.draft else _("scheduled") if post.meta.date > now else _("published")
        place = ", ".join(m.name for m in post.meta.municipalities) or ", ".join(c.official_name for c in post.meta.counties)
        lines.append("\t".join((f"{post.meta.date:%Y-%m-%d}", status, place, post.source, urls.absolute(post.url))))
    return lines


def check(opts: BuildOptions) -> BuildReport:
    """Validate config, content, templates and every internal link without writing anything: a dry-run build."""
    return build(opts, use_cache=False, dry_run=True)


def load_settings(opts: BuildOptions) -> Settings:
    """config.yaml, with ``--base-url`` and the comment endpoint of ``serve`` applied, and the registry."""
    config = load_config(opts.root)
    if opts.base_url:
        config = config.with_base_url(opts.base_url)
    registry = load_registry()
    endpoint = opts.comment_endpoint or config.comment_endpoint
    return Settings(config, registry, endpoint, fingerprints.cache_key(config, registry.digest))


def output_folder(opts: BuildOptions, config: Config, dry_run: bool = False) -> Path:
    """Where the site goes; a folder sitegen did not make is refused before any work (a dry run writes nowhere)."""
    out = (opts.output if opts.output is not None else opts.root / config.output_dir).resolve()
    if not dry_run:
        check_output_dir(out)
    return out
