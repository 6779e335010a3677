"""Reading every post, page and approved comment: from the cache when unchanged, in parallel when many."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .cache import BuildCache, stat_signature
from .comments import sanitize, store
from .config import Config
from .content import PAGES_DIR, POSTS_DIR, Page, Post, SourceFile, find_sources, load_source
from .errors import BuildError, SourceError
from .parallel import map_sources
from .progress import ProgressBar
from .registry import Registry
from .urls import Urls

RACY_NS = 2_000_000_000


def scan_sources(root: Path) -> list[tuple[SourceFile, tuple]]:
    """Every post and page source with the size, mtime and inode of it and its assets."""
    return [
        (source, stat_signature([source.path, *(os.path.join(os.path.dirname(source.path), a) for a in source.assets)]))
        for source in find_sources(root, POSTS_DIR, "post") + find_sources(root, PAGES_DIR, "page")
    ]


def load_content(
    root: Path,
    config: Config,
    registry: Registry,
    cache: BuildCache,
    bar: ProgressBar | None = None,
) -> tuple[list[Post], list[Page], int]:
    """Every post and page, validated and rendered to HTML; all problems in all files at once.

    A source whose size and modification time match the cache is not read again; ``cache.sources``
    is replaced by what this build saw, so deleted and renamed files drop out. Also returns how
    many sources were read and rendered this time.
    """
    urls = Urls.for_config(config)
    errors: list[SourceError] = []
    posts: list[Post] = []
    pages: list[Page] = []
    seen: dict[str, tuple] = {}
    scanned = scan_sources(root)
    records: dict[str, Post | Page] = {}
    todo: list[SourceFile] = []
    known = cache.sources
    for source, signature in scanned:  # one plain pass: this runs over every post on every build
        hit = known.get(source.rel)
        if hit is not None and hit[0] == signature:
            records[source.rel] = hit[1]
        else:
            todo.append(source)
    progress = bar.stage("read", len(todo)) if bar is not None else None
    for source, result in zip(todo, map_sources(load_source, todo, config, registry, urls, progress=progress)):
        if isinstance(result, tuple):
            errors.extend(result)
        else:
            records[source.rel] = result
    racy = time.time_ns() - RACY_NS
    for source, signature in scanned:
        record = records.get(source.rel)
        if record is not None:
            # a file changed within the clock's resolution of now may change again with the same
            # size and mtime: record it so the next build reads it again (git's "racy clean" rule)
            fresh = any(mtime > racy for _, mtime, _ in signature)
            seen[source.rel] = (("racy",) if fresh else signature, record)
            (posts if source.kind == "post" else pages).append(record)
    if errors:
        raise BuildError(errors)
    cache.sources = seen
    return posts, pages, len(todo)


def published(items: list, drafts: bool) -> list:
    """The posts or pages a build shows: all of them with --drafts, else those not marked draft."""
    return items if drafts else [p for p in items if not p.meta.draft]


def load_comments(root: Path, config: Config, posts: list[Post]) -> dict[str, tuple[sanitize.RenderedComment, ...]]:
    """Approved comments per post key, sanitised; comments for a post that is gone are an error."""
    approved = store.approved(root / config.comments.dir)
    keys = {p.key for p in posts}
    errors = [
        SourceError(f"{config.comments.dir}/{key}", 0, f"approved comments for a post that does not exist: no posts/{key}.md")
        for key in sorted(approved)
        if key not in keys
    ]
    if errors:
        raise BuildError(errors)
    return {key: tuple(sanitize.render_comment(c) for c in items) for key, items in approved.items()}
