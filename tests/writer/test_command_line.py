"""The command line as a writer meets it: a misspelt command, a bad or busy port, `list`, and `new` saying where to look."""

from __future__ import annotations

import socket

from sitetools import free_port, make_site, post_text, run_cli


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
