"""sitegen.content.registry: Sweden's 290 municipalities and 21 counties, and the spellings writers use."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish

# Municipalities per county (SCB, since Knivsta 2003): 290 in all.
PER_COUNTY = {
    "Stockholm": 26,
    "Uppsala": 8,
    "Södermanland": 9,
    "Östergötland": 13,
    "Jönköping": 13,
    "Kronoberg": 8,
    "Kalmar": 12,
    "Gotland": 1,
    "Blekinge": 5,
    "Skåne": 33,
    "Halland": 6,
    "Västra Götaland": 49,
    "Värmland": 16,
    "Örebro": 12,
    "Västmanland": 10,
    "Dalarna": 15,
    "Gävleborg": 10,
    "Västernorrland": 7,
    "Jämtland": 8,
    "Västerbotten": 15,
    "Norrbotten": 14,
}


def test_290_municipalities_21_counties(registry):
    assert len(registry.municipalities) == 290
    assert len(registry.counties) == 21
    assert sum(PER_COUNTY.values()) == 290


def test_municipalities_per_county(registry):
    assert {c.name: len(registry.municipalities_in(c)) for c in registry.counties} == PER_COUNTY


def test_codes_are_unique_and_well_formed(registry):
    codes = [m.code for m in registry.municipalities]
    assert len(set(codes)) == 290
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    county_codes = {c.code for c in registry.counties}
    assert len(county_codes) == 21
    # a municipality code starts with its county's code
    assert all(m.code[:2] == m.county_code and m.county_code in county_codes for m in registry.municipalities)


def test_names_are_unique(registry):
    assert len({m.name for m in registry.municipalities}) == 290


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Borås", "1490"),
        ("Stockholm", "0180"),
        ("Göteborg", "1480"),
        ("Malmö", "1280"),
        ("Finspång", "0562"),
        ("Östersund", "2380"),
        ("Knivsta", "0330"),
        ("Habo", "0643"),
        ("Håbo", "0305"),
        ("Upplands Väsby", "0114"),
    ],
)
def test_known_codes(registry, name, code):
    assert registry.municipality(name).code == code


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Borås", "Borås"),
        ("borås", "Borås"),
        ("BORÅS", "Borås"),
        ("Borås kommun", "Borås"),
        ("Borås stad", "Borås"),
        ("Malmö stad", "Malmö"),
        ("Falu kommun", "Falun"),
        ("falu kommun", "Falun"),
        ("Region Gotland", "Gotland"),
        ("Stockholms stad", "Stockholm"),
        ("Göteborgs stad", "Göteborg"),
        ("  Borås  ", "Borås"),
        ("Upplands  Väsby", "Upplands Väsby"),
        ("Håbo", "Håbo"),
        ("Habo", "Habo"),
    ],
)
def test_municipality_spellings(registry, spelling, name):
    m = registry.municipality(spelling)
    assert m is not None, spelling
    assert m.name == name


@pytest.mark.parametrize("spelling", ["Borrås", "Västerbottens län", "Sverige", "", "kommun"])
def test_unknown_municipality(registry, spelling):
    assert registry.municipality(spelling) is None


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Västerbotten", "Västerbotten"),
        ("Västerbottens län", "Västerbotten"),
        ("västerbottens län", "Västerbotten"),
        ("Västra Götaland", "Västra Götaland"),
        ("Västra Götalands län", "Västra Götaland"),
        ("Skåne", "Skåne"),
        ("Skåne län", "Skåne"),
        ("Stockholms län", "Stockholm"),
        ("Gotland", "Gotland"),
        ("Örebro län", "Örebro"),
    ],
)
def test_county_spellings(registry, spelling, name):
    c = registry.county(spelling)
    assert c is not None, spelling
    assert c.name == name


@pytest.mark.parametrize("spelling", ["Skånia", "Lappland", "Borås", ""])
def test_unknown_county(registry, spelling):
    assert registry.county(spelling) is None


def test_county_of(registry):
    assert registry.county_of(registry.municipality("Borås")).name == "Västra Götaland"
    assert registry.county_of(registry.municipality("Habo")).name == "Jönköping"
    assert registry.county_of(registry.municipality("Håbo")).name == "Uppsala"
    assert registry.county_of(registry.municipality("Gotland")).official_name == "Gotlands län"


def test_official_names(registry):
    assert registry.municipality("Falun").official_name == "Falu kommun"
    assert registry.municipality("Gotland").official_name == "Region Gotland"
    assert registry.county("Västerbotten").official_name == "Västerbottens län"


def test_municipality_suggestion(registry):
    assert registry.municipality_suggestion("Borrås").startswith("; did you mean 'Borås'")
    assert registry.municipality_suggestion("Borrås kommun").startswith("; did you mean 'Borås'")
    assert "'Östersund'" in registry.municipality_suggestion("Östersun")
    assert registry.municipality_suggestion("Xyzzyq") == ""


def test_county_suggestion(registry):
    assert registry.county_suggestion("Västerbotens län") == "; did you mean 'Västerbotten'?"
    assert registry.county_suggestion("Skånee").startswith("; did you mean 'Skåne'")
    assert registry.county_suggestion("Qwxz") == ""


def test_registry_is_loaded_once(registry):
    from sitegen.content.registry import load_registry

    assert load_registry() is registry
    assert len(registry.digest) == 32  # fingerprints.bytes_digest
