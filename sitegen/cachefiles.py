"""How the build cache is stored: source records in segments, the rest in one state file.

Unpickling and pickling every post is most of what a small rebuild costs (about 40 objects a
post), so the posts and pages live in ``SEGMENTS`` files by a hash of their path, and a build
rewrites only the segments whose sources changed. The plan (index, pages, shared fingerprint)
is a file of its own, named after the site's structure and rewritten only when that changes; it
refers to the records by path instead of holding copies. The state file (output records, page
fingerprints, search record) is written last and names the segment and plan files it belongs to,
so an interrupted save leaves the previous cache whole.
"""

from __future__ import annotations

import gc
import os
import pickle
import secrets
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from .cache import CACHE_DIR, BuildCache, digest

SEGMENTS = 64
STATE = "state.pickle"
_BROKEN = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, KeyError, TypeError, ValueError)


def _folder(root: Path, out: Path) -> Path:
    # one cache per output folder, so `serve` and `build` do not undo each other's work
    return root / CACHE_DIR / f"build-{digest(str(out))[:12]}"


def _segment(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SEGMENTS


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector off while (un)pickling: it would scan the new objects again and again
    (half the time of loading a 10,000-post cache); pickles make no garbage cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_cache(root: Path, key: str, out: Path) -> BuildCache:
    """The cache the last build with ``key`` left for ``out``; an empty one if there is none or it is unreadable."""
    folder = _folder(root, out)
    with _no_gc():
        cache = _load(folder, key)
        # the cache lives for the whole build: keep the collector from scanning its objects again and
        # again (pipeline.build unfreezes them when it is done). Frozen before the collector is back
        # on: its first pass would otherwise walk every object just loaded, all of them still young.
        gc.freeze()
    return cache


def _load(folder: Path, key: str) -> BuildCache:
    try:
        with open(folder / STATE, "rb") as f:
            identity, header = _header(f, key)
            if header is None:
                return BuildCache(key)
            stored: dict[int, tuple[str, dict[str, Any]]] = {}
            records: dict[str, Any] = {}
            for segment, name in header["segments"].items():
                with open(folder / name, "rb") as g:
                    members = pickle.load(g)
                stored[segment] = (name, members)
                records.update(members)
            planned = None
            if header["plan"]:
                with open(folder / header["plan"], "rb") as g:
                    unpickler = pickle.Unpickler(g)
                    unpickler.persistent_load = records.__getitem__
                    planned = unpickler.load()
            body = pickle.load(f)
        sources = {rel: (signature, records[rel]) for rel, signature in header["signatures"].items()}
    # missing, truncated, or written by another version: all mean "build everything"
    except _BROKEN:
        return BuildCache(key)
    if planned is not None:
        planned = replace(planned, fingerprints=body["fingerprints"])
    return BuildCache(key, sources, body["outputs"], body["extra"], body["files"], planned, stored, identity)


def _header(f, key: str) -> tuple[tuple, dict | None]:
    """The open state file's identity (inode, size, mtime) and its header; None if another ``key`` wrote it."""
    st = os.fstat(f.fileno())
    header = pickle.load(f)
    return (st.st_ino, st.st_size, st.st_mtime_ns), header if isinstance(header, dict) and header.get("key") == key else None


def touched_outputs(root: Path, key: str, out: Path) -> tuple[tuple, set[str]] | None:
    """``BuildCache.touched`` read straight from the state file, with the file's identity; None without a cache.

    For a helper process started before the cache is loaded: it reads only the output records.
    """
    try:
        with open(_folder(root, out) / STATE, "rb") as f, _no_gc():
            identity, header = _header(f, key)
            if header is None:
                return None
            body = pickle.load(f)
    except _BROKEN:
        return None
    return identity, BuildCache(key, outputs=body["outputs"]).touched(out)


def forget_cache(root: Path, out: Path) -> None:
    """Drop the state file, so the next build is a full one (before the output is changed in place)."""
    (_folder(root, out) / STATE).unlink(missing_ok=True)


def save_cache(root: Path, cache: BuildCache, out: Path) -> None:
    """Write the segments whose records changed, then the state file that names them, then drop stale segments."""
    folder = _folder(root, out)
    folder.mkdir(parents=True, exist_ok=True)
    grouped: dict[int, dict[str, Any]] = {}
    for rel, (_, record) in sorted(cache.sources.items()):
        grouped.setdefault(_segment(rel), {})[rel] = record
    names: dict[int, str] = {}
    with _no_gc():
        for segment, members in grouped.items():
            before = cache.stored.get(segment)
            if before is not None and _same_records(before[1], members) and (folder / before[0]).exists():
                names[segment] = before[0]
                continue
            names[segment] = f"sources-{segment:02d}-{secrets.token_hex(4)}.pickle"
            _write(folder / names[segment], lambda f, m=members: pickle.dump(m, f, protocol=pickle.HIGHEST_PROTOCOL))
        plan = _save_plan(folder, cache)
        header = {"key": cache.key, "segments": names, "plan": plan,
                  "signatures": {rel: sig for rel, (sig, _) in cache.sources.items()}}
        fingerprints = dict(cache.planned.fingerprints) if cache.planned is not None else {}
        outputs = {file: tuple(record) for file, record in cache.outputs.items()}  # see cache.Recorded
        body = {"outputs": outputs, "extra": cache.extra, "files": cache.files, "fingerprints": fingerprints}

        def dump(f) -> None:
            pickle.dump(header, f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(body, f, protocol=pickle.HIGHEST_PROTOCOL)

        _write(folder / STATE, dump)
    folder.with_suffix(".pickle").unlink(missing_ok=True)  # the single-file cache of sitegen before segments
    keep = {STATE, *names.values(), *([plan] if plan else [])}
    for stale in folder.iterdir():
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    cache.stored = {segment: (names[segment], members) for segment, members in grouped.items()}


def _save_plan(folder: Path, cache: BuildCache) -> str | None:
    """Write the plan (without its page fingerprints) unless a file for the same structure exists."""
    planned = cache.planned
    if planned is None:
        return None
    name = f"plan-{planned.structure[:16]}.pickle"
    if not (folder / name).exists():
        by_id = {id(record): rel for rel, (_, record) in cache.sources.items()}

        def dump(f) -> None:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.persistent_id = lambda obj: by_id.get(id(obj))  # a post or page: stored in its segment
            pickler.dump(replace(planned, fingerprints={}))

        _write(folder / name, dump)
    return name


def _same_records(before: dict[str, Any], now: dict[str, Any]) -> bool:
    return before.keys() == now.keys() and all(before[rel] is now[rel] for rel in now)


def _write(path: Path, dump) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        dump(f)
    os.replace(tmp, path)
