"""Taxonomies, prev/next and related visits, computed once from all posts."""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType

from sitegen.config.settings import Config
from sitegen.config.urls import Urls, municipality_slugs, slug
from sitegen.content.documents import Page, Post
from sitegen.content.registry import Registry
from sitegen.kinds import KINDS, TAXONOMIES
from sitegen.site.collate import sort_key
from sitegen.site.coverage import CountyCoverage, coverage

# how much sharing each kind of term says about two visits being related
RELATED_WEIGHTS = {t.kind: t.related_weight for t in TAXONOMIES if t.related_weight}
# per term, only this many posts nearest in time are candidates: keeps related visits linear in posts
RELATED_NEIGHBOURS = 12
MORE_IN = 5  # "Fler besök i Borås": the newest of the municipality's other visits


@dataclass(frozen=True)
class Term:
    """One municipality, county, plan area, tag or year, pointing at its posts by key."""

    kind: str  # 'municipality', 'county', 'plan_area', 'tag' or 'year'
    id: str  # municipality or county code, plan-area name, tag slug, year
    name: str
    slug: str
    url: str  # site path of the term's first page
    post_keys: tuple[str, ...]  # newest first
    description: str = ""


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, built before any page is rendered."""

    config: Config
    registry: Registry
    urls: Urls
    posts: tuple[Post, ...]  # newest first
    post_keys: tuple[str, ...]  # the same order, for the home page's pagination
    pages: tuple[Page, ...]
    by_key: Mapping[str, Post]
    taxonomies: Mapping[str, tuple[Term, ...]]  # kind -> terms in Swedish collation (years newest first)
    terms: Mapping[tuple[str, str], Term]  # (kind, id) -> term
    older: Mapping[str, str | None]  # post key -> the previous visit in time
    newer: Mapping[str, str | None]
    related: Mapping[str, tuple[str, ...]]
    scheduled: frozenset[str]  # posts dated after the build's time, in it only with --future (serve): "Schemalagd"
    coverage: tuple[CountyCoverage, ...]  # every county with its municipalities' visits: /kommun/, /lan/ and the map

    def term(self, kind: str, term_id: str) -> Term:
        return self.terms[(kind, term_id)]

    def page(self, key: str) -> Page:
        """The standalone page with this key."""
        return next(p for p in self.pages if p.key == key)

    def document(self, kind: str, key: str) -> Post | Page:
        """The post or the page a redirect leads to, from its ref ('post' | 'page', key)."""
        return self.by_key[key] if kind == "post" else self.page(key)

    def county_coverage(self, code: str) -> CountyCoverage:
        """One county's municipalities and their visits."""
        return next(c for c in self.coverage if c.county.code == code)

    def visited_places(self) -> dict[str, str]:
        """Each visited municipality's name -> its county's, as the search's filters name them (a municipality narrows the counties)."""
        return {t.name: t.description for t in self.taxonomies["municipality"]}

    def place_of(self, term: Term) -> CountyCoverage | None:
        """The county a municipality's or a county's page shows around it: its municipalities and their visits."""
        code = self.county_code_of(term)
        return None if code is None else self.county_coverage(code)

    def county_code_of(self, term: Term) -> str | None:
        """The code of the county a municipality's or a county's page shows around it; None for other terms."""
        if term.kind == "county":
            return term.id
        if term.kind == "municipality":
            return self.registry.municipality_by_code(term.id).county_code
        return None

    def more_in(self, post: Post, limit: int = MORE_IN) -> tuple[tuple[Term, tuple[str, ...]], ...]:
        """Per municipality of ``post``, its other visits, newest first (at most ``limit``): "Fler besök i Borås"."""
        out = []
        for term in self.post_terms(post, "municipality"):
            others = tuple(itertools.islice((k for k in term.post_keys if k != post.key), limit))  # not the whole list
            if others:
                out.append((term, others))
        return tuple(out)

    def post_terms(self, post: Post, kind: str) -> tuple[Term, ...]:
        return tuple(self.terms[(kind, i)] for i in term_ids(post, kind))

    def with_posts(self, posts: Mapping[str, Post]) -> Site:
        """The same site with these posts in place of those with the same keys (new bodies, same metadata)."""
        ordered = tuple(posts[p.key] for p in self.posts)
        return replace(self, posts=ordered, by_key=MappingProxyType({p.key: p for p in ordered}))

    def __reduce__(self):
        # mapping proxies cannot be pickled: the build cache stores plain dicts and wraps them again
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        state = {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in values.items()}
        return (_restore_site, (state,))


def _restore_site(state: dict) -> Site:
    return Site(**{k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in state.items()})


def term_ids(post: Post, kind: str) -> tuple[str, ...]:
    """The ids of the terms of one kind that a post belongs to."""
    m = post.meta
    if kind == "municipality":
        return tuple(x.code for x in m.municipalities)
    if kind == "county":
        return tuple(x.code for x in m.counties)
    if kind == "plan_area":
        return m.plan_areas
    if kind == "tag":
        # tags that make the same URL are one tag: 'Skolfam'/'skolfam', 'skolfrånvaro'/'skolfranvaro'
        return tuple(slug(t) for t in m.tags)
    return (f"{m.date.year:04d}",)


