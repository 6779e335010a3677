"""A small declarative schema for YAML mappings: typed fields, defaults, unknown keys with suggestions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.config.yamlsource import YamlDocument
from sitegen.errors import SourceError, clip, suggest
from sitegen.messages import _

_MISSING = object()


@dataclass(frozen=True)
class Field:
    """One key of a mapping: the Python types it accepts, its default, and an optional extra check."""

    types: tuple[type, ...]
    default: Any = _MISSING
    check: Callable[[Any], str | None] | None = None  # returns a problem, or None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is _MISSING


def not_blank(value: str) -> str | None:
    """The check of a text that must say something: spaces alone are empty."""
    return None if value.strip() else _("must not be empty")


def _type_names() -> dict[type, str]:
    return {str: _("text"), int: _("a whole number"), bool: _("true or false"), list: _("a list"), dict: _("a mapping")}


def type_name(types: tuple[type, ...]) -> str:
    names = _type_names()
    return _(" or ").join(names.get(t, t.__name__) for t in types)


def validate_mapping(
    doc: YamlDocument,
    path: tuple,
    value: Any,
    fields: dict[str, Field],
    source: str,
    errors: list[SourceError],
    allowed_extra: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Check ``value`` against ``fields``; return the values with defaults filled in (bad ones left out)."""
    if not isinstance(value, dict):
        errors.append(SourceError(source, doc.line(*path), _("expected 'key: value' lines, found {found}", found=_found(value))))
        return {}
    out: dict[str, Any] = {}
    for key in value:
        if key not in fields and key not in allowed_extra:
            hint = suggest(str(key), fields) or _("; known keys: {keys}", keys=", ".join(sorted(fields)))
            errors.append(SourceError(source, doc.line(*path, key), _("unknown key '{key}'{hint}", key=clip(key), hint=hint)))
    for name, field in fields.items():
        if name not in value or value[name] is None:
            if name in value and value[name] is None and not field.required:
                out[name] = field.default
            elif field.required:
                # an empty 'date:' is reported at its own line; a missing key at the mapping's first line
                errors.append(SourceError(source, doc.line(*path, name), _("missing required key '{name}'", name=name)))
            else:
                out[name] = field.default
            continue
        item = value[name]
        # bool is an int in Python; a YAML `yes` must not pass as a number
        if not isinstance(item, field.types) or (isinstance(item, bool) and bool not in field.types):
            errors.append(
                SourceError(
                    source,
                    doc.line(*path, name),
                    _("'{name}' must be {kind}, found {found}", name=name, kind=type_name(field.types), found=_found(item)),
                )
            )
            continue
        if field.check is not None:
            problem = field.check(item)
            if problem:
                errors.append(SourceError(source, doc.line(*path, name), f"'{name}' {problem}"))
                continue
        out[name] = item
    for key in allowed_extra & set(value):
        out[key] = value[key]
    return out


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (list, tuple)):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return f"'{clip(value)}'"
