"""import-wordpress: a WordPress export as posts, pages, approved comments, photos beside their posts and old URLs.

``import_wordpress`` reads the whole export and works out every file first, then writes: an
export that cannot be read writes nothing. Each file is made from the export alone, byte for byte
the same on every run, so a second run finds every file as it is and changes nothing; a file that
differs (a writer edited it) is kept unless ``--force``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from sitegen.comments import store
from sitegen.config.settings import Config, load_config
from sitegen.config.urls import Urls, slug
from sitegen.content.documents import PAGES_DIR, POSTS_DIR
from sitegen.content.registry import load_registry
from sitegen.importers.convert import Converted, placeholder_alt, to_markdown
from sitegen.importers.places import Classifier, Placed, load_map
from sitegen.importers.wxr import Export, Item, WpComment, read_export
from sitegen.messages import _
from sitegen.parallel import map_shared
from sitegen.progress import ProgressBar

IMPORTED_STATUSES = {"publish": False, "future": False, "draft": True, "pending": True, "private": True}  # -> draft
_SIZED = re.compile(r"-(?:\d+x\d+|scaled)(?=\.[A-Za-z0-9]+$)")  # WordPress's resized copies: boras1-1024x768.jpg
NO_DATE = "0000-00-00 00:00:00"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, where it is built: a tenth of an import's time


@dataclass(frozen=True)
class ImportOptions:
    """What the command line asked for."""

    export: Path
    uploads: Path | None = None  # the blog's wp-content/uploads folder, copied from the old server
    term_map: Path | None = None  # MAP.yaml
    dry_run: bool = False
    force: bool = False


@dataclass
class Report:
    """What an import did and could not do, for the closing report."""

    posts: int = 0
    pages: int = 0
    comments: int = 0
    drafts: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (file, old URL of an upload not in --uploads)
    external: list[tuple[str, str]] = field(default_factory=list)  # (file, image on another site)
    shortcodes: dict[str, list[str]] = field(default_factory=dict)  # name -> files
    mapped: Counter = field(default_factory=Counter)  # (term, kind, value) -> posts
    unmapped: Counter = field(default_factory=Counter)  # term left as a tag -> posts
    dropped: Counter = field(default_factory=Counter)  # term -> posts
    skipped_comments: Counter = field(default_factory=Counter)  # kind ('pending', 'spam', …) -> count
    skipped_items: Counter = field(default_factory=Counter)  # status or type -> count
    query_links: list[tuple[str, str]] = field(default_factory=list)  # ('?p=123', new URL)
    unshown: list[tuple[str, str]] = field(default_factory=list)  # (file, upload attached to its post but shown nowhere)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existing files that differ, left alone without --force


def import_wordpress(root: Path, options: ImportOptions, bar: ProgressBar) -> Report:
    """Import ``options.export`` into the site at ``root``; BuildError (nothing written) if it cannot be read."""
    config, registry = load_config(root), load_registry()
    rules = load_map(options.term_map, str(options.term_map), config, registry) if options.term_map else {}
    size = options.export.stat().st_size if options.export.is_file() else 0
    export = read_export(options.export, str(options.export), bar.stage("read", size))
    bar.finish()
    report = Report()
    files = plan_files(export, config, Classifier(config, registry, rules), options.uploads, report, bar)
    bar.finish()
    write_files(root, files, options, report, bar.stage("write", len(files)))
    bar.finish()
    return report


def plan_files(export: Export, config: Config, classifier: Classifier, uploads: Path | None, report: Report,
               bar: ProgressBar | None = None) -> dict[str, bytes | Path]:
    """Every file the import makes, relative to the site's root: Markdown, comment YAML, or an upload to copy."""
    library = MediaLibrary.of(export, uploads)
    urls = Urls.for_config(config)
    files: dict[str, bytes | Path] = {}
    taken: set[str] = set()
    wanted = []
    for item in export.items:
        if item.type not in ("post", "page"):
            if item.type != "attachment":
                report.skipped_items[item.type or "?"] += 1
        elif item.status not in IMPORTED_STATUSES:
            report.skipped_items[item.status or "?"] += 1
        else:
            wanted.append(item)
    # HTML to Markdown is most of an import's work: over every core, each worker with the library by fork
    progress = bar.stage("convert", len(wanted)) if bar is not None else None
    bodies = [done.value for done in map_shared(convert_item, wanted, library, progress)]  # convert_item raises no BuildError
    documents: dict[str, str] = {}  # WordPress id -> the Markdown file
    for item, body in zip(wanted, bodies, strict=True):
        document = _document(item, body, export, config, classifier, urls, taken, report)
        files.update(document.files)
        documents[item.id] = document.rel
        if item.type == "post":
            report.posts += 1
            files.update(_comment_files(item.comments, document.key, config, report))
        else:
            report.pages += 1
            if item.comments:
                report.skipped_comments["on a page"] += len(item.comments)
    copied = {content for content in files.values() if isinstance(content, Path)}
    for item in export.items:  # photos uploaded to a post but not shown in it may not be meant for readers: not copied
        path = library.attachments.get(item.id) if item.type == "attachment" else None
        found = library.file(path) if path else None
        if found is not None and found not in copied and item.parent in documents:
            report.unshown.append((documents[item.parent], path))
    return files


