"""How the search index is cut into shards: a layout that depends only on the number of posts.

Pagefind has no incremental mode and needs about 250 KB of memory per page while it indexes,
so the posts, oldest first, are cut into shards of at most ``SHARD_MAX`` and each shard is an
index of its own, merged in the browser (``mergeIndex``). Full shards never change when a post
is added, and the newest posts sit in the smallest shards, so a new or edited recent post
re-indexes a few posts, not the site. The newest shard is the bundle's root, with Pagefind's
script and WebAssembly; the others are in numbered folders beneath it.
"""

from __future__ import annotations

BUNDLE_DIR = "pagefind"

# posts per shard at most; a power of two. 512 pages keep Pagefind near 130 MiB.
SHARD_MAX = 512
# the newest posts below a multiple of this share one shard: small sites have a single index
SHARD_MIN = 64


def shard_sizes(posts: int) -> list[int]:
    """How many posts each shard holds, oldest first.

    Full shards of ``SHARD_MAX``, then the rest as falling powers of two down to ``SHARD_MIN``,
    then what is left (fewer than ``SHARD_MIN``) in one shard. The cut depends only on the number
    of posts, so a clean build makes the same shards; a post added after all others changes only
    the last shard, except when it completes a block (like a carry in a binary counter).
    """
    full, rest = divmod(posts, SHARD_MAX)
    sizes = [SHARD_MAX] * full
    block = SHARD_MAX >> 1
    while block >= SHARD_MIN:
        if rest >= block:
            sizes.append(block)
            rest -= block
        block >>= 1
    return sizes + [rest] if rest else sizes


def shard_folders(shards: int) -> list[str]:
    """Each shard's folder in the output, oldest first: numbered folders, the newest at the root."""
    return [f"{BUNDLE_DIR}/{i}/" for i in range(shards - 1)] + [f"{BUNDLE_DIR}/"] if shards else []
