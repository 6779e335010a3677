"""Messages for people: in Swedish, or in English when the locale asks for it.

The English text of a message is its id, as in gettext; ``sv.po``, a gettext catalog, holds the
Swedish. The language is the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set: English
if it starts with 'en', else Swedish. The catalog is read only when a message is shown, so a build
without problems never parses it.

May import: nothing of sitegen.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

CATALOG = Path(__file__).with_name("sv.po")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language() -> str:
    """'sv' or 'en'."""
    for name in LOCALE_VARIABLES:
        value = os.environ.get(name, "")
        if value:
            return "en" if value.casefold().startswith("en") else "sv"
    return "sv"


@cache
def swedish() -> dict:
    """Message id -> its Swedish text, from sv.po; a plural message is (singular, plural) -> (one, other)."""
    from babel.messages.pofile import read_po

    with open(CATALOG, "rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and m.string}


def _n(singular: str, plural: str, n: int, **values: object) -> str:
    """The form for ``n`` in the reader's language ({n} is filled in): Swedish and English both use 'one' for 1 only."""
    forms = swedish().get((singular, plural), (singular, plural)) if language() == "sv" else (singular, plural)
    return forms[0 if n == 1 else 1].format(n=n, **values)


def _(message: str, **values: object) -> str:
    """``message`` in the reader's language, with ``values`` in its {placeholders}."""
    text = swedish().get(message, message) if language() == "sv" else message
    return text.format(**values) if values else text
