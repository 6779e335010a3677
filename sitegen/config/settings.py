"""config.yaml into frozen dataclasses; every key validated, all problems collected."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen import fingerprints
from sitegen.config.schema import Field, not_blank, validate_mapping
from sitegen.config.yamlsource import YamlDocument, YamlError, decode_text, parse
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _

CONFIG_FILE = "config.yaml"


@dataclass(frozen=True)
class PlanArea:
    """One theme of the municipalities' action plans."""

    name: str
    description: str


@dataclass(frozen=True)
class UrlConfig:
    """Path segments of the URL scheme; every URL ends in '/'."""

    post: str
    municipality: str
    county: str
    plan_area: str
    tag: str
    archive: str
    page: str
    search: str
    subscribe: str


@dataclass(frozen=True)
class CommentsConfig:
    """Where comment forms post to and where comment files live."""

    endpoint: str
    rate_limit_per_minute: int
    dir: str
    retention_days: int  # how long a commenter's e-mail and website are kept (``comments purge``)
    per_page: int  # approved comments on a post's page; more go on pages of their own, so no page grows without end


@dataclass(frozen=True)
class Publisher:
    """Who publishes the site and answers for it, as every page's footer names them."""

    name: str  # the organisation
    email: str
    phone: str | None
    address: str | None
    logo: str | None  # a file in static/, e.g. 'bilder/logo.svg'


@dataclass(frozen=True)
class License:
    """The licence of the content and the open data."""

    name: str  # e.g. 'CC BY 4.0'
    url: str


@dataclass(frozen=True)
class ShareImage:
    """The picture a shared link shows when its page has no photo of its own (og:image)."""

    file: str  # in static/assets/, e.g. 'assets/dela.png': published under a name that changes with its bytes
    alt: str


@dataclass(frozen=True)
class ImagesConfig:
    """How photos are published: the widths each is made in, and the encoders' quality."""

    widths: tuple[int, ...]  # ascending; an image is never made wider than it is
    quality: int  # JPEG and WebP quality, 1-100


