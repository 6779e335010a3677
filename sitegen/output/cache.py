"""The build cache: what the last build read and wrote, so a rebuild redoes only what changed and is never wrong.

It lives in .sitegen-cache/ beside config.yaml, one folder per output folder. Its key
(``fingerprints.cache_key``) covers the generator itself, the config and the registry;
templates and command-line options are part of every output's fingerprint. Any mismatch, a
missing file or an unreadable one means a full build.

How it is stored: unpickling and pickling every post is most of what a small rebuild costs
(about 40 objects a post), so the posts and pages live in ``SEGMENTS`` files by a hash of their
path, and a build rewrites only the segments whose sources changed. The plan (index, pages,
shared fingerprint) is a file of its own, named after the site's structure and rewritten only
when that changes; it refers to the records by path instead of holding copies. The state file
(output records, page fingerprints, search record) is written last and names the segment and
plan files it belongs to, so an interrupted save leaves the previous cache whole.

``serve`` keeps the last state in memory as well (``Memory``): its next build starts from that
without loading anything, and the writing to disk waits until the writer has seen the edit.
"""

from __future__ import annotations

import functools
import os
import pickle
import secrets
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from sitegen.content.documents import Page, Post
from sitegen.content.pictures import ImageFile
from sitegen.content.read import Known, Signature, SiteContent
from sitegen.fingerprints import digest
from sitegen.output.staging import Produced, Sink
from sitegen.parallel import beside, collector_paused, frozen_heap, loading
from sitegen.site.plan import SitePlan

CACHE_DIR = ".sitegen-cache"
SEGMENTS = 64
STATE = "state.pickle"
_BROKEN = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, KeyError, TypeError, ValueError)


class Recorded(NamedTuple):
    """What an output file was made from, and the file as it was written.

    A named tuple, stored as a plain one: there is one per output, and a dataclass took three
    times as long to pickle and unpickle, on every build.
    """

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class SearchRecord:
    """What the search index was made from: each shard's fingerprint and files, each post page's indexed text."""

    shards: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # folder -> (fingerprint, files)
    pages: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # post page -> (page fingerprint, text digest)


class SeenImage(NamedTuple):
    """An image file as the last build found it: its signature, the digest of its bytes and its header."""

    signature: Signature
    digest: str
    file: ImageFile


@dataclass(frozen=True)
class BuildState:
    """What one build leaves for the next with the same settings and output folder."""

    key: str  # fingerprints.cache_key of the settings: another key means nothing here is reused
    sources: Mapping[str, Known] = field(default_factory=dict)  # rel path -> (signature, record)
    outputs: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)  # output file -> Recorded (a plain tuple as loaded)
    files: tuple[str, ...] = ()  # every file the build wrote, so those gone since can be removed
    plan: SitePlan | None = None  # the index and plan, reused when only post bodies changed
    search: SearchRecord = field(default_factory=SearchRecord)
    images: Mapping[str, SeenImage] = field(default_factory=dict)  # image file, from the project root -> as seen
    spare: frozenset[str] | None = None  # files the site kept beside the output (the one before) may differ in; None: none kept


@dataclass(frozen=True)
class PreviousBuild:
    """The last build's state, as loaded, and a check of its outputs on disk."""

    state: BuildState
    folder: Path  # this output folder's cache folder
    # how the sources were stored: segment -> (file name, rel -> record), so unchanged segments are kept
    stored: Mapping[int, tuple[str, Mapping[str, Post | Page]]] = field(default_factory=dict)
    touched: Callable[[], AbstractSet[str]] = frozenset  # recorded outputs that are gone or were changed by hand

    def unchanged(self, file: str, fingerprint: str) -> bool:
        """The output was made from the same inputs and is still on disk as it was written."""
        return file in self.reusable({file: fingerprint})

    def reusable(self, fingerprints: Mapping[str, str]) -> frozenset[str]:
        """The outputs of ``fingerprints`` (file -> fingerprint) made from the same inputs and still on disk as written."""
        outputs, touched = self.state.outputs, self.touched()
        return frozenset(file for file, fp in fingerprints.items()
                         if (rec := outputs.get(file)) is not None and rec[0] == fp and file not in touched)

    def on_disk(self, files: Iterable[str]) -> frozenset[str]:
        """Of ``files``, those the last build wrote and still on disk as written, whatever they were made from."""
        outputs, touched = self.state.outputs, self.touched()
        return frozenset(file for file in files if file in outputs and file not in touched)


def touched(outputs: Mapping[str, tuple[str, int, int]], out: Path) -> set[str]:
    """Recorded outputs that are gone or no longer as they were written (someone changed them)."""
    found: set[str] = set()
    try:
        out_fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if os.stat in os.supports_dir_fd else None
    except OSError:  # no output folder: every recorded file is gone
        return set(outputs)
    try:
        for file, (_, size, mtime_ns) in outputs.items():
            try:
                # relative to the open folder where the system allows it: a third cheaper
                st = os.stat(file, dir_fd=out_fd) if out_fd is not None else os.stat(os.path.join(out, file))
            except OSError:
                found.add(file)
                continue
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                found.add(file)
    finally:
        if out_fd is not None:
            os.close(out_fd)
    return found


