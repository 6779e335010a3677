"""Shared by the deploy tests: the README's blocks, a real nginx started and stopped by the test, HTTP fetches.

nginx is Debian's (``scripts/test`` installs it without starting its service). Each test writes
its own nginx.conf around the README's blocks, runs nginx in the foreground on 127.0.0.1 and
stops it when done; every wait is bounded.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitetools import REPO

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def readme_block(language: str, marker: str) -> str:
    """The one ```language block of README.md that contains ``marker``."""
    blocks = re.findall(rf"```{language}\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    (block,) = [b for b in blocks if marker in b]
    return block


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    """Until something listens on ``port`` (10 s at most); fail if ``process`` ends first."""
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{what} exited: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.1)
    pytest.fail(f"{what} did not listen on port {port} in 10 s")


@contextmanager
def running(cmd: list[str], port: int, what: str, **kw) -> Iterator[subprocess.Popen]:
    """A server process that the block uses and that is stopped after it, whatever happens."""
    process = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, **kw)
    try:
        wait_for_port(port, process, what)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def nginx(tmp: Path, server: str, http: str = "") -> Iterator[str]:
    """nginx on 127.0.0.1 with ``server`` as the body of its server block (and ``http`` in its http block); yields its origin."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run ./scripts/test, which installs Debian's nginx")
    port = free_port()
    temp = "\n".join(f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    access_log off;
{temp}
{http}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
{server}
    }}
}}
""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True, timeout=30, check=False)
    assert check.returncode == 0, check.stderr
    with running([NGINX, "-p", str(tmp), "-c", str(conf)], port, "nginx"):
        yield f"http://127.0.0.1:{port}"


def site_location(tmp: Path, www: Path) -> str:
    """The README's headers snippet and site location block, pointed at ``www`` and a copy of the snippet."""
    snippet = readme_block("nginx", "# /etc/nginx/snippets/aterbesok-headers.conf")
    (tmp / "headers.conf").write_text(snippet, encoding="utf-8")
    location = readme_block("nginx", "location /aterbesok/ {")
    return location.replace("root /srv/www;", f"root {www};").replace("/etc/nginx/snippets/aterbesok-headers.conf", str(tmp / "headers.conf"))


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request; error statuses are answers too."""
    request = urllib.request.Request(url, data=data, headers={"User-Agent": "sitegen-test", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()
