"""The comment store: ids, atomic files, the queue, approval, rejection and malformed files."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.comments import store
from sitegen.comments.store import Comment
from sitegen.config.yamlsource import CONTROL
from sitegen.errors import BuildError

T0 = datetime(2017, 3, 14, 9, 30, 15, tzinfo=UTC)


def make(post="2017-03-14-finspang", minutes=0, **overrides) -> Comment:
    when = T0 + timedelta(minutes=minutes)
    fields = {
        "id": store.new_id(when), "post": post, "name": "Eva Ek", "email": "eva@example.se",
        "website": "https://eva.example.se/", "date": when, "text": "Första raden.\n\nAndra stycket.",
    }
    fields.update(overrides)
    return Comment(**fields)


def test_new_id_is_time_sortable_unique_and_unguessable():
    ids = [store.new_id(T0 + timedelta(microseconds=i)) for i in range(50)]
    assert ids == sorted(ids)
    assert len({store.new_id(T0) for _ in range(1000)}) == 1000
    assert re.fullmatch(r"20170314T093015000000Z-[0-9a-f]{16}", ids[0])
    assert store.new_id(datetime(2017, 3, 14, 10, 30, 15, tzinfo=timezone(timedelta(hours=1)))).startswith("20170314T093015")


def test_submit_writes_readable_yaml(root):
    c = make(name="Åsa Öberg", text="Rad ett\nrad två\n")
    path = store.submit(root, c)
    assert path == root / "pending" / f"{c.id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert list(yaml.safe_load(text)) == ["id", "post", "name", "email", "website", "date", "text"]
    assert "name: Åsa Öberg" in text  # allow_unicode: no escapes
    assert "text: |\n  Rad ett\n  rad två\n" in text  # block style
    assert "date: '2017-03-14T09:30:15+00:00'" in text or "date: 2017-03-14T09:30:15+00:00" in text
    assert store.pending(root) == [c]
    assert [p.name for p in (root / "pending").iterdir()] == [path.name]  # no temporary files left


def test_submit_never_overwrites(root):
    c = make()
    store.submit(root, c)
    with pytest.raises(FileExistsError):
        store.submit(root, c)
    assert len(list((root / "pending").iterdir())) == 1


def test_submit_rejects_unsafe_ids(root):
    with pytest.raises(ValueError):
        store.submit(root, make(id="../../etc/passwd"))
    assert not (root / "pending").exists() or not any((root / "pending").iterdir())


# what the receiver stores: any text without control characters (sanitize.clean_text removes them)
clean = st.characters(blacklist_categories=("Cs",)).filter(lambda c: not CONTROL.match(c))
name_text = st.text(clean, min_size=1, max_size=60).filter(str.strip)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=name_text, text=st.text(clean, min_size=1).filter(str.strip), website=st.text(clean, max_size=30))
def test_round_trip_any_text(tmp_path, name, text, website):
    c = make(name=name, text=text, website=website)
    path = store.submit(tmp_path / "c", c)
    assert store.load(path) == c
    path.unlink()


@pytest.mark.parametrize("field", ["name", "text", "website"])
def test_submit_refuses_control_characters_no_file_could_be_read_back(root, field):
    with pytest.raises(ValueError):
        store.submit(root, make(**{field: "Hej \x1b[2J då"}))
    assert not (root / "pending").exists() or not any((root / "pending").iterdir())


def test_pending_oldest_first(root):
    later, earlier = make(minutes=5), make(minutes=1)
    store.submit(root, later)
    store.submit(root, earlier)
    assert [c.id for c in store.pending(root)] == [earlier.id, later.id]


def test_empty_store(root):
    assert store.pending(root) == []
    assert store.approved(root) == {}
    assert store.approved_files(root) == []


def test_approve_and_reject(root):
    a, b, c = make(minutes=1), make(minutes=2, post="besok-i-lycksele"), make(minutes=3)
    for x in (a, b, c):
        store.submit(root, x)
    store.approve(root, [c.id, b.id])
    store.reject(root, [a.id])
    assert store.pending(root) == []
    assert (root / "rejected" / f"{a.id}.yaml").is_file()
    assert store.approved(root) == {"2017-03-14-finspang": (c,), "besok-i-lycksele": (b,)}
    assert store.approved_files(root) == sorted(
        [root / "2017-03-14-finspang" / f"{c.id}.yaml", root / "besok-i-lycksele" / f"{b.id}.yaml"]
    )
    assert store.locate(root, a.id) == ("rejected", root / "rejected" / f"{a.id}.yaml")
    # A moderator may change their mind either way.
    store.approve(root, [a.id])
    store.reject(root, [c.id])
    assert store.approved(root) == {"2017-03-14-finspang": (a,), "besok-i-lycksele": (b,)}
    store.approve(root, [a.id])  # already approved: nothing to do
    assert store.locate(root, a.id)[0] == "approved"


def test_approved_oldest_first(root):
    late, early = make(minutes=9), make(minutes=2)
    for x in (late, early):
        store.submit(root, x)
    store.approve(root, [late.id, early.id])
    assert store.approved(root)["2017-03-14-finspang"] == (early, late)


def test_unknown_ids_are_all_reported_and_nothing_moves(root):
    known = make()
    store.submit(root, known)
    with pytest.raises(KeyError) as info:
        store.approve(root, ["nope", known.id, "../pending/x", "20170314T093015000000Z-ffffffffffffffff"])
    assert info.value.ids == ("nope", "../pending/x", "20170314T093015000000Z-ffffffffffffffff")
    assert store.pending(root) == [known]
    with pytest.raises(store.UnknownComment):
        store.reject(root, ["nope"])
    assert store.pending(root) == [known]


def write(root: Path, folder: str, name: str, text: str) -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """id: {id}
post: {post}
name: Eva
email: eva@example.se
website: ''
date: 2017-03-14T09:30:15+00:00
text: Hej
"""


def test_malformed_files_name_file_and_line(root, english):
    bad_yaml = write(root, "2017-03-14-finspang", "a1.yaml", "id: a1\npost: 2017-03-14-finspang\nname: [Eva\n")
    missing = write(root, "2017-03-14-finspang", "b2.yaml", "id: b2\npost: 2017-03-14-finspang\nname: Eva\n")
    bad_date = write(root, "besok", "c3.yaml", GOOD.format(id="c3", post="besok").replace("2017-03-14T09:30:15+00:00", "igår"))
    typo = write(root, "besok", "d4.yaml", GOOD.format(id="d4", post="besok") + "webbsite: x\n")
    wrong_id = write(root, "besok", "e5.yaml", GOOD.format(id="other", post="besok"))
    wrong_post = write(root, "besok", "f6.yaml", GOOD.format(id="f6", post="annat"))
    with pytest.raises(BuildError) as info:
        store.approved(root)
    messages = [str(e) for e in info.value.errors]
    # the same parser as posts and config.yaml: where it stopped, and where the open bracket began
    assert f"{bad_yaml}:3: the list that starts with '[' on this line is not closed: end it with ']'" in messages
    assert f"{missing}:1: missing required key 'date'" in messages
    assert f"{missing}:1: missing required key 'text'" in messages
    assert any(m.startswith(f"{bad_date}:6: 'date' must be an ISO 8601 date and time") for m in messages), messages
    assert any(m.startswith(f"{typo}:8: unknown key 'webbsite'") and "did you mean 'website'" in m for m in messages)
    assert f"{wrong_id}:1: id 'other' must be the file's name, 'e5'" in messages
    assert f"{wrong_post}: post 'annat' is not its folder's name, 'besok': move the file or mend the line" in messages


def test_hand_written_file_is_accepted(root):
    write(root, "besok", "x1.yaml", GOOD.format(id="x1", post="besok").replace("website: ''\n", ""))
    (c,) = store.approved(root)["besok"]
    assert c.website == "" and c.date == T0 and c.date.tzinfo is not None


def test_reserved_and_hidden_folders_are_not_posts(root):
    store.submit(root, make())
    write(root, ".git", "x.yaml", "junk: [")
    write(root, "rejected", "y.yaml", "junk: [")
    assert store.approved(root) == {}


def test_non_utf8_file(root, english):
    path = root / "besok" / "z9.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"id: z9\nname: \xff\n")
    with pytest.raises(BuildError) as info:
        store.approved(root)
    assert str(info.value) == f"{path}:2: is not valid UTF-8 text; save the file as UTF-8"


def test_a_reply_keeps_its_parent_and_a_comment_without_one_is_written_as_before(root):
    first = make()
    reply = make(minutes=5, parent=first.id)
    assert "parent" not in yaml.safe_load(store.dump(first))
    assert yaml.safe_load(store.dump(reply))["parent"] == first.id
    for c in (first, reply):
        store.submit(root, c)
    store.approve(root, [first.id, reply.id])
    assert store.approved(root)["2017-03-14-finspang"] == (first, reply)


def test_a_parent_that_is_no_comment_id_is_an_error_at_its_line(root, english):
    c = make()
    store.submit(root, c)
    path = root / store.PENDING / f"{c.id}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("text:", "parent: ../x\ntext:"), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        store.load(path)
    assert [e.line for e in caught.value.errors] == [7]
    assert "'parent' must be a comment id" in str(caught.value)
