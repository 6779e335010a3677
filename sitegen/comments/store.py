"""Comment files: one YAML file per comment in pending/, <post-key>/ or rejected/."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from sitegen.config.schema import Field, not_blank, validate_mapping
from sitegen.config.yamlsource import CONTROL, YamlError, decode_text, parse
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _

PENDING = "pending"
REJECTED = "rejected"
RESERVED = frozenset({PENDING, REJECTED})
# Ids become file names and HTML ids, so they may hold no path or space characters.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Writes multi-line text as a literal block, so files stay readable and diffable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


@dataclass(frozen=True)
class Comment:
    """One comment as stored; ``date`` is tz-aware UTC and ``text`` is the raw submission."""

    id: str
    post: str
    name: str
    email: str
    website: str
    date: datetime
    text: str
    parent: str = ""  # the id of the comment of the same post this one answers; '' for none (the form makes none)


class ChangedMeanwhile(Exception):
    """Raised with (id, where it is now) of each comment another command moved while this one started."""

    def __init__(self, moved: Sequence[tuple[str, str]]):
        self.moved = tuple(moved)
        super().__init__(", ".join(i for i, _ in self.moved))


class UnknownComment(KeyError):
    """Raised with every id that names no comment the operation can act on."""

    def __init__(self, ids: Sequence[str]):
        self.ids = tuple(ids)
        super().__init__(", ".join(self.ids))

    def __str__(self) -> str:
        return "unknown comment id: " + ", ".join(self.ids)


def new_id(now: datetime) -> str:
    """A unique, unguessable id whose UTC timestamp prefix sorts ids by time."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(8)}"


def valid_post_key(key: str) -> bool:
    """Whether ``key`` can name a folder of approved comments."""
    return bool(key) and key not in RESERVED and not key.startswith(".") and not re.search(r"[/\\\x00-\x1f]", key)


def dump(comment: Comment) -> str:
    """The YAML text of a comment file."""
    data = {
        "id": comment.id,
        "post": comment.post,
        "name": comment.name,
        "email": comment.email,
        "website": comment.website,
        "date": comment.date.astimezone(UTC).isoformat(),
        **({"parent": comment.parent} if comment.parent else {}),  # files without a reply stay as they always were
        "text": comment.text,
    }
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, never replacing an existing file."""
    _write_atomically(path, data, replace_existing=False)


def _overwrite(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically."""
    _write_atomically(path, data, replace_existing=True)


TEMPORARY = ".tmp"  # the end of a file being written: '.<random>.tmp' beside its final name


def _write_atomically(path: Path, data: bytes, replace_existing: bool) -> None:
    """A temporary file beside ``path``, flushed to disk, then moved to its name; the folder synced after.

    Made as any file is, so the umask decides who may read it: a receiver running as its own
    account can leave comments its group (the moderator, the build) reads and moves. It is locked
    while it exists, so ``sweep`` tells one being written from one a crash left behind.
    """
    while True:
        tmp = path.parent / f".{secrets.token_hex(8)}{TEMPORARY}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            _lock(f.fileno(), blocking=True)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            if replace_existing:
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)  # unlike rename, a hard link fails if the name is taken
                except FileExistsError:
                    raise
                except OSError:
                    os.replace(tmp, path)  # file systems without hard links; ids are unique anyway
            tmp.unlink(missing_ok=True)  # still locked: no sweep takes it meanwhile
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _lock(fd: int, blocking: bool) -> bool:
    """An exclusive lock on an open file, released when it closes; False if another process holds one."""
    if fcntl is None:  # no fcntl (Windows): ``sweep`` goes by age instead
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def sweep(folder: Path) -> int:
    """Remove the temporary files a crash left in ``folder`` (they hold e-mail addresses); returns how many.

    A file being written is locked by its writer and left alone. Its writer locks it before writing,
    so one that is unlocked and has bytes is a crash's; an empty one may be a moment old, before its
    lock, and is taken once it is a few seconds old. Without file locks, only files an hour old are taken.
    """
    removed = 0
    for tmp in Path(folder).glob(f".*{TEMPORARY}"):
        try:
            with open(tmp, "rb") as f:
                stat = os.fstat(f.fileno())
                age = time.time() - stat.st_mtime
                if fcntl is None:
                    orphan = age > 3600
                else:
                    orphan = _lock(f.fileno(), blocking=False) and (stat.st_size > 0 or age > 5)
                if orphan:
                    tmp.unlink()
                    removed += 1
        except FileNotFoundError:  # its writer has just finished
            continue
    return removed


