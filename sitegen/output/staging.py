"""Writing the site: a new tree beside the output folder, unchanged files linked into it, swapped in at once.

A build puts every file into a sink: ``Staging`` for ``build``, ``DryRun`` for ``check``,
which keeps the pages in memory and writes nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import shutil
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sitegen.errors import BuildError, SourceError
from sitegen.messages import _
from sitegen.progress import ProgressBar

MARKER = ".sitegen"  # marks a folder this tool made, so it never replaces anybody else's folder


class Reuse:
    """The previous build's file is still right: carry it over as it is."""

    def __repr__(self) -> str:
        return "REUSE"


REUSE = Reuse()
Content = bytes | Path | Reuse  # bytes to write, a source file to copy, or the previous output


@dataclass(frozen=True)
class Produced:
    """What one stage put into the sink: its files, what each was made from, which were carried over."""

    files: frozenset[str] = frozenset()  # every file the stage's part of the site has
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # file -> fingerprint (copied files have none)
    reused: frozenset[str] = frozenset()  # files whose recorded fingerprint matched: left as they are, not rendered
    written: int = 0  # files whose bytes were new

    def __add__(self, other: Produced) -> Produced:
        return Produced(self.files | other.files, {**self.fingerprints, **other.fingerprints},
                        self.reused | other.reused, self.written + other.written)


class Sink(Protocol):
    """Where a build's files go."""

    publishes: bool  # False for a dry run: nothing will be served, so no search index is made

    def put(self, rel: str, content: Content) -> bool:
        """Take one file; True if its bytes are new."""

    def current(self, rel: str) -> Path:
        """Where the file ``rel`` of this build is: as put, or as the output has it if unchanged (the search reads pages back)."""

    def html(self, rel: str) -> str:
        """The page ``rel`` as this build has it (the link check reads the pages links point into)."""

    def pages(self) -> Mapping[str, str] | None:
        """Every page put, if the sink keeps them (a dry run: ``check`` looks at every link in them); else None."""

    def commit(self, files: Collection[str], previous: Collection[str] | None = None,
               spare: Collection[str] | None = None) -> frozenset[str]:
        """Publish: the output becomes exactly ``files``; returns the old files that are gone.

        ``spare`` is what the last build recorded of the site it kept beside the output (``Staging.open``).
        """

    def abort(self) -> None:
        """Throw everything put away."""


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
        raise BuildError([SourceError(str(out), 0, _("exists and was not made by sitegen; choose another --output folder or remove it"))])


