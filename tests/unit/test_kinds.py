"""sitegen.kinds: every kind of page and taxonomy is defined once, and every stage knows each of them."""

from __future__ import annotations

from sitetools import REPO

from sitegen.fingerprints import PAGE_FINGERPRINTS
from sitegen.kinds import FEED_KINDS, KINDS, PAGE_KINDS, POST_KINDS, TAXONOMIES, TAXONOMY, PageKind
from sitegen.render.context import CONTEXTS
from sitegen.site.plan import PageJob


def test_every_page_kind_has_its_row_its_context_and_its_fingerprint():
    assert set(PAGE_KINDS) == set(CONTEXTS) == set(PAGE_FINGERPRINTS) == set(PageKind)


def test_every_template_a_kind_names_is_in_the_project():
    named = {info.template for info in PAGE_KINDS.values() if info.template} | {t.section_template for t in TAXONOMIES}
    assert sorted(t for t in named if not (REPO / "templates" / t).is_file()) == []


def test_a_page_goes_to_its_path_unless_its_kind_names_a_file():
    assert PageJob.at("kommun/boras/", PageKind.TERM, ("municipality", "1490")).file == "kommun/boras/index.html"
    assert PageJob.at("", PageKind.NOT_FOUND).file == "404.html"
    assert PageJob.at("kommun/", PageKind.SECTION, ("municipality",)).template == "municipalities.html"
    assert [kind for kind, info in PAGE_KINDS.items() if not info.listed] == [PageKind.NOT_FOUND, PageKind.REDIRECT, PageKind.ANSWER,
                                                                                        PageKind.COMMENTS]
    # an old address in 'aliases:' is a folder, or a file when it names one
    assert PageJob.at("2017/03/14/x/", PageKind.REDIRECT, ("post", "x")).file == "2017/03/14/x/index.html"
    assert PageJob.at("gamla/x.html", PageKind.REDIRECT, ("post", "x")).file == "gamla/x.html"


def test_taxonomies_are_listed_once_and_the_derived_lists_follow_them():
    assert KINDS == ("municipality", "county", "plan_area", "tag", "year")
    assert set(TAXONOMY) == set(KINDS)
    assert POST_KINDS == ("municipality", "county", "plan_area", "tag")
    assert FEED_KINDS == ("municipality", "county", "plan_area", "tag", "year")
    assert PageKind.POST == "post", "templates compare kinds with plain strings"
