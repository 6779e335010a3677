"""sitegen.parallel: work beside the build, in a forked process where that is safe."""

from __future__ import annotations

import os
import threading

from sitegen.parallel import beside


def test_beside_returns_the_result_once_computed_in_another_process():
    parent = os.getpid()
    result = beside(lambda: (os.getpid(), sorted({"b", "a"})))
    pid, value = result()
    assert value == ["a", "b"]
    assert (pid != parent) == ((os.cpu_count() or 1) >= 2)  # with a second core, the work ran in a child
    assert result() is result()  # asked twice, computed once


def test_a_failed_child_means_the_work_is_done_here():
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        return 42

    assert beside(only_here)() == 42


def test_with_other_threads_running_nothing_is_forked():
    parent = os.getpid()
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait)
    watcher.start()
    try:
        assert beside(os.getpid)() == parent
    finally:
        stop.set()
        watcher.join()
