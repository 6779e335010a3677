"""Files published as they are: everything in static/ at the site root, and the files beside folder posts and
pages, but the images, which the images stage publishes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.content.pictures import image_kind, static_image
from sitegen.content.static import StaticFiles
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _
from sitegen.output.staging import Content, Produced, Sink, put_all
from sitegen.progress import ProgressBar
from sitegen.site.index import Site


def copy_static(root: Path, site: Site, static: StaticFiles, made: Produced, made_from: Callable[[str], str | None],
                sink: Sink, bar: ProgressBar) -> Produced:
    """Put static/ and the files beside folder posts into the sink, each compared byte for byte with the output's.

    A static file at the path of a file sitegen makes (``made``; ``made_from`` names what made a
    page) or of a file beside a post is an error naming both: it would silently replace the other.
    """
    beside = files_beside_posts(root, site)
    copied = {rel: path for rel, path in static.files.items() if not static_image(rel)}
    clashes = sorted(copied.keys() & (made.files | beside.keys()))
    if clashes:
        raise BuildError([SourceError(static.sources[rel], 0, _clash(rel, beside[rel][1] if rel in beside else made_from(rel)))
                          for rel in clashes])
    files: dict[str, Content] = {**copied, **{rel: path for rel, (path, _) in beside.items()}}
    return put_all(sink, files, {}, bar)


def _clash(rel: str, owner: str | None) -> str:
    url = "/" + rel.removesuffix("index.html")
    if owner:
        return _("would replace {url}, which sitegen makes from {owner}; rename or move the file in static/", url=url, owner=owner)
    return _("would replace {url}, which sitegen makes; rename or move the file in static/", url=url)


def files_beside_posts(root: Path, site: Site) -> dict[str, tuple[Path, str]]:
    """Published path -> (file, the post or page it is beside) of every file but an image beside a folder post or page."""
    files: dict[str, tuple[Path, str]] = {}
    for item in (*site.posts, *site.pages):
        if item.assets:  # most posts are single files: no path to make
            folder = (root / item.source).parent
            files.update((item.url + asset, (folder / asset, item.source)) for asset in item.assets if image_kind(asset) is None)
    return files
