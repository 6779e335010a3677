"""The one sequencing function: load → validate → index → plan → render → write."""

from __future__ import annotations

import functools
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .assemble import comment_targets, copied_files, machine_outputs, search_bundle
from .cache import CACHE_DIR, BuildCache, Recorded, cache_key, digest, tree_digest
from .cachefiles import forget_cache, load_cache, save_cache, touched_outputs
from .config import Config, load_config
from .errors import BuildError
from .index import Site, build_index
from .inputs import all_posts, page_fingerprint, site_fingerprint
from .links import check_links
from .output import REUSE, Content, Staging, WriteReport, check_output_dir
from .parallel import beside
from .plan import PageJob, plan_pages
from .progress import ProgressBar
from .registry import Registry, load_registry
from .render import TEMPLATES_DIR, environment, render_all
from .renderpool import RenderTask, render_pages
from .search import search_key
from .sources import load_comments, load_content, published
from .urls import Urls


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    root: Path
    output: Path | None = None  # default: config.yaml's output_dir under root
    base_url: str | None = None  # overrides config.yaml's base_url
    drafts: bool = False
    comment_endpoint: str | None = None  # overrides config.yaml's comments.endpoint (serve)


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
    write: WriteReport | None
    timings: dict[str, float]
    comment_targets: Mapping[str, tuple[str, bool]]  # post key -> (URL path, comments open), for the receiver
    read: int = 0  # posts and pages read this time; the others came from the cache
    index_reused: bool = False  # only post bodies changed: the previous index and plan were reused


@dataclass(frozen=True)
class Planned:
    """The index and plan of one build, kept in the cache: reused whole when only post bodies changed."""

    structure: str  # fingerprint of settings, every post's metadata, the pages and the comments
    site: Site
    jobs: list[PageJob]
    shared: str  # fingerprint of the inputs every page shares
    listing: str  # fingerprint of every post's metadata: what the sections, sitemap and open data list
    fingerprints: Mapping[str, str]  # HTML output file -> fingerprint


@dataclass(frozen=True)
class Prepared:
    """Everything known before any page is rendered: the site, its pages and what each is made from."""

    site: Site
    jobs: list[PageJob]
    comments: Mapping[str, tuple]
    env: jinja2.Environment
    shared: str  # fingerprint of the inputs every page shares
    fingerprints: dict[str, str]  # output file -> fingerprint; machine outputs are added later
    cache: BuildCache  # sources seen this time; outputs as recorded by the previous build
    read: int  # sources read and rendered this time (the others came from the cache)
    planned: Planned  # for the next build's cache
    index_reused: bool


def load_settings(opts: BuildOptions) -> tuple[Config, Registry]:
    config = load_config(opts.root)
    if opts.base_url:
        config = config.with_base_url(opts.base_url)
    return config, load_registry()


def prepare(
    opts: BuildOptions,
    settings: tuple[Config, Registry],
    timings: Timings,
    cache: BuildCache | None,
    out: Path | None,
    bar: ProgressBar | None = None,
) -> Prepared:
    """Content, comments, index and the plan of pages: every content problem is raised here."""
    config, registry = settings
    endpoint = opts.comment_endpoint or config.comments.endpoint
    sources_key = cache_key(config, registry.digest)
    if cache is None or cache.key != sources_key:
        cache = BuildCache(sources_key)
    timings.lap("config")
    posts, pages, read = load_content(opts.root, config, registry, cache, bar)
    comments = load_comments(opts.root, config, posts)  # drafts too: their comments wait for them
    posts, pages = published(posts, opts.drafts), published(pages, opts.drafts)
    timings.lap("read")
    inputs_key = cache_key(sources_key, tree_digest(opts.root / TEMPLATES_DIR), endpoint, opts.drafts, str(out))
    structure = digest(inputs_key, [(p.key, p.meta_digest) for p in posts], [(p.key, p.digest) for p in pages], sorted(comments.items()))
    known = cache.planned if isinstance(cache.planned, Planned) and cache.planned.structure == structure else None
    planned = reuse_plan(known, posts, comments) if known else plan(config, registry, inputs_key, structure, posts, pages, comments)
    env = environment(opts.root, planned.site, endpoint, opts.root / CACHE_DIR if out is not None else None)
    timings.lap("index")
    return Prepared(planned.site, planned.jobs, comments, env, planned.shared, dict(planned.fingerprints), cache, read, planned, known is not None)


