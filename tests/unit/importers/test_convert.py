"""sitegen.importers.convert: WordPress HTML as Markdown, with wpautop's paragraphs, captions and uploads."""

from __future__ import annotations

import pytest

from sitegen.importers.convert import to_markdown, wpautop

BLOG = "https://aterbesok.example.se/wp-content/uploads/"


class Uploads:
    """Uploads under 2017/ are 'in --uploads' (named by their file), others are missing."""

    def local(self, url):
        if "/wp-content/uploads/" not in url or "other.example" in url:
            return None
        path = url.split("/wp-content/uploads/")[1]
        return (path.rsplit("/", 1)[-1].replace("-1024x768", ""), True) if path.startswith("2017/") else (url, False)


def md(html: str, alts=None) -> str:
    return to_markdown(html, Uploads(), lambda url: (alts or {}).get(url, "")).markdown


def test_blank_lines_make_paragraphs_and_single_breaks_stay_breaks():
    assert wpautop("Ett.\n\nTvå\ntre.") == "<p>Ett.</p>\n<p>Två<br />\ntre.</p>\n"
    assert md("Ett.\n\nTvå\ntre.") == "Ett.\n\nTvå\\\ntre.\n"


def test_block_tags_are_not_wrapped_and_pre_is_left_alone():
    html = "Före.\n<h3>Rubrik</h3>\nEfter.\n<pre>rad 1\n\nrad 2</pre>"
    assert wpautop(html) == "<p>Före.</p>\n<h3>Rubrik</h3>\n<p>Efter.</p>\n<pre>rad 1\n\nrad 2</pre>\n"


def test_a_newline_inside_a_tag_is_not_a_break():
    assert md('Se <a\nhref="https://example.se/">sidan</a>.') == "Se [sidan](https://example.se/).\n"


def test_headings_nested_lists_quotes_tables_emphasis_and_entities():
    html = ("<h2>Kvalitet</h2>\n<ul>\n<li>Ett\n<ul>\n<li>Under</li>\n</ul>\n</li>\n<li><strong>Två</strong> och <em>tre</em></li>\n</ul>\n"
            "<blockquote>Citat &#8211; &#8221;så&#8221;&nbsp;här</blockquote>\n"
            "<table><tr><th>Insats</th><th>Start</th></tr><tr><td>Lön</td><td>2017</td></tr></table>")
    assert md(html) == ("## Kvalitet\n\n- Ett\n  - Under\n- **Två** och *tre*\n\n> Citat – ”så”\u00a0här\n\n"
                        "| Insats | Start |\n| --- | --- |\n| Lön | 2017 |\n")


def test_a_caption_shortcode_becomes_an_image_with_its_caption_as_title():
    html = (f'[caption id="attachment_102" align="aligncenter" width="1024"]<a href="{BLOG}2017/02/boras1.jpg">'
            f'<img src="{BLOG}2017/02/boras1-1024x768.jpg" alt="Hjulet" width="1024" height="768" /></a> Målbilden i Borås[/caption]')
    assert md(html) == '![Hjulet](boras1.jpg "Målbilden i Borås")\n'


def test_an_old_caption_attribute_and_a_block_editor_figure_give_captions_too():
    old = f'[caption caption="Hjulet i Borås"]<img src="{BLOG}2017/02/a.jpg" alt="Hjulet" />[/caption]'
    assert md(old) == '![Hjulet](a.jpg "Hjulet i Borås")\n'
    block = (f'<!-- wp:image --><figure class="wp-block-image"><img src="{BLOG}2017/02/b.jpg" alt="Mötet"/>'
             "<figcaption>Mötet i Borås</figcaption></figure><!-- /wp:image -->")
    assert md(block) == '![Mötet](b.jpg "Mötet i Borås")\n'


def test_alt_text_comes_from_the_image_the_media_library_or_the_caption():
    src = f"{BLOG}2017/08/ostersund-300x200.jpg"
    assert md(f'<img src="{src}" />', {src: "Arbetsgruppen"}) == "![Arbetsgruppen](ostersund-300x200.jpg)\n"
    assert md(f'[caption]<img src="{src}" /> Arbetsgruppen i Östersund[/caption]') == (
        '![Arbetsgruppen i Östersund](ostersund-300x200.jpg "Arbetsgruppen i Östersund")\n')


def test_an_image_without_alt_text_gets_a_placeholder_and_is_counted(english):
    converted = to_markdown(f'<img src="{BLOG}2017/08/x.jpg" />', Uploads(), lambda url: "")
    assert converted.markdown == "![DESCRIBE THE PICTURE](x.jpg)\n"
    assert converted.without_alt == 1


def test_a_missing_upload_and_an_image_on_another_site_become_links(english):
    converted = to_markdown(f'<img src="{BLOG}2015/01/gone.jpg" alt="Borta" /> <img src="https://other.example/a.png" alt="Annan" />',
                            Uploads(), lambda url: "")
    assert converted.markdown == (f"[Picture: Borta]({BLOG}2015/01/gone.jpg) [Picture: Annan](https://other.example/a.png)\n")
    assert converted.missing == (f"{BLOG}2015/01/gone.jpg",)
    assert converted.external == ("https://other.example/a.png",)


def test_links_to_uploads_lead_to_the_copy_beside_the_post():
    assert md(f'Läs <a href="{BLOG}2017/08/plan.pdf">planen</a>.') == "Läs [planen](plan.pdf).\n"


@pytest.mark.parametrize(("html", "codes"), [
    ('[gallery ids="1,2"]', ("gallery",)),
    ("[embed]https://video.example.org/v/1[/embed]", ("embed",)),
    ('<a href="https://example.se/">[länk]</a> och [contact-form-7 id="3"]', ("contact-form-7",)),
])
def test_other_shortcodes_stay_as_text_and_are_named(html, codes):
    converted = to_markdown(html, Uploads(), lambda url: "")
    assert converted.shortcodes == codes
    assert codes[0] in converted.markdown


def test_more_and_block_comments_leave_nothing_behind():
    assert md("Ett.\n<!--more-->\nTvå.") == "Ett.\n\nTvå.\n"
    assert md("<!-- wp:paragraph -->\n<p>Ett.</p>\n<!-- /wp:paragraph -->") == "Ett.\n"
