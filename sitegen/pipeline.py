"""The one sequencing function: load → validate → index → plan → render → write."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache, Recorded, cache_key, digest, load_cache, save_cache, stat_signature, tree_digest
from .comments import sanitize, store
from .config import Config, load_config
from .content import PAGES_DIR, POSTS_DIR, Page, Post, SourceFile, find_sources, load_source
from .errors import BuildError, SourceError
from .feeds import render_feed
from .index import Site, build_index
from .inputs import all_posts, feed_fingerprint, page_fingerprint, site_fingerprint
from .links import check_links
from .opendata import render_csv, render_json
from .output import REUSE, Content, WriteReport, check_output_dir, write_site
from .parallel import map_sources
from .plan import PageJob, feed_paths, plan_pages
from .registry import Registry, load_registry
from .render import TEMPLATES_DIR, environment, render_all
from .search import search_files
from .sitemap import render_robots, render_sitemap
from .urls import Urls

STATIC_DIR = "static"
COMMENT_TARGETS = "kommentarer.json"
RACY_NS = 2_000_000_000


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


@dataclass(frozen=True)
class Rendered:
    """The whole site in memory, before it is written."""

    site: Site
    jobs: list[PageJob]
    html: Mapping[str, str]  # output file -> HTML of the pages rendered this time
    files: Mapping[str, Content]  # output file -> bytes, source file or REUSE
    cache: BuildCache  # sources seen this time; outputs as recorded before
    fingerprints: Mapping[str, str]  # output file -> the inputs it was made from


def load_settings(opts: BuildOptions) -> tuple[Config, Registry]:
    config = load_config(opts.root)
    if opts.base_url:
        config = config.with_base_url(opts.base_url)
    return config, load_registry()


def load_content(
    root: Path, config: Config, registry: Registry, drafts: bool, cache: BuildCache
) -> tuple[list[Post], list[Page]]:
    """Every post and page, validated and rendered to HTML; all problems in all files at once.

    A source whose size and modification time match the cache is not read again; ``cache.sources``
    is replaced by what this build saw, so deleted and renamed files drop out.
    """
    urls = Urls.for_config(config)
    errors: list[SourceError] = []
    posts: list[Post] = []
    pages: list[Page] = []
    seen: dict[str, tuple] = {}
    sources = find_sources(root, POSTS_DIR, "post") + find_sources(root, PAGES_DIR, "page")
    records: dict[str, Post | Page] = {}
    todo: list[SourceFile] = []
    signatures = {}
    for source in sources:
        signatures[source.rel] = stat_signature([source.path, *(source.path.parent / a for a in source.assets)])
        record = cache.source(source.rel, signatures[source.rel])
        if record is None:
            todo.append(source)
        else:
            records[source.rel] = record
    for source, result in zip(todo, map_sources(load_source, todo, config, registry, urls)):
        if isinstance(result, tuple):
            errors.extend(result)
        else:
            records[source.rel] = result
    racy = time.time_ns() - RACY_NS
    for source in sources:
        if source.rel in records:
            # a file changed within the clock's resolution of now may change again with the same
            # size and mtime: record it so the next build reads it again (git's "racy clean" rule)
            fresh = any(mtime > racy for _, mtime, _ in signatures[source.rel])
            seen[source.rel] = (("racy",) if fresh else signatures[source.rel], records[source.rel])
            (posts if source.kind == "post" else pages).append(records[source.rel])
    if errors:
        raise BuildError(errors)
    cache.sources = seen
    if not drafts:
        posts = [p for p in posts if not p.meta.draft]
        pages = [p for p in pages if not p.meta.draft]
    return posts, pages


def load_comments(root: Path, config: Config, posts: list[Post]) -> dict[str, tuple[sanitize.RenderedComment, ...]]:
    """Approved comments per post key, sanitised; comments for a post that is gone are an error."""
    approved = store.approved(root / config.comments.dir)
    keys = {p.key for p in posts}
    errors = [
        SourceError(f"{config.comments.dir}/{key}", 0, f"approved comments for a post that does not exist: no posts/{key}.md")
        for key in sorted(approved)
        if key not in keys
    ]
    if errors:
        raise BuildError(errors)
    return {key: tuple(sanitize.render_comment(c) for c in items) for key, items in approved.items()}


def assemble(
    root: Path,
    site: Site,
    jobs: list[PageJob],
    html: Mapping[str, str],
    cache: BuildCache | None,
    out: Path | None,
    shared: str,
    fingerprints: dict[str, str],
) -> dict[str, Content]:
    """Every output file: pages, feeds, sitemap, open data, static files and post images.

    Machine-readable outputs are fingerprinted like pages (``fingerprints`` gains them), so an
    unchanged feed is neither rebuilt nor rewritten.
    """
    files: dict[str, Content] = {job.file: REUSE for job in jobs}
    files.update((name, text.encode("utf-8")) for name, text in html.items())

    def produce(file: str, fingerprint: str, make, *args) -> None:
        fingerprints[file] = fingerprint
        reuse = cache is not None and out is not None and cache.unchanged(out, file, fingerprint)
        files[file] = REUSE if reuse else make(site, *args)

    for path, ref in feed_paths(site):
        produce(path, feed_fingerprint(site, shared, path, ref), render_feed, path, ref)
    everything = digest(shared, all_posts(site), [j.path for j in jobs])
    produce("sitemap.xml", everything, render_sitemap, jobs)
    produce("robots.txt", shared, render_robots)
    produce("besok.json", everything, render_json)
    produce("besok.csv", everything, render_csv)
    produce(COMMENT_TARGETS, everything, render_comment_targets)
    add_search_index(site, jobs, html, files, fingerprints, cache, out, shared)
    static = root / STATIC_DIR
    if static.is_dir():
        for p in sorted(static.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                files[f"{STATIC_DIR}/{p.relative_to(static).as_posix()}"] = p
    for item in (*site.posts, *site.pages):
        folder = (root / item.source).parent
        for asset in item.assets:
            files[item.url + asset] = folder / asset
    return files


def render_comment_targets(site: Site) -> bytes:
    """The posts the comment receiver accepts comments for (SITEGEN_TARGETS)."""
    targets = {key: {"url": url, "open": is_open} for key, (url, is_open) in _targets(site).items()}
    return (json.dumps(targets, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def add_search_index(
    site: Site,
    jobs: list[PageJob],
    html: Mapping[str, str],
    files: dict[str, Content],
    fingerprints: dict[str, str],
    cache: BuildCache | None,
    out: Path | None,
    shared: str,
) -> None:
    """Pagefind's bundle over every post page; carried over whole when no post page changed."""
    post_files = [j.file for j in jobs if j.kind == "post"]
    fingerprint = digest(shared, [fingerprints[f] for f in post_files])
    previous = cache.extra.get("search") if cache is not None else None
    if previous and previous[0] == fingerprint and all(cache.unchanged(out, f, fingerprint) for f in previous[1]):
        bundle: Mapping[str, Content] = dict.fromkeys(previous[1], REUSE)
    else:
        # pages not rendered this time are read back from the previous output
        pages = {f: html[f] if f in html else (out / f).read_text("utf-8") for f in post_files}
        bundle = search_files(pages, site.urls.base_path)
    files.update(bundle)
    fingerprints.update(dict.fromkeys(bundle, fingerprint))
    if cache is not None:
        cache.extra["search"] = (fingerprint, sorted(bundle))


