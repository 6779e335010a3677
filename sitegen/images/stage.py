"""The images stage: every image beside a published post or page and in static/ (but static/assets/), made
into its published files, or carried over when nothing it is made from has changed.

What an image is made from is its bytes and the image settings (``fingerprints.image``). Each
build looks at every image's size, modification time and inode; only an image whose signature is
new is read and hashed again. Its files are then, in order of cost: left in the output as they
are (recorded with the same fingerprint, untouched); copied from the store of processed images;
or made with Pillow, in threads over all cores.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen import fingerprints
from sitegen.config.settings import ImagesConfig
from sitegen.content.pictures import ImageProblem, Output, Picture, image_kind, named_file, picture, probe, static_image
from sitegen.content.read import racy, stat_signature
from sitegen.content.static import StaticFiles
from sitegen.errors import BuildError, SourceError
from sitegen.images.process import make, verify
from sitegen.images.store import STORE_DIR, ImageStore
from sitegen.messages import _
from sitegen.output.cache import CACHE_DIR, PreviousBuild, SeenImage
from sitegen.output.staging import REUSE, Content, Produced, Sink, put_all
from sitegen.parallel import map_threads
from sitegen.progress import ProgressBar
from sitegen.site.index import Site


@dataclass(frozen=True)
class ImageSource:
    """One image file the site publishes."""

    path: Path  # on disk
    source: str  # from the project root, for messages
    published: str  # the published path of its own name


@dataclass(frozen=True)
class Imaged:
    """What the images stage made: its files in the sink, and what it saw, for the next build."""

    produced: Produced
    seen: Mapping[str, SeenImage]


def find_images(root: Path, site: Site, static: StaticFiles) -> list[ImageSource]:
    """Every image beside a published post or page, and in static/ outside static/assets/."""
    found = [ImageSource(path, static.sources[rel], rel) for rel, path in static.files.items() if static_image(rel)]
    for item in (*site.posts, *site.pages):
        folder = posixpath.dirname(item.source)
        found.extend(ImageSource(root / folder / asset, f"{folder}/{asset}", item.url + asset)
                     for asset in item.assets if image_kind(asset) is not None)
    return found


def make_images(root: Path, site: Site, static: StaticFiles, settings: ImagesConfig, previous: PreviousBuild,
                sink: Sink, bar: ProgressBar) -> Imaged:
    """Put every image's published files into the sink; all problems, at the lines that show the images, at once."""
    sources = find_images(root, site, static)
    seen, problems = _look(sources, previous.state.images)
    planned = [(src, picture(src.source, src.published, seen[src.source].file, settings.widths)) for src in sources if src.source in seen]
    errors = [_located(site, src, problem) for src, problem in problems] + _collisions(planned)
    fps: dict[str, str] = {}
    files: dict[str, Content] = {}
    todo: list[tuple[ImageSource, Picture, tuple[Output, ...], str]] = []
    for src, pic in planned:
        if not pic.processed:  # GIF, SVG, an animation: as it is
            files[pic.path] = src.path
            continue
        fp = fingerprints.image(seen[src.source].digest, pic.widths, pic.formats, settings.quality)
        outputs = pic.outputs()
        fps.update((out.path, fp) for out in outputs)
        todo.append((src, pic, outputs, fp))
    store = ImageStore(root / CACHE_DIR / STORE_DIR)
    reusable = previous.reusable(fps)
    work = []
    for src, pic, outputs, fp in todo:
        if all(out.path in reusable for out in outputs):
            files.update((out.path, REUSE) for out in outputs)
        elif (stored := store.get(fp, outputs)) is not None:
            files.update(stored)
        else:
            work.append((src, pic, outputs, fp))
    bar.stage("images", len(work))
    made = map_threads(lambda job: _make(job[0], job[1], settings.quality, sink.publishes), work, progress=bar)
    bar.finish()
    for (src, _pic, outputs, fp), result in zip(work, made):
        if isinstance(result, ImageProblem):
            errors.append(_located(site, src, result))
        elif sink.publishes:
            store.put(fp, result)
            files.update((out.path, data) for out, data in result)
        else:  # a dry run: the files exist, only not as bytes
            files.update((out.path, REUSE) for out in outputs)
    if errors:
        raise BuildError(sorted(set(errors)))
    produced = put_all(sink, files, fps, bar)
    if sink.publishes:
        store.prune(set(fps.values()))
    return Imaged(produced, seen)


def _make(src: ImageSource, pic: Picture, quality: int, encode: bool) -> Sequence[tuple[Output, bytes]] | ImageProblem:
    try:
        if not encode:
            verify(src.path, pic)
            return ()
        return make(src.path, pic, quality)
    except ImageProblem as exc:
        return exc


def _look(sources: list[ImageSource], known: Mapping[str, SeenImage]) -> tuple[dict[str, SeenImage], list[tuple[ImageSource, ImageProblem]]]:
    """Each image's digest and header: as the last build saw them if its signature is the same, else read again."""
    seen: dict[str, SeenImage] = {}
    todo: list[tuple[ImageSource, tuple]] = []
    now = time.time_ns()
    for src in sources:
        signature = stat_signature([str(src.path)])
        hit = known.get(src.source)
        if hit is not None and hit.signature == signature:
            seen[src.source] = hit
        else:  # a signature too recent to trust is not recorded: the next build reads the image again
            todo.append((src, () if racy(signature, now) else signature))
    problems = []
    for (src, signature), result in zip(todo, map_threads(_read, [src for src, _signature in todo])):
        if isinstance(result, ImageProblem):
            problems.append((src, result))
        else:
            seen[src.source] = SeenImage(signature, *result)
    return seen, problems


def _read(src: ImageSource):
    try:
        return fingerprints.bytes_digest(src.path.read_bytes()), probe(src.path, src.source)
    except ImageProblem as exc:
        return exc


def _located(site: Site, src: ImageSource, problem: ImageProblem) -> SourceError:
    """The problem at the first line that shows the image, or at the image itself if nothing shows it."""
    for item in (*site.posts, *site.pages):
        for href, line in item.images:
            if named_file(unquote(urlsplit(href).path), item.source) == src.source:
                return SourceError(item.source, line, problem.message)
    return SourceError(src.source, 0, problem.message.removeprefix(f"{src.source} "))


def _collisions(planned: list[tuple[ImageSource, Picture]]) -> list[SourceError]:
    """Two images that would publish a file of the same name (``hjulet.jpg`` and ``hjulet.png`` both make ``hjulet.webp``)."""
    owner: dict[str, str] = {}
    errors = []
    for src, pic in planned:
        for out in pic.outputs():
            other = owner.setdefault(out.path, src.source)
            if other != src.source:
                errors.append(SourceError(src.source, 0, _("would be published as /{path}, as {other} is; rename one of them",
                                                           path=out.path, other=other)))
    return errors

