"""sitegen.output.links: every internal link and #anchor resolves; writers' mistakes point at their line."""

from __future__ import annotations

from sitegen.output.links import check_links, scan

BASE = "https://example.org/aterbesok/"


def page(body: str, ids: str = "") -> str:
    return f'<!DOCTYPE html><html lang="sv"><body><main id="innehall">{ids}{body}</main></body></html>'


def problems(pages, extra_files=(), owners=None, base=BASE):
    files = set(pages) | set(extra_files)
    return [str(e) for e in check_links(pages, files, base, owners or {})]


def test_scan_collects_ids_and_link_targets():
    ids, links = scan(
        '<a id="a" href="/x/">x</a><img src="b.png" alt="b"><link rel="stylesheet" href="s.css">'
        '<script src="j.js"></script><form action="/k/"></form><h2 id="rubrik">R</h2><a name="n">n</a>'
    )
    assert ids == {"a", "rubrik"}
    assert links == ["/x/", "b.png", "s.css", "j.js"]


def test_good_links_under_the_base_path():
    pages = {
        "index.html": page('<a href="/aterbesok/kommun/">K</a> <a href="kommun/boras/">B</a> <a href="#innehall">top</a>'),
        "kommun/index.html": page('<a href="boras/">B</a> <a href="../">hem</a> <a href="/aterbesok/kommun/boras/#besok">x</a>'),
        "kommun/boras/index.html": page('<a href="/aterbesok/static/style.css">css</a>', ids='<h2 id="besok">b</h2>'),
        "404.html": page('<a href="/aterbesok/">hem</a>'),
    }
    assert problems(pages, {"static/style.css"}) == []


def test_page_without_trailing_slash_resolves():
    pages = {"index.html": page('<a href="/aterbesok/kommun">K</a>'), "kommun/index.html": page("")}
    assert problems(pages) == []


def test_external_and_other_scheme_links_are_not_checked():
    pages = {
        "index.html": page(
            '<a href="https://www.digg.se/">d</a> <a href="mailto:a@b.se">m</a> <a href="http://other.example/aterbesok/x/">o</a>'
        )
    }
    assert problems(pages) == []


def test_broken_template_links_are_grouped_by_problem():
    pages = {
        "index.html": page('<a href="/aterbesok/saknas/">x</a>'),
        "a/index.html": page('<a href="/aterbesok/saknas/">x</a>'),
        "b/index.html": page('<a href="/aterbesok/saknas/">x</a>'),
    }
    assert problems(pages) == [
        "templates: broken link '/aterbesok/saknas/': no page at /saknas/, on /a/index.html and 2 more pages"
    ]


def test_missing_anchor():
    pages = {"index.html": page('<a href="/aterbesok/kommun/#finns-inte">x</a>'), "kommun/index.html": page("")}
    assert problems(pages) == [
        "templates: broken link '/aterbesok/kommun/#finns-inte': no id 'finns-inte' on /kommun/, on /index.html"
    ]


def test_same_page_anchor():
    assert problems({"index.html": page('<a href="#innehall">a</a> <a href="#saknas">b</a>')}) == [
        "templates: broken link '#saknas': no id 'saknas' on /, on /index.html"
    ]


def test_link_outside_the_base_path():
    assert problems({"index.html": page('<a href="/kommun/">K</a>')}) == [
        "templates: link '/kommun/' points outside the site's base path /aterbesok/, on /index.html"
    ]


def test_writers_broken_link_is_reported_at_its_line_in_the_post():
    pages = {
        "2017/03/x/index.html": page(
            '<a href="/aterbesok/kommun/saknas/">x</a> <a href="#rubrik">y</a> <a href="/aterbesok/">h</a>'
        ),
        "index.html": page(""),
    }
    owners = {"2017/03/x/index.html": ("posts/x.md", (("/kommun/saknas/", 9), ("#rubrik", 12), ("/", 3)))}
    assert problems(pages, owners=owners) == [
        "posts/x.md:9: broken link '/aterbesok/kommun/saknas/': no page at /kommun/saknas/",
        "posts/x.md:12: broken link '#rubrik': no id 'rubrik' on /2017/03/x/",
    ]


def test_a_template_link_is_not_blamed_on_a_writers_link_to_the_home_page():
    # the writer linked "/"; the broken '/aterbesok/saknas/' comes from a template
    pages = {
        "2017/03/x/index.html": page('<a href="/aterbesok/">h</a> <a href="/aterbesok/saknas/">s</a>'),
        "index.html": page(""),
    }
    owners = {"2017/03/x/index.html": ("posts/x.md", (("/", 3),))}
    assert problems(pages, owners=owners) == [
        "templates: broken link '/aterbesok/saknas/': no page at /saknas/, on /2017/03/x/index.html"
    ]


def test_percent_encoded_paths():
    pages = {"index.html": page('<a href="/aterbesok/kommun/%C3%A5re/">x</a>'), "kommun/åre/index.html": page("")}
    assert problems(pages) == []


def test_site_at_the_root():
    pages = {"index.html": page('<a href="/kommun/">K</a> <a href="/saknas/">S</a>'), "kommun/index.html": page("")}
    assert problems(pages, base="https://aterbesok.example.org/") == [
        "templates: broken link '/saknas/': no page at /saknas/, on /index.html"
    ]