def submit(root: Path, comment: Comment) -> Path:
    """Store a new comment in the pending queue and return its file."""
    if not ID_PATTERN.fullmatch(comment.id):
        raise ValueError(f"invalid comment id {comment.id!r}")
    if any(CONTROL.search(value) for value in (comment.post, comment.name, comment.email, comment.website, comment.text)):
        raise ValueError("a comment to store has control characters: clean it first (sanitize.clean_text)")  # no file could be read
    folder = Path(root) / PENDING
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{comment.id}.yaml"
    _write_new(path, dump(comment).encode("utf-8"))
    return path


def _parse_date(value: object) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    # A hand-written date without an offset is taken as UTC, the store's zone.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _date_problem(value: object) -> str | None:
    return None if _parse_date(value) else _("must be an ISO 8601 date and time, e.g. 2017-03-14T10:15:00+00:00")


# a comment file's keys, in the order they are written (``dump``), checked as config.yaml and posts are
FIELDS = {
    "id": Field((str,), check=not_blank),
    "post": Field((str,), check=not_blank),
    "name": Field((str,), check=not_blank),
    "email": Field((str,), ""),
    "website": Field((str,), ""),
    "date": Field((str, date), check=_date_problem),  # YAML reads an unquoted ISO date and time as a datetime
    "parent": Field((str,), "", lambda v: None if not v or ID_PATTERN.fullmatch(v) else "must be a comment id, like the file names"),
    "text": Field((str,), check=not_blank),
}


def load(path: Path) -> Comment:
    """Read one comment file; raise BuildError naming the file and line of every problem."""
    name = shown(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BuildError([SourceError(name, 0, _("cannot be read ({problem}); make it readable or remove it", problem=exc.strerror))]) from None
    try:
        doc = parse(decode_text(raw, name))
    except YamlError as exc:
        raise BuildError([SourceError(name, exc.line, exc.message)]) from None
    errors: list[SourceError] = []
    fields = validate_mapping(doc, (), doc.data, FIELDS, name, errors)
    if not errors and not (ID_PATTERN.fullmatch(fields["id"]) and fields["id"] == Path(path).stem):
        errors.append(SourceError(name, doc.line("id"), _("id '{id}' must be the file's name, '{stem}'", id=fields["id"], stem=Path(path).stem)))
    if errors:
        raise BuildError(errors)
    return Comment(**{**fields, "date": _parse_date(fields["date"])})


def shown(path: Path) -> str:
    """A comment file as messages name it: from the current folder, as a moderator there can open it (else whole)."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else Path(relative).as_posix()


def _load_all(paths: Sequence[Path]) -> list[Comment]:
    return sorted(_load_in_order(paths), key=lambda c: (c.date, c.id))


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.is_file() and not p.name.startswith("."))


def pending(root: Path) -> list[Comment]:
    """Comments awaiting moderation, oldest first."""
    return _load_all(_files(Path(root) / PENDING))


def _approved_folders(root: Path) -> list[Path]:
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and valid_post_key(p.name))


def approved_files(root: Path) -> list[Path]:
    """Every approved comment file, sorted (for cache hashing)."""
    return [path for folder in _approved_folders(root) for path in _files(folder)]


def approved(root: Path) -> dict[str, tuple[Comment, ...]]:
    """Approved comments per post key, oldest first; BuildError lists every malformed file."""
    result: dict[str, tuple[Comment, ...]] = {}
    errors: list[SourceError] = []
    for folder in _approved_folders(root):
        comments = []
        for path in _files(folder):
            try:
                c = load(path)
            except BuildError as exc:
                errors.extend(exc.errors)
                continue
            if c.post != folder.name:
                errors.append(SourceError(shown(path), 0, _("post '{post}' is not its folder's name, '{folder}': move the file or mend "
                                                          "the line", post=c.post, folder=folder.name)))
            comments.append(c)
        if comments:
            result[folder.name] = tuple(sorted(comments, key=lambda c: (c.date, c.id)))
    if errors:
        raise BuildError(sorted(errors))
    return result


def locate(root: Path, comment_id: str) -> tuple[str, Path] | None:
    """Where a comment is: ("pending" | "approved" | "rejected", its file), or None."""
    if not ID_PATTERN.fullmatch(comment_id):
        return None
    root = Path(root)
    for state, folder in ((PENDING, root / PENDING), (REJECTED, root / REJECTED)):
        path = folder / f"{comment_id}.yaml"
        if path.is_file():
            return state, path
    for folder in _approved_folders(root):
        path = folder / f"{comment_id}.yaml"
        if path.is_file():
            return "approved", path
    return None


@contextmanager
def _moderating(root: Path) -> Iterator[None]:
    """One moderation command at a time moves comments: an exclusive lock on the comments folder's '.lock'."""
    if not root.is_dir():
        yield
        return
    with open(root / ".lock", "ab") as lock:
        _lock(lock.fileno(), blocking=True)
        yield


def _move(root: Path, ids: Sequence[str], sources: set[str], target: str | None, seen: Mapping[str, str] | None,
          posts: Collection[str] | None) -> None:
    """Move comments into ``target`` (None: each to its post's folder), all ids checked first.

    ``seen`` is where the command found each comment before it took the lock: one another command
    has moved since is not moved again (of an approve and a reject at once, one succeeds). With
    ``posts``, a comment on none of them is not approved.
    """
    root = Path(root)
    moves: list[tuple[Path, Path]] = []
    unknown: list[str] = []
    changed: list[tuple[str, str]] = []
    errors: list[SourceError] = []
    with _moderating(root):
        for comment_id in dict.fromkeys(ids):
            found = locate(root, comment_id)
            if found is None:
                unknown.append(comment_id)
                continue
            state, path = found
            if seen is not None and seen.get(comment_id, state) != state:
                changed.append((comment_id, state))
                continue
            if state not in sources:
                continue  # already where it should be
            try:
                comment = load(path)
            except BuildError as exc:
                errors.extend(exc.errors)
                continue
            folder = target or comment.post
            if target is None and not valid_post_key(folder):
                errors.append(SourceError(shown(path), 0, _("'{folder}' cannot be the folder of a post's comments: rename it after "
                                                          "the post", folder=folder)))
                continue
            if target is None and posts is not None and comment.post not in posts:
                errors.append(SourceError(shown(path), 0, _("its post '{post}' no longer exists (there is no posts/{post}.md or "
                                                          "posts/{post}/index.md): reject the comment, or bring the post back",
                                                          post=comment.post)))
                continue
            moves.append((path, root / folder / path.name))
        if unknown:
            raise UnknownComment(unknown)
        if changed:
            raise ChangedMeanwhile(changed)
        if errors:
            raise BuildError(errors)
        for source, destination in moves:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, destination)
            _fsync_dir(destination.parent)
            _fsync_dir(source.parent)


