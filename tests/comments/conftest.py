"""Fixtures for the comment tests: a comments folder, post targets and a WSGI caller."""

from __future__ import annotations

import io
import types
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest

from sitegen.comments.receiver import CommentTarget, make_app

OPEN_KEY = "2017-03-14-finspang"
CLOSED_KEY = "besok-i-lycksele"
TARGETS = {
    OPEN_KEY: CommentTarget(url="/aterbesok/2017/03/aterbesok-i-finspang/", open=True),
    CLOSED_KEY: CommentTarget(url="/aterbesok/2018/05/besok-i-lycksele/", open=False),
}
FIXED_NOW = datetime(2017, 3, 14, 9, 30, 15, 123456, tzinfo=UTC)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


class FakeClock:
    """A monotonic clock the test moves by hand, so rate-limit tests never sleep."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def valid_fields(**overrides: str) -> dict[str, str]:
    fields = {
        "post": OPEN_KEY,
        "return": TARGETS[OPEN_KEY].url,
        "name": "Eva Ek",
        "email": "eva.ek@example.se",
        "website": "",
        "comment": "Tack för ett intressant besök!\n\nVi gör likadant i vår kommun.",
        "hemsida": "",
    }
    fields.update(overrides)
    return fields


def call(app, method="POST", fields=None, body=None, content_type="application/x-www-form-urlencoded",
         length="auto", addr="192.0.2.10", stream=None) -> Response:
    """Run one request through a WSGI app without a server."""
    if body is None:
        body = urlencode(valid_fields() if fields is None else fields).encode("ascii")
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD=method, REMOTE_ADDR=addr, CONTENT_TYPE=content_type)
    environ["wsgi.input"] = stream if stream is not None else io.BytesIO(body)
    environ["wsgi.errors"] = io.StringIO()
    if length == "auto":
        environ["CONTENT_LENGTH"] = str(len(body))
    elif length is not None:
        environ["CONTENT_LENGTH"] = length
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    data = b"".join(app(environ, start_response))
    headers = dict(seen["headers"])
    assert int(headers["Content-Length"]) == len(data)
    return Response(int(seen["status"].split()[0]), headers, data.decode("utf-8"))


def stored_files(root: Path) -> list[Path]:
    """Every file under the comments folder, temporary ones included."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "comments"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(root: Path, clock: FakeClock):
    return make_app(root, lambda: TARGETS, clock=clock, now=lambda: FIXED_NOW)


@pytest.fixture
def h():
    """The helpers above, as a fixture: test modules cannot import conftest reliably."""
    return types.SimpleNamespace(
        call=call, valid_fields=valid_fields, stored_files=stored_files, Response=Response,
        OPEN_KEY=OPEN_KEY, CLOSED_KEY=CLOSED_KEY, TARGETS=TARGETS, FIXED_NOW=FIXED_NOW,
    )
