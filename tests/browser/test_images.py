"""Photos as readers get them: a browser picks the small WebP on a phone and a larger one on a desktop, every
image loads, none is wider than the column, and the page keeps its place while they load (width and height)."""

from __future__ import annotations

import pytest

IMAGES = """() => [...document.querySelectorAll('.post-body img')].map(img => ({
  src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0, lazy: img.loading,
  shown: img.getBoundingClientRect().width, column: img.closest('.post-body').getBoundingClientRect().width,
  ratio: img.width / img.height, declared: Number(img.getAttribute('width')) / Number(img.getAttribute('height')),
  caption: img.closest('figure')?.querySelector('figcaption')?.textContent ?? null,
}))"""


def load_all(page) -> list[dict]:
    """Scroll each image into view (they load lazily) and wait until it has loaded."""
    for img in page.locator(".post-body img").all():
        img.scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('.post-body img')].every(i => i.complete && i.naturalWidth > 0)",
                           timeout=10_000)
    return page.evaluate(IMAGES)


@pytest.mark.parametrize(("width", "picked"), [(360, "-480.webp"), (1280, "-960.webp")])
def test_the_browser_picks_a_webp_that_fits_the_screen(new_page, sites, width, picked):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(sites.big.url("@bildbesok"))
    photo, gif = load_all(page)
    assert photo["src"].endswith(picked), photo["src"]
    assert photo["lazy"] == "lazy" and photo["loaded"]
    assert photo["shown"] <= photo["column"] + 0.5
    # stored on its side (2400 x 1800, EXIF orientation 6): shown upright, 3:4
    assert abs(photo["ratio"] - 0.75) < 0.01 and abs(photo["declared"] - 0.75) < 0.01
    assert photo["caption"] == "Samtalet i Falun"
    assert gif["src"].endswith("/sol.gif") and gif["loaded"] and gif["caption"] is None
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client


def test_the_page_keeps_its_layout_while_photos_load(new_page, sites):
    # width and height in the markup reserve the photo's box before a byte of it has arrived
    page = new_page(viewport={"width": 360, "height": 800})
    page.route("**/*.webp", lambda route: None)  # never answered: the photos stay unloaded
    page.route("**/*.jpg", lambda route: None)
    page.goto(sites.big.url("@bildbesok"), wait_until="domcontentloaded")
    box = page.evaluate("(() => { const r = document.querySelector('.post-body figure img').getBoundingClientRect();"
                        " return [r.width, r.height]; })()")
    assert box[0] > 300 and abs(box[1] - box[0] / 0.75) < 2, box
    page.unroute("**/*.webp")
    page.unroute("**/*.jpg")


def test_the_sample_drawing_has_a_caption_and_a_webp(page, sites):
    page.goto(sites.sample.url("2017/02/fokus-pa-medskapande-i-boras/"))
    (drawing,) = load_all(page)
    assert drawing["src"].endswith("/hjulet-960.webp")
    assert drawing["caption"].startswith("Målbilden i Borås")
