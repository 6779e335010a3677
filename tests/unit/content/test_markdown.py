"""sitegen.content.markdown: CommonMark plus tables, strikethrough, footnotes and heading anchors."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sitegen.content.markdown import RESERVED_IDS, SUMMARY_LENGTH, no_alt, render, shorten


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str, name: str | None = None) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(html)
    return [t for t in p.tags if name is None or t[0] == name]


def ids(html: str) -> list[str]:
    return [a["id"] for _, a in tags(html) if "id" in a]


def headings(html: str) -> list[tuple[str, str]]:
    return [(t, a.get("id")) for t, a in tags(html) if re.fullmatch(r"h[1-6]", t)]


def test_table():
    html = render("| Grupp | Inriktning |\n|---|---|\n| 1 | Skolfrånvaro |\n").html
    assert "<table>" in html
    assert "<th>Grupp</th>" in html
    assert "<td>Skolfrånvaro</td>" in html
    # wide tables scroll in a focusable, labelled region
    region = tags(html, "div")[0][1]
    assert region["role"] == "region" and region["tabindex"] == "0" and region["aria-label"]


def test_strikethrough():
    assert "<s>gammalt</s>" in render("Det ~~gammalt~~ nya.\n").html


def test_footnotes_link_both_ways():
    html = render("IVO[^ivo] granskar.\n\n[^ivo]: Inspektionen för vård och omsorg.\n").html
    anchors = [a for _, a in tags(html, "a")]
    hrefs = {a["href"] for a in anchors}
    defined = set(ids(html))
    assert hrefs, html
    for href in hrefs:
        assert href.startswith("#")
        assert href[1:] in defined, f"{href} has no target in {sorted(defined)}"
    assert "Inspektionen för vård och omsorg." in html


def test_raw_html_is_allowed():
    assert '<abbr title="Socialstyrelsen">SoS</abbr>' in render('<abbr title="Socialstyrelsen">SoS</abbr>\n').html


def test_headings_get_unique_valid_ids():
    html = render("## Samverkan\n\ntext\n\n## Samverkan\n\n## Barns skolgång!\n\n## ???\n\n## 2017 i korthet\n").html
    found = [i for _, i in headings(html)]
    assert len(found) == 5
    assert len(set(found)) == 5
    for i in found:
        # a valid id that needs no escaping in a URL fragment or CSS selector
        assert re.fullmatch(r"[a-z][a-z0-9-]*", i), i
    assert found[0] == "samverkan"
    assert found[2] == "barns-skolgang"


def test_heading_ids_avoid_the_templates_ids():
    body = "\n\n".join(f"## {text}" for text in ("Innehåll", "Kommentarer", "Meny", "Relaterade")) + "\n"
    found = [i for _, i in headings(render(body).html)]
    assert len(found) == 4
    assert not set(found) & RESERVED_IDS
    assert {"innehall", "kommentarer", "meny", "relaterade"} <= RESERVED_IDS


def test_heading_ids_avoid_template_id_families_and_footnote_ids():
    body = "Text.[^1]\n\n## fn1\n\n## fnref1\n\n## KF namn\n\n## Kommentar 3\n\n## Sök ord\n\n[^1]: Not.\n"
    html = render(body).html
    found = [i for _, i in headings(html)]
    assert found == ["avsnitt-fn1", "avsnitt-fnref1", "avsnitt-kf-namn", "avsnitt-kommentar-3", "avsnitt-sok-ord"]
    all_ids = ids(html)
    assert len(all_ids) == len(set(all_ids))


def test_headings_shifted_so_the_body_starts_at_h2():
    html = render("# Ett\n\n## Två\n\n### Tre\n").html
    assert [t for t, _ in headings(html)] == ["h2", "h3", "h4"]


def test_deep_headings_shift_up_to_h2():
    html = render("### Ett\n\n#### Två\n").html
    assert [t for t, _ in headings(html)] == ["h2", "h3"]


def test_h2_body_is_unchanged_and_levels_are_capped():
    assert [t for t, _ in headings(render("## A\n\n###### F\n").html)] == ["h2", "h6"]
    assert [t for t, _ in headings(render("# A\n\n###### F\n").html)] == ["h2", "h6"]


def test_summary_is_the_first_paragraph_as_plain_text():
    r = render("## Rubrik\n\nFörsta **stycket** med [en länk](https://example.org/)\noch en andra rad.\n\nAndra stycket.\n")
    assert r.first_paragraph == "Första stycket med en länk och en andra rad."


def test_summary_of_body_without_paragraph_is_empty():
    assert render("## Bara en rubrik\n").first_paragraph == ""


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    text = "ord " * 200
    short = shorten(text.strip())
    assert len(short) <= SUMMARY_LENGTH
    assert short.endswith("ord…")
    assert shorten("kort text") == "kort text"


def test_images_without_alt_are_reported_with_their_line():
    body = "Stycke.\n\n![](bild.jpg)\n\n![Deltagarna vid mötet](mote.jpg)\n\nText och\nen bild ![ ](b.png) på rad åtta.\n"
    r = render(body)
    # 0-based lines of the body
    assert r.problems == ((2, no_alt()), (7, no_alt()))


def test_image_without_alt_in_a_table_and_a_footnote():
    body = "| a |\n|---|\n| ![](c.png) |\n\nText[^1]\n\n[^1]: Not ![](d.png)\n"
    assert render(body).problems == ((2, no_alt()), (6, no_alt()))


def test_site_absolute_links_and_images_go_under_the_base_path():
    r = render("[Borås](/kommun/boras/) ![Karta](/static/karta.png) [fot](#fn) [rel](../x/)\n", "/aterbesok/")
    a = tags(r.html, "a")
    img = tags(r.html, "img")
    assert a[0][1]["href"] == "/aterbesok/kommun/boras/"
    assert img[0][1]["src"] == "/aterbesok/static/karta.png"
    assert a[1][1]["href"] == "#fn"
    assert a[2][1]["href"] == "../x/"
    # what the writer wrote is kept, with its line, for the link checker
    assert ("/kommun/boras/", 0) in r.links


def test_site_absolute_links_at_the_root_stay():
    r = render("[Borås](/kommun/boras/)\n", "/")
    assert tags(r.html, "a")[0][1]["href"] == "/kommun/boras/"


def test_external_links_get_rel_noopener():
    r = render("[DIGG](https://www.digg.se/) [W3C](http://w3.org/) [cdn](//example.com/x) [intern](/kommun/)\n")
    rels = [a.get("rel") for _, a in tags(r.html, "a")]
    assert rels == ["noopener", "noopener", "noopener", None]


def test_links_are_reported_with_lines():
    r = render("Första.\n\n[a](/a/)\n[b](https://b.example/)\n")
    assert r.links == (("/a/", 2), ("https://b.example/", 3))


def test_table_column_alignment_is_a_class_not_a_style_attribute():
    html = render("| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n").html
    assert "style=" not in html
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert '<td class="align-center">3</td>' in html
