"""Responsive layout and print (no horizontal scrolling at 360 px on every page kind is checked in
test_accessibility, on the same page load as the page structure): line length on a wide screen,
tables on a phone, and a print stylesheet that hides navigation, search and the comment form and
prints link URLs."""

from __future__ import annotations

WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def test_wide_desktop_keeps_a_comfortable_line_length(new_page, sites):
    page = new_page(viewport={"width": 1920, "height": 1000})
    page.goto(sites.sample.url("2017/03/aterbesok-i-finspang/"))
    width, font = page.evaluate(
        "[document.querySelector('.post-body p').getBoundingClientRect().width,"
        " parseFloat(getComputedStyle(document.querySelector('.post-body p')).fontSize)]"
    )
    characters = width / (font * 0.5)  # an average character is about half an em wide
    assert 55 <= characters <= 85, f"a line holds about {characters:.0f} characters"
    scroll, client = page.evaluate(WIDTH)
    assert scroll <= client


def test_wide_tables_scroll_inside_their_region_not_the_page(new_page, sites):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(sites.big.url("@besok-04"))
    assert page.locator(".post-body .tabell table").count() == 1
    scroll, client = page.evaluate(WIDTH)
    assert scroll <= client


def _hidden(page, selector: str) -> bool:
    return page.eval_on_selector_all(selector, "els => els.length > 0 && els.every(e => getComputedStyle(e).display === 'none')")


def test_print_hides_navigation_and_the_comment_form_and_prints_link_urls(page, sites):
    page.goto(sites.big.url("@besok-03"))
    page.emulate_media(media="print")
    assert _hidden(page, "#meny")
    assert _hidden(page, ".skip-link")
    assert _hidden(page, "#kommentarsformular")
    assert _hidden(page, ".post-nav")
    assert page.is_visible("article.post h1")
    assert page.is_visible(".post-body")
    after = page.evaluate(
        """() => { const a = document.querySelector('.post-body a[href^="https://"]');
            return [a.getAttribute('href'), getComputedStyle(a, '::after').content]; }"""
    )
    assert after[1] == '" (" attr(href) ")"' or after[0] in after[1], after
    in_page = page.evaluate("getComputedStyle(document.querySelector('.footnote-ref a'), '::after').content")
    assert in_page in ("none", "normal", ""), "in-page anchors print no URL"
    page.emulate_media(media="screen")
    assert not _hidden(page, "#meny")


def test_print_hides_the_search_form(page, sites):
    page.goto(sites.sample.url("sok/"))
    page.wait_for_selector("#sok form:not([hidden])")
    page.emulate_media(media="print")
    assert _hidden(page, "#sok")
