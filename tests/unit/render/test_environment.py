"""sitegen.render.environment: compiled templates are kept per set of values Jinja folds into them."""

from __future__ import annotations

import os
from dataclasses import replace

from sitegen.config.urls import Urls
from sitegen.fingerprints import compiled_templates as compiled_key
from sitegen.render.environment import KEPT_TEMPLATE_CACHES, environment
from sitegen.site.index import build_index


def _env(tmp_path, config, registry, base_url: str, cache: bool = True, assets=None):
    assets = assets if assets is not None else {"assets/style.css": "assets/style.0123456789.css"}
    config = config.with_base_url(base_url)
    site = build_index(config, registry, Urls.for_config(config), [], [])
    return environment(tmp_path, site, "/kommentar/", assets, tmp_path / "cache" if cache else None)


def test_a_url_folded_into_compiled_code_is_never_reused_for_another_base_url(tmp_path, config, registry):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ 'feed.xml'|url }}", encoding="utf-8")
    at_root = _env(tmp_path, config, registry, "https://example.org/")
    assert at_root.get_template("t.html").render() == "/feed.xml"
    under_path = _env(tmp_path, config, registry, "https://example.org/aterbesok/")
    assert under_path.get_template("t.html").render() == "/aterbesok/feed.xml"
    assert compiled_key(at_root) != compiled_key(under_path)
    assert len(list((tmp_path / "cache").glob("templates-*"))) == 2
    again = _env(tmp_path, config, registry, "https://example.org/")
    assert compiled_key(again) == compiled_key(at_root)
    assert again.get_template("t.html").render() == "/feed.xml"


def test_the_url_scheme_is_part_of_the_key(tmp_path, config, registry):
    one = _env(tmp_path, config, registry, "https://example.org/", cache=False)
    other_config = replace(config, urls=replace(config.urls, municipality="kommuner"))
    site = build_index(other_config, registry, Urls.for_config(other_config), [], [])
    assert compiled_key(environment(tmp_path, site, "/kommentar/", {})) != compiled_key(one)
    assert one.bytecode_cache is None


def test_only_the_most_recently_used_folders_of_compiled_templates_are_kept(tmp_path, config, registry):
    (tmp_path / "templates").mkdir()
    for n in range(12):
        old = tmp_path / "cache" / f"templates-old{n}"
        old.mkdir(parents=True)
        os.utime(old, ns=(n, n))
    env = _env(tmp_path, config, registry, "https://example.org/")
    kept = {f.name for f in (tmp_path / "cache").glob("templates-*")}
    assert len(kept) == KEPT_TEMPLATE_CACHES
    assert f"templates-{compiled_key(env)[:16]}" in kept and "templates-old11" in kept and "templates-old0" not in kept


def test_an_asset_folded_into_compiled_code_is_never_reused_after_its_bytes_change(tmp_path, config, registry):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ 'assets/style.css'|asset }}", encoding="utf-8")
    old = _env(tmp_path, config, registry, "https://example.org/", assets={"assets/style.css": "assets/style.aaaaaaaaaa.css"})
    assert old.get_template("t.html").render() == "/assets/style.aaaaaaaaaa.css"
    new = _env(tmp_path, config, registry, "https://example.org/", assets={"assets/style.css": "assets/style.bbbbbbbbbb.css"})
    assert new.get_template("t.html").render() == "/assets/style.bbbbbbbbbb.css"
