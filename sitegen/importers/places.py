"""Which WordPress categories and tags are places and themes: municipality, county, plan area, or tag.

A term that names a municipality in any accepted spelling ("Östersunds kommun", "Borås stad", or
its slug) becomes ``municipality``; one that names a county, ``county``; a plan area from
config.yaml, ``plan_areas``; the rest stay tags. MAP.yaml can say it for any term, or drop it:

    Sjuhärad: {municipality: [Borås, Mark, Ulricehamn]}
    Skolan: {plan_area: Barns skolgång}
    Okategoriserat: drop
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sitegen.config.settings import Config
from sitegen.config.urls import slug
from sitegen.config.yamlsource import YamlError, decode_text, parse
from sitegen.content.registry import County, Municipality, Registry
from sitegen.errors import BuildError, SourceError, suggest
from sitegen.importers.wxr import WpTerm
from sitegen.messages import _

KINDS = ("municipality", "county", "plan_area", "tag")
DROP = "drop"
DEFAULT_CATEGORIES = frozenset({"uncategorized", "okategoriserat"})  # WordPress's own, in English and Swedish


@dataclass(frozen=True)
class Rule:
    """What one term becomes."""

    kind: str  # one of KINDS, or DROP
    values: tuple[str, ...]  # canonical names: municipalities, a county, a plan area or a tag; () for DROP
    given: bool  # written in MAP.yaml, not worked out


@dataclass(frozen=True)
class Placed:
    """A post's place and themes, from its terms."""

    municipalities: tuple[str, ...]
    county: str | None  # only when no municipality is given, or to say a county-wide visit
    plan_areas: tuple[str, ...]
    tags: tuple[str, ...]
    problem: str | None  # why the post is written as a draft: no place, or a place that does not add up
    rules: tuple[tuple[str, Rule], ...]  # (term name, its rule), for the report


def load_map(path: Path, shown: str, config: Config, registry: Registry) -> dict[str, Rule]:
    """MAP.yaml as term key (see ``term_keys``) -> rule; BuildError lists every problem with its line."""
    try:
        doc = parse(decode_text(path.read_bytes(), shown))
    except OSError as exc:
        raise BuildError([SourceError(shown, 0, _("cannot read the map: {reason}", reason=exc.strerror or exc))]) from None
    except YamlError as exc:
        raise BuildError([SourceError(shown, exc.line, exc.message)]) from None
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise BuildError([SourceError(shown, 1, _("must be lines 'term: what it becomes', e.g. 'Okategoriserat: drop'"))])
    names = Names(config, registry)
    rules: dict[str, Rule] = {}
    errors: list[SourceError] = []
    for term, value in doc.data.items():
        def fail(problem: str, *sub: object, term: object = term) -> None:
            errors.append(SourceError(shown, doc.line(term, *sub) or doc.line(term), problem))

        rule = _rule(str(term), value, names, fail)
        if rule is not None:
            for key in term_keys(str(term), ""):
                rules[key] = rule
    if errors:
        raise BuildError(errors)
    return rules


def _rule(term: str, value: object, names: Names, fail) -> Rule | None:
    if value == DROP:
        return Rule(DROP, (), True)
    if not (isinstance(value, dict) and len(value) == 1):
        fail(_("'{term}' must become 'drop' or one of {{municipality: …}}, {{county: …}}, {{plan_area: …}}, {{tag: …}}", term=term))
        return None
    ((kind, given),) = value.items()
    if kind not in KINDS:
        fail(_("'{term}': unknown kind '{kind}'{hint}; write municipality, county, plan_area or tag", term=term, kind=kind,
               hint=suggest(str(kind), KINDS)), kind)
        return None
    wanted = given if isinstance(given, list) and kind == "municipality" else [given]
    found: list[str] = []
    for i, name in enumerate(wanted):
        canonical = names.canonical(kind, name) if isinstance(name, str) and name.strip() else None
        if canonical is None:
            sub = (kind, i) if isinstance(given, list) else (kind,)
            fail(_("'{term}': {problem}", term=term, problem=names.unknown(kind, str(name))), *sub)
        elif canonical not in found:
            found.append(canonical)
    return Rule(kind, tuple(found), True) if len(found) == len(wanted) else None


def term_keys(name: str, term_slug: str) -> list[str]:
    """The keys a term is known by: its name, case aside, and its slug (decoded, as WordPress keeps it encoded)."""
    keys = [" ".join(name.split()).casefold()]
    for text in (unquote(term_slug), name):
        if slug(text) and slug(text) not in keys:
            keys.append(slug(text))
    return keys


