"""Running Pagefind's command line over the post pages of one shard (``shards``).

Only pages that mark an indexable body (``data-pagefind-body``, the post template)
are indexed; their titles, dates and places come from ``data-pagefind-meta`` and
the filters (kommun, län, tema) from ``data-pagefind-filter``. ``<html lang="sv">``
makes Pagefind use Swedish stemming. The bundle (pagefind.js, its WebAssembly,
the index and the filter files) is read back and returned as bytes keyed by output
path, so the build writes it with every other file and unchanged files keep their mtime.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: orphaned scratch folders are known by age alone
    fcntl = None

from sitegen.errors import BuildError, SourceError
from sitegen.messages import _
from sitegen.search.canonical import Unexpected, canonical_bundle
from sitegen.site.shards import BUNDLE_DIR

BODY_MARKER = "data-pagefind-body"
SHARD_FILTER = "del"  # the filter naming each page's shard
# The bundle parts this site uses: pagefind.js and what it loads. The prebuilt UIs
# (pagefind-ui, pagefind-component-ui, modular UI, highlight) are left out: the
# site has its own accessible search page (static/search.js).
_UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
# what only the root shard needs: the merged shards use the root's script and WebAssembly
_ENGINE_PREFIXES = ("pagefind.js", "pagefind-worker.js", "wasm.")


def indexable(html: str) -> bool:
    return BODY_MARKER in html


@functools.cache
def pagefind_executable() -> str:
    """The Pagefind binary, found as the ``pagefind`` package finds it (its ``service.get_executable``).

    Run directly rather than through ``python -m pagefind``, which starts a Python interpreter only
    to exec the binary: 0.15 s per shard, most of what a one-post rebuild's search step cost.
    Importing ``pagefind.service`` to ask it would cost a third of that (it imports asyncio).
    """
    if found := os.environ.get("PAGEFIND_BINARY_PATH"):
        return found
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(importlib.import_module(package).get_executable())
        except (ImportError, FileNotFoundError):
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise RuntimeError("the Pagefind binary was not found; install it with: pip install 'pagefind[bin]'")
    return found


def _index(site: Path, out: Path) -> None:
    """Run the Pagefind binary over ``site``; it has finished writing ``out`` when it exits.

    The command line rather than the Python service API: the service polls its pipe every 0.1 s
    per call and, under load, could hand back a bundle before every file was written.
    """
    cmd = [pagefind_executable(), "--site", str(site), "--output-path", str(out), "--force-language", "sv", "--silent"]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise RuntimeError(f"could not run {cmd[0]}: {exc.strerror}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError(detail[-1] if detail else f"exit code {result.returncode}")


_LANG = re.compile(r'<html[^>]*\slang="([^"]+)"')
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")


def indexed_part(html: str) -> str:
    """The page cut down to the element marked ``data-pagefind-body``, which holds everything Pagefind
    reads of a post (title, text, metadata, filters): a quarter less work for Pagefind than the whole page."""
    marker = html.find(BODY_MARKER)
    opening = html.rfind("<", 0, marker)
    tag = _TAG.match(html, opening) if marker > 0 and opening >= 0 else None
    closing = html.rfind(f"</{tag.group(1)}>") if tag else -1
    if tag is None or closing < marker:
        return html
    lang = _LANG.search(html)
    head = f'<!DOCTYPE html><html lang="{lang.group(1) if lang else "sv"}"><head><meta charset="utf-8"></head><body>'
    return head + html[opening : closing + len(tag.group(1)) + 3] + "</body></html>"


def read_indexed_part(page: Path) -> str:
    """``indexed_part`` of a page already written."""
    return indexed_part(page.read_text(encoding="utf-8"))


def search_key(base_path: str) -> str:
    """What a search shard depends on besides its pages: the site's path and the Pagefind binary.

    The binary is known by its path, size and modification time, which change when Pagefind is
    upgraded; asking the package metadata for its version cost 20 ms of every build.
    """
    try:
        binary = pagefind_executable()
        st = os.stat(binary)
    except (RuntimeError, OSError):
        return f"{base_path}|pagefind missing"  # indexing will fail with the reason, if a shard needs it
    return f"{base_path}|pagefind {binary} {st.st_size} {st.st_mtime_ns}"


SCRATCH_PREFIX = "sitegen-pagefind-"
_ORPHAN_AGE = 60  # seconds: a scratch folder is locked a moment after it is made; one unlocked and older is a killed build's


def _scratch() -> str | None:
    """A memory-backed folder for Pagefind's input and output when the system has one: creating
    thousands of small files there is many times faster than on disk."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class Scratch:
    """A folder holding one shard's pages for Pagefind, locked (``flock``) for as long as it exists."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=_scratch()))
        self._lock: int | None = None
        if fcntl is not None:
            self._lock = os.open(self.folder, os.O_RDONLY)
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX)
            except OSError:  # a file system without locks: the folder lives a few seconds, far less than a sweep waits
                pass

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)


def sweep_scratch() -> int:
    """Remove the scratch folders of builds that were killed (they sit in memory until the next boot); how many.

    A live build holds a lock on each of its folders; one that is unlocked and a minute old is an
    orphan. Without file locks (Windows) only folders a day old are taken.
    """
    removed = 0
    for folder in Path(_scratch() or tempfile.gettempdir()).glob(SCRATCH_PREFIX + "*"):
        try:
            if fcntl is None:
                orphan = time.time() - folder.stat().st_mtime > 86400
            else:
                fd = os.open(folder, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    orphan = time.time() - os.fstat(fd).st_mtime > _ORPHAN_AGE
                finally:
                    os.close(fd)
        except OSError:
            continue  # locked by a live build, gone meanwhile, or not ours to read
        if orphan:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def write_shard(parts: Mapping[str, str], base_path: str, shard: int) -> Scratch | None:
    """Write ``parts`` (output file -> ``indexed_part`` of its page) into a scratch folder, for ``index_shard``.

    None if no page is indexable.
    """
    scratch = Scratch()
    site = scratch.folder / "site"
    under = site.joinpath(*[part for part in base_path.split("/") if part])
    marker = f'{BODY_MARKER}><span hidden data-pagefind-filter="{SHARD_FILTER}:{shard}"></span>'
    try:
        for file, part in sorted(parts.items()):
            if indexable(part):  # pages without data-pagefind-body are left out, as Pagefind would
                target = under / file
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(part.replace(f"{BODY_MARKER}>", marker, 1), encoding="utf-8")
    except BaseException:
        scratch.remove()
        raise
    if not site.exists():  # Pagefind refuses a site with nothing to index; the search page says search is unavailable
        scratch.remove()
        return None
    return scratch


def index_shard(scratch: Scratch | None, engine: bool) -> dict[str, bytes]:
    """Run Pagefind over a folder from ``write_shard`` and return its bundle; the folder is removed."""
    if scratch is None:
        return {}
    try:
        out = scratch.folder / BUNDLE_DIR
        try:
            _index(scratch.folder / "site", out)
        except RuntimeError as exc:
            raise BuildError([SourceError("templates/post.html", 0, _("the search index (Pagefind) failed: {error}", error=exc))]) from None
        bundle: dict[str, bytes] = {}
        for p in sorted(out.rglob("*")):
            if p.is_file() and not p.name.startswith(_UNUSED_PREFIXES) and (engine or not p.name.startswith(_ENGINE_PREFIXES)):
                bundle[p.relative_to(out).as_posix()] = p.read_bytes()
    finally:
        scratch.remove()
    try:
        bundle = canonical_bundle(bundle)
    except Unexpected:
        pass  # a Pagefind version with another layout: keep its output as it is
    return dict(sorted(bundle.items()))
