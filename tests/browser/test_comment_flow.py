"""A reader comments through the form in Chromium; the moderator approves; serve's rebuild shows it."""

from __future__ import annotations

import time

from sitetools import copy_sample_site, serving

from sitegen.comments import store

POST = "2017/03/aterbesok-i-finspang/"


def test_reader_comments_moderator_approves_page_shows_it(browser, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    copy_sample_site(root)
    with serving(root, "--base-url", "https://example.org/aterbesok/", path="/aterbesok/") as (base, _proc):
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
        page.get_by_role("textbox", name="Webbplats", exact=True).fill("https://example.org/karin")
        page.get_by_role("textbox", name="Kommentar", exact=True).fill("Tack för en <b>bra</b> sammanfattning!\n\nVi känner igen oss.")
        page.get_by_role("button", name="Skicka kommentar").click()
        page.wait_for_load_state()
        assert "granskas innan den publiceras" in page.content()

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
