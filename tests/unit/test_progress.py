"""The progress bar draws on a terminal and stays silent otherwise."""

from __future__ import annotations

import io

from sitegen.progress import ProgressBar


def test_bar_draws_each_stage_on_one_line_and_ends_it():
    out = io.StringIO()
    bar = ProgressBar(out, enabled=True)
    progress = bar.stage("read", 4)
    progress(2)
    progress(2)  # the last step is always drawn, however soon it comes
    bar.stage("render", 1)(1)
    bar.finish()
    text = out.getvalue()
    assert "\rläser      [" + "#" * 30 + "] 4/4\n" in text  # the stage's name in the writer's language
    assert "\rbygger     [" + "#" * 30 + "] 1/1\n" in text
    assert text.count("\n") == 2


def test_bar_is_silent_when_not_a_terminal():
    out = io.StringIO()
    bar = ProgressBar(out, enabled=False)
    bar.stage("read", 3)(3)
    bar.finish()
    assert out.getvalue() == ""


def test_cli_build_is_quiet_about_progress_when_not_a_tty(make_site, run_cli):
    from sitetools import post_text

    root = make_site({"a.md": post_text(municipality="Umeå")})
    code, _, err = run_cli(["build", "--verbose"], root)
    assert code == 0, err
    assert "[" not in err.split("built", 1)[0]  # no bar before the summary
    assert "1 källfiler lästa, " in err
