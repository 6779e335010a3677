"""`serve`: drafts shown, reload script only in served pages, rebuild on change, errors in the tab, comments accepted."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from sitetools import post_text, preview, run_cli, serving


class Events:
    """Reads the server's event stream in a thread and keeps every event."""

    def __init__(self, url: str):
        self.events: list[tuple[str, str]] = []
        self.response = urllib.request.urlopen(url, timeout=30)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        kind = None
        for raw in self.response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: ") and kind:
                self.events.append((kind, json.loads(line[6:])))
                kind = None

    def wait_for(self, kind: str, count: int, timeout: float = 30) -> list[tuple[str, str]]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            matching = [e for e in self.events if e[0] == kind]
            if len(matching) >= count:
                return matching
            time.sleep(0.1)
        raise AssertionError(f"no {count}x '{kind}' event; got {self.events}")


@pytest.fixture
def server(make_site):
    root = make_site(
        {
            "a.md": post_text(title="Första besöket", municipality="Umeå"),
            "utkast.md": post_text(title="Ett utkast", date="2018-01-01", municipality="Borås", draft=True),
        }
    )
    with serving(root, "--base-url", "https://example.org/aterbesok/", path="/aterbesok/") as (base, proc):
        yield root, base, proc


def _get(url: str) -> str:
    return urllib.request.urlopen(url, timeout=10).read().decode()


def test_serve_live_reload_errors_and_recovery(server):
    root, base, proc = server
    home = _get(base)
    assert "Ett utkast" in home  # drafts are previewed
    assert "_sitegen/reload.js" in home
    built = (preview(root) / "index.html").read_text(encoding="utf-8")
    assert "reload.js" not in built  # injected while serving, never written
    assert not (root / "_site").exists()  # serve never touches the deploy folder

    events = Events(base + "_sitegen/events")
    post = root / "posts" / "a.md"
    post.write_text(post_text(title="Första besöket", municipality="Umeå", body="Helt ny text om skolan.\n"), encoding="utf-8")
    events.wait_for("reload", 1)
    assert "Helt ny text om skolan." in _get(base + "2017/03/forsta-besoket/")

    post.write_text(post_text(title="Första besöket", municipality="Borrås"), encoding="utf-8")
    (_kind, data), = events.wait_for("failed", 1)
    assert "posts/a.md:4: okänd kommun 'Borrås'; menade du 'Borås'" in data
    assert "Helt ny text om skolan." in _get(base + "2017/03/forsta-besoket/")  # last good build still served
    (_kind, data), = Events(base + "_sitegen/events").wait_for("failed", 1)  # a tab opened now is told at once
    assert "posts/a.md:4: okänd kommun 'Borrås'" in data

    post.write_text(post_text(title="Första besöket", municipality="Umeå", body="[Malmö](/kommun/malmo/)\n"), encoding="utf-8")
    (_kind, data), = events.wait_for("failed", 2)[1:]  # a broken link is a broken build, in the tab too
    assert "posts/a.md:7: trasig länk '/kommun/malmo/'" in data

    post.write_text(post_text(title="Första besöket", municipality="Umeå", body="Lagat.\n"), encoding="utf-8")
    events.wait_for("reload", 2)
    assert "Lagat." in _get(base + "2017/03/forsta-besoket/")

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    err = proc.stderr.read()
    assert "Traceback" not in err
    assert "posts/a.md:4: okänd kommun 'Borrås'" in err
    assert "det senaste fungerande bygget visas fortfarande; rätta filen och spara för att bygga igen" in err


def test_serve_accepts_a_comment_into_the_pending_queue(server):
    root, base, _ = server
    page = _get(base + "2017/03/forsta-besoket/")
    assert 'action="/aterbesok/_sitegen/kommentar"' in page
    form = urlencode(
        {"post": "a", "return": "/aterbesok/2017/03/forsta-besoket/", "name": "Anna", "email": "anna@example.org",
         "website": "", "comment": "Tack för texten!", "hemsida": ""}
    ).encode()
    answer = urllib.request.urlopen(urllib.request.Request(base + "_sitegen/kommentar", data=form), timeout=10)
    assert answer.status == 200
    assert "granskas innan den publiceras" in answer.read().decode()
    (pending,) = (root / "comments" / "pending").glob("*.yaml")
    assert "Tack för texten!" in pending.read_text(encoding="utf-8")
    assert "Tack för texten!" not in _get(base + "2017/03/forsta-besoket/")  # pending never shows

    from sitegen.comments import store

    events = Events(base + "_sitegen/events")
    store.approve(root / "comments", [pending.stem])  # comments/ did not exist when serve started
    events.wait_for("reload", 1)
    assert "Tack för texten!" in _get(base + "2017/03/forsta-besoket/")


def test_watch_filter_sees_content_folders_even_new_ones_but_not_output(tmp_path):
    from watchfiles import Change

    from sitegen.serve.server import watched

    accept = watched(tmp_path, tmp_path / "comments")
    assert accept(Change.modified, str(tmp_path / "posts" / "a.md"))
    assert accept(Change.added, str(tmp_path / "comments" / "a" / "x.yaml"))  # comments/ made while serving
    assert accept(Change.modified, str(tmp_path / "config.yaml"))
    assert accept(Change.modified, str(tmp_path / "templates" / "base.html"))
    assert not accept(Change.modified, str(tmp_path / "_site" / "index.html"))
    assert not accept(Change.modified, str(tmp_path / ".sitegen-cache" / "serve" / "index.html"))
    assert not accept(Change.modified, str(tmp_path / "config.yaml.swp"))


