"""What an image a writer shows becomes: the file it names, its size, the files published from it, and its markup.

A raster image (JPEG, PNG, WebP) is published in each configured width narrower than it, and at
the widest it can be, each as WebP and in its own format; the widest keeps the file's own name
(``hjulet.jpg``, ``hjulet.webp``), the others get their width (``hjulet-480.jpg``). GIF and SVG,
and animated PNG and WebP, are published as they are. The images stage (images/) makes the
files; this module only decides their names and sizes, so that a page can give every ``<img>``
its width and height before a single pixel is processed.
"""

from __future__ import annotations

import html
import posixpath
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from sitegen.content.static import ASSETS, STATIC_DIR
from sitegen.errors import closest
from sitegen.messages import _

RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}  # suffix -> the format it must hold
AS_IS = {".gif": "GIF", ".svg": "SVG"}
# image files a browser cannot show, or whose metadata Pillow cannot remove: never published
UNSUPPORTED = {".tif": "TIFF", ".tiff": "TIFF", ".heic": "HEIC", ".heif": "HEIF", ".avif": "AVIF", ".jxl": "JPEG XL",
               ".jp2": "JPEG 2000", ".psd": "PSD", ".dng": "DNG", ".cr2": "CR2", ".nef": "NEF", ".arw": "ARW"}
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif", "SVG": "image/svg+xml"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# the body column is --measure (44rem) less its padding (style.css): no wider image is ever fetched
SIZES = "(min-width: 44rem) 41rem, calc(100vw - 2rem)"
MAX_PIXELS = 89_478_485  # Pillow's decompression-bomb limit: 89 megapixels, a 16-bit colour 10,000 x 8,900 photo
_ORIENTATION = 0x0112  # the EXIF tag
QUARTER_TURNS = (5, 6, 7, 8)  # orientations stored a quarter turn from upright: width and height swap
_SVG_SIZE = re.compile(rb"<svg\b[^>]*?\bviewBox\s*=\s*[\"']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)", re.DOTALL)


class ImageProblem(Exception):
    """An image that cannot be published; the message says what is wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def image_kind(name: str) -> str | None:
    """'raster', 'as-is', 'unsupported', or None for a file that is not an image, by its suffix."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in RASTER:
        return "raster"
    if suffix in AS_IS:
        return "as-is"
    return "unsupported" if suffix in UNSUPPORTED else None


def static_image(rel: str) -> bool:
    """A file of static/ (published path ``rel``) that the images stage publishes: any image but the templates' own."""
    return image_kind(rel) is not None and not rel.startswith(ASSETS)


@dataclass(frozen=True, slots=True)
class ImageFile:
    """An image file as its header describes it: format and upright size (0 x 0 for an SVG without a viewBox)."""

    format: str  # 'JPEG', 'PNG', 'WEBP', 'GIF' or 'SVG'
    width: int
    height: int
    animated: bool = False  # an animated PNG or WebP: published as it is, as a GIF is


