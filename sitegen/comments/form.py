"""The comment form's fields, limits and validation, shared by the receiver and its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.comments.sanitize import clean_text, public_name, safe_url, visible

# Field names as posted by templates/partials/comments.html.
POST = "post"
RETURN = "return"
NAME = "name"
EMAIL = "email"
WEBSITE = "website"
COMMENT = "comment"
HONEYPOT = "hemsida"  # a tempting name for bots; people never see the field

MAX_NAME = 100
MAX_EMAIL = 254
MAX_WEBSITE = 300
MAX_COMMENT = 5000
MAX_BODY = 64 * 1024

# Pragmatic syntax check: something@domain.tld without spaces or characters that need quoting.
_EMAIL = re.compile(r"[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[^@\s<>()\[\]\\,;:\".]{2,}")
_WEB_SCHEMES = frozenset({"http", "https"})
# A scheme, as opposed to a host followed by a port ("www.example.se:8080").
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")


def _count(n: int) -> str:
    # Swedish thousands separator: a no-break space.
    return f"{n:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Submission:
    """A validated submission, ready to store."""

    name: str
    email: str
    website: str
    text: str


def validate(form: dict[str, str]) -> tuple[Submission | None, dict[str, str]]:
    """The cleaned submission, or None and a Swedish message per faulty field."""
    errors: dict[str, str] = {}
    # stored clean: a moderator's terminal and every later build see text, never a control sequence
    name = public_name(form.get(NAME, ""))
    if not visible(name):
        errors[NAME] = "Skriv ditt namn." if not name else "Namnet syns inte: det har bara osynliga tecken. Skriv ditt namn."
    elif len(name) > MAX_NAME:
        errors[NAME] = f"Namnet får vara högst {_count(MAX_NAME)} tecken (nu {_count(len(name))})."

    email = clean_text(form.get(EMAIL, "")).strip()
    if not email:
        errors[EMAIL] = "Skriv din e-postadress. Den publiceras inte."
    elif len(email) > MAX_EMAIL:
        errors[EMAIL] = f"E-postadressen får vara högst {_count(MAX_EMAIL)} tecken."
    elif not _EMAIL.fullmatch(email):
        errors[EMAIL] = "E-postadressen ser inte ut att vara giltig. Skriv den som namn@exempel.se."

    website = clean_text(form.get(WEBSITE, "")).strip()
    if website:
        if not _SCHEME.match(website):
            website = "https://" + website  # people often type just www.example.se
        if len(website) > MAX_WEBSITE:
            errors[WEBSITE] = f"Webbadressen får vara högst {_count(MAX_WEBSITE)} tecken."
        else:
            website = safe_url(website, _WEB_SCHEMES)
            if not website:
                errors[WEBSITE] = "Webbplatsen måste vara en webbadress som börjar med http:// eller https://, till exempel https://www.exempel.se."

    # Browsers send CRLF; the limit counts characters as the textarea's maxlength does.
    text = clean_text(form.get(COMMENT, ""))
    if not visible(text):
        errors[COMMENT] = "Skriv en kommentar." if not text.strip() else "Kommentaren syns inte: den har bara osynliga tecken."
    elif len(text) > MAX_COMMENT:
        errors[COMMENT] = f"Kommentaren får vara högst {_count(MAX_COMMENT)} tecken (nu {_count(len(text))})."

    if errors:
        return None, errors
    return Submission(name=name, email=email, website=website, text=text), {}


def same_site_path(value: str) -> str:
    """``value`` if it is a path on this site ("/…", not "//host"), else ""."""
    if (
        value.startswith("/")
        and not value.startswith("//")
        and len(value) <= 2000
        and not re.search(r"[\\\s\x00-\x1f\x7f<>\"']", value)
    ):
        return value
    return ""
