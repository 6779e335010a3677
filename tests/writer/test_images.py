"""Images across builds: an unchanged photo is never processed again, its files keep bytes and mtime, and the
store of processed images serves another output folder; a broken image leaves the last output as it was."""

from __future__ import annotations

import os

import pytest
from imagetools import metadata_left, picture_bytes
from sitetools import post_text, read_tree, run_cli, stat_tree

from sitegen import pipeline
from sitegen.errors import BuildError
from sitegen.images import stage

POST = "2017-02-14-boras/index.md"
FOLDER = "2017/03/ett-besok/"


@pytest.fixture
def counted(monkeypatch):
    """How many images the build processed with Pillow."""
    made: list[str] = []
    real = stage.make

    def counting(path, pic, quality):
        made.append(pic.source)
        return real(path, pic, quality)

    monkeypatch.setattr(stage, "make", counting)
    return made


def photo_site(make_site, **extra):
    posts = {
        POST: post_text(municipality="Borås", body="Text.\n\n![Deltagarna](foto.jpg \"Utvecklingsdagen\")\n\n![Hjulet](hjulet.png)\n"),
        "2017-02-14-boras/foto.jpg": picture_bytes((2000, 1500)),
        "2017-02-14-boras/hjulet.png": picture_bytes((900, 900), "PNG"),
        "2017-02-14-boras/gammal.jpg": picture_bytes((800, 600)),  # shown nowhere: published all the same
        "2017-02-14-boras/animation.gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
                                          b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    }
    return make_site(posts, files={"static/bilder/karta.png": picture_bytes((640, 480), "PNG"), **extra})


def build(root, output="_site"):
    return pipeline.build(pipeline.BuildOptions(root, output=root / output))


def test_every_image_beside_a_post_and_in_static_is_published_without_metadata(make_site, counted):
    root = photo_site(make_site)
    build(root)
    files = read_tree(root / "_site")
    images = sorted(rel for rel in files if rel.endswith((".jpg", ".png", ".webp")) and not rel.startswith("assets/"))  # not the site's own
    assert images == [f"{FOLDER}{name}" for name in (
        "foto-480.jpg", "foto-480.webp", "foto-960.jpg", "foto-960.webp", "foto.jpg", "foto.webp",
        "gammal-480.jpg", "gammal-480.webp", "gammal.jpg", "gammal.webp",
        "hjulet-480.png", "hjulet-480.webp", "hjulet.png", "hjulet.webp")] + [
        "bilder/karta-480.png", "bilder/karta-480.webp", "bilder/karta.png", "bilder/karta.webp"]
    assert {rel: metadata_left(files[rel]) for rel in images} == {rel: [] for rel in images}
    gif = (root / "posts/2017-02-14-boras/animation.gif").read_bytes()
    assert files[f"{FOLDER}animation.gif"] == gif  # a GIF is published as it is
    assert sorted(counted) == ["posts/2017-02-14-boras/foto.jpg", "posts/2017-02-14-boras/gammal.jpg",
                               "posts/2017-02-14-boras/hjulet.png", "static/bilder/karta.png"]


def test_a_rebuild_processes_nothing_and_keeps_every_image_as_it_was(make_site, counted):
    root = photo_site(make_site)
    # saved a while ago, as most files are: outside the window in which a build reads them again to be sure
    for path in [*(root / "posts/2017-02-14-boras").iterdir(), root / "static/bilder/karta.png"]:
        os.utime(path, ns=(path.stat().st_mtime_ns - 10**10,) * 2)
    build(root)
    counted.clear()
    before = stat_tree(root / "_site")
    report = build(root)
    assert counted == []
    assert stat_tree(root / "_site") == before
    assert report.write.written == 0


def test_a_changed_photo_is_made_again_and_the_others_are_left_alone(make_site, counted):
    root = photo_site(make_site)
    build(root)
    before = stat_tree(root / "_site")
    counted.clear()
    (root / "posts/2017-02-14-boras/foto.jpg").write_bytes(picture_bytes((1800, 1200)))
    build(root)
    assert counted == ["posts/2017-02-14-boras/foto.jpg"]
    after = stat_tree(root / "_site")
    changed = sorted(rel for rel in after if after[rel] != before.get(rel) and not rel.endswith(".xml"))  # feeds show bodies
    assert changed == [f"{FOLDER}{name}" for name in ("foto-480.jpg", "foto-480.webp", "foto-960.jpg", "foto-960.webp",
                                                      "foto.jpg", "foto.webp", "index.html")]
    assert 'width="1600" height="1067"' in (root / "_site" / FOLDER / "index.html").read_text(encoding="utf-8")


def test_another_output_folder_takes_the_processed_images_from_the_store(make_site, counted):
    root = photo_site(make_site)
    build(root, ".sitegen-cache/serve")  # what `serve` does first
    counted.clear()
    build(root, "_site")
    assert counted == []
    served, built = read_tree(root / ".sitegen-cache/serve"), read_tree(root / "_site")
    images = [rel for rel in built if rel.endswith((".jpg", ".png", ".webp"))]
    assert images and all(served[rel] == built[rel] for rel in images)


def test_new_widths_make_new_files_and_remove_the_old(make_site):
    root = photo_site(make_site)
    build(root)
    config = root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("widths: [480, 960, 1600]", "widths: [600, 1200]"), encoding="utf-8")
    build(root)
    photos = sorted(rel.removeprefix(FOLDER) for rel in read_tree(root / "_site") if rel.startswith(f"{FOLDER}foto"))
    assert photos == ["foto-600.jpg", "foto-600.webp", "foto.jpg", "foto.webp"]
    html = (root / "_site" / FOLDER / "index.html").read_text(encoding="utf-8")
    assert f"/{FOLDER}foto-600.jpg 600w, /{FOLDER}foto.jpg 1200w" in html


def test_an_image_of_static_a_post_shows_updates_the_post_when_it_changes(make_site):
    root = make_site({"a.md": post_text(municipality="Umeå", body="![Karta](/bilder/karta.png)\n")},
                     files={"static/bilder/karta.png": picture_bytes((640, 480), "PNG")})
    build(root)
    page = next(p for p in (root / "_site").rglob("index.html") if "Karta" in p.read_text(encoding="utf-8") and "bild" in p.read_text(encoding="utf-8"))
    assert 'width="640" height="480"' in page.read_text(encoding="utf-8")
    (root / "static/bilder/karta.png").write_bytes(picture_bytes((640, 320), "PNG"))
    build(root)
    assert 'width="640" height="320"' in page.read_text(encoding="utf-8")


def test_a_damaged_image_fails_the_build_and_leaves_the_last_output(make_site, english):
    root = photo_site(make_site)
    build(root)
    before = stat_tree(root / "_site")
    photo = root / "posts/2017-02-14-boras/foto.jpg"
    photo.write_bytes(picture_bytes((2000, 1500))[:3000])
    with pytest.raises(BuildError) as info:
        build(root)
    assert [str(e) for e in info.value.errors] == [
        ("posts/2017-02-14-boras/index.md:9: posts/2017-02-14-boras/foto.jpg is damaged: part of the picture is missing "
        "or cannot be decoded; open it in an image program and save it again")]
    assert stat_tree(root / "_site") == before
    code, _, err = run_cli(["check"], root)
    assert code == 1 and "foto.jpg is damaged" in err and "Traceback" not in err