@dataclass(frozen=True)
class Staging:
    """New bytes go to a tree beside the output folder; at commit it becomes the whole new site and the two are swapped.

    Unchanged files join the new tree as hard links of the output's, so they keep their bytes and
    modification times without being copied. The swap is one ``renameat2(RENAME_EXCHANGE)`` on
    Linux: at every moment the output folder is the whole old site or the whole new one, whenever
    the build is killed. A failure before ``commit`` leaves the output folder as it was. Small and
    picklable, so worker processes can put the files they render themselves.

    The site swapped out is kept beside the output (``.NAME.old``): the next build starts from it,
    mending only the files the cache says differ, so a rebuild links a handful of files, not the
    whole site again.
    """

    out: Path  # the live output folder
    tmp: Path  # the new and changed files, then the whole new site
    publishes: bool = True
    from_spare: bool = False  # ``tmp`` began as the site kept by the last build, not empty

    @classmethod
    @contextmanager
    def opened(cls, out: Path, spare: Collection[str] | None = None) -> Iterator[Staging]:
        """A new staging tree for ``out``; thrown away if the block fails before committing."""
        staging = cls.open(out, spare)
        try:
            yield staging
        except BaseException:
            staging.abort()
            raise

    @classmethod
    def open(cls, out: Path, spare: Collection[str] | None = None) -> Staging:
        """The staging tree: the site the last build kept, less the files ``spare`` says may differ; else an empty one."""
        check_output_dir(out)
        out = out.resolve()
        tmp, kept = out.with_name(f".{out.name}.new"), out.with_name(f".{out.name}.old")
        if tmp.exists():  # of a build that stopped before its swap
            shutil.rmtree(tmp)
        if spare is not None and kept.is_dir() and out.is_dir():
            kept.rename(tmp)
            _remove(tmp, spare, prune=False)  # their folders stay for the files put or linked there again; commit prunes the rest
            return cls(out, tmp, from_spare=True)
        if kept.exists():  # not what the cache knows of: moved out of its name at once, so no half-deleted one is trusted
            kept.rename(tmp)
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        return cls(out, tmp)

    def put(self, rel: str, content: Content) -> bool:
        """Stage one file; True if its bytes are new, False if the output already has them."""
        if content is REUSE or _same(self.out / rel, content):
            return False
        target = self.tmp / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.unlink()  # a kept file may be a hard link of the output's: written in place, it would change the live site
            except FileNotFoundError:
                pass
            except IsADirectoryError:  # a folder of the kept site whose files are gone, where this build has a file
                if not _empty(target):
                    raise
                shutil.rmtree(target)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
        except (FileExistsError, IsADirectoryError, NotADirectoryError):
            raise BuildError([_file_and_folder(rel)]) from None
        return True

    def current(self, rel: str) -> Path:
        """Where the file ``rel`` of the new build is now: staged if it changed, else in the output."""
        staged = self.tmp / rel
        return staged if staged.exists() else self.out / rel  # only for pages Pagefind and the link check read again

    def html(self, rel: str) -> str:
        return self.current(rel).read_text(encoding="utf-8")

    def pages(self) -> None:
        return None  # written out as they come: only the few that links point into are read back

    def commit(self, files: Collection[str], previous: Collection[str] | None = None,
               spare: Collection[str] | None = None) -> frozenset[str]:
        """Make the staged tree the whole new site and swap it with the output; returns the old files that are gone.

        ``previous`` lists the files the last build wrote; without it the output folder is walked.
        ``spare`` is what ``open`` was given: in a tree begun from the kept site, only those files can be missing.
        """
        check_names(files)
        if not self.out.exists() or not any(self.out.iterdir()):
            (self.tmp / MARKER).write_bytes(b"")
            if self.out.exists():
                self.out.rmdir()
            self.tmp.rename(self.out)
            return frozenset()
        wanted = set(files)
        gone = (_existing(self.out) if previous is None else set(previous)) - wanted
        if self.from_spare:
            _remove(self.tmp, gone, prune=False)  # the kept site may still have them
            missing = {rel for rel in wanted.intersection(spare or ()) if not os.path.lexists(self.tmp / rel)}
        else:
            missing = (wanted | {MARKER}) - _existing(self.tmp)
        _carry_over(self.out, self.tmp, missing)
        if self.from_spare:
            for rel in (set(spare or ()) | gone) - wanted:  # their folders, once, if this build left them empty
                _prune(self.tmp, (self.tmp / rel).parent)
        exchange(self.tmp, self.out)
        kept = self.out.with_name(f".{self.out.name}.old")
        self.tmp.rename(kept)  # the old site, kept for the next build to start from
        return frozenset(gone)

    def abort(self) -> None:
        """Throw the staged files away; the output folder was never touched."""
        shutil.rmtree(self.tmp, ignore_errors=True)


@dataclass
class DryRun:
    """A sink that publishes nothing: it keeps the HTML pages for the link check, and writes nothing."""

    kept: dict[str, str] = field(default_factory=dict)  # file -> HTML
    publishes: bool = False

    def put(self, rel: str, content: Content) -> bool:
        if isinstance(content, bytes) and rel.endswith(".html"):
            self.kept[rel] = content.decode("utf-8")
        return True

    def current(self, rel: str) -> Path:
        raise NotImplementedError("a dry run keeps no files")  # nothing reads back from it: no search index is made

    def html(self, rel: str) -> str:
        return self.kept.get(rel, "")

    def pages(self) -> Mapping[str, str]:
        return self.kept

    def commit(self, files: Collection[str], previous: Collection[str] | None = None,
               spare: Collection[str] | None = None) -> frozenset[str]:
        check_names(files)
        return frozenset()

    def abort(self) -> None:
        self.kept.clear()


