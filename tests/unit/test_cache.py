"""sitegen.cache: an output is reused only if its inputs and its file are as recorded."""

from __future__ import annotations

import os

from sitegen.cache import BuildCache, Recorded, cache_key, code_digest, digest


def _record(path) -> Recorded:
    st = os.stat(path)
    return Recorded("fp", st.st_size, st.st_mtime_ns)


def test_touched_finds_edited_and_deleted_outputs(tmp_path):
    for name in ("same.html", "edited.html", "gone.html"):
        (tmp_path / name).write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("<p>y</p>", encoding="utf-8")
    files = ("same.html", "edited.html", "gone.html", "sub/page.html")
    cache = BuildCache("key", outputs={f: _record(tmp_path / f) for f in files})
    (tmp_path / "edited.html").write_text("<p>changed by hand</p>", encoding="utf-8")
    (tmp_path / "gone.html").unlink()
    touched = cache.touched(tmp_path)
    assert touched == {"edited.html", "gone.html"}
    assert cache.unchanged("same.html", "fp", touched)
    assert cache.unchanged("sub/page.html", "fp", touched)
    assert not cache.unchanged("same.html", "another fingerprint", touched)
    assert not cache.unchanged("edited.html", "fp", touched)
    assert not cache.unchanged("never-recorded.html", "fp", touched)


def test_without_the_output_folder_every_output_is_touched(tmp_path):
    cache = BuildCache("key", outputs={"index.html": Recorded("fp", 1, 2)})
    assert cache.touched(tmp_path / "missing") == {"index.html"}


def test_the_code_digest_changes_with_any_code_or_data_file_of_the_package(tmp_path):
    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    (package / "a.py").write_text("X = 1\n", encoding="utf-8")
    (package / "data" / "rows.csv").write_text("a,b\n", encoding="utf-8")
    first = code_digest(package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    assert code_digest(package) == first, "compiled files are not the code"
    (package / "data" / "rows.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    second = code_digest(package)
    assert second != first
    (package / "a.py").write_text("X = 2\n", encoding="utf-8")
    assert code_digest(package) not in (first, second)


def test_every_cache_key_names_the_generator():
    assert cache_key("settings") != digest(11, "settings")
    assert cache_key("settings") == cache_key("settings") != cache_key("other settings")
