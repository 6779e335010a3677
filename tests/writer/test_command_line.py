"""The command line as a writer meets it: help with an example, usage errors, a misspelt command, a bad or busy port,
`list`, and `new` saying where to look."""

from __future__ import annotations

import socket

import pytest
from sitetools import free_port, make_site, post_text, run_cli

from sitegen import cli

EVERY_COMMAND = [[c] for c in cli.COMMANDS if c != "comments"] + [["comments", v] for v in ("list", "show", "approve", "reject", "purge")]


@pytest.mark.parametrize("command", [[], ["comments"], *EVERY_COMMAND], ids=lambda c: " ".join(c) or "sitegen")
def test_every_help_is_swedish_with_a_description_and_an_example(tmp_path, command):
    code, out, err = run_cli([*command, "--help"], tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith("användning: sitegen")
    assert "visa den här hjälpen och avsluta" in out and "flaggor:" in out
    description = out.split("\n\n")[1]
    assert description and description[0].isupper() and description.rstrip().endswith(".")
    example = out.rstrip().splitlines()
    assert example[-2] == "exempel:" and example[-1].startswith("  python build.py " + " ".join(command)), out
    for english in ("usage:", "options:", "show this help", "positional arguments", "default:"):
        assert english not in out


def test_help_is_english_when_the_locale_asks(tmp_path, english):
    code, out, _ = run_cli(["new", "--help"], tmp_path)
    assert code == 0
    assert out.startswith("usage: sitegen new [-h] [--municipality MUNICIPALITY]")
    assert "the post's title, in quotes" in out and out.rstrip().endswith('example:\n  python build.py new "Återbesök i Borås" --municipality Borås')


def test_usage_errors_say_what_is_missing_in_swedish(tmp_path):
    code, _, err = run_cli(["new"], tmp_path)
    assert code == 2
    assert err.startswith("användning: sitegen new") and err.endswith("sitegen new: RUBRIK saknas; --help visar ett exempel\n")
    code, _, err = run_cli(["build", "--output"], tmp_path)
    assert code == 2 and err.endswith("sitegen build: --output behöver ett värde efter sig\n")
    code, _, err = run_cli(["build", "--drafst"], tmp_path)
    assert code == 2 and err.endswith("sitegen: '--drafst' förstås inte här; --help visar vad kommandot tar\n")
    assert cli.usage_problem("something argparse says that we do not know") == "something argparse says that we do not know"


def test_a_misspelt_command_suggests_the_right_one(tmp_path, english):
    code, out, err = run_cli(["buidl"], tmp_path)
    assert (code, out) == (2, "")
    assert err == "unknown command 'buidl'; did you mean 'build'? (sitegen --help lists the commands)\n"
    assert run_cli(["--root", str(tmp_path), "chekc"], tmp_path)[2].startswith("unknown command 'chekc'; did you mean 'check'?")


def test_a_port_out_of_range_is_a_usage_error_with_advice(tmp_path, english):
    code, _, err = run_cli(["serve", "--port", "99999"], tmp_path)
    assert code == 2
    assert "'99999' is not a port: use a number from 1024 to 65535, e.g. --port 8001" in err


def test_a_busy_port_says_so_and_how_to_pick_another(tmp_path, english):
    root = make_site(tmp_path, {"2017-03-14-finspang.md": post_text(municipality="Finspång")})
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        code, _, err = run_cli(["serve", "--port", str(port)], root)
    assert code == 2
    assert f"port {port} is in use, perhaps by another serve: stop that one, or pick another port with --port {port + 1}" in err


def test_list_prints_one_line_per_post_with_status_place_file_and_url(tmp_path, english):
    root = make_site(tmp_path, {
        "2017-03-14-finspang.md": post_text("Återbesök i Finspång", municipality="Finspång"),
        "2017-03-15-utkast.md": post_text("Utkast", "2017-03-15", county="Västerbotten", draft=True),
        "2099-01-01-senare.md": post_text("Senare", "2099-01-01", municipality=["Umeå", "Lycksele"]),
    })
    code, out, _ = run_cli(["list"], root)
    assert code == 0
    assert out == "2017-03-14\tpublished\tFinspång\tposts/2017-03-14-finspang.md\thttps://aterbesok.example.org/2017/03/aterbesok-i-finspang/\n"
    _, everything, _ = run_cli(["list", "--drafts", "--scheduled"], root)
    assert [line.split("\t")[:3] for line in everything.splitlines()] == [
        ["2099-01-01", "scheduled", "Umeå, Lycksele"], ["2017-03-15", "draft", "Västerbottens län"],
        ["2017-03-14", "published", "Finspång"]]


def test_new_says_where_serve_shows_the_post(tmp_path, english):
    root = make_site(tmp_path, {})
    code, out, err = run_cli(["new", "Återbesök i Kiruna", "--municipality", "Kiruna", "--date", "2017-09-05"], root)
    assert code == 0 and out == "posts/2017-09-05-aterbesok-i-kiruna.md\n"
    assert err == "python build.py serve shows it at http://127.0.0.1:8000/2017/09/aterbesok-i-kiruna/\n"