def plan(config: Config, registry: Registry, inputs_key: str, structure: str, posts, pages, comments) -> Planned:
    """Index every post, plan every page and fingerprint each one."""
    site = build_index(config, registry, Urls.for_config(config), posts, pages)
    jobs = plan_pages(site)
    shared = site_fingerprint(inputs_key, site)
    listing = all_posts(site)
    fingerprints = {job.file: page_fingerprint(site, job, comments, shared, listing) for job in jobs}
    return Planned(structure, site, jobs, shared, listing, fingerprints)


def reuse_plan(known: Planned, posts, comments) -> Planned:
    """The previous build's index and plan with today's posts: only the bodies changed, so only post pages are fingerprinted again."""
    site = known.site.with_posts({p.key: p for p in posts})
    changed = {p.key for p in posts if p.digest != known.site.by_key[p.key].digest}
    fingerprints = dict(known.fingerprints)
    for job in known.jobs:
        if job.kind == "post" and job.ref[0] in changed:
            fingerprints[job.file] = page_fingerprint(site, job, comments, known.shared, known.listing)
    return replace(known, site=site, fingerprints=fingerprints)


def output_dir(opts: BuildOptions, config: Config) -> Path:
    return opts.output if opts.output is not None else opts.root / config.output_dir


def build(opts: BuildOptions, use_cache: bool = True, bar: ProgressBar | None = None) -> BuildReport:
    """Build the site into its output folder; on any problem raise BuildError and leave the folder as it was."""
    try:
        return _build(opts, use_cache, bar)
    finally:
        gc.unfreeze()  # the objects frozen for the build (see load_cache) may be collected again


def _build(opts: BuildOptions, use_cache: bool, bar: ProgressBar | None) -> BuildReport:
    timings = Timings()
    bar = bar or ProgressBar(sys.stderr, enabled=False)
    config, registry = load_settings(opts)
    out = output_dir(opts, config).resolve()
    check_output_dir(out)
    key = cache_key(config, registry.digest)
    # The size and mtime of every recorded output is checked by a helper process while this one
    # loads the cache and reads the sources. It is forked now, while this process is small: forked
    # later, it would make this one copy every page of the loaded cache that it then writes to.
    checked = beside(functools.partial(touched_outputs, opts.root, key, out)) if use_cache else lambda: None
    cache = load_cache(opts.root, key, out) if use_cache else None

    @functools.cache
    def touched() -> AbstractSet[str]:
        found = checked()
        if cache is None or not cache.outputs:
            return frozenset()
        if found is not None and found[0] == cache.state:
            return found[1]
        return cache.touched(out)  # the helper read another state file (a build in between): check here

    try:
        return _build_from(opts, use_cache, bar, timings, (config, registry), out, cache, touched)
    finally:
        checked()  # the helper has finished and been waited for, whatever happened


