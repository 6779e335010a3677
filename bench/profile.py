"""Where sitegen's time goes: py-spy over a cold build and over rebuilds after one post is edited.

    python bench/profile.py --posts 10000 [--rate 100] [--top 15] [--workdir DIR]

Needs ``py-spy`` (``pip install py-spy``). Samples the build process and its worker processes
(``--subprocesses``); helper binaries such as Pagefind are not Python and do not appear, and
time spent waiting for them is idle, so read the tables beside the per-stage wall times that
``build --verbose`` prints (shown first). Prints the top functions by own samples and by
inclusive samples, with file names relative to the interpreter or the repository.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import corpus, run

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*?)(?::\d+)?\)$")


def aggregate(raw: str) -> tuple[int, Counter, Counter]:
    """(samples, own samples per function, inclusive samples per function) from py-spy's raw format."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = []
        for frame in stack.split(";"):
            m = FRAME.match(frame)
            if m and not frame.startswith(("process ", "thread ")):
                frames.append(f"{m.group('func')} ({m.group('file')})")
        if not frames:
            continue
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            inclusive[f] += n
    return total, own, inclusive


def table(title: str, counts: Counter, total: int, top: int) -> str:
    lines = [f"{title}", "", "| % | samples | function |", "|---:|---:|---|"]
    for func, n in counts.most_common(top):
        lines.append(f"| {100 * n / max(total, 1):.1f} | {n} | `{func}` |")
    return "\n".join(lines) + "\n"


def profile(site: run.Site, label: str, rate: int, top: int) -> str:
    raw = site.root.parent / f"{label}.pyspy.txt"
    cmd = ["py-spy", "record", "--subprocesses", "--rate", str(rate), "--format", "raw", "-o", str(raw), "--", *site.command()]
    done = subprocess.run(cmd, cwd=site.root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"py-spy failed for {label}: {done.stderr[-2000:]}\n"
    stages = run.parse_stages(done.stderr)
    total, own, inclusive = aggregate(raw.read_text(encoding="utf-8"))
    head = f"## {label} ({len(site.posts):,} posts)\n\nStages (wall, ms): " + ", ".join(
        f"{k} {v * 1000:.0f}" for k, v in stages.items()) + f"; {total} samples at {rate} Hz over all Python processes.\n\n"
    ours = Counter({f: n for f, n in inclusive.items() if _ours(f)})
    return (head + table("Own time (top functions)", own, total, top) + "\n"
            + table("Inclusive time, sitegen's own functions and templates", ours, total, top))


def _ours(func: str) -> bool:
    """A frame of sitegen or of a template, other than the entry points every sample passes through."""
    if func.startswith(("<module> (build.py)", "main (sitegen/cli.py)", "run (sitegen/cli.py)", "build (sitegen/pipeline.py)")):
        return False
    return "(sitegen/" in func or func.endswith(".html)")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Profile sitegen's cold build and one-post rebuild with py-spy.")
    p.add_argument("--posts", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate", type=int, default=100, help="samples per second (default 100)")
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--workdir", type=Path)
    args = p.parse_args(argv)
    if shutil.which("py-spy") is None:
        print("py-spy is not installed: pip install py-spy", file=sys.stderr)
        return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitegen-profile-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        posts = corpus.make_posts(args.posts, args.seed)
        site = run.make_site("sitegen", workdir.resolve(), args.posts, args.seed, posts)
        print(profile(site, "cold build", args.rate, args.top))
        for scenario in run.EDITS:  # the newest, a middle and the oldest post
            run.apply_edit(site, scenario, args.seed)
            print(profile(site, run.SCENARIO_LABELS[scenario], args.rate, args.top))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
