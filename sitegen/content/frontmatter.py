"""The front-matter schema, checked against config.yaml and the municipality registry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sitegen.config.schema import Field, not_blank, validate_mapping
from sitegen.config.settings import Config
from sitegen.config.urls import MAX_SLUG, alias
from sitegen.config.urls import slug as make_slug
from sitegen.config.yamlsource import YamlDocument
from sitegen.content.registry import County, Municipality, Registry
from sitegen.errors import SourceError, clip, suggest
from sitegen.messages import _

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_KEYS = frozenset({"pending", "rejected"})  # folder names in comments/




def _slug_check(value: str) -> str | None:
    if len(value) > MAX_SLUG:
        return _("is {n} characters long; a folder name may have at most {max}: write a shorter 'slug:'", n=len(value), max=MAX_SLUG)
    return None if _SLUG.match(value) else _("must be lower-case letters a-z, digits and '-', like 'aterbesok-i-finspang'")


POST_FIELDS = {
    "title": Field((str,), check=not_blank),
    "date": Field((date, datetime, str, int, float, bool, list, dict)),  # _date reports anything not a date
    "author": Field((str,), None, not_blank),
    "municipality": Field((str, list), None),
    "county": Field((str,), None),
    "plan_areas": Field((list, str), []),
    "tags": Field((list, str), []),
    "summary": Field((str,), None),
    "slug": Field((str,), None, _slug_check),
    "draft": Field((bool,), False),
    "comments": Field((bool,), True),
    "aliases": Field((list, str), []),
    "updated": Field((date, datetime, str, int, float, bool, list, dict), None),  # "Uppdaterad 3 maj 2018"
}

PAGE_FIELDS = {
    "title": Field((str,), check=not_blank),
    "summary": Field((str,), None),
    "slug": Field((str,), None, _slug_check),
    "draft": Field((bool,), False),
    "aliases": Field((list, str), []),
    "contact": Field((bool,), False),  # the publisher's contact details under the text (config.yaml's publisher)
    "reviewed": Field((date,), None),  # "Senast granskad", e.g. of the accessibility statement
}


@dataclass(frozen=True)
class PostMeta:
    """Validated front matter of a post, names resolved against the registry and config."""

    title: str
    date: datetime  # aware, in the site's time zone
    has_time: bool  # the writer gave a time of day
    author: str
    municipalities: tuple[Municipality, ...]
    counties: tuple[County, ...]  # given, or derived from the municipalities
    plan_areas: tuple[str, ...]  # canonical names from config.yaml
    tags: tuple[str, ...]  # as written, duplicates removed
    summary: str | None
    slug: str
    draft: bool
    comments: bool
    extra: tuple[tuple[str, Any], ...]
    aliases: tuple[str, ...]  # old addresses that redirect here, as site paths (config.urls.alias)
    updated: datetime | None = None  # when the post was last changed in substance: "Uppdaterad", feeds, sitemap

    @property
    def modified(self) -> datetime:
        """When the post last changed: 'updated:', else its date (Atom's <updated>, the sitemap's lastmod)."""
        return self.updated or self.date


@dataclass(frozen=True)
class PageMeta:
    """Validated front matter of a standalone page."""

    title: str
    summary: str | None
    slug: str
    draft: bool
    aliases: tuple[str, ...]  # as PostMeta.aliases
    contact: bool  # show who publishes the site and how to reach them, under the text
    reviewed: date | None  # when the page was last reviewed, shown as "Senast granskad"


def check_page(doc: YamlDocument, rel: str, key: str, errors: list[SourceError]) -> PageMeta | None:
    values = validate_mapping(doc, (), doc.data, PAGE_FIELDS, rel, errors)
    aliases = _aliases(doc, values.get("aliases", []), rel, errors)
    if "title" not in values or "slug" not in values:
        return None
    return PageMeta(values["title"], values["summary"], values["slug"] or make_slug(key), values["draft"], aliases,
                    values["contact"], values["reviewed"])


def check_post(
    doc: YamlDocument, rel: str, key: str, config: Config, registry: Registry, errors: list[SourceError]
) -> PostMeta | None:
    """Validate a post's front matter, appending every problem to ``errors``."""
    before = len(errors)
    extra_keys = frozenset(config.extra_front_matter)
    values = validate_mapping(doc, (), doc.data, POST_FIELDS, rel, errors, allowed_extra=extra_keys)
    if key in RESERVED_KEYS:
        errors.append(SourceError(rel, 0, _("'{key}' is reserved for the comment folders; rename the file", key=key)))
    when = _date(doc, values.get("date"), rel, config, errors) if "date" in values else None
    updated = _date(doc, values["updated"], rel, config, errors, "updated") if values.get("updated") is not None else None
    if when and updated and updated[0] < when[0]:
        errors.append(SourceError(rel, doc.line("updated"), _("'updated' is before 'date': a post is updated after it is published")))
    municipalities = _municipalities(doc, values.get("municipality"), rel, registry, errors)
    counties = _counties(doc, values.get("county"), municipalities, rel, registry, errors)
    # a draft may wait for its place (an imported post whose terms named none); a published visit has one
    if "municipality" in values and "county" in values and not values["municipality"] and not values["county"] and not values.get("draft"):
        errors.append(SourceError(rel, 1, _("a visit needs a place: add 'municipality:' or 'county:'")))
    plan_areas = _plan_areas(doc, values.get("plan_areas", []), rel, config, errors)
    tags = _tags(doc, values.get("tags", []), rel, errors)
    aliases = _aliases(doc, values.get("aliases", []), rel, errors)
    title_slug = make_slug(values["title"]) if "title" in values and not values.get("slug") else None
    if title_slug == "":
        errors.append(
            SourceError(rel, doc.line("title"), _("'title' has no letters or digits to make a URL from; add a 'slug:' line"))
        )
    elif title_slug and len(title_slug) > MAX_SLUG:
        errors.append(SourceError(rel, doc.line("title"), _("'title' makes an address of {n} characters, too long for a folder name "
                                                            "(at most {max}); add a shorter 'slug:' line", n=len(title_slug), max=MAX_SLUG)))
    if len(errors) > before or when is None:
        return None
    title = values["title"].strip()
    return PostMeta(
        title=title,
        date=when[0],
        has_time=when[1],
        author=values["author"] or config.author,
        municipalities=municipalities,
        counties=counties,
        plan_areas=plan_areas,
        tags=tags,
        summary=values["summary"],
        slug=values["slug"] or title_slug or make_slug(title),
        draft=values["draft"],
        comments=values["comments"],
        extra=tuple((k, values[k]) for k in sorted(extra_keys & set(values))),
        aliases=aliases,
        updated=updated[0] if updated else None,
    )


