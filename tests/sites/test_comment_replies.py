"""Replies: a comment file's 'parent' shows as "svar till …" on the post, and a parent that is no approved comment is an error."""

from __future__ import annotations

from sitetools import build, post_text, run_cli

KEY = "2017-03-14-finspang"
FIRST = "20170315T073000000000Z-wp11"
REPLY = "20170315T080500000000Z-wp12"


def comment(cid: str, name: str, text: str, parent: str = "") -> str:
    line = f"parent: {parent}\n" if parent else ""
    return (f"id: {cid}\npost: {KEY}\nname: {name}\nemail: x@example.se\nwebsite: ''\ndate: '2017-03-15T08:00:00+00:00'\n"
            f"{line}text: {text}\n")


def site(make_site, parent: str):
    return make_site({f"{KEY}.md": post_text("Återbesök i Finspång", municipality="Finspång")}, files={
        f"comments/{KEY}/{FIRST}.yaml": comment(FIRST, "Karin Lund", "Tack!"),
        f"comments/{KEY}/{REPLY}.yaml": comment(REPLY, "Redaktionen", "Roligt att höra.", parent),
    })


def test_a_reply_names_the_comment_it_answers(make_site, tmp_path):
    out = build(site(make_site, FIRST), tmp_path / "out")
    html = (out / "2017/03/aterbesok-i-finspang/index.html").read_text(encoding="utf-8")
    assert f'svar till <a href="#kommentar-{FIRST}"><bdi>Karin Lund</bdi></a>' in html
    assert f'id="kommentar-{FIRST}"' in html


def test_a_parent_that_is_no_approved_comment_of_the_post_is_an_error(english, make_site, tmp_path):
    code, _, err = run_cli(["build", "--output", str(tmp_path / "out")], site(make_site, "20170101T000000000000Z-wp99"))
    assert code == 1
    assert err.splitlines()[0] == (f"comments/{KEY}/{REPLY}.yaml: 'parent' is 20170101T000000000000Z-wp99, which is no approved "
                                   "comment of this post; remove the line or approve that comment")
