"""Odd input of every shape gets `path:line: message` lines and exit 1, never a traceback."""

from __future__ import annotations

import re

import pytest
from sitetools import make_site, run_cli

FM = "---\ntitle: A\ndate: 2017-03-14\nmunicipality: Borås\n"

BAD_POSTS = {
    "title-is-a-mapping": "---\ntitle:\n  nested: map\ndate: 2017-03-14\nmunicipality: Borås\n---\n",
    "municipality-is-a-mapping": "---\ntitle: A\ndate: 2017-03-14\nmunicipality: {a: 1}\n---\n",
    "tags-is-a-number": FM + "tags: 5\n---\n",
    "nested-list": FM + "plan_areas: [[Samverkan]]\n---\n",
    "county-is-a-list": "---\ntitle: A\ndate: 2017-03-14\ncounty: [Skåne]\n---\n",
    "empty-front-matter": "---\n---\nText\n",
    "binary-title": "---\ntitle: !!binary aGVq\ndate: 2017-03-14\nmunicipality: Borås\n---\n",
    "python-tag": FM + "x: !!python/object/apply:os.system ['echo hej']\n---\n",
    "number-key": FM + "1: x\n---\n",
    "unhashable-key": "---\n? [a]\n: 1\n---\n",
    "empty-file": "",
    "bom-only": "\ufeff",
    "nul-character": "---\ntitle: A\x00B\ndate: 2017-03-14\nmunicipality: Borås\n---\n",
    "null-in-list": "---\ntitle: A\ndate: 2017-03-14\nmunicipality: [~]\n---\n",
    "self-referencing-alias": "---\ntitle: A\ndate: 2017-03-14\nmunicipality: &a [*a]\n---\n",
    "alias-bomb": "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\ntitle: A\ndate: 2017-03-14\nmunicipality: *e\n---\n",
    "tab-indent": "---\ntitle: A\n\tdate: 2017-03-14\n---\n",
    "hour-25": "---\ntitle: A\ndate: 2017-03-14T25:00:00\nmunicipality: Borås\n---\n",
    "february-30": "---\ntitle: A\ndate: 2017-02-30\nmunicipality: Borås\n---\n",
    "five-digit-year": "---\ntitle: A\ndate: '99999-01-01'\nmunicipality: Borås\n---\n",
    "before-year-one-here": "---\ntitle: A\ndate: 0001-01-01T00:00:00+05:00\nmunicipality: Borås\n---\n",
    "after-year-9999-here": "---\ntitle: A\ndate: 9999-12-31T23:30:00-05:00\nmunicipality: Borås\n---\n",
    "summary-is-a-list": FM + "summary: [a]\n---\n",
    "draft-is-text": FM + "draft: 'no'\n---\n",
    "front-matter-is-text": "---\njust text\n---\n",
    "empty-municipality": "---\ntitle: A\ndate: 2017-03-14\nmunicipality: ''\n---\n",
    "empty-author": FM + "author: ''\n---\n",
    "slug-with-slash": FM + "slug: 2017/x\n---\n",
    "latin-1": "---\ntitle: Återbesök\ndate: 2017-03-14\nmunicipality: Borås\n---\n".encode("latin-1"),
    "utf-16": "---\ntitle: A\ndate: 2017-03-14\nmunicipality: Borås\n---\n".encode("utf-16"),
}

BAD_CONFIGS = {
    "empty": "",
    "a-list": "- a\n- b\n",
    "title-list": "title: [x]\nplan_areas: [{name: A, description: B}]\n",
    "plan-areas-mapping": "title: T\nplan_areas: {a: 1}\n",
    "plan-area-text": "title: T\nplan_areas: [Samverkan]\n",
    "urls-number": "title: T\nurls: 5\nplan_areas: [{name: A, description: B}]\n",
    "comments-list": "title: T\ncomments: [1]\nplan_areas: [{name: A, description: B}]\n",
    "base-url-number": "title: T\nbase_url: 5\nplan_areas: [{name: A, description: B}]\n",
    "nul": "title: T\x00\nplan_areas: [{name: A, description: B}]\n",
    "alias-loop": "title: T\nplan_areas: &p [*p]\n",
    "timezone-garbage": "title: T\ntimezone: ../../etc/passwd\nplan_areas: [{name: A, description: B}]\n",
}

MESSAGE = re.compile(r"^(posts/x\.md|config\.yaml)(:\d+)?: \S.*$")


def assert_clean_failure(code: int, stderr: str) -> None:
    assert "Traceback" not in stderr
    assert code == 1, stderr
    *problems, summary = stderr.splitlines()
    assert problems
    for line in problems:
        assert MESSAGE.match(line), line
    assert re.fullmatch(r"\d+ (problems? found; nothing was written|problem hittades; inget skrevs)\.", summary)


@pytest.mark.parametrize("name", sorted(BAD_POSTS))
def test_odd_posts_fail_cleanly(name, tmp_path):
    root = make_site(tmp_path, {"x.md": BAD_POSTS[name]})
    code, _, stderr = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert_clean_failure(code, stderr)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_odd_configs_fail_cleanly(name, tmp_path):
    root = make_site(tmp_path, {}, config_text=BAD_CONFIGS[name])
    code, _, stderr = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert_clean_failure(code, stderr)
    assert not (tmp_path / "out").exists()


ACCEPTED = {
    # spaces after the dashes are invisible in an editor
    "trailing-spaces-on-dashes": "--- \ntitle: A\ndate: 2017-03-14\nmunicipality: Borås\n---\t\n\nText\n",
    "county-with-empty-municipality": "---\ntitle: A\ndate: 2017-03-14\nmunicipality:\ncounty: Skåne\n---\n",
    "raw-html-in-body": FM + "---\n<div>unclosed\n\n<p>text</p>\n",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_odd_but_valid_posts_build(name, tmp_path):
    root = make_site(tmp_path, {"x.md": ACCEPTED[name]})
    code, _, stderr = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 0, stderr
    assert (tmp_path / "out" / "2017/03/a/index.html").is_file()