def newest_first(posts: list[Post]) -> tuple[Post, ...]:
    return tuple(sorted(posts, key=lambda p: (p.meta.date, p.key), reverse=True))


def build_index(config: Config, registry: Registry, urls: Urls, posts: list[Post], pages: list[Page],
                scheduled: frozenset[str] = frozenset()) -> Site:
    ordered = newest_first(posts)
    by_key = {p.key: p for p in ordered}
    mslugs = municipality_slugs((m.code, m.name, registry.county_of(m).name) for m in registry.municipalities)
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for post in ordered:
        for kind in KINDS:
            for term_id in term_ids(post, kind):
                members[(kind, term_id)].append(post.key)
    terms: dict[tuple[str, str], Term] = {}
    for (kind, term_id), keys in members.items():
        name, term_slug, description = _describe(kind, term_id, keys, by_key, registry, config, mslugs)
        terms[(kind, term_id)] = Term(kind, term_id, name, term_slug, urls.term(kind, term_slug), tuple(keys), description)
    taxonomies: dict[str, tuple[Term, ...]] = dict.fromkeys(KINDS, ())
    grouped: dict[str, list[Term]] = defaultdict(list)
    for term in terms.values():
        grouped[term.kind].append(term)
    for kind, items in grouped.items():
        if kind == "year":
            taxonomies[kind] = tuple(sorted(items, key=lambda t: t.id, reverse=True))
        elif kind == "plan_area":
            order = {a.name: i for i, a in enumerate(config.plan_areas)}
            taxonomies[kind] = tuple(sorted(items, key=lambda t: order[t.id]))
        else:
            taxonomies[kind] = tuple(sorted(items, key=lambda t: sort_key(t.name)))
    chronological = [p.key for p in reversed(ordered)]
    older = {k: (chronological[i - 1] if i > 0 else None) for i, k in enumerate(chronological)}
    newer = {k: (chronological[i + 1] if i + 1 < len(chronological) else None) for i, k in enumerate(chronological)}
    return Site(
        config=config,
        registry=registry,
        urls=urls,
        posts=ordered,
        post_keys=tuple(p.key for p in ordered),
        pages=tuple(sorted(pages, key=lambda p: sort_key(p.meta.title))),
        by_key=MappingProxyType(by_key),
        taxonomies=MappingProxyType(taxonomies),
        terms=MappingProxyType(terms),
        older=MappingProxyType(older),
        newer=MappingProxyType(newer),
        related=MappingProxyType(related_posts(ordered, terms, config.related_posts)),
        scheduled=scheduled,
        coverage=coverage(registry, by_key, {key: (t.url, t.post_keys) for key, t in terms.items() if t.kind in ("municipality", "county")}),
    )


def _describe(kind, term_id, keys, by_key, registry: Registry, config: Config, mslugs) -> tuple[str, str, str]:
    """Display name, slug and description of a term."""
    if kind == "municipality":
        m = next(x for x in by_key[keys[0]].meta.municipalities if x.code == term_id)
        return m.name, mslugs[m.code], registry.county_of(m).official_name
    if kind == "county":
        c = next(x for x in by_key[keys[0]].meta.counties if x.code == term_id)
        return c.name, slug(c.name), c.official_name
    if kind == "plan_area":
        area = next(a for a in config.plan_areas if a.name == term_id)
        return area.name, slug(area.name), area.description
    if kind == "tag":
        oldest = by_key[keys[-1]]  # the spelling of the oldest post wins
        name = next(t for t in oldest.meta.tags if slug(t) == term_id)
        return name, slug(name), ""
    return term_id, term_id, ""


def related_posts(ordered: tuple[Post, ...], terms: dict[tuple[str, str], Term], limit: int) -> dict[str, tuple[str, ...]]:
    """Posts sharing the most weighted terms, via the term lists: never all pairs of posts."""
    if limit == 0:
        return {p.key: () for p in ordered}
    position = {}
    for (kind, term_id), term in terms.items():
        if kind in RELATED_WEIGHTS:
            position[(kind, term_id)] = {k: i for i, k in enumerate(term.post_keys)}
    date_rank = {p.key: i for i, p in enumerate(ordered)}
    out: dict[str, tuple[str, ...]] = {}
    weights = tuple(RELATED_WEIGHTS.items())
    for post in ordered:
        scores: dict[str, int] = {}
        get = scores.get
        for kind, weight in weights:
            for term_id in term_ids(post, kind):
                keys = terms[(kind, term_id)].post_keys
                i = position[(kind, term_id)][post.key]
                lo = max(0, i - RELATED_NEIGHBOURS // 2)
                for other in keys[lo : lo + RELATED_NEIGHBOURS + 1]:
                    scores[other] = get(other, 0) + weight
        scores.pop(post.key, None)
        # only a post scoring at least the limit-th best score can be among the best: the others need no tie-break
        floor = min(heapq.nlargest(limit, scores.values()), default=0)
        me = date_rank[post.key]
        best = sorted((-score, abs(date_rank[k] - me), k) for k, score in scores.items() if score >= floor)[:limit]
        out[post.key] = tuple(k for _, _, k in best)
    return out