@dataclass(frozen=True)
class Body:
    """One post's or page's Markdown, with the uploads it shows beside it."""

    converted: Converted
    copies: Mapping[str, Path]  # name beside the post -> the file in --uploads
    cover: tuple[str, str] | None  # (name, alt text) of the featured image


def convert_item(library: MediaLibrary, item: Item) -> Body:
    """``item``'s HTML as Markdown, its uploads named beside it; runs in a worker."""
    beside = BesideThePost(library)
    converted = to_markdown(item.content, beside, library.alt)
    cover = library.featured(item, beside)
    return Body(converted, dict(beside.copies), cover)


@dataclass(frozen=True)
class Document:
    """One post or page as files: its Markdown, and the uploads beside it."""

    key: str
    rel: str  # its Markdown file
    files: Mapping[str, bytes | Path]


def _document(item: Item, body: Body, export: Export, config: Config, classifier: Classifier, urls: Urls,
              taken: set[str], report: Report) -> Document:
    when = _local_time(item.date, item.date_gmt, config)
    name = slug(unquote(item.name)) or slug(item.title) or f"wordpress-{item.id}"
    is_post = item.type == "post"
    key = f"{when:%Y-%m-%d}-{name}" if is_post else name
    key = _unique(key, taken)
    converted, cover = body.converted, body.cover
    markdown = converted.markdown
    if cover is not None and not re.search(rf"\]\({re.escape(cover[0])}[\s)]", markdown):
        markdown = f"![{cover[1]}]({cover[0]})\n\n{markdown}"  # the featured image: the post's first image, shown in previews
    folder = POSTS_DIR if is_post else PAGES_DIR
    rel = f"{folder}/{key}/index.md" if body.copies else f"{folder}/{key}.md"
    reasons = []
    if IMPORTED_STATUSES[item.status]:
        reasons.append(_("it was a {status} in WordPress", status=_status(item.status)))
    placed = classifier.place(item.terms) if is_post else None
    if placed is not None:
        _count_terms(placed, report)
        if placed.problem:
            reasons.append(placed.problem)
    if converted.without_alt:
        reasons.append(_("{count} picture(s) have no alt text: replace '{placeholder}' with what the picture shows",
                         count=converted.without_alt, placeholder=placeholder_alt()))
    aliases, query = _old_address(item.link, export.site_url, urls, when, name, is_post)
    if query:
        report.query_links.append((query, "/" + (urls.post(when, name) if is_post else f"{name}/")))
    text = _front_matter(item, export, config, when, name, placed, reasons, aliases) + "\n" + markdown
    _note(report, rel, reasons, converted)
    files: dict[str, bytes | Path] = {rel: text.encode("utf-8")}
    files.update({f"{folder}/{key}/{copy}": source for copy, source in body.copies.items()})
    return Document(key, rel, files)


def _status(status: str) -> str:
    return {"draft": _("draft"), "pending": _("post pending review"), "private": _("private post")}.get(status, status)


def _note(report: Report, rel: str, reasons: list[str], converted: Converted) -> None:
    if reasons:
        report.drafts.append((rel, "; ".join(reasons)))
    report.missing.extend((rel, url) for url in converted.missing)
    report.external.extend((rel, url) for url in converted.external)
    for code in converted.shortcodes:
        report.shortcodes.setdefault(code, []).append(rel)


def _count_terms(placed: Placed, report: Report) -> None:
    for term, rule in placed.rules:
        if rule.kind == "drop":
            report.dropped[term] += 1
        elif rule.kind == "tag" and not rule.given:
            report.unmapped[term] += 1
        else:
            report.mapped[(term, rule.kind, ", ".join(rule.values))] += 1


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        candidate = f"{key}-{n}"
    taken.add(candidate)
    return candidate


def _local_time(local: str, gmt: str, config: Config) -> datetime:
    """The post's time in the site's zone: from the UTC time when WordPress knows it, else its local time as it is."""
    if gmt and gmt != NO_DATE:
        try:
            return datetime.fromisoformat(gmt).replace(tzinfo=UTC).astimezone(config.tz).replace(tzinfo=None)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(local)
    except ValueError:
        return datetime(1970, 1, 1)


