"""Comment files as the accounts of a real set-up meet them: the umask decides who reads them, a crash leaves
no e-mail behind, a repeat is stored once, and moderators working at once never both win (#19, classes 5 and 7)."""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sitetools import REPO, make_site, post_text, run_cli

from sitegen.cli import Parser
from sitegen.comments import moderate, store
from sitegen.comments.receiver import make_app
from sitegen.comments.store import Comment
from sitegen.search.pagefind import pagefind_executable


@pytest.mark.parametrize(("umask", "mode"), [(0o002, 0o664), (0o022, 0o644), (0o077, 0o600), (0o027, 0o640)])
def test_comment_files_are_made_as_the_umask_says(app, root, h, umask, mode):
    old = os.umask(umask)
    try:
        assert h.call(app).status == 200
    finally:
        os.umask(old)
    (path,) = (root / "pending").glob("*.yaml")
    assert stat.S_IMODE(path.stat().st_mode) == mode


# Run as root, it becomes another account after importing what it needs (the interpreter may live where
# only root can look): the receiver's account stores a comment; the moderator's lists, approves and builds.
CHILD = r"""
import io, json, os, sys
from contextlib import redirect_stderr, redirect_stdout
from urllib.parse import urlencode
from sitegen import cli
from sitegen.comments.receiver import CommentTarget, make_app
role, project, uid, gid, group, warm = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
if role == "moderator":  # once as root, so every module and locale a build uses is loaded before the switch
    os.chdir(warm)
    assert cli.main(["build"]) == 0
os.umask(0o002)
os.setgroups([group])
os.setgid(gid)
os.setuid(uid)
os.chdir(project)
result = {}
if role == "receiver":
    app = make_app(os.path.join(project, "comments"), lambda: {"a": CommentTarget("/2017/03/ett-besok/", True)})
    body = urlencode({"post": "a", "name": "Eva Ek", "email": "eva@example.se", "comment": "Tack!"}).encode()
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
               "REMOTE_ADDR": "192.0.2.1", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr}
    status = []
    b"".join(app(environ, lambda s, headers, exc_info=None: status.append(s)))
    result["status"] = status[0]
else:
    for name, argv in (("list", ["comments", "list"]), ("approve", None), ("build", ["build"])):
        out, err = io.StringIO(), io.StringIO()
        if argv is None:
            argv = ["comments", "approve", result["list"][1].split("\t")[0]]
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(argv)
        result[name] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(result))
"""

RECEIVER, MODERATOR, GROUP = 65534, 1, 4242  # nobody and daemon; the group they share exists only as a number


def _as(role: str, project: Path, uid: int, gid: int, warm: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, role, str(project), str(uid), str(gid), str(GROUP), str(warm)],
                          check=False, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can run processes as other accounts (CI runs as root)")
