"""The Jinja environment: templates/, StrictUndefined, Swedish dates, URL filters and the page policy."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from babel import Locale
from babel.dates import format_date, format_time

from sitegen import fingerprints
from sitegen.errors import TemplateProblem
from sitegen.kinds import TAXONOMIES
from sitegen.messages import _
from sitegen.site.index import Site

TEMPLATES_DIR = "templates"
KEPT_TEMPLATE_CACHES = 8  # folders of compiled templates: one per base URL and scheme recently built
SECTION_TITLES = {t.kind: t.title for t in TAXONOMIES}
ABOUT_PAGE = "om-bloggen"  # the standalone page the navigation ends with, if the site has it
PRIVACY_PAGE = "personuppgifter"  # the personal-data notice every comment form links to, if the site has it


def sv_date(value: date) -> str:
    """'14 mars 2017', of a date or of a datetime's date."""
    return _sv_day(value.date() if isinstance(value, datetime) else value)  # format_date reads only the date


@functools.cache
def _sv_day(day: date) -> str:
    # every post's date is shown on a dozen list pages: about 250,000 calls of 7 µs at 10,000
    # posts; a site spans a few thousand days at most, so the cache stays small
    return format_date(day, "d MMMM y", locale="sv")


@functools.cache
def plural(n: int, one: str, other: str) -> str:
    """The Swedish form for ``n`` by Babel's plural rules: ``plural(1, 'kommun', 'kommuner')`` -> 'kommun'."""
    return one if _swedish().plural_form(n) == "one" else other


@functools.cache
def _swedish() -> Locale:
    return Locale("sv")  # read from Babel's data the first time a count is shown, not by every build


def sv_time(value: datetime) -> str:
    return format_time(value, "HH:mm", locale="sv")


def content_security_policy(endpoint: str) -> str:
    """The page policy; forms may post only to the comment endpoint's origin."""
    parts = urlsplit(endpoint)
    form = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "'self'"
    return (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        f"form-action {form}; base-uri 'self'"
    )


@dataclass(frozen=True)
class AssetLinks:
    """The ``asset`` filter: ``{{ 'assets/style.css'|asset }}`` -> '/aterbesok/assets/style.3f2a1b9c.css'."""

    base_path: str
    names: tuple[tuple[str, str], ...]  # ('assets/style.css', 'assets/style.3f2a1b9c.css'), see content.static

    def href(self, name: str) -> str:
        for logical, published in self.names:
            if logical == name:
                return self.base_path + published
        raise TemplateProblem(_("no file static/{name}; the asset filter names files in static/assets/, such as {names}",
                                name=name, names=", ".join(f"'{n}'" for n, _published in self.names) or "–"))


def environment(root: Path, site: Site, endpoint: str, assets: Mapping[str, str], cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; ``assets`` are static/assets/ by hashed name; compiled templates are kept under ``cache_dir``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
    )
    urls = site.urls
    links = AssetLinks(urls.base_path, tuple(sorted(assets.items())))
    env.filters.update(sv_date=sv_date, sv_time=sv_time, plural=plural, url=urls.href, absolute=urls.absolute, asset=links.href)
    env.globals.update(
        config=site.config,
        nav=_nav(site),
        csp=content_security_policy(endpoint),
        comment_endpoint=endpoint,
        section_titles=SECTION_TITLES,
        privacy_path=next((p.url for p in site.pages if p.key == PRIVACY_PAGE), None),
        share_image=_share_image(site, assets),
    )
    folder = _bytecode_folder(cache_dir, env) if cache_dir is not None else None
    if folder is not None:  # compiling the templates is a tenth of a small rebuild
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def _bytecode_folder(cache_dir: Path, env: jinja2.Environment) -> Path | None:
    folder = cache_dir / f"templates-{fingerprints.compiled_templates(env)[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # its time says when it was last used
        others = sorted(cache_dir.glob("templates-*"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
        for old in others[KEPT_TEMPLATE_CACHES:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:  # a read-only project: compile every time
        return None
    return folder


def _share_image(site: Site, assets: Mapping[str, str]) -> tuple[str, str] | None:
    """(absolute URL, alt text) of the picture shared links show for pages without a photo of their own."""
    share = site.config.share_image
    if share is None or share.file not in assets:
        return None
    return site.urls.absolute(assets[share.file]), share.alt


def _nav(site: Site) -> tuple[tuple[str, str], ...]:
    """(label, site path) of every item of the main navigation."""
    about = [("Om", p.url) for p in site.pages if p.key == ABOUT_PAGE]
    sections = [(t.title, site.urls.section(t.kind)) for t in TAXONOMIES]
    search = [("Sök", site.urls.search())] if site.config.search else []
    return (("Besök", ""), *sections, *search, *about)


