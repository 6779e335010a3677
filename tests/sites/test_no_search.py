"""`search: false` in config.yaml: a site with no search page, no "Sök" in the menu and no Pagefind index (#20)."""

from __future__ import annotations

from sitetools import hrefs, html_files, make_site, post_text, read_tree, run_cli


def test_a_site_without_search_has_no_search_page_link_or_index(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")}, {"search": False})
    assert run_cli(["check"], root)[0] == 0
    code, _, err = run_cli(["build"], root)
    assert code == 0, err
    out = root / "_site"
    assert not (out / "sok").exists() and not (out / "pagefind").exists()
    for page in html_files(out):
        assert not any(h.rstrip("/").endswith("/sok") for h in hrefs((out / page).read_bytes())), page
    assert "/sok/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "Sök bland besöken" not in (out / "404.html").read_text(encoding="utf-8")


def test_turning_search_on_again_brings_the_page_and_the_index_back(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")}, {"search": False})
    assert run_cli(["build"], root)[0] == 0
    config = root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("search: false", "search: true"), encoding="utf-8")
    assert run_cli(["build"], root)[0] == 0
    assert (root / "_site" / "sok" / "index.html").is_file() and (root / "_site" / "pagefind" / "pagefind.js").is_file()
    assert run_cli(["build", "--output", str(tmp_path / "clean")], root)[0] == 0
    assert read_tree(root / "_site") == read_tree(tmp_path / "clean")


def test_search_must_be_true_or_false(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")}, {"search": "nej"})
    code, _, err = run_cli(["check"], root)
    assert code == 1 and "'search'" in err
