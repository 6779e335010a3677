"""Dev server: build with drafts, serve on 127.0.0.1, rebuild on change, reload open tabs.

The reload script is added to HTML responses by this server only; build output never has it.
A broken edit keeps the last good site served and shows the error in the terminal and the tab.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import mimetypes
import os
import sys
import threading
from dataclasses import replace
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, quote, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sitegen import pipeline
from sitegen.comments.pages import SHELL, read_shell
from sitegen.comments.receiver import CommentTarget, load_targets, make_app
from sitegen.errors import BuildError, warning
from sitegen.messages import _, _n
from sitegen.output.cache import Memory
from sitegen.render.machine import COMMENT_TARGETS

WATCHED = ("posts", "pages", "templates", "static", "config.yaml")
RELOAD_JS = Path(__file__).with_name("reload.js")
INTERNAL = "_sitegen/"


class Reloader:
    """The build generation, what it was and the last error, shared between the watcher and open tabs.

    Kinds of event: 'reload' after a good build, 'failed' with the errors of a bad one, and
    'caught-up' when what a build left for later is up to date: its data names the pages that
    were left (their tabs reload) and whether the search index was (the search page reloads).
    """

    def __init__(self) -> None:
        self.generation = 0
        self.kind = "reload"
        self.error = ""
        self.detail: object = ""  # the event's data: the error, or what caught up
        self.changed = threading.Condition()
        self.stopping = False

    def publish(self, error: str = "", kind: str = "reload", detail: object = "") -> None:
        with self.changed:
            self.generation += 1
            self.error = error
            self.kind = "failed" if error else kind
            self.detail = error or detail
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, str, object]:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation, self.kind, self.detail


class DevSite:
    """The last good build and the comment receiver, swapped in after every successful rebuild."""

    def __init__(self, opts: pipeline.BuildOptions, comments_dir: Path, rate_limit: int):
        self.opts = opts
        self.comments_dir = comments_dir
        self.output: Path = opts.output or opts.root
        self.targets: dict[str, CommentTarget] = {}
        self.reloader = Reloader()
        self.left: pipeline.BuildReport | None = None  # the last build's report, if it left something for the next
        self.memory = Memory()  # the last build's state: the next starts from it without loading the cache
        self.receiver = make_app(comments_dir, lambda: self.targets, rate_limit, shell=lambda: read_shell(self.output / SHELL))

    def resume(self) -> bool:
        """Serve what the last serve built, until the first rebuild is done; False if there is nothing."""
        targets = self.opts.output / COMMENT_TARGETS if self.opts.output else None
        if targets is None or not (self.opts.output / "index.html").is_file() or not targets.is_file():
            return False
        try:
            self.targets = load_targets(targets)
        except (OSError, ValueError, KeyError, TypeError):  # written by another version, or half: build first
            return False
        self.output = self.opts.output
        return True

    def prime(self) -> None:
        """Build again, nothing changed, right after a first build into an empty preview, and tell nobody.

        A build starts from the site the last one kept beside the output; the first build had none
        to keep, so without this the writer's first edit would link every file of the site
        (3 s at 10,000 posts). Its problems, if any, are the next edit's build's to report.
        """
        with contextlib.suppress(BuildError):
            pipeline.build(replace(self.opts, later=True), memory=self.memory)
        self.memory.save()

    def rebuild(self) -> bool:
        """Build what a writer looks at first: the tabs reload as soon as it is written, and the search index
        and the later pages of each list catch up after."""
        if not self._build(replace(self.opts, later=True)):
            return False
        if self.left is not None:
            self._build(self.opts)  # it saves the cache
        else:
            self.memory.save()  # for the next start of serve, now that the tabs have what they wait for
        return True

    def _build(self, opts: pipeline.BuildOptions) -> bool:
        try:
            report = pipeline.build(opts, memory=self.memory)
        except BuildError as exc:
            text = "\n".join(str(e) for e in exc.errors)
            print(text, file=sys.stderr)
            print(_("the last good build is still served; fix the file and save to rebuild"), file=sys.stderr)
            self.reloader.publish(text)
            return False
        for problem in report.warnings:
            print(warning(problem), file=sys.stderr)
        self.output = report.output
        self.targets = {k: CommentTarget(url, is_open) for k, (url, is_open) in report.comment_targets.items()}
        before, self.left = self.left, report if report.pending else None
        if before is not None and self.left is None:
            self.reloader.publish(kind="caught-up", detail={"search": before.search_pending, "pages": list(before.pages_pending)})
            return True
        print(_n("built {n} post ({pages} pages rendered, {written} files written)",
                 "built {n} posts ({pages} pages rendered, {written} files written)",
                 report.posts, pages=report.pages, written=report.write.written), file=sys.stderr)
        self.reloader.publish()
        return True


def application(dev: DevSite, base_path: str, endpoint: str, port: int):
    """The WSGI app: comment receiver, reload events, then files of the last good build.

    It answers only requests for the address it listens on: a page elsewhere cannot reach it
    through a name that resolves to 127.0.0.1 (DNS rebinding), and read drafts or post comments.
    """
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    def app(environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and host.lower() not in hosts:
            return _plain(start_response, "400 Bad Request", f"serve svarar bara på http://127.0.0.1:{port}/ (Host: {host[:100]!r})\n")
        path = _request_path(environ)
        if path is None:
            return _plain(start_response, "400 Bad Request", "Adressen är felaktig.\n")
        if path == endpoint:
            return dev.receiver(environ, start_response)
        if not path.startswith(base_path):
            return _plain(start_response, "404 Not Found", f"Sidan finns under {base_path}\n")
        rel = path[len(base_path) :]
        if rel == INTERNAL + "reload.js":
            start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "no-store")])
            return [RELOAD_JS.read_bytes()]
        if rel == INTERNAL + "events":
            return _events(dev.reloader, environ, start_response)
        generation = dev.reloader.generation  # before the file: a page is never older than the build it names
        left = dev.left  # read once: the watcher's thread may replace it meanwhile
        search_pending = left is not None and left.search_pending
        return _file(dev.output, rel, base_path, start_response, search_pending, generation)

    return app


def _events(reloader: Reloader, environ, start_response):
    """Server-Sent Events: 'reload' after each good build, 'failed' with the errors after a bad one.

    A tab that connects anew (opened or reloaded, not reconnecting) while the build is broken is
    told at once: it shows the last good page, and must say that it is not the current one.
    A page says which build it was served after (``?since=``), so an event that came while it
    loaded is not missed; a tab that missed more than one event reloads.
    """
    start_response("200 OK", [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")])
    resumed = environ.get("HTTP_LAST_EVENT_ID")
    since = parse_qs(environ.get("QUERY_STRING", "")).get("since", [""])[0]
    seen = int(next((n for n in (resumed, since) if n and n.isdigit()), reloader.generation))

    def stream():
        nonlocal seen
        yield b"retry: 1000\n\n"
        if not resumed and reloader.error and seen == reloader.generation:
            yield _event(seen, "failed", reloader.error)
        while not reloader.stopping:
            generation, kind, detail = reloader.wait(seen, timeout=15)
            if generation == seen:
                yield b": keep-alive\n\n"
                continue
            if kind == "caught-up" and generation - seen > 1:  # it missed the build before, too
                kind, detail = "reload", ""
            seen = generation
            yield _event(generation, kind, detail)

    return stream()


def _plain(start_response, status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _request_path(environ) -> str | None:
    """The request's path as text; None if it is not UTF-8 or holds a control character (a NUL, a line break)."""
    raw = environ.get("PATH_INFO") or "/"  # wsgiref has decoded the %-escapes, as Latin-1
    try:
        path = raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    return None if any(c < " " or c == "\x7f" for c in path) or not path.startswith("/") else path


