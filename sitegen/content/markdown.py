"""The markdown-it-py setup: CommonMark, tables, strikethrough, footnotes, heading anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sitegen.config.urls import slug
from sitegen.config.yamlsource import CONTROL
from sitegen.content.pictures import ImageProblem, Picture, Place, markup, published_url
from sitegen.content.rawhtml import blocked
from sitegen.messages import _

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# ids the page templates use; a heading that slugs to one of them gets a prefix
RESERVED_IDS = frozenset(
    {"innehall", "kommentarer", "kommentarer-rubrik", "kommentarsformular", "kommentera-rubrik", "relaterade", "meny", "sok"}
)
# id families: the comment form's fields (kf-namn), comments (kommentar-<id>), the county groups on
# /kommun/ (lan-14), the search page (sok-ord), and the footnote plugin's fn1/fnref1
RESERVED_ID_FAMILIES = re.compile(r"(?:kf|kommentar|lan|sok)-|fn(?:ref)?\d+$")
SUMMARY_LENGTH = 300


@dataclass(frozen=True)
class Rendered:
    """A Markdown body as HTML, with what later steps need to know about it."""

    html: str
    first_paragraph: str  # plain text, for the default summary
    problems: tuple[tuple[int, str], ...]  # (0-based body line, message): images without alt text or a file
    links: tuple[tuple[str, int], ...]  # (href, 0-based body line) of every link
    images: tuple[tuple[str, int], ...]  # (src, 0-based body line) of every image
    headings: tuple[tuple[str, str], ...]  # (id, plain text) of every top-level (h2) heading, for a table of contents
    pictures: tuple[tuple[Picture, str], ...] = ()  # every image shown, in order, with its alt text
    warnings: tuple[tuple[int, str], ...] = ()  # (0-based body line, message): raw HTML the pages' security policy blocks


def no_alt() -> str:
    """The problem of an image without alt text (WCAG 1.1.1)."""
    return _("image without alt text: describe what it shows, e.g. ![Deltagarna vid mötet](bild.jpg)")


def _heading_slug(text: str) -> str:
    s = slug(text) or "avsnitt"
    reserved = s in RESERVED_IDS or RESERVED_ID_FAMILIES.match(s)
    return f"avsnitt-{s}" if reserved or s[0].isdigit() else s


@cache
def parser() -> MarkdownIt:
    # imported here: a rebuild that reads no source never needs Markdown (a tenth of its time)
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_slug)
    )
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    return md


def _render_link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith(("http://", "https://", "//")):
        token.attrSet("rel", "noopener")
    elif _site_absolute(href):
        token.attrSet("href", env["base_path"] + href[1:])
    return self.renderToken(tokens, idx, options, env)


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    pic = env["pictures"].get(src)
    if pic is not None:
        alt = self.renderInlineAsText(token.children, options, env)
        return markup(pic, env["url"], alt, str(token.attrGet("title") or ""), token.meta.get("block", False))
    if _site_absolute(src):
        token.attrSet("src", env["base_path"] + src[1:])
    return self.image(tokens, idx, options, env)


def _site_absolute(url: str) -> bool:
    """'/2017/03/x/' means a page of this site: it must follow the site to a sub-path."""
    return url.startswith("/") and not url.startswith("//")


def _render_table_open(self, tokens, idx, options, env):
    # wide tables scroll inside a focusable region instead of widening the page
    return '<div class="tabell" role="region" aria-label="Tabell" tabindex="0">\n' + self.renderToken(tokens, idx, options, env)


def _render_table_close(self, tokens, idx, options, env):
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _render_cell_open(self, tokens, idx, options, env):
    # column alignment as a class: the pages' CSP (style-src 'self') blocks style attributes
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    if style.startswith("text-align:"):
        token.attrs.pop("style")
        token.attrSet("class", "align-" + style.split(":", 1)[1].strip())
    return self.renderToken(tokens, idx, options, env)


def _render_footnote_anchor(self, tokens, idx, options, env):
    n = tokens[idx].meta["id"] + 1
    sub = tokens[idx].meta.get("subId", 0)
    ref = f"fnref{n}" + (f":{sub}" if sub > 0 else "")
    return f' <a href="#{ref}" class="footnote-backref" aria-label="Tillbaka till texten">↩</a>'


def render(body: str, base_path: str = "/", place: Place | None = None, own_host: str = "") -> Rendered:
    """Render a Markdown body; site-absolute links ('/kommun/') are placed under ``base_path``.

    With ``place``, every image is looked up there and shown as a ``<picture>`` of its published
    files; one alone in its paragraph becomes a ``<figure>``, its title the caption. Raw HTML that
    the pages' policy blocks is warned about (``rawhtml``); ``own_host`` is the site's host, if known.
    """
    md = parser()
    pictures: dict[str, Picture | None] = {}
    env: dict = {"base_path": base_path, "pictures": pictures, "url": published_url(base_path)}
    tokens = md.parse(body, env)
    _shift_headings(tokens)
    first = ""
    problems: list[tuple[int, str]] = []
    links: list[tuple[str, int]] = []
    images: list[tuple[str, int]] = []
    shown: list[tuple[Picture, str]] = []
    warnings: list[tuple[int, str]] = []
    line = 0
    for i, tok in enumerate(tokens):
        if tok.map:
            line = tok.map[0]
        if tok.type == "html_block":
            warnings += blocked(tok.content, line, own_host)
        if tok.type == "paragraph_open" and not first and tokens[i + 1].children is not None:
            first = _plain(tokens[i + 1].children)
        _mark_figure(tokens, i)
        child_line = line  # a paragraph spans lines: count its line breaks
        for child in tok.children or ():
            if child.type in ("softbreak", "hardbreak"):
                child_line += 1
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                if not child.content.strip():
                    problems.append((child_line, no_alt()))
                if place is not None and src not in pictures:
                    try:
                        pictures[src] = place.resolve(src)
                    except ImageProblem as exc:
                        pictures[src] = None
                        problems.append((child_line, exc.message))
                    if pictures[src] is not None:
                        shown.append((pictures[src], child.content))
                images.append((src, child_line))
            elif child.type == "link_open":
                links.append((str(child.attrGet("href") or ""), child_line))
            elif child.type == "html_inline":
                warnings += blocked(child.content, child_line, own_host)
    html = md.renderer.render(tokens, md.options, env)
    headings = tuple((str(t.attrGet("id") or ""), _plain(tokens[i + 1].children or [])) for i, t in enumerate(tokens)
                     if t.type == "heading_open" and t.tag == "h2")
    if "&#" in body:  # of the entities XML forbids markdown-it keeps one, '&#12;': show it as it shows the rest, as '\ufffd'
        html, first = _shown(html), _shown(first)
        headings = tuple((id_, _shown(text)) for id_, text in headings)
    return Rendered(html, first, tuple(problems), tuple(links), tuple(images), headings, tuple(shown), tuple(warnings))


def _shown(text: str) -> str:
    return CONTROL.sub("\ufffd", text)


def _mark_figure(tokens: list[Token], i: int) -> None:
    """An image alone in a shown paragraph is a figure: the paragraph's <p> gives way to the image's <figure>."""
    tok = tokens[i]
    if tok.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open" or tokens[i - 1].hidden:
        return
    parts = [c for c in tok.children or () if not (c.type == "text" and not c.content.strip())]
    if len(parts) == 1 and parts[0].type == "image":
        parts[0].meta["block"] = True
        tokens[i - 1].hidden = tokens[i + 1].hidden = True


def _shift_headings(tokens: list[Token]) -> None:
    """Make the body's top heading level h2: the page title is the only h1."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not levels:
        return
    shift = 2 - min(levels)
    if shift == 0:
        return
    for t in tokens:
        if t.type in ("heading_open", "heading_close"):
            t.tag = f"h{max(2, min(6, int(t.tag[1]) + shift))}"


def _plain(children: list[Token]) -> str:
    parts = []
    for c in children:
        if c.type in ("text", "code_inline", "image"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")  # a line break separates words
    return " ".join("".join(parts).split())


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut ``text`` at a word boundary so it fits ``limit`` characters, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–- ")
    return cut + "…"
