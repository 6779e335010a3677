"""Slugs, permalinks and the base path: the one place URLs are made.

Site paths are relative to the site root, have no leading slash and end in '/'
(pages) or a file name; ``href`` and ``absolute`` place them under the base URL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote, unquote

from slugify import slugify as _slugify

from sitegen.config.settings import Config, UrlConfig
from sitegen.messages import _

MAX_SLUG = 200  # characters of a URL segment: it is a folder name too, and file systems allow 255 bytes


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """ASCII slug of a name: 'Västra Götaland' -> 'vastra-gotaland'."""
    return _slugify(text)


def cut_slug(value: str, limit: int) -> str:
    """``value`` cut after a whole word to at most ``limit`` characters (a word longer than that is cut inside)."""
    if len(value) <= limit:
        return value
    return value[: limit + 1].rsplit("-", 1)[0] if "-" in value[: limit + 1] else value[:limit]


_ALIAS_FILES = (".html", ".htm")  # an old address that names a file is written as that file; any other, as a folder


def alias(text: str) -> tuple[str, str | None]:
    """An old address from ``aliases:`` as a site path ('2017/02/08/slug/'), or a problem saying how to write it.

    The path is decoded ('%C3%A5' -> 'å'), as servers decode a request before they look for its
    file; ``alias_href`` encodes it again for the places that want it encoded.
    """
    written = text.strip()
    if "://" in written:
        return "", _("write the old address as a path from the site's root, without the host: '/2017/02/08/slug/'")
    if not written.startswith("/"):
        return "", _("an old address starts with '/', like '/2017/02/08/slug/'")
    if "?" in written or "#" in written:
        return "", _("a static host cannot redirect an address with '?' or '#'; see 'Old links' in README.md for ?p=123 links")
    path = unquote(written)
    segments = path.split("/")[1:]
    if any(s in (".", "..") for s in segments) or "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "", _("an old address may not hold '.', '..', '\\' or control characters as a part")
    path = "/".join(s for s in segments if s)
    if not path:
        return "", _("'/' is the home page; it cannot redirect")
    if not path.lower().endswith(_ALIAS_FILES):
        path += "/"
    return path, None


def alias_href(path: str) -> str:
    """A site path percent-encoded, as redirect files want it: 'återbesök/' -> '%C3%A5terbes%C3%B6k/'."""
    return quote(path, safe="/")


def municipality_slugs(municipalities: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Slug per municipality code, from (code, name, county name); names that slug alike take their county as suffix (Habo, Håbo)."""
    groups: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for m in municipalities:
        groups[slug(m[1])].append(m)
    out: dict[str, str] = {}
    for s, members in groups.items():
        for code, _name, county in members:
            out[code] = s if len(members) == 1 else f"{s}-{slug(county)}"
    return out


@dataclass(frozen=True)
class Urls:
    """The URL scheme of one site."""

    scheme: UrlConfig
    base_url: str  # absolute, ends in '/'
    base_path: str  # path of base_url, starts and ends in '/'

    @classmethod
    def for_config(cls, config: Config) -> Urls:
        return cls(config.urls, config.base_url, config.base_path)

    def post(self, date: datetime, post_slug: str) -> str:
        return self.scheme.post.format(
            year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=post_slug
        )

    def section(self, kind: str) -> str:
        """Index page of a taxonomy (``sitegen.kinds``), e.g. 'kommun/'; config.yaml calls the year's segment 'archive'."""
        segment = self.scheme.archive if kind == "year" else getattr(self.scheme, kind)
        return f"{segment}/"

    def term(self, kind: str, term_slug: str) -> str:
        return f"{self.section(kind)}{term_slug}/"

    def page(self, first: str, number: int) -> str:
        """Page ``number`` of a paginated list whose first page is ``first``."""
        return first if number == 1 else f"{first}{self.scheme.page}/{number}/"

    def search(self) -> str:
        return f"{self.scheme.search}/"

    def subscribe(self) -> str:
        return f"{self.scheme.subscribe}/"

    @staticmethod
    def feed(first: str) -> str:
        return f"{first}feed.xml"

    def href(self, path: str) -> str:
        """Link target for a site path, working under a sub-path deployment."""
        return self.base_path + path

    def absolute(self, path: str) -> str:
        return self.base_url + path