def _event(generation: int, kind: str, detail: object) -> bytes:
    return f"id: {generation}\nevent: {kind}\ndata: {json.dumps(detail, ensure_ascii=False)}\n\n".encode()


PENDING_NOTICE = ('<p class="notice" role="status">Sökningen uppdateras… Träffarna kan visa sidorna som de var före den senaste '
                  'ändringen en kort stund till.</p>\n').encode()


def _file(output: Path, rel: str, base_path: str, start_response, search_pending: bool = False, generation: int = 0):
    target = (output / rel).resolve()
    inside = target.is_relative_to(output.resolve())  # not for '..', nor a link that leads out of the site
    if inside and target.is_dir():
        if not rel.endswith("/") and rel:
            start_response("301 Moved Permanently", [("Location", quote(base_path + rel + "/"))])
            return [b""]
        target = target / "index.html"
    status = "200 OK"
    if not inside or not target.is_file():
        status, target = "404 Not Found", output / "404.html"
    body = target.read_bytes() if target.is_file() else b"Not found"
    ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if ctype == "text/html":
        ctype += "; charset=utf-8"
        script = (f'<script src="{base_path}{INTERNAL}reload.js" data-events="{base_path}{INTERNAL}events" '
                  f'data-generation="{generation}"></script>')
        body = body.replace(b"</body>", script.encode() + b"</body>", 1)
        if search_pending:  # the search page, while its index catches up with the pages just written
            body = body.replace(b'<div id="sok" ', PENDING_NOTICE + b'<div id="sok" ', 1)
    start_response(status, [("Content-Type", ctype), ("Cache-Control", "no-store"), ("Content-Length", str(len(body)))])
    return [body]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        if str(code)[0] in "45":
            super().log_request(code, size)


