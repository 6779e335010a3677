"""Approved comments as the build shows them: per post, sanitised, dated in the site's time zone."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sitegen.comments import sanitize, store
from sitegen.config.settings import Config
from sitegen.content.documents import Post
from sitegen.errors import BuildError, SourceError


def published_comments(root: Path, config: Config, posts: Iterable[Post]) -> dict[str, tuple[sanitize.RenderedComment, ...]]:
    """Approved comments per post key; comments for a post that is gone are an error (rename the folder with the post)."""
    approved = store.approved(root / config.comments.dir)
    keys = {p.key for p in posts}
    errors = [
        SourceError(f"{config.comments.dir}/{key}", 0, f"approved comments for a post that does not exist: no posts/{key}.md")
        for key in sorted(approved)
        if key not in keys
    ]
    if errors:
        raise BuildError(errors)
    zone = config.tz
    return {key: tuple(sanitize.render_comment(c, zone) for c in items) for key, items in approved.items()}
