"""Raw HTML the pages' security policy would block silently: `check` and `build` warn at its line, and go on (#19, class 8)."""

from __future__ import annotations

import pytest
from sitetools import make_site, post_text, run_cli

HTML_LINE = 9  # post_text: '---', title, date, municipality, '---', an empty line, the first paragraph, an empty line


def _site(tmp_path, html: str):
    body = "Ett stycke först.\n\n" + html + "\n"
    return make_site(tmp_path, {"a.md": post_text(municipality="Borås", body=body)}, {"base_url": "https://example.org/aterbesok/"})


@pytest.mark.parametrize(("html", "expected"), [
    ("<script>alert('hej')</script>", "ett <script> i texten körs inte"),
    ("<script src=\"https://cdn.example.net/x.js\"></script>", "<script src=\"https://cdn.example.net/x.js\"> ligger på en annan webbplats"),
    ("<p onclick=\"visa()\">Klicka</p>", "attributet onclick= körs inte"),
    ("Text med <span onmouseover=\"x()\">inbyggd</span> kod.", "attributet onmouseover= körs inte"),
    ("<p style=\"color: red\">Röd</p>", "attributet style= används inte"),
    ("<style>p { color: red }</style>", "ett <style>-element används inte"),
    ("<iframe src=\"https://www.youtube.com/embed/abc\" title=\"Film\"></iframe>", "<iframe> visas inte"),
    ("<object data=\"karta.swf\"></object>", "<object> visas inte"),
    ("<embed src=\"karta.pdf\">", "<embed> visas inte"),
    ("<video src=\"film.mp4\" controls></video>", "<video> spelas inte"),
    ("<audio src=\"ljud.mp3\" controls></audio>", "<audio> spelas inte"),
    ("<img src=\"https://bilder.example.net/a.jpg\" alt=\"A\">", "bilden https://bilder.example.net/a.jpg ligger på en annan webbplats"),
    ("<img src=\"//bilder.example.net/a.jpg\" alt=\"A\">", "bilden //bilder.example.net/a.jpg ligger på en annan webbplats"),
    ("<picture><source srcset=\"https://x.example.net/a.webp 1x, b.webp 2x\"><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"B\"></picture>",
     "bilden https://x.example.net/a.webp ligger på en annan webbplats"),
    ("<a href=\"javascript:alert(1)\">klicka</a>", "länken javascript:alert(1) gör ingenting"),
    ("<form action=\"https://enkat.example.net/svar\"><button>Skicka</button></form>", "formuläret skickar till https://enkat.example.net/svar"),
    ("<link rel=\"stylesheet\" href=\"https://cdn.example.net/a.css\">", "stilmallen https://cdn.example.net/a.css ligger på en annan webbplats"),
])
@pytest.mark.parametrize("command", ["check", "build"])
def test_raw_html_the_policy_blocks_is_a_warning_at_its_line(tmp_path, html, expected, command):
    root = _site(tmp_path, html)
    code, _, err = run_cli([command], root)
    assert code == 0, err
    assert err.startswith(f"posts/a.md:{HTML_LINE}: varning: {expected}"), err


def test_the_line_is_the_line_of_the_tag_inside_a_block(tmp_path):
    root = _site(tmp_path, "<div>\n<p>Första raden</p>\n<p style=\"margin: 0\">Andra</p>\n</div>")
    code, _, err = run_cli(["check"], root)
    assert code == 0 and err.startswith(f"posts/a.md:{HTML_LINE + 2}: varning: attributet style= används inte"), err


def test_every_build_tells_it_again_until_it_is_mended(tmp_path):
    root = _site(tmp_path, "<iframe src=\"https://www.youtube.com/embed/abc\" title=\"Film\"></iframe>")
    for _ in range(2):  # the second build takes the post from the cache
        code, _, err = run_cli(["build"], root)
        assert code == 0 and "varning: <iframe> visas inte" in err
    post = root / "posts" / "a.md"
    post.write_text(post.read_text(encoding="utf-8").replace("<iframe", "<span").replace("</iframe>", "</span>"), encoding="utf-8")
    code, _, err = run_cli(["build"], root)
    assert code == 0 and "varning" not in err


@pytest.mark.parametrize("html", [
    "<img src=\"/aterbesok/bilder/karta.png\" alt=\"Karta\">",  # the site's own
    "<img src=\"https://example.org/aterbesok/bilder/karta.png\" alt=\"Karta\">",  # its own host, written out
    "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"\">",
    "<script src=\"/aterbesok/assets/egen.js\"></script>",
    "<p class=\"ingress\">Ingress</p>",
    "<a href=\"https://www.example.net/\">En annan webbplats</a>",  # a link is no embed
    "<details><summary>Mer</summary>Text</details>",
])
def test_what_the_policy_allows_is_no_warning(tmp_path, html):
    root = _site(tmp_path, html)
    _code, _, err = run_cli(["check"], root)  # the site's own files are not there: the link check may say so
    assert "varning" not in err, err


def test_a_warning_in_english(tmp_path, english):
    root = _site(tmp_path, "<p onclick=\"x()\">Klicka</p>")
    code, _, err = run_cli(["check"], root)
    assert code == 0 and err.startswith(f"posts/a.md:{HTML_LINE}: warning: the attribute onclick= does not run"), err
