"""static/ at the site root, hashed asset names that change with their bytes, and static files that would replace a page."""

from __future__ import annotations

import html
import re

from sitetools import SUB_PATH_URL, build, make_site, post_text, read_tree, run_cli

POSTS = {"a.md": post_text("Besök i Borås", "2017-03-14", municipality="Borås", plan_areas="[Samverkan]")}
ROOT_FILES = {
    "static/CNAME": "aterbesok.example.org\n",
    "static/.well-known/security.txt": "Contact: mailto:sakerhet@example.org\n",
    "static/favicon.ico": b"\x00\x00\x01\x00",
    "static/_redirects": "/gammal/ /ny/ 301\n",
}


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_static_files_are_published_at_the_root(tmp_path):
    root = make_site(tmp_path, POSTS, files=ROOT_FILES)
    out = build(root, tmp_path / "out")
    files = read_tree(out)
    assert files["CNAME"] == b"aterbesok.example.org\n"
    assert files[".well-known/security.txt"].startswith(b"Contact:")
    assert files["favicon.ico"] == b"\x00\x00\x01\x00" and files["_redirects"] == b"/gammal/ /ny/ 301\n"
    assert not any(f.startswith("static/") for f in files)


def test_assets_have_hashed_urls_under_the_base_path_and_a_css_edit_changes_them_on_every_page(tmp_path):
    root = make_site(tmp_path, POSTS)
    out = build(root, tmp_path / "out", "--base-url", SUB_PATH_URL)
    pages = sorted(out.rglob("*.html"))
    (before,) = {tuple(_stylesheets(p.read_text(encoding="utf-8"))) for p in pages}
    assert re.fullmatch(r"/aterbesok/assets/style\.[0-9a-f]{10}\.css", before[0])
    assert (out / before[0].removeprefix("/aterbesok/")).read_bytes() == (root / "static/assets/style.css").read_bytes()
    search = (out / "sok/index.html").read_text(encoding="utf-8")
    assert re.search(r'<script type="module" src="/aterbesok/assets/search\.[0-9a-f]{10}\.js">', search)
    css = root / "static/assets/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.ny { color: inherit; }\n", encoding="utf-8")
    build(root, out, "--base-url", SUB_PATH_URL)
    (after,) = {tuple(_stylesheets(p.read_text(encoding="utf-8"))) for p in pages}
    assert after != before
    assert not (out / before[0].removeprefix("/aterbesok/")).exists(), "the old name is gone with the old bytes"


def test_a_static_robots_txt_or_headers_file_replaces_the_generated_one(tmp_path):
    root = make_site(tmp_path, POSTS, files={"static/robots.txt": "User-agent: *\nDisallow: /\n", "static/_headers": "/*\n  X-Egen: ja\n"})
    out = build(root, tmp_path / "out")
    assert (out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"
    assert (out / "_headers").read_text(encoding="utf-8") == "/*\n  X-Egen: ja\n"
    (root / "static/robots.txt").unlink()
    build(root, out)
    assert "Sitemap: " in (out / "robots.txt").read_text(encoding="utf-8"), "the generated one is back"


def test_a_static_file_that_would_replace_a_page_is_an_error_naming_both(tmp_path):
    root = make_site(tmp_path, POSTS)
    out = build(root, tmp_path / "out")
    before = read_tree(out)
    for rel in ("static/kommun/index.html", "static/2017/03/besok-i-boras/index.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("<p>min egen</p>", encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1
    post = "skulle ersätta /2017/03/besok-i-boras/, som sitegen gör av posts/a.md"
    section = "skulle ersätta /kommun/, som sitegen gör av sidan Kommuner"
    assert err.splitlines() == [
        f"static/2017/03/besok-i-boras/index.html: {post}; byt namn på filen i static/ eller flytta den",
        f"static/kommun/index.html: {section}; byt namn på filen i static/ eller flytta den",
        "2 problem hittades; inget skrevs.",
    ]
    assert read_tree(out) == before


def test_an_unknown_asset_in_a_template_names_the_template_line(tmp_path):
    root = make_site(tmp_path, POSTS)
    base = root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("'assets/style.css'|asset", "'assets/stil.css'|asset"), encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out")], root)
    assert code == 1
    assert err.startswith("templates/base.html:8: ingen fil static/assets/stil.css; filtret asset tar filer i static/assets/, till exempel ")


def test_headers_file_carries_the_page_policy_with_framing_forbidden_and_the_asset_cache_rule(tmp_path):
    root = make_site(tmp_path, POSTS, {"comments": {"endpoint": "https://kommentarer.example.org/ta-emot"}})
    out = build(root, tmp_path / "out", "--base-url", SUB_PATH_URL)
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', (out / "index.html").read_text(encoding="utf-8"))
    page_csp = html.unescape(meta[1])
    assert "form-action https://kommentarer.example.org" in page_csp
    assert (out / "_headers").read_text(encoding="utf-8").splitlines() == [
        "/aterbesok/*",
        f"  Content-Security-Policy: {page_csp}; frame-ancestors 'none'",
        "  Referrer-Policy: strict-origin-when-cross-origin",
        "  X-Content-Type-Options: nosniff",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        "/aterbesok/assets/*",
        "  Cache-Control: public, max-age=31536000, immutable",
    ]
