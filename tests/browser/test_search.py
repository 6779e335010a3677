"""Search at /sok/ with Pagefind, under a sub-path: Swedish stemming, filters, results that link
back into the site, only posts indexed, and a clear message without JavaScript."""

from __future__ import annotations

import re

from .conftest import open_kind


def search(page, term: str = "", **filters: str) -> list[dict]:
    """Type ``term``, choose ``filters`` (kommun=..., lan=..., tema=...), return the results shown.

    Waits for the status line of exactly this search (each change starts a search; the last wins).
    """
    page.wait_for_selector("#sok form:not([hidden])")
    for name, value in filters.items():
        page.select_option(f"#sok-{name}", value)
    page.fill("#sok-ord", term)
    page.press("#sok-ord", "Enter")
    chosen = [v for v in page.eval_on_selector_all("#sok select", "ss => ss.map(s => s.value)") if v]
    tail = (f" för ”{term}”" if term else "") + (f", avgränsat till {', '.join(chosen)}" if chosen else "") + "."
    page.wait_for_function(
        "t => { const s = document.querySelector('#sok-status').textContent;"
        " return /^(Inga träffar|1 träff|\\d+ träffar)/.test(s) && s.endsWith(t); }",
        arg=tail,
    )
    return page.eval_on_selector_all(
        "#sok-traffar > li",
        """els => els.map(li => ({
            title: li.querySelector('h2 a').textContent,
            href: li.querySelector('h2 a').href,
            meta: li.querySelector('.meta')?.textContent || '',
            excerpt: li.querySelector('.excerpt').textContent,
            marks: [...li.querySelectorAll('.excerpt mark')].map(m => m.textContent),
        }))""",
    )


def test_a_swedish_word_finds_the_right_post_through_stemming(page, sites):
    page.goto(sites.sample.url("sok/"))
    # The post says "socionomutbildning"; the definite form finds it through Swedish stemming.
    results = search(page, "socionomutbildningen")
    assert results, "no results"
    first = results[0]
    assert first["title"] == "Borås önskar socionomutbildning"
    assert first["href"] == sites.sample.url("2016/10/boras-onskar-socionomutbildning/"), "result links keep the sub-path"
    assert re.search(r"\d{1,2} \w+ \d{4} · Borås", first["meta"]), first["meta"]
    assert first["excerpt"].strip()
    assert page.inner_text("#sok-status").startswith(f"{len(results)} träff")
    page.click("#sok-traffar h2 a >> nth=0")
    page.wait_for_url(first["href"])
    assert page.inner_text("h1") == "Borås önskar socionomutbildning"


def test_a_municipality_filter_narrows_the_results(page, sites):
    page.goto(sites.sample.url("sok/"))
    everywhere = search(page, "skolan")
    assert len(everywhere) >= 3
    assert len({r["meta"].split(" · ")[-1] for r in everywhere}) >= 2, "results from several municipalities"
    in_boras = search(page, "skolan", kommun="Borås")
    assert 0 < len(in_boras) < len(everywhere)
    assert all("Borås" in r["meta"] for r in in_boras)
    assert {r["href"] for r in in_boras} <= {r["href"] for r in everywhere}
    assert "avgränsat till Borås" in page.inner_text("#sok-status")
    assert "kommun=Bor%C3%A5s" in page.url and "q=skolan" in page.url, "the search is in the address, to share or go back to"


def test_filters_offer_municipality_county_and_plan_area(page, sites):
    page.goto(sites.big.url("sok/"))
    page.wait_for_selector("#sok form:not([hidden])")
    options = {
        name: page.eval_on_selector_all(f"#sok-{name} option", "os => os.map(o => o.value).filter(Boolean)")
        for name in ("kommun", "lan", "tema")
    }
    assert {"Habo", "Håbo", "Borås", "Falun"} <= set(options["kommun"])
    assert options["kommun"].index("Östersund") > options["kommun"].index("Åre") > options["kommun"].index("Uppsala")
    assert {"Västerbottens län", "Jönköpings län", "Uppsala län"} <= set(options["lan"])
    assert "Samverkan" in options["tema"]
    # Habo and Håbo are two municipalities: each filter finds its own visit.
    habo = search(page, "", kommun="Håbo")
    assert [r["title"] for r in habo] == ["Återbesök i Håbo"]
    # Filters combine, without a search term too (newest first).
    county = search(page, "", kommun="", lan="Västerbottens län")
    assert "Hela Västerbottens län samlades i Umeå" in [r["title"] for r in county]
    themed = search(page, "", lan="Västerbottens län", tema="Samverkan")
    assert 0 < len(themed) <= len(county)


def test_only_post_bodies_and_titles_are_indexed(page, sites):
    page.goto(sites.sample.url("sok/"))
    assert search(page, "Prenumerera") == [], "footer text is not indexed"
    assert search(page, "huvudinnehåll") == [], "the skip link (page furniture) is not indexed"
    assert search(page, "kränkande") == [], "the 'Om bloggen' page is not indexed"
    assert page.inner_text("#sok-status") == "Inga träffar för ”kränkande”."


