"""The search index: Pagefind's command line, run over the post pages of the build, in shards.

Pagefind has no incremental mode and needs about 250 KB of memory per page while it indexes,
so the posts, oldest first, are cut into shards of at most ``SHARD_MAX`` and each shard is an
index of its own, merged in the browser (``mergeIndex``). Full shards never change when a post
is added, and the newest posts sit in the smallest shards, so a new or edited recent post
re-indexes a few posts, not the site. The newest shard is the bundle's root, with Pagefind's
script and WebAssembly; the others are in numbered folders beneath it.

Only pages that mark an indexable body (``data-pagefind-body``, the post template)
are indexed; their titles, dates and places come from ``data-pagefind-meta`` and
the filters (kommun, län, tema) from ``data-pagefind-filter``. ``<html lang="sv">``
makes Pagefind use Swedish stemming. The bundle (pagefind.js, its WebAssembly,
the index and the filter files) is read back and returned as bytes keyed by output
path, so the build writes it with every other file and unchanged files keep their mtime.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import BuildError, SourceError

BUNDLE_DIR = "pagefind"
BODY_MARKER = "data-pagefind-body"
SHARD_FILTER = "del"  # the filter naming each page's shard
# The bundle parts this site uses: pagefind.js and what it loads. The prebuilt UIs
# (pagefind-ui, pagefind-component-ui, modular UI, highlight) are left out: the
# site has its own accessible search page (static/search.js).
_UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


# posts per shard at most; a power of two. 512 pages keep Pagefind near 130 MiB.
SHARD_MAX = 512
# the newest posts below a multiple of this share one shard: small sites have a single index
SHARD_MIN = 64
# what only the root shard needs: the merged shards use the root's script and WebAssembly
_ENGINE_PREFIXES = ("pagefind.js", "pagefind-worker.js", "wasm.")


def shard_sizes(posts: int) -> list[int]:
    """How many posts each shard holds, oldest first.

    Full shards of ``SHARD_MAX``, then the rest as falling powers of two down to ``SHARD_MIN``,
    then what is left (fewer than ``SHARD_MIN``) in one shard. The cut depends only on the number
    of posts, so a clean build makes the same shards; a post added after all others changes only
    the last shard, except when it completes a block (like a carry in a binary counter).
    """
    full, rest = divmod(posts, SHARD_MAX)
    sizes = [SHARD_MAX] * full
    block = SHARD_MAX >> 1
    while block >= SHARD_MIN:
        if rest >= block:
            sizes.append(block)
            rest -= block
        block >>= 1
    return sizes + [rest] if rest else sizes


def shard_folders(shards: int) -> list[str]:
    """Each shard's folder in the output, oldest first: numbered folders, the newest at the root."""
    return [f"{BUNDLE_DIR}/{i}/" for i in range(shards - 1)] + [f"{BUNDLE_DIR}/"] if shards else []


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


def indexed_digest(part: str) -> str:
    """A hash of what Pagefind reads of a page (``indexed_part``)."""
    return hashlib.blake2b(part.encode("utf-8"), digest_size=16).hexdigest()


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


