"""Files published as they are: everything in static/, and the files beside folder posts and pages."""

from __future__ import annotations

from pathlib import Path

from sitegen.output.staging import Content, Produced, Sink, put_all
from sitegen.progress import ProgressBar
from sitegen.site.index import Site

STATIC_DIR = "static"


def copy_static(root: Path, site: Site, sink: Sink, bar: ProgressBar) -> Produced:
    """Put every copied file into the sink; each is compared byte for byte with the output's."""
    return put_all(sink, copied_files(root, site), {}, bar)


def copied_files(root: Path, site: Site) -> dict[str, Content]:
    """static/ and the images beside folder posts, compared byte for byte when written."""
    files: dict[str, Content] = {}
    static = root / STATIC_DIR
    if static.is_dir():
        for p in sorted(static.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                files[f"{STATIC_DIR}/{p.relative_to(static).as_posix()}"] = p
    for item in (*site.posts, *site.pages):
        if item.assets:  # most posts are single files: no path to make
            folder = (root / item.source).parent
            files.update((item.url + asset, folder / asset) for asset in item.assets)
    return files