def check_names(files: Collection[str]) -> None:
    """No name is both a file and a folder of the output: e.g. 'sitemap.xml/' in 'aliases:', or a folder of static/."""
    names = set(files)
    folders: set[str] = set()
    for rel in names:
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:  # each folder walked up from once: a build has far fewer folders than files
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    clashes = sorted(folders & names)
    if clashes:
        raise BuildError([_file_and_folder(rel) for rel in clashes])


def _file_and_folder(rel: str) -> SourceError:
    return SourceError("/" + rel, 0, _("sitegen makes both a file and a folder of this name; look for it in 'aliases:' and in static/"))


def put_all(sink: Sink, files: Mapping[str, Content | Callable[[], bytes]], fingerprints: Mapping[str, str],
            bar: ProgressBar) -> Produced:
    """Put every file into the sink, in order; the record of what was put.

    A callable is called when its file's turn comes, so only one made file is held at a time
    (the feeds of 10,000 posts are 50 MiB).
    """
    bar.stage("write", len(files))
    written = 0
    for rel in sorted(files):
        content = files[rel]
        written += sink.put(rel, content() if callable(content) else content)
        bar(1)
    bar.finish()
    reused = frozenset(rel for rel, content in files.items() if content is REUSE)
    return Produced(frozenset(files), dict(fingerprints), reused, written)


def _existing(folder: Path) -> set[str]:
    """Every file under ``folder`` but the marker, as a path from it."""
    found = set()
    for parent, _dirs, names in os.walk(folder):
        prefix = os.path.relpath(parent, folder).replace(os.sep, "/") + "/"
        found.update(name if prefix == "./" else prefix + name for name in names)
    found.discard(MARKER)
    return found


def _remove(tree: Path, files: Collection[str], prune: bool = True) -> None:
    """Delete ``files`` from ``tree``, where there, and (with ``prune``) the folders that leaves empty."""
    for rel in files:
        path = tree / rel
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):  # not there, or a folder of it is a file of this build's
            continue
        except IsADirectoryError:  # a file of the old site is a folder of the kept one's: none of its files is kept
            shutil.rmtree(path)
        if prune:
            _prune(tree, path.parent)


def _empty(folder: Path) -> bool:
    """No file anywhere under ``folder``, only folders."""
    return not any(names for _parent, _dirs, names in os.walk(folder))


def _prune(top: Path, folder: Path) -> None:
    """Remove folders left empty, up to ``top``."""
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def _carry_over(out: Path, tree: Path, unchanged: Collection[str]) -> None:
    """Hard links in ``tree`` of the output's unchanged files: their bytes and times, nothing copied."""
    made: set[str] = set()
    for rel in sorted(unchanged):
        folder = rel.rpartition("/")[0]
        if folder and folder not in made:
            os.makedirs(tree / folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(out / rel, tree / rel)
        except FileNotFoundError:  # deleted from the output by hand since the last build, which the cache did not see
            raise BuildError([SourceError(str(out / rel), 0, _("went missing from the output folder after the last build; "
                                                              "build again, and it is made anew"))]) from None
        except OSError:  # a file system without hard links: a copy, with the same time
            shutil.copy2(out / rel, tree / rel)


RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step: renameat2(RENAME_EXCHANGE) on Linux.

    Elsewhere, or where the file system cannot (EINVAL), ``b`` is moved aside and ``a`` put in its
    place: two renames, so for a moment there is no ``b``, but never a mix of the two.
    """
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None) if libc is not None else None
    if renameat2 is not None:
        at_cwd = -100  # AT_FDCWD: the paths are absolute anyway
        if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    aside = b.with_name(f".{b.name}.old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


@contextmanager
def open_sink(out: Path, dry_run: bool = False, spare: Collection[str] | None = None) -> Iterator[Sink]:
    """A staging tree for ``out`` (``spare``: see ``Staging.open``), or a dry run that writes nothing; thrown away if the block fails."""
    if dry_run:
        yield DryRun()
        return
    with Staging.opened(out, spare) as staging:
        yield staging
