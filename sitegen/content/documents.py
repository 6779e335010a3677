"""Finding posts and pages on disk and splitting their front matter from the body."""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from sitegen import fingerprints
from sitegen.config.settings import Config
from sitegen.config.urls import Urls
from sitegen.config.yamlsource import YamlDocument, YamlError, decode_text, parse
from sitegen.content.frontmatter import PageMeta, PostMeta, check_page, check_post
from sitegen.content.markdown import Rendered, render, shorten
from sitegen.content.pictures import Cover, Place, cover
from sitegen.content.registry import Registry
from sitegen.content.static import STATIC_DIR, leads_outside, outside_project
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _

POSTS_DIR = "posts"
PAGES_DIR = "pages"


class SourceFile(NamedTuple):
    """A post or page on disk. A named tuple: one is made per source on every build, five times faster than a frozen dataclass."""

    path: str  # absolute path of the Markdown file
    rel: str  # path from the project root, as shown in messages
    key: str  # stable identifier: the file stem, or the folder name for <name>/index.md
    kind: str  # 'post' or 'page'
    assets: tuple[str, ...]  # files beside a folder's index.md, relative to that folder

    @property
    def root(self) -> Path:
        """The project folder: ``path`` less ``rel``."""
        return Path(self.path[: len(self.path) - len(self.rel)])


@dataclass(frozen=True)
class Document:
    """A source split into front matter (with key lines) and Markdown body."""

    source: SourceFile
    meta: YamlDocument
    body: str
    body_line: int  # line of the file where the body starts
    raw: bytes  # the file as read, for its digest


def find_sources(root: Path, folder: str, kind: str) -> list[SourceFile]:
    """Every ``folder/*.md`` and ``folder/<name>/index.md``, sorted by path.

    A symbolic link that leads out of the project is an error naming it: nothing from outside the
    project folder is ever read into the site (a link to /etc/passwd would publish it).
    """
    base = root / folder
    if not base.is_dir():
        return []
    inside = os.path.realpath(root)
    if outside_project(str(base), inside):
        raise BuildError([SourceError(folder, 0, leads_outside())])
    found: list[SourceFile] = []
    errors: list[SourceError] = []
    with os.scandir(base) as listing:  # not pathlib: this runs over every post on every build
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_symlink() and outside_project(entry.path, inside):
            errors.append(SourceError(f"{folder}/{entry.name}", 0, leads_outside()))
            continue
        if entry.name.endswith(".md") and entry.is_file():
            found.append(SourceFile(entry.path, f"{folder}/{entry.name}", entry.name[:-3], kind, ()))
        elif entry.is_dir() and os.path.isfile(index := os.path.join(entry.path, "index.md")):
            listed = sorted(Path(entry.path).rglob("*"))  # a linked folder is listed, not entered
            gone = [p for p in listed if (p.is_symlink() or p.is_file()) and outside_project(str(p), inside)]
            errors += [SourceError(p.relative_to(root).as_posix(), 0, leads_outside()) for p in gone]
            assets = tuple(str(p.relative_to(entry.path)).replace("\\", "/") for p in listed
                           if p not in gone and p.is_file() and p.name != "index.md" and not p.name.startswith("."))
            found.append(SourceFile(index, f"{folder}/{entry.name}/index.md", entry.name, kind, assets))
    by_key: dict[str, list[SourceFile]] = {}
    for source in found:
        by_key.setdefault(source.key, []).append(source)
    errors += [SourceError(first.rel, 0, _("has the same name as {other}: both would be '{key}', with one address and one set of "
                                           "comments; keep one (a folder holds photos beside its index.md)", other=second.rel, key=first.key))
               for first, second in (pair for pair in by_key.values() if len(pair) > 1)]
    if errors:
        raise BuildError(errors)
    return found


def read_document(source: SourceFile) -> Document:
    """Read one source; raise BuildError naming the file and line for unreadable input."""
    raw = Path(source.path).read_bytes()
    text = decode_text(raw, source.rel)
    meta, body, body_line = split_front_matter(text, source.rel)
    return Document(source, meta, body, body_line, raw)


# the '---' lines around front matter; spaces after the dashes are invisible in an editor, so allowed
_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_front_matter(text: str, rel: str) -> tuple[YamlDocument, str, int]:
    """Front matter between '---' lines at the top, parsed with line numbers, and the body."""
    opening = _OPENING.match(text)
    if opening is None:
        raise BuildError(
            [SourceError(rel, 1, _("missing front matter: the file must start with a line '---', "
                                   "then 'title:', 'date:' and the other keys, then '---'"))]
        )
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise BuildError([SourceError(rel, 1, _("front matter is not closed: add a line '---' after the last key"))])
    yaml_text = text[opening.end() : closing.start()]
    try:
        meta = parse(yaml_text, first_line=2)
    except YamlError as exc:
        raise BuildError([SourceError(rel, exc.line, exc.message)]) from None
    if not isinstance(meta.data, dict):
        raise BuildError([SourceError(rel, 2, _("front matter must be 'key: value' lines"))])
    body_line = yaml_text.count("\n") + 3
    return meta, text[closing.end() + 1 :], body_line


