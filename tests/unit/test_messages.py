"""sitegen.messages: every message in the code has its Swedish text, with the same placeholders; the locale chooses."""

from __future__ import annotations

import ast
import io
import string
from pathlib import Path

import pytest

from sitegen import messages
from sitegen.messages import _, language

PACKAGE = Path(messages.__file__).resolve().parents[1]


def swedish() -> dict:
    """Message id -> Swedish, from the catalog's source; a plural message is (singular, plural) -> (one, other)."""
    from babel.messages.pofile import read_po

    with open(messages.CATALOG, "rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string}


def message_ids() -> list[tuple[str, str]]:
    """(file, message id) of every ``_("…")`` in sitegen's code."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                assert node.args and isinstance(node.args[0], ast.Constant), f"{path.name}:{node.lineno}: _() of a non-literal"
                found.append((path.relative_to(PACKAGE).as_posix(), node.args[0].value))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_n":  # (singular, plural)
                assert all(isinstance(a, ast.Constant) for a in node.args[:2]), f"{path.name}:{node.lineno}: _n() of a non-literal"
                found.append((path.relative_to(PACKAGE).as_posix(), (node.args[0].value, node.args[1].value)))
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_swedish_text_with_the_same_placeholders():
    ids = message_ids()
    assert len(ids) >= 20
    catalog = swedish()
    missing = [(f, i) for f, i in ids if not catalog.get(i)]
    assert missing == []
    def same(i, text) -> bool:  # a plural message: each Swedish form has the placeholders of its English one
        return all(placeholders(a) == placeholders(b) for a, b in zip(i, text, strict=True)) if isinstance(i, tuple) else (
            placeholders(i) == placeholders(text))

    assert [(i, catalog[i]) for _, i in ids if not same(i, catalog[i])] == []
    unused = set(catalog) - {i for _, i in ids}
    assert unused == set(), "sitegen.po has texts no code shows: run scripts/messages"


def test_the_shipped_compiled_catalog_is_compiled_from_the_catalog():
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(messages.CATALOG, "rb") as f:
        catalog = read_po(f)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert messages.CATALOG.with_suffix(".mo").read_bytes() == compiled.getvalue(), "run scripts/messages to compile it"


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, "sv"),
    ({"LANG": "C.UTF-8"}, "sv"),
    ({"LANG": "sv_SE.UTF-8"}, "sv"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "sv_SE.UTF-8"}, "en"),
    ({"LANGUAGE": "sv", "LC_ALL": "en_US.UTF-8"}, "sv"),
    ({"LC_MESSAGES": "en_IE.UTF-8"}, "en"),
])
def test_the_first_locale_variable_set_chooses_the_language(monkeypatch, environment, expected):
    for name in messages.LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert language() == expected


def test_a_message_in_each_language(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "sv")
    assert _("{shown} not found", shown="posts/a/bild.jpg") == "posts/a/bild.jpg finns inte"
    monkeypatch.setenv("LANGUAGE", "en")
    assert _("{shown} not found", shown="posts/a/bild.jpg") == "posts/a/bild.jpg not found"


def test_no_message_hides_inside_an_f_string_where_the_extractor_cannot_see_it():
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{n.lineno}" for n in ast.walk(node)
                           if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("_", "_n")]
    assert hidden == []