def _old_address(link: str, site_url: str, urls: Urls, when: datetime, name: str, is_post: bool) -> tuple[list[str], str]:
    """The old permalink as an alias (unless it is the new address), or the '?p=123' link that cannot be one."""
    parts = urlsplit(link)
    if parts.query:
        return [], "?" + parts.query
    base = urlsplit(site_url).path.rstrip("/")
    path = parts.path[len(base):] if base and parts.path.startswith(base + "/") else parts.path
    new = "/" + (urls.post(when, name) if is_post else f"{name}/")
    if not path or path == "/" or unquote(path).rstrip("/") + "/" == new:
        return [], ""
    return [path], ""


def _front_matter(item: Item, export: Export, config: Config, when: datetime, name: str, placed: Placed | None,
                  reasons: list[str], aliases: list[str]) -> str:
    lines = ["---", _yaml("title", item.title or name)]
    if placed is not None:
        lines.append(_yaml("date", f"{when:%Y-%m-%dT%H:%M}"))
        author = export.authors.get(item.creator, item.creator)
        if author and author != config.author:
            lines.append(_yaml("author", author))
        if placed.municipalities:
            value: object = placed.municipalities[0] if len(placed.municipalities) == 1 else list(placed.municipalities)
            lines.append(_yaml("municipality", value))
        if placed.county:
            lines.append(_yaml("county", placed.county))
        if placed.plan_areas:
            lines.append(_yaml("plan_areas", list(placed.plan_areas)))
        if placed.tags:
            lines.append(_yaml("tags", list(placed.tags)))
    summary = " ".join(re.sub(r"<[^>]+>", " ", item.excerpt).split())
    if summary:
        lines.append(_yaml("summary", summary))
    lines.append(_yaml("slug", name))
    if reasons:
        lines.append("draft: true   # " + " ".join("; ".join(reasons).split()))
    if placed is not None and item.comment_status == "closed":
        lines.append("comments: false")
    if aliases:
        lines.append(_yaml("aliases", aliases))
    lines.append("---")
    return "\n".join(lines) + "\n"


def _yaml(key: str, value: object) -> str:
    """One front-matter line, quoted where YAML needs it; lists in brackets, as writers write them."""
    text = yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, default_flow_style=True, width=1 << 30)
    return f"{key}: {text.removesuffix(chr(10)).removesuffix(chr(10) + '...')}"


def _comment_files(comments: tuple[WpComment, ...], key: str, config: Config, report: Report) -> dict[str, bytes]:
    """Approved comments as comment files, replies with their parent; the others counted by kind."""
    ids: dict[str, str] = {}
    chosen = []
    for c in comments:
        kind = _comment_kind(c)
        if kind is not None:
            report.skipped_comments[kind] += 1
            continue
        when = _comment_time(c, config)
        ids[c.id] = f"{when:%Y%m%dT%H%M%S000000Z}-wp{re.sub(r'[^0-9A-Za-z]', '', c.id) or '0'}"
        chosen.append((c, when))
    files = {}
    for c, when in chosen:
        parent = ids.get(c.parent, "") if c.parent != "0" else ""
        comment = store.Comment(id=ids[c.id], post=key, name=" ".join(c.author.split()) or _("Anonymous"), email=c.email,
                                website=c.url, date=when, text=c.content.strip() or "…", parent=parent)
        files[f"{config.comments.dir}/{key}/{comment.id}.yaml"] = store.dump(comment).encode("utf-8")
        report.comments += 1
    return files


def _comment_kind(c: WpComment) -> str | None:
    """Why a comment is not imported ('pending', 'spam', 'trash', 'pingback', …), or None."""
    if c.type in ("pingback", "trackback"):
        return c.type
    return {"1": None, "0": "pending", "spam": "spam"}.get(c.approved, "trash")


