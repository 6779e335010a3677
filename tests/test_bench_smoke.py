"""The benchmark works end to end at a tiny size (sitegen only): not a timed test."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import corpus, run

N = 20


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    corpus.generate(tmp_path / "a", N, seed=7)
    corpus.generate(tmp_path / "b", N, seed=7)
    assert run.compare_trees(tmp_path / "a", tmp_path / "b") == []
    assert len(list((tmp_path / "a" / "posts").glob("*.md"))) == N
    corpus.generate(tmp_path / "c", N, seed=8)
    assert run.compare_trees(tmp_path / "a", tmp_path / "c") != []
    # the three formats carry the same posts
    posts = corpus.make_posts(N, seed=7)
    corpus.generate_hugo(tmp_path / "hugo", N, seed=7)
    corpus.generate_pelican(tmp_path / "pelican", N, seed=7)
    assert len(list((tmp_path / "hugo" / "content" / "posts").glob("*.md"))) == N
    assert len(list((tmp_path / "pelican" / "content").glob("*.md"))) == N
    assert all(p.body in (tmp_path / "pelican" / "content" / f"{p.key}.md").read_text(encoding="utf-8") for p in posts)


def test_benchmark_runs_and_incremental_output_matches_clean_build(tmp_path: Path) -> None:
    log: list[str] = []
    data = run.run_benchmark([N], ["sitegen"], tmp_path, seed=1, verify_after=("edit_post",), log=log.append, repeat=2)
    results = data["results"]
    failed = [(r["scenario"], r["error"]) for r in results if not r["ok"]]
    assert not failed, failed
    scenarios = [r["scenario"] for r in results]
    assert scenarios == ["cold", "cold_nosearch", "noop", "edit_post", "clean", "edit_middle", "edit_oldest", "add_post",
                         "edit_template", "serve_newest", "serve_middle", "serve_oldest", "serve_new_post", "serve_start"]
    for preview in results[-5:-1]:  # serve: each save reloaded the tabs with the page changed, then the index caught up
        assert 0 < preview["wall"] <= preview["search_after"] and len(preview["runs"]) == 2, preview
    assert results[-1]["wall"] > 0
    plain = results[1]  # the same site with search: false, cold, beside: no search page, no index
    assert plain["ok"] and 0 < plain["files"] < results[0]["files"]
    edit = results[scenarios.index("edit_post")]
    assert edit["identical"] is True, edit["differences"]
    cold = results[0]
    assert cold["files"] > N and cold["wall"] > 0 and cold["cpu"] > 0 and cold["peak_rss"] > 0
    assert {"read", "render", "write"} <= cold["stages"].keys()
    added = results[scenarios.index("add_post")]
    assert added["posts"] in (N + 1, N + 2) and added["files"] > cold["files"]
    # every build was timed twice (each rebuild making its change again, each cold build into a fresh
    # folder): the report shows the median run and both times
    assert len(edit["runs"]) == 2 and edit["wall"] == min(edit["runs"]) and len(cold["runs"]) == 2
    assert sum("edit_post" in line for line in log) == 2 and sum(" cold " in line for line in log) == 2
    # the sites and the clean build were set aside while builds were timed, and deleted after the last
    assert not any(tmp_path.iterdir())

    text = run.report(data, "python bench/run.py --posts 20")
    for label in ("cold build", "rebuild, nothing changed", "rebuild, the newest post edited", "rebuild, the middle post edited",
                  "rebuild, the oldest post edited", "rebuild, one post added", "rebuild, base template edited",
                  "clean build (for comparison)"):
        assert f"| sitegen | {label} |" in text
    assert "| serve: the oldest post saved → reload |" in text and "serve: started again with a warm cache" in text
    assert "### sitegen per stage" in text and "| rebuild, the oldest post edited, 20 posts, ≤ 0.5 s |" in text
    assert "(median of 2: " in text


def test_stage_lines_are_parsed() -> None:
    stderr = "built 5 posts into _site: 91 files\n  config          5.9 ms\n  render        115.5 ms\n"
    assert run.parse_stages(stderr) == pytest.approx({"config": 0.0059, "render": 0.1155})


def test_finished_trees_are_set_aside_not_deleted(tmp_path: Path) -> None:
    for name in ("site-out", "site-out"):  # the same name twice, as a repeated clean build would be
        (tmp_path / name / "a").mkdir(parents=True)
        (tmp_path / name / "a" / "index.html").write_text(name)
        run.set_aside(tmp_path / name, tmp_path)
    run.set_aside(tmp_path / "never-made", tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("index.html")) == [
        "trash/0-site-out/a/index.html", "trash/1-site-out/a/index.html"]


def test_report_compares_hugo_followed_by_pagefind_with_the_cold_build() -> None:
    def result(tool: str, scenario: str, wall: float) -> dict:
        return asdict(run.Result(tool, 100, scenario, wall, wall, 1, 1, 1, True))

    data = {"machine": run.machine_info(), "versions": {"sitegen": "0", "hugo": "0", "pelican": "0"}, "seed": 1,
            "sizes": [100], "results": [result("sitegen", "cold", 4.0), result("hugo", "cold", 2.0), result("hugo", "search", 3.0)]}
    text = run.report(data, "python bench/run.py --posts 100 --with-hugo")
    assert "| 100 | hugo | Pagefind over the cold build's post pages | 3.00 |" in text
    assert "| 100 | cold build | 0.50× | – |" in text
    assert "| 100 | cold build, Hugo followed by Pagefind (a search index, as sitegen makes) | 1.25× | – |" in text


def test_image_benchmark_runs_and_publishes_every_width_and_format(tmp_path: Path) -> None:
    from bench import images

    (site,) = images.make_sites(tmp_path, 2, 2, ["sitegen"], size=(1800, 1200))
    log: list[str] = []
    result = images.time_site(site, 1, 2, log.append)
    assert [line.split()[1] for line in log] == ["cold", "rebuild", "rebuild"]
    # two photos, three widths, two formats; the rebuild wrote nothing
    assert result["files"]["images"] == 2 * 3 * 2
    assert result["rebuild"]["stages"]["images"] < result["cold"]["stages"]["images"]
    text = images.report({"photos": 2, "posts": 2, "size": (1800, 1200), "repeat": 1, "machine": "test",
                          "versions": {"sitegen": "x"}, "results": {"sitegen": result}})
    assert "| sitegen x | cold |" in text and "| sitegen x | rebuild |" in text


def test_wordpress_benchmark_imports_twice_and_builds(tmp_path: Path) -> None:
    from bench import wordpress

    result = wordpress.time_import(tmp_path, 20, 80, log=lambda line: None)
    assert [result[step]["wall"] > 0 for step in ("import", "again", "build")] == [True, True, True]
    assert result["import"]["first_lines"][0].startswith("Importerade 20 inlägg, 0 sidor och ")
    assert result["again"]["first_lines"][1].startswith("0 filer skrivna, ")  # the second run changes nothing
    text = wordpress.report({**result, "machine": "test"})
    assert "| import-wordpress again |" in text and "A WordPress export of 20 posts and 80 comments" in text
