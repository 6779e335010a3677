"""The `comments` command: list, show, approve and reject comments in the moderation queue."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sitegen.comments import store
from sitegen.errors import BuildError
from sitegen.messages import _

SNIPPET = 60


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `comments list|show|approve|reject` to the program's sub-commands."""
    p = subparsers.add_parser("comments", help=_("moderate comments: list, show, approve, reject, purge"),
                              description=_("Moderate the comments readers sent: list, show, approve, reject, purge."),
                              example="python build.py comments list")
    verbs = p.add_subparsers(dest="comments_command", metavar="{list,show,approve,reject,purge}", required=True, title=_("commands"))
    verbs.add_parser("list", help=_("pending comments, oldest first, one a line starting with the id"),
                     description=_("Pending comments, oldest first, one a line starting with the id."), example="python build.py comments list")
    purge = verbs.add_parser("purge", help=_("remove e-mail and website from comments older than comments.retention_days, "
                                             "and delete rejected ones that old"),
                             description=_("Remove e-mail and website from comments older than comments.retention_days, "
                                           "and delete rejected ones that old."), example="python build.py comments purge --dry-run")
    purge.add_argument("--dry-run", action="store_true", help=_("say what would be removed, and change nothing"))
    for verb, text in (
        ("show", _("print comments in full (pending, approved or rejected)")),
        ("approve", _("publish pending (or rejected) comments with the next build")),
        ("reject", _("move pending (or approved) comments to comments/rejected/")),
    ):
        example = f"python build.py comments {verb} {'--rebuild ' if verb == 'approve' else ''}20170315T120301000000Z-1a2b3c4d5e6f7a8b"
        sub = verbs.add_parser(verb, help=text, description=text[0].upper() + text[1:] + ".", example=example)
        sub.add_argument("ids", nargs="+", metavar="ID", help=_("comment id, as `comments list` shows it"))
        if verb == "approve":
            sub.add_argument("--rebuild", action="store_true", help=_("build the site afterwards, so the comments are published"))
    p.set_defaults(func=run)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return _for_terminal(flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…")


def _for_terminal(text: str) -> str:
    """``text`` with each character a terminal would act on or not show written as an escape ('\\u200b'), lines kept.

    The receiver stores no control characters, but a file may be older or edited by hand; a zero-width
    or bidi character would let a comment look like something else.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\t\n" or unicodedata.category(c) == "Zs" else c.encode("unicode_escape").decode()
                   for c in text)


def _list(root: Path, stdout: TextIO, stderr: TextIO) -> int:
    comments = store.pending(root)
    for c in comments:
        date = c.date.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        stdout.write(f"{c.id}\t{_one_line(c.post, 100)}\t{_one_line(c.name, 40)}\t{date}\t{_one_line(c.text, SNIPPET)}\n")
    if not comments:
        stderr.write(_("No comments are waiting for moderation.") + "\n")
    return 0


def _show(root: Path, ids: list[str], stdout: TextIO, stderr: TextIO) -> int:
    status = 0
    shown = 0
    for comment_id in ids:
        found = store.locate(root, comment_id)
        if found is None:
            stderr.write(_unknown(comment_id))
            status = 1
            continue
        state, path = found
        try:
            c = store.load(path)
        except BuildError as exc:
            stderr.writelines(f"{error}\n" for error in exc.errors)
            status = 1
            continue
        stdout.write("\n" * bool(shown))
        fields = ((_("id"), c.id), (_("status"), _state(state)), (_("post"), c.post), (_("name"), c.name), (_("e-mail"), c.email),
                  (_("website"), c.website), (_("date"), c.date.isoformat()), (_("file"), path))
        width = max(len(label) for label, _value in fields) + 2
        stdout.writelines(f"{label + ':':<{width}}{_for_terminal(str(value))}\n" for label, value in fields)
        stdout.write(f"\n{_for_terminal(c.text.rstrip())}\n")
        shown += 1
    return status


def _move(root: Path, verb: str, ids: list[str], rebuild: bool, stdout: TextIO, stderr: TextIO,
          posts: Collection[str] | None) -> int:
    done = "approved" if verb == "approve" else "rejected"  # the state, as store.locate names it
    before = {i: store.locate(root, i) for i in ids}
    seen = {i: found[0] for i, found in before.items() if found}
    try:
        if verb == "approve":
            store.approve(root, ids, seen, posts)
        else:
            store.reject(root, ids, seen)
    except store.ChangedMeanwhile as exc:
        stderr.writelines(_("{id} was just moved by another command (it is now {state}); nothing was done: "
                            "`comments show {id}` shows it", id=i, state=_state(state)) + "\n" for i, state in exc.moved)
        return 1
    except store.UnknownComment as exc:
        stderr.writelines(_unknown(comment_id) for comment_id in exc.ids)
        stderr.write((_("Nothing was approved; `comments list` shows the pending ids.") if verb == "approve"
                      else _("Nothing was rejected; `comments list` shows the pending ids.")) + "\n")
        return 1
    for comment_id, found in before.items():
        if found and found[0] == done:
            stderr.write(_("{id} was already {state}", id=comment_id, state=_state(done)) + "\n")
        elif found:
            stdout.write(f"{_state(done)} {comment_id}\n")
    if verb == "approve" and not rebuild:
        stderr.write(_("Approved comments are published by the next build: run `python build.py`, or approve with --rebuild.") + "\n")
    return 0


def _state(state: str) -> str:
    """'pending', 'approved' or 'rejected', as the moderator reads it."""
    return {"pending": _("pending"), "approved": _("approved"), "rejected": _("rejected")}.get(state, state)


def _unknown(comment_id: str) -> str:
    return _("comments: no comment has the id '{id}'; `comments list` shows the pending ones", id=comment_id) + "\n"


def _purge(root: Path, days: int, dry_run: bool, now: datetime, stdout: TextIO, stderr: TextIO) -> int:
    done = store.purge(root, now - timedelta(days=days), dry_run)
    stripped = _("e-mail and website would be removed") if dry_run else _("e-mail and website removed")
    deleted = _("rejected, would be deleted") if dry_run else _("rejected, deleted")
    stdout.writelines(f"{stripped}\t{i}\n" for i in done.stripped)
    stdout.writelines(f"{deleted}\t{i}\n" for i in done.deleted)
    summary = _("Would remove the e-mail and website of {stripped} comment(s) older than {days} days and delete {deleted} "
                "rejected one(s); nothing was changed.") if dry_run else _(
                "Removed the e-mail and website of {stripped} comment(s) older than {days} days and deleted {deleted} rejected one(s).")
    stderr.write(summary.format(stripped=len(done.stripped), days=days, deleted=len(done.deleted)) + "\n")
    return 0


def run(args: argparse.Namespace, root: Path, stdout: TextIO | None = None, stderr: TextIO | None = None,
        retention_days: int = 365, now: datetime | None = None, posts: Collection[str] | None = None) -> int:
    """Carry out one `comments` verb; 0 on success, 1 if any id or comment file is wrong.

    ``posts`` are the keys of the site's posts: a comment on none of them is not approved.

    ``approve --rebuild`` builds the site afterwards; the command line does that (cli.py), since
    the moderation verbs never load the build.
    """
    # Resolved per call, so redirected or captured streams are honoured.
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    root = Path(root)
    verb = args.comments_command
    ids = list(dict.fromkeys(getattr(args, "ids", [])))
    try:
        if verb == "list":
            return _list(root, stdout, stderr)
        if verb == "show":
            return _show(root, ids, stdout, stderr)
        if verb == "purge":
            return _purge(root, retention_days, args.dry_run, now or datetime.now(UTC), stdout, stderr)
        return _move(root, verb, ids, getattr(args, "rebuild", False), stdout, stderr, posts)
    except BuildError as exc:
        stderr.writelines(f"{error}\n" for error in exc.errors)
        return 1
    except OSError as exc:
        stderr.write(_("comments: {problem}: {file}", problem=exc.strerror or exc, file=exc.filename or root) + "\n")
        return 1