def _comment_time(c: WpComment, config: Config) -> datetime:
    for text, zone in ((c.date_gmt, UTC), (c.date, config.tz)):
        if text and text != NO_DATE:
            try:
                return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)
            except ValueError:
                continue
    return datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MediaLibrary:
    """The blog's uploads: alt texts and featured images from the export, files from --uploads."""

    host: str  # the blog's host without 'www.'
    site_url: str  # the blog's address, which links to uploads not in --uploads keep pointing at
    folder: Path | None
    alts: Mapping[str, str]  # upload path -> alt text
    attachments: Mapping[str, str]  # attachment id -> upload path

    @classmethod
    def of(cls, export: Export, folder: Path | None) -> MediaLibrary:
        library = cls(_host(export.site_url), export.site_url, folder.resolve() if folder else None, {}, {})
        alts, attachments = {}, {}
        for item in export.items:
            if item.type == "attachment":
                path = library.upload_path(item.attachment_url) or item.meta.get("_wp_attached_file", "")
                if path:
                    attachments[item.id] = path
                    if item.meta.get("_wp_attachment_image_alt", "").strip():
                        alts[path] = " ".join(item.meta["_wp_attachment_image_alt"].split())
        return cls(library.host, library.site_url, library.folder, alts, attachments)

    def upload_path(self, url: str) -> str | None:
        """'https://blog/wp-content/uploads/2017/02/a-300x200.jpg' -> '2017/02/a-300x200.jpg'; None if no upload of this blog."""
        parts = urlsplit(url.strip())
        if parts.hostname and _host(url) != self.host:
            return None
        marker = "/wp-content/uploads/"
        if marker not in parts.path:
            return None
        return unquote(parts.path.split(marker, 1)[1])

    def alt(self, url: str) -> str:
        path = self.upload_path(url)
        return "" if path is None else self.alts.get(path) or self.alts.get(_SIZED.sub("", path), "")

    def file(self, path: str) -> Path | None:
        """The upload in --uploads, its original rather than a resized copy; None if it is not there (or outside)."""
        if self.folder is None:
            return None
        for candidate in dict.fromkeys((_SIZED.sub("", path), path)):
            found = (self.folder / candidate).resolve()
            if found.is_relative_to(self.folder) and found.is_file():
                return found
        return None

    def featured(self, item: Item, beside: BesideThePost) -> tuple[str, str] | None:
        """(name beside the post, alt text) of the post's featured image, when it is in --uploads and has alt text."""
        path = self.attachments.get(item.meta.get("_thumbnail_id", ""))
        if not path or not (alt := self.alts.get(path)) or self.file(path) is None:
            return None
        return beside.name_for(path), alt


class BesideThePost:
    """The uploads one post links to, each given a name in the post's folder (the converter's ``Uploads``)."""

    def __init__(self, library: MediaLibrary):
        self.library = library
        self.copies: dict[str, Path] = {}  # name beside the post -> the file in --uploads
        self._names: dict[Path, str] = {}

    def local(self, url: str) -> tuple[str, bool] | None:
        path = self.library.upload_path(url)
        if path is None:
            return None
        if self.library.file(path) is None:  # on the old blog, in full: '/wp-content/…' is no page of the new site
            return urljoin(self.library.site_url.rstrip("/") + "/", url.strip()), False
        return self.name_for(path), True

    def name_for(self, path: str) -> str:
        source = self.library.file(path)
        assert source is not None
        if source not in self._names:
            stem, suffix = PurePosixPath(source.name).stem, PurePosixPath(source.name).suffix.lower()
            base = slug(stem) or "fil"
            name, n = f"{base}{suffix}", 1
            while name in self.copies:
                n += 1
                name = f"{base}-{n}{suffix}"
            self.copies[name] = source
            self._names[source] = name
        return self._names[source]


def _host(url: str) -> str:
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.")


def write_files(root: Path, files: Mapping[str, bytes | Path], options: ImportOptions, report: Report,
                progress: Callable[[int], None]) -> None:
    """Write what is new; leave what is the same; keep what differs unless ``force``; with ``dry_run``, only count."""
    files, moves = _settled(root, files, options.force, report)
    for rel in sorted(files):
        content = files[rel]
        data = content.read_bytes() if isinstance(content, Path) else content
        target = root / rel
        if target.is_file():
            if target.read_bytes() == data:
                report.unchanged.append(rel)
                progress(1)
                continue
            if not options.force:
                report.kept.append(rel)
                progress(1)
                continue
        report.written.append(rel)
        if not options.dry_run:
            _write(target, data)
        progress(1)
    for gone in moves:
        report.written.append(gone + " → " + gone.removesuffix(".md") + "/index.md")
        if not options.dry_run:
            (root / gone).unlink()


def _settled(root: Path, files: Mapping[str, bytes | Path], force: bool, report: Report) -> tuple[dict[str, bytes | Path], list[str]]:
    """The files to write where a post already is: one written earlier as a file stays one, or moves into its folder.

    A post gets a folder when its images are found (a run with --uploads after one without): its
    file moves into the folder with --force, else it is kept and its images wait.
    """
    out: dict[str, bytes | Path] = {}
    moves: list[str] = []
    waiting: set[str] = set()
    for rel in files:
        if rel.endswith("/index.md") and (root / (folder := rel.removesuffix("/index.md") + ".md")).is_file():
            if force:
                moves.append(folder)
            else:
                report.kept.append(folder)
                waiting.add(rel.removesuffix("index.md"))
    for rel, content in files.items():
        if any(rel.startswith(w) for w in waiting):
            continue
        single = rel.endswith(".md") and rel.count("/") == 1
        if single and (root / rel.removesuffix(".md") / "index.md").is_file():
            rel = rel.removesuffix(".md") + "/index.md"  # written into its folder before: it stays there
        out[rel] = content
    return out, moves


def _write(target: Path, data: bytes) -> None:
    """Write one file whole or not at all: a temporary file beside it, then renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.import")  # hidden, so a build running meanwhile never reads it
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)

