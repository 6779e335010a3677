"""The Jinja environment (StrictUndefined, Swedish dates) and rendering of planned pages."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from babel.dates import format_date, format_time

from .cache import cache_key
from .collate import sort_key
from .content import Post
from .errors import BuildError, SourceError
from .index import Site, Term
from .plan import PageJob
from .search import shard_sizes
from .urls import Urls

TEMPLATES_DIR = "templates"
NAV = (
    ("Besök", ""),
    ("Kommuner", "municipality"),
    ("Län", "county"),
    ("Teman", "plan_area"),
    ("Taggar", "tag"),
    ("Arkiv", "year"),
    ("Sök", "search"),
    ("Om", "page:om-bloggen"),
)
PAGER_RADIUS = 2  # pages linked on each side of the current one
SECTION_TITLES = {
    "municipality": "Kommuner",
    "county": "Län",
    "plan_area": "Teman",
    "tag": "Taggar",
    "year": "Arkiv",
}


def sv_date(value: datetime) -> str:
    """'14 mars 2017'."""
    return _sv_day(value.date())  # format_date reads only the date of a datetime


@functools.cache
def _sv_day(day: date) -> str:
    # every post's date is shown on a dozen list pages: about 250,000 calls of 7 µs at 10,000
    # posts; a site spans a few thousand days at most, so the cache stays small
    return format_date(day, "d MMMM y", locale="sv")


def sv_time(value: datetime) -> str:
    return format_time(value, "HH:mm", locale="sv")


@dataclass(frozen=True)
class Pagination:
    """Where a page sits in a paginated list, with links to its neighbours."""

    number: int
    pages: int
    first: str  # site path of page 1
    urls: Urls

    def url(self, number: int) -> str:
        return self.urls.page(self.first, number)

    @property
    def prev(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last and those near this one; None marks a gap.

        Listing every page would make each page grow with the site, and all of them together
        grow with its square.
        """
        near = range(max(1, self.number - PAGER_RADIUS), min(self.pages, self.number + PAGER_RADIUS) + 1)
        shown = sorted({1, self.pages, *near})
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] == 2:
                out.append(n - 1)  # a gap of one page: show the page, not "…"
            elif out and n - out[-1] > 2:
                out.append(None)
            out.append(n)
        return out


def content_security_policy(site: Site, endpoint: str) -> str:
    parts = urlsplit(endpoint)
    form = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "'self'"
    return (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        f"form-action {form}; base-uri 'self'"
    )


def environment(root: Path, site: Site, endpoint: str, cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; compiled templates are kept between builds under ``cache_dir``, if given."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
    )
    urls = site.urls
    env.filters.update(sv_date=sv_date, sv_time=sv_time, url=urls.href, absolute=urls.absolute)
    env.globals.update(
        config=site.config,
        nav=_nav(site),
        csp=content_security_policy(site, endpoint),
        comment_endpoint=endpoint,
        section_titles=SECTION_TITLES,
        search_path=urls.search(),
    )
    folder = _bytecode_folder(cache_dir, env) if cache_dir is not None else None
    if folder is not None:  # compiling the templates is a tenth of a small rebuild
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def compiled_key(env: jinja2.Environment) -> str:
    """What a compiled template is made from besides its source, which Jinja checks itself.

    Jinja runs a filter or test whose arguments are constants while compiling and keeps the
    result in the code: ``{{ 'feed.xml'|url }}`` compiles to '/aterbesok/feed.xml'. So the key
    names every filter and test with the object it is bound to (the URL scheme and base URL).
    """
    bound = [(kind, name, getattr(f, "__qualname__", repr(f)), repr(getattr(f, "__self__", None)))
             for kind, table in (("filter", env.filters), ("test", env.tests)) for name, f in sorted(table.items())]
    return cache_key(jinja2.__version__, bound)


KEPT_TEMPLATE_CACHES = 8  # folders of compiled templates: one per base URL and scheme recently built


