"""The content stage: every post and page, read and validated, from the cache when unchanged, in parallel when many; and static/."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sitegen.config.settings import Config
from sitegen.config.urls import Urls
from sitegen.content.documents import PAGES_DIR, POSTS_DIR, Page, Post, SourceFile, find_sources, load_source
from sitegen.content.registry import Registry
from sitegen.content.static import StaticFiles, find_static
from sitegen.errors import BuildError, SourceError
from sitegen.parallel import Failed, map_sources
from sitegen.progress import ProgressBar

RACY_NS = 2_000_000_000
RACY = ("racy",)  # the signature of a source changed too recently to trust its size and mtime

Signature = tuple[tuple[int, int, int], ...]  # (size, mtime_ns, inode) of a source, each of its assets and the static files it shows
Known = tuple[Signature | tuple[str], Post | Page]  # a source's signature (or RACY) and what was read from it


@dataclass(frozen=True)
class SiteContent:
    """Every post and page of the project, drafts included, and what was read to get them."""

    posts: tuple[Post, ...]
    pages: tuple[Page, ...]
    static: StaticFiles  # static/, published at the site root
    sources: Mapping[str, Known]  # rel path -> what this build saw: the next build's cache
    read: int  # sources read and rendered this time; the others came from the cache
    problems: tuple[SourceError, ...] = ()  # what is wrong with the sources left out: ``build`` stops on them, ``check`` goes on
    failed: frozenset[str] = frozenset()  # keys of the posts left out for their problems

    @property
    def warnings(self) -> tuple[SourceError, ...]:
        """What the sources have that will not work on the pages, though the build goes on: told on every build."""
        return tuple(SourceError(doc.source, line, message) for doc in (*self.posts, *self.pages) for line, message in doc.warnings)

    def published(self, drafts: bool, future: bool, now: datetime) -> tuple[list[Post], list[Page]]:
        """The posts and pages a build shows: drafts only with ``drafts``, posts dated after ``now`` only with ``future``."""
        posts = [p for p in self.posts if shown(p, drafts, future, now)]
        return posts, [p for p in self.pages if drafts or not p.meta.draft]

    def hidden(self, drafts: bool, future: bool, now: datetime) -> tuple[int, int]:
        """How many posts a build leaves out: (drafts, scheduled ones that are not drafts)."""
        draft = 0 if drafts else sum(1 for p in self.posts if p.meta.draft)
        later = sum(1 for p in self.posts if shown(p, drafts, True, now) and not shown(p, drafts, future, now))
        return draft, later


def shown(post: Post, drafts: bool, future: bool, now: datetime) -> bool:
    """Whether a build with these options shows ``post``: a draft only with ``drafts``, a later date only with ``future``."""
    return (drafts or not post.meta.draft) and (future or post.meta.date <= now)


def racy(signature: Signature, now_ns: int) -> bool:
    """Changed within the clock's resolution of ``now_ns``: it may change again with the same size and mtime, so
    it is recorded to be read again next time (git's "racy clean" rule)."""
    return any(mtime > now_ns - RACY_NS for _, mtime, _ in signature)


def stat_signature(paths: list[str]) -> Signature:
    """Size, modification time and inode of a source and its assets: cheap to check on every build."""
    sig = []
    for p in paths:
        st = os.stat(p)
        sig.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(sig)


def with_depends(root: Path, signature: Signature, record: Post | Page) -> Signature | None:
    """``signature`` and those of the files of static/ the record's body shows; None if one is gone."""
    if not record.depends:  # nearly every post: nothing more to look at
        return signature
    try:
        return signature + stat_signature([os.path.join(root, rel) for rel in record.depends])
    except OSError:
        return None


def scan_sources(root: Path) -> list[tuple[SourceFile, Signature]]:
    """Every post and page source with the size, mtime and inode of it and its assets."""
    return [
        (source, stat_signature([source.path, *(os.path.join(os.path.dirname(source.path), a) for a in source.assets)]))
        for source in find_sources(root, POSTS_DIR, "post") + find_sources(root, PAGES_DIR, "page")
    ]


def read_content(root: Path, config: Config, registry: Registry, known: Mapping[str, Known], bar: ProgressBar) -> SiteContent:
    """Every post and page, validated and rendered to HTML, and static/; the problems of all files at once.

    A source whose size, modification time and inode are as ``known`` (the last build's) is not read again.
    """
    urls = Urls.for_config(config)
    errors: list[SourceError] = []
    posts: list[Post] = []
    pages: list[Page] = []
    seen: dict[str, Known] = {}
    scanned = scan_sources(root)
    records: dict[str, Post | Page] = {}
    todo: list[SourceFile] = []
    failed: set[str] = set()
    for source, signature in scanned:  # one plain pass: this runs over every post on every build
        hit = known.get(source.rel)
        if hit is not None and hit[0][: len(signature)] == signature and hit[0] == with_depends(root, signature, hit[1]):
            records[source.rel] = hit[1]
        else:
            todo.append(source)
    for source, result in zip(todo, map_sources(load_source, todo, config, registry, urls, progress=bar.stage("read", len(todo)))):
        if isinstance(result, Failed):
            errors.extend(result.errors)
            failed.add(source.key)
        else:
            records[source.rel] = result.value
    now = time.time_ns()
    for source, signature in scanned:
        record = records.get(source.rel)
        if record is not None:
            full = with_depends(root, signature, record)
            seen[source.rel] = (RACY if full is None or racy(full, now) else full, record)
            (posts if source.kind == "post" else pages).append(record)
    try:
        static = find_static(root)
    except BuildError as exc:  # without static/ no page can be made: stop here, with everything found so far
        raise BuildError([*errors, *exc.errors]) from None
    return SiteContent(tuple(posts), tuple(pages), static, seen, len(todo), tuple(errors), frozenset(failed))
