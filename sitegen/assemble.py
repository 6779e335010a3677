"""The outputs besides HTML pages: feeds, sitemap, open data, search bundle, static files, post images."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .cache import digest
from .feeds import render_feed
from .index import Site
from .inputs import feed_fingerprint
from .opendata import render_csv, render_json
from .output import REUSE, Content, Staging
from .plan import PageJob, feed_paths
from .search import index_shard, indexed_digest, read_indexed_part, shard_folders, shard_sizes, write_shard
from .sitemap import render_robots, render_sitemap

STATIC_DIR = "static"
COMMENT_TARGETS = "kommentarer.json"

Reusable = Callable[[str, str], bool]  # (output file, fingerprint) -> the previous file is still right


def machine_outputs(
    site: Site, jobs: list[PageJob], shared: str, listing: str, reusable: Reusable, fingerprints: dict[str, str]
) -> dict[str, Content]:
    """Feeds, sitemap, robots.txt, open data and the comment targets; each fingerprinted like a page.

    ``listing`` is ``inputs.all_posts(site)``, made once with the plan.
    """
    files: dict[str, Content] = {}

    def produce(file: str, fingerprint: str, make, *args) -> None:
        fingerprints[file] = fingerprint
        files[file] = REUSE if reusable(file, fingerprint) else make(site, *args)

    terms: dict[str, tuple] = {}
    for path, ref in feed_paths(site):
        produce(path, feed_fingerprint(site, shared, path, ref, terms), render_feed, path, ref)
    everything = digest(shared, listing, [j.path for j in jobs])
    produce("sitemap.xml", everything, render_sitemap, jobs)
    produce("robots.txt", shared, render_robots)
    produce("besok.json", everything, render_json)
    produce("besok.csv", everything, render_csv)
    produce(COMMENT_TARGETS, everything, render_comment_targets)
    return files


def copied_files(root: Path, site: Site) -> dict[str, Content]:
    """static/ and the images beside folder posts, compared byte for byte when written."""
    files: dict[str, Content] = {}
    static = root / STATIC_DIR
    if static.is_dir():
        for p in sorted(static.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                files[f"{STATIC_DIR}/{p.relative_to(static).as_posix()}"] = p
    for item in (*site.posts, *site.pages):
        if item.assets:  # most posts are single files: no path to make
            folder = (root / item.source).parent
            files.update((item.url + asset, folder / asset) for asset in item.assets)
    return files


def comment_targets(site: Site) -> dict[str, tuple[str, bool]]:
    """Post key -> (URL path, comments open): what the comment receiver accepts."""
    return {p.key: (site.urls.href(p.url), p.comments_open) for p in site.posts}


def render_comment_targets(site: Site) -> bytes:
    targets = {key: {"url": url, "open": is_open} for key, (url, is_open) in comment_targets(site).items()}
    return (json.dumps(targets, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def search_bundle(
    site: Site,
    staging: Staging,
    search_key: str,
    reusable: Reusable,
    previous: Mapping[str, Any] | None,
    fingerprints: dict[str, str],
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[dict[str, Content], dict[str, Any]]:
    """Pagefind's bundle over every post page, shard by shard; a shard whose indexed text is unchanged is carried over.

    A shard is fingerprinted by what Pagefind reads of its pages (``search.indexed_part``), not by
    the pages' fingerprints, so a template change outside the indexed element (the header, the
    footer, the comment form) does not re-index anything. That text is read back, once, from the
    pages whose fingerprint changed. Post pages are read from ``staging`` and each new shard is
    staged as soon as it is made. ``previous`` is the last build's record. Returns every bundle
    file (REUSE when its bytes are unchanged, else the staged path) and the record for the next build.
    When ``cancelled()`` (the build failed elsewhere), it stops before the next shard.

    One Pagefind process runs at a time, in a helper thread, while this one reads and writes the
    next shard's pages (a quarter of the stage). A second Pagefind process at once cut the stage
    by another quarter, but its ~130 MiB would take the peak past the performance budget (400 MiB
    at 10,000 posts).
    """
    previous = previous if isinstance(previous, dict) and "shards" in previous else {"shards": {}, "pages": {}}
    oldest_first = [p.url + "index.html" for p in reversed(site.posts)]  # the post pages' files
    pages: dict[str, tuple[str, str]] = {}  # post page -> (page fingerprint, digest of its indexed text)
    sizes = shard_sizes(len(oldest_first))
    folders = shard_folders(len(sizes))
    bundle: dict[str, Content] = {}
    shards: dict[str, tuple[str, list[str]]] = {}

    def done(folder: str, fingerprint: str, made: dict[str, Content]) -> None:
        fingerprints.update(dict.fromkeys(made, fingerprint))
        shards[folder] = (fingerprint, sorted(made))
        bundle.update(made)

    def stage(folder: str, fingerprint: str, running: Future) -> None:
        index = running.result()
        done(folder, fingerprint, {folder + name: staging.tmp / (folder + name) if staging.put(folder + name, data) else REUSE
                                   for name, data in index.items()})

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
                before = previous["pages"].get(f)
                if before and before[0] == fingerprints[f]:
                    pages[f] = before
                else:
                    texts[f] = read_indexed_part(staging.current(f))
                    pages[f] = (fingerprints[f], indexed_digest(texts[f]))
            fingerprint = digest(search_key, folder, shard, folder == folders[-1], [(f, pages[f][1]) for f in files])
            before = previous["shards"].get(folder)
            if before and before[0] == fingerprint and all(reusable(f, fingerprint) for f in before[1]):
                done(folder, fingerprint, dict.fromkeys(before[1], REUSE))
                continue
            for f in files:  # the pages not read back above: their text is needed now
                if f not in texts:
                    texts[f] = read_indexed_part(staging.current(f))
            written = write_shard(texts, site.urls.base_path, shard)
            waiting.append((folder, fingerprint, runner.submit(index_shard, written, folder == folders[-1])))
            if len(waiting) > 1:  # one shard indexing, one ready: no more written ahead
                stage(*waiting.pop(0))
        for item in waiting:
            stage(*item)
    return dict(sorted(bundle.items())), {"shards": shards, "pages": pages}


class SearchCancelled(Exception):
    """The build failed elsewhere while the search index was being made; that failure is the one reported."""
