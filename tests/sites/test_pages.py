"""Every kind of page of the fixture site, with what the spec says it shows."""

from __future__ import annotations

import re

from imagetools import metadata_left
from sitetools import SUB_PATH_URL, hrefs, html_files, main_html, main_text, outline, scan_html, tags

from sitegen.content.registry import load_registry
from sitegen.site.collate import sort_key

from .conftest import DRAFT_PATH, PER_PAGE, POST_PATHS

BASE_PATH = "/aterbesok/"

TITLES = {
    "2017/09/habo-och-habo/": "Habo och Håbo",
    "2017/08/tillitsbaserad-styrning-i-ostersund/": "Tillitsbaserad styrning i Östersund",
    "2017/03/aterbesok-i-finspang/": "Återbesök i Finspång",
    "2017/02/fokus-pa-medskapande-i-boras/": "Fokus på medskapande i Borås",
    "2016/10/boras-onskar-socionomutbildning/": "Borås önskar socionomutbildning",
    "2013/10/vasterbotten-gor-skillnad-for-placerade-barn/": "Västerbotten gör skillnad för placerade barn",
}

EXPECTED_PAGES = {
    "",
    "sida/2/",
    "sida/3/",
    *POST_PATHS,
    "om-bloggen/",
    "sok/",
    "prenumerera/",
    "kommun/",
    "kommun/boras/",
    "kommun/finspang/",
    "kommun/ostersund/",
    "kommun/habo-jonkoping/",
    "kommun/habo-uppsala/",
    "lan/",
    "lan/vasterbotten/",
    "lan/vastra-gotaland/",
    "lan/ostergotland/",
    "lan/jamtland/",
    "lan/jonkoping/",
    "lan/uppsala/",
    "tema/",
    "tema/helhetssyn/",
    "tema/helhetssyn/sida/2/",  # three posts, two a page
    "tema/forutsattningar/",
    "tema/medskapande/",
    "tema/samverkan/",
    "tema/barns-skolgang/",
    "tagg/",
    "tagg/skolfam/",
    "tagg/skolfam/sida/2/",
    "tagg/sisam/",
    "tagg/ivo/",
    "tagg/rekrytering/",
    "arkiv/",
    "arkiv/2017/",
    "arkiv/2017/sida/2/",
    "arkiv/2016/",
    "arkiv/2013/",
}


def href(path: str) -> str:
    return BASE_PATH + path


def post_links(html: str) -> list[str]:
    """Site paths of the posts a page links to from its <main>, in order, each once."""
    targets = {href(p): p for p in TITLES}
    return list(dict.fromkeys(targets[h] for h in hrefs(main_html(html)) if h in targets))


def test_every_page_kind_and_nothing_else(site):
    pages = {f.removesuffix("index.html") for f in html_files(site.out)
             if f not in ("404.html", "kommentar-svar.html") and not f.startswith("pagefind/")}
    assert pages == EXPECTED_PAGES
    for extra in ("404.html", "feed.xml", "sitemap.xml", "robots.txt", "besok.json", "besok.csv"):
        assert (site.out / extra).is_file(), extra
    assert len(list((site.out / "assets").glob("style.*.css"))) == 1


def test_home_pages_list_posts_newest_first_per_page(site):
    listed = [post_links(site.page(p)) for p in ("", "sida/2/", "sida/3/")]
    assert all(len(chunk) == PER_PAGE for chunk in listed)
    assert [p for chunk in listed for p in chunk] == POST_PATHS
    labels = {a.get("href"): text for a, text in scan_html(main_html(site.page(""))).anchors}
    assert labels[href(POST_PATHS[0])] == TITLES[POST_PATHS[0]]


def test_home_pagination_links(site):
    first, second, last = (hrefs(main_html(site.page(p))) for p in ("", "sida/2/", "sida/3/"))
    assert href("sida/2/") in first and href("sida/3/") in first
    assert href("") in second and href("sida/3/") in second
    assert href("sida/2/") in last
    assert not (site.out / "sida/4/index.html").exists()
    assert not (site.out / "sida/1/index.html").exists()


def test_list_item_shows_title_date_places_and_summary(site):
    text = main_text(site.page("sida/2/"))
    assert "Återbesök i Finspång" in text
    assert "14 mars 2017" in text
    assert "Finspång" in text
    assert "Samverkan som inte hänger på enskilda personer." in text  # front-matter summary
    assert "Barn och unga är med och formar stödet." in text  # first paragraph as summary


