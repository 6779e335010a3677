"""sitegen.parallel: work beside the build, in a forked process where that is safe.

Each case runs in a fresh interpreter: a test session has other threads running (the browser
tests' driver), and beside() rightly refuses to fork beside them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from sitetools import REPO

CORES = os.cpu_count() or 1


def _run(code: str) -> dict:
    script = "import json, os, threading\nfrom sitegen.parallel import beside\nparent = os.getpid()\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60, check=True)
    return json.loads(done.stdout)


def test_beside_returns_the_result_once_computed_in_another_process():
    found = _run("""
        result = beside(lambda: (os.getpid(), sorted({"b", "a"})))
        pid, value = result()
        print(json.dumps({"value": value, "forked": pid != parent, "cached": result() is result()}))
    """)
    assert found == {"value": ["a", "b"], "forked": CORES >= 2, "cached": True}


def test_what_a_failed_child_did_not_send_is_done_here():
    found = _run("""
        def only_here():
            if os.getpid() != parent:
                raise RuntimeError("fails in the child")
            return 42
        print(json.dumps(beside(only_here)()))
    """)
    assert found == 42


def test_with_other_threads_running_nothing_is_forked():
    found = _run("""
        stop = threading.Event()
        watcher = threading.Thread(target=stop.wait)
        watcher.start()
        here = beside(os.getpid)() == parent
        stop.set()
        watcher.join()
        print(json.dumps(here))
    """)
    assert found is True


def test_pool_results_say_which_items_failed():
    found = _run("""
        from sitegen.errors import BuildError, SourceError
        from sitegen.parallel import Done, Failed, map_sources

        def read(n):
            if n % 100 == 7:
                raise BuildError([SourceError(f"posts/p{n}.md", 2, "bad")])
            return n * 2

        results = map_sources(read, list(range(300)))  # enough for the worker pool
        print(json.dumps({
            "done": [r.value for r in results if isinstance(r, Done)][:3],
            "failed": [[str(e) for e in r.errors] for r in results if isinstance(r, Failed)],
        }))
    """)
    assert found["done"] == [0, 2, 4]
    assert found["failed"] == [["posts/p7.md:2: bad"], ["posts/p107.md:2: bad"], ["posts/p207.md:2: bad"]]