def cache_folder(root: Path, out: Path) -> Path:
    # one cache per output folder, so `serve` and `build` do not undo each other's work
    return root / CACHE_DIR / f"build-{digest(str(out))[:12]}"


@dataclass
class Memory:
    """The last build's state, held by ``serve`` between its builds, and whether it is on disk yet.

    The output is serve's own preview, written only by the builds that left this state, so the
    check of the outputs on disk is left out too.
    """

    folder: Path | None = None  # the cache folder the state belongs to
    state: BuildState | None = None
    stored: Mapping[int, tuple[str, Mapping[str, Post | Page]]] = field(default_factory=dict)  # as ``PreviousBuild.stored``
    saved: bool = True

    def recall(self, folder: Path, key: str) -> PreviousBuild | None:
        """The state kept for ``folder`` with ``key``; None if there is none."""
        if self.state is None or self.folder != folder or self.state.key != key:
            return None
        return PreviousBuild(self.state, folder, self.stored)

    def keep(self, folder: Path, state: BuildState, stored: Mapping[int, tuple[str, Mapping[str, Post | Page]]]) -> None:
        self.folder, self.state, self.stored, self.saved = folder, state, stored, False

    def save(self) -> None:
        """Write the state kept to disk, if it is not there yet (for the next start of serve)."""
        if not self.saved and self.folder is not None and self.state is not None:
            self.stored = save(self.folder, self.stored, self.state)
            self.saved = True


@contextmanager
def previous_build(root: Path, key: str, out: Path, use_cache: bool, memory: Memory | None = None) -> Iterator[PreviousBuild]:
    """The last build's state for ``out`` with ``key`` (empty without ``use_cache``, or if there is none).

    The size and mtime of every recorded output is checked by a helper process while this one
    loads the cache and reads the sources. It is forked first, while this process is small:
    forked later, it would make this one copy every page of the loaded cache that it then writes
    to. The loaded objects live until the build ends, so the collector leaves them alone.
    """
    folder = cache_folder(root, out)
    recalled = memory.recall(folder, key) if memory is not None and use_cache else None
    if not use_cache or recalled is not None:
        with frozen_heap():
            yield recalled or PreviousBuild(BuildState(key), folder)
        return
    checked = beside(functools.partial(_touched_on_disk, folder, key, out))
    try:
        with frozen_heap():
            with loading():
                state, stored, identity = _load(folder, key)
            check = functools.cache(functools.partial(_touched, state, identity, checked, out))
            yield PreviousBuild(state, folder, stored, check)
    finally:
        checked()  # the helper has finished and been waited for, whatever happened


def _touched(state: BuildState, identity: tuple, checked: Callable[[], tuple | None], out: Path) -> AbstractSet[str]:
    found = checked()
    if not state.outputs:
        return frozenset()
    if found is not None and found[0] == identity:
        return found[1]
    return touched(state.outputs, out)  # the helper read another state file (a build in between): check here