def test_post_page_title_swedish_date_author_and_terms(site):
    html = site.page("2016/10/boras-onskar-socionomutbildning/")
    h1 = [t for tag, t in outline(html) if tag == "h1"]
    assert h1 == ["Borås önskar socionomutbildning"]
    text = main_text(html)
    assert "11 oktober 2016" in text
    assert "kl. 14:30" in text
    assert "Anna Andersson" in text
    links: dict[str, set[str]] = {}
    for a, label in scan_html(main_html(html)).anchors:
        links.setdefault(a.get("href"), set()).add(label)
    assert "Borås" in links[href("kommun/boras/")]
    assert "Västra Götalands län" in links[href("lan/vastra-gotaland/")]
    assert links[href("tema/forutsattningar/")] == {"Förutsättningar"}
    assert links[href("tagg/skolfam/")] == {"SkolFam"}  # the oldest post's spelling
    assert links[href("tagg/rekrytering/")] == {"Rekrytering"}


def test_post_dates_in_swedish(site):
    expected = {
        "2013/10/vasterbotten-gor-skillnad-for-placerade-barn/": "16 oktober 2013",
        "2017/02/fokus-pa-medskapande-i-boras/": "14 februari 2017",
        "2017/03/aterbesok-i-finspang/": "14 mars 2017",
        "2017/08/tillitsbaserad-styrning-i-ostersund/": "29 augusti 2017",
    }
    for path, day in expected.items():
        text = main_text(site.page(path))
        assert day in text, path
        assert " kl. " not in text.split(day, 1)[1][:5], "a post without a time shows no time"


def test_post_default_author(site):
    assert "Redaktionen" in main_text(site.page("2017/03/aterbesok-i-finspang/"))


def test_county_only_post_links_its_county(site):
    links = hrefs(main_html(site.page("2013/10/vasterbotten-gor-skillnad-for-placerade-barn/")))
    assert href("lan/vasterbotten/") in links
    assert not any(h.startswith(href("kommun/")) and h != href("kommun/boras/") for h in links)


def test_post_body_features(site):
    html = site.page("2013/10/vasterbotten-gor-skillnad-for-placerade-barn/")
    body = main_html(html)
    assert "<table>" in body
    assert "<s>gamla</s>" in body
    assert 'id="bakgrund"' in body
    assert "Enligt länsstyrelsen." in body
    # a site-absolute link written in the post goes under the base path
    assert href("kommun/boras/") in hrefs(body)


def test_prev_and_next(site):
    for i, path in enumerate(POST_PATHS):
        scanned = scan_html(site.page(path))
        rels = {}
        for a, _ in scanned.anchors:
            for rel in (a.get("rel") or "").split():
                rels.setdefault(rel, a.get("href"))
        newer = POST_PATHS[i - 1] if i > 0 else None
        older = POST_PATHS[i + 1] if i + 1 < len(POST_PATHS) else None
        assert rels.get("next") == (href(newer) if newer else None), path
        assert rels.get("prev") == (href(older) if older else None), path


def test_related_visits_never_the_post_itself(site):
    html = site.page("2017/02/fokus-pa-medskapande-i-boras/")
    body = main_html(html)
    start = body.index('id="relaterade"')
    section = body[start : body.index("</section>", start)]
    related = hrefs(section)
    assert related, "a Borås post has related visits (the other Borås post)"
    assert href("2017/02/fokus-pa-medskapande-i-boras/") not in related
    assert related[0] == href("2016/10/boras-onskar-socionomutbildning/")  # same municipality ranks first


def test_folder_post_image_is_published_beside_it_in_each_width_without_metadata(site):
    path = "2017/02/fokus-pa-medskapande-i-boras/"
    made = sorted(p.name for p in (site.out / path).iterdir() if p.name != "index.html")
    assert made == ["karta-480.png", "karta-480.webp", "karta-960.png", "karta-960.webp", "karta.png", "karta.webp"]
    assert metadata_left((site.root / "posts/2017-02-14-boras/karta.png").read_bytes())
    assert all(metadata_left((site.out / path / name).read_bytes()) == [] for name in made)
    images = [a for tag, a in tags(main_html(site.page(path))) if tag == "img"]
    folder = href(path)
    assert [(i.get("src"), i.get("alt"), i.get("width"), i.get("height"), i.get("loading")) for i in images] == [
        (f"{folder}karta.png", "Karta över Borås med träffpunkterna", "1000", "750", "lazy")]
    assert images[0]["srcset"] == f"{folder}karta-480.png 480w, {folder}karta-960.png 960w, {folder}karta.png 1000w"
    figure = main_html(site.page(path))
    assert "<figcaption>Träffpunkterna i Borås</figcaption>" in figure