def test_serve_previews_as_published_with_no_drafts_and_refuses_the_old_drafts_flag(tmp_path):
    from sitegen import cli

    assert cli.parser().parse_args(["serve", "--no-drafts"]).no_drafts is True
    assert cli.parser().parse_args(["serve"]).no_drafts is False
    code, _, _ = run_cli(["serve", "--drafts"], tmp_path)  # it used to be accepted and do nothing
    assert code == 2


def _raw(base: str, path: str, host: str | None = None) -> tuple[int, str]:
    """One GET with the path sent exactly as given (urllib would tidy it), and another Host if given."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_serve_answers_404_outside_the_site_400_for_malformed_paths_and_only_to_its_own_address(server):
    root, base, _ = server
    (preview(root) / "ut").symlink_to("/etc")  # a link in the output that leads out of it
    for path in ("/aterbesok/../../../../etc/passwd", "/aterbesok/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/aterbesok/ut/passwd",
                 "/aterbesok/..%2f..%2f..%2f..%2fetc%2fpasswd", "/etc/passwd"):
        status, body = _raw(base, path)
        assert status == 404, path
        assert "root:" not in body
    for path in ("/aterbesok/%00", "/aterbesok/a%0d%0aSet-Cookie:%20x=1", "/aterbesok/%ff%fe", "/aterbesok/%1b[2J"):
        assert _raw(base, path)[0] == 400, path
    port = base.split(":")[2].split("/")[0]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1", f"127.0.0.1.nip.io:{port}"):
        status, body = _raw(base, "/aterbesok/", host=host)
        assert status == 400 and "Första besöket" not in body, host
    assert _raw(base, "/aterbesok/", host=f"localhost:{port}")[0] == 200
    assert _raw(base, "/aterbesok/", host=f"127.0.0.1:{port}")[0] == 200
    assert _raw(base, "/aterbesok/s%C3%B6k-inte-h%C3%A4r")[0] == 404


def test_serve_started_again_serves_the_last_build_at_once_and_brings_it_up_to_date(make_site):
    root = make_site({"a.md": post_text(title="Första besöket", municipality="Umeå", body="Den gamla texten.\n")})
    with serving(root) as (base, proc):
        assert "Den gamla texten." in _get(base + "2017/03/forsta-besoket/")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    post = root / "posts" / "a.md"
    post.write_text(post_text(title="Första besöket", municipality="Umeå", body="Den nya texten.\n"), encoding="utf-8")
    with serving(root) as (base, proc):
        end = time.monotonic() + 30
        while "Den nya texten." not in _get(base + "2017/03/forsta-besoket/"):  # the build beside it brings the edit
            assert time.monotonic() < end, "the edit made while serve was stopped never showed"
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
        err = proc.stderr.read()
    assert "den senaste byggda webbplatsen visas direkt" in err
    assert "Traceback" not in err


def test_serve_reloads_the_tabs_before_the_search_index_catches_up_and_says_so_meanwhile(server):
    root, base, _ = server
    events = Events(base + "_sitegen/events")
    post = root / "posts" / "a.md"
    post.write_text(post_text(title="Första besöket", municipality="Umeå", body="Ett ord som heter sjöjungfru.\n"), encoding="utf-8")
    events.wait_for("reload", 1)
    (caught_up,) = events.wait_for("caught-up", 1)  # the index, made after the pages, follows
    kinds = [kind for kind, _ in events.events]
    assert kinds.index("reload") < kinds.index("caught-up")
    assert caught_up[1] == {"search": True, "pages": []}
    assert "Sökningen uppdateras" not in _get(base + "sok/")  # caught up: the notice is gone
    assert "Ett ord som heter sjöjungfru." in _get(base + "2017/03/forsta-besoket/")


def test_a_tab_gets_the_events_that_came_while_its_page_loaded(server):
    root, base, _ = server

    def served() -> int:  # the build the page was served after, as the page says
        return int(re.search(r'data-generation="(\d+)"', _get(base)).group(1))

    events = Events(base + "_sitegen/events")
    post = root / "posts" / "a.md"
    post.write_text(post_text(title="Första besöket", municipality="Umeå", body="Ändrad.\n"), encoding="utf-8")
    events.wait_for("caught-up", 1)
    kinds = [kind for kind, _ in events.events]
    assert kinds[0] == "reload" and kinds.index("caught-up") == 1
    now = served()  # the last two events were the edit's reload and its catch-up, however many saves the watcher saw
    # a tab served before both reloads; one served between them is told what caught up; one served after hears nothing
    assert Events(base + f"_sitegen/events?since={now - 2}").wait_for("reload", 1) == [("reload", "")]
    caught_up = Events(base + f"_sitegen/events?since={now - 1}").wait_for("caught-up", 1)
    assert caught_up == [("caught-up", {"search": True, "pages": []})]
    up_to_date = Events(base + f"_sitegen/events?since={now}")
    time.sleep(0.5)
    assert up_to_date.events == []


def test_the_search_page_says_the_index_is_catching_up_while_it_is(tmp_path):
    from sitegen.serve.server import PENDING_NOTICE, _file

    (tmp_path / "sok").mkdir()
    (tmp_path / "sok" / "index.html").write_text('<body><div id="sok" class="search"></div></body>', encoding="utf-8")
    seen: list = []
    for pending in (True, False):
        (body,) = _file(tmp_path, "sok/", "/", lambda status, headers: seen.append(status), pending)
        assert (PENDING_NOTICE in body) is pending
    assert seen == ["200 OK", "200 OK"]
