"""Every internal link and #anchor resolves when the site lives under a sub-path."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitetools import REPO, SUB_PATH_URL, build, html_files, make_site, run_cli, scan_html

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
    assert "posts/a.md:10: broken link '/aterbesok/kommun/malmo/': no page at /kommun/malmo/" in lines
    assert "posts/a.md:12: broken link '#finns-inte': no id 'finns-inte' on /2017/03/ett-besok/" in lines
    assert "Traceback" not in err


def post_text_with(body: str) -> str:
    from sitetools import post_text

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