def _build_from(
    opts: BuildOptions,
    use_cache: bool,
    bar: ProgressBar,
    timings: Timings,
    settings: tuple[Config, Registry],
    out: Path,
    cache: BuildCache | None,
    touched: Callable[[], AbstractSet[str]],
) -> BuildReport:
    p = prepare(opts, settings, timings, cache, out, bar)
    gc.freeze()  # the site and its plan live until the end of the build
    previous = p.cache if use_cache else BuildCache(p.cache.key)  # without a cache nothing is reused
    kept: set[str] = set()  # outputs found unchanged on disk: their records carry over

    def reusable(file: str, fingerprint: str) -> bool:
        if previous.unchanged(file, fingerprint, touched()):
            kept.add(file)
            return True
        return False

    staging = Staging.open(out)
    try:
        todo = [job for job in p.jobs if not reusable(job.file, p.fingerprints[job.file])]  # the rest stays as it is
        written = render_pages(RenderTask(p.site, p.env, p.comments, staging), todo, bar.stage("render", len(todo)))
        timings.lap("render")
        touched()  # asked here, before the search thread below can be the first to ask
        # the generator's version and the shard layout code are in cache_key; the templates are not
        shards_key = cache_key(search_key(p.site.urls.base_path))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search") as searcher:
            # Pagefind, the longest stage, indexes the post pages while this thread makes the feeds,
            # sitemap and open data; "search" is then the time left waiting for it
            failed = threading.Event()  # this thread's work failed: the search stops before its next shard
            search = (p.site, staging, shards_key, reusable, previous.extra.get("search"), p.fingerprints, failed.is_set)
            searching = searcher.submit(search_bundle, *search)
            try:
                # each group goes to the staging tree as soon as it is made and is then let go: only names are kept
                outputs = machine_outputs(p.site, p.jobs, p.shared, p.planned.listing, reusable, p.fingerprints)
                written += _put_all(staging, outputs, bar)
            except BaseException:
                failed.set()
                raise
            names = {j.file for j in p.jobs} | set(outputs)
            del outputs
            timings.lap("outputs")
            bundle, search_record = searching.result()
        written += sum(1 for content in bundle.values() if content is not REUSE)
        names |= set(bundle)
        timings.lap("search")
        copies = copied_files(opts.root, p.site)
        written += _put_all(staging, copies, bar)
        names |= set(copies)
        if use_cache:
            forget_cache(opts.root, out)  # an interrupted commit must mean a full build next time
        removed = staging.commit(names, previous.files or None)
    except BaseException:
        staging.abort()
        raise
    timings.lap("write")
    if use_cache:
        p.cache.outputs = record_outputs(out, p.fingerprints, {f: previous.outputs[f] for f in kept})
        p.cache.files = sorted(names)
        p.cache.planned = p.planned
        p.cache.extra["search"] = search_record
        save_cache(opts.root, p.cache, out)
        timings.lap("cache")
    report = WriteReport(written, len(names) - written, removed)
    return BuildReport(out, len(p.site.posts), len(todo), len(names), report, timings.stages, comment_targets(p.site), p.read, p.index_reused)


def _put_all(staging: Staging, files: Mapping[str, Content], bar: ProgressBar) -> int:
    """Stage every file; returns how many had new bytes."""
    bar.stage("write", len(files))
    written = 0
    for rel in sorted(files):
        written += staging.put(rel, files[rel])
        bar(1)
    bar.finish()
    return written


def record_outputs(out: Path, fingerprints: Mapping[str, str], kept: Mapping[str, Recorded]) -> dict[str, Recorded]:
    """What each output was made from and how it sits on disk; ``kept`` were checked unchanged this build."""
    recorded = {}
    folder = str(out)
    for file, fingerprint in fingerprints.items():
        if file in kept:
            recorded[file] = kept[file]
        else:
            st = os.stat(os.path.join(folder, file))
            recorded[file] = Recorded(fingerprint, st.st_size, st.st_mtime_ns)
    return recorded


def check(opts: BuildOptions) -> BuildReport:
    """Validate content, config, templates and internal links without writing anything."""
    timings = Timings()
    p = prepare(opts, load_settings(opts), timings, None, None)
    html = render_all(p.env, p.site, p.jobs, p.comments)
    timings.lap("render")
    owners = {}
    for job in p.jobs:
        if job.kind == "post":
            post = p.site.by_key[job.ref[0]]
            owners[job.file] = (post.source, post.links)
        elif job.kind == "page":
            page = next(x for x in p.site.pages if x.key == job.ref[0])
            owners[job.file] = (page.source, page.links)
    # only the names of the feeds, sitemap and open data matter here: "reusable" keeps them from being rendered
    files = set(html) | set(machine_outputs(p.site, p.jobs, p.shared, p.planned.listing, lambda f, fp: True, {}))
    files |= set(copied_files(opts.root, p.site))
    errors = check_links(html, files, p.site.config.base_url, owners)
    timings.lap("links")
    if errors:
        raise BuildError(errors)
    return BuildReport(Path(), len(p.site.posts), len(p.jobs), len(files), None, timings.stages, comment_targets(p.site))
