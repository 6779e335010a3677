"""Comment text into safe HTML paragraphs with exactly the tags SPEC allows."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

from sitegen.comments.store import Comment
from sitegen.config.yamlsource import CONTROL, unify_lines

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "acronym": {"title"},
    "b": set(),
    "blockquote": {"cite"},
    "cite": set(),
    "code": set(),
    "del": {"datetime"},
    "em": set(),
    "i": set(),
    "q": {"cite"},
    "strike": set(),
    "strong": set(),
}
ALLOWED_TAGS = frozenset(ALLOWED_ATTRIBUTES)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Obsolete elements fail HTML validation; their modern equivalents mean the same.
RENAMED = {"acronym": "abbr", "strike": "s"}
MAX_DEPTH = 12

# Terminal control sequences (CSI "ESC [ … letter", OSC "ESC ] … BEL or ST", and the two-character ones) are
# removed whole: in a moderator's terminal one can rewrite its own line, and removing only the ESC leaves "[2K"
_SEQUENCE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
                       r"|\x1b[ -/]*[0-~]")
# Embeddings, overrides and isolates: in a name, which stands inside a sentence, one could turn the text after it around
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u061c]")
# Letters that show nothing: Hangul fillers, the blank Braille pattern, the Mongolian vowel separator
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_UNSEEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# HTML's "valid date string with optional time": a date, or a date and time with a zone.
_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2}))?"
)
# Characters a URL may carry unencoded; everything else is percent-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def clean_text(text: str) -> str:
    """Unify line endings and drop terminal control sequences and every code point HTML forbids."""
    text = unify_lines(text)
    return CONTROL.sub("", _SEQUENCE.sub("", text)) if CONTROL.search(text) else text


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: not only spaces, zero-width and other invisible characters."""
    return any(unicodedata.category(c) not in _UNSEEN and c not in _BLANK_LETTERS for c in text)


def safe_url(value: str, schemes: frozenset[str] = URL_SCHEMES) -> str:
    """``value`` as an absolute URL with an allowed scheme, percent-encoded; or ``""``."""
    value = clean_text(value).strip()
    if not value or any(ch.isspace() for ch in value) or "\\" in value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return ""
    if scheme in ("http", "https") and not parts.hostname:
        return ""
    if scheme == "mailto" and not parts.path:
        return ""
    netloc = parts.netloc
    if not netloc.isascii():
        # International domain names become their ASCII (punycode) form.
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
        netloc = quote(userinfo, safe=_URL_SAFE) + at + host + colon + port
    return urlunsplit(
        (scheme, netloc, *(quote(p, safe=_URL_SAFE) for p in (parts.path, parts.query, parts.fragment)))
    )


