"""Helpers for the core test suite: small sites in temporary folders, the CLI run in-process.

Import them as ``from sitetools import make_site, run_cli`` (tests/ is on sys.path through
tests/conftest.py, which also offers them as the session fixture ``sg``).
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import shutil
import traceback
import xml.parsers.expat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

REPO = Path(__file__).resolve().parents[1]
SUB_PATH_URL = "https://example.org/aterbesok/"


def _deep_merge(base: dict, overrides: Mapping) -> dict:
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))


def make_site(
    tmp_path: Path,
    posts: Mapping[str, str | bytes],
    config_overrides: Mapping[str, Any] | None = None,
    *,
    pages: Mapping[str, str | bytes] | None = None,
    files: Mapping[str, str | bytes] | None = None,
    config_text: str | bytes | None = None,
    name: str = "site",
) -> Path:
    """A site folder under ``tmp_path`` with the repo's templates, static files and config.yaml.

    ``posts`` maps a name under posts/ ('a.md' or 'a/index.md') to its text or bytes; ``pages`` the
    same under pages/; ``files`` any other file under the root. ``config_overrides`` are merged into
    the repo's config.yaml (the file is copied byte for byte when there are none); ``config_text``
    replaces it entirely.
    """
    root = tmp_path / name
    root.mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    if (REPO / "static").is_dir():
        shutil.copytree(REPO / "static", root / "static")
    if config_text is not None:
        _write(root / "config.yaml", config_text)
    elif config_overrides:
        data = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
        data = _deep_merge(data, config_overrides)
        _write(root / "config.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    else:
        shutil.copyfile(REPO / "config.yaml", root / "config.yaml")
    (root / "posts").mkdir()
    for rel, content in posts.items():
        _write(root / "posts" / rel, content)
    for rel, content in (pages or {}).items():
        _write(root / "pages" / rel, content)
    for rel, content in (files or {}).items():
        _write(root / rel, content)
    return root


def copy_sample_site(root: Path) -> None:
    """The repository's own site (posts, pages, comments, config, templates, static) in ``root``."""
    for name in ("posts", "pages", "comments", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("pending", "rejected"))
    shutil.copyfile(REPO / "config.yaml", root / "config.yaml")


