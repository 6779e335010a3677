"""serve's live reload in Chromium: after a new post every tab reloads, and a tab on a list page left for later ends up showing it caught up."""

from __future__ import annotations

import time

from sitetools import make_site, post_text, serving

LOADS = "sessionStorage.loads = String(Number(sessionStorage.loads || 0) + 1)"  # runs at every load of a tab


def _read(tab, script: str):
    """What ``script`` says in the tab; None while the tab is between two loads."""
    from playwright.sync_api import Error

    try:
        return tab.evaluate(script)
    except Error:  # the page is being replaced by its reload
        return None


def _loads(tab) -> int:
    return int(_read(tab, "Number(sessionStorage.loads)") or 0)


def _main(tab) -> str:
    return _read(tab, "document.querySelector('main').textContent") or ""


def _until(check, what: str, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


def test_a_tab_on_a_list_page_left_for_later_reloads_when_it_catches_up_and_the_others_do_not(browser, tmp_path):
    posts = {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-03-{i + 1:02d}", municipality="Borås") for i in range(6)}
    root = make_site(tmp_path, posts, {"per_page": 3})
    with serving(root) as (base, _proc):
        context = browser.new_context()
        context.add_init_script(LOADS)
        errors: list[str] = []
        context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            tabs = {path: context.new_page() for path in ("", "sida/2/", "2017/03/besok-0/")}
            for path, tab in tabs.items():
                tab.goto(base + path)
            assert "Besök 2" in tabs["sida/2/"].text_content("main")  # posts 5, 4, 3 on the first page; 2, 1, 0 here

            (root / "posts" / "ny.md").write_text(post_text(title="Besök nytt", date="2017-04-01", municipality="Borås"),
                                                  encoding="utf-8")
            # every tab reloads when the pages are written; the second page of the list, left as it was, once more,
            # unless its first reload came after the catch-up
            _until(lambda: "Besök 3" in _main(tabs["sida/2/"]), "the second page shows the post the new one pushed off the first")
            assert _loads(tabs["sida/2/"]) in (2, 3)
            assert "Besök nytt" in _main(tabs[""])
            time.sleep(1)  # the others had their one reload; none comes after
            assert [_loads(tabs[path]) for path in ("", "2017/03/besok-0/")] == [2, 2]
        finally:
            context.close()
    assert errors == []
