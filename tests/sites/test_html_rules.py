"""Rules every generated HTML page follows: Swedish, CSP, no inline code, unique ids, no third parties."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from sitetools import build, html_files, make_site, post_text, scan_html


def pages(site):
    return [f for f in html_files(site.out) if not f.startswith("pagefind/")]


@pytest.fixture(scope="module")
def scanned(site):
    return {f: scan_html((site.out / f).read_bytes()) for f in pages(site)}


def test_there_are_pages(scanned):
    assert len(scanned) > 40


def test_lang_sv_everywhere(scanned):
    assert {f: s.html_lang for f, s in scanned.items() if s.html_lang != "sv"} == {}


def test_csp_meta_everywhere(scanned):
    for f, s in scanned.items():
        csp = [m.get("content") or "" for m in s.meta if (m.get("http-equiv") or "").lower() == "content-security-policy"]
        assert len(csp) == 1, f
        policy = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
        assert policy["default-src"] == ["'none'"] or "'self'" in policy["default-src"], f
        for directive in ("script-src", "style-src", "img-src"):
            sources = policy.get(directive, policy["default-src"])
            assert "'unsafe-inline'" not in sources, (f, directive)
            assert all(src in ("'self'", "'wasm-unsafe-eval'", "data:", "'none'") for src in sources), (f, directive, sources)
        assert "form-action" in policy, f


def test_referrer_policy_everywhere(scanned):
    for f, s in scanned.items():
        referrer = [m.get("content") for m in s.meta if m.get("name") == "referrer"]
        assert referrer == ["strict-origin-when-cross-origin"], f


def test_no_inline_scripts_styles_or_handlers(scanned):
    for f, s in scanned.items():
        # the only scripts without a file are structured data, which browsers never run
        data = [script for script in s.scripts if script.get("type") == "application/ld+json"]
        assert all(script.get("src") for script in s.scripts if script not in data), f"inline <script> in {f}"
        bodies = [body for body in s.script_bodies if body.strip()]
        assert len(bodies) == len(data) and all(json.loads(body) for body in bodies), f"script body in {f}"
        assert s.style_attributes == [], f"style= attribute in {f}: {s.style_attributes}"
        assert s.style_elements == 0, f"<style> element in {f}"
        assert s.event_handlers == [], f"inline event handler in {f}: {s.event_handlers}"


def test_no_third_party_requests(scanned):
    for f, s in scanned.items():
        for tag, attr, value in s.links:
            if tag in ("script", "img", "link", "source", "iframe") and attr in ("src", "href"):
                if tag == "link" and value.startswith("https://example.org/aterbesok/"):
                    continue  # rel=canonical is the page's own address
                assert not urlsplit(value).netloc, (f, tag, value)


def test_external_links_get_noopener(scanned):
    externals = 0
    for f, s in scanned.items():
        for attrs, _ in s.anchors:
            target = attrs.get("href") or ""
            if urlsplit(target).netloc and not target.startswith("https://example.org/aterbesok/"):
                externals += 1
                assert "noopener" in (attrs.get("rel") or "").split(), (f, target)
    assert externals >= 1  # the fixture links to DIGG


def test_ids_unique_on_every_page(scanned):
    for f, s in scanned.items():
        dupes = {i for i in s.ids if s.ids.count(i) > 1}
        assert not dupes, (f, dupes)


def test_one_h1_per_page(site):
    from sitetools import outline

    for f in pages(site):
        h1 = [t for tag, t in outline((site.out / f).read_bytes()) if tag == "h1"]
        # the receiver's page gets its h1 with the message it puts in (tests/comments check those)
        assert len(h1) == (0 if f == "kommentar-svar.html" else 1), (f, h1)


def test_headings_named_like_template_ids_do_not_clash(tmp_path):
    """A writer's heading may slug to an id the page templates use; the page must still have unique ids."""
    probe_root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")}, name="probe")
    probe = build(probe_root, tmp_path / "probe-out")
    (page,) = [f for f in html_files(probe) if f.startswith("2017/")]
    template_ids = sorted(set(scan_html((probe / page).read_bytes()).ids))
    assert "innehall" in template_ids
    # a heading whose text slugs to each template id, plus footnote-like ones
    headings = "\n\n".join(f"## {i.replace('-', ' ')}" for i in [*template_ids, "fn1", "fnref1"])
    body = f"Text med fotnot.[^1]\n\n{headings}\n\n[^1]: Fotnoten.\n"
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", body=body)}, name="clash")
    out = build(root, tmp_path / "clash-out")
    ids = scan_html((out / page).read_bytes()).ids
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert dupes == []