def _bytecode_folder(cache_dir: Path, env: jinja2.Environment) -> Path | None:
    folder = cache_dir / f"templates-{compiled_key(env)[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # its time says when it was last used
        others = sorted(cache_dir.glob("templates-*"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
        for old in others[KEPT_TEMPLATE_CACHES:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:  # a read-only project: compile every time
        return None
    return folder


def _nav(site: Site) -> tuple[tuple[str, str], ...]:
    items = []
    for label, target in NAV:
        if target == "":
            items.append((label, ""))
        elif target == "search":
            items.append((label, site.urls.search()))
        elif target.startswith("page:"):
            page = next((p for p in site.pages if p.key == target[5:]), None)
            if page is not None:
                items.append((label, page.url))
        else:
            items.append((label, site.urls.section(target)))
    return tuple(items)


def context(site: Site, job: PageJob, comments: Mapping[str, tuple]) -> dict[str, Any]:
    """The variables one page's template sees."""
    ctx: dict[str, Any] = {"path": job.path, "site": site, "job": job, "canonical": site.urls.absolute(job.path)}
    if job.kind == "home":
        ctx.update(_slice(site, site.post_keys, job, "", comments))
        ctx["title"] = site.config.title
    elif job.kind == "post":
        post = site.by_key[job.ref[0]]
        ctx.update(
            post=post,
            title=post.meta.title,
            older=_post_or_none(site, site.older[post.key]),
            newer=_post_or_none(site, site.newer[post.key]),
            related=[site.by_key[k] for k in site.related[post.key]],
            comments=comments.get(post.key, ()),
            post_url=site.urls.href(post.url),
            terms=_post_terms(site, post),
        )
    elif job.kind == "page":
        page = next(p for p in site.pages if p.key == job.ref[0])
        ctx.update(page=page, title=page.meta.title)
    elif job.kind == "section":
        kind = job.ref[0]
        ctx.update(kind=kind, title=SECTION_TITLES[kind], terms=site.taxonomies[kind])
        if kind in ("municipality", "county"):  # the coverage overviews of all 290 municipalities
            ctx["coverage"] = _coverage(site)
    elif job.kind == "term":
        term = site.term(*job.ref)
        ctx.update(_slice(site, term.post_keys, job, term.url, comments))
        ctx.update(term=term, kind=term.kind, title=term.name)
        ctx["feed"] = site.urls.feed(term.url) if term.kind in ("municipality", "county", "plan_area") else None
    elif job.kind == "search":
        ctx.update(title="Sök", merged_shards=max(0, len(shard_sizes(len(site.posts))) - 1))
    elif job.kind == "not_found":
        ctx.update(title="Sidan finns inte", canonical="")
    return ctx


@dataclass(frozen=True)
class CountyCoverage:
    """A county with each of its municipalities and their visits, for /kommun/ and /lan/."""

    county: Any  # registry.County
    term: Term | None  # the county's term page, if any post is about it
    municipalities: tuple[tuple[Any, Term | None, tuple[str, ...]], ...]  # (municipality, term, years)

    @property
    def visited(self) -> int:
        return sum(1 for _, term, _ in self.municipalities if term is not None)


def _coverage(site: Site) -> tuple[CountyCoverage, ...]:
    out = []
    for county in sorted(site.registry.counties, key=lambda c: sort_key(c.name)):
        rows = []
        for m in sorted(site.registry.municipalities_in(county), key=lambda m: sort_key(m.name)):
            term = site.terms.get(("municipality", m.code))
            years = sorted({f"{site.by_key[k].meta.date.year}" for k in term.post_keys}) if term else []
            rows.append((m, term, tuple(years)))
        out.append(CountyCoverage(county, site.terms.get(("county", county.code)), tuple(rows)))
    return tuple(out)


def _slice(site: Site, keys: Sequence[str], job: PageJob, first: str, comments: Mapping[str, tuple]) -> dict[str, Any]:
    per_page = site.config.per_page
    start = (job.number - 1) * per_page
    shown = keys[start : start + per_page]
    return {
        "posts": [site.by_key[k] for k in shown],
        "comment_counts": {k: len(comments.get(k, ())) for k in shown},
        "total": len(keys),
        "pagination": Pagination(job.number, job.pages, first, site.urls),
    }


def _post_or_none(site: Site, key: str | None) -> Post | None:
    return site.by_key[key] if key else None


def _post_terms(site: Site, post: Post) -> dict[str, tuple[Term, ...]]:
    return {kind: site.post_terms(post, kind) for kind in ("municipality", "county", "plan_area", "tag")}


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


def render_all(env: jinja2.Environment, site: Site, jobs: list[PageJob], comments: Mapping[str, tuple]) -> dict[str, str]:
    """file -> HTML for every job, collecting every template error before raising."""
    out: dict[str, str] = {}
    errors: dict[SourceError, None] = {}
    for job in jobs:
        try:
            out[job.file] = render_page(env, site, job, comments)
        except BuildError as exc:
            errors.update(dict.fromkeys(exc.errors))
            if len(errors) > 20:
                break
    if errors:
        raise BuildError(errors)
    return out


__all__ = ["environment", "render_all", "render_page", "sv_date"]
