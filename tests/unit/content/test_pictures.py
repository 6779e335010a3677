"""sitegen.content.pictures: probing image files, the widths and names they are published under, the markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from sitegen.content.pictures import ImageFile, ImageProblem, Place, cover, markup, picture, probe, published_url, widths_for
from tests.imagetools import picture_bytes, write_picture

WIDTHS = (480, 960, 1600)
pytestmark = pytest.mark.usefixtures("english")  # the messages' English texts; tests/invalid/ has the Swedish


def test_probe_reads_format_and_upright_size(tmp_path):
    assert probe(write_picture(tmp_path / "a.jpg", (1200, 900)), "a.jpg") == ImageFile("JPEG", 1200, 900)
    # orientation 6: stored on its side, shown a quarter turn round, so width and height swap
    assert probe(write_picture(tmp_path / "b.jpg", (1200, 900), orientation=6), "b.jpg") == ImageFile("JPEG", 900, 1200)
    assert probe(write_picture(tmp_path / "c.png", (300, 200), "PNG"), "c.png") == ImageFile("PNG", 300, 200)
    assert probe(write_picture(tmp_path / "d.webp", (300, 200), "WEBP"), "d.webp") == ImageFile("WEBP", 300, 200)


def test_probe_reads_an_svg_view_box(tmp_path):
    (tmp_path / "k.svg").write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480"></svg>')
    (tmp_path / "n.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    assert probe(tmp_path / "k.svg", "k.svg") == ImageFile("SVG", 640, 480)
    assert probe(tmp_path / "n.svg", "n.svg") == ImageFile("SVG", 0, 0)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("trasig.jpg", b"\xff\xd8\xff\xe0 not really", ("trasig.jpg is damaged and cannot be read; "
     "open it in an image program and save it again")),
    ("text.png", b"hello", ("text.png is not an image that can be read: the file is damaged, or it is not a PNG file; "
     "open it in an image program and save it again")),
    ("foto.heic", b"....ftypheic", ("foto.heic is a HEIC image, which browsers do not show; save it as JPEG (photos) "
     "or PNG (drawings) and use that file")),
    ("rit.svg", b"<html></html>", "rit.svg is not an SVG drawing (no <svg> element at its start); export it again as SVG"),
])
def test_probe_refuses_what_cannot_be_published(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ImageProblem) as info:
        probe(tmp_path / name, name)
    assert info.value.message == message


def test_probe_names_the_format_a_misnamed_file_holds(tmp_path):
    (tmp_path / "karta.jpg").write_bytes(picture_bytes((40, 30), "PNG"))
    with pytest.raises(ImageProblem) as info:
        probe(tmp_path / "karta.jpg", "karta.jpg")
    assert info.value.message == "karta.jpg holds a PNG image, not JPEG; rename it to karta.png"


def test_probe_refuses_a_decompression_bomb(tmp_path):
    # a PNG header claiming 20,000 x 20,000 pixels: 400 million, over Pillow's 89 million limit
    Image.new("1", (20000, 20000)).save(tmp_path / "bomb.png")
    with pytest.raises(ImageProblem) as info:
        probe(tmp_path / "bomb.png", "bomb.png")
    assert info.value.message.startswith("bomb.png has more than 89 million pixels, too many to process safely")


def test_widths_never_upscale():
    assert widths_for(ImageFile("JPEG", 4000, 3000), WIDTHS) == (480, 960, 1600)
    assert widths_for(ImageFile("JPEG", 1200, 900), WIDTHS) == (480, 960, 1200)
    assert widths_for(ImageFile("JPEG", 960, 720), WIDTHS) == (480, 960)
    assert widths_for(ImageFile("JPEG", 300, 200), WIDTHS) == (300,)
    assert widths_for(ImageFile("GIF", 300, 200), WIDTHS) == ()
    assert widths_for(ImageFile("PNG", 300, 200, animated=True), WIDTHS) == ()


def test_outputs_name_each_width_and_keep_the_own_name_for_the_widest():
    pic = picture("posts/a/hjulet.jpg", "2017/02/a/hjulet.jpg", ImageFile("JPEG", 4000, 3000), WIDTHS)
    assert [(o.path, o.format, o.width, o.height) for o in pic.outputs()] == [
        ("2017/02/a/hjulet-480.webp", "WEBP", 480, 360), ("2017/02/a/hjulet-960.webp", "WEBP", 960, 720),
        ("2017/02/a/hjulet.webp", "WEBP", 1600, 1200),
        ("2017/02/a/hjulet-480.jpg", "JPEG", 480, 360), ("2017/02/a/hjulet-960.jpg", "JPEG", 960, 720),
        ("2017/02/a/hjulet.jpg", "JPEG", 1600, 1200),
    ]
    webp = picture("s", "b/x.webp", ImageFile("WEBP", 500, 100), WIDTHS)
    assert [o.path for o in webp.outputs()] == ["b/x-480.webp", "b/x.webp"]


def test_markup_is_a_picture_with_sizes_and_a_figure_when_alone():
    pic = picture("posts/a/hjulet.jpg", "a/hjulet.jpg", ImageFile("JPEG", 1200, 900), WIDTHS)
    html = markup(pic, published_url("/aterbesok/"), 'Hjulet "målbild"', "Målbilden i Borås", block=True)
    assert html.startswith('<figure class="bild">\n<picture><source type="image/webp" srcset="/aterbesok/a/hjulet-480.webp 480w, '
                           '/aterbesok/a/hjulet-960.webp 960w, /aterbesok/a/hjulet.webp 1200w" sizes="')
    assert ('<img src="/aterbesok/a/hjulet.jpg" srcset="/aterbesok/a/hjulet-480.jpg 480w, /aterbesok/a/hjulet-960.jpg 960w, '
            '/aterbesok/a/hjulet.jpg 1200w"') in html
    assert 'width="1200" height="900" alt="Hjulet &quot;målbild&quot;" loading="lazy" decoding="async"></picture>' in html
    assert html.endswith("<figcaption>Målbilden i Borås</figcaption>\n</figure>\n")
    inline = markup(pic, published_url("/"), "Hjulet", "Målbilden", block=False)
    assert "<figure" not in inline and ' title="Målbilden" loading="lazy"' in inline


def test_markup_of_a_gif_is_a_plain_img_and_names_are_percent_encoded():
    pic = picture("s", "bilder/glad sol.gif", ImageFile("GIF", 64, 32), WIDTHS)
    assert markup(pic, published_url("/"), "Sol", "", block=False) == (
        '<img src="/bilder/glad%20sol.gif" width="64" height="32" alt="Sol" loading="lazy" decoding="async">')


def test_cover_is_the_first_image_previews_can_show():
    svg = picture("s", "a/k.svg", ImageFile("SVG", 10, 10), WIDTHS)
    jpg = picture("s", "a/f.jpg", ImageFile("JPEG", 2000, 1000), WIDTHS)
    found = cover([(svg, "Karta"), (jpg, "Foto")])
    assert (found.path, found.width, found.height, found.alt, found.mime) == ("a/f.jpg", 1600, 800, "Foto", "image/jpeg")
    assert cover([(svg, "Karta")]) is None


def place(root: Path, source: str = "posts/boras/index.md", assets: tuple[str, ...] = ()) -> Place:
    return Place(root, source, "2017/02/boras/", assets, WIDTHS)


@pytest.mark.parametrize(("src", "assets", "message"), [
    ("Hjulet.jpg", ("hjulet.jpg",), "image 'Hjulet.jpg' not found: looked for posts/boras/Hjulet.jpg; did you mean 'hjulet.jpg'?"),
    ("hjulett.jpg", ("hjulet.jpg",), "image 'hjulett.jpg' not found: looked for posts/boras/hjulett.jpg; did you mean 'hjulet.jpg'?"),
    ("../annat/bild.jpg", (), ("image '../annat/bild.jpg' is outside the post's folder; put it beside posts/boras/index.md, "
     "or in static/ and write '/name'")),
    ("https://example.com/a.jpg", (), ("image 'https://example.com/a.jpg' is on another site: pages show only their own site's "
     "images (so readers are not tracked); save the image beside the post and name the file")),
    ("/bilder/karta.png", (), ("image '/bilder/karta.png' not found: looked for static/bilder/karta.png; images written with "
     "a leading '/' are in static/, others beside the post")),
    ("/assets/logo.png", (), ("image '/assets/logo.png' is in static/assets/, which holds the templates' own files; move it "
     "to another folder of static/, such as static/bilder/")),
    ("rapport.pdf", (), "'rapport.pdf' is not an image: images are JPEG, PNG, WebP, GIF or SVG files"),
])
def test_resolve_says_where_it_looked_and_what_to_do(tmp_path, src, assets, message):
    with pytest.raises(ImageProblem) as info:
        place(tmp_path, assets=assets).resolve(src)
    assert info.value.message == message


def test_resolve_finds_images_beside_the_post_and_in_static(tmp_path):
    write_picture(tmp_path / "posts/boras/bilder/hjulet.jpg", (2000, 1500))
    write_picture(tmp_path / "static/bilder/karta.png", (800, 600), "PNG")
    here = place(tmp_path, assets=("bilder/hjulet.jpg",))
    beside = here.resolve("bilder/hjulet.jpg")
    assert (beside.source, beside.path, beside.widths) == ("posts/boras/bilder/hjulet.jpg", "2017/02/boras/bilder/hjulet.jpg", WIDTHS)
    static = here.resolve("/bilder/karta.png")
    assert (static.source, static.path, static.widths) == ("static/bilder/karta.png", "bilder/karta.png", (480, 800))
    assert here.resolve("data:image/png;base64,iVBORw0KGgo=") is None


def test_a_name_with_spaces_and_swedish_letters_is_found(tmp_path):
    write_picture(tmp_path / "posts/boras/målbild ett.jpg", (100, 80))
    pic = place(tmp_path, assets=("målbild ett.jpg",)).resolve("m%C3%A5lbild%20ett.jpg")
    assert pic.path == "2017/02/boras/målbild ett.jpg"
    assert re.search(r'src="/2017/02/boras/m%C3%A5lbild%20ett\.jpg"', markup(pic, published_url("/"), "x", "", False))
