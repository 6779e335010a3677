"""`new`: a complete draft post, a clear error for an unknown place, never an overwrite."""

from __future__ import annotations

from imagetools import picture_bytes

from sitegen.config.settings import load_config
from sitegen.content.documents import find_sources, read_document
from sitegen.content.frontmatter import check_post
from sitegen.content.registry import load_registry


def test_new_writes_a_valid_draft_with_the_vocabulary_listed(make_site, run_cli):
    root = make_site({})
    code, out, err = run_cli(["new", "Återbesök i Håbo", "--municipality", "Håbo kommun", "--date", "2018-05-02"], root)
    assert code == 0, err
    assert out.strip() == "posts/2018-05-02-aterbesok-i-habo.md"
    text = (root / out.strip()).read_text(encoding="utf-8")
    assert 'municipality: "Håbo"' in text
    assert "draft: true" in text
    assert "#   - Barns skolgång:" in text  # plan areas offered as a comment
    assert "draft: true       # ändra till false för att publicera\n" in text and "# Teman (config.yaml):\n" in text
    config, registry = load_config(root), load_registry()
    (source,) = find_sources(root, "posts", "post")
    errors = []
    meta = check_post(read_document(source).meta, source.rel, source.key, config, registry, errors)
    assert errors == []
    assert meta.draft and meta.municipalities[0].code == "0305"
    assert meta.title == "Återbesök i Håbo"


def test_new_title_with_quotes_and_colon_stays_valid_yaml(make_site, run_cli):
    root = make_site({})
    code, _out, err = run_cli(["new", 'Besök: "Barnens röst" i Ale', "--municipality", "Ale", "--date", "2020-01-02"], root)
    assert code == 0, err
    code, _, err = run_cli(["build", "--drafts"], root)
    assert code == 0, err
    assert "Besök: &#34;Barnens röst&#34; i Ale" in (root / "_site/2020/01/besok-barnens-rost-i-ale/index.html").read_text()


def test_new_unknown_municipality_writes_nothing(make_site, run_cli):
    root = make_site({})
    code, out, err = run_cli(["new", "X", "--municipality", "Borrås"], root)
    assert code == 1
    assert out == ""
    assert "--municipality: okänd kommun 'Borrås'; menade du 'Borås', 'Torsås' eller 'Orsa'?" in err  # Swedish, by default
    assert not list((root / "posts").glob("*.md"))


def test_new_county_must_match(make_site, run_cli):
    root = make_site({})
    code, _, err = run_cli(["new", "X", "--municipality", "Borås", "--county", "Skåne"], root)
    assert code == 1
    assert "stämmer inte med kommunen 'Borås', som ligger i Västra Götalands län" in err


def test_new_refuses_to_overwrite(make_site, run_cli):
    root = make_site({})
    args = ["new", "Samma titel", "--municipality", "Umeå", "--date", "2019-09-09"]
    assert run_cli(args, root)[0] == 0
    path = root / "posts/2019-09-09-samma-titel.md"
    path.write_text(path.read_text() + "\nEgen text.\n", encoding="utf-8")
    before = path.read_bytes()
    code, _, err = run_cli(args, root)
    assert code == 1
    assert "finns redan; välj en annan titel eller redigera den filen" in err
    assert path.read_bytes() == before


def test_new_bad_date_is_a_usage_error(make_site, run_cli):
    root = make_site({})
    code, _, err = run_cli(["new", "X", "--municipality", "Umeå", "--date", "14 mars"], root)
    assert code == 2
    assert err.endswith("sitegen new: --date: '14 mars' är inget datum; skriv det som ÅÅÅÅ-MM-DD, till exempel 2017-03-14\n")


def test_new_bundle_makes_a_folder_post_ready_for_photos(make_site, run_cli):
    root = make_site({})
    code, out, err = run_cli(["new", "--bundle", "Återbesök i Borås", "--municipality", "Borås", "--date", "2017-02-14"], root)
    assert code == 0, err
    assert out.strip() == "posts/2017-02-14-aterbesok-i-boras/index.md"
    text = (root / out.strip()).read_text(encoding="utf-8")
    assert '![Deltagarna samlade kring hjulet med ledorden](foto.jpg "Utvecklingsdagen i Borås")' in text
    # the example is a comment, not an image: the draft builds before any photo is added
    assert run_cli(["build", "--drafts"], root)[0] == 0
    photo = root / "posts/2017-02-14-aterbesok-i-boras/foto.jpg"
    photo.write_bytes(picture_bytes((1600, 1200)))
    index = root / out.strip()
    index.write_text(index.read_text(encoding="utf-8").replace("Skriv om besöket här.", "![Deltagarna vid bordet](foto.jpg)\n\nText."),
                     encoding="utf-8")
    code, _, err = run_cli(["build", "--drafts"], root)
    assert code == 0, err
    assert (root / "_site/2017/02/aterbesok-i-boras/foto-480.webp").is_file()


def test_new_never_makes_a_bundle_beside_a_post_of_the_same_name(make_site, run_cli):
    root = make_site({"2019-09-09-samma-titel.md": "x"})
    code, _, err = run_cli(["new", "--bundle", "Samma titel", "--municipality", "Umeå", "--date", "2019-09-09"], root)
    assert code == 1
    assert "posts/2019-09-09-samma-titel.md: finns redan" in err
    assert not (root / "posts/2019-09-09-samma-titel").exists()


def test_new_writes_its_comments_in_english_when_the_locale_asks(make_site, run_cli, english):
    root = make_site({})
    code, out, err = run_cli(["new", "--bundle", "Återbesök i Borås", "--municipality", "Borås", "--date", "2017-02-14"], root)
    assert code == 0, err
    text = (root / out.strip()).read_text(encoding="utf-8")
    assert "draft: true       # set to false to publish\n" in text and "# Plan areas (config.yaml):\n" in text
    assert "# Photos: put them in the same folder as this file" in text
    assert text.endswith("---\n\nWrite about the visit here. Use ## for subheadings, for example one per theme.\n")
    assert run_cli(["build", "--drafts"], root)[0] == 0


def test_new_with_a_title_too_long_for_a_file_name_gives_it_a_short_slug(make_site, run_cli):
    root = make_site({})
    title = "Återbesök i en kommun där samverkan mellan skola och socialtjänst har pågått länge " * 4
    code, out, err = run_cli(["new", title, "--municipality", "Borås", "--date", "2017-03-14"], root)
    assert code == 0, err
    (path,) = (root / "posts").glob("*.md")
    assert len(path.name) <= 100 and out.strip() == f"posts/{path.name}"
    text = path.read_text(encoding="utf-8")
    assert "\nslug: aterbesok-i-en-kommun-dar-samverkan-mellan-skola-och-socialtjanst-har-pagatt    # titeln är för lång " in text
    assert "2017/03/aterbesok-i-en-kommun-dar-samverkan-mellan-skola-och-socialtjanst-har-pagatt/" in err
    code, _, err = run_cli(["check"], root)
    assert code == 0, err
