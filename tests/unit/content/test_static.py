"""sitegen.content.static: static/ is published at the site root; static/assets/ with content-hashed names."""

from __future__ import annotations

import os

import pytest

from sitegen.content.static import find_static, hashed_name
from sitegen.errors import BuildError


def _tree(root, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / "static" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_everything_is_published_at_the_root_and_assets_by_hashed_name(tmp_path):
    _tree(tmp_path, {
        "CNAME": b"example.org\n", ".well-known/security.txt": b"Contact: mailto:a@example.org\n",
        "_redirects": b"/old /new 301\n", "assets/style.css": b"body{}", "assets/img/logo.svg": b"<svg/>",
        ".DS_Store": b"junk", "assets/.gitkeep": b"", "notes.txt~": b"backup",
    })
    static = find_static(tmp_path)
    css, logo = static.assets["assets/style.css"], static.assets["assets/img/logo.svg"]
    assert css.startswith("assets/style.") and css.endswith(".css") and css != "assets/style.css"
    assert logo.startswith("assets/img/logo.") and logo.endswith(".svg")
    assert sorted(static.files) == sorted(["CNAME", ".well-known/security.txt", "_redirects", css, logo])
    assert static.files["CNAME"] == tmp_path / "static" / "CNAME"
    assert static.sources[css] == "static/assets/style.css"


def test_an_asset_gets_a_new_name_whenever_its_bytes_change():
    one, two = hashed_name("assets/style.css", b"a{}"), hashed_name("assets/style.css", b"b{}")
    assert one != two and hashed_name("assets/style.css", b"a{}") == one
    assert hashed_name("assets/app.min.js", b"x").endswith(".min.js")
    assert hashed_name("assets/LICENSE", b"x").startswith("assets/LICENSE.")


def test_no_static_folder_is_no_files(tmp_path):
    assert find_static(tmp_path).files == {}


def test_an_unreadable_file_is_an_error_naming_it(tmp_path, monkeypatch, english):
    _tree(tmp_path, {"CNAME": b"x", "assets/style.css": b"body{}"})
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: not str(p).endswith("CNAME") and real_access(p, mode))
    with pytest.raises(BuildError) as info:
        find_static(tmp_path)
    assert [str(e) for e in info.value.errors] == [
        "static/CNAME: cannot be read (Permission denied); make it readable or remove it"
    ]
