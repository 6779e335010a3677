"""One image through Pillow: decoded (a large JPEG at a fraction of its size), turned upright, put in sRGB,
resized to each width, and encoded as WebP and in its own format with no metadata at all.

Nothing of the original's EXIF (GPS position, camera, time), XMP, IPTC, ICC profile or comments
is written: every file is encoded from pixels alone, with an empty ``info``.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from sitegen.content.pictures import QUARTER_TURNS, ImageProblem, Output, Picture, orientation
from sitegen.messages import _


def make(path: Path, pic: Picture, quality: int) -> list[tuple[Output, bytes]]:
    """Every published file of ``pic`` from the image at ``path``; ImageProblem if it cannot be decoded."""
    from PIL import Image

    upright = _decode(path, pic)
    files: list[tuple[Output, bytes]] = []
    current = upright
    for width in reversed(pic.widths):  # widest first: each size is made from the one before, which is cheaper
        size = (width, pic.height(width))
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS)
        for fmt in pic.formats:
            files.append((Output(pic.name(width, fmt), fmt, *size), _encode(current, fmt, quality)))
    return sorted(files, key=lambda item: item[0].path)


def verify(path: Path, pic: Picture) -> None:
    """Decode the image as ``make`` would, without encoding: for ``check``, which writes nothing."""
    _decode(path, pic)


def _decode(path: Path, pic: Picture):
    """The pixels of the image, upright, in sRGB and a mode every encoder takes, with no metadata left."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                turn = orientation(im)
                if im.format == "JPEG":  # libjpeg decodes at 1/2, 1/4 or 1/8 scale, still at least this big
                    width, height = pic.widths[-1], pic.height(pic.widths[-1])
                    im.draft(im.mode if im.mode in ("RGB", "L", "CMYK") else "RGB",
                             (height, width) if turn in QUARTER_TURNS else (width, height))
                im.load()
                icc = im.info.get("icc_profile")
                pixels = ImageOps.exif_transpose(im) if turn != 1 else im.copy()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem(_("{source} has more pixels than it says in its header; save it again with an image program",
                             source=pic.source)) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageProblem(_("{source} is damaged: part of the picture is missing or cannot be decoded; "
                             "open it in an image program and save it again", source=pic.source)) from None
    pixels = _srgb(_plain_mode(pixels), icc)
    pixels.info = {}  # exif, xmp, icc_profile, comment, dpi, PNG text: none of it is published
    return pixels


def _plain_mode(im):
    """RGB, RGBA or L: the modes every encoder here takes and LANCZOS resizes."""
    if im.mode in ("RGB", "RGBA", "L"):
        return im
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greyscale PNG: keep the top 8 bits
        return im.point(lambda v: v / 256).convert("L")
    if im.mode == "P" and "transparency" in im.info or im.mode in ("LA", "La", "PA", "RGBa"):
        return im.convert("RGBA")
    return im.convert("RGB")


def _srgb(im, icc: bytes | None):
    """Colours as browsers show untagged images: converted from an embedded profile (a phone's Display P3) to sRGB."""
    if not icc or im.mode == "L":
        return im
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").casefold():
            return im
        return ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"), outputMode=im.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):  # a profile that cannot be read: colours as stored
        return im


def _encode(im, fmt: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    if fmt == "WEBP":  # lossy, drawings too: lossless is five times slower and three times larger
        im.save(buffer, "WEBP", quality=quality, method=4)
    elif fmt == "JPEG":
        im.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        im.save(buffer, "PNG", optimize=False, compress_level=6)
    return buffer.getvalue()
