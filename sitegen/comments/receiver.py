"""WSGI application that validates comment submissions and queues them for moderation."""

# Mounted by `serve` for local use; deployable on any WSGI server through
# create_app_from_env(). It never imports the renderer. The rate limit keys on
# REMOTE_ADDR: behind a reverse proxy the deployer must make the server set it
# to the real client (e.g. waitress's trusted_proxy settings), or every comment
# shares the proxy's address and its limit.
#
# A stored comment is answered with a 200 page, not a redirect to the post: the
# post is a static file that cannot show a "received" message, while this page
# says so without JavaScript and links back to the post.

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qsl
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from sitegen.comments import form as f
from sitegen.comments import pages
from sitegen.comments.store import PENDING, Comment, new_id, submit, sweep

FORM_TYPE = "application/x-www-form-urlencoded"
WINDOW = 60.0
_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    # the site's stylesheet and logo, when the receiver answers inside the site's own page on the same host
    ("Content-Security-Policy", ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
                                "frame-ancestors 'none'")),
]


@dataclass(frozen=True)
class CommentTarget:
    """A post that can be commented on: its absolute URL path and whether comments are open."""

    url: str
    open: bool


class _Reply(Exception):
    """Ends a request early with a status, a page and extra headers."""

    def __init__(self, status: int, body: pages.Answer, headers: Iterable[tuple[str, str]] = ()):
        self.status = status
        self.body = body
        self.headers = list(headers)


class RateLimiter:
    """At most ``limit`` requests per address in any sliding 60-second window."""

    def __init__(self, limit: int, clock: Callable[[], float]):
        if limit < 1:
            raise ValueError("rate_limit_per_minute must be at least 1")
        self.limit = limit
        self.clock = clock
        self.hits: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def retry_after(self, address: str) -> int:
        """0 and the request counted, or the seconds to wait before the next is allowed."""
        now = self.clock()
        with self.lock:
            if len(self.hits) > 10_000:
                # Forget idle addresses so memory stays bounded under address churn.
                self.hits = {a: q for a, q in self.hits.items() if q and now - q[-1] < WINDOW}
            times = self.hits.setdefault(address, deque())
            while times and now - times[0] >= WINDOW:
                times.popleft()
            if len(times) >= self.limit:
                return max(1, math.ceil(WINDOW - (now - times[0])))
            times.append(now)
            return 0


class RecentSubmissions:
    """The submissions of the last minute, to store a repeated one once.

    Kept by the process, as the rate limit is: one receiver process (waitress, as the README runs
    it) sees every repeat; behind several processes a repeat may reach another and be stored twice.
    """

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()

    @staticmethod
    def _digest(submission: f.Submission, key: str) -> str:
        fields = (key, submission.name, submission.email, submission.website, submission.text)
        return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()

    def first(self, submission: f.Submission, key: str) -> bool:
        """True, and the submission remembered, unless the same one came in the last minute."""
        now, digest = self.clock(), self._digest(submission, key)
        with self.lock:
            self.seen = {d: t for d, t in self.seen.items() if now - t < WINDOW} if len(self.seen) > 1000 else self.seen
            if now - self.seen.get(digest, -math.inf) < WINDOW:
                return False
            self.seen[digest] = now
            return True

    def forget(self, submission: f.Submission, key: str) -> None:
        """It was not stored after all: the next try is a first one."""
        with self.lock:
            self.seen.pop(self._digest(submission, key), None)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _check_request(environ: WSGIEnvironment, limiter: RateLimiter) -> int:
    """Method, rate, type and length checks, all before the body is read; returns the length."""
    if environ.get("REQUEST_METHOD", "GET").upper() != "POST":
        raise _Reply(405, pages.message("Metoden stöds inte", "Kommentarer skickas med formuläret på inläggets sida."), [("Allow", "POST")])
    wait = limiter.retry_after(environ.get("REMOTE_ADDR", ""))
    if wait:
        raise _Reply(429, pages.message("För många kommentarer", "Du har skickat för många kommentarer på kort tid. Vänta en minut och försök igen."), [("Retry-After", str(wait))])
    media, *params = environ.get("CONTENT_TYPE", "").split(";")
    charsets = [v.strip().strip('"').lower() for k, _, v in (p.partition("=") for p in params) if k.strip().lower() == "charset"]
    if media.strip().lower() != FORM_TYPE or any(c not in ("utf-8", "utf8") for c in charsets):
        raise _Reply(415, pages.message("Formatet stöds inte", "Kommentaren måste skickas med formuläret på inläggets sida (application/x-www-form-urlencoded, UTF-8)."))
    raw = environ.get("CONTENT_LENGTH", "").strip()
    if not raw:
        raise _Reply(411, pages.message("Längduppgift saknas", "Förfrågan saknar längduppgift (Content-Length). Skicka kommentaren med formuläret på inläggets sida."))
    if not raw.isdigit():
        raise _Reply(400, pages.message("Ogiltig förfrågan", "Förfrågan har en ogiltig längduppgift (Content-Length)."))
    length = int(raw)
    if length > f.MAX_BODY:
        raise _Reply(413, pages.message("Kommentaren är för stor", f"Formuläret får vara högst 64 KiB och kommentaren högst {f.MAX_COMMENT:,} tecken.".replace(",", "\u00a0")))
    return length


