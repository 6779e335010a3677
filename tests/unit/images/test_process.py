"""sitegen.images.process: resizing, formats, orientation, colour, and nothing of the original's metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from sitegen.content.pictures import ImageProblem, picture, probe
from sitegen.images.process import make, verify
from tests.imagetools import display_p3_profile, metadata_left, write_picture

WIDTHS = (480, 960, 1600)
pytestmark = pytest.mark.usefixtures("english")  # the messages' English texts; tests/invalid/ has the Swedish


def made(path, widths=WIDTHS, quality=80):
    pic = picture(path.name, f"a/{path.name}", probe(path, path.name), widths)
    return pic, {out.path: (out, data) for out, data in make(path, pic, quality)}


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def test_a_large_photo_is_made_in_every_width_as_webp_and_jpeg(tmp_path):
    _, files = made(write_picture(tmp_path / "foto.jpg", (4000, 3000)))
    assert sorted(files) == ["a/foto-480.jpg", "a/foto-480.webp", "a/foto-960.jpg", "a/foto-960.webp", "a/foto.jpg", "a/foto.webp"]
    for out, data in files.values():
        im = opened(data)
        assert (im.format, im.size) == (out.format, (out.width, out.height))
    assert opened(files["a/foto.jpg"][1]).size == (1600, 1200)


def test_never_upscaled(tmp_path):
    _, files = made(write_picture(tmp_path / "liten.png", (300, 200), "PNG"))
    assert {path: opened(data).size for path, (_, data) in files.items()} == {"a/liten.png": (300, 200), "a/liten.webp": (300, 200)}


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_turned_upright_by_its_exif_orientation(tmp_path, orientation):
    # stored 1200 x 900 with its top-left quarter red; the orientation says how to show it
    _, files = made(write_picture(tmp_path / "vriden.jpg", (1200, 900), orientation=orientation), widths=(1600,))
    im = opened(files["a/vriden.jpg"][1]).convert("RGB")
    expected_size = (1200, 900) if orientation == 3 else (900, 1200)
    assert im.size == expected_size
    w, h = im.size
    # where the stored top-left corner ends up once turned
    corner = {3: (w - 10, h - 10), 6: (w - 10, 10), 8: (10, h - 10)}[orientation]
    r, g, b = im.getpixel(corner)
    assert r > 150 and g < 90 and b < 90, (orientation, im.getpixel(corner))


@pytest.mark.parametrize(("name", "fmt"), [("foto.jpg", "JPEG"), ("ritning.png", "PNG"), ("bild.webp", "WEBP")])
def test_no_published_file_keeps_any_metadata(tmp_path, name, fmt):
    source = write_picture(tmp_path / name, (1200, 900), fmt)
    assert metadata_left(source.read_bytes())  # the original has it all: camera, GPS, XMP, ICC
    _, files = made(source)
    for path, (_, data) in files.items():
        assert metadata_left(data) == [], path


def test_colours_of_a_wide_gamut_photo_are_converted_to_srgb(tmp_path):
    # a phone's Display P3 red is redder than sRGB can show: converted, it is clipped to sRGB's own red,
    # where dropping the profile would have shown it dull (200, 40, 40)
    im = Image.new("RGB", (64, 48), (200, 40, 40))
    path = tmp_path / "p3.jpg"
    im.save(path, quality=95, icc_profile=display_p3_profile())
    assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(display_p3_profile()))).startswith("Display P3")
    _, files = made(path)
    r, g, b = opened(files["a/p3.jpg"][1]).getpixel((5, 5))
    assert r > 215 and g < 30, (r, g, b)
    assert "icc_profile" not in opened(files["a/p3.jpg"][1]).info


def test_a_palette_png_with_transparency_keeps_it(tmp_path):
    im = Image.new("P", (500, 100), 0)
    im.putpalette([255, 255, 255, 200, 0, 0])
    im.info["transparency"] = 0
    path = tmp_path / "logga.png"
    im.save(path, transparency=0)
    _, files = made(path)
    assert opened(files["a/logga.png"][1]).mode == "RGBA"
    assert opened(files["a/logga.webp"][1]).mode == "RGBA"


def test_the_same_image_makes_the_same_bytes(tmp_path):
    path = write_picture(tmp_path / "foto.jpg", (2000, 1500))
    _, first = made(path)
    _, second = made(path)
    assert {k: v[1] for k, v in first.items()} == {k: v[1] for k, v in second.items()}


def test_a_truncated_file_is_a_problem_naming_it(tmp_path):
    path = write_picture(tmp_path / "avbruten.jpg", (1200, 900))
    pic = picture("posts/a/avbruten.jpg", "a/avbruten.jpg", probe(path, "avbruten.jpg"), WIDTHS)
    path.write_bytes(path.read_bytes()[:2000])  # the header is whole; the picture is not
    with pytest.raises(ImageProblem) as info:
        make(path, pic, 80)
    assert info.value.message == ("posts/a/avbruten.jpg is damaged: part of the picture is missing or cannot be decoded; "
                                  "open it in an image program and save it again")
    with pytest.raises(ImageProblem):
        verify(path, pic)
