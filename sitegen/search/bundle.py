"""The search stage: Pagefind's bundle over every post page, shard by shard, beside the other outputs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from sitegen import fingerprints
from sitegen.output.cache import PreviousBuild, SearchRecord
from sitegen.output.staging import Produced, Sink
from sitegen.search.pagefind import index_shard, read_indexed_part, search_key, sweep_scratch, write_shard
from sitegen.site.plan import SitePlan
from sitegen.site.shards import shard_folders, shard_sizes


@dataclass(frozen=True)
class Searched:
    """What the search stage made: its files in the sink, and its record for the next build."""

    produced: Produced
    record: SearchRecord


class Indexing:
    """The search index being made in a helper thread."""

    def __init__(self, running: Future[Searched] | None, done: Searched | None = None):
        self._running = running
        self._done = done or Searched(Produced(), SearchRecord())

    def result(self) -> Searched:
        """Wait for the index; a build that publishes nothing (a dry run) has none."""
        return self._running.result() if self._running is not None else self._done


def kept(record: SearchRecord) -> Searched:
    """The last build's index as it is: its files carried over, its record unchanged, so the next build knows what is stale."""
    files = {f: fingerprint for fingerprint, shard_files in record.shards.values() for f in shard_files}
    return Searched(Produced(frozenset(files), files, frozenset(files), 0), record)


@contextmanager
def search_index(plan: SitePlan, sink: Sink, previous: PreviousBuild, later: bool = False) -> Iterator[Indexing]:
    """Pagefind indexes the post pages in a helper thread while the block makes the other outputs.

    Pagefind is the longest stage; the feeds, sitemap and open data are made meanwhile. If the
    block fails, the index stops before its next shard, and the block's failure is the one raised.
    With ``later`` (serve, to show an edit at once), the last build's index is kept as it is.
    """
    if not sink.publishes or not plan.site.config.search:  # a dry run, or a site without search
        yield Indexing(None)
        return
    if later:
        yield Indexing(None, kept(previous.state.search))
        return
    failed = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search") as searcher:
        running = searcher.submit(search_bundle, plan, sink, previous, failed.is_set)
        try:
            yield Indexing(running)
        except BaseException:
            failed.set()
            raise


def search_bundle(plan: SitePlan, sink: Sink, previous: PreviousBuild, cancelled: Callable[[], bool] = lambda: False) -> Searched:
    """Pagefind's bundle over every post page, shard by shard; a shard whose indexed text is unchanged is carried over.

    A shard is fingerprinted by what Pagefind reads of its pages (``search.indexed_part``), not by
    the pages' fingerprints, so a template change outside the indexed element (the header, the
    footer, the comment form) does not re-index anything. That text is read back, once, from the
    pages whose fingerprint changed. Post pages are read back from the sink, and each new shard is
    put into it as soon as it is made. ``previous`` is the last build's record. Returns every bundle
    file (REUSE when its bytes are unchanged, else the staged path) and the record for the next build.
    When ``cancelled()`` (the build failed elsewhere), it stops before the next shard.

    One Pagefind process runs at a time, in a helper thread, while this one reads and writes the
    next shard's pages (a quarter of the stage). A second Pagefind process at once cut the stage
    by another quarter, but its ~130 MiB would take the peak past the performance budget (400 MiB
    at 10,000 posts).
    """
    site, before_search, page_fingerprints = plan.site, previous.state.search, plan.fingerprints
    sweep_scratch()  # what builds killed before this one left in memory
    key = fingerprints.cache_key(search_key(site.urls.base_path))
    oldest_first = [p.url + "index.html" for p in reversed(site.posts)]  # the post pages' files
    pages: dict[str, tuple[str, str]] = {}  # post page -> (page fingerprint, digest of its indexed text)
    sizes = shard_sizes(len(oldest_first))
    folders = shard_folders(len(sizes))
    bundle: dict[str, bool] = {}  # bundle file -> carried over as it is
    made: dict[str, str] = {}  # bundle file -> fingerprint of its shard
    written = 0
    shards: dict[str, tuple[str, tuple[str, ...]]] = {}

    start = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind") as runner:
        waiting: list[tuple[str, str, Future]] = []  # shards handed to Pagefind, oldest first
        for shard, (folder, size) in enumerate(zip(folders, sizes)):
            if cancelled():
                raise SearchCancelled
            files = oldest_first[start : start + size]
            start += size
            texts: dict[str, str] = {}  # indexed text of the pages read back this time
            for f in files:
                before = before_search.pages.get(f)
                if before and before[0] == page_fingerprints[f]:
                    pages[f] = before
                else:
                    texts[f] = read_indexed_part(sink.current(f))
                    pages[f] = (page_fingerprints[f], fingerprints.bytes_digest(texts[f].encode("utf-8")))
            fingerprint = fingerprints.search_shard(key, folder, shard, folder == folders[-1], [(f, pages[f][1]) for f in files])
            before = before_search.shards.get(folder)
            if before and before[0] == fingerprint and all(previous.unchanged(f, fingerprint) for f in before[1]):
                shards[folder] = before
                bundle.update(dict.fromkeys(before[1], True))
                made.update(dict.fromkeys(before[1], fingerprint))
                continue
            for f in files:  # the pages not read back above: their text is needed now
                if f not in texts:
                    texts[f] = read_indexed_part(sink.current(f))
            scratch = write_shard(texts, site.urls.base_path, shard)
            waiting.append((folder, fingerprint, runner.submit(index_shard, scratch, folder == folders[-1])))
            if len(waiting) > 1:  # one shard indexing, one ready: no more written ahead
                written += _stage(sink, *waiting.pop(0), shards, bundle, made)
        for item in waiting:
            written += _stage(sink, *item, shards, bundle, made)
    reused = frozenset(f for f, kept in bundle.items() if kept)
    return Searched(Produced(frozenset(bundle), made, reused, written), SearchRecord(shards, pages))


def _stage(sink: Sink, folder: str, fingerprint: str, running: Future, shards: dict, bundle: dict, made: dict) -> int:
    """Put one indexed shard into the sink as soon as Pagefind is done with it; how many files were new."""
    index = running.result()
    files = {folder + name: data for name, data in index.items()}
    written = sum(sink.put(rel, data) for rel, data in files.items())
    shards[folder] = (fingerprint, tuple(sorted(files)))
    bundle.update(dict.fromkeys(files, False))
    made.update(dict.fromkeys(files, fingerprint))
    return written


class SearchCancelled(Exception):
    """The build failed elsewhere while the search index was being made; that failure is the one reported."""


