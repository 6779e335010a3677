"""Real image files for tests: photos with the metadata a phone writes (camera, time, GPS position, XMP, ICC)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw

GPS_IFD = 0x8825
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="57,43.27N"/></rdf:RDF></x:xmpmeta>')
# what must never be published: the writer's position, camera and notes
SECRETS = (b"Exif", b"57,43", b"Kamera AB", b"Hemlig kommentar", b"adobe:ns:meta", b"GPS")


def picture_bytes(size: tuple[int, int] = (1200, 900), fmt: str = "JPEG", orientation: int = 1,
                  metadata: bool = True, mode: str = "RGB") -> bytes:
    """An image whose top-left quarter is red (to see it turned), with EXIF, GPS, XMP, a comment and an ICC profile."""
    width, height = size
    im = Image.new(mode, size, (30, 110, 200) if mode == "RGB" else (30, 110, 200, 255))
    ImageDraw.Draw(im).rectangle([0, 0, width // 2, height // 2], fill=(220, 30, 30) if mode == "RGB" else (220, 30, 30, 255))
    options: dict = {}
    if metadata:
        exif = Image.Exif()
        exif[0x010F] = "Kamera AB"  # Make
        exif[0x0112] = orientation
        gps = exif.get_ifd(GPS_IFD)
        gps[1], gps[2], gps[3], gps[4] = "N", (57.0, 43.0, 16.0), "E", (12.0, 56.0, 22.0)
        options = {"exif": exif.tobytes(), "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()}
        if fmt in ("JPEG", "WEBP", "PNG"):
            options["xmp"] = XMP
        if fmt == "JPEG":
            options["comment"] = b"Hemlig kommentar"
    elif orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options = {"exif": exif.tobytes()}
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def write_picture(path: Path, *args, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(picture_bytes(*args, **kwargs))
    return path


def metadata_left(data: bytes) -> list[str]:
    """What of the original's metadata a published file still has: EXIF tags, info keys, tell-tale bytes."""
    found = [secret.decode() for secret in SECRETS if secret in data]
    with Image.open(io.BytesIO(data)) as im:
        if im.getexif():
            found.append(f"exif tags {sorted(im.getexif())}")
        found.extend(f"info {key}" for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment") if key in im.info)
    return found


def display_p3_profile() -> bytes:
    """A minimal ICC v2 profile with Display P3's primaries (as phones tag their photos) and gamma 2.2."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = b"Display P3 (test)\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
            (b"gXYZ", xyz(0.2919, 0.6922, 0.0419)), (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ " + b"\0" * 12
              + b"acsp" + b"\0" * 24 + b"\0" * 4 + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data
