"""Old addresses as readers meet them: a link from an old e-mail opens the post, in Chromium, with no script."""

from __future__ import annotations

from .test_accessibility import _violations


def test_an_old_permalink_opens_the_post_it_moved_to(page, sites):
    page.goto(sites.sample.url("2017/03/14/aterbesok-i-finspang/"))
    page.wait_for_url(sites.sample.url("2017/03/aterbesok-i-finspang/"), timeout=10_000)
    assert page.locator("h1").inner_text() == "Återbesök i Finspång"


def test_with_refresh_blocked_the_old_page_still_has_a_link_to_follow(new_page, sites):
    page = new_page()
    url = sites.sample.url("2017/03/14/aterbesok-i-finspang/")

    def without_refresh(route):
        answer = route.fetch()
        route.fulfill(response=answer, body=answer.text().replace('http-equiv="refresh"', 'data-refresh'))

    page.route(url, without_refresh)
    page.goto(url)
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    link = page.get_by_role("link", name="Återbesök i Finspång")
    assert link.get_attribute("href").endswith("/2017/03/aterbesok-i-finspang/")
    link.click()
    page.wait_for_url(sites.sample.url("2017/03/aterbesok-i-finspang/"), timeout=10_000)
