"""The variables each kind of page's template sees."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sitegen.config.urls import Urls
from sitegen.content.documents import Post
from sitegen.content.registry import County, Municipality
from sitegen.kinds import FEED_KINDS, POST_KINDS, TAXONOMY, PageKind
from sitegen.site.collate import sort_key
from sitegen.site.index import Site, Term
from sitegen.site.plan import PageJob
from sitegen.site.shards import shard_sizes

PAGER_RADIUS = 2  # pages linked on each side of the current one
Comments = Mapping[str, tuple]  # post key -> its approved comments, as comments.published renders them


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


def context(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    """The variables one page's template sees."""
    ctx: dict[str, Any] = {"path": job.path, "site": site, "job": job, "canonical": site.urls.absolute(job.path)}
    ctx.update(CONTEXTS[job.kind](site, job, comments))
    return ctx


def _home(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    return {**_slice(site, site.post_keys, job, "", comments), "title": site.config.title}


def _post(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    post = site.by_key[job.ref[0]]
    return {
        "post": post,
        "title": post.meta.title,
        "older": _post_or_none(site, site.older[post.key]),
        "newer": _post_or_none(site, site.newer[post.key]),
        "related": [site.by_key[k] for k in site.related[post.key]],
        "comments": comments.get(post.key, ()),
        "post_url": site.urls.href(post.url),
        "terms": {kind: site.post_terms(post, kind) for kind in POST_KINDS},
    }


def _page(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    page = site.page(job.ref[0])
    return {"page": page, "title": page.meta.title}


def _section(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    taxonomy = TAXONOMY[job.ref[0]]
    ctx: dict[str, Any] = {"kind": taxonomy.kind, "title": taxonomy.title, "terms": site.taxonomies[taxonomy.kind]}
    if taxonomy.coverage:  # the overview of all 290 municipalities, visited or not
        ctx["coverage"] = _coverage(site)
    return ctx


def _term(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    term = site.term(*job.ref)
    feed = site.urls.feed(term.url) if TAXONOMY[term.kind].feed else None
    return {**_slice(site, term.post_keys, job, term.url, comments), "term": term, "kind": term.kind, "title": term.name, "feed": feed}


def _search(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    return {"title": "Sök", "merged_shards": max(0, len(shard_sizes(len(site.posts))) - 1)}


def _subscribe(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    feeds = [(TAXONOMY[kind], [(t, site.urls.feed(t.url)) for t in site.taxonomies[kind]]) for kind in FEED_KINDS]
    return {"title": "Prenumerera", "feeds": feeds}


def _answer(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    # the receiver fills in the title and the message; its path is no section's, so no menu item is marked current
    return {"title": "", "canonical": "", "path": job.file}


def _not_found(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    # served at any address, so it is no section's page: no menu item is marked current
    return {"title": "Sidan finns inte", "canonical": "", "path": job.file}


def _redirect(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    target = site.document(*job.ref)
    # the canonical link names the new address, so search engines move what they knew of the old one
    return {"target": target, "title": target.meta.title, "canonical": site.urls.absolute(target.url)}


CONTEXTS: Mapping[PageKind, Callable[[Site, PageJob, Comments], dict[str, Any]]] = {
    PageKind.HOME: _home,
    PageKind.POST: _post,
    PageKind.PAGE: _page,
    PageKind.SECTION: _section,
    PageKind.TERM: _term,
    PageKind.SEARCH: _search,
    PageKind.SUBSCRIBE: _subscribe,
    PageKind.NOT_FOUND: _not_found,
    PageKind.REDIRECT: _redirect,
    PageKind.ANSWER: _answer,
}


@dataclass(frozen=True)
class CountyCoverage:
    """A county with each of its municipalities and their visits, for /kommun/ and /lan/."""

    county: County
    term: Term | None  # the county's term page, if any post is about it
    municipalities: tuple[tuple[Municipality, Term | None, tuple[str, ...]], ...]  # (municipality, term, years)

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


def _slice(site: Site, keys: Sequence[str], job: PageJob, first: str, comments: Comments) -> dict[str, Any]:
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
