"""The `comments` command: list, show, approve and reject, called through its functions."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime, timedelta

import pytest
from sitetools import make_site, post_text, run_cli

from sitegen.cli import Parser
from sitegen.comments import moderate, store
from sitegen.comments.store import Comment

T0 = datetime(2017, 3, 14, 9, 30, tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="sitegen")
    moderate.register(p.add_subparsers(dest="command"))
    return p


def run(root, *argv: str) -> tuple[int, str, str]:
    args = parser().parse_args(["comments", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, root, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def add(root, minutes: int, post: str = "2017-03-14-finspang", text: str = "Hej och tack!", name: str = "Eva Ek") -> Comment:
    when = T0 + timedelta(minutes=minutes)
    c = Comment(id=store.new_id(when), post=post, name=name, email="eva@example.se", website="", date=when, text=text)
    store.submit(root, c)
    return c


def test_register_sets_run():
    args = parser().parse_args(["comments", "approve", "a", "b"])
    assert args.func is moderate.run and args.ids == ["a", "b"]


def test_usage_errors_exit_2():
    for argv in (["comments"], ["comments", "approve"], ["comments", "publish", "x"]):
        with pytest.raises(SystemExit) as info:
            parser().parse_args(argv)
        assert info.value.code == 2


def test_list_empty_queue_prints_nothing_on_stdout(root):
    code, out, err = run(root, "list")
    assert (code, out) == (0, "")
    assert err == "Inga kommentarer väntar på moderering.\n"


def test_list_one_line_each_oldest_first(root):
    later = add(root, 10, text="Andra\n\nkommentaren   med\tmycket luft " + "ord " * 40, name="Per\tPersson")
    first = add(root, 1, post="besok-i-lycksele")
    code, out, err = run(root, "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0] == f"{first.id}\tbesok-i-lycksele\tEva Ek\t2017-03-14 09:31\tHej och tack!"
    fields = lines[1].split("\t")
    assert fields[:4] == [later.id, "2017-03-14-finspang", "Per Persson", "2017-03-14 09:40"]
    assert fields[4].startswith("Andra kommentaren med mycket luft ord") and fields[4].endswith("…")
    assert len(fields[4]) <= moderate.SNIPPET
    assert [line.split("\t")[0] for line in lines] == [first.id, later.id]


def test_list_reports_malformed_files(root, english):
    add(root, 1)
    (root / "pending" / "trasig.yaml").write_text("id: [\n", encoding="utf-8")
    code, out, err = run(root, "list")
    assert code == 1 and out == ""
    assert "trasig.yaml:" in err and "invalid YAML" in err


def test_show(root):
    c = add(root, 1, text="Rad ett\nrad två")
    code, out, err = run(root, "show", c.id)
    assert code == 0 and err == ""
    assert f"id:        {c.id}\n" in out
    assert "status:    väntande\n" in out and "e-post:    eva@example.se\n" in out and "webbplats: \n" in out
    assert out.endswith("\n\nRad ett\nrad två\n")


def test_show_unknown_ids_reports_all(root):
    c = add(root, 1)
    code, out, err = run(root, "show", "nope", c.id, "../x")
    assert code == 1
    assert c.id in out
    assert err == ("comments: ingen kommentar har id 'nope'; `comments list` visar de väntande\n"
                   "comments: ingen kommentar har id '../x'; `comments list` visar de väntande\n")


def test_approve(root):
    a, b = add(root, 1), add(root, 2, post="besok-i-lycksele")
    code, out, err = run(root, "approve", a.id, b.id)
    assert code == 0
    assert out == f"godkänd {a.id}\ngodkänd {b.id}\n"
    assert "Godkända kommentarer publiceras med nästa bygge: kör `python build.py`, eller godkänn med --rebuild." in err
    assert store.pending(root) == []
    assert store.approved(root) == {"2017-03-14-finspang": (a,), "besok-i-lycksele": (b,)}
    code, out, err = run(root, "approve", a.id)
    assert (code, out) == (0, "") and err.startswith(f"{a.id} var redan godkänd\n")


def test_reject(root):
    a, b = add(root, 1), add(root, 2)
    code, out, _err = run(root, "reject", b.id)
    assert (code, out) == (0, f"avvisad {b.id}\n")
    assert [c.id for c in store.pending(root)] == [a.id]
    assert (root / "rejected" / f"{b.id}.yaml").is_file()
    assert store.approved(root) == {}


@pytest.mark.parametrize("verb", ["approve", "reject"])
def test_unknown_ids_change_nothing(root, verb):
    a = add(root, 1)
    code, out, err = run(root, verb, a.id, "finns-inte", "20990101T000000000000Z-0000000000000000")
    assert code == 1 and out == ""
    assert "comments: ingen kommentar har id 'finns-inte'" in err
    assert "comments: ingen kommentar har id '20990101T000000000000Z-0000000000000000'" in err
    assert err.endswith(("Ingenting godkändes" if verb == "approve" else "Ingenting avvisades")
                        + "; `comments list` visar de väntande kommentarernas id.\n")
    assert [c.id for c in store.pending(root)] == [a.id]
    assert store.approved(root) == {}


def test_approve_reports_a_malformed_comment(root):
    (root / "pending").mkdir(parents=True)
    (root / "pending" / "x1.yaml").write_text("id: x1\npost: p\nname: Eva\n", encoding="utf-8")
    code, out, err = run(root, "approve", "x1")
    assert code == 1 and out == ""
    assert "x1.yaml:1: nyckeln 'date' saknas men krävs" in err
    assert (root / "pending" / "x1.yaml").exists()


def test_approve_rebuild_publishes_the_comment_at_once(tmp_path):
    root = make_site(tmp_path, {"2017-03-14-finspang.md": post_text("Återbesök i Finspång", municipality="Finspång")})
    c = add(root / "comments", 1, text="Bra att ni kom tillbaka.")
    code, out, err = run_cli(["comments", "approve", "--rebuild", c.id], root)
    assert (code, out) == (0, f"godkänd {c.id}\n"), err
    assert "--rebuild" not in err and "1 inlägg publicerat i" in err
    assert "Bra att ni kom tillbaka." in (root / "_site/2017/03/aterbesok-i-finspang/index.html").read_text(encoding="utf-8")


def _purge(root, *flags: str, days: int = 365, now: datetime = T0 + timedelta(days=400)) -> tuple[int, str, str]:
    args = parser().parse_args(["comments", "purge", *flags])
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, root, stdout=out, stderr=err, retention_days=days, now=now)
    return code, out.getvalue(), err.getvalue()


def test_purge_removes_email_and_website_of_old_comments_and_deletes_old_rejected_ones(root, english):
    old = add(root, 0)  # 400 days before "now"
    old_rejected = add(root, 1)
    recent = add(root, 60 * 24 * 100)  # 300 days before "now": kept whole
    waiting = add(root, 2)  # still in the queue, and old
    store.approve(root, [old.id, recent.id])
    store.reject(root, [old_rejected.id])
    code, out, err = _purge(root)
    assert code == 0
    assert out.splitlines() == [f"e-mail and website removed\t{old.id}", f"e-mail and website removed\t{waiting.id}",
                                f"rejected, deleted\t{old_rejected.id}"]
    assert err == "Removed the e-mail and website of 2 comment(s) older than 365 days and deleted 1 rejected one(s).\n"
    approved = store.approved(root)["2017-03-14-finspang"]
    assert [(c.id, c.name, c.text, c.email, c.website) for c in approved] == [
        (old.id, "Eva Ek", "Hej och tack!", "", ""), (recent.id, "Eva Ek", "Hej och tack!", "eva@example.se", "")]
    assert store.pending(root)[0].email == ""
    assert store.locate(root, old_rejected.id) is None
    assert _purge(root)[1] == ""  # nothing left to purge


def test_purge_dry_run_changes_nothing(root):
    c = add(root, 0)
    store.approve(root, [c.id])
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    code, out, err = _purge(root, "--dry-run")
    assert code == 0 and out == f"e-post och webbplats skulle tas bort\t{c.id}\n"
    assert "inget ändrades" in err
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_purge_through_the_command_line_uses_the_configs_retention(tmp_path, english):
    root = make_site(tmp_path, {"2017-03-14-finspang.md": post_text(municipality="Finspång")},
                     {"comments": {"retention_days": 30}})
    c = Comment(id=store.new_id(T0), post="2017-03-14-finspang", name="Eva", email="eva@example.se", website="https://eva.se/",
                date=T0, text="Hej!")
    store.submit(root / "comments", c)
    code, out, err = run_cli(["comments", "purge"], root)
    assert code == 0 and out == f"e-mail and website removed\t{c.id}\n"
    assert "older than 30 days" in err


def test_moderation_in_english(root, english):
    a = add(root, 1)
    code, out, err = run(root, "approve", a.id, "nope")
    assert (code, out) == (1, "")
    assert err == ("comments: no comment has the id 'nope'; `comments list` shows the pending ones\n"
                   "Nothing was approved; `comments list` shows the pending ids.\n")
    assert run(root, "approve", a.id)[1] == f"approved {a.id}\n"
    code, out, err = run(root, "show", a.id)
    assert "status:  approved\n" in out and "e-mail:  eva@example.se\n" in out
