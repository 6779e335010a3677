"""Speed machinery shared by the stages: worker pools, a helper process, and the frozen heap.

Workers get paths and small records, never the site (or inherit it by fork). Each stage that
needs one of these uses it inside itself; nothing here knows what a stage does.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sitegen.errors import BuildError, SourceError

T = TypeVar("T")
# below this many items, starting workers costs more than it saves
MIN_PARALLEL = 200
CHUNK = 64
Progress = Callable[[int], None]  # told how many more items are done


def _context():
    # fork is cheapest, but forking a process with other threads (serve's watcher) is unsafe
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _workers() -> int:
    return min(os.cpu_count() or 1, 8)


@dataclass(frozen=True, slots=True)
class Failed:
    """A worker's result for an item that raised BuildError: its problems."""

    errors: tuple[SourceError, ...]


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """A worker's result for an item that succeeded."""

    value: T


Result = Done[T] | Failed


def _run_chunk(fn: Callable[..., Any], items: Sequence[Any], args: tuple) -> list[Result]:
    out: list[Result] = []
    for item in items:
        try:
            out.append(Done(fn(item, *args)))
        except BuildError as exc:
            out.append(Failed(exc.errors))
    return out


def _collect(chunks: Iterator[list[T]], progress: Progress | None) -> list[T]:
    out: list[T] = []
    for chunk in chunks:
        out.extend(chunk)
        if progress is not None:
            progress(len(chunk))
    return out


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def map_sources(fn: Callable[..., T], items: Sequence[Any], *args: Any, progress: Progress | None = None) -> list[Result[T]]:
    """``fn(item, *args)`` for every item, in order, each as Done or (for a BuildError) Failed.

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


def map_shared(fn: Callable[..., T], items: Sequence[Any], shared: Any, progress: Progress | None = None) -> list[Result[T]]:
    """``fn(shared, item)`` for every item, in order, as in ``map_sources``; ``shared`` reaches workers by fork, unpickled.

    Without fork (another platform, or other threads running, as under ``serve``) it runs here.
    """
    chunks = _chunks(items)
    if len(items) < MIN_PARALLEL or _workers() < 2 or _context().get_start_method() != "fork":
        return _collect((_run_chunk(_apply, c, (fn, shared)) for c in chunks), progress)
    with ProcessPoolExecutor(max_workers=_workers(), mp_context=_context(), initializer=_init_shared, initargs=(shared,)) as pool:
        return _collect(pool.map(_run_chunk, [_with_shared] * len(chunks), chunks, [(fn,)] * len(chunks)), progress)


def map_threads(fn: Callable[[Any], T], items: Sequence[Any], progress: Progress | None = None) -> list[T]:
    """``fn(item)`` for every item, in order, in threads over all cores.

    For work that releases the GIL, as Pillow's decoders, resizers and encoders do: threads share
    the build's memory and start at once, and are safe where fork is not (``serve``).
    """
    if len(items) < 2 or _workers() < 2:
        return _collect(([r] for r in map(fn, items)), progress)
    pool = ThreadPoolExecutor(max_workers=_workers())
    try:
        return _collect(([r] for r in pool.map(fn, items)), progress)
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure or Ctrl-C, the items not yet started never are


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


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The collector leaves alone every object alive now until the outermost such block ends.

    A build's cache, site and plan live until it ends: without this, every full collection walks
    them again, and in forked workers it would touch (and so copy) every page they share.
    """
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off while a block pickles or unpickles many objects; pickles make no garbage cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def loading() -> Iterator[None]:
    """``collector_paused``, and what the block made is frozen (see ``frozen_heap``) before the collector is back on.

    The collector would scan newly unpickled objects again and again (half the time of loading a
    10,000-post cache), and walk every one of them, all still young, on its first pass after.
    """
    with collector_paused():
        yield
        gc.freeze()