@dataclass(frozen=True)
class Post:
    """One visit, validated and rendered to HTML; the unit every index points at by ``key``."""

    key: str  # file stem or folder name; unique, stable across edits of the title
    source: str  # path from the project root, for messages
    meta: PostMeta
    url: str  # site path, e.g. '2017/03/aterbesok-i-finspang/'
    body: bytes  # the rendered body, zlib-compressed UTF-8 (see ``html``)
    summary: str  # plain text: front-matter summary or the first paragraph
    assets: tuple[str, ...]  # files published beside the post's index.html
    digest: str  # hash of the source bytes and the rendered body (which shows its images' names and sizes)
    links: tuple[tuple[str, int], ...]  # (href, file line) of links in the body, for checking
    images: tuple[tuple[str, int], ...]  # (src, file line) of images in the body, for their problems' lines
    headings: tuple[tuple[str, str], ...]  # (id, text) of the body's h2 headings: "Innehåll" when there are three or more
    cover: Cover | None  # the first image it shows, for previews where it is shared
    depends: tuple[str, ...]  # files of static/ the body shows, from the project root: a change means reading it again
    warnings: tuple[tuple[int, str], ...]  # (file line, message): raw HTML the pages' security policy blocks, told every build
    meta_digest: str  # hash of everything but the body: what lists, indexes and open data show

    @property
    def html(self) -> str:
        """The rendered body. Kept compressed: bodies are most of a big site's memory (a third as
        much this way), and of what goes to and from worker processes and the cache."""
        return zlib.decompress(self.body).decode("utf-8")

    @property
    def comments_open(self) -> bool:
        return self.meta.comments


@dataclass(frozen=True)
class Page:
    """A standalone page such as 'Om bloggen'."""

    key: str
    source: str
    meta: PageMeta
    url: str
    html: str
    summary: str
    assets: tuple[str, ...]
    digest: str
    links: tuple[tuple[str, int], ...]
    images: tuple[tuple[str, int], ...]
    headings: tuple[tuple[str, str], ...]
    cover: Cover | None
    depends: tuple[str, ...]
    warnings: tuple[tuple[int, str], ...]


def load_post(source: SourceFile, config: Config, registry: Registry, urls: Urls) -> Post:
    """Read, validate and render one post; raise BuildError with every problem in it."""
    doc, errors = read_document(source), _asset_problems(source)
    meta = check_post(doc.meta, source.rel, source.key, config, registry, errors)
    url = urls.post(meta.date, meta.slug) if meta is not None else ""  # with errors it is never shown
    rendered = _render_body(doc, config, url, errors)
    _raise_if(errors, meta)
    fields = _shared_fields(source, doc, rendered, meta.summary)
    fields["body"] = zlib.compress(fields.pop("html").encode("utf-8"))
    meta_digest = fingerprints.post_metadata(source.key, source.rel, meta, url, fields["summary"], source.assets)
    return Post(meta=meta, url=url, meta_digest=meta_digest, **fields)


def load_page(source: SourceFile, config: Config) -> Page:
    """Read, validate and render one standalone page."""
    doc, errors = read_document(source), _asset_problems(source)
    meta = check_page(doc.meta, source.rel, source.key, errors)
    url = f"{meta.slug}/" if meta is not None else ""
    rendered = _render_body(doc, config, url, errors)
    _raise_if(errors, meta)
    return Page(meta=meta, url=url, **_shared_fields(source, doc, rendered, meta.summary))


def _raise_if(errors: list[SourceError], meta: object | None) -> None:
    if errors or meta is None:
        raise BuildError(sorted(errors, key=lambda e: e.line))  # top to bottom, as the writer reads


def _shared_fields(source: SourceFile, doc: Document, rendered: Rendered, summary: str | None) -> dict:
    """The fields posts and pages share, from the source and its rendered body."""
    return {
        "key": source.key,
        "source": source.rel,
        "html": rendered.html,
        "summary": summary.strip() if summary else shorten(rendered.first_paragraph),
        "assets": source.assets,
        "digest": fingerprints.bytes_digest(doc.raw, rendered.html.encode("utf-8")),
        "links": tuple((href, doc.body_line + line) for href, line in rendered.links),
        "images": tuple((src, doc.body_line + line) for src, line in rendered.images),
        "headings": rendered.headings,
        "cover": cover(rendered.pictures),
        "depends": tuple(dict.fromkeys(pic.source for pic, _ in rendered.pictures if pic.source.startswith(f"{STATIC_DIR}/"))),
        "warnings": tuple((doc.body_line + line, message) for line, message in rendered.warnings),
    }


def load_source(source: SourceFile, config: Config, registry: Registry, urls: Urls) -> Post | Page:
    """A post or a page, whichever the source is."""
    return load_post(source, config, registry, urls) if source.kind == "post" else load_page(source, config)


def _asset_problems(source: SourceFile) -> list[SourceError]:
    """Assets are copied beside the page made from index.md: one named index.html would replace it."""
    folder = source.rel.rsplit("/", 1)[0]
    return [
        SourceError(f"{folder}/{asset}", 0, _("would replace the page made from index.md; rename or remove it"))
        for asset in source.assets
        if asset == "index.html"
    ]


def _render_body(doc: Document, config: Config, url: str, errors: list[SourceError]) -> Rendered:
    """The body as HTML, its images looked up beside it (or in static/); their problems go to ``errors``."""
    source = doc.source
    place = Place(source.root, source.rel, url, source.assets, config.images.widths)
    rendered = render(doc.body, config.base_path, place, urlsplit(config.base_url).netloc)
    errors.extend(SourceError(source.rel, doc.body_line + line, message) for line, message in rendered.problems)
    return rendered