def probe(path: Path, shown: str) -> ImageFile:
    """Read the header of the image at ``path`` (``shown`` in messages); raise ImageProblem if it cannot be published."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise ImageProblem(_("{shown} is a {kind} image, which browsers do not show; "
                             "save it as JPEG (photos) or PNG (drawings) and use that file", shown=shown, kind=UNSUPPORTED[suffix]))
    if suffix == ".svg":
        return _svg(path, shown)
    expected = RASTER.get(suffix) or AS_IS.get(suffix)
    from PIL import Image, UnidentifiedImageError  # only a build with images to read needs Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                fmt, (width, height) = im.format, im.size
                animated = bool(getattr(im, "is_animated", False))
                turn = orientation(im)
    except FileNotFoundError:
        raise ImageProblem(_("{shown} not found", shown=shown)) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem(_too_large(shown)) from None
    except UnidentifiedImageError:
        raise ImageProblem(_("{shown} is not an image that can be read: the file is damaged, or it is not a {format} file; "
                             "open it in an image program and save it again", shown=shown, format=expected)) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageProblem(_("{shown} is damaged and cannot be read; open it in an image program and save it again", shown=shown)) from None
    if fmt != expected:
        right = EXTENSIONS.get(fmt or "")
        if right:
            raise ImageProblem(_("{shown} holds a {found} image, not {expected}; rename it to {name}",
                                 shown=shown, found=fmt, expected=expected, name=path.stem + right))
        raise ImageProblem(_("{shown} holds a {found} image, not {expected}; save it as JPEG, PNG or WebP",
                             shown=shown, found=fmt, expected=expected))
    if width * height > MAX_PIXELS:
        raise ImageProblem(_too_large(shown))
    if turn in QUARTER_TURNS:
        width, height = height, width
    return ImageFile(fmt, width, height, animated and fmt != "GIF")


def _too_large(shown: str) -> str:
    return _("{shown} has more than {millions} million pixels, too many to process safely; "
             "make it smaller (at most 8000 pixels wide) and add it again", shown=shown, millions=MAX_PIXELS // 1_000_000)


def orientation(im) -> int:
    """The EXIF orientation of an open image (1: stored upright)."""
    try:
        return int(im.getexif().get(_ORIENTATION, 1))
    except (OSError, SyntaxError, ValueError, TypeError, KeyError):  # unreadable EXIF: the picture as stored
        return 1


def _svg(path: Path, shown: str) -> ImageFile:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)  # the root element's attributes; the rest is the drawing
    except FileNotFoundError:
        raise ImageProblem(_("{shown} not found", shown=shown)) from None
    if b"<svg" not in head:
        raise ImageProblem(_("{shown} is not an SVG drawing (no <svg> element at its start); export it again as SVG", shown=shown))
    size = _SVG_SIZE.search(head)
    width, height = (round(float(size[1])), round(float(size[2]))) if size else (0, 0)
    return ImageFile("SVG", width, height)


@dataclass(frozen=True, slots=True)
class Output:
    """One published file of an image."""

    path: str  # published path, e.g. '2017/03/aterbesok-i-boras/hjulet-480.webp'
    format: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Picture:
    """One image file as the site publishes it."""

    source: str  # path from the project root, for messages
    path: str  # published path of the file's own name, e.g. 'bilder/karta.png'
    file: ImageFile
    widths: tuple[int, ...]  # the widths it is made in, ascending; () when published as it is

    @property
    def processed(self) -> bool:
        return bool(self.widths)

    @property
    def formats(self) -> tuple[str, ...]:
        """Its own format last: the ``<img>`` fallback; WebP first, for the ``<source>``."""
        return ("WEBP", self.file.format) if self.file.format != "WEBP" else ("WEBP",)

    def outputs(self) -> tuple[Output, ...]:
        """Every file published from it: each width in each format, the widest under the file's own name."""
        if not self.processed:
            return (Output(self.path, self.file.format, self.file.width, self.file.height),)
        return tuple(Output(self.name(w, fmt), fmt, w, self.height(w)) for fmt in self.formats for w in self.widths)

    def name(self, width: int, fmt: str) -> str:
        stem, suffix = posixpath.splitext(self.path)
        ext = suffix if fmt == self.file.format else ".webp"
        return f"{stem}{ext}" if width == self.widths[-1] else f"{stem}-{width}{ext}"

    def height(self, width: int) -> int:
        return max(1, round(self.file.height * width / self.file.width))

    def largest(self) -> Output:
        """The widest file in its own format: what ``src`` and og:image name."""
        return self.outputs()[-1]


@dataclass(frozen=True, slots=True)
class Cover:
    """The image a post is shown with where it is shared (og:image): the first one it shows."""

    path: str  # published path of its widest file in its own format
    format: str
    width: int
    height: int
    alt: str

    @property
    def mime(self) -> str:
        return MIME[self.format]


def cover(shown: Sequence[tuple[Picture, str]]) -> Cover | None:
    """The first image that previews can show (SVG they cannot), at its widest, with its alt text."""
    for pic, alt in shown:
        if pic.file.format != "SVG":
            out = pic.largest()
            return Cover(out.path, out.format, out.width, out.height, alt)
    return None


def widths_for(file: ImageFile, widths: Sequence[int]) -> tuple[int, ...]:
    """The configured widths narrower than the image, then the widest it can be: never wider than it is."""
    if file.format in ("GIF", "SVG") or file.animated or not widths:
        return ()
    top = min(file.width, widths[-1])
    return (*(w for w in widths if w < top), top)


def picture(source: str, path: str, file: ImageFile, widths: Sequence[int]) -> Picture:
    return Picture(source, path, file, widths_for(file, widths))