def _scratch() -> str | None:
    """A memory-backed folder for Pagefind's input and output when the system has one: creating
    thousands of small files there is many times faster than on disk."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def search_files(pages: Mapping[str, str], base_path: str, engine: bool = True, shard: int = 0) -> dict[str, bytes]:
    """Pagefind bundle for the indexable ``pages`` (output file -> HTML), keyed by bundle path.

    Without ``engine`` the bundle leaves out the script and WebAssembly (a shard merged into the root).
    Every page is indexed with the filter ``del:<shard>``, so the search page can list the shards'
    results in order (static/search.js).
    """
    return index_shard(write_shard({file: indexed_part(html) for file, html in pages.items()}, base_path, shard), engine)


def write_shard(parts: Mapping[str, str], base_path: str, shard: int) -> Path | None:
    """Write ``parts`` (output file -> ``indexed_part`` of its page) into a scratch folder, for ``index_shard``.

    None if no page is indexable.
    """
    tmp = Path(tempfile.mkdtemp(prefix="sitegen-pagefind-", dir=_scratch()))
    site = tmp / "site"
    under = site.joinpath(*[part for part in base_path.split("/") if part])
    marker = f'{BODY_MARKER}><span hidden data-pagefind-filter="{SHARD_FILTER}:{shard}"></span>'
    try:
        for file, part in sorted(parts.items()):
            if indexable(part):  # pages without data-pagefind-body are left out, as Pagefind would
                target = under / file
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(part.replace(f"{BODY_MARKER}>", marker, 1), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not site.exists():  # Pagefind refuses a site with nothing to index; the search page says search is unavailable
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    return tmp


def index_shard(tmp: Path | None, engine: bool) -> dict[str, bytes]:
    """Run Pagefind over a folder from ``write_shard`` and return its bundle; the folder is removed."""
    if tmp is None:
        return {}
    try:
        out = tmp / BUNDLE_DIR
        try:
            _index(tmp / "site", out)
        except RuntimeError as exc:
            raise BuildError([SourceError("templates/post.html", 0, f"search index (Pagefind) failed: {exc}")]) from None
        bundle: dict[str, bytes] = {}
        for p in sorted(out.rglob("*")):
            if p.is_file() and not p.name.startswith(_UNUSED_PREFIXES) and (engine or not p.name.startswith(_ENGINE_PREFIXES)):
                bundle[p.relative_to(out).as_posix()] = p.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        bundle = canonical_bundle(bundle)
    except _Unexpected:
        pass  # a Pagefind version with another layout: keep its output as it is
    return dict(sorted(bundle.items()))


# ---------------------------------------------------------------------------
# Deterministic output. Pagefind writes its filter indexes from a hash map, so the
# order of values, and with it the files' hashed names, the metadata file that lists
# them and pagefind-entry.json, change from run to run (Pagefind issue #638: fragments
# were made stable in 1.3, "filter/metadata indexes" were not). The same input must give
# byte-identical output, so the filter files are rewritten with their values sorted and
# renamed after their content, and the metadata and entry files are updated to match.
# The files are gzip-compressed CBOR after a "pagefind_dcd" signature; anything that
# does not look like that is left as Pagefind wrote it.

_SIGNATURE = b"pagefind_dcd"


class _Unexpected(Exception):
    pass


class _Raw:
    """A CBOR item kept as its encoded bytes (floats, simple values)."""

    def __init__(self, data: bytes) -> None:
        self.data = data


def _cbor_decode(data: bytes) -> Any:
    def head(pos: int) -> tuple[int, int, int]:
        first = data[pos]
        major, info = first >> 5, first & 31
        pos += 1
        if info < 24:
            return major, info, pos
        if info > 27:
            raise _Unexpected("indefinite or reserved length")
        size = 1 << (info - 24)
        return major, int.from_bytes(data[pos : pos + size], "big"), pos + size

    def item(pos: int) -> tuple[Any, int]:
        start = pos
        major, arg, pos = head(pos)
        if major == 0:
            return arg, pos
        if major == 2:
            return bytes(data[pos : pos + arg]), pos + arg
        if major == 3:
            return data[pos : pos + arg].decode("utf-8"), pos + arg
        if major == 4:
            out = []
            for _ in range(arg):
                value, pos = item(pos)
                out.append(value)
            return out, pos
        if major == 5:
            pairs = []
            for _ in range(arg):
                key, pos = item(pos)
                value, pos = item(pos)
                pairs.append((key, value))
            return {"__map__": pairs}, pos
        if major == 7:
            return _Raw(bytes(data[start:pos])), pos
        raise _Unexpected(f"CBOR major type {major}")

    value, end = item(0)
    if end != len(data):
        raise _Unexpected("trailing bytes")
    return value


def _cbor_encode(value: Any) -> bytes:
    def head(major: int, arg: int) -> bytes:
        if arg < 24:
            return bytes([major << 5 | arg])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if arg < 1 << (8 * size):
                return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
        raise _Unexpected("integer too large")

    if isinstance(value, _Raw):
        return value.data
    if isinstance(value, bool) or value is None:
        raise _Unexpected("unexpected value")
    if isinstance(value, int):
        if value < 0:
            raise _Unexpected("negative integer")
        return head(0, value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)
    if isinstance(value, dict):
        pairs = value["__map__"]
        return head(5, len(pairs)) + b"".join(_cbor_encode(k) + _cbor_encode(v) for k, v in pairs)
    raise _Unexpected(f"cannot encode {type(value).__name__}")


def _read(compressed: bytes) -> Any:
    try:
        raw = gzip.decompress(compressed)
    except (OSError, EOFError) as exc:
        raise _Unexpected(str(exc)) from None
    if not raw.startswith(_SIGNATURE):
        raise _Unexpected("no signature")
    body = raw[len(_SIGNATURE) :]
    value = _cbor_decode(body)
    if _cbor_encode(value) != body:
        raise _Unexpected("does not round-trip")
    return value


def _write(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + _cbor_encode(value), compresslevel=9, mtime=0)


def _sort_key(item: Any) -> Any:
    return _cbor_encode(item)


def canonical_bundle(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with filter files, metadata and entry rewritten so equal input gives equal bytes."""
    entry = json.loads(bundle["pagefind-entry.json"])
    out = dict(bundle)
    renamed: dict[str, str] = {}  # old filter hash -> new
    for name in sorted(n for n in bundle if n.startswith("filter/") and n.endswith(".pf_filter")):
        value = _read(bundle[name])
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
            raise _Unexpected("filter layout")
        value[1] = sorted(value[1], key=_sort_key)
        data = _write(value)
        old = name[len("filter/") : -len(".pf_filter")]
        lang = old.split("_", 1)[0]
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        if new != old and f"filter/{new}.pf_filter" in out:
            raise _Unexpected("hash collision")
        renamed[old] = new
        del out[name]
        out[f"filter/{new}.pf_filter"] = data
    for lang, info in sorted(entry.get("languages", {}).items()):
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = _read(bundle[meta_name])
        if not isinstance(meta, list):
            raise _Unexpected("meta layout")
        for i, part in enumerate(meta):
            if (
                isinstance(part, list)
                and part
                and all(isinstance(p, list) and len(p) == 2 and isinstance(p[1], str) and p[1] in renamed for p in part)
            ):
                meta[i] = sorted(([p[0], renamed[p[1]]] for p in part), key=_sort_key)
        data = _write(meta)
        new_hash = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        del out[meta_name]
        out[f"pagefind.{new_hash}.pf_meta"] = data
        info["hash"] = new_hash
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


__all__ = ["SHARD_MAX", "SHARD_MIN", "indexed_digest", "indexed_part", "search_files", "search_key", "shard_folders", "shard_sizes"]
