"""Reading and rendering many items over all cores: workers get paths and small records, never the site."""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from .errors import BuildError

# below this many items, starting workers costs more than it saves
MIN_PARALLEL = 200
CHUNK = 64
Progress = Callable[[int], None]  # told how many more items are done
T = TypeVar("T")


def _context():
    # fork is cheapest, but forking a process with other threads (serve's watcher) is unsafe
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _workers() -> int:
    return min(os.cpu_count() or 1, 8)


def _run_chunk(fn: Callable[..., Any], items: Sequence[Any], args: tuple) -> list[Any]:
    out: list[Any] = []
    for item in items:
        try:
            out.append(fn(item, *args))
        except BuildError as exc:
            out.append(exc.errors)
    return out


def _collect(chunks: Iterator[list[Any]], progress: Progress | None) -> list[Any]:
    out: list[Any] = []
    for chunk in chunks:
        out.extend(chunk)
        if progress is not None:
            progress(len(chunk))
    return out


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def map_sources(fn: Callable[..., Any], items: Sequence[Any], *args: Any, progress: Progress | None = None) -> list[Any]:
    """``fn(item, *args)`` for every item, in order; a BuildError becomes its tuple of errors.

    ``args`` are pickled to each worker once per chunk: keep them small (config, registry).
    """
    chunks = _chunks(items)
    if len(items) < MIN_PARALLEL or _workers() < 2:
        return _collect((_run_chunk(fn, c, args) for c in chunks), progress)
    with ProcessPoolExecutor(max_workers=_workers(), mp_context=_context()) as pool:
        return _collect(pool.map(_run_chunk, [fn] * len(chunks), chunks, [args] * len(chunks)), progress)


_shared: Any = None  # set once in each worker by the pool's initializer


def _init_shared(shared: Any) -> None:
    global _shared
    _shared = shared


def _with_shared(item: Any, fn: Callable[..., Any]) -> Any:
    return fn(_shared, item)


def _apply(item: Any, fn: Callable[..., Any], shared: Any) -> Any:
    return fn(shared, item)


def map_shared(fn: Callable[..., Any], items: Sequence[Any], shared: Any, progress: Progress | None = None) -> list[Any]:
    """``fn(shared, item)`` for every item, in order; ``shared`` reaches workers by fork, unpickled.

    Without fork (another platform, or other threads running, as under ``serve``) it runs here.
    """
    chunks = _chunks(items)
    if len(items) < MIN_PARALLEL or _workers() < 2 or _context().get_start_method() != "fork":
        return _collect((_run_chunk(_apply, c, (fn, shared)) for c in chunks), progress)
    with ProcessPoolExecutor(max_workers=_workers(), mp_context=_context(), initializer=_init_shared, initargs=(shared,)) as pool:
        return _collect(pool.map(_run_chunk, [_with_shared] * len(chunks), chunks, [(fn,)] * len(chunks)), progress)


def beside(fn: Callable[[], T]) -> Callable[[], T]:
    """Start ``fn()`` in a forked process now; returns a function that waits for its result (once).

    For work that only reads (such as checking thousands of files' sizes) and is not needed at
    once: the build goes on with the other core. Where fork is unavailable or unsafe (other
    threads running, as under ``serve``), or if the child fails, ``fn`` runs here when asked.
    """
    if _workers() < 2 or _context().get_start_method() != "fork":
        return functools.cache(fn)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: send the pickled result, then leave without running any cleanup
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(fn(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
            os._exit(1)
        os._exit(0)
    os.close(write_end)

    @functools.cache
    def result() -> T:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        return pickle.loads(data) if status == 0 else fn()  # the child failed: do the work here

    return result