def _date(doc, value, rel, config: Config, errors, key: str = "date") -> tuple[datetime, bool] | None:
    line = doc.line(key)
    if isinstance(value, str):
        text = value.strip()
        try:  # a quoted "2017-03-14" is a day without a time, like an unquoted one
            value = date.fromisoformat(text)
        except ValueError:
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                value = None
    if not isinstance(value, (date, datetime)):  # e.g. '14 mars 2017' or a bare 2017
        errors.append(SourceError(rel, line, _("'{key}' is not a date: '{value}'; write it as YYYY-MM-DD, e.g. 2017-03-14",
                                               key=key, value=_shown(doc, key))))
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=config.tz)
        try:
            return aware.astimezone(config.tz), True
        except (OverflowError, ValueError):  # e.g. 0001-01-01T00:00:00+05:00 is before year 1 in Stockholm
            errors.append(SourceError(rel, line, _("'{key}' is out of range: '{value}'", key=key, value=_shown(doc, key))))
            return None
    return datetime.combine(value, time(0, 0), tzinfo=config.tz), False


def _shown(doc, key: str) -> str:
    return clip(doc.data.get(key))


def _names(doc, value, field: str, rel: str, errors) -> list[tuple[str, int]]:
    """A name or a list of names, each with its line."""
    if value is None:
        return []
    if isinstance(value, str):
        return [(value, doc.line(field))]
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append((item, doc.line(field, i)))
        else:
            errors.append(SourceError(rel, doc.line(field, i), _("'{field}' must list names as text, found '{item}'", field=field, item=item)))
    return out


