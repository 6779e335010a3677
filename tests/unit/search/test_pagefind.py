"""sitegen.search.pagefind: how the posts are cut into Pagefind shards, and how Pagefind is run."""

from __future__ import annotations

import os
import time

import pytest

from sitegen.errors import BuildError
from sitegen.search import pagefind as search
from sitegen.site.shards import SHARD_MAX, SHARD_MIN, shard_folders, shard_sizes


def test_small_sites_have_one_shard():
    assert shard_sizes(0) == []
    assert shard_sizes(1) == [1]
    assert shard_sizes(SHARD_MIN - 1) == [SHARD_MIN - 1]
    assert shard_sizes(SHARD_MIN) == [SHARD_MIN]


def test_full_shards_then_falling_blocks_then_the_rest():
    assert shard_sizes(10_000) == [SHARD_MAX] * 19 + [256, 16]
    assert shard_sizes(SHARD_MAX + SHARD_MIN + 5) == [SHARD_MAX, SHARD_MIN, 5]
    assert shard_sizes(300) == [256, 44]


def test_every_post_is_in_one_shard_of_bounded_size():
    for n in range(3 * SHARD_MAX + 3):
        sizes = shard_sizes(n)
        assert sum(sizes) == n
        assert all(0 < s <= SHARD_MAX for s in sizes)
        assert len(sizes) <= n // SHARD_MAX + (SHARD_MAX // SHARD_MIN).bit_length()


def test_a_new_post_keeps_all_shards_but_the_last_unless_a_block_fills():
    carries = 0
    for n in range(1, 3 * SHARD_MAX):
        before, after = shard_sizes(n), shard_sizes(n + 1)
        if after[:-1] == before[:-1] or after[:-1] == before:
            continue  # only the newest shard changed, or a new one started
        carries += 1
        assert (n + 1) % (2 * SHARD_MIN) == 0, n  # the rest filled a bigger block: small shards merge
    assert carries == 3 * SHARD_MAX // (2 * SHARD_MIN)


def test_the_newest_shard_is_the_bundle_root():
    assert shard_folders(0) == []
    assert shard_folders(1) == ["pagefind/"]
    assert shard_folders(3) == ["pagefind/0/", "pagefind/1/", "pagefind/"]


def test_pagefind_gets_only_the_marked_element_and_the_language():
    from sitegen.search.pagefind import indexed_part

    page = (
        '<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><nav>Meny</nav>'
        '<article class="post" data-pagefind-body><h1>Rubrik</h1><p>Text</p></article>'
        '<section id="kommentarer"><form>…</form></section></body></html>'
    )
    part = indexed_part(page)
    assert '<html lang="sv">' in part
    assert '<article class="post" data-pagefind-body><h1>Rubrik</h1><p>Text</p></article>' in part
    assert "Meny" not in part and "kommentarer" not in part
    assert indexed_part("<p>no marker</p>") == "<p>no marker</p>"


PAGE = '<html lang="sv"><body><article data-pagefind-body><h1>Rubrik</h1><p>Text</p></article></body></html>'


def index(pages: dict[str, str]) -> dict[str, bytes]:
    """Pagefind's bundle for these pages (output file -> HTML) at the site root, as one root shard."""
    return search.index_shard(search.write_shard({f: search.indexed_part(html) for f, html in pages.items()}, "/", 0), True)


def test_the_binary_is_run_directly_and_can_be_chosen(monkeypatch, english):
    search.pagefind_executable.cache_clear()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    try:
        assert search.pagefind_executable() == "/nonexistent/pagefind"
        with pytest.raises(BuildError) as caught:
            index({"2020/01/a/index.html": PAGE})
    finally:
        search.pagefind_executable.cache_clear()
    assert str(caught.value.errors[0]) == (
        "templates/post.html: the search index (Pagefind) failed: could not run /nonexistent/pagefind: No such file or directory"
    )


def test_the_installed_binary_is_found_without_starting_python():
    search.pagefind_executable.cache_clear()
    found = search.pagefind_executable()
    assert not found.endswith(("python", "python3")) and "pagefind" in found.rsplit("/", 1)[-1]
    assert index({"2020/01/a/index.html": PAGE})["pagefind-entry.json"].startswith(b"{")


def test_the_search_key_changes_with_the_binary(monkeypatch, tmp_path):
    binary = tmp_path / "pagefind"
    binary.write_bytes(b"version one")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    search.pagefind_executable.cache_clear()
    try:
        first = search.search_key("/")
        binary.write_bytes(b"version two, upgraded")
        assert search.search_key("/") != first
        assert search.search_key("/aterbesok/") != search.search_key("/")
        binary.unlink()
        assert search.search_key("/") == "/|pagefind missing"
    finally:
        search.pagefind_executable.cache_clear()


def test_the_scratch_folders_of_killed_builds_are_swept_and_live_ones_kept(monkeypatch, tmp_path):
    monkeypatch.setattr(search, "_scratch", lambda: str(tmp_path))
    live = search.Scratch()  # a running build's: locked
    fresh = tmp_path / f"{search.SCRATCH_PREFIX}fresh"  # made a moment ago, not yet locked
    orphan = tmp_path / f"{search.SCRATCH_PREFIX}killed"  # a killed build's: unlocked and old
    for folder in (fresh, orphan):
        (folder / "site").mkdir(parents=True)
    (orphan / "site" / "index.html").write_text("<p>x</p>")
    old = time.time() - 3600
    for folder in (live.folder, orphan):
        os.utime(folder, (old, old))
    other = tmp_path / "someone-elses"
    other.mkdir()
    os.utime(other, (old, old))

    assert search.sweep_scratch() == 1
    assert not orphan.exists()
    assert live.folder.is_dir() and fresh.is_dir() and other.is_dir()
    live.remove()
    assert not live.folder.exists()
