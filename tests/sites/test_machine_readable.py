"""Atom feeds, the sitemap and the open data of the fixture site."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from sitetools import html_files

from .conftest import POST_PATHS

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/aterbesok/"

# feed -> the posts in it, newest first
FEEDS = {
    "feed.xml": POST_PATHS,
    "kommun/boras/feed.xml": ["2017/02/fokus-pa-medskapande-i-boras/", "2016/10/boras-onskar-socionomutbildning/"],
    "kommun/finspang/feed.xml": ["2017/03/aterbesok-i-finspang/"],
    "kommun/ostersund/feed.xml": ["2017/08/tillitsbaserad-styrning-i-ostersund/"],
    "kommun/habo-jonkoping/feed.xml": ["2017/09/habo-och-habo/"],
    "kommun/habo-uppsala/feed.xml": ["2017/09/habo-och-habo/"],
    "lan/vasterbotten/feed.xml": ["2013/10/vasterbotten-gor-skillnad-for-placerade-barn/"],
    "lan/vastra-gotaland/feed.xml": ["2017/02/fokus-pa-medskapande-i-boras/", "2016/10/boras-onskar-socionomutbildning/"],
    "lan/ostergotland/feed.xml": ["2017/03/aterbesok-i-finspang/"],
    "lan/jamtland/feed.xml": ["2017/08/tillitsbaserad-styrning-i-ostersund/"],
    "lan/jonkoping/feed.xml": ["2017/09/habo-och-habo/"],
    "lan/uppsala/feed.xml": ["2017/09/habo-och-habo/"],
    "tema/helhetssyn/feed.xml": [
        "2017/09/habo-och-habo/",
        "2017/08/tillitsbaserad-styrning-i-ostersund/",
        "2013/10/vasterbotten-gor-skillnad-for-placerade-barn/",
    ],
    "tema/forutsattningar/feed.xml": ["2016/10/boras-onskar-socionomutbildning/"],
    "tema/medskapande/feed.xml": ["2017/02/fokus-pa-medskapande-i-boras/"],
    "tema/samverkan/feed.xml": ["2017/03/aterbesok-i-finspang/", "2017/02/fokus-pa-medskapande-i-boras/"],
    "tema/barns-skolgang/feed.xml": ["2017/03/aterbesok-i-finspang/"],
    "tagg/ivo/feed.xml": ["2017/03/aterbesok-i-finspang/"],
    "tagg/rekrytering/feed.xml": ["2016/10/boras-onskar-socionomutbildning/"],
    "tagg/sisam/feed.xml": ["2017/03/aterbesok-i-finspang/", "2017/02/fokus-pa-medskapande-i-boras/"],
    "tagg/skolfam/feed.xml": ["2017/09/habo-och-habo/", "2016/10/boras-onskar-socionomutbildning/",
                              "2013/10/vasterbotten-gor-skillnad-for-placerade-barn/"],
    "arkiv/2013/feed.xml": ["2013/10/vasterbotten-gor-skillnad-for-placerade-barn/"],
    "arkiv/2016/feed.xml": ["2016/10/boras-onskar-socionomutbildning/"],
    "arkiv/2017/feed.xml": ["2017/09/habo-och-habo/", "2017/08/tillitsbaserad-styrning-i-ostersund/",
                            "2017/03/aterbesok-i-finspang/", "2017/02/fokus-pa-medskapande-i-boras/"],
}


def test_exactly_the_expected_feeds(site):
    found = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*.xml")} - {"sitemap.xml"}
    assert found == set(FEEDS)


@pytest.mark.parametrize("feed", sorted(FEEDS))
def test_feed_is_atom_with_absolute_ids(site, feed):
    root = ET.fromstring((site.out / feed).read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text
    assert root.find(f"{ATOM}id").text == BASE + feed
    assert root.find(f"{ATOM}updated").text
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == BASE + feed
    assert links["alternate"] == BASE + feed.removesuffix("feed.xml")
    # a feed without authors on each entry needs one of its own
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [BASE + p for p in FEEDS[feed]]
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}link").get("href") == entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}content").get("type") == "html"
    # the feed's update time is its newest entry's
    if entries:
        assert root.find(f"{ATOM}updated").text == max(e.find(f"{ATOM}updated").text for e in entries)


def test_feed_entry_content_and_dates(site):
    root = ET.fromstring((site.out / "kommun/boras/feed.xml").read_bytes())
    entry = root.findall(f"{ATOM}entry")[1]
    assert entry.find(f"{ATOM}title").text == "Borås önskar socionomutbildning"
    assert entry.find(f"{ATOM}published").text.startswith("2016-10-11T14:30:00+02:00")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Anna Andersson"
    assert "socionomutbildning" in entry.find(f"{ATOM}content").text
    labels = {c.get("label") for c in entry.findall(f"{ATOM}category")}
    assert {"Borås", "Förutsättningar", "SkolFam"} <= labels


def test_feed_entries_limited_to_feed_entries(tmp_path):
    from sitetools import build, make_site, post_text

    posts = {f"p{i}.md": post_text(f"Besök {i}", f"2017-01-{i + 1:02d}", municipality="Borås") for i in range(4)}
    root = make_site(tmp_path, posts, {"feed_entries": 3})
    out = build(root, tmp_path / "out")
    entries = ET.fromstring((out / "feed.xml").read_bytes()).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Besök 3", "Besök 2", "Besök 1"]


def test_sitemap_lists_every_html_page(site):
    root = ET.fromstring((site.out / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    pages = {
        BASE + f.removesuffix("index.html")
        for f in html_files(site.out)
        if f.endswith("index.html") and not f.startswith("pagefind/")
    }
    assert set(locs) == pages
    lastmod = {u.find(f"{SITEMAP}loc").text: u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    assert lastmod[BASE + "2017/03/aterbesok-i-finspang/"] == "2017-03-14"


def test_open_data_json(site):
    data = json.loads(site.read("besok.json"))
    visits = data["besok"]
    assert [v["url"] for v in visits] == [BASE + p for p in POST_PATHS]
    habo = visits[0]
    assert habo["titel"] == "Habo och Håbo"
    assert habo["datum"] == "2017-09-05"
    assert habo["kommuner"] == [{"namn": "Habo", "kod": "0643"}, {"namn": "Håbo", "kod": "0305"}]
    assert [c["namn"] for c in habo["lan"]] == ["Jönköpings län", "Uppsala län"]
    assert habo["teman"] == ["Helhetssyn"]
    assert habo["taggar"] == ["SkolFam"]
    county_only = visits[-1]
    assert county_only["kommuner"] == []
    assert county_only["lan"] == [{"namn": "Västerbottens län", "kod": "24"}]


def test_open_data_csv(site):
    raw = (site.out / "besok.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read å, ä and ö
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["url"] for r in rows] == [BASE + p for p in POST_PATHS]
    finspang = rows[2]
    assert finspang["titel"] == "Återbesök i Finspång"
    assert finspang["datum"] == "2017-03-14"
    assert finspang["kommuner"] == "Finspång"
    assert finspang["kommunkoder"] == "0562"
    assert finspang["lan"] == "Östergötlands län"
    assert finspang["teman"] == "Samverkan; Barns skolgång"
    assert finspang["taggar"] == "SiSam; IVO"


def test_every_feed_says_who_publishes_it_and_under_which_licence(site):
    for feed in FEEDS:
        rights = ET.fromstring((site.out / feed).read_bytes()).find(f"{ATOM}rights").text
        assert rights == "Samordningsgruppen för återbesök. CC BY 4.0: https://creativecommons.org/licenses/by/4.0/deed.sv", feed


def test_open_data_carries_the_publisher_and_the_licence(site):
    data = json.loads((site.out / "besok.json").read_text(encoding="utf-8"))
    assert data["utgivare"] == "Samordningsgruppen för återbesök"
    assert data["license"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/deed.sv"}
