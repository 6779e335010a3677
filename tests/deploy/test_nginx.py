"""The README's nginx configuration, served by a real nginx on 127.0.0.1: headers, links, assets and the 404 page.

The site is the bundled sample, built for https://example.org/aterbesok/ and copied where the
README says (see conftest.py for how nginx is run).
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sitetools import build, copy_sample_site

from sitegen.render.environment import content_security_policy
from sitegen.render.headers import IMMUTABLE, page_headers

from .conftest import fetch, nginx, readme_block, site_location

BASE = "https://example.org/aterbesok/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ((name == "href" and tag in ("a", "link")) or (name == "src" and tag in ("img", "script", "source"))):
                self.links.append(value)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(origin, output folder) of the sample site behind nginx, as the README configures it, old ?p= links too."""
    tmp = tmp_path_factory.mktemp("nginx")
    copy_sample_site(tmp / "site")
    out = build(tmp / "site", tmp / "out", "--base-url", BASE)
    shutil.copytree(out, tmp / "www" / "aterbesok")
    old_links = readme_block("nginx", "location = /aterbesok/ {").replace("root /srv/www;", f"root {tmp / 'www'};").replace(
        "/etc/nginx/snippets/aterbesok-headers.conf", str(tmp / "headers.conf"))
    location = site_location(tmp, tmp / "www")
    with nginx(tmp, location + old_links, http=readme_block("nginx", "map $arg_p")) as origin:
        yield origin, out


def _pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "404.html")


def test_every_page_is_served_with_the_security_headers_of_headers_file(served):
    origin, out = served
    expected = page_headers(content_security_policy("/kommentar/"))
    assert [line.strip() for line in (out / "_headers").read_text(encoding="utf-8").splitlines()[1:5]] == [
        f"{name}: {value}" for name, value in expected
    ], "_headers and the README's nginx snippet send the same"
    pages = _pages(out)
    assert len(pages) > 40
    for page in pages:
        status, headers, _ = fetch(f"{origin}/aterbesok/{page.removesuffix('index.html')}")
        assert status == 200, page
        for name, value in expected:
            assert headers.get(name) == value, f"{page}: {name}"
        assert "immutable" not in headers.get("Cache-Control", ""), f"{page} must stay short-lived"


def test_every_internal_link_and_asset_resolves_through_nginx(served):
    origin, out = served
    targets: set[str] = set()
    for page in _pages(out):
        parser = _Links()
        parser.feed((out / page).read_text(encoding="utf-8"))
        page_url = f"{origin}/aterbesok/{page.removesuffix('index.html')}"
        for link in parser.links:
            url = urlsplit(urljoin(page_url, link.replace(BASE, "/aterbesok/")))
            if f"{url.scheme}://{url.netloc}" == origin:
                targets.add(url._replace(fragment="").geturl())
    assert any("/aterbesok/assets/" in t for t in targets) and any(t.endswith("/aterbesok/kommun/") for t in targets)
    broken = sorted(t for t in targets if fetch(t)[0] != 200)
    assert broken == []
    for asset in (t for t in targets if "/aterbesok/assets/" in t):
        _, headers, body = fetch(asset)
        assert headers.get("Cache-Control") == IMMUTABLE, asset
        assert headers.get("X-Content-Type-Options") == "nosniff", "the assets keep the other headers"
        assert body == (out / urlsplit(asset).path.removeprefix("/aterbesok/")).read_bytes()


def test_an_unknown_path_gets_the_404_page(served):
    origin, out = served
    status, headers, body = fetch(f"{origin}/aterbesok/finns-inte/")
    assert status == 404
    assert body == (out / "404.html").read_bytes()
    assert headers.get("X-Content-Type-Options") == "nosniff"


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads the redirect itself


def _first_answer(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.build_opener(_Stay).open(url, timeout=10) as response:
            return response.status, dict(response.headers.items())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items())


def test_a_wordpress_p_link_is_redirected_by_the_readme_map_and_the_home_page_still_served(served):
    origin, out = served
    status, headers = _first_answer(f"{origin}/aterbesok/?p=701")
    assert (status, headers.get("Location", "").removeprefix(origin)) == (301, "/aterbesok/2017/10/planerat-besok-pa-gotland/")
    for query in ("", "?p=999", "?utm_source=nyhetsbrev"):
        status, headers, body = fetch(f"{origin}/aterbesok/{query}")
        assert status == 200 and body == (out / "index.html").read_bytes(), query
        assert headers.get("X-Content-Type-Options") == "nosniff", "the home page keeps its headers"


def test_an_old_permalink_is_served_its_page_that_leads_on(served):
    origin, _ = served
    status, _, body = fetch(f"{origin}/aterbesok/2017/03/14/aterbesok-i-finspang/")
    assert status == 200
    assert b'<meta http-equiv="refresh" content="0; url=/aterbesok/2017/03/aterbesok-i-finspang/">' in body
