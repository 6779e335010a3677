"""Files published as they are: everything in static/ at the site root, and the files beside folder posts and
pages, but the images, which the images stage publishes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sitegen.content.pictures import image_kind, static_image
from sitegen.content.static import StaticFiles
from sitegen.errors import BuildError, SourceError
from sitegen.output.staging import Content, Produced, Sink, put_all
from sitegen.progress import ProgressBar
from sitegen.site.index import Site


def copy_static(root: Path, site: Site, static: StaticFiles, made: Produced, owners: Mapping[str, str],
                sink: Sink, bar: ProgressBar) -> Produced:
    """Put static/ and the files beside folder posts into the sink, each compared byte for byte with the output's.

    A static file at the path of a file sitegen makes (``made``, whose pages ``owners`` maps to
    what they are made from) or of a file beside a post is an error naming both: it would
    silently replace the other.
    """
    beside = files_beside_posts(root, site)
    owners = {**owners, **{rel: source for rel, (_, source) in beside.items()}}
    copied = {rel: path for rel, path in static.files.items() if not static_image(rel)}
    clashes = sorted(copied.keys() & (made.files | beside.keys()))
    if clashes:
        raise BuildError([SourceError(static.sources[rel], 0, _clash(rel, owners)) for rel in clashes])
    files: dict[str, Content] = {**copied, **{rel: path for rel, (path, _) in beside.items()}}
    return put_all(sink, files, {}, bar)


def _clash(rel: str, owners: Mapping[str, str]) -> str:
    url = "/" + rel.removesuffix("index.html")
    made_from = f", made from {owners[rel]}" if rel in owners else ""
    return f"would replace {url}, which sitegen makes{made_from}; rename or move the file in static/"


def files_beside_posts(root: Path, site: Site) -> dict[str, tuple[Path, str]]:
    """Published path -> (file, the post or page it is beside) of every file but an image beside a folder post or page."""
    files: dict[str, tuple[Path, str]] = {}
    for item in (*site.posts, *site.pages):
        if item.assets:  # most posts are single files: no path to make
            folder = (root / item.source).parent
            files.update((item.url + asset, (folder / asset, item.source)) for asset in item.assets if image_kind(asset) is None)
    return files
