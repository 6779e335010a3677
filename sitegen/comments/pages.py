"""The receiver's answer pages: its message inside the site's own page, or a small page of its own.

The build renders the site's header, footer and stylesheet around two markers as
``kommentar-svar.html`` (templates/answer.html); the receiver reads that file and puts its title and
message at the markers, so it looks like the site without importing the renderer. Without the
file (a receiver started before the first build) the answer is a plain page. Neither has scripts.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import NamedTuple

from sitegen.comments import form as f
from sitegen.kinds import PAGE_KINDS, PageKind

SHELL = PAGE_KINDS[PageKind.ANSWER].file  # in the output folder, beside kommentarer.json
TITLE_MARK, BODY_MARK = "<title>Kommentar – ", "<!--sitegen:body-->"  # a readable page if opened as it is


class Answer(NamedTuple):
    """One answer of the receiver: its title, and its message as HTML."""

    title: str
    body: str


def read_shell(path: Path) -> str | None:
    """The built answer page, if it is there and has both markers."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if TITLE_MARK in text and BODY_MARK in text else None

ALLOWED_TAGS_HTML = " ".join(
    f"<code>{escape(tag, quote=False)}</code>"
    for tag in (
        '<a href="" title="">', '<abbr title="">', '<acronym title="">', "<b>",
        '<blockquote cite="">', "<cite>", "<code>", '<del datetime="">', "<em>",
        "<i>", '<q cite="">', "<strike>", "<strong>",
    )
)

# (field, element id, label, required, input attributes, maxlength), in the order of the form on the post.
_FIELDS = (
    (f.NAME, "kf-namn", "Namn", True, 'type="text" autocomplete="name"', f.MAX_NAME),
    (f.EMAIL, "kf-epost", "E-post", True, 'type="email" autocomplete="email"', f.MAX_EMAIL),
    (f.WEBSITE, "kf-webbplats", "Webbplats", False, 'type="text" inputmode="url" autocomplete="url"', f.MAX_WEBSITE),
    (f.COMMENT, "kf-kommentar", "Kommentar", True, "", f.MAX_COMMENT),
)


def document(answer: Answer, shell: str | None = None) -> str:
    """The answer as a complete Swedish HTML page: in the site's ``shell`` if there is one."""
    title, body = answer
    if shell is not None:
        return shell.replace(TITLE_MARK, f"<title>{escape(title)} – ", 1).replace(BODY_MARK, body, 1)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="strict-origin-when-cross-origin">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _back(url: str) -> str:
    if not url:
        return ""
    return f'<p><a href="{escape(url + "#kommentarer")}">Tillbaka till inlägget</a></p>'


def message(heading: str, text: str, back: str = "", error: bool = True) -> Answer:
    """A page with one heading, one message and a link back to the post if known."""
    title = f"Fel: {heading}" if error else heading
    return Answer(title, f"<h1>{escape(heading)}</h1>\n<p>{escape(text)}</p>\n{_back(back)}")


def received(back: str) -> Answer:
    """The answer to a stored comment."""
    return Answer(
        "Tack för din kommentar",
        "<h1>Tack för din kommentar!</h1>\n"
        "<p>Din kommentar har tagits emot och granskas innan den publiceras. "
        "Den syns på sidan när en moderator har godkänt den.</p>\n" + _back(back),
    )


def _field(name: str, ident: str, label: str, required: bool, attrs: str, limit: int, value: str, error: str) -> str:
    star = ' <span class="sg-required" aria-hidden="true">*</span>' if required else ""
    hint = {f.EMAIL: ' <span class="sg-hint">(publiceras inte)</span>', f.WEBSITE: ' <span class="sg-hint">(frivilligt)</span>'}.get(name, "")
    req = ' required aria-required="true"' if required else ""
    err = ""
    if error:
        req += f' aria-invalid="true" aria-describedby="{ident}-fel"'
        err = f'\n<p id="{ident}-fel" class="sg-field-error">Fel: {escape(error)}</p>'
    if name == f.COMMENT:
        control = f'<textarea id="{ident}" name="{name}" rows="8" maxlength="{limit}"{req}>\n{escape(value)}</textarea>'
    else:
        control = f'<input id="{ident}" name="{name}" {attrs} maxlength="{limit}"{req} value="{escape(value)}">'
    return f'<div class="sg-field">\n<label for="{ident}">{label}{star}{hint}</label>{err}\n{control}\n</div>'


def form_errors(errors: dict[str, str], values: dict[str, str], post_key: str, back: str) -> Answer:
    """The form again, filled in, with every problem listed and marked at its field."""
    summary = "\n".join(
        f'<li><a href="#{ident}">{escape(errors[name])}</a></li>' for name, ident, *_ in _FIELDS if name in errors
    )
    fields = "\n".join(
        _field(name, ident, label, req, attrs, limit, values.get(name, ""), errors.get(name, ""))
        for name, ident, label, req, attrs, limit in _FIELDS
    )
    body = (
        "<h1>Kommentaren kunde inte skickas</h1>\n"
        '<div class="sg-error-summary">\n<h2 id="fel-rubrik">Rätta följande och skicka igen:</h2>\n'
        f'<ul>\n{summary}\n</ul>\n</div>\n'
        # No action: the form posts back to the address that answered, i.e. the receiver.
        '<form id="kommentarsformular" method="post" accept-charset="UTF-8">\n'
        "<p>Din e-postadress publiceras inte. Fält markerade med * är obligatoriska. Kommentarer granskas innan de publiceras.</p>\n"
        f'<details class="sg-formatting">\n<summary>Formatering</summary>\n<p>Du kan använda de här HTML-taggarna: {ALLOWED_TAGS_HTML}. '
        "En tom rad gör ett nytt stycke.</p>\n</details>\n"
        f'<input type="hidden" name="{f.POST}" value="{escape(post_key)}">\n'
        f'<input type="hidden" name="{f.RETURN}" value="{escape(back)}">\n'
        f"{fields}\n"
        '<div class="sg-honeypot" hidden>\n<label for="kf-hemsida">Lämna detta fält tomt</label>\n'
        f'<input id="kf-hemsida" name="{f.HONEYPOT}" type="text" tabindex="-1" autocomplete="off">\n</div>\n'
        '<button type="submit">Skicka kommentar</button>\n</form>\n' + _back(back)
    )
    return Answer("Fel: Kommentaren kunde inte skickas", body)