def watched(root: Path, comments_dir: Path):
    """A watchfiles filter: changes under posts/, pages/, templates/, static/, comments/ or to config.yaml.

    The project root is watched rather than those folders, so a folder created while serving
    (the first comment makes comments/) is seen too; the output and cache folders are not.
    """
    roots = [(root / w).resolve() for w in WATCHED] + [comments_dir.resolve()]

    def accept(_change, path: str) -> bool:
        p = Path(path).resolve()
        return any(p == r or r in p.parents for r in roots)

    return accept


def watch(dev: DevSite, stop: threading.Event, ready: threading.Event, first: bool = False, prime: bool = False) -> None:
    """Rebuild on every change (and once when watching has begun, with ``first``) until ``stop``; ``ready`` once watching.

    With ``prime``, the first thing done once watching is ``DevSite.prime``.

    The watcher wakes every fifth of a second with nothing: the first such wake-up says its watches
    are in place, so an edit made as soon as the first page is served is not missed.
    """
    from watchfiles import watch as watch_changes

    root = dev.opts.root
    accept = watched(root, dev.comments_dir)
    for changes in watch_changes(root, watch_filter=accept, stop_event=stop, debounce=200, ignore_permission_denied=True,
                                 rust_timeout=200, yield_on_timeout=True):
        if not ready.is_set():
            ready.set()
            if first:
                dev.rebuild()
            elif prime:
                dev.prime()
        if changes:
            dev.rebuild()


def preview_folder(root: Path) -> Path:
    """Where serve builds: in the user's cache folder, not the project.

    The watcher watches the whole project (a folder made while serving is seen too); a preview
    written inside it sent the watcher tens of thousands of events per build at 10,000 posts,
    more than the kernel queues, and an edit saved meanwhile was lost with them. The folder is
    the user's own (drafts are previewed), one per project, and kept between runs, so serve
    started again shows the last preview at once.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitegen"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    project = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return base / f"serve-{project}" / "site"


def serve(opts: pipeline.BuildOptions, port: int) -> int:
    config = pipeline.load_settings(opts).config
    base_path = urlsplit(opts.base_url).path if opts.base_url else "/"
    base_path = base_path if base_path.endswith("/") else base_path + "/"
    endpoint = f"{base_path}{INTERNAL}kommentar"
    opts = replace(
        opts,
        base_url=f"http://127.0.0.1:{port}{base_path}",
        output=preview_folder(opts.root),
        comment_endpoint=endpoint,
    )
    dev = DevSite(opts, opts.root / config.comments.dir, config.comments.rate_limit_per_minute)
    try:  # the port first: a second serve says so at once, not after a build
        server = make_server("127.0.0.1", port, application(dev, base_path, endpoint, port), _ThreadingServer, _QuietHandler)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(_("port {port} is in use, perhaps by another serve: stop that one, or pick another port with --port {other}",
                port=port, other=port + 1), file=sys.stderr)
        return 2
    # what the last serve built is served at once; the build that brings it up to date runs beside, and reloads the tabs
    resumed = dev.resume()
    built = False
    if resumed:
        print(_("serving the last build at once; it is brought up to date beside, and open tabs reload when it is"), file=sys.stderr)
    elif not (built := dev.rebuild()):
        print(_("the first build failed; waiting for a fix"), file=sys.stderr)
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(dev, stop, ready, resumed, built), daemon=True)
    watcher.start()
    ready.wait(10)  # bounded: a watcher that cannot start leaves the site served, not rebuilt
    shown = _("drafts and scheduled posts included") if opts.drafts else _("as it will be published")
    print(_("serving on http://127.0.0.1:{port}{path} ({shown}; Ctrl-C stops)", port=port, path=base_path, shown=shown), file=sys.stderr)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print(_("stopped"), file=sys.stderr)
    finally:
        stop.set()
        dev.reloader.stopping = True
        dev.reloader.publish()
        server.server_close()
    return 0
