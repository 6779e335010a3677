"""Atom feeds: the site's and one per municipality, county and plan area."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sitegen.content.documents import Post
from sitegen.kinds import POST_KINDS
from sitegen.site.index import Site

ATOM = "http://www.w3.org/2005/Atom"


def render_feed(site: Site, path: str, ref: tuple, entries: dict[str, bytes] | None = None) -> bytes:
    """Atom XML for the site (``ref`` empty) or for one term, newest entries first.

    ``entries`` keeps each post's entry as written, for the other feeds of the build: a post is in
    six to ten feeds, and writing its full text out again for each was most of what feeds cost.
    """
    urls, config = site.urls, site.config
    if ref:
        term = site.term(*ref)
        keys = term.post_keys
        title = f"{term.name} – {config.title}"
        alternate = term.url
    else:
        keys = tuple(p.key for p in site.posts)
        title = config.title
        alternate = ""
    posts = [site.by_key[k] for k in keys[: config.feed_entries]]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "sv"})
    _text(feed, "title", title)
    if config.description:
        _text(feed, "subtitle", config.description)
    _text(feed, "id", urls.absolute(path))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": urls.absolute(path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": urls.absolute(alternate)})
    _text(feed, "updated", _updated(posts))
    author = ET.SubElement(feed, "author")
    _text(author, "name", config.author)
    _text(feed, "generator", "sitegen")
    _text(feed, "rights", rights(config))
    ET.indent(feed)
    head = ET.tostring(feed, encoding="utf-8")
    if posts:  # the entries go after the head's last element, indented as ET.indent would have them
        memo = {} if entries is None else entries
        written = [memo[p.key] if p.key in memo else memo.setdefault(p.key, _entry(site, p)) for p in posts]
        head = head.removesuffix(b"\n</feed>") + b"\n  " + b"\n  ".join(written) + b"\n</feed>"
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + head + b"\n"


def rights(config) -> str:
    """Who publishes the feed's texts, and under which licence: 'Samordningsgruppen för återbesök. CC BY 4.0: https://…'."""
    licence = f". {config.license.name}: {config.license.url}" if config.license else ""
    return config.publisher.name + licence


def _updated(posts: list[Post]) -> str:
    # derived from content, not the clock, so builds stay byte-identical
    return max(p.meta.modified for p in posts).isoformat() if posts else "1970-01-01T00:00:00+00:00"


def _entry(site: Site, post: Post) -> bytes:
    """The post's entry, written as it stands in a feed, one level in."""
    urls = site.urls
    entry = ET.Element("entry")
    _text(entry, "title", post.meta.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": urls.absolute(post.url)})
    _text(entry, "id", urls.absolute(post.url))
    _text(entry, "published", post.meta.date.isoformat())
    _text(entry, "updated", post.meta.modified.isoformat())
    author = ET.SubElement(entry, "author")
    _text(author, "name", post.meta.author)
    for kind in POST_KINDS:
        for term in site.post_terms(post, kind):
            ET.SubElement(entry, "category", {"term": term.slug, "label": term.name, "scheme": urls.absolute(urls.section(kind))})
    _text(entry, "summary", post.summary)
    content = _text(entry, "content", post.html)
    content.set("type", "html")
    # relative image links in post bodies resolve against the post's URL
    content.set("xml:base", urls.absolute(post.url))
    ET.indent(entry, level=1)
    return ET.tostring(entry, encoding="utf-8", xml_declaration=False)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = text
    return el
