"""Approved comments as the build shows them: per post, sanitised, dated in the site's time zone."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from sitegen.comments import sanitize, store
from sitegen.config.settings import Config
from sitegen.content.documents import Post
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _


def published_comments(root: Path, config: Config, posts: Iterable[Post], failed: Collection[str] = ()
                       ) -> dict[str, tuple[sanitize.RenderedComment, ...]]:
    """Approved comments per post key; comments for a post that is gone are an error (rename the folder with the post).

    ``failed`` are the keys of posts that could not be read (``check`` goes on without them): their comments are not gone.
    """
    approved = store.approved(root / config.comments.dir)
    keys = {p.key for p in posts} | set(failed)
    errors = [
        SourceError(f"{config.comments.dir}/{key}", 0, _("approved comments for a post that does not exist: no posts/{key}.md; rename the folder with the post", key=key))
        for key in sorted(approved)
        if key not in keys
    ]
    for key, items in sorted(approved.items()):
        ids = {c.id for c in items}
        errors += [SourceError(f"{config.comments.dir}/{key}/{c.id}.yaml", 0,
                               _("'parent' is {parent}, which is no approved comment of this post; remove the line or approve "
                                 "that comment", parent=c.parent))
                   for c in items if c.parent and (c.parent not in ids or c.parent == c.id)]
    if errors:
        raise BuildError(errors)
    zone = config.tz
    rendered = {}
    for key, items in approved.items():
        names = {c.id: sanitize.public_name(c.name) for c in items}
        rendered[key] = tuple(sanitize.render_comment(c, zone, names) for c in items)
    return rendered
