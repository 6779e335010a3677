"""Small sites at the edges: no posts at all, titles with markup characters, slug-alike tags."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from sitetools import build, html_files, main_text, make_site, outline, post_text

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_site_without_posts_builds(tmp_path):
    out = build(make_site(tmp_path, {}), tmp_path / "out")
    assert "index.html" in html_files(out)
    assert not (out / "sida").exists()
    kommun = main_text((out / "kommun/index.html").read_bytes())
    assert "0 av 290" in kommun
    root = ET.fromstring((out / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.findall(f"{ATOM}entry") == []
    assert json.loads((out / "besok.json").read_text(encoding="utf-8"))["besok"] == []


def test_titles_with_markup_characters_are_text(tmp_path):
    title = "Barn & unga <först> i Borås"
    root = make_site(tmp_path, {"a.md": post_text(f"'{title}'", municipality="Borås", summary="'\"Citat\" & mer'")})
    out = build(root, tmp_path / "out")
    page = (out / "2017/03/barn-unga-forst-i-boras/index.html").read_bytes()
    assert [t for tag, t in outline(page) if tag == "h1"] == [title]
    assert b"<f\xc3\xb6rst>" not in page  # never raw markup
    entry = ET.fromstring((out / "feed.xml").read_bytes()).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == title
    assert entry.findtext(f"{ATOM}summary") == '"Citat" & mer'


def test_tags_that_slug_alike_share_one_page(tmp_path):
    posts = {
        "a.md": post_text("Först", "2015-01-01", municipality="Borås", tags=["skolfrånvaro"]),
        "b.md": post_text("Sedan", "2017-01-01", municipality="Malmö", tags=["Skolfranvaro"]),
    }
    out = build(make_site(tmp_path, posts), tmp_path / "out")
    assert sorted(p.name for p in (out / "tagg").iterdir() if p.is_dir()) == ["skolfranvaro"]
    text = main_text((out / "tagg/skolfranvaro/index.html").read_bytes())
    assert "Först" in text and "Sedan" in text
