"""Every internal link and #anchor resolves when the site lives under a sub-path."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitetools import REPO, SUB_PATH_URL, build, html_files, make_site, post_text, run_cli, scan_html

from sitegen import pipeline

from .conftest import make_fixture_site


def broken_links(out: Path, base_url: str) -> list[str]:
    """Parse the written HTML and resolve every same-site link against the files on disk."""
    base = urlsplit(base_url)
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    ids = {}
    problems = []
    pages = [f for f in html_files(out) if not f.startswith("pagefind/")]
    for f in pages:
        ids[f] = set(scan_html((out / f).read_bytes()).ids)
    for f in pages:
        page_url = base_url + f.removesuffix("index.html")
        for tag, attr, value in scan_html((out / f).read_bytes()).links:
            if attr not in ("href", "src") or tag == "form":
                continue
            target = urlsplit(urljoin(page_url, value))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            if not target.path.startswith(base.path):
                problems.append(f"{f}: {value} is outside {base.path}")
                continue
            rel = unquote(target.path[len(base.path) :])
            resolved = rel + "index.html" if rel == "" or rel.endswith("/") else rel
            if resolved not in files:
                problems.append(f"{f}: {value} -> no file {resolved}")
            elif target.fragment and resolved in ids and unquote(target.fragment) not in ids[resolved]:
                problems.append(f"{f}: {value} -> no id {target.fragment} on {resolved}")
    return problems


def test_written_links_resolve_under_a_sub_path(site):
    assert broken_links(site.out, site.base_url) == []


def test_links_use_the_sub_path(site):
    """No root-relative link escapes the base path (it would 404 on https://example.org/kommun/)."""
    for f in html_files(site.out):
        if f.startswith("pagefind/"):
            continue
        for tag, attr, value in scan_html((site.out / f).read_bytes()).links:
            if attr in ("href", "src") and value.startswith("/") and not value.startswith("//"):
                assert value.startswith("/aterbesok/"), (f, tag, value)


def test_check_passes_under_a_sub_path(tmp_path):
    root = make_fixture_site(tmp_path)
    report = pipeline.check(pipeline.BuildOptions(root=root, base_url=SUB_PATH_URL))
    assert report.posts == 6
    code, _, err = run_cli(["check", "--base-url", SUB_PATH_URL], root)
    assert code == 0, err
    assert not (root / "_site").exists()


def test_check_reports_a_writers_broken_link_and_anchor_at_their_lines(tmp_path):
    body = "Första.\n\n[Malmö](/kommun/malmo/)\n\n[längre ner](#finns-inte)\n"
    root = make_site(tmp_path, {"a.md": post_text_with(body)})
    code, _, err = run_cli(["check", "--base-url", SUB_PATH_URL], root)
    assert code == 1
    lines = err.splitlines()
    # '---', four keys, '---', a blank line, then 'Första.' on line 8
    assert lines[0] == "posts/a.md:10: trasig länk '/kommun/malmo/': sidan eller filen /kommun/malmo/ finns inte; kontrollera adressen, " \
                       "eller lägg filen i static/ och länka till den som '/namn'"
    assert lines[1].startswith("posts/a.md:12: trasig länk '#finns-inte': /2017/03/ett-besok/ har ingen rubrik eller ankare '#finns-inte'")
    assert lines[2:] == ["2 problem hittades; inget skrevs."]


def test_build_stops_on_a_broken_link_and_leaves_the_published_site_as_it_was(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text_with("Första.\n"), "b.md": post_text("Andra besöket", "2017-04-02",
                                municipality="Borås", body="Se [det första](/2017/03/ett-besok/#forsta).\n")})
    out = tmp_path / "out"
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1
    assert err.splitlines()[0].startswith("posts/b.md:7: trasig länk '/2017/03/ett-besok/#forsta': /2017/03/ett-besok/ har ingen")
    assert not out.exists()
    (root / "posts" / "b.md").write_text(post_text("Andra besöket", "2017-04-02", municipality="Borås",
                                                   body="Se [det första](/2017/03/ett-besok/).\n"), encoding="utf-8")
    build(root, out)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # removing the post that b.md links to breaks b.md's link, though b.md itself is unchanged (and cached)
    (root / "posts" / "a.md").unlink()
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1, err
    assert err.splitlines() == [
        ("posts/b.md:7: trasig länk '/2017/03/ett-besok/': sidan eller filen /2017/03/ett-besok/ finns inte; kontrollera adressen, "
        "eller lägg filen i static/ och länka till den som '/namn'"),
        "1 problem hittades; inget skrevs.",
    ]
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_anchor_into_an_unchanged_page_is_checked_against_the_published_page(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text_with("Första.\n\n## Skolgång\n\nText.\n"),
                                "b.md": post_text("Andra besöket", "2017-04-02", municipality="Borås", body="Se [skolgång](/2017/03/ett-besok/#skolgang).\n")})
    out = build(root, tmp_path / "out")
    (root / "posts" / "b.md").write_text(post_text("Andra besöket", "2017-04-02", municipality="Borås",
                                                   body="Se [skolgång](/2017/03/ett-besok/#skolgng).\n"), encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(out)], root)  # a.md's page is not rendered again: it is read back
    assert code == 1
    assert err.splitlines()[0] == ("posts/b.md:7: trasig länk '/2017/03/ett-besok/#skolgng': /2017/03/ett-besok/ har ingen rubrik "
                                   "eller ankare '#skolgng'; menade du '#skolgang'?")


