"""Every page the site will have, planned and fingerprinted before rendering; URL collisions are errors here."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from sitegen import fingerprints
from sitegen.config.settings import Config
from sitegen.config.urls import Urls
from sitegen.content.documents import Page, Post
from sitegen.content.registry import Registry
from sitegen.errors import BuildError, SourceError
from sitegen.kinds import FEED_KINDS, PAGE_KINDS, TAXONOMIES, TAXONOMY, PageKind
from sitegen.messages import _
from sitegen.site.index import Site, build_index
from sitegen.site.shards import shard_sizes


class PageJob(NamedTuple):
    """One HTML page to render: where it goes, with which template, from which data.

    A named tuple: there are two per post, stored in the cache's plan, and a frozen dataclass
    took four times as long to unpickle on every rebuild.
    """

    path: str  # site path, '' for the home page
    file: str  # the output file: path + 'index.html', or the file its kind names (404.html); see ``at``
    kind: PageKind
    ref: tuple = ()  # the data it shows: (post key,), (page key,), (taxonomy kind,), (kind, term id), ('post' | 'page', key)
    number: int = 1  # page number of a paginated list
    pages: int = 1  # how many pages the list has
    source: str = ""  # the file that asked for this URL, for collision messages

    @classmethod
    def at(cls, path: str, kind: PageKind, ref: tuple = (), number: int = 1, pages: int = 1, source: str = "") -> PageJob:
        """The page of this kind at ``path``; its file is worked out once, as every stage asks for it."""
        folder = path == "" or path.endswith("/")  # else it names a file, as an old address may ('gammal.html')
        return cls(path, PAGE_KINDS[kind].file or (path + "index.html" if folder else path), kind, ref, number, pages, source)

    @property
    def template(self) -> str:
        return PAGE_KINDS[self.kind].template or TAXONOMY[self.ref[0]].section_template


@dataclass(frozen=True)
class SitePlan:
    """The index and every page of one build, with what each page is made from; kept in the cache."""

    structure: str  # fingerprints.structure: when unchanged, the next build reuses this plan whole
    site: Site
    jobs: Sequence[PageJob]
    shared: str  # fingerprints.shared: the inputs every page shares
    listing: str  # fingerprints.listing: every post's metadata, which the sections, sitemap and open data show
    fingerprints: Mapping[str, str]  # page file -> fingerprint

    def made_from(self, file: str) -> str | None:
        """What made the page ``file`` ('posts/2017-03-x.md', 'the home page'), for messages; None if no page is made there."""
        return next((made_from(job) for job in self.jobs if job.file == file), None)


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page))


def plan_pages(site: Site, comment_counts: Mapping[str, int]) -> list[PageJob]:
    """Every page of the site, in a deterministic order; raises BuildError on URL collisions.

    ``comment_counts`` are the approved comments per post key: a post with more than a page of
    them has the rest on pages of their own.
    """
    urls, per_page = site.urls, site.config.per_page
    jobs: list[PageJob] = []

    def paginated(first: str, kind: PageKind, ref: tuple, count: int) -> None:
        n = page_count(count, per_page)
        for number in range(1, n + 1):
            jobs.append(PageJob.at(urls.page(first, number), kind, ref, number, n))

    paginated("", PageKind.HOME, (), len(site.posts))
    for post in site.posts:
        n = page_count(comment_counts.get(post.key, 0), site.config.comments.per_page)
        jobs.append(PageJob.at(post.url, PageKind.POST, (post.key,), 1, n, post.source))
        jobs.extend(PageJob.at(urls.page(post.url, number), PageKind.COMMENTS, (post.key,), number, n, post.source)
                    for number in range(2, n + 1))
    for page in site.pages:
        jobs.append(PageJob.at(page.url, PageKind.PAGE, (page.key,), source=page.source))
    for taxonomy in TAXONOMIES:
        kind = taxonomy.kind
        jobs.append(PageJob.at(urls.section(kind), PageKind.SECTION, (kind,)))
        for term in site.taxonomies[kind]:
            paginated(term.url, PageKind.TERM, (kind, term.id), len(term.post_keys))
    if site.config.search:
        jobs.append(PageJob.at(urls.search(), PageKind.SEARCH))
    jobs.append(PageJob.at(urls.subscribe(), PageKind.SUBSCRIBE))
    jobs.append(PageJob.at("", PageKind.NOT_FOUND))
    jobs.append(PageJob.at("", PageKind.ANSWER))
    for kind, documents in (("post", site.posts), ("page", site.pages)):  # last, so a collision names the alias
        for doc in documents:
            jobs.extend(PageJob.at(old, PageKind.REDIRECT, (kind, doc.key), source=doc.source) for old in doc.meta.aliases)
    errors = collisions(jobs) + folder_clashes(jobs, {path for path, _ in feed_paths(site)})
    if errors:
        raise BuildError(errors)
    return jobs


def feed_paths(site: Site) -> list[tuple[str, tuple]]:
    """(site path, ref) of every Atom feed: the site's, and one per municipality, county and plan area."""
    out = [("feed.xml", ())]
    for kind in FEED_KINDS:
        out.extend((site.urls.feed(t.url), (kind, t.id)) for t in site.taxonomies[kind])
    return out


