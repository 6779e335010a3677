"""Reading a WordPress export (WXR 1.0–1.2, from Tools → Export) into typed records, safely.

The XML goes through defusedxml's parser, which refuses entity declarations and external
references instead of expanding them, so an entity bomb stops at its first line. The file is fed
in chunks and read into records as it streams (no element tree), with the line each item and
comment starts on, for messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import XMLParser

from sitegen.config.yamlsource import CONTROL
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _

VERSIONS = ("1.0", "1.1", "1.2")
CHUNK = 1 << 20  # bytes fed to the parser at a time, between progress updates
_PREFIXES = {  # namespace -> the prefix WordPress writes
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


@dataclass(frozen=True)
class WpTerm:
    """A category or tag on an item, as ``<category domain="…" nicename="…">name</category>``."""

    domain: str  # 'category' or 'post_tag' (others, like 'post_format', are not places or themes)
    slug: str
    name: str


@dataclass(frozen=True)
class WpComment:
    """One ``<wp:comment>`` as exported."""

    id: str
    author: str
    email: str
    url: str
    date: str  # 'YYYY-MM-DD HH:MM:SS' in the blog's time zone
    date_gmt: str  # the same in UTC; '0000-00-00 00:00:00' when unknown
    content: str  # the HTML the commenter wrote, as WordPress stored it
    approved: str  # '1', '0' (pending), 'spam', 'trash', 'post-trashed'
    type: str  # '' or 'comment'; 'pingback', 'trackback'
    parent: str  # id of the comment answered, '0' for none
    line: int


@dataclass(frozen=True)
class Item:
    """One ``<item>``: a post, a page, an attachment (or a menu entry and the like, which are not imported)."""

    id: str
    type: str  # wp:post_type
    status: str  # publish, draft, pending, private, future, trash, inherit
    title: str
    link: str  # the permalink when it was exported
    guid: str
    creator: str  # the author's login
    content: str  # HTML, wpautop not yet applied
    excerpt: str
    date: str  # 'YYYY-MM-DD HH:MM:SS' in the blog's time zone
    date_gmt: str
    name: str  # the slug, percent-encoded when it is not ASCII; '' for many drafts
    parent: str  # the post an attachment belongs to; a page's parent page
    comment_status: str  # 'open' or 'closed'
    attachment_url: str
    terms: tuple[WpTerm, ...]
    meta: Mapping[str, str]  # wp:postmeta, e.g. '_wp_attachment_image_alt', '_thumbnail_id'
    comments: tuple[WpComment, ...]
    line: int


@dataclass(frozen=True)
class Export:
    """A whole export: the blog's address, its authors and every item, in file order."""

    path: str  # as given, for messages
    version: str
    site_url: str  # wp:base_blog_url, else the channel's <link>
    authors: Mapping[str, str]  # login -> display name
    items: tuple[Item, ...]


def read_export(path: Path, shown: str, progress: Callable[[int], None] = lambda n: None) -> Export:
    """Read and check ``path``; raise BuildError naming ``shown`` and the line for anything that is not a WXR file.

    ``progress`` is told how many bytes have been read, a chunk at a time.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below, once opening is known to work
    except OSError as exc:
        raise BuildError([SourceError(shown, 0, _("cannot read the export: {reason}", reason=exc.strerror or exc))]) from None
    reader = _Reader()
    parser = XMLParser(target=reader)
    reader.line = lambda: parser.parser.CurrentLineNumber
    with handle:
        try:
            while chunk := handle.read(CHUNK):
                parser.feed(chunk)
                progress(len(chunk))
                reader.check(shown)
            parser.close()
        except (EntitiesForbidden, DTDForbidden):
            raise _error(shown, reader.line(), _("declares XML entities of its own (<!ENTITY …>), which no WordPress export "
                                                 "does; nothing was expanded or imported")) from None
        except ExternalReferenceForbidden:
            raise _error(shown, reader.line(), _("refers to a file outside itself (an external entity); nothing was read "
                                                 "from it or imported")) from None
        except DefusedXmlException:
            raise _error(shown, reader.line(), _("holds XML that WordPress never writes; nothing was imported")) from None
        except ParseError as exc:
            line, column = exc.position
            raise _error(shown, line, _parse_problem(exc, column)) from None
        except OSError as exc:
            raise _error(shown, 0, _("cannot read the export: {reason}", reason=exc.strerror or exc)) from None
    reader.check(shown, finished=True)
    return Export(shown, reader.version, reader.site_url or reader.link, dict(reader.authors), tuple(reader.items))


def _error(shown: str, line: int, message: str) -> BuildError:
    return BuildError([SourceError(shown, line, message)])


def _parse_problem(exc: ParseError, column: int) -> str:
    # expat's codes: 3 no element found, 5 unclosed token; both mean the file stops too early
    if exc.code in (3, 5):
        return _("the export stops before its end, as if it was cut off while downloading; export it again from WordPress "
                 "(Tools → Export) and import the new file")
    reason = str(exc).split(":")[0]
    return _("is not well-formed XML at column {column} ({reason}); export it again from WordPress (Tools → Export)",
             column=column + 1, reason=reason)


def _local(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'; names outside a namespace stay as they are."""
    if not tag.startswith("{"):
        return tag
    namespace, _, name = tag[1:].partition("}")
    if namespace.startswith("http://wordpress.org/export/"):
        return f"excerpt:{name}" if namespace.rstrip("/").endswith("excerpt") else f"wp:{name}"
    prefix = _PREFIXES.get(namespace)
    return f"{prefix}:{name}" if prefix else name


