"""sitegen.config.settings: config.yaml into a frozen Config; every key checked, every problem reported at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sitegen.config.settings import Config, load_config
from sitegen.errors import BuildError

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish

REPO = Path(__file__).resolve().parents[3]

MINIMAL = """\
title: Återbesök
plan_areas:
  - name: Samverkan
    description: Tillsammans kring barnet.
  - name: Barns skolgång
    description: Skolan.
"""


PUBLISHER = b"\npublisher: {name: Samordningsgruppen, email: aterbesok@example.org}\n"


def load(tmp_path: Path, text: str | bytes, publisher: bool = True) -> Config:
    """``text`` as config.yaml; a publisher is added at the end (no line above moves) unless the test is about it."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if publisher and b"publisher:" not in data and data.strip():
        data += PUBLISHER
    (tmp_path / "config.yaml").write_bytes(data)
    return load_config(tmp_path)


def problems(tmp_path: Path, text: str | bytes, publisher: bool = True) -> list[str]:
    with pytest.raises(BuildError) as info:
        load(tmp_path, text, publisher)
    return [str(e) for e in info.value.errors]


def test_repo_config_loads_with_the_required_plan_areas():
    config = load_config(REPO)
    names = {a.name for a in config.plan_areas}
    assert {
        "Helhetssyn",
        "Förutsättningar",
        "Medskapande",
        "Frigöra och utveckla",
        "Samverkan",
        "Barns miljö",
        "Barns inflytande och delaktighet",
        "Barns skolgång",
        "Barns hälsa",
        "Kvalitet i arbetet",
    } <= names
    assert all(a.description.strip() for a in config.plan_areas)
    assert config.base_url.endswith("/")


def test_defaults(tmp_path):
    config = load(tmp_path, MINIMAL)
    assert config.title == "Återbesök"
    assert config.per_page == 10
    assert config.output_dir == "_site"
    assert config.timezone == "Europe/Stockholm"
    assert config.urls.post == "{year}/{month}/{slug}/"
    assert (config.urls.municipality, config.urls.county, config.urls.plan_area) == ("kommun", "lan", "tema")
    assert (config.urls.tag, config.urls.archive, config.urls.page, config.urls.search) == ("tagg", "arkiv", "sida", "sok")
    assert config.comments.rate_limit_per_minute == 5
    assert [a.name for a in config.plan_areas] == ["Samverkan", "Barns skolgång"]