def _read_form(environ: WSGIEnvironment, length: int) -> tuple[dict[str, str], list[str]]:
    """The first value of each field, and every value of the honeypot."""
    stream = environ["wsgi.input"]
    chunks, remaining = [], length
    while remaining > 0:
        chunk = stream.read(min(remaining, 65536))
        if not chunk:
            raise _Reply(400, pages.message("Ofullständig förfrågan", "Förbindelsen bröts innan hela formuläret hade tagits emot. Försök igen."))
        chunks.append(chunk)
        remaining -= len(chunk)
    try:
        pairs = parse_qsl(b"".join(chunks).decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=50)
    except UnicodeDecodeError:
        raise _Reply(400, pages.message("Ogiltiga tecken", "Formuläret innehöll text som inte är giltig UTF-8.")) from None
    except ValueError:
        raise _Reply(400, pages.message("Ogiltig förfrågan", "Formuläret innehöll för många fält.")) from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields, [v for k, v in pairs if k == f.HONEYPOT]


def make_app(
    root: Path,
    targets: Callable[[], Mapping[str, CommentTarget]],
    rate_limit_per_minute: int = 5,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = _utcnow,
    shell: Callable[[], str | None] = lambda: None,
) -> WSGIApplication:
    """The receiver: stores valid submissions in ``root``/pending and answers with a Swedish page.

    ``shell`` gives the built answer page (``pages.read_shell``) to put each answer in, or None.
    """
    limiter = RateLimiter(rate_limit_per_minute, clock)
    recent = RecentSubmissions(clock)
    root = Path(root)
    if (root / PENDING).is_dir():
        left = sweep(root / PENDING)
        if left:
            print(f"sitegen comments: removed {left} temporary file(s) a crash left in {root / PENDING}", file=sys.stderr)

    def handle(environ: WSGIEnvironment) -> tuple[int, pages.Answer]:
        length = _check_request(environ, limiter)
        fields, honeypot = _read_form(environ, length)
        key = fields.get(f.POST, "")
        target = targets().get(key) if key else None
        back = target.url if target else f.same_site_path(fields.get(f.RETURN, ""))
        if target is None:
            raise _Reply(404, pages.message("Inlägget finns inte", "Det finns inget inlägg att kommentera med den uppgiften.", back))
        if not target.open:
            raise _Reply(403, pages.message("Kommentarerna är stängda", "Det går inte längre att kommentera det här inlägget.", back))
        if any(value for value in honeypot):
            raise _Reply(400, pages.message("Kommentaren kunde inte tas emot", "Ett dolt fält som ska lämnas tomt var ifyllt, så kommentaren sparades inte.", back))
        submission, errors = f.validate(fields)
        if submission is None:
            raise _Reply(400, pages.form_errors(errors, fields, key, back))
        when = now().astimezone(UTC)
        comment = Comment(
            id=new_id(when), post=key, name=submission.name, email=submission.email,
            website=submission.website, date=when.replace(microsecond=0), text=submission.text,
        )
        if not recent.first(submission, key):
            return 200, pages.received(back)  # sent twice (a double click, a reload of the answer): stored once
        try:
            submit(root, comment)
        except OSError as exc:
            recent.forget(submission, key)
            environ["wsgi.errors"].write(f"sitegen comments: cannot store a comment: {exc}\n")
            raise _Reply(500, pages.message("Kommentaren kunde inte sparas", "Ett fel hos oss hindrade kommentaren från att sparas. Försök igen senare.", back)) from None
        return 200, pages.received(back)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        headers: list[tuple[str, str]] = []
        try:
            status, body = handle(environ)
        except _Reply as reply:
            status, body, headers = reply.status, reply.body, reply.headers
        except Exception:  # noqa: BLE001 - logged; a public endpoint answers with a page, never a traceback
            environ["wsgi.errors"].write("sitegen comments: unexpected error\n" + traceback.format_exc())
            status, body = 500, pages.message("Något gick fel", "Kommentaren kunde inte tas emot just nu. Försök igen senare.")
        data = pages.document(body, shell()).encode("utf-8")
        phrase = HTTPStatus(status).phrase
        start_response(
            f"{status} {phrase}",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data))), *_HEADERS, *headers],
        )
        return [data]

    return app


def load_targets(path: Path) -> dict[str, CommentTarget]:
    """Post key → CommentTarget from a JSON file of {key: {"url": ..., "open": ...}}."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {str(k): CommentTarget(url=str(v["url"]), open=bool(v["open"])) for k, v in data.items()}


def create_app_from_env() -> WSGIApplication:
    """Factory for WSGI servers: SITEGEN_COMMENTS_DIR, SITEGEN_TARGETS, optional SITEGEN_RATE_LIMIT_PER_MINUTE."""
    try:
        root = Path(os.environ["SITEGEN_COMMENTS_DIR"])
        targets_path = Path(os.environ["SITEGEN_TARGETS"])
    except KeyError as exc:
        raise RuntimeError(f"set the environment variable {exc.args[0]} before starting the comment receiver") from None
    try:
        limit = int(os.environ.get("SITEGEN_RATE_LIMIT_PER_MINUTE", "5"))
    except ValueError:
        raise RuntimeError("SITEGEN_RATE_LIMIT_PER_MINUTE must be a whole number") from None
    cache: dict[str, object] = {}
    lock = threading.Lock()

    def targets() -> Mapping[str, CommentTarget]:
        # Re-read when the build rewrites the file, so new posts need no restart.
        stat = targets_path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with lock:
            if cache.get("stamp") != stamp:
                try:
                    cache["targets"] = load_targets(targets_path)
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    if "targets" not in cache:
                        raise
                    # Caught mid-rewrite: keep the last good list and read again next time.
                    return cache["targets"]  # type: ignore[return-value]
                cache["stamp"] = stamp
            return cache["targets"]  # type: ignore[return-value]

    targets()  # fail at start-up, not on the first comment, if the file is missing or broken
    shell_path = targets_path.with_name(pages.SHELL)  # the build writes both into the output folder
    return make_app(root, targets, rate_limit_per_minute=limit, shell=lambda: pages.read_shell(shell_path))
