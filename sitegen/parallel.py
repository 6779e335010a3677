"""Reading and rendering many sources over all cores: workers get paths and small records, never the site."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from .errors import BuildError, SourceError

T = TypeVar("T")
R = TypeVar("R")
# below this many items, starting workers costs more than it saves
MIN_PARALLEL = 200
CHUNK = 64


def _context():
    # fork is cheapest, but forking a process with other threads (serve's watcher) is unsafe
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _run_chunk(fn: Callable[..., Any], items: Sequence[Any], args: tuple, shared_first: bool = False) -> list[Any]:
    out: list[Any] = []
    for item in items:
        try:
            out.append(fn(*args, item) if shared_first else fn(item, *args))
        except BuildError as exc:
            out.append(exc.errors)
    return out


def map_sources(fn: Callable[..., R], items: Sequence[T], *args: Any) -> list[R | tuple[SourceError, ...]]:
    """``fn(item, *args)`` for every item, in order; a BuildError becomes its tuple of errors."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < MIN_PARALLEL or workers < 2:
        return _run_chunk(fn, items, args)
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        results = pool.map(_run_chunk, [fn] * len(chunks), chunks, [args] * len(chunks))
        return [r for chunk in results for r in chunk]


_shared: Any = None  # set once in each worker by the pool's initializer


def _init_shared(shared: Any) -> None:
    global _shared
    _shared = shared


def _run_shared_chunk(fn: Callable[..., Any], items: Sequence[Any]) -> list[Any]:
    return _run_chunk(fn, items, (_shared,), shared_first=True)


def map_shared(fn: Callable[..., R], items: Sequence[T], shared: Any) -> list[R | tuple[SourceError, ...]]:
    """``fn(shared, item)`` for every item, in order; ``shared`` reaches workers by fork, unpickled.

    Without fork (another platform, or other threads running, as under ``serve``) it runs here.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < MIN_PARALLEL or workers < 2 or _context().get_start_method() != "fork":
        return _run_chunk(fn, items, (shared,), shared_first=True)
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_shared, initargs=(shared,)) as pool:
        return [r for chunk in pool.map(_run_shared_chunk, [fn] * len(chunks), chunks) for r in chunk]
