"""sitegen.output.links: writers' links and #anchors resolve, pointed at their line; the templates' links too."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sitegen.output.links import Resolver, scan, template_link_problems, written_link_problems

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish

BASE = "https://example.org/aterbesok/"


@dataclass(frozen=True)
class Doc:
    source: str
    url: str
    links: tuple[tuple[str, int], ...]


def page(body: str, ids: str = "") -> str:
    return f'<!DOCTYPE html><html lang="sv"><body><main id="innehall">{ids}{body}</main></body></html>'


def resolver(pages, extra_files=(), base=BASE, unsure=False) -> Resolver:
    return Resolver(base, frozenset(pages) | frozenset(extra_files), lambda f: scan(pages.get(f, ""))[0], unsure)


def written(docs, pages, extra_files=(), base=BASE, unsure=False):
    return [str(e) for e in written_link_problems(docs, resolver(pages, extra_files, base, unsure))]


def from_templates(pages, docs=(), extra_files=(), base=BASE):
    return [str(e) for e in template_link_problems(pages, docs, resolver(pages, extra_files, base))]


SITE = {
    "index.html": page(""),
    "kommun/index.html": page(""),
    "kommun/malmö/index.html": page('<h2 id="besok">b</h2>'),
    "2017/03/x/index.html": page('<h2 id="skolgang">S</h2>'),
}


def test_scan_collects_ids_and_link_targets():
    ids, links = scan(
        '<a id="a" href="/x/">x</a><img src="b.png" alt="b"><link rel="stylesheet" href="s.css">'
        '<script src="j.js"></script><form action="/k/"></form><h2 id="rubrik">R</h2><a name="n">n</a>'
    )
    assert ids == {"a", "rubrik"}
    assert links == ["/x/", "b.png", "s.css", "j.js"]


def test_a_writers_good_links_pass_under_the_base_path():
    doc = Doc("posts/x.md", "2017/03/x/", (("/kommun/", 5), ("/kommun/malmö/#besok", 6), ("#skolgang", 7), ("../../../kommun", 8),
                                           ("https://example.org/aterbesok/kommun/", 9), ("/static/karta.pdf", 10)))
    assert written([doc], SITE, {"static/karta.pdf"}) == []


def test_links_elsewhere_are_not_checked():
    doc = Doc("posts/x.md", "2017/03/x/", (("https://www.digg.se/saknas/", 5), ("mailto:a@b.se", 6), ("tel:+4610", 7),
                                           ("http://other.example/aterbesok/x/", 8), ("//cdn.example/x.js", 9)))
    assert written([doc], SITE) == []


def test_a_missing_page_is_reported_at_its_line_as_written_with_a_guess():
    doc = Doc("posts/x.md", "2017/03/x/", (("/kommun/malmo/", 9), ("/kommun/saknas-helt/", 10)))
    assert written([doc], SITE) == [
        "posts/x.md:9: broken link '/kommun/malmo/': there is no page or file /kommun/malmo/; did you mean /kommun/malmö/?",
        ("posts/x.md:10: broken link '/kommun/saknas-helt/': there is no page or file /kommun/saknas-helt/; check the address, "
        "or put the file in static/ and link it as '/name'"),
    ]


def test_a_missing_anchor_names_the_page_and_the_nearest_heading():
    doc = Doc("posts/x.md", "2017/03/x/", (("#skolgng", 4), ("/kommun/#finns-inte", 5)))
    assert written([doc], SITE) == [
        "posts/x.md:4: broken link '#skolgng': /2017/03/x/ has no heading or anchor '#skolgng'; did you mean '#skolgang'?",
        ("posts/x.md:5: broken link '/kommun/#finns-inte': /kommun/ has no heading or anchor '#finns-inte'; a heading's anchor is "
        "its text in small letters without accents, '-' for spaces: '## Skolgång i Borås' is '#skolgang-i-boras'"),
    ]


def test_a_missing_file_linked_by_name_says_where_to_put_it():
    bundle = Doc("posts/2017-09-kiruna/index.md", "2017/09/kiruna/", (("rapport.pdf", 12),))
    single = Doc("posts/2017-03-x.md", "2017/03/x/", (("rapport.pdf#sida=2", 8),))
    assert written([single, bundle], SITE)[::-1] == [  # sorted by file: 2017-03 before 2017-09
        ("posts/2017-09-kiruna/index.md:12: the file 'rapport.pdf' is not beside posts/2017-09-kiruna/index.md: "
        "put it in posts/2017-09-kiruna/"),
        ("posts/2017-03-x.md:8: the file 'rapport.pdf' is not beside posts/2017-03-x.md: a post's own files go beside it in a "
        "folder; move posts/2017-03-x.md to posts/2017-03-x/index.md and put rapport.pdf beside it"),
    ]


def test_an_absolute_link_outside_the_base_path():
    doc = Doc("pages/om.md", "om/", (("https://example.org/kommun/", 3),))
    assert written([doc], SITE) == [
        ("pages/om.md:3: link 'https://example.org/kommun/' points outside the site's base path /aterbesok/; links to this "
        "site's pages start with '/', e.g. '/kommun/'")
    ]


def test_when_some_sources_had_errors_a_missing_page_may_be_theirs():
    doc = Doc("posts/x.md", "2017/03/x/", (("/2017/04/trasig/", 9),))
    assert written([doc], SITE, unsure=True) == [
        "posts/x.md:9: broken link '/2017/04/trasig/': there is no page /2017/04/trasig/, or it is made by a file with an error above"
    ]


def test_percent_encoded_and_site_at_the_root():
    doc = Doc("posts/x.md", "2017/03/x/", (("/kommun/malm%C3%B6/", 2), ("/saknas/", 3)))
    pages = {f: html for f, html in SITE.items()}
    assert written([doc], pages, base="https://aterbesok.example.org/") == [
        ("posts/x.md:3: broken link '/saknas/': there is no page or file /saknas/; check the address, or put the file in static/ "
        "and link it as '/name'")
    ]


def test_broken_template_links_are_grouped_by_problem():
    pages = {
        "index.html": page('<a href="/aterbesok/saknas/">x</a>'),
        "a/index.html": page('<a href="/aterbesok/saknas/">x</a> <a href="#innehall">top</a>'),
        "b/index.html": page('<a href="/aterbesok/saknas/">x</a> <a href="/aterbesok/a/#nej">n</a>'),
    }
    assert from_templates(pages) == [
        ("templates: broken link '/aterbesok/saknas/': there is no page or file /saknas/; check the address, or put the file in "
        "static/ and link it as '/name', on /a/ and 2 more pages"),
        ("templates: broken link '/aterbesok/a/#nej': /a/ has no heading or anchor '#nej'; a heading's anchor is its text in small "
        "letters without accents, '-' for spaces: '## Skolgång i Borås' is '#skolgang-i-boras', on /b/"),
    ]


def test_template_check_leaves_writers_links_to_the_written_check():
    # the writer linked '/saknas/' (rendered under the base path); the broken '/aterbesok/fel/' is the template's
    pages = {"2017/03/x/index.html": page('<a href="/aterbesok/saknas/">s</a> <a href="/aterbesok/fel/">f</a>'), "index.html": page("")}
    doc = Doc("posts/x.md", "2017/03/x/", (("/saknas/", 3),))
    assert from_templates(pages, [doc]) == [
        ("templates: broken link '/aterbesok/fel/': there is no page or file /fel/; check the address, or put the file in static/ "
        "and link it as '/name', on /2017/03/x/")
    ]


def test_a_template_link_outside_the_base_path():
    assert from_templates({"index.html": page('<a href="/kommun/">K</a>')}) == [
        ("templates: link '/kommun/' points outside the site's base path /aterbesok/; links to this site's pages start with '/', "
        "e.g. '/kommun/', on /")
    ]


def test_a_missing_anchor_in_a_file_beside_the_post_is_not_called_a_missing_file():
    pages = {**SITE, "2017/09/kiruna/bilaga.html": page('<h2 id="del-1">1</h2>')}
    bundle = Doc("posts/2017-09-kiruna/index.md", "2017/09/kiruna/", (("bilaga.html#del-2", 4),))
    assert written([bundle], pages) == [
        ("posts/2017-09-kiruna/index.md:4: broken link 'bilaga.html#del-2': /2017/09/kiruna/bilaga.html has no heading or anchor "
        "'#del-2'; did you mean '#del-1'?")]
