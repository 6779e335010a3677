"""Swedish collation: å, ä, ö after z, in that order; case-insensitive; other accents folded."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# characters just above 'z' in code point order keep å < ä < ö after every ASCII letter
_SWEDISH = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple[str, str]:
    """Key that sorts Swedish names as a Swedish reader expects (Åre, Älmhult, Örebro last)."""
    out = []
    for ch in text.casefold():
        if ch in _SWEDISH:
            out.append(_SWEDISH[ch])
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out), text
