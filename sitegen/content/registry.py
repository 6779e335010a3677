"""Sweden's municipalities and counties, and lookup of the spellings writers use."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from sitegen import fingerprints
from sitegen.errors import suggest


@dataclass(frozen=True)
class County:
    """One of the 21 counties (län)."""

    code: str  # two digits, e.g. '14'
    name: str  # 'Västra Götaland'
    official_name: str  # 'Västra Götalands län'

    def __reduce__(self):
        # pickled by code: the build cache holds one per post, and unpickling objects is its cost
        return (_registered, ("counties", self.code))


@dataclass(frozen=True)
class Municipality:
    """One of the 290 municipalities (kommuner)."""

    code: str  # four digits, e.g. '1490'
    name: str  # 'Borås'
    county_code: str
    official_name: str  # 'Borås stad'

    def __reduce__(self):
        return (_registered, ("municipalities", self.code))


@dataclass(frozen=True)
class Registry:
    """All municipalities and counties with lookup tables of accepted spellings."""

    municipalities: tuple[Municipality, ...]
    counties: tuple[County, ...]
    digest: str  # hash of the data files, for caches
    _municipality_names: dict[str, Municipality] = field(repr=False, compare=False)
    _county_names: dict[str, County] = field(repr=False, compare=False)
    _county_codes: dict[str, County] = field(repr=False, compare=False)

    def county_of(self, m: Municipality) -> County:
        return self._county_codes[m.county_code]

    def municipality_by_code(self, code: str) -> Municipality:
        """The municipality with this four-digit code (a term's id)."""
        return next(m for m in self.municipalities if m.code == code)

    def municipalities_in(self, county: County) -> tuple[Municipality, ...]:
        return tuple(m for m in self.municipalities if m.county_code == county.code)

    def municipality(self, name: str) -> Municipality | None:
        """The municipality a writer means by ``name``, or None."""
        return _lookup(self._municipality_names, name, (" kommun", " stad", " municipality"))

    def county(self, name: str) -> County | None:
        """The county a writer means by ``name``, or None."""
        return _lookup(self._county_names, name, (" län", " lan", " county"))

    def municipality_suggestion(self, name: str) -> str:
        return suggest(_strip(name, (" kommun", " stad")), [m.name for m in self.municipalities])

    def county_suggestion(self, name: str) -> str:
        return suggest(_strip(name, (" län",)), [c.name for c in self.counties])


def _strip(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.casefold().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _lookup(index: dict, name: str, suffixes: tuple[str, ...]):
    key = " ".join(name.split()).casefold()
    if key in index:
        return index[key]
    key = _strip(key, suffixes)
    if key in index:
        return index[key]
    # official names use the genitive: "Stockholms stad", "Västerbottens län"
    if key.endswith("s") and key[:-1] in index:
        return index[key[:-1]]
    return None


def _read(name: str) -> tuple[bytes, list[dict[str, str]]]:
    data = resources.files("sitegen.content.data").joinpath(name).read_bytes()
    return data, list(csv.DictReader(data.decode("utf-8").splitlines()))


def _registered(kind: str, code: str) -> County | Municipality:
    return _by_code(kind)[code]


@cache
def _by_code(kind: str) -> dict[str, County | Municipality]:
    return {x.code: x for x in getattr(load_registry(), kind)}


@cache
def load_registry() -> Registry:
    """The registry shipped in sitegen/content/data."""
    mdata, mrows = _read("municipalities.csv")
    cdata, crows = _read("counties.csv")
    municipalities = tuple(Municipality(r["code"], r["name"], r["county_code"], r["official_name"]) for r in mrows)
    counties = tuple(County(r["code"], r["name"], r["official_name"]) for r in crows)
    names = {m.official_name.casefold(): m for m in municipalities}
    names.update({m.name.casefold(): m for m in municipalities})
    county_names = {c.official_name.casefold(): c for c in counties}
    county_names.update({c.name.casefold(): c for c in counties})
    return Registry(
        municipalities=municipalities,
        counties=counties,
        digest=fingerprints.bytes_digest(mdata, cdata),
        _municipality_names=names,
        _county_names=county_names,
        _county_codes={c.code: c for c in counties},
    )

