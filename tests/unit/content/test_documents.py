"""sitegen.content.documents: finding posts and pages, decoding, splitting front matter, Post records."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config.yamlsource import decode_text as decode
from sitegen.content.documents import find_sources, load_page, load_post, split_front_matter
from sitegen.errors import BuildError
from tests.imagetools import picture_bytes

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish

POST = "---\ntitle: Återbesök i Finspång\ndate: 2017-03-14\nmunicipality: Finspång\n---\n\nFörsta stycket.\n\n## Rubrik\n"


def write(root: Path, rel: str, data: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def one_post(tmp_path: Path, data: str | bytes, name: str = "2017-03-14-finspang.md"):
    write(tmp_path, f"posts/{name}", data)
    (source,) = find_sources(tmp_path, "posts", "post")
    return source


def errors_of(exc: pytest.ExceptionInfo[BuildError]) -> list[str]:
    return [str(e) for e in exc.value.errors]


# finding sources


def test_find_sources_files_and_folders_sorted(tmp_path):
    write(tmp_path, "posts/b.md", POST)
    write(tmp_path, "posts/a/index.md", POST)
    write(tmp_path, "posts/a/bild.jpg", b"\xff\xd8")
    write(tmp_path, "posts/a/bilder/karta.png", b"\x89PNG")
    write(tmp_path, "posts/a/.DS_Store", b"x")
    write(tmp_path, "posts/.hidden.md", POST)
    write(tmp_path, "posts/_utkast.md", POST)
    write(tmp_path, "posts/notes.txt", "x")
    write(tmp_path, "posts/empty/readme.txt", "x")
    found = find_sources(tmp_path, "posts", "post")
    assert [(s.rel, s.key) for s in found] == [("posts/a/index.md", "a"), ("posts/b.md", "b")]
    assert found[0].assets == ("bild.jpg", "bilder/karta.png")
    assert found[1].assets == ()
    assert all(s.kind == "post" for s in found)


def test_no_folder_no_sources(tmp_path):
    assert find_sources(tmp_path, "pages", "page") == []


# decoding


def test_decode_bom_and_crlf():
    assert decode(b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\n", "p.md") == "---\ntitle: A\n---\n"
    assert decode("å\rä\n".encode(), "p.md") == "å\nä\n"


def test_not_utf8_names_the_line():
    with pytest.raises(BuildError) as info:
        decode(b"---\ntitle: A\n---\n\nText\n" + b"caf\xe9\n", "posts/x.md")
    assert errors_of(info) == ["posts/x.md:6: is not valid UTF-8 text; save the file as UTF-8"]


def test_latin1_file_on_the_first_line():
    with pytest.raises(BuildError) as info:
        decode("title: Återbesök".encode("latin-1"), "posts/x.md")
    assert errors_of(info) == ["posts/x.md:1: is not valid UTF-8 text; save the file as UTF-8"]


# front matter


def test_split_front_matter_lines():
    meta, body, body_line = split_front_matter("---\ntitle: A\ndate: 2017-01-01\n---\nBody\nmore\n", "p.md")
    assert meta.data == {"title": "A", "date": __import__("datetime").date(2017, 1, 1)}
    assert meta.line("title") == 2
    assert meta.line("date") == 3
    assert body == "Body\nmore\n"
    assert body_line == 5


def test_front_matter_closed_at_end_of_file():
    meta, body, body_line = split_front_matter("---\ntitle: A\n---", "p.md")
    assert body_line == 4
    assert meta.data == {"title": "A"}
    assert body == ""


def test_spaces_after_the_dashes_are_allowed():
    meta, body, body_line = split_front_matter("--- \ntitle: A\n---\t\nBody\n", "p.md")
    assert meta.data == {"title": "A"}
    assert (body, body_line) == ("Body\n", 4)


def test_dashes_in_the_body_are_body():
    _, body, _ = split_front_matter("---\ntitle: A\n---\nText\n\n---\n\nMer\n", "p.md")
    assert body == "Text\n\n---\n\nMer\n"


def test_missing_front_matter():
    with pytest.raises(BuildError) as info:
        split_front_matter("title: A\n\nText\n", "posts/x.md")
    (error,) = errors_of(info)
    assert error.startswith("posts/x.md:1: missing front matter: the file must start with a line '---'")


def test_front_matter_not_closed():
    with pytest.raises(BuildError) as info:
        split_front_matter("---\ntitle: A\ndate: 2017-01-01\n\nText\n", "posts/x.md")
    assert errors_of(info) == ["posts/x.md:1: front matter is not closed: add a line '---' after the last key"]


def test_bad_yaml_in_front_matter_has_the_file_line(english):
    with pytest.raises(BuildError) as info:
        split_front_matter("---\ntitle: A\ntags: [a, b\ndate: 2017-01-01\n---\n", "posts/x.md")
    (error,) = errors_of(info)
    # the parser notices on the next line; the writer is sent to the line where the list began
    assert error == "posts/x.md:3: the list that starts with '[' on this line is not closed: end it with ']'"


def test_front_matter_that_is_not_a_mapping():
    with pytest.raises(BuildError) as info:
        split_front_matter("---\n- a\n- b\n---\n", "posts/x.md")
    assert errors_of(info) == ["posts/x.md:2: front matter must be 'key: value' lines"]


def test_impossible_date_is_reported_at_its_line(english):
    with pytest.raises(BuildError) as info:
        split_front_matter("---\ntitle: A\ndate: 2017-02-30\n---\n", "posts/x.md")
    (error,) = errors_of(info)
    assert error == "posts/x.md:3: 2017 has no 30 February: correct the date '2017-02-30'"


# reading and loading


def test_bom_crlf_post_loads_like_plain(tmp_path, config, registry, urls):
    plain = load_post(one_post(tmp_path / "a", POST), config, registry, urls)
    crlf = load_post(one_post(tmp_path / "b", b"\xef\xbb\xbf" + POST.replace("\n", "\r\n").encode()), config, registry, urls)
    assert plain.meta == crlf.meta
    assert plain.html == crlf.html
    assert plain.summary == crlf.summary == "Första stycket."


def test_load_post_record(tmp_path, config, registry, urls):
    post = load_post(one_post(tmp_path, POST), config, registry, urls)
    assert post.key == "2017-03-14-finspang"
    assert post.source == "posts/2017-03-14-finspang.md"
    assert post.url == "2017/03/aterbesok-i-finspang/"
    assert '<h2 id="rubrik">Rubrik</h2>' in post.html
    assert post.assets == ()
    assert len(post.digest) == 32  # fingerprints.bytes_digest


def test_front_matter_summary_wins(tmp_path, config, registry, urls):
    text = POST.replace("municipality: Finspång\n", "municipality: Finspång\nsummary: '  Kort om besöket.  '\n")
    assert load_post(one_post(tmp_path, text), config, registry, urls).summary == "Kort om besöket."


def test_folder_post_with_assets(tmp_path, config, registry, urls):
    write(tmp_path, "posts/finspang/index.md", POST + "\n![Karta över Finspång](karta.png)\n")
    write(tmp_path, "posts/finspang/karta.png", picture_bytes((640, 480), "PNG"))
    (source,) = find_sources(tmp_path, "posts", "post")
    post = load_post(source, config, registry, urls)
    assert post.key == "finspang"
    assert post.source == "posts/finspang/index.md"
    assert post.assets == ("karta.png",)
    folder = "/2017/03/aterbesok-i-finspang/"
    assert f'<img src="{folder}karta.png" srcset="{folder}karta-480.png 480w, {folder}karta.png 640w"' in post.html
    assert 'width="640" height="480" alt="Karta över Finspång" loading="lazy" decoding="async">' in post.html
    assert (post.cover.path, post.cover.width, post.cover.alt) == (folder[1:] + "karta.png", 640, "Karta över Finspång")
    assert post.depends == ()


def test_digest_follows_the_size_an_image_is_shown_at(tmp_path, config, registry, urls):
    write(tmp_path, "posts/finspang/index.md", POST + "\n![Karta](karta.png)\n")
    asset = write(tmp_path, "posts/finspang/karta.png", picture_bytes((640, 480), "PNG"))
    (source,) = find_sources(tmp_path, "posts", "post")
    before = load_post(source, config, registry, urls).digest
    asset.write_bytes(picture_bytes((640, 400), "PNG"))
    assert load_post(source, config, registry, urls).digest != before


def test_an_image_of_static_is_a_dependency(tmp_path, config, registry, urls):
    write(tmp_path, "static/bilder/karta.png", picture_bytes((300, 200), "PNG"))
    post = load_post(one_post(tmp_path, POST + "\n![Karta](/bilder/karta.png)\n"), config, registry, urls)
    assert post.depends == ("static/bilder/karta.png",)
    assert '<img src="/bilder/karta.png" srcset="/bilder/karta.png 300w"' in post.html


def test_image_without_alt_reported_at_its_file_line(tmp_path, config, registry, urls, monkeypatch):
    # line 1 '---', 2-4 keys, 5 '---', 6 blank, 7 text, 8 blank, 9 image
    monkeypatch.setenv("LANGUAGE", "sv")  # this module pins English; this test the Swedish
    with pytest.raises(BuildError) as info:
        load_post(one_post(tmp_path, POST.replace("## Rubrik\n", "![](bild.jpg)\n")), config, registry, urls)
    assert errors_of(info) == [  # in Swedish, unless the locale asks for English
        "posts/2017-03-14-finspang.md:9: bild utan alternativtext: beskriv vad den visar, till exempel ![Deltagarna vid mötet](bild.jpg)",
        ("posts/2017-03-14-finspang.md:9: bilden 'bild.jpg' finns inte: ett inläggs egna bilder ligger bredvid det i en mapp; "
         "flytta posts/2017-03-14-finspang.md till posts/2017-03-14-finspang/index.md och lägg bild.jpg bredvid "
         "(`sitegen new --bundle` gör en sådan mapp), eller lägg bilden i static/ och skriv '/bild.jpg'"),
    ]


def test_image_problems_in_english_when_the_locale_asks(tmp_path, config, registry, urls, english):
    with pytest.raises(BuildError) as info:
        load_post(one_post(tmp_path, POST.replace("## Rubrik\n", "![](bild.jpg)\n")), config, registry, urls)
    assert errors_of(info)[0] == (
        "posts/2017-03-14-finspang.md:9: image without alt text: describe what it shows, e.g. ![Deltagarna vid mötet](bild.jpg)")


def test_links_carry_file_lines(tmp_path, config, registry, urls):
    post = load_post(one_post(tmp_path, POST + "\n[Borås](/kommun/boras/)\n"), config, registry, urls)
    assert ("/kommun/boras/", 11) in post.links


def test_front_matter_and_body_problems_reported_together(tmp_path, config, registry, urls):
    text = "---\ntitle: A\ndate: 2017-01-01\nmunicipality: Borrås\n---\n\n![](x.png)\n"
    with pytest.raises(BuildError) as info:
        load_post(one_post(tmp_path, text), config, registry, urls)
    lines = [e.line for e in info.value.errors]
    assert sorted(lines) == [4, 7, 7]  # the place, and the image's missing alt text and file


def test_load_page(tmp_path, config):
    write(tmp_path, "pages/om-bloggen.md", "---\ntitle: Om bloggen\n---\n\nVi besöker kommuner.\n")
    (source,) = find_sources(tmp_path, "pages", "page")
    page = load_page(source, config)
    assert (page.key, page.url, page.summary) == ("om-bloggen", "om-bloggen/", "Vi besöker kommuner.")


def test_asset_named_index_html_would_replace_the_page(tmp_path, config, registry, urls):
    write(tmp_path, "posts/finspang/index.md", POST)
    write(tmp_path, "posts/finspang/index.html", "<p>gammal kopia</p>")
    (source,) = find_sources(tmp_path, "posts", "post")
    with pytest.raises(BuildError) as info:
        load_post(source, config, registry, urls)
    assert errors_of(info) == ["posts/finspang/index.html: would replace the page made from index.md; rename or remove it"]
