"""sitegen.config.schema: typed fields, defaults, unknown keys with suggestions, every problem collected."""

from __future__ import annotations

import pytest

from sitegen.config.schema import Field, type_name, validate_mapping
from sitegen.config.yamlsource import parse
from sitegen.errors import SourceError

pytestmark = pytest.mark.usefixtures("english")  # these pin the English texts; tests/invalid pins the Swedish

FIELDS = {
    "title": Field((str,)),
    "count": Field((int,), 3, lambda v: None if v > 0 else "must be at least 1"),
    "flag": Field((bool,), False),
    "tags": Field((list, str), []),
}


def check(text: str, fields=FIELDS, **kw):
    doc = parse(text)
    errors: list[SourceError] = []
    values = validate_mapping(doc, (), doc.data, fields, "f.yaml", errors, **kw)
    return values, [str(e) for e in errors]


def test_defaults_are_filled_in():
    values, errors = check("title: T\n")
    assert errors == []
    assert values == {"title": "T", "count": 3, "flag": False, "tags": []}


def test_null_value_of_optional_key_takes_the_default():
    values, errors = check("title: T\ncount:\n")
    assert errors == []
    assert values["count"] == 3


def test_missing_required_key():
    values, errors = check("count: 2\n")
    assert errors == ["f.yaml:1: missing required key 'title'"]
    assert "title" not in values


def test_null_required_key_is_missing():
    _, errors = check("title:\n")
    assert errors == ["f.yaml:1: missing required key 'title'"]


def test_unknown_key_with_suggestion_at_its_line():
    _, errors = check("title: T\ntag: [a]\n")
    assert errors == ["f.yaml:2: unknown key 'tag'; did you mean 'tags'?"]


def test_unknown_key_without_close_match_lists_known_keys():
    _, errors = check("title: T\nxyzzy: 1\n")
    assert errors == ["f.yaml:2: unknown key 'xyzzy'; known keys: count, flag, tags, title"]


def test_wrong_types_are_reported_with_expected_type():
    _, errors = check("title: [a, b]\ncount: many\nflag: 1\n")
    assert errors == [
        "f.yaml:1: 'title' must be text, found a list",
        "f.yaml:2: 'count' must be a whole number, found 'many'",
        "f.yaml:3: 'flag' must be true or false, found '1'",
    ]


def test_bool_is_not_a_number():
    _, errors = check("title: T\ncount: yes\n")
    assert errors == ["f.yaml:2: 'count' must be a whole number, found 'true'"]


def test_check_function_problem():
    values, errors = check("title: T\ncount: 0\n")
    assert errors == ["f.yaml:2: 'count' must be at least 1"]
    assert "count" not in values


def test_all_problems_collected():
    _, errors = check("tgas: [a]\ncount: -1\nflag: maybe\n")
    assert len(errors) == 4
    assert any("unknown key 'tgas'; did you mean 'tags'?" in e for e in errors)
    assert any("missing required key 'title'" in e for e in errors)


def test_not_a_mapping():
    values, errors = check("- a\n- b\n")
    assert values == {}
    assert errors == ["f.yaml:1: expected 'key: value' lines, found a list"]


def test_allowed_extra_keys_pass_through():
    values, errors = check("title: T\nproject: Skolfam\n", allowed_extra=frozenset({"project"}))
    assert errors == []
    assert values["project"] == "Skolfam"


def test_type_names():
    assert type_name((list, str)) == "a list or text"
    assert type_name((dict,)) == "a mapping"