def test_check_lists_the_link_problems_of_the_valid_posts_when_others_have_errors(tmp_path):
    broken = post_text("Trasigt", "2017-05-01", municipality="Borrås")
    linking = post_text("Länkar", "2017-06-01", municipality="Borås", body="[Malmö](/kommun/malmo/) och [det trasiga](/2017/05/trasigt/)\n")
    root = make_site(tmp_path, {"a.md": post_text_with("Första.\n"), "trasig.md": broken, "c.md": linking})
    code, _, err = run_cli(["check"], root)
    assert code == 1
    assert err.splitlines() == [
        "posts/trasig.md:4: okänd kommun 'Borrås'; menade du 'Borås', 'Torsås' eller 'Orsa'?",
        "posts/c.md:7: trasig länk '/kommun/malmo/': sidan /kommun/malmo/ finns inte, eller så görs den av en fil med fel ovan",
        "posts/c.md:7: trasig länk '/2017/05/trasigt/': sidan /2017/05/trasigt/ finns inte, eller så görs den av en fil med fel ovan",
        "3 problem hittades; inget skrevs.",
    ]
    code, _, err = run_cli(["build"], root)  # a build stops at the sources' own problems
    assert code == 1 and err.splitlines()[1:] == ["1 problem hittades; inget skrevs."]


def test_links_to_files_beside_a_folder_post_and_in_static(tmp_path):
    body = "[planen](plan.pdf), [kartan](/bilder/karta.pdf) och [igen](/2017/03/ett-besok/plan.pdf)\n"
    root = make_site(tmp_path, {"a/index.md": post_text_with(body), "a/plan.pdf": b"%PDF-1.4"}, files={"static/bilder/karta.pdf": b"%PDF"})
    out = build(root, tmp_path / "out")
    assert (out / "2017/03/ett-besok/plan.pdf").is_file() and (out / "bilder/karta.pdf").is_file()


def post_text_with(body: str) -> str:
    return post_text(municipality="Borås", plan_areas=["Samverkan"], body=body)


def test_the_repos_own_posts_and_pages_pass_check_and_resolve(tmp_path):
    root = make_site(tmp_path, {})
    shutil.rmtree(root / "posts")
    shutil.copytree(REPO / "posts", root / "posts")
    if (REPO / "pages").is_dir():
        shutil.copytree(REPO / "pages", root / "pages")
    code, _, err = run_cli(["check", "--base-url", SUB_PATH_URL], root)
    assert code == 0, err
    out = build(root, tmp_path / "out", "--base-url", SUB_PATH_URL)
    assert broken_links(out, SUB_PATH_URL) == []
