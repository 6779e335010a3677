"""The one sequencing function: load → validate → index → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .comments import sanitize, store
from .config import Config, load_config
from .content import POSTS_DIR, PAGES_DIR, Page, Post, find_sources, load_page, load_post
from .errors import BuildError, SourceError
from .feeds import render_feed
from .index import Site, build_index
from .links import check_links
from .opendata import render_csv, render_json
from .output import Content, WriteReport, check_output_dir, write_site
from .plan import PageJob, feed_paths, plan_pages
from .registry import Registry, load_registry
from .render import environment, render_all
from .sitemap import render_robots, render_sitemap
from .urls import Urls

STATIC_DIR = "static"


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
    pages: int  # HTML pages rendered
    files: int  # files in the output
    write: WriteReport | None
    timings: dict[str, float]


@dataclass(frozen=True)
class Rendered:
    """The whole site in memory, before it is written."""

    site: Site
    jobs: list[PageJob]
    html: Mapping[str, str]  # output file -> HTML
    files: Mapping[str, Content]  # output file -> bytes or source file


def load_settings(opts: BuildOptions) -> tuple[Config, Registry]:
    config = load_config(opts.root)
    if opts.base_url:
        config = config.with_base_url(opts.base_url)
    return config, load_registry()


def load_content(root: Path, config: Config, registry: Registry, drafts: bool) -> tuple[list[Post], list[Page]]:
    """Every post and page, validated and rendered to HTML; all problems in all files at once."""
    urls = Urls.for_config(config)
    errors: list[SourceError] = []
    posts: list[Post] = []
    pages: list[Page] = []
    for source in find_sources(root, POSTS_DIR, "post"):
        try:
            posts.append(load_post(source, config, registry, urls))
        except BuildError as exc:
            errors.extend(exc.errors)
    for source in find_sources(root, PAGES_DIR, "page"):
        try:
            pages.append(load_page(source, config))
        except BuildError as exc:
            errors.extend(exc.errors)
    if errors:
        raise BuildError(errors)
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


def assemble(root: Path, site: Site, jobs: list[PageJob], html: Mapping[str, str]) -> dict[str, Content]:
    """Every output file: pages, feeds, sitemap, open data, static files and post images."""
    files: dict[str, Content] = {name: text.encode("utf-8") for name, text in html.items()}
    for path, ref in feed_paths(site):
        files[path] = render_feed(site, path, ref)
    files["sitemap.xml"] = render_sitemap(site, jobs)
    files["robots.txt"] = render_robots(site)
    files["besok.json"] = render_json(site)
    files["besok.csv"] = render_csv(site)
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


def render_site(opts: BuildOptions, timings: Timings) -> Rendered:
    """Everything up to, but not including, writing files."""
    config, registry = load_settings(opts)
    timings.lap("config")
    posts, pages = load_content(opts.root, config, registry, opts.drafts)
    comments = load_comments(opts.root, config, posts)
    timings.lap("read")
    site = build_index(config, registry, Urls.for_config(config), posts, pages)
    jobs = plan_pages(site)
    timings.lap("index")
    env = environment(opts.root, site, opts.comment_endpoint or config.comments.endpoint)
    html = render_all(env, site, jobs, comments)
    timings.lap("render")
    files = assemble(opts.root, site, jobs, html)
    timings.lap("assemble")
    return Rendered(site, jobs, html, files)


def output_dir(opts: BuildOptions, config: Config) -> Path:
    return opts.output if opts.output is not None else opts.root / config.output_dir


def build(opts: BuildOptions) -> BuildReport:
    """Build the site into its output folder; on any problem raise BuildError and leave the folder as it was."""
    timings = Timings()
    config, _ = load_settings(opts)
    out = output_dir(opts, config)
    check_output_dir(out)
    result = render_site(opts, timings)
    report = write_site(out, result.files)
    timings.lap("write")
    return BuildReport(out, len(result.site.posts), len(result.jobs), len(result.files), report, timings.stages)


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
    return BuildReport(Path(), len(result.site.posts), len(result.jobs), len(result.files), None, timings.stages)
