"""sitegen.messages: every message in the code has its Swedish text, with the same placeholders; the locale chooses."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from sitegen import messages
from sitegen.messages import _, language, swedish

PACKAGE = Path(messages.__file__).resolve().parents[1]


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
    assert unused == set(), "sv.po has texts no code shows: remove them"


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