def test_config_is_frozen(tmp_path):
    config = load(tmp_path, MINIMAL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.title = "x"  # type: ignore[misc]


def test_base_url_gets_trailing_slash_and_base_path(tmp_path):
    config = load(tmp_path, MINIMAL + "base_url: https://example.org/aterbesok\n")
    assert config.base_url == "https://example.org/aterbesok/"
    assert config.base_path == "/aterbesok/"


def test_with_base_url_overrides_and_validates(tmp_path):
    config = load(tmp_path, MINIMAL)
    assert config.with_base_url("https://example.org/a/b").base_path == "/a/b/"
    with pytest.raises(BuildError) as info:
        config.with_base_url("example.org/aterbesok/")
    assert str(info.value.errors[0]).startswith("--base-url: 'example.org/aterbesok/' must be an absolute http(s) URL")


def test_bom_and_crlf_are_accepted(tmp_path):
    config = load(tmp_path, b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8"))
    assert config.title == "Återbesök"


def test_digest_changes_with_the_bytes(tmp_path):
    a = load(tmp_path, MINIMAL).digest
    b = load(tmp_path, MINIMAL + "per_page: 5\n").digest
    assert a != b and len(a) == 32  # fingerprints.bytes_digest


def test_unknown_key_with_suggestion(tmp_path):
    assert problems(tmp_path, MINIMAL + "per_pgae: 5\n") == ["config.yaml:7: unknown key 'per_pgae'; did you mean 'per_page'?"]


def test_unknown_nested_key_with_suggestion(tmp_path):
    assert problems(tmp_path, MINIMAL + "comments:\n  endpiont: /k/\n") == [
        "config.yaml:8: unknown key 'endpiont'; did you mean 'endpoint'?"
    ]


def test_wrong_types(tmp_path):
    assert problems(tmp_path, MINIMAL + "per_page: many\nfeed_entries: [1]\n") == [
        "config.yaml:7: 'per_page' must be a whole number, found 'many'",
        "config.yaml:8: 'feed_entries' must be a whole number, found a list",
    ]


def test_bool_is_not_a_number(tmp_path):
    assert problems(tmp_path, MINIMAL + "per_page: true\n") == ["config.yaml:7: 'per_page' must be a whole number, found 'true'"]


def test_missing_required_keys(tmp_path):
    assert problems(tmp_path, "description: x\n") == [
        "config.yaml:1: missing required key 'title'",
        "config.yaml:1: missing required key 'plan_areas'",
        "config.yaml:1: plan_areas must list at least one plan area",
    ]


def test_plan_area_without_description(tmp_path):
    assert problems(tmp_path, "title: T\nplan_areas:\n  - name: Samverkan\n") == [
        "config.yaml:3: missing required key 'description'"
    ]


@pytest.mark.parametrize("url", ["example.org", "ftp://example.org/", "/aterbesok/", "https://", "https://example.org:port/"])
def test_bad_base_url(tmp_path, url):
    errors = problems(tmp_path, MINIMAL + f"base_url: {url}\n")
    assert errors == ["config.yaml:7: 'base_url' must be an absolute http(s) URL such as 'https://example.org/aterbesok/'"]


@pytest.mark.parametrize("url", ["'https://example.org/aterbesok/?utm=x'", "'https://example.org/#topp'", "'https://example.org/?'"])
def test_a_base_url_with_a_query_or_fragment_is_an_error_naming_its_line(tmp_path, url):
    errors = problems(tmp_path, MINIMAL + f"base_url: {url}\n")
    problem = "must not have a query ('?…') or a fragment ('#…'): every link is made by adding a path to it"
    assert errors == [f"config.yaml:7: 'base_url' {problem}"]


def test_a_base_url_on_the_command_line_is_checked_the_same_way(tmp_path):
    config = load(tmp_path, MINIMAL)
    with pytest.raises(BuildError) as info:
        config.with_base_url("https://example.org/aterbesok/#x")
    assert str(info.value.errors[0]).startswith("--base-url: 'https://example.org/aterbesok/#x' must not have a query")


def test_bad_timezone(tmp_path):
    assert problems(tmp_path, MINIMAL + "timezone: Europe/Stokholm\n") == [
        "config.yaml:7: 'timezone' is not a known time zone (e.g. 'Europe/Stockholm'): 'Europe/Stokholm'"
    ]


def test_duplicate_plan_areas_case_insensitive(tmp_path):
    text = MINIMAL + "  - name: samverkan\n    description: Igen.\n"
    assert problems(tmp_path, text) == ["config.yaml:7: plan area 'samverkan' is listed twice"]


def test_per_page_must_be_positive(tmp_path):
    assert problems(tmp_path, MINIMAL + "per_page: 0\n") == ["config.yaml:7: 'per_page' must be at least 1"]


def test_url_segments_checked(tmp_path):
    errors = problems(tmp_path, MINIMAL + "urls:\n  municipality: Kommun\n  post: '{year}/{title}/{slug}/'\n")
    assert sorted(errors) == [
        "config.yaml:8: 'municipality' must be a lower-case URL segment like 'kommun'",
        "config.yaml:9: 'post' uses unknown placeholder(s) title; known: year, month, day, slug",
    ]


def test_post_pattern_needs_slug(tmp_path):
    assert problems(tmp_path, MINIMAL + "urls:\n  post: '{year}/{month}/'\n") == ["config.yaml:8: 'post' must contain {slug}"]


def test_two_sections_on_one_segment(tmp_path):
    assert problems(tmp_path, MINIMAL + "urls:\n  tag: tema\n") == ["config.yaml:8: urls.tag 'tema' is also urls.plan_area"]


def test_bad_comment_endpoint(tmp_path):
    assert problems(tmp_path, MINIMAL + "comments:\n  endpoint: kommentar\n") == [
        "config.yaml:8: 'endpoint' must be an absolute URL or a path starting with '/'"
    ]


def test_all_errors_collected_in_one_build_error(tmp_path):
    text = (
        "titel: X\n"  # 1: unknown key, and title is missing
        "base_url: example.org\n"  # 2
        "timezone: Mars/Olympus\n"  # 3
        "per_page: -1\n"  # 4
        "plan_areas:\n"  # 5
        "  - name: Samverkan\n"  # 6
        "    description: A\n"
        "  - name: Samverkan\n"  # 8
        "    description: B\n"
    )
    errors = problems(tmp_path, text)
    assert sorted(errors) == sorted(
        [
            "config.yaml:1: unknown key 'titel'; did you mean 'title'?",
            "config.yaml:1: missing required key 'title'",
            "config.yaml:2: 'base_url' must be an absolute http(s) URL such as 'https://example.org/aterbesok/'",
            "config.yaml:3: 'timezone' is not a known time zone (e.g. 'Europe/Stockholm'): 'Mars/Olympus'",
            "config.yaml:4: 'per_page' must be at least 1",
            "config.yaml:8: plan area 'Samverkan' is listed twice",
        ]
    )


def test_bad_yaml_reports_line(tmp_path, english):
    errors = problems(tmp_path, MINIMAL + "urls: [kommun\n", publisher=False)
    assert errors == ["config.yaml:7: the list that starts with '[' on this line is not closed: end it with ']'"]


def test_not_utf8_reports_line(tmp_path):
    assert problems(tmp_path, MINIMAL.encode("utf-8") + b"description: caf\xe9\n") == ["config.yaml:7: is not valid UTF-8 text; save the file as UTF-8"]


def test_missing_config(tmp_path):
    with pytest.raises(BuildError) as info:
        load_config(tmp_path)
    assert str(info.value.errors[0]) == "config.yaml: not found: every site needs a config.yaml"


def test_extra_front_matter_names_must_be_text(tmp_path):
    assert problems(tmp_path, MINIMAL + "extra_front_matter: [projekt, 3]\n") == [
        "config.yaml:7: extra_front_matter lists key names as text"
    ]
    assert load(tmp_path, MINIMAL + "extra_front_matter: [projekt]\n").extra_front_matter == ("projekt",)


@pytest.mark.parametrize("endpoint, base_url, expected", [
    ("/kommentar/", "https://example.org/aterbesok/", "/aterbesok/kommentar/"),
    ("/kommentar/", "https://example.org/", "/kommentar/"),
    ("https://kommentarer.example.org/ta-emot", "https://example.org/aterbesok/", "https://kommentarer.example.org/ta-emot"),
])
def test_a_comment_endpoint_given_as_a_path_follows_the_site_to_its_sub_path(tmp_path, endpoint, base_url, expected):
    config = load(tmp_path, MINIMAL + f"comments:\n  endpoint: {endpoint}\n").with_base_url(base_url)
    assert config.comment_endpoint == expected


def test_the_publisher_and_licence(tmp_path):
    config = load(tmp_path, MINIMAL + "publisher:\n  name: Samordningsgruppen\n  email: aterbesok@example.org\n  phone: 010-123 45 67\n"
                  "license: {name: CC BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}\n")
    assert (config.publisher.name, config.publisher.email, config.publisher.phone, config.publisher.address) == (
        "Samordningsgruppen", "aterbesok@example.org", "010-123 45 67", None)
    assert (config.license.name, config.license.url) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert load(tmp_path, MINIMAL).license is None
    assert load(tmp_path, MINIMAL).comments.retention_days == 365


def test_a_site_says_who_publishes_it(tmp_path):
    assert problems(tmp_path, MINIMAL, publisher=False) == ["config.yaml:1: missing required key 'publisher'"]


def test_bad_publisher_and_licence_are_errors_at_their_lines(tmp_path, english):
    text = (MINIMAL + "publisher:\n  email: redaktionen(at)example.org\n  logo: ../hemlig.png\n"
            "license:\n  name: CC BY 4.0\n  url: creativecommons.org/licenses/by/4.0/\ncomments: {retention_days: 0}\n")
    assert problems(tmp_path, text) == [
        "config.yaml:7: missing required key 'name'",
        "config.yaml:8: 'email' is not an e-mail address, like 'redaktionen@example.se'",
        "config.yaml:9: 'logo' names a file in static/, like 'bilder/logo.svg'",
        "config.yaml:12: 'url' must be an http(s) address, like 'https://creativecommons.org/licenses/by/4.0/'",
        "config.yaml:13: 'retention_days' must be at least 1",
    ]


def test_a_logo_that_is_not_in_static_is_an_error(tmp_path, english):
    text = MINIMAL + "publisher: {name: Samordningsgruppen, email: aterbesok@example.org, logo: bilder/logo.svg}\n"
    assert problems(tmp_path, text) == [
        "config.yaml:7: 'logo' names static/bilder/logo.svg, which is not there; put the logo there or remove the line"]
    (tmp_path / "static" / "bilder").mkdir(parents=True)
    (tmp_path / "static" / "bilder" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert load(tmp_path, text).publisher.logo == "bilder/logo.svg"