def test_a_post_with_an_image_is_previewed_with_it(site):
    html = site.page("2017/02/fokus-pa-medskapande-i-boras/")
    assert f'<meta property="og:image" content="{SUB_PATH_URL}2017/02/fokus-pa-medskapande-i-boras/karta.png">' in html
    assert '<meta property="og:image:width" content="1000">' in html
    assert '<meta property="og:image:alt" content="Karta över Borås med träffpunkterna">' in html
    # a post without a photo is shared with the site's picture (config.yaml's share_image)
    plain = site.page("2017/03/aterbesok-i-finspang/")
    assert re.search(r'<meta property="og:image" content="https://example.org/aterbesok/assets/dela\.[0-9a-f]+\.png">', plain)


def test_duplicate_headings_get_distinct_ids(site):
    ids = scan_html(site.page("2017/03/aterbesok-i-finspang/")).ids
    assert "samverkan" in ids
    assert len(ids) == len(set(ids))


def test_municipality_index_lists_all_290_grouped_by_county(site):
    registry = load_registry()
    items = outline(site.page("kommun/"))
    groups: dict[str, list[str]] = {}
    current = None
    whole = False  # the full list follows the visited ones, under "Alla kommuner"
    for tag, text in items:
        if tag == "h2":
            whole = text == "Alla kommuner"
        elif tag == "h3" and whole:
            current = text
            groups[current] = []
        elif tag == "li" and current is not None:
            groups[current].append(text)
    assert len(groups) == 21
    assert sum(len(v) for v in groups.values()) == 290
    headings = list(groups)
    assert [h.split(" (")[0] for h in headings] == [
        c.official_name for c in sorted(registry.counties, key=lambda c: sort_key(c.name))
    ]
    for county in registry.counties:
        (heading,) = [h for h in headings if h.startswith(county.official_name)]
        names = sorted((m.name for m in registry.municipalities_in(county)), key=sort_key)
        listed = groups[heading]
        assert len(listed) == len(names), county.name
        for item, name in zip(listed, names):
            assert item == name or item.startswith(name + " "), (county.name, item, name)


def test_municipality_index_links_visited_ones_with_counts_and_years(site):
    html = site.page("kommun/")
    anchors = {a.get("href"): label for a, label in scan_html(main_html(html)).anchors}
    visited = {
        "kommun/boras/": ("Borås", "2 besök", ["2016", "2017"]),
        "kommun/finspang/": ("Finspång", "1 besök", ["2017"]),
        "kommun/ostersund/": ("Östersund", "1 besök", ["2017"]),
        "kommun/habo-jonkoping/": ("Habo", "1 besök", ["2017"]),
        "kommun/habo-uppsala/": ("Håbo", "1 besök", ["2017"]),
    }
    municipality_links = {h for h in anchors if h and h.startswith(href("kommun/")) and h != href("kommun/") and "#" not in h}
    assert municipality_links == {href(p) for p in visited}
    items = {text.split(" ")[0]: text for tag, text in outline(html) if tag == "li"}
    for path, (name, count, years) in visited.items():
        assert anchors[href(path)] == name
        line = next(text for tag, text in outline(html) if tag == "li" and text.startswith(name + " "))
        assert count in line, line
        for year in years:
            assert year in line, line
    # unvisited ones are listed without a link and without counts
    assert items["Malmö"] == "Malmö"
    assert items["Kiruna"] == "Kiruna"


def test_municipality_page_and_feed(site):
    html = site.page("kommun/boras/")
    assert post_links(html) == ["2017/02/fokus-pa-medskapande-i-boras/", "2016/10/boras-onskar-socionomutbildning/"]
    assert href("prenumerera/") + "#flode-municipality-boras" in hrefs(html)  # the page that explains feeds, at Borås's
    assert f'<link rel="alternate" type="application/atom+xml" title="Borås – Återbesök" href="{href("kommun/boras/feed.xml")}">' in html
    assert "Västra Götalands län" in main_text(html)


