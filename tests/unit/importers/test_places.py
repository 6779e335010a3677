"""sitegen.importers.places: categories and tags as municipality, county, plan area or tag; MAP.yaml checked line by line."""

from __future__ import annotations

import pytest

from sitegen.errors import BuildError
from sitegen.importers.places import Classifier, load_map
from sitegen.importers.wxr import WpTerm


def cat(name: str, slug: str = "") -> WpTerm:
    return WpTerm("category", slug, name)


def tag(name: str, slug: str = "") -> WpTerm:
    return WpTerm("post_tag", slug, name)


@pytest.fixture
def classify(config, registry):
    def make(rules=None):
        return Classifier(config, registry, rules or {})
    return make


@pytest.mark.parametrize(("term", "kind", "value"), [
    (cat("Östersunds kommun"), "municipality", "Östersund"),
    (cat("Borås stad"), "municipality", "Borås"),
    (cat("Region Gotland"), "municipality", "Gotland"),
    (cat("Falu kommun"), "municipality", "Falun"),
    (cat("x", "ostersunds-kommun"), "municipality", "Östersund"),  # by its slug alone
    (tag("Västerbottens län"), "county", "Västerbotten"),
    (tag("Barns skolgång"), "plan_area", "Barns skolgång"),
    (tag("x", "barns-skolgang"), "plan_area", "Barns skolgång"),
    (tag("samverkan"), "plan_area", "Samverkan"),
    (tag("SiSam"), "tag", "SiSam"),
    (cat("Okategoriserat", "okategoriserat"), "drop", ""),
    (cat("Uncategorized", "uncategorized"), "drop", ""),
])
def test_each_term_becomes_what_it_names(classify, term, kind, value):
    rule = classify().rule(term)
    assert (rule.kind, ", ".join(rule.values)) == (kind, value)


def test_a_slug_shared_by_two_municipalities_names_neither(classify):
    assert classify().rule(cat("x", "habo")).kind == "tag"
    assert classify().rule(cat("Håbo")).values == ("Håbo",)


def test_a_post_in_two_municipalities_with_their_county_keeps_both_and_derives_the_county(classify):
    placed = classify().place([cat("Lycksele kommun"), cat("Umeå"), tag("Västerbottens län"), tag("Helhetssyn")])
    assert (placed.municipalities, placed.county, placed.plan_areas, placed.tags, placed.problem) == (
        ("Lycksele", "Umeå"), None, ("Helhetssyn",), (), None)


def test_a_county_alone_is_a_county_wide_visit(classify):
    assert classify().place([tag("Västerbottens län")]).county == "Västerbotten"


def test_a_post_without_a_place_or_with_one_that_does_not_add_up_says_why(classify, english):
    assert "no category or tag names a municipality or a county" in classify().place([tag("Konferens")]).problem
    assert classify().place([cat("Borås"), tag("Jämtlands län")]).problem == (
        "municipality Borås is not in county Jämtland; correct the place")


def test_the_map_decides_first_and_can_drop(tmp_path, config, registry, classify):
    path = tmp_path / "MAP.yaml"
    path.write_text("Sjuhärad: {municipality: [Borås, Mark]}\nSkolan: {plan_area: barns skolgång}\nSiSam: drop\n"
                    "Gbg: {tag: Göteborgsregionen}\n", encoding="utf-8")
    rules = load_map(path, "MAP.yaml", config, registry)
    c = classify(rules)
    placed = c.place([tag("Sjuhärad"), tag("skolan"), tag("SiSam", "sisam"), cat("x", "gbg")])
    assert (placed.municipalities, placed.plan_areas, placed.tags) == (("Borås", "Mark"), ("Barns skolgång",), ("Göteborgsregionen",))


def test_every_problem_in_the_map_is_reported_at_its_line(tmp_path, config, registry, english):
    path = tmp_path / "MAP.yaml"
    path.write_text("A: {municipality: Borrås}\nB: ta bort\nC: {kommun: Borås}\nD: {plan_area: Skolgång}\n"
                    "E: {municipality: [Borås, Ingenstans]}\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_map(path, "MAP.yaml", config, registry)
    assert [str(e) for e in caught.value.errors] == [
        "MAP.yaml:1: 'A': unknown municipality 'Borrås'; did you mean 'Borås', 'Torsås' or 'Orsa'?",
        "MAP.yaml:2: 'B' must become 'drop' or one of {municipality: …}, {county: …}, {plan_area: …}, {tag: …}",
        "MAP.yaml:3: 'C': unknown kind 'kommun'; write municipality, county, plan_area or tag",
        "MAP.yaml:4: 'D': unknown plan area 'Skolgång'; did you mean 'Barns skolgång'?",
        "MAP.yaml:5: 'E': unknown municipality 'Ingenstans'; did you mean 'Gnesta'?",
    ]
