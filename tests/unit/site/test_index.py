"""sitegen.site.index: taxonomies, prev/next and related visits, computed once from all posts."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from sitegen.content.documents import find_sources, load_post
from sitegen.site.index import build_index


def load_posts(root: Path, config, registry, urls, posts: dict[str, str]):
    folder = root / "posts"
    folder.mkdir(parents=True)
    for name, front in posts.items():
        (folder / f"{name}.md").write_text(f"---\n{front}\n---\n\nText om {name}.\n", encoding="utf-8")
    return [load_post(s, config, registry, urls) for s in find_sources(root, "posts", "post")]


@pytest.fixture
def index(tmp_path, config, registry, urls):
    def make(posts: dict[str, str], cfg=None, shuffle_seed: int | None = None):
        loaded = load_posts(tmp_path / f"s{len(list(tmp_path.iterdir()))}", cfg or config, registry, urls, posts)
        if shuffle_seed is not None:
            random.Random(shuffle_seed).shuffle(loaded)
        return build_index(cfg or config, registry, urls, loaded, [])

    return make


def front(title, date, municipality=None, county=None, plan_areas=None, tags=None):
    lines = [f"title: {title}", f"date: {date}"]
    if municipality:
        lines.append(f"municipality: [{municipality}]")
    if county:
        lines.append(f"county: {county}")
    if plan_areas:
        lines.append(f"plan_areas: [{plan_areas}]")
    if tags:
        lines.append(f"tags: [{tags}]")
    return "\n".join(lines)


def test_posts_newest_first(index):
    site = index(
        {
            "a": front("A", "2015-01-01", "Borås"),
            "b": front("B", "2017-01-01", "Borås"),
            "c": front("C", "2016-01-01", "Borås"),
        }
    )
    assert [p.key for p in site.posts] == ["b", "c", "a"]


def test_same_day_ordered_deterministically(index):
    posts = {k: front(k.upper(), "2017-01-01", "Borås") for k in ("a", "b", "c")}
    first = [p.key for p in index(posts, shuffle_seed=1).posts]
    second = [p.key for p in index(posts, shuffle_seed=2).posts]
    assert first == second
    assert sorted(first) == ["a", "b", "c"]


def test_tags_are_case_insensitive_and_the_oldest_spelling_wins(index):
    site = index(
        {
            "new": front("Ny", "2017-05-01", "Borås", tags="skolfam"),
            "old": front("Gammal", "2014-05-01", "Malmö", tags="SkolFam"),
            "mid": front("Mitt", "2016-05-01", "Falun", tags="SKOLFAM"),
        }
    )
    (term,) = site.taxonomies["tag"]
    assert term.name == "SkolFam"
    assert term.slug == "skolfam"
    assert term.url == "tagg/skolfam/"
    assert term.post_keys == ("new", "mid", "old")


def test_tags_that_make_the_same_url_are_one_tag(index):
    # 'skolfranvaro' and 'skolfrånvaro' would both want tagg/skolfranvaro/
    site = index(
        {
            "new": front("Ny", "2017-05-01", "Borås", tags="Skolfranvaro"),
            "old": front("Gammal", "2014-05-01", "Malmö", tags="skolfrånvaro"),
        }
    )
    (term,) = site.taxonomies["tag"]
    assert (term.name, term.url, term.post_keys) == ("skolfrånvaro", "tagg/skolfranvaro/", ("new", "old"))


def test_term_posts_newest_first(index):
    site = index(
        {
            "a": front("A", "2013-10-16", "Borås", plan_areas="Samverkan"),
            "b": front("B", "2017-02-14", "Borås", plan_areas="Samverkan"),
            "c": front("C", "2016-10-11", "Borås stad"),
        }
    )
    boras = site.term("municipality", "1490")
    assert boras.post_keys == ("b", "c", "a")
    assert boras.url == "kommun/boras/"
    assert boras.description == "Västra Götalands län"
    assert site.term("plan_area", "Samverkan").post_keys == ("b", "a")
    assert site.term("county", "14").post_keys == ("b", "c", "a")


def test_county_terms_from_municipalities_and_county_only_posts(index):
    site = index({"a": front("A", "2013-10-16", county="Västerbottens län"), "b": front("B", "2017-01-01", "Umeå")})
    term = site.term("county", "24")
    assert term.post_keys == ("b", "a")
    assert (term.name, term.slug, term.url) == ("Västerbotten", "vasterbotten", "lan/vasterbotten/")
    assert term.description == "Västerbottens län"


def test_habo_and_habo_pages(index):
    site = index({"a": front("A", "2017-01-01", "Habo"), "b": front("B", "2017-01-02", "Håbo")})
    assert site.term("municipality", "0643").url == "kommun/habo-jonkoping/"
    assert site.term("municipality", "0305").url == "kommun/habo-uppsala/"


def test_terms_in_swedish_order(index):
    site = index(
        {
            "a": front("A", "2017-01-01", "Örebro", tags="öppenhet"),
            "b": front("B", "2017-01-02", "Älmhult", tags="Åtgärder"),
            "c": front("C", "2017-01-03", "Åre", tags="zebra"),
            "d": front("D", "2017-01-04", "Arboga", tags="ärende"),
            "e": front("E", "2017-01-05", "Ystad", tags="Barn"),
        }
    )
    assert [t.name for t in site.taxonomies["municipality"]] == ["Arboga", "Ystad", "Åre", "Älmhult", "Örebro"]
    assert [t.name for t in site.taxonomies["tag"]] == ["Barn", "zebra", "Åtgärder", "ärende", "öppenhet"]
    assert [t.name for t in site.taxonomies["county"]] == ["Jämtland", "Kronoberg", "Skåne", "Västmanland", "Örebro"]


def test_years_newest_first_and_plan_areas_in_config_order(index, config):
    site = index(
        {
            "a": front("A", "2013-10-16", "Borås", plan_areas="Barns skolgång"),
            "b": front("B", "2017-02-14", "Borås", plan_areas="Samverkan, Helhetssyn"),
            "c": front("C", "2016-10-11", "Borås"),
        }
    )
    assert [t.name for t in site.taxonomies["year"]] == ["2017", "2016", "2013"]
    assert site.term("year", "2016").url == "arkiv/2016/"
    order = [a.name for a in config.plan_areas]
    names = [t.name for t in site.taxonomies["plan_area"]]
    assert names == sorted(names, key=order.index)
    assert set(names) == {"Barns skolgång", "Samverkan", "Helhetssyn"}


def test_empty_site_has_empty_taxonomies(index):
    site = index({})
    assert site.posts == ()
    assert all(terms == () for terms in site.taxonomies.values())


def test_prev_and_next(index):
    site = index(
        {
            "a": front("A", "2013-01-01", "Borås"),
            "b": front("B", "2014-01-01", "Malmö"),
            "c": front("C", "2015-01-01", "Falun"),
        }
    )
    assert (site.older["a"], site.newer["a"]) == (None, "b")
    assert (site.older["b"], site.newer["b"]) == ("a", "c")
    assert (site.older["c"], site.newer["c"]) == ("b", None)


def many_posts():
    places = ["Borås", "Malmö", "Falun", "Borås", "Umeå", "Malmö", "Borås", "Lund", "Ystad"]
    areas = ["Samverkan", "Barns skolgång", "Samverkan", "Helhetssyn", "Samverkan"]
    tags = ["Skolfam", "SiSam", "IVO"]
    return {
        f"p{i:02d}": front(
            f"P{i}", f"2016-{1 + i % 12:02d}-{1 + i:02d}", places[i % 9], plan_areas=areas[i % 5], tags=tags[i % 3]
        )
        for i in range(20)
    }


def test_related_never_includes_the_post_itself_and_respects_the_limit(index, config):
    site = index(many_posts())
    assert set(site.related) == {p.key for p in site.posts}
    for key, related in site.related.items():
        assert key not in related
        assert len(related) == len(set(related))
        assert len(related) <= config.related_posts
        assert all(r in site.by_key for r in related)
    assert any(site.related.values())


def test_related_is_deterministic_whatever_the_input_order(index):
    posts = many_posts()
    one = index(posts, shuffle_seed=3).related
    two = index(posts, shuffle_seed=4).related
    assert dict(one) == dict(two)


def test_related_prefers_the_same_municipality(index):
    site = index(
        {
            "a": front("A", "2017-01-01", "Borås", plan_areas="Samverkan"),
            "same_place": front("B", "2015-01-01", "Borås"),
            "same_area": front("C", "2017-01-02", "Malmö", plan_areas="Samverkan"),
            "nothing": front("D", "2017-01-03", "Kiruna"),
        }
    )
    assert site.related["a"] == ("same_place", "same_area")
    assert site.related["nothing"] == ()


def test_related_can_be_turned_off(index, config):
    site = index(many_posts(), cfg=dataclasses.replace(config, related_posts=0))
    assert all(r == () for r in site.related.values())


def test_post_terms(index):
    site = index({"a": front("A", "2017-01-01", "Borås, Malmö", plan_areas="Samverkan", tags="IVO")})
    post = site.by_key["a"]
    assert [t.name for t in site.post_terms(post, "municipality")] == ["Borås", "Malmö"]
    assert [t.name for t in site.post_terms(post, "county")] == ["Västra Götaland", "Skåne"]
    assert [t.name for t in site.post_terms(post, "tag")] == ["IVO"]
    assert [t.name for t in site.post_terms(post, "year")] == ["2017"]