WRITTEN = (PageKind.POST, PageKind.PAGE)  # pages a writer names with 'slug:'


def made_from(job: PageJob) -> str:
    """What made a page, for messages: the writer's file, or which of sitegen's own pages it is (in the writer's language)."""
    if job.source:
        return job.source
    if job.kind is PageKind.SECTION:
        return _("the page {title}", title=TAXONOMY[job.ref[0]].title)
    if job.kind is PageKind.TERM:
        return _("the page of '{term}' in {title}", term=job.ref[1], title=TAXONOMY[job.ref[0]].title)
    return {PageKind.HOME: _("the home page"), PageKind.SEARCH: _("the search page"), PageKind.SUBSCRIBE: _("the subscribe page"),
            PageKind.NOT_FOUND: _("the 404 page"), PageKind.ANSWER: _("the comment receiver's page")}.get(job.kind, job.path)


def collisions(jobs: list[PageJob]) -> list[SourceError]:
    """Two pages at one URL, each named with what made it."""
    owners: dict[str, PageJob] = {}
    errors: list[SourceError] = []
    for job in jobs:
        other = owners.get(job.file)
        if other is None:
            owners[job.file] = job
            continue
        path = "/" + job.path
        if job.kind is PageKind.REDIRECT:
            errors.append(SourceError(job.source, 0, _alias_collision(path, job, other)))
        elif job.kind in WRITTEN:
            errors.append(SourceError(job.source, 0, _("URL {path} is also used by {other}; give one of them another 'slug:'", path=path,
                                                       other=made_from(other))))
        elif other.kind in WRITTEN:
            errors.append(SourceError(other.source, 0, _("URL {path} is also used by {other}; give it another 'slug:'", path=path,
                                                         other=made_from(job))))
        else:
            errors.append(SourceError("config.yaml", 0, _("URL {path} is used by both {first} and {second}", path=path,
                                                          first=made_from(other), second=made_from(job))))
    return errors


def folder_clashes(jobs: list[PageJob], files: set[str]) -> list[SourceError]:
    """An old address inside a file sitegen makes ('/feed.xml/' in /feed.xml) is an error naming it.

    Only old addresses can make such a folder: every other page's path comes from slugs.
    """
    taken = {job.file for job in jobs} | files
    errors = []
    for job in jobs:
        if job.kind is PageKind.REDIRECT:
            parts = job.file.split("/")[:-1]
            for n in range(1, len(parts) + 1):
                inside = "/".join(parts[:n])
                if inside in taken:
                    errors.append(SourceError(job.source, 0, _("old address /{path} in 'aliases:' is inside /{file}, a file sitegen "
                                                               "makes; remove it from 'aliases:'", path=job.path, file=inside)))
    return errors


def _alias_collision(path: str, job: PageJob, other: PageJob) -> str:
    if other.kind is PageKind.REDIRECT:
        return _("old address {path} in 'aliases:' is also in the 'aliases:' of {other}; keep it in one of them",
                 path=path, other=made_from(other))
    if other.source == job.source:
        return _("old address {path} in 'aliases:' is this file's own address; remove it from 'aliases:'", path=path)
    return _("old address {path} in 'aliases:' is the address of {other}; remove it from 'aliases:'", path=path, other=made_from(other))


def plan_site(
    config: Config, registry: Registry, inputs: str, content: tuple[list[Post], list[Page]],
    comments: Mapping[str, tuple], known: SitePlan | None, scheduled: frozenset[str] = frozenset(),
) -> SitePlan:
    """Index every post, plan every page and fingerprint each one; ``inputs`` is ``fingerprints.build_inputs``.

    When ``known`` (the last build's plan) was made from the same structure, only post bodies
    changed: it is reused, with today's posts and their pages fingerprinted again.
    """
    posts, pages = content
    structure = fingerprints.structure(inputs, posts, pages, comments, scheduled)
    shards = len(shard_sizes(len(posts)))  # the search page merges them
    if known is not None and known.structure == structure:
        site = known.site.with_posts({p.key: p for p in posts})
        changed = {p.key for p in posts if p.digest != known.site.by_key[p.key].digest}
        inputs_of = fingerprints.page_inputs(site, comments, known.shared, known.listing, shards)
        return replace(known, site=site, fingerprints=fingerprints.post_pages(known.fingerprints, known.jobs, inputs_of, changed))
    site = build_index(config, registry, Urls.for_config(config), posts, pages, scheduled)
    jobs = plan_pages(site, {key: len(shown) for key, shown in comments.items()})
    shared = fingerprints.shared(inputs, site)
    listing = fingerprints.listing(site)
    page_fingerprints = fingerprints.pages(jobs, fingerprints.page_inputs(site, comments, shared, listing, shards))
    return SitePlan(structure, site, jobs, shared, listing, page_fingerprints)
