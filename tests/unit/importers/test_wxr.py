"""sitegen.importers.wxr: a WordPress export read safely, with lines; anything else refused with the reason and the line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitegen.errors import BuildError
from sitegen.importers.wxr import read_export

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "wordpress" / "aterbesok.xml"
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n'
        "<channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n")


def problem(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(BuildError) as caught:
        read_export(path, "export.xml")
    (error,) = caught.value.errors
    return str(error)


def test_the_fixture_reads_with_authors_terms_meta_comments_and_lines():
    export = read_export(FIXTURE, "aterbesok.xml")
    assert export.version == "1.2" and export.site_url == "https://aterbesok.example.se"
    assert export.authors == {"redaktionen": "Redaktionen", "anna": "Anna Andersson"}
    first = export.items[0]
    assert (first.id, first.type, first.status, first.name) == ("101", "post", "publish", "fokus-pa-medskapande-i-boras")
    assert [(t.domain, t.slug, t.name) for t in first.terms][:2] == [("category", "boras-stad", "Borås stad"),
                                                                     ("post_tag", "medskapande", "Medskapande")]
    assert first.meta == {"_thumbnail_id": "102"}
    assert [c.id for c in first.comments] == ["11", "12", "13", "14", "15"]
    assert first.comments[1].parent == "11" and first.comments[2].approved == "spam"
    assert FIXTURE.read_text(encoding="utf-8").splitlines()[first.line - 1].strip() == "<item>"
    assert "a]]>b" in first.content  # CDATA split around ']]>', as WordPress writes it


def test_a_truncated_export_names_the_line_it_stops_at(tmp_path, english):
    text = FIXTURE.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    message = problem(tmp_path, cut)
    assert message == (f"export.xml:{cut.count(chr(10)) + 1}: the export stops before its end, as if it was cut off while "
                       "downloading; export it again from WordPress (Tools → Export) and import the new file")


def test_malformed_xml_names_line_and_column(tmp_path, english):
    message = problem(tmp_path, HEAD + "<item><title>A & B</title></item>\n</channel></rss>\n")
    assert message == ("export.xml:5: is not well-formed XML at column 17 (not well-formed (invalid token)); export it again "
                       "from WordPress (Tools → Export)")


def test_an_entity_bomb_is_refused_at_once_and_nothing_expands(tmp_path, english):
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(levels) + "\n]>\n<rss>&lol9;</rss>\n"
    start = time.perf_counter()
    message = problem(tmp_path, bomb)
    assert time.perf_counter() - start < 2
    assert message == ("export.xml:3: declares XML entities of its own (<!ENTITY …>), which no WordPress export does; "
                       "nothing was expanded or imported")


def test_an_external_entity_is_never_read(tmp_path, english):
    secret = tmp_path / "hemlig.txt"
    secret.write_text("hemligt", encoding="utf-8")
    text = f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY x SYSTEM "file://{secret}">\n]>\n<rss>&x;</rss>\n'
    message = problem(tmp_path, text)
    assert "hemligt" not in message
    assert message.startswith("export.xml:3: ")


@pytest.mark.parametrize(("text", "expected"), [
    ('<?xml version="1.0"?>\n<html><body>Inte en export</body></html>\n',
     "export.xml:1: is not a WordPress export: its first element is <html>, not <rss>; export the blog from WordPress (Tools → Export)"),
    ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Flöde</title><item><title>A</title></item></channel></rss>\n',
     "export.xml:1: is an RSS feed, not a WordPress export: it has no <wp:wxr_version>; export the blog from WordPress (Tools → Export)"),
    (HEAD.replace("1.2</wp:wxr_version>", "9.0</wp:wxr_version>") + "</channel></rss>\n",
     "export.xml:1: is a WordPress export of version 9.0, which this importer does not know; it reads versions 1.0, 1.1, 1.2"),
    ("", ("export.xml:1: the export stops before its end, as if it was cut off while downloading; export it again from "
         "WordPress (Tools → Export) and import the new file")),
])
def test_a_file_that_is_not_a_wordpress_export_says_what_it_is(tmp_path, english, text, expected):
    assert problem(tmp_path, text) == expected


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path, english):
    with pytest.raises(BuildError) as caught:
        read_export(tmp_path / "saknas.xml", "saknas.xml")
    assert str(caught.value) == "saknas.xml: cannot read the export: No such file or directory"


def test_the_messages_are_swedish_by_default(tmp_path):
    assert "är ingen WordPress-export" in problem(tmp_path, '<?xml version="1.0"?>\n<html></html>\n')
