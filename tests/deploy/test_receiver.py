"""The comment receiver in production as the README runs it: waitress behind a real nginx, a form posted through both.

The form is the one on a built post page, filled in as a reader would; the comment must land in
the pending queue. The waitress command and the nginx block are read from README.md.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from sitetools import build, copy_sample_site

from sitegen.comments import form, store

from .conftest import fetch, free_port, nginx, readme_block, running, site_location

BASE = "https://example.org/aterbesok/"


class _Form(HTMLParser):
    """The comment form's action and fields, as the page has them."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "kommentarsformular":
            self.action = a["action"] or ""
        elif tag in ("input", "textarea") and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""


def _waitress_command(port: int, comments: Path, targets: Path) -> tuple[list[str], dict[str, str]]:
    """The README's waitress command, with this test's port and folders."""
    block = readme_block("sh", "waitress-serve").replace("\\\n", " ")
    words = shlex.split(block.replace("/srv/aterbesok/comments", str(comments)).replace("/srv/www/aterbesok/kommentarer.json", str(targets)))
    env = dict(w.split("=", 1) for w in words if "=" in w and not w.startswith("-"))
    cmd = [w for w in words if w not in {f"{k}={v}" for k, v in env.items()}]
    assert cmd[0] == "waitress-serve" and "127.0.0.1:8081" in cmd
    assert cmd[cmd.index("--max-request-body-size") + 1] == str(form.MAX_BODY)  # waitress holds no more than the receiver reads
    cmd = [str(Path(sys.executable).with_name("waitress-serve")), *(w.replace("127.0.0.1:8081", f"127.0.0.1:{port}") for w in cmd[1:])]
    return cmd, env


def test_a_comment_posted_through_nginx_to_waitress_lands_in_the_pending_queue(tmp_path):
    copy_sample_site(tmp_path / "site")
    out = build(tmp_path / "site", tmp_path / "out", "--base-url", BASE)
    www = tmp_path / "www"
    shutil.copytree(out, www / "aterbesok")
    comments = tmp_path / "site" / "comments"
    port = free_port()
    cmd, env = _waitress_command(port, comments, www / "aterbesok" / "kommentarer.json")
    proxy = readme_block("nginx", "location = /aterbesok/kommentar/ {").replace("127.0.0.1:8081", f"127.0.0.1:{port}")
    before = {c.id for c in store.pending(comments)}
    with running(cmd, port, "waitress", env={**os.environ, **env}), nginx(tmp_path, site_location(tmp_path, www) + proxy) as origin:
        page = next(p for p in sorted(out.glob("[0-9]*/[0-9]*/*/index.html")) if 'id="kommentarsformular"' in p.read_text(encoding="utf-8"))
        form = _Form()
        form.feed(page.read_text(encoding="utf-8"))
        assert form.action == "/aterbesok/kommentar/", "a path endpoint follows the site to its sub-path"
        fields = {**form.fields, "name": "Eva Ek", "email": "eva@example.se", "comment": "Tack för ett intressant besök!"}
        status, _, body = fetch(origin + form.action, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, body[:500]
    assert "granskas" in body.decode("utf-8")
    (new,) = [c for c in store.pending(comments) if c.id not in before]
    assert (new.post, new.name, new.text) == (fields["post"], "Eva Ek", "Tack för ett intressant besök!")
    assert re.fullmatch(r"[0-9A-Za-z_-]+", new.id)
