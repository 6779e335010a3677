"""A WordPress post's HTML as Markdown: wpautop's paragraphs, [caption] and figures, uploads, then markdownify.

WordPress stores classic posts without paragraphs (wpautop adds them when it shows a post) and
block posts with them; captions live in a shortcode or a <figure>. Both become Markdown images
whose title is the caption. Files under wp-content/uploads/ are renamed to the copies beside the
post by ``Uploads``; other shortcodes stay as text and are named in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from sitegen.messages import _

_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_ATTRIBUTE = re.compile(r"""caption=(["'])(.*?)\1""", re.DOTALL)
_SHORTCODE = re.compile(r"\[([a-z][a-z0-9_-]*)(?=[\s\]/])[^\]\n]*\](?!\()")  # not a Markdown link's text
_BLOCKS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|"
           "address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|"
           "figcaption|details|menu|summary")
_OPEN_BLOCK = re.compile(rf"(<(?:{_BLOCKS})[\s/>])", re.IGNORECASE)
_CLOSE_BLOCK = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_BLOCK_TAG = rf"</?(?:{_BLOCKS})[^>]*>"
_MORE = re.compile(r"\s*<!--(?:more|nextpage)\b.*?-->\s*", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.DOTALL | re.IGNORECASE)
_CONVERTER = MarkdownConverter(heading_style="ATX", bullets="-", escape_misc=False, newline_style="backslash")


class Uploads(Protocol):
    """Where a post's links to wp-content/uploads/ lead in the new site."""

    def local(self, url: str) -> tuple[str, bool] | None:
        """None: not an upload of this blog; (name beside the post, True); (the old URL, False): not in --uploads."""
        ...


@dataclass(frozen=True)
class Converted:
    """A post's Markdown and what the report says of it."""

    markdown: str
    shortcodes: tuple[str, ...]  # names of the shortcodes left as text, e.g. ('gallery',)
    missing: tuple[str, ...]  # old URLs of uploads not found in --uploads (images become links to them)
    external: tuple[str, ...]  # images on other sites, which pages do not show: they became links
    without_alt: int  # images with no alt text anywhere: they got a placeholder to replace


def placeholder_alt() -> str:
    """The alt text an image without one gets, for the writer to replace before the post is published."""
    return _("DESCRIBE THE PICTURE")


def to_markdown(html: str, uploads: Uploads, alt_of: Callable[[str], str]) -> Converted:
    """``html`` as Markdown; ``alt_of`` gives the media library's alt text for an upload's URL ('' if none)."""
    blocks = "<!-- wp:" in html  # block-editor posts have their paragraphs already, as WordPress knows
    text = _MORE.sub("\n\n", _CAPTION.sub(_caption_figure, html))  # where the front page's excerpt ended: a paragraph's end
    text = _COMMENT.sub("", text)  # block delimiters and notes
    if not blocks:
        text = wpautop(text)
    soup = BeautifulSoup(text, "html.parser")
    for figure in soup.find_all("figure"):
        _figure_to_image(soup, figure)
    missing: list[str] = []
    external: list[str] = []
    without_alt = 0
    for img in soup.find_all("img"):
        without_alt += _image(soup, img, uploads, alt_of, missing, external)
    for a in soup.find_all("a", href=True):
        found = uploads.local(a["href"])
        if found is not None:
            a["href"] = found[0]
            if not found[1]:
                missing.append(found[0])
    markdown = _CONVERTER.convert_soup(soup).strip() + "\n"
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    shortcodes = tuple(dict.fromkeys(m.group(1) for m in _SHORTCODE.finditer(markdown)))
    return Converted(markdown, shortcodes, tuple(dict.fromkeys(missing)), tuple(dict.fromkeys(external)), without_alt)


def _caption_figure(match: re.Match) -> str:
    """[caption …]<a><img></a> Text[/caption] -> <figure><img><figcaption>Text</figcaption></figure>."""
    attributes, inner = match.group(1), match.group(2)
    image = re.search(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", inner, re.IGNORECASE | re.DOTALL)
    if image is None:
        return inner
    caption = (inner[: image.start()] + inner[image.end() :]).strip()
    if not caption and (given := _CAPTION_ATTRIBUTE.search(attributes)):
        caption = given.group(2)
    return f"<figure>{image.group(0)}<figcaption>{caption}</figcaption></figure>"


def _figure_to_image(soup: BeautifulSoup, figure: Tag) -> None:
    img = figure.find("img")
    if img is None:
        figure.unwrap()
        return
    caption = figure.find("figcaption")
    text = " ".join(caption.get_text(" ").split()) if caption else ""
    if text:
        img["title"] = text
    holder = img.parent if img.parent is not None and img.parent.name == "a" else img
    paragraph = soup.new_tag("p")
    paragraph.append(holder.extract())
    figure.replace_with(paragraph)


def _image(soup: BeautifulSoup, img: Tag, uploads: Uploads, alt_of: Callable[[str], str], missing: list[str],
           external: list[str]) -> int:
    """Rewrite one <img>; 1 if it had no alt text anywhere."""
    src = img.get("src", "")
    alt = " ".join((img.get("alt") or alt_of(src) or img.get("title") or "").split())
    link = img.parent if img.parent is not None and img.parent.name == "a" else None
    if link is not None and uploads.local(link.get("href", "")) is not None:
        link.unwrap()  # "link to the media file": the page shows the image itself, at its widest
    found = uploads.local(src)
    for attribute in list(img.attrs):
        if attribute not in ("src", "alt", "title"):
            del img[attribute]
    img["alt"] = alt or placeholder_alt()
    if found is not None and found[1]:
        img["src"] = found[0]
        return 0 if alt else 1
    # not beside the post: a link to where it was, since pages show only the site's own images
    old = found[0] if found is not None else src
    (missing if found is not None else external).append(old)
    replacement = soup.new_tag("a", href=old)
    replacement.string = _("Picture: {alt}", alt=alt) if alt else _("Picture")
    img.replace_with(replacement)
    return 0


def wpautop(text: str) -> str:
    """WordPress's wpautop: blank lines make paragraphs, single line breaks <br />, block tags stay as they are.

    A port of the parts of WordPress's function that change what a post says (pre blocks kept,
    newlines inside tags ignored); it runs on classic-editor posts only.
    """
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"<pre data-wpautop='{len(kept) - 1}'></pre>"

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n")) + "\n"
    text = re.sub(r"<[^>]*>", lambda m: m.group(0).replace("\n", " "), text)  # a newline inside a tag is a space
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    text = "".join(f"<p>{part.strip()}</p>\n" for part in re.split(r"\n\s*\n", text) if part.strip())
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text, flags=re.IGNORECASE)
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"({_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"({_BLOCK_TAG})\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\n</p>$", "</p>", text)
    return re.sub(r"<pre data-wpautop='(\d+)'></pre>", lambda m: kept[int(m.group(1))], text)
