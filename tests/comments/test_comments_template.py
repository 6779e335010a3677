"""templates/partials/comments.html: approved comments, the form, and valid, safe HTML."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import jinja2
import pytest
from sitetools import build, copy_sample_site
from vnu import vnu_command

from sitegen.comments import form, pages
from sitegen.comments.sanitize import render_comment
from sitegen.comments.store import Comment

REPO = Path(__file__).resolve().parents[2]
ENDPOINT = "https://kommentarer.example.org/kommentar/"
POST_URL = "/aterbesok/2017/03/aterbesok-i-finspang/"


class Tree(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, {k: "" if v is None else v for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag):
        return [a for t, a in self.starts if t == tag]

    def by_id(self, ident):
        return next(a for _, a in self.starts if a.get("id") == ident)

STOCKHOLM = ZoneInfo("Europe/Stockholm")  # config.yaml's timezone


def render(comments=(), open_=True, key="2017-03-14-finspang") -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPO / "templates"), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,  # as sitegen.render.environment sets them
    )
    env.filters["sv_date"] = lambda d: f"{d.day} mars {d.year}"
    env.filters["url"] = lambda path: "/aterbesok/" + path
    env.globals.update(config=SimpleNamespace(comments=SimpleNamespace(retention_days=365)), privacy_path="personuppgifter/")
    post = SimpleNamespace(key=key, title="Återbesök i Finspång", comments_open=open_)
    shown = tuple(comments)
    one_page = SimpleNamespace(pages=1)  # the pager of a post with one page of comments shows nothing
    return env.get_template("partials/comments.html").render(
        post=post, comments=shown, comment_total=len(shown), comment_pagination=one_page, comment_pages={c.id: "" for c in shown},
        comment_endpoint=ENDPOINT, post_url=POST_URL,
    )


def comment(i=1, **overrides):
    fields = {
        "id": f"20170314T093015000000Z-{i:016x}", "post": "2017-03-14-finspang", "name": "Eva Ek", "email": "hemlig@example.se",
        "website": "", "date": datetime(2017, 3, 14, 9, 30, tzinfo=UTC), "text": "Bra <b>besök</b>!\n\nTack.",
    }
    fields.update(overrides)
    return render_comment(Comment(**fields), STOCKHOLM)


def test_comments_and_count():
    html = render([comment(1), comment(2, website="https://eva.example.se/")])
    tree = Tree(html)
    assert tree.all("section") == [{"id": "kommentarer", "class": "sg-comments", "aria-labelledby": "kommentarer-rubrik"}]
    assert "Kommentarer (2)" in html
    articles = tree.all("article")
    assert [a["id"] for a in articles] == [f"kommentar-20170314T093015000000Z-{i:016x}" for i in (1, 2)]
    assert tree.all("time")[0]["datetime"] == "2017-03-14T10:30:00+01:00"
    assert "14 mars 2017" in html
    assert "<p>Bra <b>besök</b>!</p>\n<p>Tack.</p>" in html
    links = [a for a in tree.all("a")]
    assert links == [{"href": "https://eva.example.se/", "rel": "nofollow ugc noopener"}, {"href": "/aterbesok/personuppgifter/"}]
    assert "hemlig" not in html


def test_no_comments_yet():
    html = render([])
    assert "Inga kommentarer ännu" in html and "<article" not in html and "<ol" not in html


def test_the_form():
    tree = Tree(render([]))
    (f,) = tree.all("form")
    assert f["method"] == "post" and f["action"] == ENDPOINT
    inputs = {a["name"]: a for a in tree.all("input")} | {a["name"]: a for a in tree.all("textarea")}
    assert inputs["post"] == {"type": "hidden", "name": "post", "value": "2017-03-14-finspang"}
    assert inputs["return"] == {"type": "hidden", "name": "return", "value": POST_URL}
    expected = {
        form.NAME: ("name", form.MAX_NAME, True),
        form.EMAIL: ("email", form.MAX_EMAIL, True),
        form.WEBSITE: ("url", form.MAX_WEBSITE, False),
        form.COMMENT: (None, form.MAX_COMMENT, True),
    }
    labels = {a["for"] for a in tree.all("label")}
    for name, (autocomplete, limit, required) in expected.items():
        field = inputs[name]
        assert field["id"] in labels
        assert int(field["maxlength"]) == limit
        assert autocomplete is None or field["autocomplete"] == autocomplete
        assert ("required" in field) == required and (field.get("aria-required") == "true") == required
    honeypot = inputs[form.HONEYPOT]
    assert honeypot["tabindex"] == "-1" and honeypot["autocomplete"] == "off"
    wrapper = next(a for a in tree.all("div") if a.get("class") == "sg-honeypot")
    assert "hidden" in wrapper
    assert not any("style" in attrs for _, attrs in tree.starts)
    assert not tree.all("script")


def test_the_notes_and_labels():
    html = render([])
    for text in (
        "Din e-postadress publiceras inte.",
        "Fält markerade med * är obligatoriska.",
        "Kommentarer granskas innan de publiceras.",
        "<summary>Formatering</summary>",
        "(publiceras inte)",
        "Webbplats <span class=\"sg-hint\">(frivilligt)</span>",
        "e-post och webbplats tas bort efter 365 dagar.",
        'href="/aterbesok/personuppgifter/">Så hanterar vi personuppgifter</a>',
        "Skicka kommentar",
    ):
        assert text in html
    # The template and the receiver's error page list the same tags.
    assert pages.ALLOWED_TAGS_HTML in html
    label_text = "".join(Tree(html).text)
    for label in ("Namn", "E-post", "Webbplats", "Kommentar"):
        assert label in label_text


def test_closed():
    html = render([comment()], open_=False)
    assert "<form" not in html
    assert "Kommentarerna är stängda" in html
    assert "Kommentarer (1)" in html


NAME_PAYLOADS = ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "Eva\" onmouseover=\"alert(1)"]
WEBSITE_PAYLOADS = ["javascript:alert(1)", 'https://ok.example/" onmouseover="alert(1)', "data:text/html,<script>x</script>",
                    " JAVASCRIPT:alert(1)", "https://ok.example/?a=<script>"]


@pytest.mark.parametrize("name", NAME_PAYLOADS)
@pytest.mark.parametrize("website", WEBSITE_PAYLOADS)
def test_name_and_website_are_escaped(name, website):
    html = render([comment(name=name, website=website, text=name)])
    tree = Tree(html)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    for _, attrs in tree.starts:
        assert not any(k.startswith("on") for k in attrs)
    for a in tree.all("a")[:-1]:  # the last one is the link to the personal-data notice
        assert a["href"].startswith("https://ok.example/")
        assert '"' not in a["href"] and "<" not in a["href"]
    assert name in "".join(tree.text)  # shown as text, not markup


def test_html_validates(tmp_path):
    documents = {
        "open": pages.document(pages.Answer("Inlägg", "<h1>Inlägg</h1>\n" + render([comment(1), comment(2, website="https://x.se/")]))),
        "empty": pages.document(pages.Answer("Inlägg", "<h1>Inlägg</h1>\n" + render([]))),
        "closed": pages.document(pages.Answer("Inlägg", "<h1>Inlägg</h1>\n" + render([comment()], open_=False))),
        "received": pages.document(pages.received(POST_URL)),
        "message": pages.document(pages.message("Inlägget finns inte", "Text.", "")),
        "form": pages.document(pages.form_errors({"name": "Skriv ditt namn.", "comment": "För lång."}, {"comment": "\n<b>x</b>"}, "k", POST_URL)),
        "markup": pages.document(pages.Answer("Kommentar", "<h1>K</h1>\n" + comment(
            text="<q cite='https://q.se'>q</q> <del datetime='2017-03-14T10:00:00+01:00'>d</del> <acronym title='a'>A</acronym>"
                 "<strike>s</strike>\n\n<em>a<blockquote cite='https://x.se'>b</blockquote>c</em>\nrad <a href='mailto:a@b.se'>m</a>"
        ).html)),
    }
    # and the same answers inside the site's own page, as the receiver sends them after a build
    site = tmp_path / "site"
    site.mkdir()
    copy_sample_site(site)
    shell = pages.read_shell(build(site, tmp_path / "out") / pages.SHELL)
    assert shell is not None
    for name in ("received", "message", "form"):
        answer = {"received": pages.received(POST_URL), "message": pages.message("Inlägget finns inte", "Text.", ""),
                  "form": pages.form_errors({"name": "Skriv ditt namn."}, {"comment": "x"}, "k", POST_URL)}[name]
        documents[f"site-{name}"] = pages.document(answer, shell)
        assert '<footer class="site-footer">' in documents[f"site-{name}"] and pages.BODY_MARK not in documents[f"site-{name}"]
    files = []
    for name, text in documents.items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [*vnu_command(), "--errors-only", *files], check=False, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


def test_a_reply_says_whom_it_answers_and_links_to_that_comment():
    first = Comment(id="20170314T093015000000Z-wp11", post="2017-03-14-finspang", name="Karin <b>Lund</b>", email="k@example.se",
                    website="", date=datetime(2017, 3, 14, 9, 30, tzinfo=UTC), text="Tack!")
    reply = Comment(id="20170314T100000000000Z-wp12", post="2017-03-14-finspang", name="Redaktionen", email="r@example.se",
                    website="", date=datetime(2017, 3, 14, 10, 0, tzinfo=UTC), text="Roligt att höra.", parent=first.id)
    names = {c.id: "Karin Lund" for c in (first,)}
    html = render([render_comment(first, STOCKHOLM, names), render_comment(reply, STOCKHOLM, names)])
    assert 'svar till <a href="#kommentar-20170314T093015000000Z-wp11"><bdi>Karin Lund</bdi></a>' in html
    assert html.count("svar till") == 1