# XML allows the C1 controls, which no page may hold (sitegen.config.yamlsource.CONTROL). In old WordPress
# databases they are Windows-1252 bytes read as Latin-1: U+0096 was meant as '–', U+0092 as '’'.
_C1 = re.compile("[\x80-\x9f]")


def _windows_1252(found: re.Match) -> str:
    try:
        return bytes([ord(found.group())]).decode("cp1252")
    except UnicodeDecodeError:  # five bytes mean nothing there: dropped
        return ""


@dataclass
class _Reader:
    """The parser's target: builds records from the elements WordPress writes, and ignores the rest."""

    line: Callable[[], int] = lambda: 0
    stack: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    root: str = ""
    version: str = ""
    link: str = ""
    site_url: str = ""
    authors: dict[str, str] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    item: dict | None = None
    author: dict | None = None
    comment: dict | None = None
    meta: dict | None = None
    term: dict | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = _local(tag)
        if not self.stack:
            self.root = name
        self.stack.append(name)
        self.text = []
        where = tuple(self.stack)
        if where == ("rss", "channel", "item"):
            self.item = {"terms": [], "meta": {}, "comments": [], "line": self.line()}
        elif where == ("rss", "channel", "wp:author"):
            self.author = {}
        elif self.item is not None and where[3:] == ("wp:comment",):
            self.comment = {"line": self.line()}
        elif self.item is not None and where[3:] == ("wp:postmeta",):
            self.meta = {}
        elif self.item is not None and where[3:] == ("category",):
            self.term = {"domain": attrib.get("domain", ""), "slug": attrib.get("nicename", "")}

    def data(self, text: str) -> None:
        self.text.append(text)

    def end(self, tag: str) -> None:
        name = self.stack.pop()
        text = CONTROL.sub("", _C1.sub(_windows_1252, "".join(self.text)))  # and the non-characters XML allows
        self.text = []
        depth = len(self.stack)
        if depth == 2 and self.stack == ["rss", "channel"]:
            self._channel(name, text)
        elif self.author is not None and depth == 3:
            self.author[name] = text.strip()
        elif self.item is not None:
            self._in_item(name, text, depth)

    def _channel(self, name: str, text: str) -> None:
        if name == "item" and self.item is not None:
            self.items.append(_item(self.item))
            self.item = None
        elif name == "wp:author" and self.author is not None:
            login = self.author.get("wp:author_login", "")
            if login:
                self.authors[login] = self.author.get("wp:author_display_name") or login
            self.author = None
        elif name == "wp:wxr_version":
            self.version = text.strip()
        elif name == "wp:base_blog_url":
            self.site_url = text.strip()
        elif name == "link":
            self.link = text.strip()

    def _in_item(self, name: str, text: str, depth: int) -> None:
        item = self.item
        assert item is not None
        if depth == 3:
            if name == "wp:comment" and self.comment is not None:
                item["comments"].append(_comment(self.comment))
                self.comment = None
            elif name == "wp:postmeta" and self.meta is not None:
                item["meta"][self.meta.get("wp:meta_key", "")] = self.meta.get("wp:meta_value", "")
                self.meta = None
            elif name == "category" and self.term is not None:
                item["terms"].append(WpTerm(self.term["domain"], self.term["slug"], text.strip()))
                self.term = None
            else:
                item[name] = text
        elif depth == 4 and self.comment is not None:
            self.comment[name] = text
        elif depth == 4 and self.meta is not None:
            self.meta[name] = text

    def close(self) -> None:
        return None

    def check(self, shown: str, finished: bool = False) -> None:
        """Whether what has been read so far can be a WordPress export; raise BuildError saying why not."""
        if self.root and self.root != "rss":
            raise _error(shown, 1, _("is not a WordPress export: its first element is <{root}>, not <rss>; export the blog "
                                     "from WordPress (Tools → Export)", root=self.root))
        if self.root and (self.items or finished) and not self.version:
            raise _error(shown, 1, _("is an RSS feed, not a WordPress export: it has no <wp:wxr_version>; export the blog "
                                     "from WordPress (Tools → Export)"))
        if self.version and self.version not in VERSIONS:
            raise _error(shown, 1, _("is a WordPress export of version {version}, which this importer does not know; it "
                                     "reads versions {known}", version=self.version, known=", ".join(VERSIONS)))
        if finished and not self.root:
            raise _error(shown, 1, _("is empty: export the blog from WordPress (Tools → Export) and import that file"))


def _item(raw: dict) -> Item:
    def get(key: str) -> str:
        return raw.get(key, "")

    return Item(
        id=get("wp:post_id").strip(), type=get("wp:post_type").strip(), status=get("wp:status").strip(),
        title=get("title").strip(), link=get("link").strip(), guid=get("guid").strip(), creator=get("dc:creator").strip(),
        content=get("content:encoded"), excerpt=get("excerpt:encoded"), date=get("wp:post_date").strip(),
        date_gmt=get("wp:post_date_gmt").strip(), name=get("wp:post_name").strip(), parent=get("wp:post_parent").strip(),
        comment_status=get("wp:comment_status").strip(), attachment_url=get("wp:attachment_url").strip(),
        terms=tuple(raw["terms"]), meta=dict(raw["meta"]), comments=tuple(raw["comments"]), line=raw["line"],
    )


def _comment(raw: dict) -> WpComment:
    def get(key: str) -> str:
        return raw.get(f"wp:comment_{key}", "")

    return WpComment(
        id=get("id").strip(), author=get("author").strip(), email=get("author_email").strip(), url=get("author_url").strip(),
        date=get("date").strip(), date_gmt=get("date_gmt").strip(), content=get("content"), approved=get("approved").strip(),
        type=get("type").strip(), parent=get("parent").strip() or "0", line=raw["line"],
    )
