"""Pagefind's bundle made byte-identical from run to run.

Pagefind writes its filter indexes from a hash map, so the order of values, and with it the
files' hashed names, the metadata file that lists them and pagefind-entry.json, change from
run to run (Pagefind issue #638: fragments were made stable in 1.3, "filter/metadata indexes"
were not). The same input must give byte-identical output, so the filter files are rewritten
with their values sorted and renamed after their content, and the metadata and entry files are
updated to match. The files are gzip-compressed CBOR after a "pagefind_dcd" signature; anything
that does not look like that is left as Pagefind wrote it (``Unexpected``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

_SIGNATURE = b"pagefind_dcd"


class Unexpected(Exception):
    """A bundle laid out otherwise than this code knows: another Pagefind version."""


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
            raise Unexpected("indefinite or reserved length")
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
        raise Unexpected(f"CBOR major type {major}")

    value, end = item(0)
    if end != len(data):
        raise Unexpected("trailing bytes")
    return value


def _cbor_encode(value: Any) -> bytes:
    def head(major: int, arg: int) -> bytes:
        if arg < 24:
            return bytes([major << 5 | arg])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if arg < 1 << (8 * size):
                return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
        raise Unexpected("integer too large")

    if isinstance(value, _Raw):
        return value.data
    if isinstance(value, bool) or value is None:
        raise Unexpected("unexpected value")
    if isinstance(value, int):
        if value < 0:
            raise Unexpected("negative integer")
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
    raise Unexpected(f"cannot encode {type(value).__name__}")


def _read(compressed: bytes) -> Any:
    try:
        raw = gzip.decompress(compressed)
    except (OSError, EOFError) as exc:
        raise Unexpected(str(exc)) from None
    if not raw.startswith(_SIGNATURE):
        raise Unexpected("no signature")
    body = raw[len(_SIGNATURE) :]
    value = _cbor_decode(body)
    if _cbor_encode(value) != body:
        raise Unexpected("does not round-trip")
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
            raise Unexpected("filter layout")
        value[1] = sorted(value[1], key=_sort_key)
        data = _write(value)
        old = name[len("filter/") : -len(".pf_filter")]
        lang = old.split("_", 1)[0]
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        if new != old and f"filter/{new}.pf_filter" in out:
            raise Unexpected("hash collision")
        renamed[old] = new
        del out[name]
        out[f"filter/{new}.pf_filter"] = data
    for lang, info in sorted(entry.get("languages", {}).items()):
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = _read(bundle[meta_name])
        if not isinstance(meta, list):
            raise Unexpected("meta layout")
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
