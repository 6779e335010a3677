"""Processed images kept across builds and output folders, by fingerprint: `serve` after `build`, a new output
folder, or a cleared build cache do not process a photo again.

``.sitegen-cache/images/<fingerprint>/`` holds the files made from one image with one set of
settings, each under its published file name. An entry is written whole or not at all (made in a
folder beside it, then renamed), so a build that is stopped never leaves half an entry.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.content.pictures import Output

STORE_DIR = "images"  # under the cache folder
KEEP_DAYS = 14  # an entry no build has used for this long is removed (another output folder may still want it)


@dataclass(frozen=True)
class ImageStore:
    """The folder of processed images."""

    folder: Path

    def entry(self, fingerprint: str) -> Path:
        return self.folder / fingerprint

    def get(self, fingerprint: str, outputs: Sequence[Output]) -> dict[str, Path] | None:
        """Published path -> stored file of every output, or None unless the entry has them all."""
        entry = self.entry(fingerprint)
        found = {out.path: entry / PurePosixPath(out.path).name for out in outputs}
        return found if all(p.is_file() for p in found.values()) else None

    def put(self, fingerprint: str, files: Sequence[tuple[Output, bytes]]) -> None:
        """Keep ``files`` under ``fingerprint``; a store that cannot be written is only slower, never wrong."""
        entry = self.entry(fingerprint)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            tmp.mkdir(parents=True, exist_ok=True)
            for out, data in files:
                (tmp / PurePosixPath(out.path).name).write_bytes(data)
            if entry.exists():
                shutil.rmtree(entry)
            tmp.rename(entry)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)

    def prune(self, used: Collection[str], now: float | None = None) -> None:
        """Remove entries this build did not use and no build has written for ``KEEP_DAYS``, and leftovers."""
        if not self.folder.is_dir():
            return
        now = now if now is not None else time.time()
        for entry in self.folder.iterdir():
            try:
                written = entry.stat().st_mtime
            except OSError:
                continue
            if entry.name.startswith("."):  # half an entry: another build's, unless it is old
                stale = written < now - 3600
            else:
                stale = entry.name not in used and written < now - KEEP_DAYS * 86400
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
