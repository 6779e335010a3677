"""Invalid sites: each folder here is one kind of bad input and the exact messages it must produce.

A folder holds the site's own files (posts/, optionally pages/, config.yaml or templates/...), laid
over a copy of the repo's templates/, static/ and config.yaml, `expected.txt`: the exact stderr of
`build` in Swedish, one `path:line: message` a line, then the summary line, and `expected.en.txt`:
the same in English, for a writer whose locale asks for it. The build must exit 1, print no
traceback, and write no output folder; `check` must report the same problems first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitetools import REPO, run_cli

HERE = Path(__file__).resolve().parent
CASES = sorted(p.name for p in HERE.iterdir() if (p / "expected.txt").is_file() and (p / "expected.en.txt").is_file())


def test_there_are_cases():
    assert len(CASES) >= 20
    # a folder without expected.txt or expected.en.txt would silently not be tested
    folders = sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    assert folders == CASES


def assemble(case: str, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    shutil.copyfile(REPO / "config.yaml", root / "config.yaml")
    shutil.copytree(HERE / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "expected.en.txt"))
    return root


@pytest.mark.parametrize("case", CASES)
def test_build_fails_with_the_expected_messages(case, tmp_path):
    root = assemble(case, tmp_path)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(["build", "--output", str(out)], root)
    assert "Traceback" not in stderr
    assert code == 1
    assert stdout == ""
    expected = (HERE / case / "expected.txt").read_text(encoding="utf-8")
    assert stderr == expected
    assert not out.exists()
    assert not (root / "_site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-built folder either


@pytest.mark.parametrize("case", CASES)
def test_build_fails_with_the_expected_messages_in_english(case, tmp_path, english):
    root = assemble(case, tmp_path)
    code, _, stderr = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 1
    assert stderr == (HERE / case / "expected.en.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_problems(case, tmp_path):
    root = assemble(case, tmp_path)
    code, _, stderr = run_cli(["check"], root)
    assert "Traceback" not in stderr
    assert code == 1
    problems = [line for line in (HERE / case / "expected.txt").read_text(encoding="utf-8").splitlines() if ": " in line]
    assert stderr.splitlines()[: len(problems)] == problems
