"""A build killed at any moment leaves the whole old site or the whole new one, never a mix (#19, class 6)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitetools import REPO, make_site, post_text, read_tree

from sitegen.output import staging
from sitegen.output.staging import exchange

TRIES = 8


def _posts(n: int) -> dict[str, str]:
    places = ["Borås", "Finspång", "Umeå", "Östersund", "Habo", "Lycksele"]
    return {f"2017-{i:04d}.md": post_text(title=f"Besök nummer {i}", date=f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                          municipality=places[i % len(places)], tags=f"[tagg{i % 7}]",
                                          body=f"Vi träffade socialtjänsten i besök {i}.\n\n" + "Ett stycke text. " * 40 + "\n")
            for i in range(n)}


def _bodies(root: Path, title: str) -> None:
    """Every post's text changed, the settings not: the builds share a cache, and start from the site the last one kept."""
    for post in (root / "posts").glob("*.md"):
        text = post.read_text(encoding="utf-8")
        post.write_text(text.split("\n---\n", 1)[0] + f"\n---\n\n{title}.\n\n" + text.split("\n---\n", 1)[1].split("\n\n", 2)[-1],
                        encoding="utf-8")


def _config(root: Path, title: str) -> None:
    config = root / "config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join(f"title: {title}" if line.startswith("title:") else line for line in text.split("\n")),
                      encoding="utf-8")


def _build(root: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--output", str(out)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen) -> float:
    started = time.monotonic()
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    return time.monotonic() - started


@pytest.mark.parametrize("change", [_config, _bodies])
def test_a_build_killed_at_random_moments_leaves_the_old_site_or_the_new_one(tmp_path, change):
    root = make_site(tmp_path, _posts(300))
    out = tmp_path / "out"
    change(root, "Gammal titel")
    _finish(_build(root, tmp_path / "ref-old"))
    change(root, "Ny titel")
    started = time.monotonic()
    _finish(_build(root, tmp_path / "ref-new"))
    duration = time.monotonic() - started
    old, new = read_tree(tmp_path / "ref-old"), read_tree(tmp_path / "ref-new")
    assert old != new and len(old) > 800
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    seen = {"old": 0, "new": 0}
    for attempt in range(TRIES):
        change(root, "Gammal titel")
        _finish(_build(root, out))  # the site as it was, whatever the last try left
        assert read_tree(out) == old, f"seed {seed}, try {attempt}: the build after a killed one differs from a clean build"
        change(root, "Ny titel")
        process = _build(root, out)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        tree = read_tree(out)
        assert tree in (old, new), f"seed {seed}, try {attempt}: a mixed site after a kill"
        seen["old" if tree == old else "new"] += 1
    _finish(_build(root, out))
    assert read_tree(out) == new
    assert sum(seen.values()) == TRIES


@pytest.mark.parametrize("renameat2", [True, False])
def test_exchange_swaps_two_folders_whole(tmp_path, monkeypatch, renameat2):
    if not renameat2:  # the fallback of systems without it: two renames
        monkeypatch.setattr(staging, "_libc", lambda: None)
    a, b = tmp_path / "a", tmp_path / "b"
    (a / "x").mkdir(parents=True)
    (a / "x" / "f").write_text("a")
    (b / "y").mkdir(parents=True)
    (b / "y" / "g").write_text("b")
    exchange(a, b)
    assert (b / "x" / "f").read_text() == "a" and (a / "y" / "g").read_text() == "b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