def _municipalities(doc, value, rel, registry: Registry, errors) -> tuple[Municipality, ...]:
    found: list[Municipality] = []
    for name, line in _names(doc, value, "municipality", rel, errors):
        m = registry.municipality(name)
        if m is None:
            hint = registry.municipality_suggestion(name) or _("; it must be one of Sweden's 290 municipalities")
            errors.append(SourceError(rel, line, _("unknown municipality '{name}'{hint}", name=clip(name), hint=hint)))
        elif m not in found:
            found.append(m)
    return tuple(found)


def _counties(doc, value, municipalities, rel, registry: Registry, errors) -> tuple[County, ...]:
    derived: list[County] = []
    for m in municipalities:
        c = registry.county_of(m)
        if c not in derived:
            derived.append(c)
    if value is None:
        return tuple(derived)
    county = registry.county(value)
    if county is None:
        hint = registry.county_suggestion(value) or _("; it must be one of Sweden's 21 counties")
        errors.append(SourceError(rel, doc.line("county"), _("unknown county '{name}'{hint}", name=clip(value), hint=hint)))
        return tuple(derived)
    for m in municipalities:
        actual = registry.county_of(m)
        if actual != county:
            errors.append(
                SourceError(
                    rel,
                    doc.line("county"),
                    _("county '{county}' does not match municipality '{municipality}', which is in {actual}", county=value,
                      municipality=m.name, actual=actual.official_name),
                )
            )
    return (county,)


def _plan_areas(doc, value, rel, config: Config, errors) -> tuple[str, ...]:
    by_key = {}
    for area in config.plan_areas:
        by_key[area.name.casefold()] = area.name
        by_key[make_slug(area.name)] = area.name
    found: list[str] = []
    for name, line in _names(doc, value, "plan_areas", rel, errors):
        canonical = by_key.get(name.strip().casefold()) or by_key.get(make_slug(name))
        if canonical is None:
            hint = suggest(name, [a.name for a in config.plan_areas]) or _(
                "; choose from config.yaml's plan_areas: {names}", names=", ".join(a.name for a in config.plan_areas))
            errors.append(SourceError(rel, line, _("unknown plan area '{name}'{hint}", name=clip(name), hint=hint)))
        elif canonical not in found:
            found.append(canonical)
    return tuple(found)


def _tags(doc, value, rel, errors) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for name, line in _names(doc, value, "tags", rel, errors):
        tag_slug = make_slug(name)
        if not tag_slug:
            errors.append(SourceError(rel, line, _("tag '{name}' has no letters or digits to make a URL from", name=clip(name))))
            continue
        if len(tag_slug) > MAX_SLUG:
            errors.append(SourceError(rel, line, _("tag '{name}' is too long to be an address (at most {max} characters); shorten it",
                                                   name=clip(name), max=MAX_SLUG)))
            continue
        found.setdefault(tag_slug, name.strip())  # one tag per URL, as in index.term_ids
    return tuple(found.values())


def _aliases(doc, value, rel, errors) -> tuple[str, ...]:
    found: list[str] = []
    for text, line in _names(doc, value, "aliases", rel, errors):
        path, problem = alias(text)
        if problem:
            errors.append(SourceError(rel, line, _("old address '{text}' in 'aliases:': {problem}", text=text.strip(), problem=problem)))
        elif path in found:
            errors.append(SourceError(rel, line, _("old address '{text}' is listed twice in 'aliases:'", text=text.strip())))
        else:
            found.append(path)
    return tuple(found)
