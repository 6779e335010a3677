"""sitegen.config.yamlsource: YAML with the line of every key, and bad YAML with the line it broke on."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from sitegen.config.yamlsource import YamlError, parse


def test_lines_of_keys_nested_mappings_and_list_items():
    doc = parse("title: A\nplan_areas:\n  - name: X\n    description: Y\n  - name: Z\nurls:\n  post: p\n")
    assert doc.data["plan_areas"][1] == {"name": "Z"}
    assert doc.line("title") == 1
    assert doc.line("plan_areas") == 2
    assert doc.line("plan_areas", 0) == 3
    assert doc.line("plan_areas", 0, "description") == 4
    assert doc.line("plan_areas", 1, "name") == 5
    assert doc.line("urls", "post") == 7


def test_first_line_offsets_every_line():
    # front matter starts on line 2 of a post, after the opening '---'
    doc = parse("title: A\ndate: 2017-03-14\n", first_line=2)
    assert doc.line("title") == 2
    assert doc.line("date") == 3
    assert doc.data["date"] == dt.date(2017, 3, 14)


def test_line_falls_back_to_deepest_known_prefix():
    doc = parse("a:\n  b: 1\n")
    assert doc.line("a", "b", "c", "d") == 2
    # a key that is not there (e.g. a missing required key) points at the mapping's first line
    assert parse("x: 1\n", first_line=2).line("title") == 2
    assert parse("").line("title", default=7) == 7


def test_key_line_is_the_key_not_its_value():
    doc = parse("tags:\n  - a\n  - b\n")
    assert doc.line("tags") == 1
    assert doc.line("tags", 1) == 3


def test_empty_document_is_none():
    doc = parse("")
    assert doc.data is None
    assert doc.lines == {}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: A\ntags: [a, b\n", 2),  # an unclosed list: the line where it opened, not where the parser stopped
        ("title: A\n  bad: indent\n", 2),
        ("title: 'open\ndate: 2017-01-01\n", 1),
        ("a: 1\nb: *nowhere\n", 2),
    ],
)
def test_bad_yaml_reports_line(text, line):
    with pytest.raises(YamlError) as info:
        parse(text)
    assert info.value.line == line


def test_a_mistake_without_its_own_words_keeps_the_parsers_and_says_where_to_look(english):
    with pytest.raises(YamlError) as info:
        parse("a: 1\nb: *nowhere\n")
    assert info.value.message == "invalid YAML: found undefined alias; look on this line for a missing quote, colon or bracket"


def test_bad_yaml_line_is_offset_too():
    with pytest.raises(YamlError) as info:
        parse("title: A\n  bad: indent\n", first_line=2)
    assert info.value.line == 3


def test_python_tags_are_refused_not_executed():
    with pytest.raises(YamlError) as info:
        parse("a: !!python/object/apply:os.system ['true']\n")
    assert "constructor" in info.value.message


def test_impossible_date_is_a_yaml_error_with_its_line():
    # PyYAML raises a bare ValueError for 2017-02-30; it must not escape as a traceback
    with pytest.raises(YamlError) as info:
        parse("title: A\ndate: 2017-02-30\n", first_line=2)
    assert info.value.line == 3
    assert "2017-02-30" in info.value.message


def test_duplicate_key_is_an_error_naming_both_lines(english):
    # YAML would silently keep only the second 'tags:'; a writer's first list would vanish
    with pytest.raises(YamlError) as info:
        parse("title: A\ntags: [a]\ndate: 2017-01-01\ntags: [b]\n", first_line=2)
    assert info.value.line == 5
    assert "'tags' appears twice (first on line 3)" in info.value.message


def test_same_key_in_different_mappings_is_fine():
    doc = parse("- name: a\n- name: b\n")
    assert doc.data == [{"name": "a"}, {"name": "b"}]


def test_iso_datetime_keeps_its_offset():
    doc = parse("date: 2017-03-14T10:30:00+01:00\n")
    value = doc.data["date"]
    assert isinstance(value, dt.datetime)
    assert value.utcoffset() == dt.timedelta(hours=1)


def test_control_character_is_one_line_with_its_line():
    with pytest.raises(YamlError) as info:
        parse("title: A\nsummary: x\x00y\n", first_line=2)
    assert info.value.line == 3
    assert "\n" not in info.value.message
    assert "#x0000" in info.value.message


ALIAS = "ett alias ('*namn') upprepar ett värde med ankare ('&namn'); sådana används inte i de här filerna: skriv ut värdet där det behövs"


@pytest.mark.parametrize(("text", "line"), [
    ("title: A\ntags: &t [*t]\n", 2),  # refers to itself
    ("a: &x {b: 1}\nc: *x\n", 2),  # a plain alias
    ("a: &x 1\nb:\n  - 2\n  - *x\n", 4),  # in a list
    ("base: &b {x: 1}\nother:\n  <<: *b\n", 3),  # a merge key is an alias too
])  # fmt: skip
def test_every_alias_is_refused_at_the_line_that_uses_it(text, line):
    with pytest.raises(YamlError) as info:
        parse(text, first_line=1)
    assert (info.value.line, info.value.message) == (line, ALIAS)


def test_an_alias_bomb_is_refused_at_once():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.monotonic()
    with pytest.raises(YamlError) as info:
        parse("\n".join(levels) + "\n")  # 9**9 leaves if every alias were walked
    assert time.monotonic() - started < 1
    assert info.value.line == 2  # b: the first to repeat a's list


def test_an_anchor_alone_is_harmless():
    assert parse("a: &x 1\n").data == {"a": 1}


@pytest.mark.parametrize(("text", "line", "message"), [
    ("title: Kiruna: ett besök\ndate: 2017-03-14\n", 1,
     "the value of 'title' has a ':' in it: put the value in quotes, like title: \"Kiruna: ett besök\""),
    ('title: Hon sa: "hej"\n', 1, 'the value of \'title\' has a \':\' in it: put the value in quotes, like title: "Hon sa: \\"hej\\""'),
    ("title: A\nplan_areas:\n\t- Samverkan\n", 3, "this line has a tab: YAML is indented with spaces only, so replace the tab with spaces"),
    ("title: A\ntags: [SiSam, skolfam\ndate: 2017-03-14\n", 2, "the list that starts with '[' on this line is not closed: end it with ']'"),
    ("title: A\nx: {a: 1\ny: 2\n", 2, "the '{' on this line is not closed: end it with '}'"),
    ('title: "Kiruna\ndate: 2017-03-14\n', 1, "the quote that starts on this line is not closed: end the text with the same quote mark"),
    ("title: A\n  date: 2017-03-14\n", 2, "this line is indented further than the key above it: start it where the other keys start"),
    ("title: A\ndate: 2017-02-30\n", 2, "2017 has no 30 February: correct the date '2017-02-30'"),
    ("title: A\ndate: 2017-13-01\n", 2, "'2017-13-01' has no month 13: write the date as YYYY-MM-DD, e.g. 2017-03-14"),
    ("title: A\ntitle: B\n", 2, "'title' appears twice (first on line 1); keep one"),
])
def test_common_yaml_mistakes_say_what_to_do_at_the_line_to_change(english, text, line, message):
    with pytest.raises(YamlError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_the_yaml_mistakes_are_swedish_by_default():
    with pytest.raises(YamlError) as caught:
        parse("title: A\ndate: 2017-02-30\n")
    assert caught.value.message == "2017 har ingen 30 februari: rätta datumet '2017-02-30'"
    with pytest.raises(YamlError) as caught:
        parse("title: Kiruna: ett besök\n")
    assert caught.value.message == "värdet av 'title' innehåller ':': sätt värdet inom citattecken, så här: title: \"Kiruna: ett besök\""
