"""Hostile and careless input: alias bombs are refused at once, and no symbolic link brings a file from outside
the project into the site. (#19; the other classes of that issue are not covered yet.)"""

from __future__ import annotations

import os
import time

import pytest
from sitetools import make_site, post_text, run_cli

from sitegen.comments import store
from sitegen.errors import BuildError

LAUGHS = "[*a, *a, *a, *a, *a, *a, *a, *a, *a]"


def bomb(levels: int = 8) -> str:
    """A "billion laughs": each level an anchored list of nine aliases of the one before."""
    lines = ["l0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &{chr(97 + i)} " + LAUGHS.replace("*a", f"*{chr(96 + i)}"))
    return "\n".join(lines)


@pytest.mark.parametrize("use", ["summary: *h", "tags: *h", "tags: [a, *h]", ""])
def test_an_alias_bomb_in_front_matter_is_refused_at_once_at_its_line(tmp_path, use):
    # lines 1-4: '---', title, date, municipality; the bomb from line 5; then the key that uses it (or none)
    text = post_text(municipality="Borås").replace("---\n\n", bomb() + "\n" + (use + "\n" if use else "") + "---\n\n", 1)
    root = make_site(tmp_path, {"a.md": text})
    started = time.monotonic()
    code, _, err = run_cli(["build"], root)
    assert time.monotonic() - started < 5
    assert code == 1
    assert err.startswith("posts/a.md:6: ett alias ('*namn') upprepar ett värde med ankare ('&namn')")  # l1: l0's first repeat
    assert len(err) < 2000  # nothing expanded into the message


def test_a_simple_alias_is_refused_too_in_config_and_comment_files(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    config = root / "config.yaml"
    text = config.read_text(encoding="utf-8").replace("title: Återbesök", "title: &t Återbesök", 1)
    text = text.replace("author: Redaktionen", "author: *t", 1)
    config.write_text(text, encoding="utf-8")
    code, _, err = run_cli(["build"], root)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("author: *t"))
    assert code == 1 and f"config.yaml:{line}: ett alias ('*namn')" in err
    folder = tmp_path / "comments" / "2017-03-14-x"
    folder.mkdir(parents=True)
    (folder / "c1.yaml").write_text("id: c1\npost: &p 2017-03-14-x\nname: *p\nemail: ''\nwebsite: ''\ndate: 2017-03-14T10:00:00+00:00\ntext: Hej\n",
                                    encoding="utf-8")
    with pytest.raises(BuildError) as info:
        store.approved(tmp_path / "comments")
    assert [e.line for e in info.value.errors] == [3]


def test_a_long_pasted_value_is_quoted_short_in_messages(tmp_path):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås " + "och mer text " * 400)})
    code, _, err = run_cli(["build"], root)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith("posts/a.md:4: okänd kommun 'Borås och mer text") and "…'" in first and len(first) < 300


def test_symbolic_links_out_of_the_project_are_errors_and_nothing_outside_is_published(tmp_path):
    secret = tmp_path / "hemligt.txt"
    secret.write_text("lösenord", encoding="utf-8")
    outside_post = tmp_path / "ute.md"
    outside_post.write_text(post_text("Utifrån", municipality="Borås"), encoding="utf-8")
    root = make_site(tmp_path, {"a/index.md": post_text(municipality="Borås", body="[bilaga](bilaga.txt)\n")})
    os.symlink(secret, root / "posts" / "a" / "bilaga.txt")           # beside a folder post
    os.symlink(outside_post, root / "posts" / "ute.md")               # a post
    os.symlink(secret, root / "static" / "passwd.txt")                # in static/
    (root / "static" / "inne").mkdir()
    os.symlink(tmp_path, root / "static" / "inne" / "allt")           # a folder of static/
    os.symlink(root / "static" / "assets" / "style.css", root / "static" / "samma.css")  # inside the project: fine
    out = tmp_path / "out"
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1
    problem = "är en symbolisk länk som leder ut ur projektmappen; kopiera filen in i projektet i stället (länkar inom projektet går bra)"
    lines = err.splitlines()
    assert f"posts/a/bilaga.txt: {problem}" in lines and f"posts/ute.md: {problem}" in lines
    code, _, err = run_cli(["build", "--output", str(out)], root)
    for link in ("posts/a/bilaga.txt", "posts/ute.md"):
        os.unlink(root / link)
    (root / "posts" / "a" / "index.md").write_text(post_text(municipality="Borås"), encoding="utf-8")
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 1
    assert f"static/passwd.txt: {problem}" in err.splitlines()
    assert f"static/inne/allt: {problem}" in err.splitlines()  # a linked folder: named, never entered
    assert not out.exists()
    os.unlink(root / "static" / "passwd.txt")
    os.unlink(root / "static" / "inne" / "allt")
    code, _, err = run_cli(["build", "--output", str(out)], root)
    assert code == 0, err
    assert (out / "samma.css").is_file()
    published = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert "lösenord".encode() not in published


@pytest.mark.parametrize(("expression", "kind"), [
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{{ '%d' % 'x' }}", "TypeError"),
    ("{{ (10 ** 400) | float }}", "OverflowError"),
    ("{% macro again(n) %}{{ again(n) }}{% endmacro %}{{ again(1) }}", "RecursionError"),
    ("{{ site.posts | map(attribute='meta') | map('int') | sum // 0 }}", "ZeroDivisionError"),
])
def test_any_runtime_error_of_a_template_names_the_template_and_line(tmp_path, expression, kind):
    root = make_site(tmp_path, {"a.md": post_text(municipality="Borås")})
    base = root / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    line = text[: text.index("</footer>")].count("\n") + 1
    base.write_text(text.replace("</footer>", expression + "</footer>", 1), encoding="utf-8")
    code, _, err = run_cli(["build"], root)
    assert code == 1
    assert err.startswith(f"templates/base.html:{line}: mallen misslyckades: {kind}: "), err
    assert "internt fel" not in err
