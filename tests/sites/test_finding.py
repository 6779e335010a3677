"""Finding visits: places that link each other, the map of coverage, breadcrumbs, previews and structured data."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from sitetools import build, hrefs, main_html, main_text, make_site, outline, post_text, run_cli, scan_html

from sitegen.content.registry import load_registry
from sitegen.site.coverage import SHORT_NAMES, TILES

BASE = "https://example.org/aterbesok/"


def href(path: str) -> str:
    return "/aterbesok/" + path


def structured(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]


def meta(html: str, prop: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_every_county_has_one_tile_of_its_own():
    registry = load_registry()
    assert set(TILES) == set(SHORT_NAMES) == {c.code for c in registry.counties}
    assert len(set(TILES.values())) == 21


def test_a_post_has_a_breadcrumb_of_its_places_in_html_and_json_ld(site):
    html = site.page("2017/03/aterbesok-i-finspang/")
    trail = re.search(r'<nav class="breadcrumb" aria-label="Här är du"[^>]*>(.*?)</nav>', html, re.DOTALL).group(1)
    assert [(a.get("href"), label) for a, label in scan_html(trail).anchors] == [
        (href(""), "Start"), (href("lan/ostergotland/"), "Östergötlands län"), (href("kommun/finspang/"), "Finspång")]
    posting, crumbs = structured(html)
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "Start", BASE), (2, "Östergötlands län", BASE + "lan/ostergotland/"), (3, "Finspång", BASE + "kommun/finspang/"),
        (4, "Återbesök i Finspång", BASE + "2017/03/aterbesok-i-finspang/")]
    assert posting["@type"] == "BlogPosting" and posting["headline"] == "Återbesök i Finspång"
    assert posting["datePublished"] == posting["dateModified"] == "2017-03-14T00:00:00+01:00"
    assert posting["author"] == {"@type": "Person", "name": "Redaktionen"}
    assert posting["publisher"]["@type"] == "Organization" and posting["publisher"]["name"]
    assert posting["contentLocation"] == {"@type": "Place", "name": "Finspångs kommun",
                                          "containedInPlace": {"@type": "AdministrativeArea", "name": "Östergötlands län"}}


def test_a_county_wide_post_is_placed_in_its_county(site):
    html = site.page("2013/10/vasterbotten-gor-skillnad-for-placerade-barn/")
    posting, crumbs = structured(html)
    assert posting["contentLocation"] == {"@type": "AdministrativeArea", "name": "Västerbottens län"}
    assert [i["name"] for i in crumbs["itemListElement"]][:2] == ["Start", "Västerbottens län"]


def test_more_visits_in_the_municipality_are_listed_under_a_post_and_omitted_when_there_are_none(site):
    html = site.page("2016/10/boras-onskar-socionomutbildning/")
    block = re.search(r'<section class="related more-in"[^>]*>(.*?)</section>', html, re.DOTALL).group(1)
    assert "Fler besök i Borås" in block
    assert href("2017/02/fokus-pa-medskapande-i-boras/") in hrefs(block) and href("kommun/boras/") in hrefs(block)
    assert "Fler besök i" not in site.page("2017/03/aterbesok-i-finspang/")  # Finspång's only visit


def test_a_municipality_links_its_county_and_the_other_visited_ones_there(site):
    text = main_text(site.page("kommun/boras/"))
    assert "Borås ligger i Västra Götalands län" in " ".join(text.split())
    assert href("lan/vastra-gotaland/") in hrefs(main_html(site.page("kommun/boras/")))
    # Habo (Jönköping) has no other visited municipality in its county: no such sentence
    assert "Andra besökta kommuner" not in site.page("kommun/habo-jonkoping/")


def test_a_county_lists_all_its_municipalities_with_the_visited_ones_linked(site):
    html = site.page("lan/vastra-gotaland/")
    registry = load_registry()
    county = registry.county("Västra Götaland")
    section = re.search(r'<section class="place-links" aria-labelledby="lanets-kommuner">(.*?)</section>', html, re.DOTALL).group(1)
    listed = section.split('<ul class="municipality-list">')[1].split("</ul>")[0]
    items = [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li[^>]*>(.*?)</li>", listed, re.DOTALL)]
    assert len(items) == len(registry.municipalities_in(county)) == 49
    assert "1 av 49 besökta" in section and "Borås 2 besök" in items
    assert [h for h in hrefs(listed) if "/kommun/" in h] == [href("kommun/boras/")]
    tile = re.search(r'<a href="[^"]*" class="tile shade-1 current" aria-label="Västra Götaland: 1 av 49 kommuner besökta" aria-current="page">', html)
    assert tile, "the county's own tile is marked on its map"


def test_the_map_names_every_county_with_its_share_and_links_it(site):
    html = site.page("lan/")
    tiles = re.findall(r'<a href="([^"]*)" class="tile shade-(\d)[^"]*" aria-label="([^"]*)"', html)
    assert len(tiles) == 21
    named = {label: (link, int(shade)) for link, shade, label in tiles}
    assert named["Västra Götaland: 1 av 49 kommuner besökta"] == (href("lan/vastra-gotaland/"), 1)
    assert named["Gotland: 0 av 1 kommun besökt"] == (href("kommun/#lan-09"), 0)  # no page of its own: its list
    assert "ingen kommun besökt" in html and "minst tre fjärdedelar" in html  # the legend says what the shades mean
    for page in ("", "kommun/"):
        assert len(re.findall(r'class="tile shade-', site.page(page))) == 21
    assert 'class="tile' not in site.page("sida/2/")  # the home page's way in is on its first page only


def test_the_municipality_index_lists_the_visited_ones_first_then_all_with_a_filter_box(site):
    html = site.page("kommun/")
    heads = [text for tag, text in outline(html) if tag == "h2"]
    assert heads.index("Besökta kommuner") < heads.index("Alla kommuner")
    visited = html.split('id="besokta"')[1].split('id="alla"')[0]
    # by county in Swedish order, each county's page then its visited municipalities; counties with none are left out
    assert [label for _a, label in scan_html(visited).anchors] == [
        "Jämtlands län", "Östersund", "Jönköpings län", "Habo", "Uppsala län", "Håbo", "Västra Götalands län", "Borås",
        "Östergötlands län", "Finspång"]
    assert re.search(r'<p class="filter-box" hidden data-filter="alla-kommuner">', html)  # shown by the script only
    assert re.search(r'<script src="/aterbesok/assets/filter\.[0-9a-f]+\.js" defer></script>', html)


def test_every_page_has_a_preview_when_shared(site):
    for path in ("", "kommun/", "kommun/boras/", "om-bloggen/", "sok/", "2017/03/aterbesok-i-finspang/"):
        html = site.page(path)
        assert meta(html, "og:title") and meta(html, "og:description") and meta(html, "og:site_name")
        assert meta(html, "og:url") == BASE + path and meta(html, "og:locale") == "sv_SE"
        assert meta(html, "og:type") == ("article" if path.startswith("2017") else "website")
        assert re.fullmatch(r"https://example\.org/aterbesok/assets/dela\.[0-9a-f]+\.png", meta(html, "og:image")), path
        assert meta(html, "twitter:card") == "summary_large_image"
    photo = site.page("2017/02/fokus-pa-medskapande-i-boras/")
    assert meta(photo, "og:image").startswith(BASE + "2017/02/fokus-pa-medskapande-i-boras/")  # its own first photo


def test_a_post_with_three_headings_gets_a_table_of_contents(tmp_path):
    three = "Intro.\n\n## Skolgång\n\nA.\n\n## Samverkan\n\nB.\n\n## Vad händer nu\n\nC.\n"
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", body=three),
                                "b.md": post_text("Två rubriker", "2017-04-01", municipality="Borås", body="## Ett\n\nA.\n\n## Två\n\nB.\n")})
    out = build(root, tmp_path / "out")
    html = (out / "2017/03/ett-besok/index.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="toc" aria-label="Innehåll"[^>]*>(.*?)</nav>', html, re.DOTALL).group(1)
    assert [(a.get("href"), label) for a, label in scan_html(toc).anchors] == [
        ("#skolgang", "Skolgång"), ("#samverkan", "Samverkan"), ("#vad-hander-nu", "Vad händer nu")]
    assert 'class="toc"' not in (out / "2017/04/tva-rubriker/index.html").read_text(encoding="utf-8")


def test_updated_is_shown_and_dates_the_feed_and_the_sitemap(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", updated="2018-05-03")})
    out = build(root, tmp_path / "out")
    html = (out / "2017/03/ett-besok/index.html").read_text(encoding="utf-8")
    assert 'Uppdaterad <time datetime="2018-05-03T00:00:00+02:00">3 maj 2018</time>' in html
    assert structured(html)[0]["dateModified"] == "2018-05-03T00:00:00+02:00"
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.parse(out / "feed.xml").getroot().find(f"{atom}entry")
    assert entry.findtext(f"{atom}published") == "2017-03-14T00:00:00+01:00"
    assert entry.findtext(f"{atom}updated") == "2018-05-03T00:00:00+02:00"
    assert "<lastmod>2018-05-03</lastmod>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_updated_before_the_date_is_an_error(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", updated="2016-01-01")})
    code, _, err = run_cli(["build"], root)
    assert code == 1
    assert err.splitlines()[0] == "posts/a.md:5: 'updated' är före 'date': ett inlägg uppdateras efter att det publicerats"
