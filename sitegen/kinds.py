"""The kinds of page and the kinds of taxonomy, each defined once.

A new kind of page is a member of ``PageKind`` with its row in ``PAGE_KINDS``; the renderer's
``render.context.CONTEXTS`` and ``fingerprints.PAGE_FINGERPRINTS`` say what its template
sees and what it is made from (a test checks that both cover every kind), ``site.plan`` makes
its pages, and a new URL segment is a field of config.yaml's ``urls:`` with its method in
``config.urls``. A new taxonomy is one row in ``TAXONOMIES`` and its case in ``site.index``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class PageKind(StrEnum):
    """Every kind of HTML page. Members are strings, so templates may compare them with 'post'."""

    HOME = "home"  # the newest visits, paginated
    POST = "post"
    PAGE = "page"  # a standalone page from pages/
    SECTION = "section"  # the index of one taxonomy, e.g. /kommun/
    TERM = "term"  # the visits of one term, paginated, e.g. /kommun/boras/
    SEARCH = "search"
    SUBSCRIBE = "subscribe"  # what a feed is, and every feed of the site
    NOT_FOUND = "not_found"
    REDIRECT = "redirect"  # an old address from 'aliases:', sending readers on to the post or page
    ANSWER = "answer"  # the comment receiver's pages: the site's header and footer around its message
    COMMENTS = "comments"  # a post's comments after the first page's, e.g. /2017/03/x/sida/2/


@dataclass(frozen=True)
class PageKindInfo:
    """What is fixed for every page of one kind."""

    template: str | None  # None: the template of its taxonomy (sections)
    file: str | None = None  # a fixed output file; None: the page's path + 'index.html' (or the path, if it names a file)
    listed: bool = True  # in the sitemap


PAGE_KINDS: Mapping[PageKind, PageKindInfo] = MappingProxyType({
    PageKind.HOME: PageKindInfo("list.html"),
    PageKind.POST: PageKindInfo("post.html"),
    PageKind.PAGE: PageKindInfo("page.html"),
    PageKind.SECTION: PageKindInfo(None),
    PageKind.TERM: PageKindInfo("term.html"),
    PageKind.SEARCH: PageKindInfo("search.html"),
    PageKind.SUBSCRIBE: PageKindInfo("subscribe.html"),
    PageKind.NOT_FOUND: PageKindInfo("404.html", file="404.html", listed=False),
    PageKind.REDIRECT: PageKindInfo("redirect.html", listed=False),
    PageKind.ANSWER: PageKindInfo("answer.html", file="kommentar-svar.html", listed=False),
    PageKind.COMMENTS: PageKindInfo("comment_page.html", listed=False),  # the post's page is the one to find
})


@dataclass(frozen=True)
class Taxonomy:
    """One way of grouping visits: by municipality, county, plan area, tag or year."""

    kind: str  # the name in Term.kind, page refs and templates
    title: str  # the section's title and its label in the navigation
    section_template: str  # the template of the section's index page
    related_weight: int  # how much sharing a term says about two visits being related; 0: nothing
    feed: bool  # each term has an Atom feed
    on_posts: bool  # shown on a post, as categories of its feed entry, and in open data
    coverage: bool  # the section shows all 290 municipalities by county, visited or not


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy("municipality", "Kommuner", "municipalities.html", 4, feed=True, on_posts=True, coverage=True),
    Taxonomy("county", "Län", "counties.html", 1, feed=True, on_posts=True, coverage=True),
    Taxonomy("plan_area", "Teman", "plan_areas.html", 2, feed=True, on_posts=True, coverage=False),
    Taxonomy("tag", "Taggar", "tags.html", 3, feed=True, on_posts=True, coverage=False),
    Taxonomy("year", "Arkiv", "archive.html", 0, feed=True, on_posts=False, coverage=False),
)
TAXONOMY: Mapping[str, Taxonomy] = MappingProxyType({t.kind: t for t in TAXONOMIES})
KINDS: tuple[str, ...] = tuple(t.kind for t in TAXONOMIES)
POST_KINDS: tuple[str, ...] = tuple(t.kind for t in TAXONOMIES if t.on_posts)  # in this order on a post
FEED_KINDS: tuple[str, ...] = tuple(t.kind for t in TAXONOMIES if t.feed)
