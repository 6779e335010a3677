"""Writing the site: new and changed files are staged beside the output folder, then moved in; the rest is left alone."""

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
    """New bytes go to a sparse tree beside the output folder, then move in file by file.

    Unchanged files are never touched, so a rebuild after one edit moves a handful of files
    instead of relinking the whole site. A failure before ``commit`` leaves the output folder
    as it was. ``commit`` itself moves files one at a time (each move is atomic); callers that
    record what is in the output must forget that record before committing, so an interrupted
    commit means a full build next time. Small and picklable, so worker processes can put the
    files they render themselves.
    """

    out: Path  # the live output folder
    tmp: Path  # the new and changed files

    @classmethod
    def open(cls, out: Path) -> Staging:
        check_output_dir(out)
        out = out.resolve()
        staging = cls(out, out.with_name(f".{out.name}.new"))
        for leftover in (staging.tmp, out.with_name(f".{out.name}.old")):
            if leftover.exists():
                shutil.rmtree(leftover)
        staging.tmp.mkdir(parents=True)
        return staging

    def put(self, rel: str, content: Content) -> bool:
        """Stage one file; True if its bytes are new, False if the output already has them."""
        if content is REUSE or _same(self.out / rel, content):
            return False
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
        return True

    def current(self, rel: str) -> Path:
        """Where the file ``rel`` of the new build is now: staged if it changed, else in the output."""
        staged = self.tmp / rel
        return staged if staged.exists() else self.out / rel  # only for pages Pagefind reads again

    def commit(self, files: Collection[str], previous: Collection[str] | None = None) -> int:
        """Move the staged files in and delete the output's files not in ``files``; returns how many were deleted.

        ``previous`` lists the files the last build wrote; without it the output folder is walked.
        """
        if not (self.out / MARKER).exists():
            (self.tmp / MARKER).write_bytes(b"")
        if not self.out.exists() or not any(self.out.iterdir()):
            if self.out.exists():
                self.out.rmdir()
            self.tmp.rename(self.out)
            return 0
        gone = sorted(_existing(self.out) - set(files) if previous is None else set(previous) - set(files))
        for path in sorted(self.tmp.rglob("*")):
            if path.is_file():
                target = self.out / path.relative_to(self.tmp)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
        removed = 0
        for rel in gone:
            try:
                (self.out / rel).unlink()
                removed += 1
            except FileNotFoundError:
                continue
            _prune(self.out, (self.out / rel).parent)
        shutil.rmtree(self.tmp)
        return removed

    def abort(self) -> None:
        """Throw the staged files away; the output folder was never touched."""
        shutil.rmtree(self.tmp, ignore_errors=True)


def _existing(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER}


def _prune(out: Path, folder: Path) -> None:
    """Remove folders left empty by deleted files, up to the output folder."""
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def write_site(out: Path, files: Mapping[str, Content]) -> WriteReport:
    """Replace ``out`` with exactly ``files``; a failure before the commit leaves ``out`` as it was."""
    staging = Staging.open(out)
    try:
        written = sum(staging.put(rel, files[rel]) for rel in sorted(files))
        removed = staging.commit(set(files))
    except BaseException:
        staging.abort()
        raise
    return WriteReport(written, len(files) - written, removed)
