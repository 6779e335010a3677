"""Writing the site: build in a sibling folder, carry unchanged files over as hard links, then swap."""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, SourceError

MARKER = ".sitegen"  # marks a folder this tool made, so it never replaces anybody else's folder



class Reuse:
    """The previous build's file is still right: carry it over as it is."""

    def __repr__(self) -> str:
        return "REUSE"


REUSE = Reuse()
Content = bytes | Path | Reuse  # bytes to write, a source file to copy, or the previous output


@dataclass(frozen=True)
class WriteReport:
    """What writing the output did."""

    written: int  # files whose bytes changed or are new
    unchanged: int  # files carried over with their modification time
    removed: int  # files of the previous build that are gone


def _same(old: Path, content: bytes | Path) -> bool:
    try:
        stat = old.stat()
    except OSError:
        return False
    if isinstance(content, Path):
        src = content.stat()
        if src.st_size != stat.st_size:
            return False
        return content.read_bytes() == old.read_bytes()
    return stat.st_size == len(content) and old.read_bytes() == content


def check_output_dir(out: Path) -> None:
    """Refuse to replace a non-empty folder that sitegen did not make."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise BuildError([SourceError(str(out), 0, "exists and was not made by sitegen; choose another --output folder or remove it")])


@dataclass(frozen=True)
class Staging:
    """A new tree beside the output folder: files go in one by one, then it replaces the folder whole.

    Small and picklable, so worker processes can put the files they render themselves.
    """

    out: Path  # the live output folder
    tmp: Path  # the tree being built
    old: Path  # where the live folder goes during the swap

    @classmethod
    def open(cls, out: Path) -> Staging:
        check_output_dir(out)
        out = out.resolve()
        staging = cls(out, out.with_name(f".{out.name}.new"), out.with_name(f".{out.name}.old"))
        for leftover in (staging.tmp, staging.old):
            if leftover.exists():
                shutil.rmtree(leftover)
        staging.tmp.mkdir(parents=True)
        return staging

    def put(self, rel: str, content: Content) -> bool:
        """Place one file; True if its bytes are new, False if the previous file was carried over."""
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = self.out / rel
        if content is REUSE or _same(previous, content):
            try:
                os.link(previous, target)
            except OSError:  # e.g. a file system without hard links
                shutil.copy2(previous, target)
            return False
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
        return True

    def commit(self, files: Collection[str]) -> int:
        """Swap the new tree in; returns how many files of the previous build are gone."""
        if _same(self.out / MARKER, b""):  # the marker is deployed too: keep its mtime like any unchanged file
            shutil.copy2(self.out / MARKER, self.tmp / MARKER)
        else:
            (self.tmp / MARKER).write_bytes(b"")
        removed = _count_removed(self.out, files)
        if self.out.exists():
            self.out.rename(self.old)
        self.tmp.rename(self.out)
        if self.old.exists():
            shutil.rmtree(self.old)
        return removed

    def abort(self) -> None:
        """Throw the new tree away; the output folder was never touched."""
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_site(out: Path, files: Mapping[str, Content]) -> WriteReport:
    """Replace ``out`` with exactly ``files``; a failure before the swap leaves ``out`` as it was."""
    staging = Staging.open(out)
    try:
        written = sum(staging.put(rel, files[rel]) for rel in sorted(files))
        removed = staging.commit(set(files))
    except BaseException:
        staging.abort()
        raise
    return WriteReport(written, len(files) - written, removed)


def _count_removed(out: Path, files: Collection[str]) -> int:
    if not out.exists():
        return 0
    return sum(
        1
        for p in out.rglob("*")
        if p.is_file() and p.name != MARKER and p.relative_to(out).as_posix() not in files
    )
