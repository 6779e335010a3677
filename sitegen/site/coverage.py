"""How much of Sweden the visits cover: each county with its municipalities and their visits, and where its tile
sits on the map of Sweden (one tile per county, in its rough place; the project's own layout, no outlines)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.content.documents import Post
from sitegen.content.registry import County, Municipality, Registry
from sitegen.site.collate import sort_key

# (column, row) of each county's tile, by county code, on a grid of 4 × 8 (templates/partials/map.html draws it):
# north at the top, the east coast to the right
TILES: Mapping[str, tuple[int, int]] = {
    "25": (2, 0),                                                   # Norrbotten
    "24": (2, 1),                                                   # Västerbotten
    "23": (1, 2), "22": (2, 2),                                     # Jämtland, Västernorrland
    "20": (1, 3), "21": (2, 3),                                     # Dalarna, Gävleborg
    "17": (0, 4), "18": (1, 4), "19": (2, 4), "03": (3, 4),         # Värmland, Örebro, Västmanland, Uppsala
    "14": (0, 5), "05": (1, 5), "04": (2, 5), "01": (3, 5),         # Västra Götaland, Östergötland, Södermanland, Stockholm
    "13": (0, 6), "06": (1, 6), "08": (2, 6), "09": (3, 6),         # Halland, Jönköping, Kalmar, Gotland
    "12": (0, 7), "07": (1, 7), "10": (2, 7),                       # Skåne, Kronoberg, Blekinge
}  # fmt: skip
# what a tile says of its county: the name, shortened to fit a tile on a phone
SHORT_NAMES: Mapping[str, str] = {
    "01": "Stockholm", "03": "Uppsala", "04": "Sörmland", "05": "Östergötl.", "06": "Jönköping", "07": "Kronoberg",
    "08": "Kalmar", "09": "Gotland", "10": "Blekinge", "12": "Skåne", "13": "Halland", "14": "V. Götaland", "17": "Värmland",
    "18": "Örebro", "19": "V-manland", "20": "Dalarna", "21": "Gävleborg", "22": "V-norrland", "23": "Jämtland",
    "24": "V-botten", "25": "Norrbotten",
}  # fmt: skip
SHADES = (0, 1, 25, 50, 75)  # lowest share (per cent) of each shade: none, some, a quarter, half, three quarters


@dataclass(frozen=True)
class Visited:
    """One municipality of a county, and its visits if it has any."""

    municipality: Municipality
    term_url: str | None  # its page, if any post is about it
    visits: int
    years: tuple[str, ...]  # the years of its visits, oldest first


@dataclass(frozen=True)
class CountyCoverage:
    """A county, each of its municipalities with their visits, and its tile on the map."""

    county: County
    term_url: str | None  # the county's page, if any post is about it
    visits: int  # posts about the county
    municipalities: tuple[Visited, ...]  # in Swedish collation

    @property
    def visited(self) -> int:
        return sum(1 for m in self.municipalities if m.term_url is not None)

    @property
    def share(self) -> int:
        """Per cent of its municipalities visited, rounded down (so 'all' means all)."""
        return 100 * self.visited // len(self.municipalities) if self.municipalities else 0

    @property
    def shade(self) -> int:
        """0 (none visited) to 4 (three quarters or more): the tile's shade, explained by the map's legend."""
        if not self.visited:
            return 0
        return max((i for i, low in enumerate(SHADES) if i and self.share >= low), default=1)

    @property
    def tile(self) -> tuple[int, int]:
        return TILES[self.county.code]

    @property
    def short_name(self) -> str:
        return SHORT_NAMES[self.county.code]


def coverage(registry: Registry, posts: Mapping[str, Post], term_urls: Mapping[tuple[str, str], tuple[str, tuple[str, ...]]]
             ) -> tuple[CountyCoverage, ...]:
    """Every county in Swedish collation, with each municipality's visits; ``term_urls``: (kind, id) -> (URL, post keys)."""
    out = []
    for county in sorted(registry.counties, key=lambda c: sort_key(c.name)):
        rows = []
        for m in sorted(registry.municipalities_in(county), key=lambda m: sort_key(m.name)):
            url, keys = term_urls.get(("municipality", m.code), (None, ()))
            years = tuple(sorted({f"{posts[k].meta.date.year}" for k in keys}))
            rows.append(Visited(m, url, len(keys), years))
        url, keys = term_urls.get(("county", county.code), (None, ()))
        out.append(CountyCoverage(county, url, len(keys), tuple(rows)))
    return tuple(out)
