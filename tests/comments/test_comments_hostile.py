"""Comments that try to fool a moderator's terminal or a reader's eye (#19, class 4)."""

from __future__ import annotations

import io

import pytest

from sitegen.cli import Parser
from sitegen.comments import moderate, store
from sitegen.comments.sanitize import public_name

SEQUENCES = [
    "\x1b[2K\x1b[1A",  # erase the line, move up: the comment rewrites the one above it
    "\x1b]0;Godkänd\x07",  # set the window title (OSC ending in BEL)
    "\x1b]8;;https://example.org/\x1b\\länk\x1b]8;;\x1b\\",  # a terminal hyperlink (OSC ending in ST)
    "\x9b31m",  # CSI as one C1 character
    "\x1bc",  # reset the terminal
    "\x08\x08\x08",  # backspaces that overstrike what came before
    "\x07",  # the bell
]


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_control_sequences_are_removed_whole_when_a_comment_is_received(app, root, h, sequence):
    r = h.call(app, fields=h.valid_fields(name=f"Eva{sequence} Ek", comment=f"Bra besök.{sequence} Tack!"))
    assert r.status == 200, r.text
    (c,) = store.pending(root)
    assert c.name == "Eva Ek" or c.name == "Evalänk Ek"
    assert c.text in ("Bra besök. Tack!", "Bra besök.länk Tack!")
    assert "\x1b" not in (root / "pending" / f"{c.id}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u200d\u2060", "\u3164", "\u3164\u3164 \u115f", "\u2800", "\ufeff",
                                       "\u0301\u0301", "\u202e\u200f", "\U000e0041\U000e0042"])
def test_a_name_or_text_of_only_invisible_characters_is_refused(app, root, h, invisible):
    r = h.call(app, fields=h.valid_fields(name=invisible))
    assert r.status == 400 and "Namnet syns inte: det har bara osynliga tecken." in r.text
    r = h.call(app, fields=h.valid_fields(comment=f" {invisible}\n{invisible} "))
    assert r.status == 400 and "Kommentaren syns inte: den har bara osynliga tecken." in r.text
    assert h.stored_files(root) == []


@pytest.mark.parametrize("override", ["\u202e", "\u202d", "\u202a", "\u202b", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"])
def test_bidi_overrides_are_taken_out_of_names(app, root, h, override):
    assert h.call(app, fields=h.valid_fields(name=f"Eva {override}kE")).status == 200
    (c,) = store.pending(root)
    assert c.name == "Eva kE"
    assert public_name(f"Anna {override}dnuL") == "Anna dnuL"  # a file written before the receiver cleaned names


def _run(root, *argv: str) -> tuple[int, str, str]:
    parser = Parser(prog="sitegen")
    moderate.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["comments", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, root, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_list_and_show_print_what_a_terminal_would_hide_as_escapes(root):
    cid = "20170314T093015000000Z-0123456789abcdef"
    (root / "pending").mkdir(parents=True)
    # written by hand, or by an older receiver: no control character (no file with one can be read), but invisible ones
    (root / "pending" / f"{cid}.yaml").write_text(
        f"id: {cid}\npost: 2017-03-14-finspang\nname: \"Eva\u202e kE\u200b\"\nemail: eva@example.se\nwebsite: ''\n"
        "date: 2017-03-14T09:30:15+00:00\ntext: |\n  Fint\u00adbesök\u2066 här\n  Andra raden\u00a0med mellanslag\n",
        encoding="utf-8")
    code, out, err = _run(root, "list")
    assert code == 0, err
    assert out.split("\t")[2] == "Eva\\u202e kE\\u200b"
    assert "Fint\\xadbesök\\u2066 här" in out
    code, out, err = _run(root, "show", cid)
    assert code == 0, err
    assert "Eva\\u202e kE\\u200b\n" in out
    assert "\nFint\\xadbesök\\u2066 här\nAndra raden\u00a0med mellanslag\n" in out
    assert all(c.isprintable() or c in "\n\t\u00a0" for c in out)
