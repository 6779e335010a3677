"""Invisible control characters never reach a page or a feed: each is an error at its line, and every XML file
of every test site is parsed strictly (``sitetools.run_cli``). (#19, class 3)"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitetools import make_site, post_text, read_tree, run_cli

from sitegen.comments import form, store
from sitegen.config.yamlsource import CONTROL

PASTED = "posts/a.md:{line}: osynligt styrtecken {char} i kolumn {column}; ta bort det (sådana tecken följer med text som " \
         "klistrats in från Word eller en pdf)"


@pytest.mark.parametrize(("char", "name"), [("\x0b", "U+000B"), ("\x0c", "U+000C"), ("\x00", "U+0000"), ("\x1b", "U+001B"),
                                            ("\x7f", "U+007F"), ("\x85", "U+0085"), ("\x9b", "U+009B"), ("\ufffe", "U+FFFE")])
@pytest.mark.parametrize("where", ["body", "title", "tags"])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_pasted_control_character_is_an_error_at_its_line_and_column(tmp_path, char, name, where, command):
    fields = {"title": "Ett besök", "municipality": "Borås", "tags": "[skola]", "body": "Vi träffade skolan.\n"}
    fields[where] = fields[where].replace("s", "s" + char, 1)
    root = make_site(tmp_path, {"a.md": post_text(**fields)})
    code, _, err = run_cli([command], root)
    line = {"title": 2, "tags": 5, "body": 8}[where]
    column = post_text(**fields).split("\n")[line - 1].index(char) + 1
    assert code == 1
    assert err.splitlines()[0] == PASTED.format(line=line, char=name, column=column)
    assert not (root / "_site").exists()


def test_every_line_with_control_characters_is_named_with_all_its_columns(tmp_path):
    body = "Första\x0bstycket.\n\nAndra \x0c och \x85 här.\n"
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", body=body)})
    code, _, err = run_cli(["check"], root)
    assert code == 1
    assert err.splitlines()[:2] == [
        PASTED.format(line=7, char="U+000B", column=7),
        ("posts/a.md:9: osynliga styrtecken U+000C, U+0085 i kolumnerna 7, 13; ta bort dem (sådana tecken följer med text "
         "som klistrats in från Word eller en pdf)"),
    ]


@pytest.mark.parametrize("escape", ["\\v", "\\f", "\\x85", "\\x1b[2J", "\\0", "\\uFFFF", "\\e"])
def test_a_control_character_written_as_a_yaml_escape_is_an_error_at_its_key(tmp_path, escape):
    text = post_text(municipality="Borås", summary=f'"Ett {escape}besök"')
    root = make_site(tmp_path, {"a.md": text})
    code, _, err = run_cli(["build"], root)
    assert code == 1
    assert err.startswith("posts/a.md:5: värdet har en kod för ett osynligt styrtecken (U+")
    assert "som ingen sida eller inget flöde kan visa; ta bort koden" in err


@pytest.mark.parametrize("value", ['"C:\\Users\\anna"', '"Ett \\q"', '"Ett \\xZZ"', '"Ett \\ud800"'])
def test_an_escape_yaml_does_not_know_is_explained_as_one(tmp_path, value):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", summary=value)})
    code, _, err = run_cli(["check"], root)
    assert code == 1
    assert err.startswith("posts/a.md:5: ett '\\' inom dubbla citattecken inleder en kod som \\n, och den här är inte giltig; "
                          "sätt texten inom enkla citattecken i stället, eller skriv snedstrecket två gånger")


def test_config_and_comment_files_are_held_to_the_same_rule(tmp_path):
    root = make_site(tmp_path, {"2017-03-14-x.md": post_text(municipality="Borås")})
    config = root / "config.yaml"
    original = config.read_bytes()
    config.write_bytes(original.replace("title: Återbesök".encode(), "title: Återbesök\x0b".encode(), 1))
    code, _, err = run_cli(["build"], root)
    line = original[: original.index(b"title:")].count(b"\n") + 1
    assert code == 1 and err.startswith(f"config.yaml:{line}: osynligt styrtecken U+000B i kolumn 17")
    config.write_bytes(original)
    folder = root / "comments" / "2017-03-14-x"
    folder.mkdir(parents=True)
    (folder / "c1.yaml").write_text("id: c1\npost: 2017-03-14-x\nname: Anna\nemail: ''\nwebsite: ''\n"
                                    "date: 2017-03-14T10:00:00+00:00\ntext: Hej \x1b[2K\n", encoding="utf-8")
    code, _, err = run_cli(["build"], root)
    assert code == 1 and err.startswith("comments/2017-03-14-x/c1.yaml:7: osynligt styrtecken U+001B i kolumn 11")


def test_a_form_feed_entity_is_shown_as_the_replacement_character_as_markdown_shows_the_others(tmp_path):
    body = "# Rubrik&#12;ett\n\nText&#12;och &#11; och &#x85; här.\n"
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", body=body)})
    code, _, err = run_cli(["build"], root)
    assert code == 0, err
    page = (root / "_site" / "2017" / "03" / "ett-besok" / "index.html").read_text(encoding="utf-8")
    assert "Rubrik\ufffdett" in page and "Text\ufffdoch \ufffd och \ufffd här." in page
    assert not CONTROL.search(page)


def test_tabs_and_every_kind_of_line_end_are_fine(tmp_path):
    body = "Ett\tstycke.\r\n\r\nEtt andra.\rEtt tredje.\n"
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås", body=body).encode("utf-8")})
    code, _, err = run_cli(["build"], root)
    assert code == 0, err


# What hypothesis may put where a writer types: any code point, lone surrogates too (which no UTF-8 file can hold)
ANY_TEXT = st.text(st.characters(codec=None), max_size=40)
ERROR_LINE = re.compile(r"^(posts/a\.md|comments/[^:]+):\d+: \S")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=ANY_TEXT, body=ANY_TEXT, tag=ANY_TEXT, name=ANY_TEXT, comment=ANY_TEXT, quoted=st.booleans())
def test_random_text_anywhere_gives_a_well_formed_site_or_errors_naming_the_line(tmp_path_factory, title, body, tag, name, comment,
                                                                                 quoted):
    tmp = tmp_path_factory.mktemp("random")
    if quoted:  # a JSON string is a YAML double-quoted scalar: its escapes bring what a plain value cannot
        title, tag = json.dumps(title, ensure_ascii=False), json.dumps(tag, ensure_ascii=False)
    text = post_text(title=title or "x", municipality="Borås", tags=f"[{tag}]", body=body + "\n")
    root = make_site(tmp, {"a.md": text.encode("utf-8", "surrogatepass")})
    submission, _ = form.validate({"name": name, "email": "eva@example.se", "comment": comment})  # as the receiver takes it
    if submission is not None:
        when = datetime(2017, 3, 15, tzinfo=UTC)
        received = store.Comment(store.new_id(when), "a", submission.name, submission.email, "", when, submission.text)
        store.submit(root / "comments", received)
        store.approve(root / "comments", [received.id])
    code, _, err = run_cli(["build"], root)  # an XML file that is not well-formed fails here
    assert code in (0, 1), err
    if code == 1:
        *problems, summary = err.splitlines()
        assert problems and all(ERROR_LINE.match(line) for line in problems), err
        assert summary.endswith("hittades; inget skrevs."), err
    else:
        for file, data in read_tree(root / "_site").items():
            if file.endswith((".html", ".xml", ".json", ".txt")):
                assert not CONTROL.search(data.decode("utf-8")), file
    shutil.rmtree(tmp)


def test_unicode_line_separators_are_line_ends_as_yaml_counts_them(tmp_path):
    text = post_text(title="\"Ett\u2028besök\"", municipality="Borrås", body="Första\u2029Andra\n")
    root = make_site(tmp_path, {"a.md": text})
    code, _, err = run_cli(["check"], root)
    assert code == 1 and err.startswith("posts/a.md:5: okänd kommun 'Borrås'"), err  # the title's separator is line 3
