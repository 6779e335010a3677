"""The writer's loop, timed: `serve` running, a post saved, and the moment its tabs are told to reload.

Each case saves one file and waits on serve's event stream for the 'reload' that follows, then
fetches the changed page to see the change is served; the 'caught-up' event (the search index, the later list pages and the feeds caught up)
is timed too. Start-up is timed as a writer meets it: serve stopped and started again on the
same project (a warm cache), until it answers the home page.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus

REPO = Path(__file__).resolve().parents[1]
CASES = ("serve_newest", "serve_middle", "serve_oldest", "serve_new_post")
LABELS = {
    "serve_newest": "serve: the newest post saved → reload",
    "serve_middle": "serve: the middle post saved → reload",
    "serve_oldest": "serve: the oldest post saved → reload",
    "serve_new_post": "serve: a new post saved → reload",
    "serve_start": "serve: started again with a warm cache → first page",
}
SENTENCE = "Tillägg i förhandsvisningen nummer {n}: kommunen har svarat."
WAIT = 180.0  # seconds any one event may take before the case counts as failed


@dataclass
class Timed:
    """One case: the median seconds to the reload, every run's, and to the catch-up of what the first build left."""

    case: str
    seconds: float
    runs: list[float] = field(default_factory=list)
    search: float | None = None  # seconds from the save to the 'caught-up' event, median
    ok: bool = True
    error: str = ""


class Events:
    """serve's event stream, read in a thread: (monotonic time, kind) of every event."""

    def __init__(self, url: str):
        self.seen: list[tuple[float, str]] = []
        self.lock = threading.Condition()
        self.response = urllib.request.urlopen(url, timeout=WAIT)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    with self.lock:
                        self.seen.append((time.monotonic(), line[7:]))
                        self.lock.notify_all()
        except OSError:
            return

    def first(self, kind: str, after: float) -> float:
        """When the first event of ``kind`` after ``after`` came; waits at most WAIT seconds."""
        def found():
            return next((t for t, k in self.seen if k == kind and t >= after), None)

        with self.lock:
            if not self.lock.wait_for(lambda: found() is not None, WAIT):
                raise TimeoutError(f"no '{kind}' event within {WAIT:.0f} s")
            return found()

    def close(self) -> None:
        self.response.close()


def user_cache(root: Path) -> Path:
    """The user cache folder the timed serve gets (its preview of a big corpus is as big as the site): beside the corpus."""
    return root.parent / f"{root.name}-user-cache"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(root: Path, port: int) -> tuple[subprocess.Popen, float]:
    """serve on ``port`` in ``root``; the process and the seconds until it answered the home page."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "XDG_CACHE_HOME": str(user_cache(root))})
    end = started + 1800
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return process, time.monotonic() - started
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"serve stopped: {process.stderr.read()[-2000:]}") from None
            if time.monotonic() > end:
                raise TimeoutError("serve did not answer") from None
            time.sleep(0.02)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _page(post: corpus.PostSpec) -> str:
    return f"{post.date:%Y}/{post.date:%m}/{post.slug}/"  # config.yaml's urls.post


def _save(root: Path, posts: list[corpus.PostSpec], case: str, n: int, seed: int) -> tuple[corpus.PostSpec, str]:
    """Make the case's change; the post whose page must show ``text`` once the reload comes."""
    by_date = sorted(posts, key=lambda p: (p.date, p.key))
    text = SENTENCE.format(n=n)
    if case == "serve_new_post":
        post = corpus.added_post(posts, seed + n)
        post = dataclasses.replace(post, body=post.body + "\n\n" + text + "\n")
        corpus.write_post(root, post, "sitegen")
        posts.append(post)
        return post, text
    post = {"serve_newest": by_date[-1], "serve_middle": by_date[len(by_date) // 2], "serve_oldest": by_date[0]}[case]
    path = root / "posts" / f"{post.key}.md"
    path.write_bytes(path.read_bytes() + f"\n{text}\n".encode())
    return post, text


def time_serve(root: Path, posts: list[corpus.PostSpec], repeat: int, seed: int, log: Callable[[str], None]) -> list[Timed]:
    """Every case, ``repeat`` times, in one serve; then serve's start-up with a warm cache, ``repeat`` times."""
    port = _port()
    process, first = _start(root, port)
    log(f"  serve first start (cold cache) {first:7.2f} s")
    done: list[Timed] = []
    try:
        time.sleep(2)  # the watcher is in place and the first build's index is written
        events = Events(f"http://127.0.0.1:{port}/_sitegen/events")
        n = 0
        for case in CASES:
            reloads, searches = [], []
            try:
                for _ in range(repeat):
                    n += 1
                    saved = time.monotonic()
                    post, text = _save(root, posts, case, n, seed)
                    reloaded = events.first("reload", saved)
                    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/{_page(post)}", timeout=WAIT).read().decode("utf-8")
                    if text not in page:
                        raise AssertionError(f"the page of {post.key} did not show the change when the reload came")
                    reloads.append(reloaded - saved)
                    searches.append(events.first("caught-up", saved) - saved)
                    log(f"  serve {case:<15} reload {reloads[-1]:6.2f} s, all caught up {searches[-1]:6.2f} s")
                    time.sleep(0.5)
                done.append(Timed(case, statistics.median(reloads), reloads, statistics.median(searches)))
            except (OSError, TimeoutError, AssertionError) as exc:
                done.append(Timed(case, 0.0, reloads, ok=False, error=str(exc)[:300]))
                break
        events.close()
    finally:
        _stop(process)
    starts = []
    for _ in range(repeat):
        process, seconds = _start(root, _port())
        starts.append(seconds)
        log(f"  serve start, warm cache {seconds:7.2f} s")
        time.sleep(3)  # its build beside, done before it is stopped
        _stop(process)
    done.append(Timed("serve_start", statistics.median(starts), starts))
    return done
