"""The variables each kind of page's template sees."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sitegen.config.urls import Urls
from sitegen.content.documents import Post
from sitegen.kinds import FEED_KINDS, POST_KINDS, TAXONOMY, PageKind
from sitegen.site.index import Site
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
    return {**_slice(site, site.post_keys, job, "", comments), "title": site.config.title, "coverage": site.coverage}


def _post(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    post = site.by_key[job.ref[0]]
    trail = crumbs(site, post)
    return {
        "post": post,
        "title": post.meta.title,
        "older": _post_or_none(site, site.older[post.key]),
        "newer": _post_or_none(site, site.newer[post.key]),
        "related": [site.by_key[k] for k in site.related[post.key]],
        **_comment_page(site, post, job, comments),
        "post_url": site.urls.href(post.url),
        "terms": {kind: site.post_terms(post, kind) for kind in POST_KINDS},
        "more_in": [(term, [site.by_key[k] for k in keys]) for term, keys in site.more_in(post)],
        "crumbs": trail,
        "structured_data": structured_data(site, post, trail),
    }


def _comment_page(site: Site, post: Post, job: PageJob, comments: Comments) -> dict[str, Any]:
    """The comments page ``job.number`` of ``post`` shows, with the pager between its pages (a post's page is the first)."""
    every = comments.get(post.key, ())
    per_page = site.config.comments.per_page
    pager = Pagination(job.number, job.pages, post.url, site.urls)
    return {
        "comments": every[(job.number - 1) * per_page : job.number * per_page],
        "comment_total": len(every),
        "comment_pagination": pager,
        # a reply links the comment it answers: on this page by its id alone, on another by that page's address too
        "comment_pages": {c.id: "" if i // per_page + 1 == job.number else site.urls.href(pager.url(i // per_page + 1))
                          for i, c in enumerate(every)},
    }


def _comments(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    post = site.by_key[job.ref[0]]
    return {"post": post, "title": f"Kommentarer till {post.meta.title}, sida {job.number} av {job.pages}",
            "post_url": site.urls.href(post.url), **_comment_page(site, post, job, comments)}


def _page(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    page = site.page(job.ref[0])
    return {"page": page, "title": page.meta.title}


def _section(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    taxonomy = TAXONOMY[job.ref[0]]
    ctx: dict[str, Any] = {"kind": taxonomy.kind, "title": taxonomy.title, "terms": site.taxonomies[taxonomy.kind]}
    if taxonomy.coverage:  # the overview of all 290 municipalities, visited or not
        ctx["coverage"] = site.coverage
    return ctx


def _term(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    term = site.term(*job.ref)
    feed = site.urls.feed(term.url) if TAXONOMY[term.kind].feed else None
    return {**_slice(site, term.post_keys, job, term.url, comments), "term": term, "kind": term.kind, "title": term.name, "feed": feed,
            "county": site.place_of(term)}


def _search(site: Site, job: PageJob, comments: Comments) -> dict[str, Any]:
    return {"title": "Sök", "merged_shards": max(0, len(shard_sizes(len(site.posts))) - 1), "places": site.visited_places()}


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
    PageKind.COMMENTS: _comments,
}


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


def crumbs(site: Site, post: Post) -> list[tuple[str, str]]:
    """(name, site path) of the places above a post: Start › its county › its municipality."""
    trail = [("Start", "")]
    county = next(iter(site.post_terms(post, "county")), None)
    municipality = next(iter(site.post_terms(post, "municipality")), None)
    if county:
        trail.append((county.description, county.url))
    if municipality:
        trail.append((municipality.name, municipality.url))
    return trail


def structured_data(site: Site, post: Post, trail: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """schema.org JSON-LD for a post: a BlogPosting where the visit took place, and its breadcrumb ``trail`` (``crumbs``)."""
    absolute = site.urls.absolute
    url = absolute(post.url)
    posting: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "BlogPosting", "headline": post.meta.title, "description": post.summary,
        "datePublished": post.meta.date.isoformat(), "dateModified": post.meta.modified.isoformat(), "inLanguage": "sv-SE",
        "url": url, "mainEntityOfPage": url, "author": {"@type": "Person", "name": post.meta.author},
        "publisher": {"@type": "Organization", "name": site.config.publisher.name, "email": site.config.publisher.email},
    }
    counties = [{"@type": "AdministrativeArea", "name": c.official_name} for c in post.meta.counties]
    places = [{"@type": "Place", "name": m.official_name, "containedInPlace": counties[0]} if counties else
              {"@type": "Place", "name": m.official_name} for m in post.meta.municipalities] or counties
    if places:
        posting["contentLocation"] = places[0] if len(places) == 1 else places
    if post.cover:
        posting["image"] = absolute(quote(post.cover.path))
    breadcrumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": absolute(path)}
        for i, (name, path) in enumerate([*trail, (post.meta.title, post.url)], 1)]}
    return [posting, breadcrumbs]


def _post_or_none(site: Site, key: str | None) -> Post | None:
    return site.by_key[key] if key else None