def post_text(
    title: str = "Ett besök",
    date: str = "2017-03-14",
    body: str = "Vi träffade socialtjänsten och skolan.\n",
    **front: Any,
) -> str:
    """A post as a writer would type it: '---', YAML front matter in the given order, '---', body."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    for key, value in front.items():
        if isinstance(value, (list, tuple)):
            value = "[" + ", ".join(str(v) for v in value) + "]"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def run_cli(args: Sequence[str], cwd: Path) -> tuple[int, str, str]:
    """Run ``sitegen.cli.main(args)`` in ``cwd`` with captured output: (exit code, stdout, stderr).

    An exception escaping ``main`` is returned as exit code 99 with its traceback in stderr, so the
    "never a traceback" assertions fail with the trace in the message.
    """
    from sitegen import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except Exception:  # noqa: BLE001 - reported, so tests see the trace
            traceback.print_exc(file=err)
            code = 99
    if code == 0 and args and args[0] == "build":
        assert_xml_well_formed(_output_of(list(args), cwd))
    return code, out.getvalue(), err.getvalue()


def _output_of(args: list[str], cwd: Path) -> Path:
    """The folder ``build ARGS`` run in ``cwd`` writes to."""
    def option(name: str) -> str | None:
        return args[args.index(name) + 1] if name in args else None

    root = cwd / (option("--root") or ".")
    return root / (option("--output") or "_site")


def assert_xml_well_formed(folder: Path) -> None:
    """Every XML file of a built site (feeds, sitemap) parses with a strict parser: one bad character makes a feed unreadable."""
    for path in sorted(folder.rglob("*.xml")):
        parser = xml.parsers.expat.ParserCreate()
        try:
            parser.Parse(path.read_bytes(), True)
        except xml.parsers.expat.ExpatError as exc:
            raise AssertionError(f"{path.relative_to(folder)} is not well-formed XML: {exc}") from None


def build(root: Path, output: Path, *extra: str) -> Path:
    """``build --output OUTPUT`` in ``root``; fail the test with stderr unless it succeeds."""
    code, _, err = run_cli(["build", "--output", str(output), *extra], root)
    assert code == 0, err
    return output


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (its relative POSIX path) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stat_tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time in nanoseconds."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def html_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


@dataclass
class ScannedHtml:
    """What a page contains that the tests look at."""

    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    scripts: list[dict[str, str | None]] = field(default_factory=list)  # attributes of each <script>
    script_bodies: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)  # tags with style=
    style_elements: int = 0
    event_handlers: list[str] = field(default_factory=list)  # on*= attributes
    meta: list[dict[str, str | None]] = field(default_factory=list)
    html_lang: str | None = None
    anchors: list[tuple[dict[str, str | None], str]] = field(default_factory=list)  # (attrs, text) of <a>
    text: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = ScannedHtml()
        self._in_script = False
        self._anchor: tuple[dict, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        r = self.result
        if "id" in a and a["id"] is not None:
            r.ids.append(a["id"])
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "action") or (name == "data-bundle"):
                r.links.append((tag, name, value))
            if name.startswith("on"):
                r.event_handlers.append(f"<{tag} {name}>")
        if "style" in a:
            r.style_attributes.append(tag)
        if tag == "script":
            r.scripts.append(a)
            self._in_script = True
            r.script_bodies.append("")
        elif tag == "style":
            r.style_elements += 1
        elif tag == "meta":
            r.meta.append(a)
        elif tag == "html":
            r.html_lang = a.get("lang")
        elif tag == "a":
            self._anchor = (a, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        elif tag == "a" and self._anchor is not None:
            attrs, text = self._anchor
            self.result.anchors.append((attrs, " ".join("".join(text).split())))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.result.script_bodies[-1] += data
        if self._anchor is not None:
            self._anchor[1].append(data)
        self.result.text.append(data)


def scan_html(html: str | bytes) -> ScannedHtml:
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    s = _Scanner()
    s.feed(html)
    s.close()
    return s.result


def page_text(html: str | bytes) -> str:
    """The visible text of a page with whitespace collapsed."""
    return " ".join(" ".join(scan_html(html).text).split())


def main_html(html: str | bytes) -> str:
    """The <main> element of a page (what is on it beside the header, navigation and footer)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    start = html.index("<main")
    return html[start : html.index("</main>", start) + len("</main>")]


def main_text(html: str | bytes) -> str:
    return page_text(main_html(html))


def hrefs(html: str | bytes) -> list[str]:
    """Targets of every <a href> in order."""
    return [a.get("href") or "" for a, _ in scan_html(html).anchors]


class _Outline(HTMLParser):
    """(tag, text) of headings and list items in document order."""

    TAGS = ("h1", "h2", "h3", "li")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        if tag in self.TAGS and self._open and self._open[-1][0] == tag:
            name, text = self._open.pop()
            self.items.append((name, " ".join("".join(text).split())))

    def handle_data(self, data):
        for _, text in self._open:
            text.append(data)


def outline(html: str | bytes) -> list[tuple[str, str]]:
    """Headings and list items of a page's <main>, in order, with their text."""
    p = _Outline()
    p.feed(main_html(html))
    p.close()
    return p.items


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html: str | bytes) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag with its attributes, in order."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    p = _Tags()
    p.feed(html)
    p.close()
    return p.found


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def preview_cache(root: Path) -> Path:
    """The user cache folder ``serving`` gives serve, beside the project: a test's previews stay in its own tmp_path."""
    return root.parent / f"{root.name}-user-cache"


def preview(root: Path) -> Path:
    """Where serve, started by ``serving``, builds its preview of ``root``."""
    from sitegen.serve.server import preview_folder

    with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": str(preview_cache(root))}):
        return preview_folder(root)


@contextlib.contextmanager
def serving(root: Path, *args: str, path: str = "/"):
    """``build.py serve`` on a free port in ``root``; yields (base URL, process) once it answers."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(preview_cache(root))},
    )
    base = f"http://127.0.0.1:{port}{path}"
    try:
        end = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read()) from None
                if time.monotonic() > end:
                    raise AssertionError("serve did not answer within 60 s") from None
                time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
