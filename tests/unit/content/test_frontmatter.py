"""sitegen.content.frontmatter: front matter against config.yaml and the registry; every problem with its line."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from sitegen.config.yamlsource import parse
from sitegen.content.frontmatter import check_page, check_post
from sitegen.errors import SourceError

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish


def check(config, registry, front: str, key: str = "x"):
    """Validate front matter as it sits in a post: the YAML starts on line 2, after '---'."""
    errors: list[SourceError] = []
    meta = check_post(parse(front, first_line=2), "posts/x.md", key, config, registry, errors)
    return meta, [str(e) for e in errors]


def ok(config, registry, front: str):
    meta, errors = check(config, registry, front)
    assert errors == []
    assert meta is not None
    return meta


def bad(config, registry, front: str) -> list[str]:
    meta, errors = check(config, registry, front)
    assert meta is None
    assert errors
    return errors


FULL = """\
title: Återbesök i Finspång
date: 2017-03-14
author: Anna Andersson
municipality: Finspång
county: Östergötland
plan_areas: [Samverkan, Barns skolgång]
tags: [SiSam, skolfrånvaro]
summary: En mening om besöket.
slug: finspang-2017
draft: false
comments: false
"""


def test_full_front_matter(config, registry):
    meta = ok(config, registry, FULL)
    assert meta.title == "Återbesök i Finspång"
    assert meta.date == datetime(2017, 3, 14, tzinfo=config.tz)
    assert meta.has_time is False
    assert meta.author == "Anna Andersson"
    assert [m.name for m in meta.municipalities] == ["Finspång"]
    assert [c.name for c in meta.counties] == ["Östergötland"]
    assert meta.plan_areas == ("Samverkan", "Barns skolgång")
    assert meta.tags == ("SiSam", "skolfrånvaro")
    assert meta.summary == "En mening om besöket."
    assert meta.slug == "finspang-2017"
    assert meta.draft is False
    assert meta.comments is False


def test_defaults(config, registry):
    meta = ok(config, registry, "title: Fokus på medskapande i Borås\ndate: 2017-02-14\nmunicipality: Borås\n")
    assert meta.author == config.author
    assert meta.slug == "fokus-pa-medskapande-i-boras"
    assert [c.name for c in meta.counties] == ["Västra Götaland"]  # derived from the municipality
    assert meta.plan_areas == () and meta.tags == ()
    assert meta.summary is None
    assert meta.draft is False and meta.comments is True


def test_municipality_spellings_resolve(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2017-01-01\nmunicipality: [Falu kommun, Region Gotland, borås stad]\n")
    assert [m.name for m in meta.municipalities] == ["Falun", "Gotland", "Borås"]
    assert [c.name for c in meta.counties] == ["Dalarna", "Gotland", "Västra Götaland"]


def test_same_municipality_twice_counts_once(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2017-01-01\nmunicipality: [Borås, Borås stad]\n")
    assert [m.name for m in meta.municipalities] == ["Borås"]


def test_county_only(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2013-10-16\ncounty: Västerbottens län\n")
    assert meta.municipalities == ()
    assert [c.name for c in meta.counties] == ["Västerbotten"]


def test_county_matching_municipality_is_fine(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2017-01-01\nmunicipality: Borås\ncounty: Västra Götalands län\n")
    assert [c.name for c in meta.counties] == ["Västra Götaland"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-03-14", (datetime(2017, 3, 14), False)),
        ('"2017-03-14"', (datetime(2017, 3, 14), False)),
        ("2017-03-14 10:30", (datetime(2017, 3, 14, 10, 30), True)),
        ("2017-03-14T10:30:00", (datetime(2017, 3, 14, 10, 30), True)),
    ],
)
def test_dates_in_the_site_time_zone(config, registry, value, expected):
    meta = ok(config, registry, f"title: T\ndate: {value}\ncounty: Skåne\n")
    assert (meta.date, meta.has_time) == (expected[0].replace(tzinfo=config.tz), expected[1])
    assert meta.date.tzinfo is not None


def test_datetime_with_offset_is_converted_to_the_site_time_zone(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2017-03-14T23:30:00+00:00\ncounty: Skåne\n")
    assert meta.date.utcoffset() == timedelta(hours=1)  # CET in March
    assert (meta.date.day, meta.date.hour, meta.date.minute) == (15, 0, 30)


@pytest.mark.parametrize("value", ["14 mars 2017", "14/3 2017", "igår", "2017", "[2017]"])
def test_not_a_date(config, registry, value):
    shown = value.strip("[]") if value.startswith("[") else value
    errors = bad(config, registry, f"title: T\ndate: {value}\ncounty: Skåne\n")
    assert len(errors) == 1
    assert errors[0].startswith("posts/x.md:3: 'date' is not a date: '")
    assert shown in errors[0]
    assert errors[0].endswith("; write it as YYYY-MM-DD, e.g. 2017-03-14")


def test_missing_title_and_date(config, registry):
    assert bad(config, registry, "municipality: Borås\n") == [
        "posts/x.md:2: missing required key 'title'",
        "posts/x.md:2: missing required key 'date'",
    ]


def test_empty_values_are_reported_at_their_line(config, registry):
    assert bad(config, registry, "title: T\ndate:\nmunicipality: Borås\n") == ["posts/x.md:3: missing required key 'date'"]
    assert bad(config, registry, "title: '  '\ndate: 2017-01-01\nmunicipality: Borås\n") == [
        "posts/x.md:2: 'title' must not be empty"
    ]


def test_unknown_municipality_with_suggestion(config, registry):
    errors = bad(config, registry, "title: T\ndate: 2017-01-01\nmunicipality: [Finspång, Borrås]\n")
    assert len(errors) == 1
    assert errors[0].startswith("posts/x.md:4: unknown municipality 'Borrås'; did you mean 'Borås'")


def test_unknown_municipality_in_block_list_points_at_its_item(config, registry):
    errors = bad(config, registry, "title: T\ndate: 2017-01-01\nmunicipality:\n  - Finspång\n  - Xyzzyq\n")
    assert errors == ["posts/x.md:6: unknown municipality 'Xyzzyq'; it must be one of Sweden's 290 municipalities"]


def test_unknown_county_with_suggestion(config, registry):
    assert bad(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skånia\n") == [
        "posts/x.md:4: unknown county 'Skånia'; did you mean 'Skåne'?"
    ]


def test_county_mismatch(config, registry):
    assert bad(config, registry, "title: T\ndate: 2017-01-01\nmunicipality: Borås\ncounty: Skåne\n") == [
        "posts/x.md:5: county 'Skåne' does not match municipality 'Borås', which is in Västra Götalands län"
    ]


def test_no_place_at_all(config, registry):
    errors = bad(config, registry, "title: T\ndate: 2017-01-01\ntags: [a]\n")
    assert errors == ["posts/x.md:1: a visit needs a place: add 'municipality:' or 'county:'"]


def test_plan_areas_match_by_name_or_slug_case_insensitively(config, registry):
    meta = ok(
        config,
        registry,
        "title: T\ndate: 2017-01-01\ncounty: Skåne\nplan_areas: [samverkan, barns-skolgang, BARNS HÄLSA, Samverkan]\n",
    )
    assert meta.plan_areas == ("Samverkan", "Barns skolgång", "Barns hälsa")


def test_plan_areas_as_one_name(config, registry):
    assert ok(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\nplan_areas: Helhetssyn\n").plan_areas == (
        "Helhetssyn",
    )


def test_unknown_plan_area_with_suggestion(config, registry):
    assert bad(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\nplan_areas: [Samverkn]\n") == [
        "posts/x.md:5: unknown plan area 'Samverkn'; did you mean 'Samverkan'?"
    ]


def test_unknown_plan_area_without_match_lists_the_vocabulary(config, registry):
    errors = bad(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\nplan_areas: [Qwerty]\n")
    assert errors == [
        "posts/x.md:5: unknown plan area 'Qwerty'; choose from config.yaml's plan_areas: "
        + ", ".join(a.name for a in config.plan_areas)
    ]


def test_tags_deduplicated_case_insensitively_keeping_the_first_spelling(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\ntags: [Skolfam, skolfam, ' SiSam ', IVO]\n")
    assert meta.tags == ("Skolfam", "SiSam", "IVO")


def test_tags_that_make_the_same_url_are_one_tag(config, registry):
    meta = ok(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\ntags: [skolfrånvaro, Skolfranvaro, C++, c]\n")
    assert meta.tags == ("skolfrånvaro", "C++")


def test_title_without_letters_needs_a_slug(config, registry):
    assert bad(config, registry, "title: '???'\ndate: 2017-01-01\ncounty: Skåne\n") == [
        "posts/x.md:2: 'title' has no letters or digits to make a URL from; add a 'slug:' line"
    ]
    assert ok(config, registry, "title: '???'\ndate: 2017-01-01\ncounty: Skåne\nslug: fragor\n").slug == "fragor"


def test_tag_without_letters(config, registry):
    assert bad(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\ntags: ['!!']\n") == [
        "posts/x.md:5: tag '!!' has no letters or digits to make a URL from"
    ]


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [("plan_area", "plan_areas"), ("tag", "tags"), ("kommun", None), ("municipalities", "municipality"), ("titel", "title")],
)
def test_unknown_keys_with_suggestion(config, registry, key, suggestion):
    errors = bad(config, registry, f"title: T\ndate: 2017-01-01\ncounty: Skåne\n{key}: x\n")
    assert len(errors) == 1
    if suggestion:
        assert errors[0] == f"posts/x.md:5: unknown key '{key}'; did you mean '{suggestion}'?"
    else:
        assert errors[0].startswith(f"posts/x.md:5: unknown key '{key}'; known keys: ")


def test_extra_front_matter_keys_are_allowed_when_configured(config, registry):
    extended = dataclasses.replace(config, extra_front_matter=("projekt",))
    meta, errors = check(extended, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\nprojekt: Skolfam\n")
    assert errors == []
    assert meta.extra == (("projekt", "Skolfam"),)
    assert bad(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\nprojekt: Skolfam\n")


def test_bad_slug(config, registry):
    assert bad(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\nslug: Min Slug\n") == [
        "posts/x.md:5: 'slug' must be lower-case letters a-z, digits and '-', like 'aterbesok-i-finspang'"
    ]


def test_wrong_types(config, registry):
    errors = bad(config, registry, "title: [a]\ndate: 2017-01-01\ncounty: Skåne\ndraft: kanske\ncomments: 0\n")
    assert errors == [
        "posts/x.md:2: 'title' must be text, found a list",
        "posts/x.md:5: 'draft' must be true or false, found 'kanske'",
        "posts/x.md:6: 'comments' must be true or false, found '0'",
    ]


def test_reserved_file_name(config, registry):
    _, errors = check(config, registry, "title: T\ndate: 2017-01-01\ncounty: Skåne\n", key="pending")
    assert errors == ["posts/x.md: 'pending' is reserved for the comment folders; rename the file"]


def test_every_problem_in_a_post_is_reported(config, registry):
    errors = bad(
        config,
        registry,
        "title: T\ndate: 14 mars 2017\nmunicipality: Borrås\ncounty: Skånia\nplan_area: [Samverkan]\ntag: x\n",
    )
    assert len(errors) == 5
    assert {int(e.split(":")[1]) for e in errors} == {3, 4, 5, 6, 7}


def test_page_front_matter():
    errors: list[SourceError] = []
    meta = check_page(parse("title: Om bloggen\n", first_line=2), "pages/om-bloggen.md", "om-bloggen", errors)
    assert errors == []
    assert (meta.title, meta.slug, meta.draft) == ("Om bloggen", "om-bloggen", False)


def test_page_unknown_key():
    errors: list[SourceError] = []
    meta = check_page(parse("title: Om\nmunicipality: Borås\n", first_line=2), "pages/om.md", "om", errors)
    assert meta is None or meta.title == "Om"
    assert [str(e) for e in errors] == ["pages/om.md:3: unknown key 'municipality'; known keys: aliases, contact, draft, reviewed, slug, summary, title"]


def test_aliases_become_site_paths(config, registry):
    meta = ok(config, registry, FULL + "aliases: [/2017/03/14/aterbesok-i-finspang/, /gammal.html]\n")
    assert meta.aliases == ("2017/03/14/aterbesok-i-finspang/", "gammal.html")
    assert ok(config, registry, FULL + "aliases: /2017/03/14/x\n").aliases == ("2017/03/14/x/",)
    assert ok(config, registry, FULL).aliases == ()


def test_bad_aliases_are_reported_at_their_line(english, config, registry):
    front = FULL + "aliases:\n  - /2017/03/14/x/\n  - /?p=12\n  - /2017/03/14/x\n"
    first = FULL.count("\n") + 3  # the list starts on the line after 'aliases:'; the YAML on line 2
    assert bad(config, registry, front) == [
        (f"posts/x.md:{first + 1}: old address '/?p=12' in 'aliases:': a static host cannot redirect an address with "
        "'?' or '#'; see 'Old links' in README.md for ?p=123 links"),
        f"posts/x.md:{first + 2}: old address '/2017/03/14/x' is listed twice in 'aliases:'",
    ]


def test_pages_have_aliases_too(config, registry):
    errors: list[SourceError] = []
    meta = check_page(parse("title: Om bloggen\naliases: [/om/]\n", first_line=2), "pages/om.md", "om", errors)
    assert errors == [] and meta is not None and meta.aliases == ("om/",)


def test_a_draft_may_wait_for_its_place(config, registry):
    meta = ok(config, registry, "title: Konferensen\ndate: 2017-09-19\ndraft: true\n")
    assert meta.municipalities == () and meta.counties == ()
