"""A reader comments through the form in Chromium; the moderator approves; serve's rebuild shows it."""

from __future__ import annotations

import time

from sitetools import copy_sample_site, serving

from sitegen.comments import store

from .test_accessibility import _violations

POST = "2017/03/aterbesok-i-finspang/"


def _sample(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    copy_sample_site(root)
    return root, serving(root, "--base-url", "https://example.org/aterbesok/", path="/aterbesok/")


def test_reader_comments_moderator_approves_page_shows_it(browser, tmp_path):
    root, served = _sample(tmp_path)
    with served as (base, _proc):
        context = browser.new_context()
        left: list[str] = []
        errors: list[str] = []
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1:") else (left.append(r.request.url), r.abort()))
        context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page = context.new_page()
        page.goto(base + POST)
        # by the names their visible labels give them, as a reader (or a screen reader) finds them
        page.get_by_role("textbox", name="Namn", exact=True).fill("Karin Läsare")
        page.get_by_role("textbox", name="E-post").fill("karin@example.org")
        page.get_by_role("textbox", name="Webbplats (frivilligt)", exact=True).fill("https://example.org/karin")
        page.get_by_role("textbox", name="Kommentar", exact=True).fill("Tack för en <b>bra</b> sammanfattning!\n\nVi känner igen oss.")
        page.get_by_role("button", name="Skicka kommentar").click()
        page.wait_for_load_state()
        assert "granskas innan den publiceras" in page.content()
        _looks_like_the_site(page)

        (pending,) = store.pending(root / "comments")
        assert pending.name == "Karin Läsare" and pending.post == "2017-03-14-aterbesok-i-finspang"
        page.goto(base + POST)
        assert "Vi känner igen oss." not in page.content()  # pending comments never reach a page

        store.approve(root / "comments", [pending.id])
        end = time.monotonic() + 30
        while "Vi känner igen oss." not in page.content():
            assert time.monotonic() < end, "the approved comment did not appear after serve's rebuild"
            time.sleep(0.5)
            page.goto(base + POST)
        section = page.locator("#kommentarer")
        assert section.locator("a", has_text="Karin Läsare").get_attribute("href") == "https://example.org/karin"
        assert section.locator("b", has_text="bra").count() == 1  # allowed markup kept
        assert "karin@example.org" not in page.content()  # the e-mail is never published
        context.close()
        assert left == [] and errors == [], (left, errors)


def _looks_like_the_site(page) -> None:
    """The receiver's page has the site's header, footer and stylesheet, in Swedish, and no axe violation."""
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert page.locator("header.site-header").count() == 1 and page.locator("footer.site-footer").count() == 1
    assert "ges ut av Samordningsgruppen för återbesök" in page.locator("footer").inner_text()
    assert page.evaluate("[...document.styleSheets].some(s => s.href && s.href.includes('/assets/style.') && s.cssRules.length > 0)")
    assert _violations(page) == []


def test_with_the_browsers_checks_bypassed_the_errors_come_back_in_swedish_on_the_sites_page(browser, tmp_path):
    root, served = _sample(tmp_path)
    with served as (base, _proc):
        context = browser.new_context()
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1:") else r.abort())
        page = context.new_page()
        page.goto(base + POST)
        page.evaluate("document.getElementById('kommentarsformular').noValidate = true")  # as an old or odd browser sends it
        page.get_by_role("textbox", name="E-post").fill("inte en adress")
        page.get_by_role("button", name="Skicka kommentar").click()
        page.wait_for_load_state()
        summary = page.locator(".sg-error-summary")
        assert summary.locator("h2").inner_text() == "Rätta följande och skicka igen:"
        assert summary.locator("li").all_inner_texts() == ["Skriv ditt namn.", "E-postadressen ser inte ut att vara giltig. Skriv den som namn@exempel.se.", "Skriv en kommentar."]
        assert page.get_by_role("textbox", name="E-post").input_value() == "inte en adress"  # the form comes back filled in
        _looks_like_the_site(page)
        assert store.pending(root / "comments") == []
        context.close()
