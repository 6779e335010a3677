"""Search over a site big enough to be indexed in several Pagefind shards (sitegen/search.py):
the shards are merged in the browser, so a reader searches every post, the filters count
every post, and a listing without a search term stays newest first across shards."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from bench import corpus
from sitegen.site.shards import SHARD_MAX, SHARD_MIN, shard_sizes

from .conftest import Served, Sites, build_site
from .test_search import search

POSTS = SHARD_MAX + SHARD_MIN + 24  # one full shard, one of 64, and the newest 24
PREFIX = "/skarvad/"


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory, sites: Sites) -> tuple[Served, list[corpus.PostSpec]]:
    root = tmp_path_factory.mktemp("sharded")
    posts = sorted(corpus.make_posts(POSTS, seed=3), key=lambda p: (p.date, p.key))
    # a word only the oldest and the newest post have: they are in the first and the last shard
    for i in (0, -1):
        posts[i] = dataclasses.replace(posts[i], body=posts[i].body + "\nHär dök en gravsänkare upp i samtalet.\n")
    corpus.generate(root / "site", POSTS, posts=posts)
    out = build_site(root / "site", root / "out", sites.origin + PREFIX)
    sites.mounts[PREFIX] = out  # served beside the other sites: the browser may only reach that origin
    return Served(out, sites.origin + PREFIX), posts


def test_the_index_is_cut_into_shards_with_one_engine(sharded):
    served, _ = sharded
    assert shard_sizes(POSTS) == [SHARD_MAX, SHARD_MIN, 24]
    bundle = served.out / "pagefind"
    for folder in (bundle / "0", bundle / "1", bundle):
        assert (folder / "pagefind-entry.json").is_file(), folder
        assert list(folder.glob("*.pf_meta")), folder
    assert not (bundle / "2").exists()
    assert (bundle / "pagefind.js").is_file() and list(bundle.glob("wasm.*"))
    assert not list(bundle.glob("[0-9]/pagefind.js")) and not list(bundle.glob("[0-9]/wasm.*")), "shards use the root's engine"
    page = (served.out / "sok" / "index.html").read_text(encoding="utf-8")
    assert 'data-shards="2"' in page


def test_a_word_is_found_in_the_oldest_and_the_newest_shard(page, sharded):
    served, posts = sharded
    page.goto(served.url("sok/"))
    results = search(page, "gravsänkare")
    assert sorted(r["href"] for r in results) == sorted(served.url(f"{p.date:%Y/%m}/{p.slug}/") for p in (posts[0], posts[-1]))


def test_filters_count_every_shard_and_list_newest_first(page, sharded):
    served, posts = sharded
    counts = Counter(m for p in posts for m in p.municipalities)
    # a municipality with visits in both the full shard and the newest ones
    name = next(m for m, _ in counts.most_common() if any(m in p.municipalities for p in posts[SHARD_MAX:]))
    page.goto(served.url("sok/"))
    page.wait_for_selector("#sok form:not([hidden])")
    labels = page.eval_on_selector_all("#sok-kommun option", "os => os.map(o => o.textContent)")
    assert f"{name} ({counts[name]})" in labels
    shown = search(page, "", kommun=name)
    newest = [p for p in reversed(posts) if name in p.municipalities]
    assert [r["href"] for r in shown] == [served.url(f"{p.date:%Y/%m}/{p.slug}/") for p in newest[: len(shown)]]
    assert len(shown) == min(10, len(newest))


def test_unchanged_shards_are_carried_over_when_a_post_is_added(sharded):
    """A post dated after all others re-indexes only the newest shard."""
    served, posts = sharded

    def stamps(folder: Path) -> dict[str, int]:
        return {p.relative_to(served.out).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}

    before = stamps(served.out / "pagefind" / "0") | stamps(served.out / "pagefind" / "1")
    entry = (served.out / "pagefind" / "pagefind-entry.json").read_bytes()
    assert before
    root = served.out.parent / "site"
    extra = corpus.added_post(posts, seed=3)
    corpus.write_post(root, extra, "sitegen")
    build_site(root, served.out, served.base)
    after = stamps(served.out / "pagefind" / "0") | stamps(served.out / "pagefind" / "1")
    assert after == before
    assert shard_sizes(POSTS + 1) == [SHARD_MAX, SHARD_MIN, 25]
    assert (served.out / "pagefind" / "pagefind-entry.json").read_bytes() != entry, "the newest shard has the new post"
