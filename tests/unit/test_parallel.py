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


def test_beside_returns_each_result_once_computed_in_another_process():
    found = _run("""
        first, second = beside(lambda: (os.getpid(), sorted({"b", "a"})), os.getpid)
        pid, value = first()
        print(json.dumps({"value": value, "forked": pid != parent, "same_helper": second() == pid, "cached": first() is first()}))
    """)
    assert found == {"value": ["a", "b"], "forked": CORES >= 2, "same_helper": True, "cached": True}


def test_results_can_be_asked_for_in_any_order():
    found = _run("""
        first, second = beside(lambda: "a", lambda: "b")
        print(json.dumps([second(), first()]))
    """)
    assert found == ["b", "a"]


def test_what_a_failed_child_did_not_send_is_done_here():
    found = _run("""
        def only_here():
            if os.getpid() != parent:
                raise RuntimeError("fails in the child")
            return 42
        sent, redone = beside(os.getpid, only_here)
        print(json.dumps({"redone": redone(), "sent_by_child": sent() != parent}))
    """)
    assert found == {"redone": 42, "sent_by_child": CORES >= 2}


def test_with_other_threads_running_nothing_is_forked():
    found = _run("""
        stop = threading.Event()
        watcher = threading.Thread(target=stop.wait)
        watcher.start()
        [result] = beside(os.getpid)
        here = result() == parent
        stop.set()
        watcher.join()
        print(json.dumps(here))
    """)
    assert found is True
