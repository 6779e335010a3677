"""Keyboard only: the skip link, and a reader's way from the home page to a municipality, to a
post, and back. Also: no request ever leaves 127.0.0.1."""

from __future__ import annotations

import re

from .conftest import PAGE_KINDS, open_kind, tab_to

SKIP = "Gå till sidans huvudinnehåll"


def follow(page) -> None:
    """Press Enter on the focused link and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_skip_link_is_first_and_moves_focus_into_main(page, sites):
    page.goto(sites.sample.url("2017/03/aterbesok-i-finspang/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == SKIP
    box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.height]; })()")
    assert box[0] >= 0 and box[1] > 0, "the skip link is visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    assert page.evaluate("document.activeElement.id") == "innehall"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), "the next Tab stays in main"
    assert page.evaluate("document.activeElement.textContent.trim()") != "Besök"


def test_a_reader_goes_home_to_municipality_to_post_and_back_by_keyboard(page, sites):
    home = sites.sample.url()
    page.goto(home)
    tab_to(page, "el.matches('#meny a') && el.textContent.trim() === 'Kommuner'")
    follow(page)
    page.wait_for_url(sites.sample.url("kommun/"))
    assert page.inner_text("h1") == "Kommuner"

    tab_to(page, "el.closest('.municipality-list') && el.textContent.trim() === 'Finspång'")
    follow(page)
    page.wait_for_url(sites.sample.url("kommun/finspang/"))
    assert page.inner_text("h1") == "Finspång"

    tab_to(page, "el.closest('.post-summary') && el.textContent.trim() === 'Återbesök i Finspång'")
    follow(page)
    post = sites.sample.url("2017/03/aterbesok-i-finspang/")
    page.wait_for_url(post)
    assert page.inner_text("h1") == "Återbesök i Finspång"

    # Back the way the reader came: the browser's history ...
    page.go_back()
    page.wait_for_url(sites.sample.url("kommun/finspang/"))
    page.go_forward()
    page.wait_for_url(post)
    # ... and with the keyboard through the post's own links: its municipality, then home.
    tab_to(page, "el.closest('.post-terms') && el.textContent.trim() === 'Finspång'")
    follow(page)
    page.wait_for_url(sites.sample.url("kommun/finspang/"))
    tab_to(page, "el.matches('#meny a') && el.textContent.trim() === 'Besök'")
    follow(page)
    page.wait_for_url(home)
    assert page.inner_text("h1") == "Senaste besöken"


def test_keyboard_reaches_prev_next_and_pagination(page, sites):
    page.goto(sites.big.url())
    tab_to(page, "el.closest('.pagination') && el.getAttribute('rel') === 'next'")
    follow(page)
    page.wait_for_url(sites.big.url("sida/2/"))
    tab_to(page, "el.closest('.post-summary')")
    follow(page)
    assert page.locator("article.post h1").count() == 1
    tab_to(page, "el.closest('.post-nav') && el.getAttribute('rel') === 'prev'")
    before = page.url
    follow(page)
    assert page.url != before
    assert page.locator("article.post h1").count() == 1


def test_no_request_leaves_127_0_0_1(new_page, sites):
    page = new_page()
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    for _, site, path in PAGE_KINDS:
        open_kind(page, sites, site, path)
    open_kind(page, sites, "sample", "sok/?q=skolan")
    assert len(seen) >= len(PAGE_KINDS)
    foreign = [u for u in seen if not u.startswith(sites.origin + "/")]
    assert foreign == []
    assert any("/pagefind/" in u for u in seen), "the search bundle was loaded"
    assert any(re.search(r"/assets/style\.[0-9a-f]{10}\.css$", u) for u in seen), "the stylesheet, by its hashed name"


def test_the_filter_box_narrows_all_municipalities_to_the_typed_name(page, sites):
    page.goto(sites.sample.url("kommun/"))
    box = page.locator("#filtrera")
    assert box.is_visible()  # the script shows it; without JavaScript it stays hidden and everything is listed
    listed = "() => [...document.querySelectorAll('#alla-kommuner li')].filter(li => !li.hidden).length"
    assert page.evaluate(listed) == 290
    box.fill("borå")
    assert page.evaluate(listed) == 1
    assert page.inner_text("#filtrera-antal") == "1 kommun"
    assert page.evaluate("[...document.querySelectorAll('#alla-kommuner section')].filter(s => !s.hidden).length") == 1
    box.fill("malmo")  # without the ring: Malmö is found as a writer types on any keyboard
    assert page.evaluate("[...document.querySelectorAll('#alla-kommuner li')].filter(li => !li.hidden).map(li => li.textContent.trim())") == ["Malmö"]
    box.fill("")
    assert page.evaluate(listed) == 290 and page.inner_text("#filtrera-antal") == ""


def test_the_map_is_reached_by_keyboard_and_leads_to_a_county(page, sites):
    page.goto(sites.sample.url("lan/"))
    tab_to(page, "el.getAttribute('aria-label') === 'Västra Götaland: 1 av 49 kommuner besökta'")
    follow(page)
    page.wait_for_url(sites.sample.url("lan/vastra-gotaland/"))
    assert page.inner_text("h1") == "Västra Götalands län"
