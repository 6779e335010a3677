"""The WSGI receiver: every bad submission gets a clear Swedish 4xx and stores nothing."""

from __future__ import annotations

import http.client
import io
import json
import os
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from sitegen.comments import store
from sitegen.comments.receiver import CommentTarget, create_app_from_env, make_app


class Page(HTMLParser):
    """What a test needs to know about an answer page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str]]] = []
        self.h1 = ""
        self.title = ""
        self._in = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("h1", "title"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = ""

    def handle_data(self, data):
        if self._in == "h1":
            self.h1 += data
        elif self._in == "title":
            self.title += data

    def all(self, tag):
        return [attrs for t, attrs in self.starts if t == tag]


def assert_page(text: str, back: str | None = None) -> Page:
    """A small valid Swedish document without scripts or inline styles."""
    assert text.startswith("<!DOCTYPE html>")
    page = Page(text)
    assert page.all("html") == [{"lang": "sv"}]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all("meta")
    assert page.title.strip() and page.h1.strip()
    assert not page.all("script") and not page.all("style")
    assert all("style" not in attrs and not any(k.startswith("on") for k in attrs) for _, attrs in page.starts)
    links = [a["href"] for a in page.all("a") if not a["href"].startswith("#")]
    if back is not None:
        assert links == [back + "#kommentarer"]
    return page


def assert_nothing_stored(root: Path, h) -> None:
    assert h.stored_files(root) == []


# --- success --------------------------------------------------------------------------------------


def test_valid_submission_is_queued(app, root, h):
    r = h.call(app, fields=h.valid_fields(website="www.eva.example.se"))
    assert r.status == 200
    assert "granskas innan den publiceras" in r.text
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Cache-Control"] == "no-store"
    assert_page(r.text, back=h.TARGETS[h.OPEN_KEY].url)
    (c,) = store.pending(root)
    assert (c.post, c.name, c.email, c.website) == (h.OPEN_KEY, "Eva Ek", "eva.ek@example.se", "https://www.eva.example.se")
    assert c.text == "Tack för ett intressant besök!\n\nVi gör likadant i vår kommun."
    assert c.date == h.FIXED_NOW.replace(microsecond=0) and c.date.utcoffset().total_seconds() == 0
    assert c.id.startswith("20170314T093015123456Z-")
    assert "eva.ek@example.se" not in r.text


def test_limits_are_inclusive_and_crlf_counts_as_one(app, root, h):
    text = ("x" * 98 + "\r\n") * 50  # 99 characters a line once CRLF becomes LF: 4,950
    r = h.call(app, fields=h.valid_fields(name="N" * 100, comment=text + "y" * 50))
    assert r.status == 200, r.text
    (c,) = store.pending(root)
    assert len(c.text) == 5000 and "\r" not in c.text


def test_name_whitespace_is_collapsed_and_non_ascii_kept(app, root, h):
    assert h.call(app, fields=h.valid_fields(name="  Åsa\n\tÖberg  ", comment="Hej 👋")).status == 200
    (c,) = store.pending(root)
    assert c.name == "Åsa Öberg" and c.text == "Hej 👋"


def test_charset_utf8_is_accepted(app, h):
    assert h.call(app, content_type="application/x-www-form-urlencoded; charset=UTF-8").status == 200


# --- bad submissions: status, Swedish message, nothing stored -------------------------------------


@pytest.mark.parametrize(
    "overrides, messages",
    [
        ({"name": ""}, ["Skriv ditt namn."]),
        ({"name": "   "}, ["Skriv ditt namn."]),
        ({"email": ""}, ["Skriv din e-postadress."]),
        ({"comment": ""}, ["Skriv en kommentar."]),
        ({"comment": " \r\n\t "}, ["Skriv en kommentar."]),
        ({"name": "", "email": "", "comment": ""}, ["Skriv ditt namn.", "Skriv din e-postadress.", "Skriv en kommentar."]),
        ({"email": "eva"}, ["E-postadressen ser inte ut att vara giltig"]),
        ({"email": "eva@"}, ["E-postadressen ser inte ut att vara giltig"]),
        ({"email": "eva@example"}, ["E-postadressen ser inte ut att vara giltig"]),
        ({"email": "eva ek@example.se"}, ["E-postadressen ser inte ut att vara giltig"]),
        ({"email": "<eva@example.se>"}, ["E-postadressen ser inte ut att vara giltig"]),
        ({"email": "a@b@example.se"}, ["E-postadressen ser inte ut att vara giltig"]),
        ({"email": "e" * 250 + "@example.se"}, ["E-postadressen får vara högst 254 tecken."]),
        ({"name": "N" * 101}, ["Namnet får vara högst 100 tecken (nu 101)."]),
        ({"comment": "x" * 5001}, ["Kommentaren får vara högst 5\u00a0000 tecken (nu 5\u00a0001)."]),
        ({"website": "javascript:alert(1)"}, ["Webbplatsen måste vara en webbadress"]),
        ({"website": "ftp://example.se/"}, ["Webbplatsen måste vara en webbadress"]),
        ({"website": "https://exa mple.se/"}, ["Webbplatsen måste vara en webbadress"]),
        ({"website": "https://x.se/" + "a" * 300}, ["Webbadressen får vara högst 300 tecken."]),
    ],
)
def test_bad_fields(app, root, h, overrides, messages):
    r = h.call(app, fields=h.valid_fields(**overrides))
    assert r.status == 400
    page = assert_page(r.text, back=h.TARGETS[h.OPEN_KEY].url)
    assert page.h1 == "Kommentaren kunde inte skickas"
    assert page.title.startswith("Fel:")
    for message in messages:
        assert message in r.text
    assert r.text.count("<li>") == len(messages)
    assert_nothing_stored(root, h)


def test_error_page_keeps_what_was_written_and_marks_fields(app, h):
    fields = h.valid_fields(name="", comment='Min långa text med <b>"citat"</b>')
    page = assert_page(h.call(app, fields=fields).text)
    inputs = {a["name"]: a for a in page.all("input")}
    assert inputs["name"]["aria-invalid"] == "true"
    assert inputs["name"]["aria-describedby"] == "kf-namn-fel"
    assert inputs["email"]["value"] == "eva.ek@example.se"
    assert inputs["post"]["value"] == h.OPEN_KEY
    assert "value" not in inputs["hemsida"]  # the honeypot is never echoed back
    assert "Min långa text med &lt;b&gt;&quot;citat&quot;&lt;/b&gt;" in h.call(app, fields=fields).text


def test_honeypot(app, root, h):
    r = h.call(app, fields=h.valid_fields(hemsida="http://spam.example/"))
    assert r.status == 400
    assert "dolt fält" in r.text and "sparades inte" in r.text
    assert_page(r.text)
    assert_nothing_stored(root, h)


def test_honeypot_repeated_field(app, root, h):
    body = urlencode(h.valid_fields()) + "&hemsida=spam"
    assert h.call(app, body=body.encode()).status == 400
    assert_nothing_stored(root, h)


def test_unknown_post(app, root, h):
    r = h.call(app, fields=h.valid_fields(post="finns-inte", **{"return": "/aterbesok/2017/03/x/"}))
    assert r.status == 404
    assert "Inlägget finns inte" in r.text
    assert_page(r.text, back="/aterbesok/2017/03/x/")
    assert_nothing_stored(root, h)


@pytest.mark.parametrize("back", ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/x\"><script>", ""])
def test_return_must_be_a_same_site_path(app, h, back):
    r = h.call(app, fields=h.valid_fields(post="finns-inte", **{"return": back}))
    assert r.status == 404
    page = assert_page(r.text)
    assert [a for a in page.all("a")] == []


def test_missing_post_field(app, root, h):
    fields = h.valid_fields()
    del fields["post"]
    assert h.call(app, fields=fields).status == 404
    assert_nothing_stored(root, h)


def test_comments_closed(app, root, h):
    r = h.call(app, fields=h.valid_fields(post=h.CLOSED_KEY))
    assert r.status == 403
    assert "Kommentarerna är stängda" in r.text
    assert_page(r.text, back=h.TARGETS[h.CLOSED_KEY].url)
    assert_nothing_stored(root, h)


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
def test_wrong_method(app, root, h, method):
    r = h.call(app, method=method)
    assert r.status == 405
    assert r.headers["Allow"] == "POST"
    assert "Metoden stöds inte" in r.text
    assert_nothing_stored(root, h)


@pytest.mark.parametrize(
    "content_type",
    ["", "text/plain", "application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=iso-8859-1"],
)
def test_wrong_content_type(app, root, h, content_type):
    r = h.call(app, content_type=content_type)
    assert r.status == 415
    assert "Formatet stöds inte" in r.text
    assert_page(r.text)
    assert_nothing_stored(root, h)


class Untouchable(io.RawIOBase):
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")


def test_too_large_is_refused_before_reading(app, root, h):
    r = h.call(app, length=str(64 * 1024 + 1), stream=Untouchable())
    assert r.status == 413
    assert "Kommentaren är för stor" in r.text and "64 KiB" in r.text
    assert_nothing_stored(root, h)


def test_exactly_64_kib_is_read(app, root, h):
    body = urlencode(h.valid_fields()).encode()
    body += b"&pad=" + b"x" * (64 * 1024 - len(body) - 5)
    assert len(body) == 64 * 1024
    assert h.call(app, body=body).status == 200


@pytest.mark.parametrize("length, status, message", [
    (None, 411, "saknar längduppgift"),
    ("", 411, "saknar längduppgift"),
    ("abc", 400, "ogiltig längduppgift"),
    ("-1", 400, "ogiltig längduppgift"),
    ("1e3", 400, "ogiltig längduppgift"),
])
def test_missing_or_invalid_length(app, root, h, length, status, message):
    r = h.call(app, length=length, stream=Untouchable())
    assert r.status == status
    assert message in r.text
    assert_nothing_stored(root, h)


def test_body_shorter_than_length(app, root, h):
    body = urlencode(h.valid_fields()).encode()
    r = h.call(app, body=body, length=str(len(body) + 100))
    assert r.status == 400 and "Förbindelsen bröts" in r.text
    assert_nothing_stored(root, h)


@pytest.mark.parametrize("body", [
    urlencode({"post": "2017-03-14-finspang", "name": "Eva", "email": "e@example.se"}).encode() + b"&comment=%FF%FE",
    b"post=2017-03-14-finspang&name=Eva&email=e%40example.se&comment=\xc3\x28",
    b"post=2017-03-14-finspang&name=%C3&email=e%40example.se&comment=hej",
])
def test_invalid_utf8(app, root, h, body):
    r = h.call(app, body=body)
    assert r.status == 400
    assert "inte är giltig UTF-8" in r.text
    assert_nothing_stored(root, h)


def test_too_many_fields(app, root, h):
    body = urlencode(h.valid_fields()) + "".join(f"&f{i}=x" for i in range(60))
    r = h.call(app, body=body.encode())
    assert r.status == 400 and "för många fält" in r.text
    assert_nothing_stored(root, h)


# --- rate limit -------------------------------------------------------------------------------------


def test_rate_limit_per_address(app, root, h, clock):
    for i in range(5):
        assert h.call(app, addr="198.51.100.7", fields=h.valid_fields(comment=f"nr {i}")).status == 200
    r = h.call(app, addr="198.51.100.7")
    assert r.status == 429
    assert "För många kommentarer" in r.text
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert len(store.pending(root)) == 5
    assert h.call(app, addr="198.51.100.8").status == 200  # other addresses are not affected
    clock.t += 61
    assert h.call(app, addr="198.51.100.7").status == 200


def test_rate_limit_is_configurable(root, h, clock):
    app = make_app(root, lambda: h.TARGETS, rate_limit_per_minute=2, clock=clock)
    assert [h.call(app).status for _ in range(3)] == [200, 200, 429]
    with pytest.raises(ValueError):
        make_app(root, lambda: h.TARGETS, rate_limit_per_minute=0)


def test_rate_limited_burst_stores_nothing_more(app, root, h):
    statuses = [h.call(app, fields=h.valid_fields(comment=f"nr {i}")).status for i in range(12)]
    assert statuses == [200] * 5 + [429] * 7
    assert sorted(c.text for c in store.pending(root)) == [f"nr {i}" for i in range(5)]


# --- robustness -------------------------------------------------------------------------------------


def test_concurrent_submissions_are_all_stored(root, h):
    # The same instant for all: ids must still differ, files must never collide.
    app = make_app(root, lambda: h.TARGETS, rate_limit_per_minute=1000, now=lambda: h.FIXED_NOW)
    n = 200
    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def submit(i: int) -> None:
        barrier.wait()
        statuses.append(h.call(app, fields=h.valid_fields(name=f"Skribent {i}", comment=f"Kommentar nummer {i}")).status)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * n
    comments = store.pending(root)
    assert len({c.id for c in comments}) == n
    assert sorted(c.text for c in comments) == sorted(f"Kommentar nummer {i}" for i in range(n))
    assert all(c.name == f"Skribent {c.text.rsplit(' ', 1)[1]}" for c in comments)  # nothing merged
    assert len(h.stored_files(root)) == n  # no temporary files left behind


def test_storage_failure_is_a_500_page(tmp_path, h):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app = make_app(blocked, lambda: h.TARGETS)
    r = h.call(app)
    assert r.status == 500 and "kunde inte sparas" in r.text
    assert_page(r.text)


def test_over_http_with_a_real_server(root, h):
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, make_app(root, lambda: h.TARGETS), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        body = urlencode(h.valid_fields()).encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", "/kommentar/", body, {"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        assert r.status == 200 and "granskas innan den publiceras" in r.read().decode()
        conn.close()
        # A huge declared body is refused from the header alone; the client never sends it.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.putrequest("POST", "/kommentar/")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(10 * 1024 * 1024))
        conn.endheaders()
        r = conn.getresponse()
        assert r.status == 413
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
    assert len(store.pending(root)) == 1


def test_receiver_never_imports_the_renderer():
    code = (
        "import sys, sitegen.comments.receiver, sitegen.comments.moderate\n"
        "bad = [m for m in sys.modules if m == 'jinja2' or m.startswith('jinja2.') or m in "
        "('sitegen.render.environment', 'sitegen.pipeline', 'markdown_it')]\n"
        "assert not bad, bad"
    )
    repo = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)})


def test_create_app_from_env(tmp_path, monkeypatch, h):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({h.OPEN_KEY: {"url": "/a/", "open": True}}), encoding="utf-8")
    monkeypatch.setenv("SITEGEN_COMMENTS_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("SITEGEN_TARGETS", str(targets))
    monkeypatch.setenv("SITEGEN_RATE_LIMIT_PER_MINUTE", "50")
    app = create_app_from_env()
    assert h.call(app).status == 200
    assert h.call(app, fields=h.valid_fields(post="ny-post")).status == 404
    targets.write_text(json.dumps({h.OPEN_KEY: {"url": "/a/", "open": False}, "ny-post": {"url": "/b/", "open": True}}) + " ")
    assert h.call(app, fields=h.valid_fields(post="ny-post")).status == 200  # re-read without a restart
    assert h.call(app).status == 403
    assert len(store.pending(tmp_path / "c")) == 2


def test_create_app_from_env_needs_its_variables(monkeypatch):
    monkeypatch.delenv("SITEGEN_COMMENTS_DIR", raising=False)
    monkeypatch.delenv("SITEGEN_TARGETS", raising=False)
    with pytest.raises(RuntimeError, match="SITEGEN_COMMENTS_DIR"):
        create_app_from_env()


def test_targets_mapping_is_consulted_per_request(root, h):
    current = {"p": CommentTarget("/p/", True)}
    app = make_app(root, lambda: current)
    assert h.call(app, fields=h.valid_fields(post="p")).status == 200
    current["p"] = CommentTarget("/p/", False)
    assert h.call(app, fields=h.valid_fields(post="p")).status == 403


def test_quoted_unicode_post_key(root, h):
    app = make_app(root, lambda: {"besök-i-åre": CommentTarget("/besok-i-are/", True)})
    body = urlencode(h.valid_fields(post="besök-i-åre")).encode()
    assert quote("ö") in body.decode()
    assert h.call(app, body=body).status == 200
    assert store.pending(root)[0].post == "besök-i-åre"


def test_unexpected_errors_are_a_500_page(root, h):
    def broken():
        raise RuntimeError("boom")

    r = h.call(make_app(root, broken))
    assert r.status == 500 and "Något gick fel" in r.text and "boom" not in r.text
    assert_page(r.text)
    assert_nothing_stored(root, h)


def test_targets_file_caught_mid_rewrite_keeps_the_last_good_list(tmp_path, monkeypatch, h):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({h.OPEN_KEY: {"url": "/a/", "open": True}}), encoding="utf-8")
    monkeypatch.setenv("SITEGEN_COMMENTS_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("SITEGEN_TARGETS", str(targets))
    app = create_app_from_env()
    targets.write_text('{"half', encoding="utf-8")
    assert h.call(app).status == 200
