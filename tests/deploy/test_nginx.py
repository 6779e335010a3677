"""The README's nginx configuration, served by a real nginx on 127.0.0.1: headers, links, assets and the 404 page.

The site is the bundled sample, built for https://example.org/aterbesok/ and copied where the
README says. nginx is Debian's (``scripts/test`` installs it without starting its service); the
test writes its own nginx.conf around the README's two blocks, starts nginx in the foreground,
and stops it when done.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sitetools import REPO, build, copy_sample_site

from sitegen.render.environment import content_security_policy
from sitegen.render.headers import IMMUTABLE, page_headers

BASE = "https://example.org/aterbesok/"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def readme_blocks() -> tuple[str, str]:
    """The README's two nginx blocks: the headers snippet and the location block."""
    blocks = re.findall(r"```nginx\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    (snippet,) = [b for b in blocks if b.startswith("# /etc/nginx/snippets/aterbesok-headers.conf")]
    (location,) = [b for b in blocks if "location /aterbesok/ {" in b]
    return snippet, location


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    """(origin, output folder) of the sample site behind nginx, as the README configures it."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run ./scripts/test, which installs Debian's nginx")
    tmp = tmp_path_factory.mktemp("nginx")
    copy_sample_site(tmp / "site")
    out = build(tmp / "site", tmp / "out", "--base-url", BASE)
    www = tmp / "www"
    shutil.copytree(out, www / "aterbesok")
    snippet, location = readme_blocks()
    (tmp / "headers.conf").write_text(snippet, encoding="utf-8")
    location = location.replace("root /srv/www;", f"root {www};").replace("/etc/nginx/snippets/aterbesok-headers.conf", str(tmp / "headers.conf"))
    port = _free_port()
    temp = "\n".join(f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(f"""
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
{location}
    }}
}}
""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], capture_output=True, text=True, timeout=30, check=False)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")], stderr=subprocess.PIPE, text=True)
    origin = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # up to 10 s for nginx to listen
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else "nginx exited"
                time.sleep(0.1)
        else:
            pytest.fail("nginx did not start listening in 10 s")
        yield origin, out
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": "sitegen-test"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


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
