"""sitegen.parallel: work beside the build, in a forked process where that is safe."""

from __future__ import annotations

import os
import threading

from sitegen.parallel import beside


def test_beside_returns_each_result_once_computed_in_another_process():
    parent = os.getpid()
    first, second = beside(lambda: (os.getpid(), sorted({"b", "a"})), lambda: os.getpid())
    pid, value = first()
    assert value == ["a", "b"]
    assert (pid != parent) == ((os.cpu_count() or 1) >= 2)  # with a second core, the work ran in a child
    assert second() == pid  # one helper, the functions one after another
    assert first() is first()  # asked twice, computed once


def test_results_can_be_asked_for_in_any_order():
    first, second = beside(lambda: "a", lambda: "b")
    assert second() == "b"
    assert first() == "a"


def test_what_a_failed_child_did_not_send_is_done_here():
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        return 42

    sent, redone = beside(os.getpid, only_here)
    assert redone() == 42
    assert sent() != parent or (os.cpu_count() or 1) < 2


def test_with_other_threads_running_nothing_is_forked():
    parent = os.getpid()
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait)
    watcher.start()
    try:
        [result] = beside(os.getpid)
        assert result() == parent
    finally:
        stop.set()
        watcher.join()
