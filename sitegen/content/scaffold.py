"""`new`: a draft post with complete front matter, ready for a writer to fill in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen.config.settings import Config
from sitegen.config.urls import MAX_SLUG, cut_slug, slug
from sitegen.content.documents import POSTS_DIR
from sitegen.content.registry import Registry
from sitegen.errors import BuildError, SourceError
from sitegen.messages import _


@dataclass(frozen=True)
class NewPost:
    """What the writer asked for on the command line."""

    title: str
    municipality: str | None
    county: str | None
    day: date
    bundle: bool = False  # a folder post, posts/<date>-<slug>/index.md, for photos beside it


SHORT_SLUG = 80  # characters of the address made for a title too long to be one: still readable in a link


def address(title: str) -> str:
    """The slug a new post's address gets from its title: cut short if it would not fit a file name."""
    made = slug(title)
    return cut_slug(made, SHORT_SLUG) if len(made) > MAX_SLUG else made


def _quote(text: str) -> str:
    """A YAML double-quoted scalar, safe for any title."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def post_text(new: NewPost, municipality: str | None, county: str | None, config: Config, own_slug: str | None = None) -> str:
    """The new post's text, its comments in the writer's language; ``own_slug`` for a title too long to be its address."""
    areas = "\n".join(f"#   - {a.name}: {a.description}" for a in config.plan_areas)
    place = []
    if municipality:
        place.append(f"municipality: {_quote(municipality)}    # " + _("or a list: [Borås, Mark]"))
    if county:
        place.append(f"county: {_quote(county)}")
    place_text = "\n".join(place)
    photos = "".join(f"# {line}\n" for line in photo_hint().splitlines()) if new.bundle else ""
    areas_note = _("choose one or more from the list below, e.g. [Samverkan, Barns skolgång]")
    areas_title = _("Plan areas (config.yaml):")
    summary_note = _("one sentence; leave empty to use the first paragraph")
    draft_note = _("set to false to publish")
    body = _("Write about the visit here. Use ## for subheadings, for example one per theme.")
    slug_line = f"slug: {own_slug}    # " + _("the title is too long to be the address: this part of it is") + "\n" if own_slug else ""
    return f"""---
title: {_quote(new.title)}
{slug_line}date: {new.day.isoformat()}
author: {_quote(config.author)}
{place_text}
plan_areas: []    # {areas_note}
# {areas_title}
{areas}
tags: []
summary: ""       # {summary_note}
draft: true       # {draft_note}
comments: true
{photos}---

{body}
"""


def photo_hint() -> str:
    """Lines for a folder post's front matter (comments there, so the draft builds before any photo is there)."""
    return _("Photos: put them in the same folder as this file and show them in the text like this, with a\n"
             "description for those who cannot see the picture and, if you like, a caption in quotes:\n"
             '  ![The participants gathered around the wheel of guiding words](foto.jpg "The development day in Borås")')


def create_post(root: Path, new: NewPost, config: Config, registry: Registry) -> Path:
    """Write posts/<date>-<slug>.md (or, for a bundle, posts/<date>-<slug>/index.md); never overwrites.

    Unknown places are errors and write nothing.
    """
    errors: list[SourceError] = []
    municipality = county = None
    if new.municipality:
        m = registry.municipality(new.municipality)
        if m is None:
            hint = registry.municipality_suggestion(new.municipality)
            errors.append(SourceError("--municipality", 0, _("unknown municipality '{name}'{hint}", name=new.municipality, hint=hint)))
        else:
            municipality = m.name
    if new.county:
        c = registry.county(new.county)
        if c is None:
            errors.append(SourceError("--county", 0, _("unknown county '{name}'{hint}", name=new.county,
                                                       hint=registry.county_suggestion(new.county))))
        else:
            county = c.name
            m = registry.municipality(municipality) if municipality else None
            if m is not None and registry.county_of(m) != c:
                errors.append(SourceError("--county", 0, _("county '{county}' does not match municipality '{municipality}', which is in {actual}",
                                                           county=new.county, municipality=m.name, actual=registry.county_of(m).official_name)))
    if not new.municipality and not new.county:
        errors.append(SourceError("new", 0, _("a visit needs a place: give --municipality NAME (or --county NAME)")))
    post_slug = slug(new.title)
    if not post_slug:
        errors.append(SourceError("new", 0, _("the title '{title}' has no letters or digits to make a file name from", title=new.title)))
    if errors:
        raise BuildError(errors)
    own_slug = address(new.title) if len(post_slug) > MAX_SLUG else None  # too long for a file name: written out
    name = f"{new.day.isoformat()}-{own_slug or post_slug}"
    path = root / POSTS_DIR / (f"{name}/index.md" if new.bundle else f"{name}.md")
    other = root / POSTS_DIR / (f"{name}.md" if new.bundle else f"{name}/index.md")
    for taken in (path, other):  # either would have the same key and URL
        if taken.exists():
            raise BuildError([SourceError(taken.relative_to(root).as_posix(), 0, _("already exists; choose another title or edit that file"))])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:
        f.write(post_text(new, municipality, county, config, own_slug))
    return path
