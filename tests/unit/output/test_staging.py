"""sitegen.output.staging: stage new bytes beside the output folder, leave unchanged files alone, then commit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.errors import BuildError
from sitegen.output.staging import MARKER, Content, DryRun, Produced, Staging, WriteReport, check_output_dir

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish


def write_site(out: Path, files: dict[str, Content]) -> WriteReport:
    """A whole build's writing: stage every file, then commit exactly these files."""
    with Staging.opened(out) as staging:
        written = sum(staging.put(rel, files[rel]) for rel in sorted(files))
        gone = staging.commit(set(files))
    return WriteReport(written, len(files) - written, len(gone))

OLD_NS = 1_000_000_000_000_000_000  # 2001-09-09: clearly not "now"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def age(folder: Path) -> None:
    """Give every file an old modification time, so a rewrite is visible."""
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(OLD_NS, OLD_NS))


def test_first_write_creates_the_tree_and_marker(tmp_path):
    out = tmp_path / "_site"
    report = write_site(out, {"index.html": b"<p>hem</p>", "kommun/boras/index.html": b"<p>B</p>"})
    assert tree(out) == {MARKER: b"", "index.html": b"<p>hem</p>", "kommun/boras/index.html": b"<p>B</p>"}
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)


def test_unchanged_files_keep_their_mtime_and_inode(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"a.html": b"same", "b.html": b"old", "c.css": b"x"})
    age(out)
    inode = (out / "a.html").stat().st_ino
    report = write_site(out, {"a.html": b"same", "b.html": b"new", "c.css": b"x"})
    assert (report.written, report.unchanged, report.removed) == (1, 2, 0)
    assert (out / "a.html").stat().st_mtime_ns == OLD_NS
    assert (out / "c.css").stat().st_mtime_ns == OLD_NS
    assert (out / "a.html").stat().st_ino == inode  # never touched
    assert (out / "b.html").stat().st_mtime_ns != OLD_NS
    assert (out / "b.html").read_bytes() == b"new"


def test_same_size_different_bytes_is_rewritten(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"a.html": b"abc"})
    age(out)
    write_site(out, {"a.html": b"abd"})
    assert (out / "a.html").read_bytes() == b"abd"
    assert (out / "a.html").stat().st_mtime_ns != OLD_NS


def test_source_files_are_copied_and_compared(tmp_path):
    src = tmp_path / "style.css"
    src.write_bytes(b"body{}")
    out = tmp_path / "_site"
    write_site(out, {"static/style.css": src})
    assert (out / "static/style.css").read_bytes() == b"body{}"
    age(out)
    report = write_site(out, {"static/style.css": src})
    assert report.unchanged == 1
    assert (out / "static/style.css").stat().st_mtime_ns == OLD_NS
    src.write_bytes(b"body{color:red}")
    write_site(out, {"static/style.css": src})
    assert (out / "static/style.css").read_bytes() == b"body{color:red}"


def test_removed_files_disappear(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"index.html": b"x", "2017/03/gammal/index.html": b"y", "2017/03/gammal/bild.jpg": b"z"})
    report = write_site(out, {"index.html": b"x"})
    assert report.removed == 2
    assert tree(out) == {MARKER: b"", "index.html": b"x"}
    assert not (out / "2017").exists()


def test_no_temporary_folder_is_left_and_the_site_before_is_kept_beside(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"a": b"1"})
    write_site(out, {"a": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.old", "_site"]
    assert tree(tmp_path / "._site.old") == {MARKER: b"", "a": b"1"}


def test_a_build_starts_from_the_kept_site_less_what_may_differ(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"a": b"1", "b": b"1", "c/d": b"1"})
    write_site(out, {"a": b"2", "b": b"1", "c/d": b"1"})  # kept: a=1, b, c/d; differing since: a
    with Staging.opened(out, spare={"a"}) as staging:
        assert staging.from_spare and tree(staging.tmp) == {MARKER: b"", "b": b"1", "c/d": b"1"}
        assert (staging.tmp / "b").stat().st_ino == (out / "b").stat().st_ino  # the same file: nothing copied
        staging.put("b", b"3")  # a kept file is replaced, never written in place: the live one stays
        assert (out / "b").read_bytes() == b"1"
        assert staging.commit({"a", "b"}, previous={"a", "b", "c/d"}, spare={"a"}) == {"c/d"}  # what the next build's spare needs
    assert tree(out) == {MARKER: b"", "a": b"2", "b": b"3"}
    assert tree(tmp_path / "._site.old") == {MARKER: b"", "a": b"2", "b": b"1", "c/d": b"1"}


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def test_a_kept_site_keeps_the_folders_of_what_may_differ_and_drops_those_left_empty(tmp_path):
    out = tmp_path / "_site"
    files = {"lista/sida/2/index.html": b"1", "lista/sida/3/index.html": b"1", "gammal/index.html": b"1", "x/y": b"1"}
    write_site(out, files)
    write_site(out, {**files, "lista/sida/2/index.html": b"2"})  # kept: the first; differing since: sida/2
    spare = {"lista/sida/2/index.html", "lista/sida/3/index.html", "gammal/index.html", "x/y"}
    with Staging.opened(out, spare=spare) as staging:
        page_folder = (staging.tmp / "lista/sida/2").stat().st_ino
        staging.put("lista/sida/2/index.html", b"3")  # into the folder it was in: not removed and made again
        assert (staging.tmp / "lista/sida/2").stat().st_ino == page_folder
        staging.put("x", b"a file where a folder was")  # the folder's files are gone: it gives way
        wanted = {"lista/sida/2/index.html", "lista/sida/3/index.html", "x"}
        staging.commit(wanted, previous=set(files), spare=spare)
    assert tree(out) == {MARKER: b"", "lista/sida/2/index.html": b"3", "lista/sida/3/index.html": b"1", "x": b"a file where a folder was"}
    assert folders(out) == {"lista", "lista/sida", "lista/sida/2", "lista/sida/3"}  # gammal/ went with its page


def test_a_folder_of_the_kept_site_with_files_in_it_is_still_in_the_way(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"x/y": b"1", "x/z": b"1"})
    write_site(out, {"x/y": b"2", "x/z": b"1"})
    with Staging.opened(out, spare={"x/y"}) as staging, pytest.raises(BuildError, match="x"):
        staging.put("x", b"a file where x/z still is")


