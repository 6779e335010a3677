"""How a build behaves: deterministic, atomic on failure, unchanged files keep their mtime, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from sitetools import REPO, SUB_PATH_URL, build, make_site, post_text, read_tree, run_cli, stat_tree

from sitegen import pipeline
from sitegen.search import bundle
from sitegen.search import pagefind as search

from .conftest import make_fixture_site

OLD_NS = 1_000_000_000_000_000_000


def age(folder):
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(OLD_NS, OLD_NS))


def test_deterministic_byte_identical_trees(tmp_path):
    one = build(make_fixture_site(tmp_path / "a"), tmp_path / "out-a", "--base-url", SUB_PATH_URL)
    two = build(make_fixture_site(tmp_path / "b"), tmp_path / "out-b", "--base-url", SUB_PATH_URL)
    first, second = read_tree(one), read_tree(two)
    assert sorted(first) == sorted(second)
    differing = sorted(f for f in first if first[f] != second[f])
    assert differing == []


def test_rebuild_of_the_same_site_into_another_folder_is_identical(tmp_path):
    root = make_fixture_site(tmp_path)
    one = build(root, tmp_path / "out-1")
    two = build(root, tmp_path / "out-2")
    assert read_tree(one) == read_tree(two)


def test_failed_build_leaves_the_previous_output_untouched(tmp_path):
    root = make_fixture_site(tmp_path)
    out = build(root, tmp_path / "out")
    before = stat_tree(out)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    (root / "posts" / "2018-02-02-trasig.md").write_text(
        post_text("Trasig", "14 mars 2017", municipality="Borås"), encoding="utf-8"
    )
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1
    assert "posts/2018-02-02-trasig.md:3: 'date' är inget datum" in err
    assert "Traceback" not in err
    assert stat_tree(out) == before  # same files, same bytes, same modification times
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # no half-built folder beside it


def test_template_error_leaves_the_previous_output_untouched(tmp_path):
    root = make_fixture_site(tmp_path)
    out = build(root, tmp_path / "out")
    before = stat_tree(out)
    (root / "templates" / "404.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n<h1>{{ no_such_variable }}</h1>\n{% endblock %}\n', encoding="utf-8"
    )
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1
    assert err.startswith("templates/404.html:3: ") and "no_such_variable" in err
    assert stat_tree(out) == before


def test_a_post_template_error_on_a_big_site_stops_the_search_index_too(tmp_path):
    # enough pages for the worker pool, while the search index waits for the post pages in a thread:
    # the render error must reach the writer, and nothing may wait for pages that never come
    posts = {f"p{i:03d}.md": post_text(f"Besök {i}", f"2017-{i % 12 + 1:02d}-{i % 27 + 1:02d}", municipality="Umeå") for i in range(260)}
    root = make_site(tmp_path, posts)
    post = root / "templates" / "post.html"
    post.write_text(post.read_text(encoding="utf-8").replace("{{ post.meta.title }}", "{{ post.meta.titel.upper() }}", 1), encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 1
    assert "Traceback" not in err
    line, summary = err.splitlines()  # once for the template line, not once per page
    assert line.startswith("templates/post.html:") and "titel" in line
    assert line.endswith(" och 259 sidor till") and summary == "1 problem hittades; inget skrevs."
    assert not (tmp_path / "out").exists()


def test_a_failure_beside_the_search_index_stops_it_before_its_next_shard(tmp_path, monkeypatch):
    # 200 posts make three shards (128, 64, 8); the feeds fail at once while the first is indexing
    posts = {f"p{i:03d}.md": post_text(f"Besök {i}", f"2017-{i % 12 + 1:02d}-{i % 27 + 1:02d}", municipality="Umeå") for i in range(200)}
    root = make_site(tmp_path, posts)
    indexed = []
    started = threading.Event()

    def slow_index(written, engine):
        indexed.append(written)
        started.set()
        time.sleep(0.5)
        return search.index_shard(written, engine)

    def broken_outputs(*args):
        assert started.wait(30), "the first shard never started indexing"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle, "index_shard", slow_index)
    monkeypatch.setattr(pipeline, "machine_outputs", broken_outputs)
    with pytest.raises(OSError, match="No space left"):
        pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "out"))
    assert 1 <= len(indexed) <= 2  # the shard indexing and the one written ahead; not the third
    assert not (tmp_path / "out").exists()


def test_unchanged_files_keep_their_mtime(tmp_path):
    root = make_fixture_site(tmp_path)
    out = build(root, tmp_path / "out")
    before = read_tree(out)
    age(out)
    post = root / "posts" / "2017-03-14-finspang.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt nytt stycke om skolgången.\n", encoding="utf-8")
    build(root, out)
    after = stat_tree(out)
    # the search index names its files by content, so some are new; everything else is still there
    assert {f for f in before if not f.startswith("pagefind/")} <= set(after)
    changed = {f for f, (data, _) in after.items() if data != before.get(f)}
    assert "2017/03/aterbesok-i-finspang/index.html" in changed
    assert not any(f.startswith("assets/") for f in changed) and "kommun/index.html" not in changed
    for f, (data, mtime) in after.items():
        if f in changed:
            assert mtime != OLD_NS, f"{f} changed but kept its old mtime"
        else:
            assert mtime == OLD_NS, f"{f} did not change but was rewritten"


def test_rebuild_without_changes_rewrites_nothing(tmp_path):
    root = make_fixture_site(tmp_path)
    out = build(root, tmp_path / "out")
    age(out)
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 0, err
    assert all(mtime == OLD_NS for _, mtime in stat_tree(out).values())


def test_removed_post_disappears_from_the_output(tmp_path):
    root = make_fixture_site(tmp_path)
    out = build(root, tmp_path / "out")
    assert (out / "kommun/ostersund/index.html").exists()
    (root / "posts" / "2017-08-29-ostersund.md").unlink()
    build(root, out)
    assert not (out / "2017/08/tillitsbaserad-styrning-i-ostersund").exists()
    assert not (out / "kommun/ostersund").exists()


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    mine = tmp_path / "mina-filer"
    mine.mkdir()
    (mine / "viktigt.txt").write_text("behåll", encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(mine)], root)
    assert code == 1
    assert "finns redan och gjordes inte av sitegen" in err
    assert read_tree(mine) == {"viktigt.txt": "behåll".encode()}


def test_default_output_folder_from_config(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")}, {"output_dir": "publicerat"})
    code, _, err = run_cli([], root)  # `python build.py` alone means build
    assert code == 0, err
    assert (root / "publicerat" / "index.html").is_file()
    assert f"1 inlägg publicerat i {root / 'publicerat'}: " in err


def test_usage_error_exits_2(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    code, _, err = run_cli(["build", "--no-such-option"], root)
    assert code == 2
    assert "Traceback" not in err


def test_bad_base_url_option_is_an_error_not_a_broken_site(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out"), "--base-url", "example.org/aterbesok"], root)
    assert code in (1, 2)
    assert "example.org/aterbesok" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_check_writes_nothing(tmp_path):
    root = make_fixture_site(tmp_path)
    code, out, err = run_cli(["check"], root)
    assert code == 0, err
    assert out == ""
    assert not (root / "_site").exists()


def test_build_py_entry_point(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    ok = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--output", str(tmp_path / "out")],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "out" / "2017/03/ett-besok/index.html").is_file()
    (root / "posts" / "b.md").write_text("ingen front matter\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check"],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("posts/b.md:1: inledningen mellan '---'-raderna saknas")
    assert "Traceback" not in bad.stderr


def test_implicit_build_with_an_output_folder_named_like_a_command(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    code, _, err = run_cli(["--output", "build"], root)
    assert code == 0, err
    assert (root / "build" / "index.html").is_file()


def test_approved_comments_on_a_draft_do_not_fail_the_build(tmp_path):
    from datetime import UTC, datetime

    from sitegen.comments import store

    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    comment = store.Comment(
        id=store.new_id(datetime(2017, 3, 15, tzinfo=UTC)),
        post="a",
        name="Lena",
        email="lena@example.org",
        website="",
        date=datetime(2017, 3, 15, tzinfo=UTC),
        text="Bra besök!",
    )
    store.submit(root / "comments", comment)
    store.approve(root / "comments", [comment.id])
    assert build(root, tmp_path / "out-1")  # published with its comment
    (root / "posts" / "a.md").write_text(post_text(municipality="Borås", draft=True), encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out-2")], root)
    assert code == 0, err
    assert not (tmp_path / "out-2" / "2017/03/ett-besok").exists()


def test_post_lists_show_the_comment_count_and_follow_approvals(tmp_path):
    from datetime import UTC, datetime

    from sitegen.comments import store

    root = make_site(tmp_path, {"a.md": post_text(title="Ett samtal", municipality="Borås"), "b.md": post_text(title="Utan", date="2016-01-01", municipality="Borås")})
    out = root / "_site"
    build(root, out)
    assert "#kommentarer" not in (out / "index.html").read_text(encoding="utf-8")
    when = datetime(2017, 3, 15, tzinfo=UTC)
    comment = store.Comment(store.new_id(when), "a", "Lena", "lena@example.org", "", when, "Bra!")
    store.submit(root / "comments", comment)
    build(root, out)  # pending comments are not counted
    assert "#kommentarer" not in (out / "index.html").read_text(encoding="utf-8")
    store.approve(root / "comments", [comment.id])
    build(root, out)  # the incremental build notices the approval on the list pages too
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="/2017/03/ett-samtal/#kommentarer">1 kommentar</a>' in home
    assert "1 kommentar</a>" in (out / "kommun" / "boras" / "index.html").read_text(encoding="utf-8")
