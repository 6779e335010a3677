"""Posts that wait for their date: left out of every output until a build on or after it; --future and serve show them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sitetools import html_files, post_text, run_cli

from sitegen import pipeline

BEFORE = datetime(2017, 3, 13, 12, 0, tzinfo=UTC)
AFTER = datetime(2017, 3, 14, 12, 0, tzinfo=UTC)
LATER = "2017/03/aterbesok-i-finspang/"


def scheduled_site(make_site) -> Path:
    return make_site({
        "2017-03-14-finspang.md": post_text("Återbesök i Finspång", "2017-03-14", municipality="Finspång", tags=["SiSam"]),
        "2016-10-11-boras.md": post_text("Borås önskar socionomutbildning", "2016-10-11", municipality="Borås", tags=["SiSam"]),
        "2016-10-12-utkast.md": post_text("Utkast", "2016-10-12", municipality="Borås", draft=True),
    })


def build_at(root: Path, out: Path, now: datetime, **options) -> pipeline.BuildReport:
    return pipeline.build(pipeline.BuildOptions(root, output=out, now=now, **options))


def test_a_post_dated_later_is_in_no_output_until_its_day(make_site, tmp_path):
    root = scheduled_site(make_site)
    out = tmp_path / "out"
    report = build_at(root, out, BEFORE)
    assert report.posts == 1 and report.hidden == (1, 1)
    assert not (out / LATER).exists()
    everything = "".join((out / f).read_text(encoding="utf-8") for f in html_files(out))
    for text in [everything, *((out / f).read_text(encoding="utf-8") for f in ("feed.xml", "sitemap.xml", "besok.csv",
                                                                             "tagg/sisam/feed.xml", "kommentarer.json"))]:
        assert "Återbesök i Finspång" not in text and "aterbesok-i-finspang" not in text and "kommun/finspang" not in text
    assert [v["titel"] for v in json.loads((out / "besok.json").read_text(encoding="utf-8"))["besok"]] == [
        "Borås önskar socionomutbildning"]
    assert not (out / "kommun/finspang").exists()
    report = build_at(root, out, AFTER)  # the next build on its day publishes it, from the same cache
    assert report.posts == 2 and (out / LATER / "index.html").is_file()
    clean = build_at(root, tmp_path / "clean", AFTER)
    assert clean.posts == 2
    assert {f: (out / f).read_bytes() for f in html_files(out)} == {f: (tmp_path / "clean" / f).read_bytes() for f in html_files(out)}


def test_future_and_serve_show_it_marked_as_scheduled(make_site, tmp_path):
    root = scheduled_site(make_site)
    report = build_at(root, tmp_path / "out", BEFORE, future=True)
    assert report.posts == 2 and report.hidden == (1, 0)
    page = (tmp_path / "out" / LATER / "index.html").read_text(encoding="utf-8")
    assert "<strong>Schemalagd</strong> – publiceras 14 mars 2017." in page
    assert "Schemalagd" not in (tmp_path / "out" / "2016/10/boras-onskar-socionomutbildning/index.html").read_text(encoding="utf-8")


def test_the_summary_says_what_was_left_out(make_site, tmp_path, english):
    root = make_site({"2099-01-01-senare.md": post_text("Senare", "2099-01-01", municipality="Borås"),
                      "2017-03-14-nu.md": post_text("Nu", "2017-03-14", municipality="Borås"),
                      "2017-03-15-utkast.md": post_text("Utkast", "2017-03-15", municipality="Borås", draft=True)})
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 0
    assert err.splitlines()[1] == "not shown: 1 draft and 1 scheduled post (--drafts and --future include them)"
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out"), "--future", "--drafts"], root)
    assert err.startswith("built 3 posts into ") and "not shown" not in err