def markup(pic: Picture, url: Callable[[str], str], alt: str, title: str, block: bool) -> str:
    """``<picture>`` (WebP first, then its own format) with width, height and lazy loading; a ``<figure>`` when it stands alone."""
    attrs = f'alt="{html.escape(alt)}"'
    if pic.processed:
        largest = pic.largest()
        srcsets = {fmt: ", ".join(f"{url(pic.name(w, fmt))} {w}w" for w in pic.widths) for fmt in pic.formats}
        own = pic.formats[-1]
        img = (f'<img src="{url(largest.path)}" srcset="{srcsets[own]}" sizes="{SIZES}" width="{largest.width}" '
               f'height="{largest.height}" {attrs} loading="lazy" decoding="async">')
        if own != "WEBP":
            img = f'<picture><source type="image/webp" srcset="{srcsets["WEBP"]}" sizes="{SIZES}">{img}</picture>'
    else:
        size = f' width="{pic.file.width}" height="{pic.file.height}"' if pic.file.width else ""
        img = f'<img src="{url(pic.path)}"{size} {attrs} loading="lazy" decoding="async">'
    if not block:  # inside a line of text, where a caption cannot go: the title shows on hover
        return img.replace(" loading=", f' title="{html.escape(title)}" loading=', 1) if title else img
    caption = f"\n<figcaption>{html.escape(title)}</figcaption>" if title else ""
    return f'<figure class="bild">\n{img}{caption}\n</figure>\n'


def named_file(path: str, source: str) -> str:
    """The file, from the project root, that an image path written in ``source`` names: '/…' in static/, else beside it."""
    if path.startswith("/"):
        return f"{STATIC_DIR}/{path.lstrip('/')}"
    return posixpath.join(posixpath.dirname(source), posixpath.normpath(path))


def published_url(base_path: str) -> Callable[[str], str]:
    """The URL of a published path under ``base_path``, percent-encoded as an attribute needs."""
    return lambda path: html.escape(base_path + quote(path, safe="/"))


@dataclass(frozen=True, slots=True)
class Place:
    """Where a post or page's own images are: its folder in the project and where its files are published."""

    root: Path
    source: str  # the Markdown file, from the project root
    folder_url: str  # published folder of the page made from it, e.g. '2017/03/aterbesok-i-boras/'
    assets: tuple[str, ...]  # files beside a folder's index.md; () for a single-file post
    widths: tuple[int, ...]

    @property
    def is_folder(self) -> bool:
        return self.source.endswith("/index.md")

    def resolve(self, src: str) -> Picture | None:
        """The picture an image reference names; None for a data: URL; ImageProblem if it cannot be shown."""
        parts = urlsplit(src)
        if parts.scheme == "data":
            return None
        if parts.scheme or parts.netloc:
            raise ImageProblem(_("image '{src}' is on another site: pages show only their own site's images "
                                 "(so readers are not tracked); save the image beside the post and name the file", src=src))
        path = unquote(parts.path)
        if not path:
            raise ImageProblem(_("image without a file: write the file's name in the brackets, e.g. ![Text](bild.jpg)"))
        if image_kind(path) is None:
            raise ImageProblem(_("'{src}' is not an image: images are JPEG, PNG, WebP, GIF or SVG files", src=src))
        if path.startswith("/"):
            return self._static(src, path)
        return self._beside(src, path)

    def _static(self, src: str, path: str) -> Picture:
        rel = path.lstrip("/")
        if rel.startswith(ASSETS):
            raise ImageProblem(_("image '{src}' is in {folder}, which holds the templates' own files; "
                                 "move it to another folder of {static}/, such as {static}/bilder/",
                                 src=src, folder=f"{STATIC_DIR}/{ASSETS}", static=STATIC_DIR))
        shown = named_file(path, self.source)
        file = self.root / shown
        if not file.is_file():
            raise ImageProblem(_("image '{src}' not found: looked for {shown}; images written with a leading '/' "
                                 "are in {static}/, others beside the post", src=src, shown=shown, static=STATIC_DIR))
        return picture(shown, rel, probe(file, shown), self.widths)

    def _beside(self, src: str, path: str) -> Picture:
        rel = posixpath.normpath(path)
        shown = named_file(path, self.source)
        if not self.is_folder:
            raise ImageProblem(_("image '{src}' not found: a post's own images go beside it in a folder; move {source} to "
                                 "{folder}/index.md and put {name} beside it (`sitegen new --bundle` makes such a folder), "
                                 "or put the image in {static}/ and write '/{rel}'", src=src, source=self.source,
                                 folder=self.source[:-3], name=posixpath.basename(rel), static=STATIC_DIR, rel=rel))
        if rel.startswith("../") or rel == "..":
            raise ImageProblem(_("image '{src}' is outside the post's folder; put it beside {source}, or in {static}/ and write '/name'",
                                 src=src, source=self.source, static=STATIC_DIR))
        if rel not in self.assets:
            near = closest(rel, self.assets, 1)
            if near:
                raise ImageProblem(_("image '{src}' not found: looked for {shown}; did you mean '{name}'?", src=src, shown=shown, name=near[0]))
            raise ImageProblem(_("image '{src}' not found: looked for {shown}", src=src, shown=shown))
        return picture(shown, self.folder_url + rel, probe(self.root / shown, shown), self.widths)