def approve(root: Path, ids: Sequence[str], seen: Mapping[str, str] | None = None, posts: Collection[str] | None = None) -> None:
    """Move pending (or rejected) comments to their post's folder; UnknownComment names unknown ids."""
    _move(root, ids, {PENDING, REJECTED}, None, seen, posts)


def reject(root: Path, ids: Sequence[str], seen: Mapping[str, str] | None = None) -> None:
    """Move pending (or approved) comments to rejected/; UnknownComment names unknown ids."""
    _move(root, ids, {PENDING, "approved"}, REJECTED, seen, None)


@dataclass(frozen=True)
class Purged:
    """What ``purge`` did, or would do: ids, oldest first."""

    stripped: tuple[str, ...]  # comments whose e-mail and website were removed
    deleted: tuple[str, ...]  # rejected comments deleted


def purge(root: Path, before: datetime, dry_run: bool = False) -> Purged:
    """Remove the e-mail and website of every comment written before ``before``, and delete the rejected ones.

    Approved and pending comments keep their name, date and text. Every file is read first, so a
    malformed one stops the purge before anything changes (BuildError names them all).
    """
    root = Path(root)
    kept = [path for folder in (root / PENDING, *_approved_folders(root)) for path in _files(folder)]
    rejected = _files(root / REJECTED)
    comments = {path: c for path, c in zip([*kept, *rejected], _load_in_order([*kept, *rejected]), strict=True)}
    strip = sorted((c.date, c.id, path) for path, c in comments.items()
                   if path in set(kept) and c.date < before and (c.email or c.website))
    delete = sorted((c.date, c.id, path) for path, c in comments.items() if path.parent == root / REJECTED and c.date < before)
    if not dry_run:
        for _, _, path in strip:
            _overwrite(path, dump(replace(comments[path], email="", website="")).encode("utf-8"))
        for _, _, path in delete:
            path.unlink()
            _fsync_dir(path.parent)
    return Purged(tuple(i for _, i, _ in strip), tuple(i for _, i, _ in delete))


def _load_in_order(paths: Sequence[Path]) -> list[Comment]:
    """Every file read, in the order given; BuildError lists the problems of all of them."""
    comments, errors = [], []
    for path in paths:
        try:
            comments.append(load(path))
        except BuildError as exc:
            errors.extend(exc.errors)
    if errors:
        raise BuildError(errors)
    return comments