@dataclass(frozen=True)
class Config:
    """The validated site configuration."""

    title: str
    description: str
    base_url: str  # absolute, ends in '/'
    author: str
    timezone: str
    per_page: int
    output_dir: str
    feed_entries: int
    search: bool  # a search page, its link in the menu, and a Pagefind index; false for a site that wants none
    related_posts: int
    urls: UrlConfig
    plan_areas: tuple[PlanArea, ...]
    extra_front_matter: tuple[str, ...]
    comments: CommentsConfig
    images: ImagesConfig
    publisher: Publisher
    license: License | None  # None: the site names no licence
    digest: str  # hash of the config file's bytes, for caches
    share_image: ShareImage | None = None  # what a shared link shows when its page has no photo

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. '/aterbesok/'."""
        return urlsplit(self.base_url).path

    @property
    def comment_endpoint(self) -> str:
        """Where comment forms post: an absolute URL as written; a path, like every path a writer
        writes, from the site root, so it follows the site to a sub-path ('/kommentar/' ->
        '/aterbesok/kommentar/')."""
        endpoint = self.comments.endpoint
        return self.base_path + endpoint[1:] if endpoint.startswith("/") and not endpoint.startswith("//") else endpoint

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_base_url(self, url: str) -> Config:
        problem = _absolute_url(url)
        if problem:  # e.g. --base-url example.org/aterbesok: every link would be relative and broken
            raise BuildError([SourceError("--base-url", 0, f"'{url}' {problem}")])
        return replace(self, base_url=normalise_base_url(url))


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _absolute_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return _("must be an absolute http(s) URL such as 'https://example.org/aterbesok/'")
    if "?" in value or "#" in value:
        return _("must not have a query ('?…') or a fragment ('#…'): every link is made by adding a path to it")
    return None


def _positive(value: int) -> str | None:
    return None if value > 0 else _("must be at least 1")


def _non_negative(value: int) -> str | None:
    return None if value >= 0 else _("must be 0 or more")


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"is not a known time zone (e.g. 'Europe/Stockholm'): '{value}'"
    return None


_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _segment(value: str) -> str | None:
    return None if _SEGMENT.match(value) else _("must be a lower-case URL segment like 'kommun'")


def _post_pattern(value: str) -> str | None:
    if "{slug}" not in value:
        return _("must contain {placeholder}", placeholder="{slug}")
    unknown = set(re.findall(r"{(\w*)}", value)) - {"year", "month", "day", "slug"}
    if unknown:
        return f"uses unknown placeholder(s) {', '.join(sorted(unknown))}; known: year, month, day, slug"
    if value.startswith("/") or not value.endswith("/"):
        return _("must not start with '/' and must end with '/'")
    return None


def _endpoint(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc or value.startswith("/"):
        return None
    return _("must be an absolute URL or a path starting with '/'")


TOP_FIELDS = {
    "title": Field((str,)),
    "description": Field((str,), ""),
    "base_url": Field((str,), "http://127.0.0.1:8000/", _absolute_url),
    "author": Field((str,), "Redaktionen"),
    "timezone": Field((str,), "Europe/Stockholm", _timezone),
    "per_page": Field((int,), 10, _positive),
    "output_dir": Field((str,), "_site"),
    "feed_entries": Field((int,), 20, _positive),
    "search": Field((bool,), True),
    "related_posts": Field((int,), 4, _non_negative),
    "urls": Field((dict,), {}),
    "plan_areas": Field((list,)),
    "extra_front_matter": Field((list,), []),
    "comments": Field((dict,), {}),
    "images": Field((dict,), {}),
    "publisher": Field((dict,)),
    "license": Field((dict,), None),
    "share_image": Field((dict,), None),
}
URL_FIELDS = {
    "post": Field((str,), "{year}/{month}/{slug}/", _post_pattern),
    "municipality": Field((str,), "kommun", _segment),
    "county": Field((str,), "lan", _segment),
    "plan_area": Field((str,), "tema", _segment),
    "tag": Field((str,), "tagg", _segment),
    "archive": Field((str,), "arkiv", _segment),
    "page": Field((str,), "sida", _segment),
    "search": Field((str,), "sok", _segment),
    "subscribe": Field((str,), "prenumerera", _segment),
}
COMMENT_FIELDS = {
    "endpoint": Field((str,), "/kommentar/", _endpoint),
    "rate_limit_per_minute": Field((int,), 5, _positive),
    "dir": Field((str,), "comments"),
    "retention_days": Field((int,), 365, _positive),
    "per_page": Field((int,), 50, _positive),
}
MAX_WIDTH = 8000  # wider than any screen shows; a typo such as 16000 would make huge files


def _widths(value: list) -> str | None:
    if not value or not all(isinstance(w, int) and not isinstance(w, bool) for w in value):
        return _("must list whole numbers of pixels, e.g. [480, 960, 1600]")
    if any(not 16 <= w <= MAX_WIDTH for w in value):
        return _("must each be between 16 and {most} pixels", most=MAX_WIDTH)
    if len(set(value)) != len(value):
        return "lists a width twice"
    return None


def _quality(value: int) -> str | None:
    return None if 1 <= value <= 100 else _("must be between 1 and 100")


IMAGE_FIELDS = {
    "widths": Field((list,), [480, 960, 1600], _widths),
    "quality": Field((int,), 80, _quality),
}
PLAN_AREA_FIELDS = {"name": Field((str,)), "description": Field((str,))}
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")


def _email(value: str) -> str | None:
    return None if _EMAIL.match(value.strip()) else _("is not an e-mail address, like 'redaktionen@example.se'")


def _web_address(value: str) -> str | None:
    parts = urlsplit(value.strip())
    return None if parts.scheme in ("http", "https") and parts.netloc else _("must be an http(s) address, like "
                                                                             "'https://creativecommons.org/licenses/by/4.0/'")


def _asset_file(value: str) -> str | None:
    if _static_file(value) or not value.strip().startswith("assets/") or not value.strip().lower().endswith((".png", ".jpg", ".jpeg")):
        return _("names a PNG or JPEG file in static/assets/, like 'assets/dela.png'")
    return None


def _static_file(value: str) -> str | None:
    clean = value.strip()
    if not clean or clean.startswith("/") or ".." in clean.split("/") or "\\" in clean:
        return _("names a file in static/, like 'bilder/logo.svg'")
    return None


PUBLISHER_FIELDS = {
    "name": Field((str,), check=not_blank),
    "email": Field((str,), check=_email),
    "phone": Field((str,), None),
    "address": Field((str,), None),
    "logo": Field((str,), None, _static_file),
}
LICENSE_FIELDS = {"name": Field((str,), check=not_blank), "url": Field((str,), check=_web_address)}
SHARE_IMAGE_FIELDS = {"file": Field((str,), check=_asset_file), "alt": Field((str,), check=not_blank)}



def load_config(root: Path) -> Config:
    """Read and validate ``root/config.yaml``; raise BuildError listing every problem."""
    path = root / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError([SourceError(CONFIG_FILE, 0, _("not found: every site needs a config.yaml"))]) from None
    try:
        doc = parse(decode_text(raw, CONFIG_FILE))
    except YamlError as exc:
        raise BuildError([SourceError(CONFIG_FILE, exc.line, exc.message)]) from None
    config = config_from_document(doc, fingerprints.bytes_digest(raw))
    logo = config.publisher.logo
    if logo and not (root / "static" / logo).is_file():
        raise BuildError([SourceError(CONFIG_FILE, doc.line("publisher", "logo"),
                                      _("'logo' names static/{logo}, which is not there; put the logo there or remove the line", logo=logo))])
    share = config.share_image
    if share and not (root / "static" / share.file).is_file():
        raise BuildError([SourceError(CONFIG_FILE, doc.line("share_image", "file"),
                                      _("'file' names static/{file}, which is not there; put the picture there or remove the lines",
                                        file=share.file))])
    return config


def config_from_document(doc: YamlDocument, digest: str) -> Config:
    errors: list[SourceError] = []
    top = validate_mapping(doc, (), doc.data if doc.data is not None else {}, TOP_FIELDS, CONFIG_FILE, errors)
    urls = validate_mapping(doc, ("urls",), top.get("urls", {}), URL_FIELDS, CONFIG_FILE, errors)
    comments = validate_mapping(doc, ("comments",), top.get("comments", {}), COMMENT_FIELDS, CONFIG_FILE, errors)
    images = validate_mapping(doc, ("images",), top.get("images", {}), IMAGE_FIELDS, CONFIG_FILE, errors)
    publisher = validate_mapping(doc, ("publisher",), top["publisher"], PUBLISHER_FIELDS, CONFIG_FILE, errors) if "publisher" in top else {}
    licence = validate_mapping(doc, ("license",), top["license"], LICENSE_FIELDS, CONFIG_FILE, errors) if top.get("license") else None
    share = (validate_mapping(doc, ("share_image",), top["share_image"], SHARE_IMAGE_FIELDS, CONFIG_FILE, errors)
             if top.get("share_image") else None)
    areas = _plan_areas(doc, top.get("plan_areas", []), errors)
    extra = _extra_keys(doc, top.get("extra_front_matter", []), errors)
    segments = {k: v for k, v in urls.items() if k != "post"}
    seen: dict[str, str] = {}
    for key, seg in segments.items():
        if seg in seen:
            errors.append(SourceError(CONFIG_FILE, doc.line("urls", key), _("urls.{key} '{segment}' is also urls.{other}", key=key, segment=seg, other=seen[seg])))
        seen[seg] = key
    if errors:
        raise BuildError(sorted(errors, key=lambda e: e.line))  # top to bottom, as the writer reads
    return Config(
        title=top["title"],
        description=top["description"],
        base_url=normalise_base_url(top["base_url"]),
        author=top["author"],
        timezone=top["timezone"],
        per_page=top["per_page"],
        output_dir=top["output_dir"],
        feed_entries=top["feed_entries"],
        search=top["search"],
        related_posts=top["related_posts"],
        urls=UrlConfig(**urls),
        plan_areas=areas,
        extra_front_matter=extra,
        comments=CommentsConfig(**comments),
        images=ImagesConfig(tuple(sorted(images["widths"])), images["quality"]),
        publisher=Publisher(**{k: v.strip() if isinstance(v, str) else v for k, v in publisher.items()}),
        license=License(licence["name"].strip(), licence["url"].strip()) if licence else None,
        share_image=ShareImage(share["file"].strip(), share["alt"].strip()) if share else None,
        digest=digest,
    )


def _plan_areas(doc: YamlDocument, items: list, errors: list[SourceError]) -> tuple[PlanArea, ...]:
    areas: list[PlanArea] = []
    names: set[str] = set()
    for i, item in enumerate(items):
        values = validate_mapping(doc, ("plan_areas", i), item, PLAN_AREA_FIELDS, CONFIG_FILE, errors)
        if "name" in values and "description" in values:
            if values["name"].casefold() in names:
                errors.append(SourceError(CONFIG_FILE, doc.line("plan_areas", i), _("plan area '{name}' is listed twice", name=values["name"])))
            names.add(values["name"].casefold())
            areas.append(PlanArea(values["name"], values["description"]))
    if not items:
        errors.append(SourceError(CONFIG_FILE, doc.line("plan_areas"), _("plan_areas must list at least one plan area")))
    return tuple(areas)


def _extra_keys(doc: YamlDocument, items: list, errors: list[SourceError]) -> tuple[str, ...]:
    bad = [i for i, k in enumerate(items) if not isinstance(k, str)]
    for i in bad:
        errors.append(SourceError(CONFIG_FILE, doc.line("extra_front_matter", i), _("extra_front_matter lists key names as text")))
    return tuple(k for k in items if isinstance(k, str))