def test_habo_and_habo_have_their_own_pages(site):
    for path in ("kommun/habo-jonkoping/", "kommun/habo-uppsala/"):
        assert post_links(site.page(path)) == ["2017/09/habo-och-habo/"]


def test_county_index_shows_coverage(site):
    registry = load_registry()
    text = main_text(site.page("lan/"))
    visited = {"Västra Götaland": 1, "Östergötland": 1, "Jämtland": 1, "Jönköping": 1, "Uppsala": 1}
    for county in registry.counties:
        total = len(registry.municipalities_in(county))
        m = re.search(re.escape(county.official_name) + r"\D*?(\d+) av (\d+) (?:kommuner besökta|kommun besökt)", text)
        assert m, county.official_name
        assert (int(m.group(1)), int(m.group(2))) == (visited.get(county.name, 0), total), county.name
    links = {h for h in hrefs(main_html(site.page("lan/"))) if h.startswith(href("lan/")) and h != href("lan/")}
    assert links == {
        href(f"lan/{s}/") for s in ("vasterbotten", "vastra-gotaland", "ostergotland", "jamtland", "jonkoping", "uppsala")
    }


def test_county_page_has_county_wide_and_municipality_posts(site):
    assert post_links(site.page("lan/vasterbotten/")) == ["2013/10/vasterbotten-gor-skillnad-for-placerade-barn/"]
    assert post_links(site.page("lan/vastra-gotaland/")) == [
        "2017/02/fokus-pa-medskapande-i-boras/",
        "2016/10/boras-onskar-socionomutbildning/",
    ]
    assert href("prenumerera/") + "#flode-county-vastra-gotaland" in hrefs(site.page("lan/vastra-gotaland/"))


def test_plan_area_index_with_descriptions_and_counts(site):
    from sitegen.config.settings import load_config

    config = load_config(site.root)
    text = main_text(site.page("tema/"))
    counts = {"Helhetssyn": 3, "Förutsättningar": 1, "Medskapande": 1, "Samverkan": 2, "Barns skolgång": 1}
    for area in config.plan_areas:
        assert area.description in text, area.name
        m = re.search(re.escape(area.name) + r" (\d+) besök", text)
        assert m and int(m.group(1)) == counts.get(area.name, 0), area.name
    links = {h for h in hrefs(main_html(site.page("tema/"))) if h.startswith(href("tema/")) and h != href("tema/")}
    assert links == {
        href("tema/helhetssyn/"),
        href("tema/forutsattningar/"),
        href("tema/medskapande/"),
        href("tema/samverkan/"),
        href("tema/barns-skolgang/"),
    }
    # in config order
    positions = [text.index(a.name + " ") for a in config.plan_areas]
    assert positions == sorted(positions)


def test_plan_area_page_paginated_with_description(site):
    first, second = site.page("tema/helhetssyn/"), site.page("tema/helhetssyn/sida/2/")
    assert post_links(first) == ["2017/09/habo-och-habo/", "2017/08/tillitsbaserad-styrning-i-ostersund/"]
    assert post_links(second) == ["2013/10/vasterbotten-gor-skillnad-for-placerade-barn/"]
    assert href("tema/helhetssyn/sida/2/") in hrefs(first)
    assert href("tema/helhetssyn/") in hrefs(second)
    assert "Barnets hela situation ses samman" in main_text(first)


def test_tag_index_and_case_insensitive_tag_page(site):
    text = main_text(site.page("tagg/"))
    assert re.search(r"SkolFam\D*3", text)
    assert "skolfam" not in text and "Skolfam" not in text
    links = [h for h in hrefs(main_html(site.page("tagg/"))) if h.startswith(href("tagg/")) and h != href("tagg/")]
    assert links == [href("tagg/ivo/"), href("tagg/rekrytering/"), href("tagg/sisam/"), href("tagg/skolfam/")]
    pages = post_links(site.page("tagg/skolfam/")) + post_links(site.page("tagg/skolfam/sida/2/"))
    assert pages == [
        "2017/09/habo-och-habo/",
        "2016/10/boras-onskar-socionomutbildning/",
        "2013/10/vasterbotten-gor-skillnad-for-placerade-barn/",
    ]


