"""What each output is made from, as a fingerprint: equal fingerprints mean equal bytes."""

from __future__ import annotations

from collections.abc import Mapping

from .cache import digest
from .index import Site
from .plan import PageJob


def site_fingerprint(settings_key: str, site: Site) -> str:
    """Inputs every page shares: settings, templates, and the standalone pages in the footer."""
    return digest(settings_key, [(p.key, p.meta.title, p.url) for p in site.pages])


def _posts(site: Site, keys) -> list[tuple[str, str, str]]:
    return [(k, site.by_key[k].digest, site.by_key[k].url) for k in keys]


def _neighbour(site: Site, key: str | None) -> tuple | None:
    if key is None:
        return None
    p = site.by_key[key]
    return (p.key, p.meta.title, p.url)


def page_fingerprint(site: Site, job: PageJob, comments: Mapping[str, tuple], shared: str) -> str:
    """Everything that can change the HTML of one planned page."""
    per_page = site.config.per_page
    if job.kind == "post":
        post = site.by_key[job.ref[0]]
        terms = [(t.kind, t.name, t.url) for kind in ("municipality", "county", "plan_area", "tag") for t in site.post_terms(post, kind)]
        related = [(k, site.by_key[k].meta.title, site.by_key[k].url, site.by_key[k].meta.date) for k in site.related[post.key]]
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
        return digest(shared, job, all_posts(site))
    return digest(shared, job)


def all_posts(site: Site) -> str:
    """One fingerprint of every post, for outputs that list them all (sitemap, open data, sections)."""
    return digest([(p.key, p.digest, p.url) for p in site.posts])


def feed_fingerprint(site: Site, shared: str, path: str, ref: tuple) -> str:
    keys = site.term(*ref).post_keys if ref else site.post_keys
    head = (site.term(*ref).name, site.term(*ref).url) if ref else ()
    entries = keys[: site.config.feed_entries]
    terms = [[(t.slug, t.name) for kind in ("municipality", "county", "plan_area", "tag") for t in site.post_terms(site.by_key[k], kind)]
             for k in entries]
    return digest(shared, path, head, _posts(site, entries), terms)