def render_site(opts: BuildOptions, timings: Timings, cache: BuildCache | None = None, out: Path | None = None) -> Rendered:
    """Everything up to, but not including, writing files.

    With a cache, pages whose recorded inputs are unchanged are not rendered again: they are
    marked REUSE and carried over from ``out``. Without one, everything is rendered.
    """
    config, registry = load_settings(opts)
    endpoint = opts.comment_endpoint or config.comments.endpoint
    templates = tree_digest(opts.root / TEMPLATES_DIR)
    sources_key = cache_key(config, registry.digest)
    if cache is None or cache.key != sources_key:
        cache = BuildCache(sources_key)
    timings.lap("config")
    posts, pages = load_content(opts.root, config, registry, opts.drafts, cache)
    comments = load_comments(opts.root, config, posts)
    timings.lap("read")
    site = build_index(config, registry, Urls.for_config(config), posts, pages)
    jobs = plan_pages(site)
    timings.lap("index")
    shared = site_fingerprint(cache_key(sources_key, templates, endpoint, opts.drafts, str(out)), site)
    fingerprints: dict[str, str] = {}
    todo: list[PageJob] = []
    for job in jobs:
        fingerprints[job.file] = page_fingerprint(site, job, comments, shared)
        if out is None or not cache.unchanged(out, job.file, fingerprints[job.file]):
            todo.append(job)
    env = environment(opts.root, site, endpoint)
    html = render_all(env, site, todo, comments)
    timings.lap("render")
    files = assemble(opts.root, site, jobs, html, cache if out is not None else None, out, shared, fingerprints)
    timings.lap("assemble")
    return Rendered(site, jobs, html, files, cache, fingerprints)


def output_dir(opts: BuildOptions, config: Config) -> Path:
    return opts.output if opts.output is not None else opts.root / config.output_dir


def build(opts: BuildOptions, use_cache: bool = True) -> BuildReport:
    """Build the site into its output folder; on any problem raise BuildError and leave the folder as it was."""
    timings = Timings()
    config, registry = load_settings(opts)
    out = output_dir(opts, config).resolve()
    check_output_dir(out)
    cache = load_cache(opts.root, cache_key(config, registry.digest), out) if use_cache else None
    result = render_site(opts, timings, cache, out)
    report = write_site(out, result.files)
    timings.lap("write")
    if use_cache:
        result.cache.outputs = record_outputs(out, result.fingerprints)
        save_cache(opts.root, result.cache, out)
        timings.lap("cache")
    return BuildReport(out, len(result.site.posts), len(result.html), len(result.files), report, timings.stages, _targets(result.site))


def _targets(site: Site) -> dict[str, tuple[str, bool]]:
    return {p.key: (site.urls.href(p.url), p.comments_open) for p in site.posts}


def record_outputs(out: Path, fingerprints: Mapping[str, str]) -> dict[str, Recorded]:
    recorded = {}
    for file, fingerprint in fingerprints.items():
        st = (out / file).stat()
        recorded[file] = Recorded(fingerprint, st.st_size, st.st_mtime_ns)
    return recorded


def check(opts: BuildOptions) -> BuildReport:
    """Validate content, config, templates and internal links without writing anything."""
    timings = Timings()
    result = render_site(opts, timings)
    owners = {}
    for job in result.jobs:
        if job.kind == "post":
            post = result.site.by_key[job.ref[0]]
            owners[job.file] = (post.source, post.links)
        elif job.kind == "page":
            page = next(p for p in result.site.pages if p.key == job.ref[0])
            owners[job.file] = (page.source, page.links)
    errors = check_links(result.html, set(result.files), result.site.config.base_url, owners)
    timings.lap("links")
    if errors:
        raise BuildError(errors)
    return BuildReport(Path(), len(result.site.posts), len(result.jobs), len(result.files), None, timings.stages, _targets(result.site))
