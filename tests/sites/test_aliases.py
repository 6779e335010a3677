"""Old addresses in 'aliases:': a redirect page at each, the same as real 301s in _redirects, and collisions as errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sitetools import build, html_files, post_text, run_cli, scan_html, tags

OLD = "/2017/03/14/aterbesok-i-finspang/"


def alias_site(make_site, base_url: str | None = None, **more):
    posts = {
        "2017-03-14-finspang.md": post_text("Återbesök i Finspång", municipality="Finspång",
                                            aliases=[OLD, '"/2017/03/14/%c3%a5terbes%c3%b6k-i-finsp%c3%a5ng/"', "/gamla/finspang.html"]),
        "2016-10-11-boras.md": post_text("Borås önskar socionomutbildning", "2016-10-11", municipality="Borås"),
        **more,
    }
    pages = {"om.md": "---\ntitle: Om bloggen\naliases: [/om-oss/]\n---\n\nOm bloggen.\n"}
    return make_site(posts, {"base_url": base_url} if base_url else None, pages=pages)


def test_each_old_address_gets_a_page_that_sends_readers_on(make_site, tmp_path):
    out = build(alias_site(make_site), tmp_path / "out")
    new = "/2017/03/aterbesok-i-finspang/"
    for file in ("2017/03/14/aterbesok-i-finspang/index.html", "2017/03/14/återbesök-i-finspång/index.html", "gamla/finspang.html"):
        html = (out / file).read_text(encoding="utf-8")
        head = tags(html)
        assert ("meta", {"http-equiv": "refresh", "content": f"0; url={new}"}) in head
        assert ("link", {"rel": "canonical", "href": f"https://aterbesok.example.org{new}"}) in head
        assert ("meta", {"name": "robots", "content": "noindex"}) in head
        assert any(t == "meta" and a.get("http-equiv") == "Content-Security-Policy" for t, a in head)
        assert f'<a href="{new}">Återbesök i Finspång</a>' in html  # a visible link, for readers whose browser does not refresh
        assert "<script" not in html
    page = (out / "om-oss/index.html").read_text(encoding="utf-8")
    assert "0; url=/om/" in page


def test_redirects_file_lists_every_old_address_as_a_forced_301(make_site, tmp_path):
    out = build(alias_site(make_site), tmp_path / "out")
    assert (out / "_redirects").read_text(encoding="utf-8").splitlines()[1:] == [
        "/2017/03/14/aterbesok-i-finspang/ /2017/03/aterbesok-i-finspang/ 301!",
        "/2017/03/14/%C3%A5terbes%C3%B6k-i-finsp%C3%A5ng/ /2017/03/aterbesok-i-finspang/ 301!",
        "/gamla/finspang.html /2017/03/aterbesok-i-finspang/ 301!",
        "/om-oss/ /om/ 301!",
    ]


def test_under_a_sub_path_both_sides_follow_it(make_site, tmp_path):
    out = build(alias_site(make_site, "https://example.org/aterbesok/"), tmp_path / "out")
    assert "/aterbesok/2017/03/14/aterbesok-i-finspang/ /aterbesok/2017/03/aterbesok-i-finspang/ 301!" in (out / "_redirects").read_text()
    html = (out / "2017/03/14/aterbesok-i-finspang/index.html").read_text(encoding="utf-8")
    assert "0; url=/aterbesok/2017/03/aterbesok-i-finspang/" in html


def test_old_addresses_are_not_in_the_sitemap_the_search_or_the_lists(make_site, tmp_path):
    out = build(alias_site(make_site), tmp_path / "out")
    locs = [e.text for e in ET.parse(out / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and not any("/2017/03/14/" in loc or "gamla" in loc or "om-oss" in loc for loc in locs)
    home = scan_html((out / "index.html").read_bytes())
    assert OLD not in home.links
    redirect_pages = [f for f in html_files(out) if "2017/03/14/" in f]
    assert all("data-pagefind-body" not in (out / f).read_text(encoding="utf-8") for f in redirect_pages)


def test_an_old_address_taken_by_another_page_or_alias_is_an_error_naming_both(english, make_site, tmp_path):
    root = alias_site(make_site, None, **{
        "2017-08-29-ostersund.md": post_text("Östersund", "2017-08-29", municipality="Östersund", aliases=[OLD, "/kommun/", "/feed.xml/"]),
    })
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 1
    assert err.splitlines() == [
        ("posts/2017-08-29-ostersund.md: old address /kommun/ in 'aliases:' is the address of the page Kommuner; "
        "remove it from 'aliases:'"),
        ("posts/2017-03-14-finspang.md: old address /2017/03/14/aterbesok-i-finspang/ in 'aliases:' is also in the 'aliases:' "
        "of posts/2017-08-29-ostersund.md; keep it in one of them"),
        ("posts/2017-08-29-ostersund.md: old address /feed.xml/ in 'aliases:' is inside /feed.xml, a file sitegen makes; "
        "remove it from 'aliases:'"),
        "3 problems found; nothing was written.",
    ]
    assert not (tmp_path / "out").exists()


def test_an_old_address_that_is_the_post_itself_is_an_error(english, make_site, tmp_path):
    root = make_site({"2017-03-14-finspang.md": post_text("Finspång", municipality="Finspång", aliases=["/2017/03/finspang"])})
    code, _, err = run_cli(["check"], root)
    assert code == 1
    assert err.splitlines()[0] == ("posts/2017-03-14-finspang.md: old address /2017/03/finspang/ in 'aliases:' is this file's own "
                                   "address; remove it from 'aliases:'")


def test_an_old_address_at_a_file_the_site_makes_is_an_error(english, make_site, tmp_path):
    root = make_site({"2017-03-14-finspang.md": post_text("Finspång", municipality="Finspång", aliases=["/sitemap.xml/"])})
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 1
    assert err.splitlines()[0] == "/sitemap.xml: sitegen makes both a file and a folder of this name; look for it in 'aliases:' and in static/"
