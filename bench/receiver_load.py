"""A bounded load run against the comment receiver on 127.0.0.1: requests per second and latency percentiles.

    python bench/receiver_load.py --requests 2000 --threads 8

Two phases against one threaded wsgiref server in this process, storing into a temporary folder:
accepted submissions (the rate limit lifted, so every request is stored: fsync included) and a
burst from one address under the default limit (5 a minute: the rest are answered 429). Every
loop is bounded by a request count and a deadline, and only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sitegen.comments.receiver import CommentTarget, make_app

TARGETS = {"besok": CommentTarget("/2017/03/besok/", True)}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class Phase:
    """What one phase measured."""

    name: str
    requests: int
    seconds: float
    statuses: dict[int, int]
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def _body(i: int) -> bytes:
    return urlencode(
        {"post": "besok", "return": "/2017/03/besok/", "name": f"Läsare {i}", "email": f"l{i}@example.org",
         "website": "", "comment": f"Kommentar nummer {i} om samverkan och skolgång.", "hemsida": ""}
    ).encode()


def run_phase(name: str, url: str, total: int, threads: int, deadline_s: float) -> Phase:
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    end = time.monotonic() + deadline_s

    def worker() -> None:
        while time.monotonic() < end:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=_body(i)), timeout=10) as r:
                    status = r.status
                    r.read()
            except urllib.error.HTTPError as exc:
                status = exc.code
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(elapsed)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return Phase(name, len(latencies), time.perf_counter() - started, statuses, latencies)


def measure(requests: int, threads: int, deadline_s: float = 60.0) -> tuple[list[Phase], int]:
    """Both phases; returns them and how many comment files were stored."""
    with tempfile.TemporaryDirectory(prefix="sitegen-receiver-") as tmp:
        root = Path(tmp)
        phases = []
        for name, limit, count in (("accepted", 10**9, requests), ("rate-limited burst", 5, max(20, requests // 10))):
            app = make_app(root / name.split()[0], lambda: TARGETS, rate_limit_per_minute=limit)
            server = make_server("127.0.0.1", 0, app, _Server, _Quiet)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            thread.start()
            try:
                phases.append(run_phase(name, f"http://127.0.0.1:{server.server_port}/kommentar", count, threads, deadline_s))
            finally:
                server.shutdown()
                server.server_close()
        stored = sum(1 for _ in root.rglob("*.yaml"))
    return phases, stored


def report(phases: list[Phase], stored: int) -> str:
    lines = ["| phase | requests | req/s | p50 ms | p99 ms | statuses |", "|---|---:|---:|---:|---:|---|"]
    for ph in phases:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(ph.statuses.items()))
        median = statistics.median(ph.latencies_ms) if ph.latencies_ms else 0.0
        lines.append(f"| {ph.name} | {ph.requests} | {ph.rate:.0f} | {median:.1f} | {ph.percentile(99):.1f} | {statuses} |")
    lines.append(f"\n{stored} comment files stored.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--deadline", type=float, default=60.0, help="seconds per phase at most")
    args = parser.parse_args(argv)
    phases, stored = measure(args.requests, args.threads, args.deadline)
    print(report(phases, stored))
    return 0


if __name__ == "__main__":
    sys.exit(main())
