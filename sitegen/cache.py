"""Recorded inputs per output, so a rebuild redoes only what changed and is never wrong.

The cache lives in .sitegen-cache/ beside config.yaml (stored by cachefiles.py). Its key
covers the generator itself (its code and data, and the libraries that shape its output), the
config and the registry; templates and command-line options are part of every output's
fingerprint. Any mismatch, a missing file or an unreadable one means a full build.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

CACHE_DIR = ".sitegen-cache"
FORMAT = 11  # bump whenever a cached dataclass (Post, Page, Site, Planned...) changes shape
# the libraries whose output ends up in the site; each is imported by the build anyway
LIBRARIES = ("jinja2", "markdown_it", "mdit_py_plugins", "yaml", "babel", "slugify", "nh3")


class Recorded(NamedTuple):
    """What an output file was made from, and the file as it was written.

    A named tuple, stored as a plain one (``cachefiles``): there is one per output, and a
    dataclass took three times as long to pickle and unpickle, on every build.
    """

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    """Sources already read and outputs already written by the previous build with the same settings."""

    key: str
    sources: dict[str, tuple[tuple, Any]] = field(default_factory=dict)  # rel path -> (stat signature, Post/Page)
    outputs: dict[str, tuple] = field(default_factory=dict)  # output file -> Recorded, or a plain tuple as loaded
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the search bundle's file list
    files: list[str] = field(default_factory=list)  # every file the build wrote, so deleted ones can be removed
    planned: Any = None  # pipeline.Planned: the index and plan, reused when only post bodies changed
    # how the sources were stored when loaded: segment -> (file name, rel -> record); see cachefiles
    stored: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)
    # (inode, size, mtime) of the state file it was loaded from, to match cachefiles.touched_outputs
    state: tuple = field(default=(), repr=False, compare=False)

    def unchanged(self, file: str, fingerprint: str, touched: AbstractSet[str]) -> bool:
        """The output was made from the same inputs and is not among the ``touched`` files on disk."""
        rec = self.outputs.get(file)
        return rec is not None and rec[0] == fingerprint and file not in touched

    def touched(self, out: Path) -> set[str]:
        """Recorded outputs that are gone or no longer as they were written (someone changed them)."""
        found: set[str] = set()
        try:
            out_fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if os.stat in os.supports_dir_fd else None
        except OSError:  # no output folder: every recorded file is gone
            return set(self.outputs)
        try:
            for file, (_, size, mtime_ns) in self.outputs.items():
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


def digest(*parts: Any) -> str:
    """A short stable hash of reprs; inputs are plain data, so their repr is stable."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """Hash of every file's path and bytes under ``folder``."""
    h = hashlib.blake2b(digest_size=16)
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def stat_signature(paths: list[str] | list[Path]) -> tuple:
    """Size and modification time of a source and its assets: cheap to check on every build."""
    sig = []
    for p in paths:
        st = os.stat(p)
        sig.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(sig)


@functools.cache
def generator_digest() -> str:
    """Hash of sitegen's own code and data and of the versions of the libraries it renders with.

    Its version number is not enough: a checkout that pulls new sitegen code keeps the number.
    Reading the package takes about a millisecond.
    """
    libraries = [f"{name} {getattr(importlib.import_module(name), '__version__', '?')}" for name in LIBRARIES]
    return digest(code_digest(Path(__file__).parent), libraries)


def code_digest(package: Path) -> str:
    """Hash of every code and data file of a package (its .py, .js and .csv files)."""
    h = hashlib.blake2b(digest_size=16)
    for p in sorted(package.rglob("*")):
        if p.suffix in (".py", ".js", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def cache_key(*settings: Any) -> str:
    """Key of anything cached: the cache's format, the generator and ``settings``."""
    return digest(FORMAT, generator_digest(), *settings)
