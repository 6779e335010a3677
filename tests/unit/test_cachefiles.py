"""sitegen.cachefiles: the build cache in segments, a plan file and a state file."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache import BuildCache, Recorded
from sitegen.cachefiles import _folder, load_cache, save_cache, touched_outputs


@dataclass(frozen=True)
class Record:  # stands in for a Post: any picklable object
    text: str


@dataclass(frozen=True)
class Plan:  # stands in for pipeline.Planned: refers to records, has fingerprints
    structure: str
    records: tuple
    fingerprints: dict


def _cache(n: int = 200) -> BuildCache:
    sources = {f"posts/p{i}.md": ((i, i), Record(f"post {i}")) for i in range(n)}
    cache = BuildCache("key", sources, {"index.html": Recorded("fp", 1, 2)}, {"search": {"shards": {}}}, ["index.html"])
    cache.planned = Plan("s1", tuple(r for _, r in sources.values()), {"index.html": "fp"})
    return cache


def _load(root: Path, out: Path) -> BuildCache:
    try:
        return load_cache(root, "key", out)
    finally:
        gc.unfreeze()


def test_round_trip_keeps_records_shared_with_the_plan(tmp_path):
    out = tmp_path / "_site"
    save_cache(tmp_path, _cache(), out)
    loaded = _load(tmp_path, out)
    assert loaded.sources["posts/p7.md"] == ((7, 7), Record("post 7"))
    assert loaded.outputs == {"index.html": Recorded("fp", 1, 2)}
    assert loaded.files == ["index.html"] and loaded.extra == {"search": {"shards": {}}}
    assert loaded.planned.fingerprints == {"index.html": "fp"}
    # the plan refers to the segment's records instead of holding copies
    assert loaded.planned.records[7] is loaded.sources["posts/p7.md"][1]


def test_only_changed_segments_and_a_changed_plan_are_rewritten(tmp_path):
    out = tmp_path / "_site"
    save_cache(tmp_path, _cache(), out)
    folder = _folder(tmp_path, out)
    loaded = _load(tmp_path, out)
    before = {p.name for p in folder.iterdir()}
    loaded.sources["posts/p7.md"] = ((7, 8), Record("post 7, edited"))
    save_cache(tmp_path, loaded, out)
    after = {p.name for p in folder.iterdir()}
    assert len(before - after) == 1 and len(after - before) == 1, "one segment replaced, plan and others kept"
    again = _load(tmp_path, out)
    assert again.sources["posts/p7.md"][1] == Record("post 7, edited")


def test_a_missing_segment_or_another_key_means_an_empty_cache(tmp_path):
    out = tmp_path / "_site"
    save_cache(tmp_path, _cache(), out)
    assert load_cache(tmp_path, "other key", out).sources == {}
    next(_folder(tmp_path, out).glob("sources-*")).unlink()
    assert _load(tmp_path, out).sources == {}


def test_the_old_single_file_cache_is_removed(tmp_path):
    out = tmp_path / "_site"
    legacy = _folder(tmp_path, out).with_suffix(".pickle")
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"old")
    save_cache(tmp_path, _cache(3), out)
    assert not legacy.exists()


def test_a_helper_reads_the_output_records_and_names_the_state_file_it_read(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("<p>hej</p>", encoding="utf-8")
    st = (out / "index.html").stat()
    cache = _cache()
    cache.outputs = {"index.html": Recorded("fp", st.st_size, st.st_mtime_ns), "gone.html": Recorded("fp", 1, 2)}
    save_cache(tmp_path, cache, out)
    identity, touched = touched_outputs(tmp_path, "key", out)
    assert touched == {"gone.html"}
    assert identity == _load(tmp_path, out).state
    save_cache(tmp_path, _load(tmp_path, out), out)  # another build in between: another state file
    assert touched_outputs(tmp_path, "key", out)[0] != identity
    assert touched_outputs(tmp_path, "another key", out) is None
    assert touched_outputs(tmp_path / "elsewhere", "key", out) is None
