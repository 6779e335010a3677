"""sitegen.output.cache: the build cache in segments, a plan file and a state file; outputs reused only as recorded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.output.cache import (
    BuildState,
    PreviousBuild,
    Recorded,
    SearchRecord,
    _touched_on_disk,
    cache_folder,
    previous_build,
    save,
    touched,
)
from sitegen.site.plan import SitePlan


@dataclass(frozen=True)
class Record:  # stands in for a Post: any picklable object
    text: str


def _state(n: int = 200, outputs=None) -> BuildState:
    sources = {f"posts/p{i}.md": (((i, i, i),), Record(f"post {i}")) for i in range(n)}
    records = tuple(r for _, r in sources.values())  # stands in for the site: it refers to the records
    plan = SitePlan("s1", records, (), "shared", "listing", {"index.html": "fp"})
    search = SearchRecord({"pagefind/": ("fp", ("pagefind/pagefind.js",))}, {})
    return BuildState("key", sources, outputs or {"index.html": Recorded("fp", 1, 2)}, ("index.html",), plan, search)


def _save(root: Path, out: Path, state: BuildState, previous: PreviousBuild | None = None) -> None:
    previous = previous or PreviousBuild(BuildState("key"), cache_folder(root, out))
    save(previous.folder, previous.stored, state)


def _load(root: Path, out: Path, key: str = "key") -> PreviousBuild:
    with previous_build(root, key, out, use_cache=True) as previous:
        return previous


def test_round_trip_keeps_records_shared_with_the_plan(tmp_path):
    out = tmp_path / "_site"
    _save(tmp_path, out, _state())
    loaded = _load(tmp_path, out).state
    assert loaded.sources["posts/p7.md"] == (((7, 7, 7),), Record("post 7"))
    assert loaded.outputs == {"index.html": Recorded("fp", 1, 2)}
    assert loaded.files == ("index.html",) and loaded.search == _state().search
    assert loaded.plan.fingerprints == {"index.html": "fp"}
    # the plan refers to the segment's records instead of holding copies
    assert loaded.plan.site[7] is loaded.sources["posts/p7.md"][1]


def test_only_changed_segments_and_a_changed_plan_are_rewritten(tmp_path):
    out = tmp_path / "_site"
    _save(tmp_path, out, _state())
    folder = cache_folder(tmp_path, out)
    loaded = _load(tmp_path, out)
    before = {p.name for p in folder.iterdir()}
    sources = dict(loaded.state.sources)
    sources["posts/p7.md"] = (((7, 8, 7),), Record("post 7, edited"))
    _save(tmp_path, out, BuildState("key", sources, loaded.state.outputs, loaded.state.files, loaded.state.plan), loaded)
    after = {p.name for p in folder.iterdir()}
    assert len(before - after) == 1 and len(after - before) == 1, "one segment replaced, plan and others kept"
    assert _load(tmp_path, out).state.sources["posts/p7.md"][1] == Record("post 7, edited")


def test_a_missing_segment_or_another_key_means_an_empty_cache(tmp_path):
    out = tmp_path / "_site"
    _save(tmp_path, out, _state())
    assert _load(tmp_path, out, "other key").state == BuildState("other key")
    next(cache_folder(tmp_path, out).glob("sources-*")).unlink()
    assert _load(tmp_path, out).state == BuildState("key")


def test_without_the_cache_nothing_is_loaded(tmp_path):
    out = tmp_path / "_site"
    _save(tmp_path, out, _state())
    with previous_build(tmp_path, "key", out, use_cache=False) as previous:
        assert previous.state == BuildState("key") and not previous.unchanged("index.html", "fp")


def _record(path) -> Recorded:
    st = os.stat(path)
    return Recorded("fp", st.st_size, st.st_mtime_ns)


def test_an_output_is_reused_only_if_made_from_the_same_inputs_and_untouched_on_disk(tmp_path):
    out = tmp_path / "_site"
    (out / "sub").mkdir(parents=True)
    for name in ("same.html", "edited.html", "gone.html", "sub/page.html"):
        (out / name).write_text("<p>x</p>", encoding="utf-8")
    outputs = {f: _record(out / f) for f in ("same.html", "edited.html", "gone.html", "sub/page.html")}
    _save(tmp_path, out, _state(3, outputs))
    (out / "edited.html").write_text("<p>changed by hand</p>", encoding="utf-8")
    (out / "gone.html").unlink()
    assert touched(outputs, out) == {"edited.html", "gone.html"}
    previous = _load(tmp_path, out)
    assert previous.touched() == {"edited.html", "gone.html"}
    assert previous.unchanged("same.html", "fp") and previous.unchanged("sub/page.html", "fp")
    assert not previous.unchanged("same.html", "another fingerprint")
    assert not previous.unchanged("edited.html", "fp")
    assert not previous.unchanged("never-recorded.html", "fp")


def test_without_the_output_folder_every_output_is_touched(tmp_path):
    assert touched({"index.html": Recorded("fp", 1, 2)}, tmp_path / "missing") == {"index.html"}


def test_a_helper_reads_the_output_records_and_names_the_state_file_it_read(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("<p>hej</p>", encoding="utf-8")
    outputs = {"index.html": _record(out / "index.html"), "gone.html": Recorded("fp", 1, 2)}
    _save(tmp_path, out, _state(3, outputs))
    folder = cache_folder(tmp_path, out)
    identity, found = _touched_on_disk(folder, "key", out)
    assert found == {"gone.html"}
    state_file = next(folder.glob("state.pickle")).stat()
    assert identity == (state_file.st_ino, state_file.st_size, state_file.st_mtime_ns)
    _save(tmp_path, out, _state(3, outputs))  # another build in between: another state file
    assert _touched_on_disk(folder, "key", out)[0] != identity
    assert _touched_on_disk(folder, "another key", out) is None
    assert _touched_on_disk(tmp_path / "elsewhere", "key", out) is None
