"""What each output is made from, as a fingerprint: equal fingerprints mean equal bytes."""

from __future__ import annotations

from collections.abc import Mapping

from .cache import digest
from .index import Site
from .plan import PageJob
from .search import shard_sizes


def site_fingerprint(settings_key: str, site: Site) -> str:
    """Inputs every page shares: settings, templates, and the standalone pages in the footer."""
    return digest(settings_key, [(p.key, p.meta.title, p.url) for p in site.pages])


def _posts(site: Site, keys, bodies: bool = False) -> list[tuple[str, str, str]]:
    """What a list of posts shows: their metadata, and their bodies only where ``bodies`` (feeds)."""
    posts = [site.by_key[k] for k in keys]
    return [(p.key, p.digest if bodies else p.meta_digest, p.url) for p in posts]


def _neighbour(site: Site, key: str | None) -> tuple | None:
    if key is None:
        return None
    p = site.by_key[key]
    return (p.key, p.meta_digest, p.url)


def page_fingerprint(site: Site, job: PageJob, comments: Mapping[str, tuple], shared: str, listing: str) -> str:
    """Everything that can change the HTML of one planned page; ``listing`` is ``all_posts(site)``."""
    per_page = site.config.per_page
    if job.kind == "post":
        post = site.by_key[job.ref[0]]
        terms = [(t.kind, t.name, t.url) for kind in ("municipality", "county", "plan_area", "tag") for t in site.post_terms(post, kind)]
        related = _posts(site, site.related[post.key])  # the template may show any of their metadata
        return digest(shared, job, post.digest, post.url, terms, related,
                      _neighbour(site, site.older[post.key]), _neighbour(site, site.newer[post.key]),
                      comments.get(post.key, ()))
    if job.kind in ("home", "term"):
        if job.kind == "home":
            keys, head = site.post_keys, ()
        else:
            term = site.term(*job.ref)
            keys, head = term.post_keys, (term.name, term.url, term.description)
        start = (job.number - 1) * per_page
        shown = keys[start : start + per_page]
        return digest(shared, job, head, len(keys), _posts(site, shown), [len(comments.get(k, ())) for k in shown])
    if job.kind == "page":
        page = next(p for p in site.pages if p.key == job.ref[0])
        return digest(shared, job, page.digest)
    if job.kind == "section":
        return digest(shared, job, listing)
    if job.kind == "search":
        return digest(shared, job, len(shard_sizes(len(site.posts))))
    return digest(shared, job)


def all_posts(site: Site) -> str:
    """One fingerprint of every post, for outputs that list them all (sitemap, open data, sections)."""
    return digest([(p.key, p.meta_digest, p.url) for p in site.posts])


def feed_fingerprint(site: Site, shared: str, path: str, ref: tuple, memo: dict[str, tuple] | None = None) -> str:
    """Everything that can change one feed; ``memo`` keeps each post's tag names across the feeds of a build.

    An entry shows its post (its source's digest covers the front matter) and its categories. Of
    those, the municipality, county and plan-area slugs and names follow from the post and the
    settings in ``shared``; only a tag's name can change with other posts (the oldest spelling wins).
    """
    keys = site.term(*ref).post_keys if ref else site.post_keys
    head = (site.term(*ref).name, site.term(*ref).url) if ref else ()
    entries = keys[: site.config.feed_entries]
    memo = {} if memo is None else memo
    for k in entries:
        if k not in memo:
            memo[k] = tuple(t.name for t in site.post_terms(site.by_key[k], "tag"))
    return digest(shared, path, head, _posts(site, entries, bodies=True), [memo[k] for k in entries])