def _segment(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SEGMENTS


def _load(folder: Path, key: str) -> tuple[BuildState, dict, tuple]:
    """The state, how its sources were stored, and the state file's identity; an empty state if unreadable."""
    try:
        with open(folder / STATE, "rb") as f:
            identity, header = _header(f, key)
            if header is None:
                return BuildState(key), {}, ()
            stored: dict[int, tuple[str, dict]] = {}
            records: dict[str, Post | Page] = {}
            for segment, name in header["segments"].items():
                with open(folder / name, "rb") as g:
                    members = pickle.load(g)
                stored[segment] = (name, members)
                records.update(members)
            plan = None
            if header["plan"]:
                with open(folder / header["plan"], "rb") as g:
                    unpickler = pickle.Unpickler(g)
                    unpickler.persistent_load = records.__getitem__
                    plan = unpickler.load()
            body = pickle.load(f)
        sources = {rel: (signature, records[rel]) for rel, signature in header["signatures"].items()}
    # missing, truncated, or written by another version: all mean "build everything"
    except _BROKEN:
        return BuildState(key), {}, ()
    if not isinstance(plan, SitePlan | None) or not isinstance(body["search"], SearchRecord):
        return BuildState(key), {}, ()
    if plan is not None:
        plan = replace(plan, fingerprints=body["fingerprints"])
    return (BuildState(key, sources, body["outputs"], body["files"], plan, body["search"], body["images"], body["spare"]),
            stored, identity)


def _header(f, key: str) -> tuple[tuple, dict | None]:
    """The open state file's identity (inode, size, mtime) and its header; None if another ``key`` wrote it."""
    st = os.fstat(f.fileno())
    header = pickle.load(f)
    return (st.st_ino, st.st_size, st.st_mtime_ns), header if isinstance(header, dict) and header.get("key") == key else None


def _touched_on_disk(folder: Path, key: str, out: Path) -> tuple[tuple, set[str]] | None:
    """``touched`` read straight from the state file, with the file's identity; None without a cache.

    For the helper process started before the cache is loaded: it reads only the output records.
    """
    try:
        with open(folder / STATE, "rb") as f, collector_paused():
            identity, header = _header(f, key)
            if header is None:
                return None
            body = pickle.load(f)
    except _BROKEN:
        return None
    return identity, touched(body["outputs"], out)


def forget(previous: PreviousBuild) -> None:
    """Drop the state file, so the next build is a full one (before the output is changed in place)."""
    (previous.folder / STATE).unlink(missing_ok=True)


def save(folder: Path, stored: Mapping[int, tuple[str, Mapping[str, Post | Page]]],
         state: BuildState) -> dict[int, tuple[str, Mapping[str, Post | Page]]]:
    """Write the segments whose records changed, then the state file that names them, then drop stale files.

    ``stored`` is how the last state was stored (``PreviousBuild.stored``); returns how this one is.
    """
    folder.mkdir(parents=True, exist_ok=True)
    grouped: dict[int, dict[str, Post | Page]] = {}
    for rel, (_, record) in sorted(state.sources.items()):
        grouped.setdefault(_segment(rel), {})[rel] = record
    names: dict[int, str] = {}
    with collector_paused():
        for segment, members in grouped.items():
            before = stored.get(segment)
            if before is not None and _same_records(before[1], members) and (folder / before[0]).exists():
                names[segment] = before[0]
                continue
            names[segment] = f"sources-{segment:02d}-{secrets.token_hex(4)}.pickle"
            _write(folder / names[segment], lambda f, m=members: pickle.dump(m, f, protocol=pickle.HIGHEST_PROTOCOL))
        plan = _save_plan(folder, state)
        header = {"key": state.key, "segments": names, "plan": plan,
                  "signatures": {rel: sig for rel, (sig, _) in state.sources.items()}}
        fingerprints = dict(state.plan.fingerprints) if state.plan is not None else {}
        outputs = {file: tuple(record) for file, record in state.outputs.items()}  # see Recorded
        body = {"outputs": outputs, "files": state.files, "fingerprints": fingerprints, "search": state.search,
                "images": dict(state.images), "spare": state.spare}

        def dump(f) -> None:
            pickle.dump(header, f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(body, f, protocol=pickle.HIGHEST_PROTOCOL)

        _write(folder / STATE, dump)
    keep = {STATE, *names.values(), *([plan] if plan else [])}
    for stale in folder.iterdir():
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    return {segment: (names[segment], members) for segment, members in grouped.items()}


def _save_plan(folder: Path, state: BuildState) -> str | None:
    """Write the plan (without its page fingerprints) unless a file for the same structure exists."""
    plan = state.plan
    if plan is None:
        return None
    name = f"plan-{plan.structure[:16]}.pickle"
    if not (folder / name).exists():
        by_id = {id(record): rel for rel, (_, record) in state.sources.items()}

        def dump(f) -> None:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.persistent_id = lambda obj: by_id.get(id(obj))  # a post or page: stored in its segment
            pickler.dump(replace(plan, fingerprints={}))

        _write(folder / name, dump)
    return name


def _same_records(before: Mapping[str, Post | Page], now: Mapping[str, Post | Page]) -> bool:
    return before.keys() == now.keys() and all(before[rel] is now[rel] for rel in now)


def _write(path: Path, dump) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        dump(f)
    os.replace(tmp, path)


def publish(sink: Sink, produced: Produced, previous: PreviousBuild) -> frozenset[str]:
    """Commit the sink: the output becomes exactly what was produced; returns the old files that are gone.

    The cache's state is dropped first: until the next one is saved, neither the output nor the
    site kept beside it is what the state says, so a build killed meanwhile means a full one next.
    """
    if sink.publishes:
        forget(previous)
    return sink.commit(produced.files, previous.state.files or None, previous.state.spare)


def next_state(previous: PreviousBuild, content: SiteContent, plan: SitePlan, produced: Produced,
               search: SearchRecord, images: Mapping[str, SeenImage], out: Path, gone: AbstractSet[str]) -> BuildState:
    """What this build leaves for the next: the sources it saw and every output as it now is on disk.

    ``gone`` are the files of the site before that this one no longer has (``publish``).
    """
    recorded = {}
    folder = str(out)
    for file, fingerprint in produced.fingerprints.items():
        if file in produced.reused:  # checked unchanged on disk this build: its record carries over
            recorded[file] = previous.state.outputs[file]
        else:
            st = os.stat(os.path.join(folder, file))
            recorded[file] = Recorded(fingerprint, st.st_size, st.st_mtime_ns)
    # the site kept beside the output is this one's predecessor: they differ in what was made anew, and in what is gone
    # (as the swap found it: a build with new settings has no record of the files before)
    spare = frozenset(produced.files - produced.reused) | frozenset(gone)
    return BuildState(previous.state.key, content.sources, recorded, tuple(sorted(produced.files)), plan, search, images, spare)
