"""WCAG 2.1 AA in a real browser: axe-core on every page kind in both colour schemes, plus the
structure axe does not check under those tags (one h1, heading order, landmarks, the skip link)
and, on a 360 px phone, no horizontal scrolling."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PAGE_KINDS, open_kind

AXE = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
KIND_IDS = [k[0] for k in PAGE_KINDS]


def _violations(page) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is (axe injected once per page)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    response = page.evaluate("options => axe.run(document, options)", options)
    out = []
    for v in response["violations"]:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]
        out.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return out


@pytest.mark.parametrize(("kind", "site", "path"), PAGE_KINDS, ids=KIND_IDS)
def test_axe_finds_no_wcag21aa_violations_in_light_and_dark(page, sites, kind, site, path):
    open_kind(page, sites, site, path)
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        found[scheme] = _violations(page)
    assert found == {"light": [], "dark": []}


def test_dark_scheme_really_changes_the_colours(new_page, sites):
    light, dark = new_page(color_scheme="light"), new_page(color_scheme="dark")
    for p in (light, dark):
        p.goto(sites.sample.url())
    bg = "getComputedStyle(document.body).backgroundColor"
    assert light.evaluate(bg) == "rgb(255, 255, 255)"
    assert dark.evaluate(bg) != light.evaluate(bg)


STRUCTURE = """() => {
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]));
  const skips = [];
  for (let i = 1; i < headings.length; i++) {
    if (headings[i] > headings[i - 1] + 1) skips.push(`h${headings[i - 1]} -> h${headings[i]}`);
  }
  const navs = [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label') || '');
  const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.closest('[hidden]') && !e.disabled);
  const images = [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src);
  return {
    h1: headings.filter(h => h === 1).length,
    first: headings[0],
    skips,
    main: document.querySelectorAll('main').length,
    mainId: document.querySelector('main')?.id,
    banner: document.querySelectorAll('body > header').length,
    contentinfo: document.querySelectorAll('body > footer').length,
    navs,
    firstFocusable: focusable[0] ? [focusable[0].textContent.trim(), focusable[0].getAttribute('href')] : null,
    lang: document.documentElement.lang,
    title: document.title,
    images,
  };
}"""


@pytest.mark.parametrize(("kind", "site", "path"), PAGE_KINDS, ids=KIND_IDS)
def test_page_structure_and_no_horizontal_scroll_on_a_360px_phone(new_page, sites, kind, site, path):
    page = new_page(viewport={"width": 360, "height": 740})
    open_kind(page, sites, site, path)
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"page is {scroll}px wide in a {client}px viewport"
    s = page.evaluate(STRUCTURE)
    assert s["lang"] == "sv"
    assert s["title"]
    assert s["h1"] == 1, "exactly one h1"
    assert s["first"] == 1, "the h1 comes first"
    assert s["skips"] == [], "headings go down one level at a time"
    assert (s["main"], s["banner"], s["contentinfo"]) == (1, 1, 1), "landmarks: one main, header, footer"
    assert all(s["navs"]) and len(set(s["navs"])) == len(s["navs"]), f"every nav is labelled, uniquely: {s['navs']}"
    assert "Huvudmeny" in s["navs"]
    assert s["firstFocusable"] == ["Gå till sidans huvudinnehåll", f"#{s['mainId']}"]
    assert s["images"] == []


@pytest.mark.parametrize(
    ("path", "current", "section"),
    [("", "Besök", None), ("kommun/", "Kommuner", None), ("kommun/finspang/", None, "Kommuner"), ("lan/", "Län", None),
     ("tema/samverkan/", None, "Teman"), ("tagg/", "Taggar", None), ("arkiv/2017/", None, "Arkiv"), ("sok/", "Sök", None),
     ("om-bloggen/", "Om", None)],
)  # fmt: skip
def test_navigation_marks_only_the_page_itself_as_current(page, sites, path, current, section):
    page.goto(sites.sample.url(path))
    marked = page.eval_on_selector_all('#meny a[aria-current="page"]', "els => els.map(e => e.textContent.trim())")
    assert marked == ([current] if current else [])
    inside = page.eval_on_selector_all("#meny a.in-section", "els => els.map(e => e.textContent.trim())")
    assert inside == ([section] if section else [])  # a sub-page shows its section to the eye, not as "current"
    labels = page.eval_on_selector_all("#meny a", "els => els.map(e => e.textContent.trim())")
    assert labels == ["Besök", "Kommuner", "Län", "Teman", "Taggar", "Arkiv", "Sök", "Om"]


FOCUS = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const transparent = rgb(s.backgroundColor)[3] === 0;
  const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
  return { tag: el.tagName, text: el.textContent.trim().slice(0, 40), outline: s.outlineStyle, width: s.outlineWidth,
           shadow: s.boxShadow, contrast: transparent ? null : (a + 0.05) / (b + 0.05) };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_is_always_visible_and_legible(new_page, sites, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(sites.big.url("kommun/boras/sida/2/"))  # current nav item, pagination with a current page, posts
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS)
        if f["tag"] == "BODY":  # past the last element: focus went to the browser
            break
        seen += 1
        assert (f["outline"] != "none" and f["width"] != "0px") or f["shadow"] != "none", f"no visible focus: {f}"
        if f["contrast"] is not None:
            assert f["contrast"] >= 4.5, f"focused text is hard to read: {f}"
    assert seen >= 25, "the page has its header, list, pagination and footer links"