def test_a_kept_site_the_cache_does_not_know_is_not_used(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"a": b"1"})
    write_site(out, {"a": b"2"})
    with Staging.opened(out) as staging:
        assert not staging.from_spare and tree(staging.tmp) == {}
        staging.put("a", b"3")
        assert staging.commit({"a"}) == frozenset()
    assert tree(out) == {MARKER: b"", "a": b"3"}


def test_refuses_a_non_empty_folder_it_did_not_make(tmp_path):
    out = tmp_path / "mina-dokument"
    out.mkdir()
    (out / "viktigt.txt").write_bytes(b"keep me")
    with pytest.raises(BuildError) as info:
        write_site(out, {"index.html": b"x"})
    assert "was not made by sitegen" in str(info.value)
    assert tree(out) == {"viktigt.txt": b"keep me"}
    with pytest.raises(BuildError):
        check_output_dir(out)


def test_refuses_a_file_in_the_way(tmp_path):
    out = tmp_path / "_site"
    out.write_bytes(b"not a folder")
    with pytest.raises(BuildError):
        write_site(out, {"index.html": b"x"})
    assert out.read_bytes() == b"not a folder"


def test_empty_folder_is_fine(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    write_site(out, {"index.html": b"x"})
    assert (out / "index.html").read_bytes() == b"x"


def test_failure_before_the_commit_leaves_the_old_output(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"index.html": b"old", "a.html": b"a"})
    age(out)
    before = {p: (out / p).read_bytes() for p in tree(out)}
    with pytest.raises(OSError):
        write_site(out, {"index.html": b"new", "static/x.css": tmp_path / "missing.css"})
    assert tree(out) == before
    assert all((out / p).stat().st_mtime_ns == OLD_NS for p in before)
    # and the next good write still works
    write_site(out, {"index.html": b"new"})
    assert tree(out) == {MARKER: b"", "index.html": b"new"}


def test_marker_keeps_its_mtime_too(tmp_path):
    # the marker is deployed with the site: rewriting it would make every sync upload it again
    out = tmp_path / "_site"
    write_site(out, {"a": b"1"})
    age(out)
    write_site(out, {"a": b"1"})
    assert (out / MARKER).stat().st_mtime_ns == OLD_NS


def test_a_dry_run_keeps_the_pages_and_writes_nothing(tmp_path):
    sink = DryRun()
    assert not sink.publishes
    assert sink.put("index.html", b"<a href='/x/'>x</a>") and sink.put("static/style.css", tmp_path / "missing.css")
    assert sink.pages() == {"index.html": "<a href='/x/'>x</a>"}
    assert sink.html("index.html") == "<a href='/x/'>x</a>" and sink.html("saknas/index.html") == ""
    assert sink.commit({"index.html", "static/style.css"}) == frozenset()
    assert list(tmp_path.iterdir()) == []


def test_staging_reads_back_a_page_as_this_build_has_it(tmp_path):
    out = tmp_path / "_site"
    write_site(out, {"a/index.html": b"old", "b/index.html": b"same"})
    with Staging.opened(out) as staging:
        staging.put("a/index.html", b"new")
        staging.put("b/index.html", b"same")
        assert staging.html("a/index.html") == "new" and staging.html("b/index.html") == "same"
        assert staging.pages() is None
        staging.abort()
def test_what_stages_produced_adds_up():
    pages = Produced(frozenset({"a/index.html", "b/index.html"}), {"a/index.html": "1", "b/index.html": "2"}, frozenset({"b/index.html"}), 1)
    static = Produced(frozenset({"static/style.css"}), {}, frozenset(), 1)
    both = pages + static
    assert both.files == {"a/index.html", "b/index.html", "static/style.css"}
    assert both.fingerprints == {"a/index.html": "1", "b/index.html": "2"} and both.reused == {"b/index.html"}
    assert both.written == 2