def _valid_datetime(value: str) -> bool:
    match = _DATETIME.fullmatch(value.strip())
    if not match:
        return False
    try:
        return datetime.strptime(match["date"], "%Y-%m-%d").year > 0
    except ValueError:
        return False


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # nh3 checks URL schemes in href only; cite is filtered here, href once more.
    if attribute in ("href", "cite"):
        return safe_url(value) or None
    if attribute == "datetime":
        return value.strip() if _valid_datetime(value) else None
    return value


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: list[tuple[str, str]]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """Reads nh3's well-formed output back into a small tree of allowed elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("", [])
        self.stack = [self.root]
        self.ignored: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED_ATTRIBUTES.get(tag)
        if allowed is None:
            return
        if len(self.stack) > MAX_DEPTH:
            # Deeper nesting adds nothing a reader needs and would blow up output and recursion.
            self.ignored[tag] = self.ignored.get(tag, 0) + 1
            return
        kept = [(k, v or "") for k, v in attrs if k in allowed]
        node = _Node(RENAMED.get(tag, tag), kept)
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.ignored.get(tag):
            self.ignored[tag] -= 1  # nh3's output is well nested: this closes an ignored element
            return
        tag = RENAMED.get(tag, tag)
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


_BREAK = object()


class _Quote(NamedTuple):
    node: _Node
    stack: tuple[_Node, ...]


def _flatten(children: list[_Node | str], stack: tuple[_Node, ...], out: list) -> None:
    """Inline content as (stack, text) runs, with paragraph breaks and blockquotes between."""
    for child in children:
        if isinstance(child, str):
            pieces = _PARAGRAPH_BREAK.split(child)
            for i, piece in enumerate(pieces):
                if i:
                    out.append(_BREAK)
                if piece:
                    out.append((stack, piece))
        elif child.tag == "blockquote":
            out.append(_Quote(child, stack))
        elif child.tag == "a" and not any(k == "href" for k, _ in child.attrs):
            _flatten(child.children, stack, out)  # a link without a safe target is just text
        else:
            _flatten(child.children, stack + (child,), out)


def _start_tag(node: _Node) -> str:
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in node.attrs if k != "rel")
    if node.tag == "a":
        attrs += f' rel="{LINK_REL}"'
    return f"<{node.tag}{attrs}>"


def _paragraph(runs: list[tuple[tuple[_Node, ...], str]]) -> str:
    runs = list(runs)
    while runs and not runs[0][1].strip():
        runs.pop(0)
    while runs and not runs[-1][1].strip():
        runs.pop()
    if not runs:
        return ""
    runs[0] = (runs[0][0], runs[0][1].lstrip())
    runs[-1] = (runs[-1][0], runs[-1][1].rstrip())
    parts: list[str] = []
    open_: tuple[_Node, ...] = ()
    for stack, text in runs:
        common = 0
        while common < min(len(open_), len(stack)) and open_[common] is stack[common]:
            common += 1
        parts.extend(f"</{n.tag}>" for n in reversed(open_[common:]))
        parts.extend(_start_tag(n) for n in stack[common:])
        open_ = stack
        parts.append(html.escape(text, quote=False).replace("\n", "<br>\n"))
    parts.extend(f"</{n.tag}>" for n in reversed(open_))
    return "<p>" + "".join(parts) + "</p>"


def _flow(items: list) -> str:
    """Runs into <p>s; blockquotes stand between paragraphs, never inside one."""
    blocks: list[str] = []
    runs: list[tuple[tuple[_Node, ...], str]] = []
    for item in items + [_BREAK]:
        if isinstance(item, _Quote):
            blocks.append(_paragraph(runs))
            runs = []
            inner: list = []
            # Inline elements around a quote are reopened inside it, keeping nesting valid.
            _flatten(item.node.children, item.stack, inner)
            body = _flow(inner)
            if body:
                blocks.append(_start_tag(item.node) + "\n" + body + "\n</blockquote>")
        elif item is _BREAK:
            blocks.append(_paragraph(runs))
            runs = []
        else:
            runs.append(item)
    return "\n".join(b for b in blocks if b)


def comment_html(text: str) -> str:
    """Safe HTML paragraphs for a comment's raw text."""
    import nh3  # here: most builds render no comment again, and importing it costs a twentieth of a rebuild

    cleaned = nh3.clean(
        clean_text(text),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items() if attrs},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
    )
    builder = _TreeBuilder()
    builder.feed(cleaned)
    builder.close()
    items: list = []
    _flatten(builder.root.children, (), items)
    return _flow(items)


@dataclass(frozen=True)
class RenderedComment:
    """What templates may show of a comment: never the e-mail address."""

    id: str
    name: str
    website: str
    date: datetime
    html: str
    reply_to: tuple[str, str] | None = None  # (id, name) of the comment this one answers


def render_comment(c: Comment, zone: tzinfo, names: Mapping[str, str] | None = None) -> RenderedComment:
    """The public view of one approved comment, dated in the site's ``zone``; the template escapes name and website.

    ``names`` holds the names of the post's comments by id, for a reply's "Svar till".
    """
    parent = (names or {}).get(c.parent) if c.parent else None
    return RenderedComment(
        id=c.id,
        name=public_name(c.name),
        website=safe_url(c.website, frozenset({"http", "https"})),
        date=c.date.astimezone(zone),
        html=comment_html(c.text),
        reply_to=(c.parent, parent) if parent is not None else None,
    )


def public_name(name: str) -> str:
    """A commenter's name as stored and shown: its text only, on one line, without control characters or bidi overrides.

    The receiver stores names so; shown, it cleans files written before it did, or by hand.
    """
    return " ".join(_BIDI.sub("", clean_text(name)).split())
