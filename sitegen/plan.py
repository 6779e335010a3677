"""Every output the site will have, planned before rendering; URL collisions are errors here."""

from __future__ import annotations

import math
from typing import NamedTuple

from .errors import BuildError, SourceError
from .index import Site

SECTION_TEMPLATES = {
    "municipality": "municipalities.html",
    "county": "counties.html",
    "plan_area": "plan_areas.html",
    "tag": "tags.html",
    "year": "archive.html",
}
FEED_KINDS = ("municipality", "county", "plan_area")


class PageJob(NamedTuple):
    """One HTML page to render: where it goes, with which template, from which data.

    A named tuple: there are two per post, stored in the cache's plan, and a frozen dataclass
    took four times as long to unpickle on every rebuild.
    """

    path: str  # site path, '' for the home page; the file is path + 'index.html'
    template: str
    kind: str  # 'home', 'post', 'page', 'section', 'term', 'search', 'not_found'
    ref: tuple = ()  # the data it shows: (post key,), (kind,), (kind, term id), ...
    number: int = 1  # page number of a paginated list
    pages: int = 1  # how many pages the list has
    source: str = ""  # the file that asked for this URL, for collision messages

    @property
    def file(self) -> str:
        return self.path + "index.html" if self.kind != "not_found" else "404.html"


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page))


def plan_pages(site: Site) -> list[PageJob]:
    """Every page of the site, in a deterministic order; raises BuildError on URL collisions."""
    urls, per_page = site.urls, site.config.per_page
    jobs: list[PageJob] = []

    def paginated(first: str, template: str, kind: str, ref: tuple, count: int, source: str) -> None:
        n = page_count(count, per_page)
        for number in range(1, n + 1):
            jobs.append(PageJob(urls.page(first, number), template, kind, ref, number, n, source))

    paginated("", "list.html", "home", (), len(site.posts), "the home page")
    for post in site.posts:
        jobs.append(PageJob(post.url, "post.html", "post", (post.key,), source=post.source))
    for page in site.pages:
        jobs.append(PageJob(page.url, "page.html", "page", (page.key,), source=page.source))
    for kind, template in SECTION_TEMPLATES.items():
        jobs.append(PageJob(urls.section(kind), template, "section", (kind,), source=f"the {kind} index"))
        for term in site.taxonomies[kind]:
            paginated(term.url, "term.html", "term", (kind, term.id), len(term.post_keys), f"{kind} '{term.name}'")
    jobs.append(PageJob(urls.search(), "search.html", "search", source="the search page"))
    jobs.append(PageJob("", "404.html", "not_found", source="the 404 page"))
    check_collisions(jobs, site)
    return jobs


def feed_paths(site: Site) -> list[tuple[str, tuple]]:
    """(site path, ref) of every Atom feed: the site's, and one per municipality, county and plan area."""
    out = [("feed.xml", ())]
    for kind in FEED_KINDS:
        out.extend((site.urls.feed(t.url), (kind, t.id)) for t in site.taxonomies[kind])
    return out


def check_collisions(jobs: list[PageJob], site: Site) -> None:
    owners: dict[str, PageJob] = {}
    errors: list[SourceError] = []
    for job in jobs:
        other = owners.get(job.file)
        if other is None:
            owners[job.file] = job
            continue
        path = "/" + job.path
        if job.kind in ("post", "page"):
            errors.append(SourceError(job.source, 0, f"URL {path} is also used by {other.source}; give one of them another 'slug:'"))
        elif other.kind in ("post", "page"):
            errors.append(SourceError(other.source, 0, f"URL {path} is also used by {job.source}; give it another 'slug:'"))
        else:
            errors.append(SourceError("config.yaml", 0, f"URL {path} is used by both {other.source} and {job.source}"))
    if errors:
        raise BuildError(errors)