def test_a_receiver_of_its_own_account_stores_what_the_moderator_reads_approves_and_builds(tmp_path):
    base = Path(tempfile.mkdtemp(prefix="sitegen-accounts-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        project = make_site(base, {"a.md": post_text(municipality="Borås")}, name="project")
        warm = make_site(base, {"a.md": post_text(municipality="Borås")}, name="warm")
        _comment(warm / "comments", post="a")
        store.approve(warm / "comments", [c.id for c in store.pending(warm / "comments")])
        shutil.copy2(pagefind_executable(), base / "pagefind")  # where the moderator's account may run it
        for path in [project, *project.rglob("*")]:
            os.chown(path, MODERATOR, MODERATOR)
        comments = project / "comments"
        comments.mkdir()
        os.chown(comments, MODERATOR, GROUP)
        os.chmod(comments, 0o2775)  # the set-up the README describes: a shared group, kept by new folders
        env = {**os.environ, "PAGEFIND_BINARY_PATH": str(base / "pagefind"), "PYTHONPATH": str(REPO), "LANGUAGE": "sv"}
        stored = _as("receiver", project, RECEIVER, GROUP, warm, env)
        assert stored["status"].startswith("200")
        (path,) = (comments / "pending").glob("*.yaml")
        assert (path.stat().st_uid, path.stat().st_gid) == (RECEIVER, GROUP)
        moderated = _as("moderator", project, MODERATOR, MODERATOR, warm, env)
        assert moderated["list"][0] == 0 and "\tEva Ek\t" in moderated["list"][1]
        assert moderated["approve"][0] == 0, moderated["approve"][2]
        assert moderated["build"][0] == 0, moderated["build"][2]
        page = (project / "_site" / "2017" / "03" / "ett-besok" / "index.html").read_text(encoding="utf-8")
        assert "Eva Ek" in page and "Tack!" in page
    finally:
        shutil.rmtree(base)


def test_the_receiver_on_start_removes_what_a_crash_left_and_nothing_being_written(root, h):
    pending = root / "pending"
    pending.mkdir(parents=True)
    crashed = pending / ".0123456789abcdef.tmp"
    crashed.write_text("id: x\nemail: eva@example.se\n", encoding="utf-8")
    empty_old = pending / ".1123456789abcdef.tmp"
    empty_old.write_bytes(b"")
    os.utime(empty_old, (1, 1))
    just_made = pending / ".2123456789abcdef.tmp"  # a writer between creating and locking it
    just_made.write_bytes(b"")
    being_written = pending / ".3123456789abcdef.tmp"
    being_written.write_text("id: y\nemail: per@example.se\n", encoding="utf-8")
    with open(being_written, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as its writer holds it: the lock of another open file conflicts
        make_app(root, lambda: h.TARGETS)
    assert sorted(p.name for p in pending.iterdir()) == [".2123456789abcdef.tmp", ".3123456789abcdef.tmp"]


def test_a_comment_stored_leaves_no_temporary_file(app, root, h):
    assert h.call(app).status == 200
    assert [p.name.endswith(".yaml") for p in (root / "pending").iterdir()] == [True]


@pytest.mark.parametrize(("second", "stored"), [
    ({}, 1),  # the same form twice: "Skicka" pressed again
    ({"comment": "Tack för ett intressant besök!\r\n\r\nVi gör likadant i vår kommun."}, 1),  # CRLF: the same once cleaned
    ({"name": "  Eva   Ek "}, 1),
    ({"comment": "Ett annat svar."}, 2),
    ({"name": "Per Ek"}, 2),
    ({"email": "eva@example.org"}, 2),
])
def test_a_repeated_submission_within_a_minute_is_stored_once(app, root, h, clock, second, stored):
    assert h.call(app).status == 200
    r = h.call(app, fields=h.valid_fields(**second))
    assert r.status == 200 and "granskas innan den publiceras" in r.text
    assert len(store.pending(root)) == stored


def test_the_same_submission_a_minute_later_is_a_new_comment(app, root, h, clock):
    assert h.call(app).status == 200
    clock.t += 61
    assert h.call(app).status == 200
    assert len(store.pending(root)) == 2


def test_a_repeat_after_a_failed_store_is_stored(tmp_path, h, clock):
    blocked = tmp_path / "comments"
    blocked.write_text("")  # not a folder: storing fails
    app = make_app(blocked, lambda: h.TARGETS, clock=clock)
    assert h.call(app).status == 500
    blocked.unlink()
    assert h.call(app).status == 200
    assert len(store.pending(blocked)) == 1


def _moderate(root: Path, *argv: str, posts=None) -> tuple[int, str, str]:
    parser = Parser(prog="sitegen")
    moderate.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["comments", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, root, stdout=out, stderr=err, posts=posts)
    return code, out.getvalue(), err.getvalue()


def _comment(root: Path, post: str = "2017-03-14-finspang", minutes: int = 0) -> Comment:
    when = datetime(2017, 3, 14, 9, 30, tzinfo=UTC) + timedelta(minutes=minutes)
    c = Comment(id=store.new_id(when), post=post, name="Eva Ek", email="eva@example.se", website="", date=when, text="Tack!")
    store.submit(root, c)
    return c


def test_approve_refuses_a_comment_whose_post_is_gone_and_approves_none_of_the_ids(root):
    kept, orphan = _comment(root), _comment(root, post="2016-01-borttaget", minutes=1)
    code, out, err = _moderate(root, "approve", kept.id, orphan.id, posts={"2017-03-14-finspang"})
    assert code == 1 and out == ""
    assert (f"pending/{orphan.id}.yaml: dess inlägg '2016-01-borttaget' finns inte längre (det finns ingen "
            "posts/2016-01-borttaget.md eller posts/2016-01-borttaget/index.md): avvisa kommentaren, eller ta tillbaka "
            "inlägget\n") in err
    assert {c.id for c in store.pending(root)} == {kept.id, orphan.id}
    assert _moderate(root, "reject", orphan.id, posts={"2017-03-14-finspang"})[0] == 0  # rejecting it is the way out


def test_approve_through_the_command_line_knows_the_sites_posts(tmp_path):
    root = make_site(tmp_path, {"2017-03-14-finspang.md": post_text(municipality="Finspång")})
    kept, orphan = _comment(root / "comments"), _comment(root / "comments", post="2016-01-borttaget", minutes=1)
    code, _, err = run_cli(["comments", "approve", orphan.id], root)
    assert code == 1 and f"comments/pending/{orphan.id}.yaml: dess inlägg '2016-01-borttaget' finns inte längre" in err
    assert run_cli(["comments", "approve", kept.id], root)[0] == 0


def _at_once(root: Path, monkeypatch, verbs: tuple[str, str], comment_id: str) -> dict[str, tuple[int, str, str]]:
    """Both verbs on one id in two threads, each let on to the lock only once both have found the comment."""
    both_looked = threading.Barrier(2)

    def after_looking(real):
        def move(*args, **kwargs):
            both_looked.wait(10)
            return real(*args, **kwargs)
        return move

    monkeypatch.setattr(store, "approve", after_looking(store.approve))
    monkeypatch.setattr(store, "reject", after_looking(store.reject))
    results: dict[str, tuple[int, str, str]] = {}

    def run(verb: str) -> None:
        results[verb] = _moderate(root, verb, comment_id)

    threads = [threading.Thread(target=run, args=(verb,)) for verb in verbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    monkeypatch.undo()
    return results


@pytest.mark.parametrize("verbs", [("approve", "reject"), ("reject", "approve")])
def test_of_an_approve_and_a_reject_at_once_exactly_one_succeeds(root, monkeypatch, verbs):
    for attempt in range(10):
        c = _comment(root, minutes=attempt)
        results = _at_once(root, monkeypatch, verbs, c.id)
        assert sorted(code for code, _, _ in results.values()) == [0, 1], results
        loser = next(err for code, _, err in results.values() if code == 1)
        assert f"{c.id} flyttades nyss av ett annat kommando" in loser
        assert store.locate(root, c.id)[0] in ("approved", "rejected")
        assert len(list(root.rglob(f"{c.id}.yaml"))) == 1


def test_one_after_the_other_both_succeed_the_second_undoing_the_first(root):
    c = _comment(root)
    assert _moderate(root, "approve", c.id)[0] == 0
    assert _moderate(root, "reject", c.id)[0] == 0
    assert store.locate(root, c.id)[0] == "rejected"