class Names:
    """Municipalities, counties and plan areas by every spelling and slug a term may use."""

    def __init__(self, config: Config, registry: Registry):
        self.registry = registry
        self.plan_areas = {a.name.casefold(): a.name for a in config.plan_areas} | {slug(a.name): a.name for a in config.plan_areas}
        self.municipality_slugs = _unique((s, m) for m in registry.municipalities for s in _slugs(m.name, m.official_name, "kommun", "stad"))
        self.county_slugs = _unique((s, c) for c in registry.counties for s in _slugs(c.name, c.official_name, "lan"))

    def municipality(self, name: str, term_slug: str = "") -> Municipality | None:
        found = self.registry.municipality(name)
        return found or next((self.municipality_slugs[k] for k in (slug(name), slug(unquote(term_slug))) if k in self.municipality_slugs), None)

    def county(self, name: str, term_slug: str = "") -> County | None:
        found = self.registry.county(name)
        return found or next((self.county_slugs[k] for k in (slug(name), slug(unquote(term_slug))) if k in self.county_slugs), None)

    def plan_area(self, name: str, term_slug: str = "") -> str | None:
        return next((self.plan_areas[k] for k in (name.strip().casefold(), slug(name), slug(unquote(term_slug))) if k in self.plan_areas), None)

    def canonical(self, kind: str, name: str) -> str | None:
        if kind == "tag":
            return name.strip() if slug(name) else None
        if kind == "plan_area":
            return self.plan_area(name)
        found = self.municipality(name) if kind == "municipality" else self.county(name)
        return found.name if found else None

    def unknown(self, kind: str, name: str) -> str:
        if kind == "municipality":
            return _("unknown municipality '{name}'{hint}", name=name, hint=self.registry.municipality_suggestion(name))
        if kind == "county":
            return _("unknown county '{name}'{hint}", name=name, hint=self.registry.county_suggestion(name))
        if kind == "plan_area":
            return _("unknown plan area '{name}'{hint}", name=name, hint=suggest(name, sorted(set(self.plan_areas.values()))))
        return _("tag '{name}' has no letters or digits to make a URL from", name=name)


def _slugs(name: str, official: str, *suffixes: str) -> set[str]:
    found = {slug(name), slug(official)}
    return found | {f"{slug(name)}-{suffix}" for suffix in suffixes}


def _unique(pairs: Iterable[tuple[str, object]]) -> dict:
    """Slugs of one place only: 'habo' is both Habo and Håbo, so neither is found by it."""
    counts: dict[str, set] = {}
    for key, value in pairs:
        counts.setdefault(key, set()).add(value)
    return {key: next(iter(values)) for key, values in counts.items() if len(values) == 1}


class Classifier:
    """Works out each term's rule once, and each post's place from its terms."""

    def __init__(self, config: Config, registry: Registry, rules: Mapping[str, Rule]):
        self.names = Names(config, registry)
        self.registry = registry
        self.rules = rules
        self._memo: dict[tuple[str, str], Rule] = {}

    def rule(self, term: WpTerm) -> Rule:
        key = (term.name, term.slug)
        if key not in self._memo:
            self._memo[key] = self._work_out(term)
        return self._memo[key]

    def _work_out(self, term: WpTerm) -> Rule:
        for key in term_keys(term.name, term.slug):
            if key in self.rules:
                return self.rules[key]
        if term.domain == "category" and slug(unquote(term.slug) or term.name) in DEFAULT_CATEGORIES:
            return Rule(DROP, (), False)
        if (m := self.names.municipality(term.name, term.slug)) is not None:
            return Rule("municipality", (m.name,), False)
        if (c := self.names.county(term.name, term.slug)) is not None:
            return Rule("county", (c.name,), False)
        if (area := self.names.plan_area(term.name, term.slug)) is not None:
            return Rule("plan_area", (area,), False)
        return Rule("tag", (term.name.strip(),), False) if slug(term.name) else Rule(DROP, (), False)

    def place(self, terms: Sequence[WpTerm]) -> Placed:
        """The post's municipalities, county, plan areas and tags; ``problem`` says why it must wait as a draft."""
        found: dict[str, list[str]] = {kind: [] for kind in KINDS}
        rules = []
        for term in terms:
            if term.domain not in ("category", "post_tag"):
                continue
            rule = self.rule(term)
            rules.append((term.name, rule))
            if rule.kind != DROP:
                found[rule.kind].extend(v for v in rule.values if v not in found[rule.kind])
        municipalities, counties = found["municipality"], found["county"]
        problem = None
        county = None
        if len(counties) > 1:
            problem = _("it names more than one county ({counties}); keep one, or name the municipalities",
                        counties=", ".join(counties))
        elif counties and municipalities:
            outside = [m for m in municipalities if self.registry.county_of(self.registry.municipality(m)).name != counties[0]]
            if outside:
                problem = _("municipality {municipality} is not in county {county}; correct the place",
                            municipality=outside[0], county=counties[0])
        elif counties:
            county = counties[0]
        elif not municipalities:
            problem = _("no category or tag names a municipality or a county; add 'municipality:' (or map the terms with "
                        "--map) and remove 'draft: true'")
        return Placed(tuple(municipalities), county, tuple(found["plan_area"]), tuple(found["tag"]), problem, tuple(rules))
