"""Messages for people: in Swedish, or in English when the locale asks for it.

The English text of a message is its id, as in gettext. The Swedish is a gettext catalog kept with
Babel's tools (``scripts/messages``: extract the ids from the code, update ``sv/LC_MESSAGES/sitegen.po``,
compile ``sitegen.mo``); the compiled catalog ships in the package and is read with the standard
library's gettext, only when a message is shown. The language is the first of LANGUAGE, LC_ALL,
LC_MESSAGES and LANG that is set: English if it starts with 'en', else Swedish.

May import: nothing of sitegen.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

DOMAIN = "sitegen"
LOCALE_DIR = Path(__file__).parent  # sv/LC_MESSAGES/sitegen.mo
CATALOG = LOCALE_DIR / "sv" / "LC_MESSAGES" / f"{DOMAIN}.po"  # the source the .mo is compiled from
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language() -> str:
    """'sv' or 'en'."""
    for name in LOCALE_VARIABLES:
        value = os.environ.get(name, "")
        if value:
            return "en" if value.casefold().startswith("en") else "sv"
    return "sv"


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    import gettext  # only when a message is shown: a build without problems shows none

    if lang == "en":
        return gettext.NullTranslations()  # the ids are the English texts
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])


def _(message: str, **values: object) -> str:
    """``message`` in the reader's language, with ``values`` in its {placeholders}."""
    text = _translation(language()).gettext(message)
    return text.format(**values) if values else text


def _n(singular: str, plural: str, n: int, **values: object) -> str:
    """The form for ``n`` in the reader's language, with ``n`` and ``values`` in its {placeholders}."""
    return _translation(language()).ngettext(singular, plural, n).format(n=n, **values)
