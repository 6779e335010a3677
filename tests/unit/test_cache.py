"""sitegen.cache: an output is reused only if its inputs and its file are as recorded."""

from __future__ import annotations

import os

from sitegen.cache import BuildCache, Recorded


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
