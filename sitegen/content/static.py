"""static/: files published at the site root as they are, and the assets the templates reference by a content-hashed name.

Everything in ``static/`` is published at the same path under the site root, as in Hugo and Zola
(``static/CNAME`` → ``/CNAME``, ``static/.well-known/security.txt`` → ``/.well-known/security.txt``).
Files in ``static/assets/`` are the site's own CSS, JavaScript and images: each is published with a
hash of its bytes in its name (``assets/style.css`` → ``assets/style.3f2a1b9c.css``), so a host may
cache them for a year, and the templates name them through the ``asset`` filter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sitegen import fingerprints
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _

STATIC_DIR = "static"
ASSETS = "assets/"  # under static/: published with hashed names
HASH_LENGTH = 10  # hex digits of the content hash in an asset's name
# what editors and file managers leave beside files; never part of a site
LEFT_OUT = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep", ".gitignore"})


@dataclass(frozen=True)
class StaticFiles:
    """Every file of static/ by the path it is published at, and the hashed name of each asset."""

    files: Mapping[str, Path] = field(default_factory=dict)  # published path -> source file
    assets: Mapping[str, str] = field(default_factory=dict)  # 'assets/style.css' -> 'assets/style.3f2a1b9c.css'
    sources: Mapping[str, str] = field(default_factory=dict)  # published path -> path in the project, for messages


def outside_project(path: str, inside: str) -> bool:
    """Whether ``path``, its links followed, is outside the folder ``inside`` (itself with links followed)."""
    real = os.path.realpath(path)
    return real != inside and not real.startswith(inside.rstrip(os.sep) + os.sep)


def leads_outside() -> str:
    return _("is a symbolic link that leads out of the project folder; copy the file into the project instead "
             "(links within the project are fine)")


def find_static(root: Path) -> StaticFiles:
    """Every file under static/; an unreadable one is an error naming it."""
    base = root / STATIC_DIR
    files: dict[str, Path] = {}
    assets: dict[str, str] = {}
    sources: dict[str, str] = {}
    errors: list[SourceError] = []
    inside = os.path.realpath(root)
    for path in sorted(base.rglob("*")) if base.is_dir() else ():
        rel = path.relative_to(base).as_posix()
        shown = f"{STATIC_DIR}/{rel}"
        if (path.is_symlink() or path.is_file()) and outside_project(str(path), inside):  # a link to /etc/passwd would publish it
            errors.append(SourceError(shown, 0, leads_outside()))
            continue
        if path.name in LEFT_OUT or path.name.endswith(("~", ".swp")) or not path.is_file():
            continue
        published = rel
        try:
            if rel.startswith(ASSETS):
                published = hashed_name(rel, path.read_bytes())
                assets[rel] = published
            elif not os.access(path, os.R_OK):  # copied at the end of the build: find out now
                raise PermissionError(13, "Permission denied", str(path))
        except OSError as exc:
            errors.append(SourceError(shown, 0, _("cannot be read ({problem}); make it readable or remove it", problem=exc.strerror or exc)))
            continue
        files[published] = path
        sources[published] = shown
    if errors:
        raise BuildError(errors)
    return StaticFiles(files, assets, sources)


def hashed_name(rel: str, data: bytes) -> str:
    """'assets/style.css' -> 'assets/style.<hash>.css': the name changes whenever the bytes do."""
    path = PurePosixPath(rel)
    tag = fingerprints.bytes_digest(data)[:HASH_LENGTH]
    stem, dot, suffix = path.name.partition(".")
    name = f"{stem}.{tag}{dot}{suffix}" if stem else f"{path.name}.{tag}"  # a dotfile keeps its whole name
    return str(path.with_name(name))
