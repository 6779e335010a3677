"""Writing the site: build in a sibling folder, carry unchanged files over as hard links, then swap."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
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


def write_site(out: Path, files: Mapping[str, Content]) -> WriteReport:
    """Replace ``out`` with exactly ``files``; a failure before the swap leaves ``out`` as it was."""
    check_output_dir(out)
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.new")
    old = out.with_name(f".{out.name}.old")
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    tmp.mkdir(parents=True)
    written = unchanged = 0
    made: set[Path] = set()
    for rel in sorted(files):
        content = files[rel]
        target = tmp / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        previous = out / rel
        if content is REUSE or _same(previous, content):
            try:
                os.link(previous, target)
            except OSError:  # e.g. a file system without hard links
                shutil.copy2(previous, target)
            unchanged += 1
            continue
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
        written += 1
    (tmp / MARKER).write_bytes(b"")
    removed = _count_removed(out, files)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old)
    return WriteReport(written, unchanged, removed)


def _count_removed(out: Path, files: Mapping[str, Content]) -> int:
    if not out.exists():
        return 0
    return sum(
        1
        for p in out.rglob("*")
        if p.is_file() and p.name != MARKER and p.relative_to(out).as_posix() not in files
    )