def test_the_result_count_is_announced_in_a_live_region(page, sites):
    open_kind(page, sites, "sample", "sok/?q=skolan")
    status = page.locator("#sok-status")
    assert status.get_attribute("role") == "status"
    assert re.fullmatch(r"\d+ träffar för ”skolan”\.", status.inner_text())
    assert page.get_attribute("#sok-ord", "type") == "search"
    assert page.locator("label[for=sok-ord]").inner_text() == "Sökord"
    for name in ("kommun", "lan", "tema"):
        assert page.locator(f"label[for=sok-{name}]").count() == 1


def test_without_javascript_the_page_says_so(new_page, sites):
    page = new_page(java_script_enabled=False)
    page.goto(sites.sample.url("sok/"))
    notice = page.locator("#sok noscript, #sok .notice")
    assert "Sökningen behöver JavaScript" in page.inner_text("#sok")
    assert notice.count() >= 1
    assert not page.is_visible("#sok form"), "the form is hidden when it cannot work"
    links = page.eval_on_selector_all("#sok a", "as => as.map(a => a.getAttribute('href'))")
    assert sites.sample.url("kommun/").replace(sites.origin, "") in links


def test_the_bundle_is_part_of_a_plain_build(sites):
    for served in (sites.sample, sites.big):
        bundle = served.out / "pagefind"
        assert (bundle / "pagefind.js").is_file()
        assert (bundle / "pagefind-entry.json").is_file()
        assert list(bundle.glob("*.pf_meta"))
        assert not list(bundle.glob("pagefind-ui.*")), "the site brings its own search UI"
    page = (sites.sample.out / "sok" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/aterbesok/pagefind/"' in page


def test_the_bundle_is_byte_identical_across_builds(sites):
    """Pagefind writes its filter indexes in hash-map order; search/canonical.py rewrites them so the
    same posts give the same bytes (each call starts a new Pagefind process with a new hash seed)."""
    from sitegen.search.pagefind import index_shard, indexed_part, write_shard

    def search_files(pages: dict[str, str], base_path: str) -> dict[str, bytes]:
        return index_shard(write_shard({f: indexed_part(html) for f, html in pages.items()}, base_path, 0), True)

    pages = {
        p.relative_to(sites.big.out).as_posix(): p.read_text(encoding="utf-8")
        for p in sites.big.out.glob("[0-9]*/[0-9]*/*/index.html")
    }
    first = {f"pagefind/{name}": data for name, data in search_files(pages, "/stor/").items()}
    assert first == {f"pagefind/{name}": data for name, data in search_files(pages, "/stor/").items()}
    assert first == {
        p.relative_to(sites.big.out).as_posix(): p.read_bytes() for p in (sites.big.out / "pagefind").rglob("*") if p.is_file()
    }, "the build wrote the same bundle"
    assert len([name for name in first if name.startswith("pagefind/filter/")]) == 4  # kommun, lan, tema, del (the shard)


def test_nothing_found_gives_advice_and_a_way_out_of_the_filters(page, sites):
    page.goto(sites.sample.url("sok/"))
    assert search(page, "socionomutbildning", kommun="Finspång") == []
    assert page.inner_text("#sok-status") == "Inga träffar för ”socionomutbildning”, avgränsat till Finspång."
    assert page.is_visible("#sok-rad") and "Kontrollera stavningen" in page.inner_text("#sok-rad")
    page.click("#sok-rensa a")  # "Rensa avgränsningar": the same words in every visit
    page.wait_for_function("() => /^\\d+ träff(ar)? för ”socionomutbildning”\\.$/.test(document.querySelector('#sok-status').textContent)")
    assert page.eval_on_selector("#sok-kommun", "s => s.value") == "" and not page.is_visible("#sok-rad")
    assert search(page, "ordsomintefinns") == []
    assert page.is_visible("#sok-rad") and not page.is_visible("#sok-rensa")  # no filters to clear


def test_excerpts_are_marked_as_pieces_of_the_text(page, sites):
    page.goto(sites.sample.url("sok/"))
    results = search(page, "skolan")
    assert results and all(r["excerpt"].startswith("…") and r["excerpt"].endswith("…") for r in results)


def test_choosing_a_municipality_offers_only_its_county(page, sites):
    page.goto(sites.sample.url("sok/"))
    search(page, "", kommun="Borås")
    offered = page.eval_on_selector_all("#sok-lan option", "os => os.filter(o => !o.disabled).map(o => o.value)")
    assert offered == ["", "Västra Götalands län"]
    page.select_option("#sok-kommun", "")  # every municipality again: every county too
    assert len(page.eval_on_selector_all("#sok-lan option", "os => os.filter(o => !o.disabled)")) > 2


def test_on_a_phone_the_filters_wait_behind_a_disclosure(new_page, sites):
    phone = new_page(viewport={"width": 360, "height": 740})
    phone.goto(sites.sample.url("sok/"))
    phone.wait_for_selector("#sok form:not([hidden])")
    assert not phone.eval_on_selector("#sok-avgransa", "d => d.open") and not phone.is_visible("#sok-kommun")
    phone.click("#sok-avgransa summary")
    assert phone.is_visible("#sok-kommun")
    wide = new_page(viewport={"width": 1280, "height": 900})
    wide.goto(sites.sample.url("sok/?q=skolan&kommun=Bor%C3%A5s"))
    wide.wait_for_selector("#sok form:not([hidden])")
    assert wide.eval_on_selector("#sok-avgransa", "d => d.open")