def test_archive(site):
    links = [h for h in hrefs(main_html(site.page("arkiv/"))) if h.startswith(href("arkiv/")) and h != href("arkiv/")]
    assert links == [href("arkiv/2017/"), href("arkiv/2016/"), href("arkiv/2013/")]
    year = post_links(site.page("arkiv/2017/")) + post_links(site.page("arkiv/2017/sida/2/"))
    assert year == POST_PATHS[:4]
    assert post_links(site.page("arkiv/2013/")) == [POST_PATHS[-1]]


def test_standalone_page(site):
    html = site.page("om-bloggen/")
    assert [t for tag, t in outline(html) if tag == "h1"] == ["Om bloggen"]
    assert href("kommun/") in hrefs(main_html(html))


def test_404_page_links_work_from_any_url(site):
    html = site.read("404.html")
    assert scan_html(html).html_lang == "sv"
    for target in hrefs(html) + [v for t, a, v in scan_html(html).links if a in ("href", "src")]:
        # served for any missing URL, so no link may be relative to where it is
        assert target.startswith((BASE_PATH, "#", "https://", "http://", "mailto:", "tel:")), target
    # it stands in for any address, so it is nobody's section and the menu marks nothing current
    assert "aria-current" not in html and "in-section" not in html
    assert href("sok/") in hrefs(main_html(html))  # it offers the search


def test_robots_points_at_the_sitemap(site):
    robots = site.read("robots.txt")
    assert "User-agent: *" in robots
    assert "Sitemap: https://example.org/aterbesok/sitemap.xml" in robots.splitlines()


def test_search_page(site):
    html = site.page("sok/")
    assert scan_html(html).html_lang == "sv"
    assert "Sök" in main_text(html)


def test_drafts_are_not_published(site):
    assert not (site.out / DRAFT_PATH).exists()
    assert not (site.out / "kommun/malmo").exists()
    for name in ("feed.xml", "sitemap.xml", "besok.json", "besok.csv"):
        assert "utkast" not in site.read(name).lower(), name
    assert all("Utkast om Malmö" not in site.read(f) for f in html_files(site.out) if not f.startswith("pagefind/"))


def test_drafts_are_published_with_the_flag(site_with_drafts):
    html = site_with_drafts.page(DRAFT_PATH)
    assert "Utkast om Malmö" in html
    assert (site_with_drafts.out / "kommun/malmo/index.html").is_file()
    assert "/2018/01/utkast-om-malmo/" in site_with_drafts.read("feed.xml")


def test_the_subscribe_page_explains_feeds_and_lists_every_one(site):
    html = site.page("prenumerera/")
    text = main_text(html)
    assert "flödesläsare" in text and "Atom" in text
    assert "https://example.org/aterbesok/feed.xml" in text
    for feed in ("kommun/boras/feed.xml", "lan/vasterbotten/feed.xml", "tema/samverkan/feed.xml", "tagg/sisam/feed.xml",
                 "arkiv/2017/feed.xml"):
        assert href(feed) in hrefs(html) and f"https://example.org/aterbesok/{feed}" in text, feed
    assert 'id="flode-municipality-boras"' in html  # where the municipality page's "Prenumerera" link leads
    assert href("prenumerera/") in hrefs(site.page(""))  # the footer's link


def test_every_page_names_the_publisher_with_a_contact_link_and_the_licence(site):
    for page in html_files(site.out):
        if page.startswith("pagefind/"):
            continue
        html = site.read(page)
        assert "ges ut av Samordningsgruppen för återbesök" in html, page
        assert '<a href="mailto:aterbesok@example.org">aterbesok@example.org</a>' in html, page
        assert 'rel="license noopener">CC BY 4.0</a>' in html, page


def test_pages_with_contact_show_the_publisher_and_the_statement_its_review_date(site):
    html = site.page("om-bloggen/")
    assert "Ansvarig för webbplatsen" in main_text(html) and "010-123 45 67" in main_text(html)
    assert 'Senast granskad <time datetime="2026-11-30">30 november 2026</time>' in html


def test_the_receivers_page_marks_no_menu_item_as_the_current_page(site):
    shell = site.read("kommentar-svar.html")
    assert "<!--sitegen:body-->" in shell and "aria-current" not in shell
