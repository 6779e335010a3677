"""import-wordpress as a writer runs it: the old blog's export becomes a site that builds, with its comments, photos
and old links; a second run changes nothing; bad exports write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from imagetools import metadata_left, write_picture
from sitetools import build, read_tree, run_cli, stat_tree

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress" / "aterbesok.xml"
BORAS = "posts/2017-02-14-fokus-pa-medskapande-i-boras"
OSTERSUND = "posts/2017-08-29-tillitsbaserad-styrning-i-ostersund"


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    """The blog's wp-content/uploads, as copied from the old server: originals and WordPress's resized copies."""
    folder = tmp_path / "uploads"
    write_picture(folder / "2017/02/boras1.jpg", (2000, 1500))  # with a GPS position, as a phone writes it
    write_picture(folder / "2017/02/boras1-1024x768.jpg", (1024, 768))
    write_picture(folder / "2017/08/ostersund.jpg", (1200, 800))
    write_picture(folder / "2017/08/deltagare.jpg", (800, 600))  # uploaded to the Östersund post, shown nowhere
    write_picture(folder / "2013/10/ansia.jpg", (1600, 1200))  # the Västerbotten post's featured image, not in its text
    (folder / "2017/08/plan-for-handling.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return folder


@pytest.fixture
def empty_site(make_site) -> Path:
    return make_site({})


def run_import(root: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(["import-wordpress", str(FIXTURE), *extra], root)


def imported(root: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in read_tree(root).items() if rel.startswith(("posts/", "pages/", "comments/"))}


def test_the_export_becomes_a_site_that_builds_with_comments_photos_and_old_links(english, empty_site, uploads, tmp_path):
    code, out, err = run_import(empty_site, "--uploads", str(uploads))
    assert code == 0, err
    assert out.startswith("Imported 8 posts, 1 pages and 3 comments.\n16 files written, 0 unchanged, 0 kept as they were.\n")
    files = imported(empty_site)
    assert sorted(files) == sorted([
        "comments/2016-10-11-boras-onskar-socionomutbildning/20161012T051500000000Z-wp31.yaml",
        "comments/2017-02-14-fokus-pa-medskapande-i-boras/20170215T073000000000Z-wp11.yaml",
        "comments/2017-02-14-fokus-pa-medskapande-i-boras/20170215T080500000000Z-wp12.yaml",
        "pages/om-bloggen.md",
        "posts/2013-10-16-vasterbotten-gor-skillnad/ansia.jpg", "posts/2013-10-16-vasterbotten-gor-skillnad/index.md",
        "posts/2016-10-11-boras-onskar-socionomutbildning.md",
        f"{BORAS}/boras1.jpg", f"{BORAS}/index.md",
        "posts/2017-03-14-aterbesok-i-finspang.md",
        f"{OSTERSUND}/index.md", f"{OSTERSUND}/ostersund.jpg", f"{OSTERSUND}/plan-for-handling.pdf",
        "posts/2017-09-19-nationell-konferens.md",
        "posts/2017-09-30-aterbesok-i-skelleftea.md",
        "posts/2017-10-02-planerat-besok-pa-gotland.md",
    ])
    assert files[f"{BORAS}/boras1.jpg"] == (uploads / "2017/02/boras1.jpg").read_bytes()  # the original, not the resized copy
    assert files[f"{BORAS}/index.md"].decode().startswith(
        "---\ntitle: Fokus på medskapande i Borås!\ndate: 2017-02-14T10:00\nauthor: Anna Andersson\nmunicipality: Borås\n"
        "plan_areas: [Medskapande]\ntags: [BBiC]\nslug: fokus-pa-medskapande-i-boras\n"
        "aliases: [/2017/02/14/fokus-pa-medskapande-i-boras/]\n---\n\n")
    boras = files[f"{BORAS}/index.md"].decode()
    assert '![Hjulet med barns och ungas behov i mitten](boras1.jpg "Målbilden i Borås")' in boras
    assert boras.count("](boras1.jpg") == 1, "the featured image is shown in the text already: not again at the top"
    vasterbotten = files["posts/2013-10-16-vasterbotten-gor-skillnad/index.md"].decode()
    assert vasterbotten.split("---\n\n", 1)[1].startswith("![Deltagarna framför Ansia i Lycksele](ansia.jpg)\n\nSex kommuner")

    out_dir = build(empty_site, tmp_path / "out")
    post = (out_dir / "2017/02/fokus-pa-medskapande-i-boras/index.html").read_text(encoding="utf-8")
    assert "<figcaption>Målbilden i Borås</figcaption>" in post and "<picture>" in post
    assert "Karin Lund" in post and "svar till" in post
    assert "karin@example.se" not in post and "Köp klockor" not in post and "Väntar fortfarande" not in post
    assert not any(metadata_left(p.read_bytes()) for p in out_dir.rglob("*.jpg"))
    redirect = (out_dir / "2017/02/14/fokus-pa-medskapande-i-boras/index.html").read_text(encoding="utf-8")
    assert "0; url=/2017/02/fokus-pa-medskapande-i-boras/" in redirect
    assert (out_dir / "2016/10/11/borås-önskar-socionomutbildning/index.html").is_file()  # the old non-ASCII slug
    assert ("/2016/10/11/bor%C3%A5s-%C3%B6nskar-socionomutbildning/ /2016/10/boras-onskar-socionomutbildning/ 301!"
            in (out_dir / "_redirects").read_text(encoding="utf-8"))
    lars = (out_dir / "2016/10/boras-onskar-socionomutbildning/index.html").read_text(encoding="utf-8")
    assert "<script" not in lars.split('id="kommentarer"')[1] and "javascript:" not in lars
    assert not (out_dir / "2017/09/nationell-konferens").exists()  # no place: a draft
    build(empty_site, tmp_path / "drafts", "--drafts")  # the drafts build too, as serve shows them


def test_the_report_lists_drafts_and_why_terms_shortcodes_skipped_comments_and_query_links(english, empty_site, uploads):
    _, out, _ = run_import(empty_site, "--uploads", str(uploads))
    sections = out.split("\n\n")
    assert sections[1] == (
        "Written as drafts (draft: true), to finish before publishing:\n"
        "  posts/2017-09-19-nationell-konferens.md: no category or tag names a municipality or a county; add 'municipality:' "
        "(or map the terms with --map) and remove 'draft: true'\n"
        "  posts/2017-10-02-planerat-besok-pa-gotland.md: it was a draft in WordPress\n"
        "  posts/2017-09-30-aterbesok-i-skelleftea.md: it was a post pending review in WordPress")
    assert ("Shortcodes kept as text:\n  [embed] in 1 file(s): posts/2017-03-14-aterbesok-i-finspang.md\n"
            f"  [gallery] in 1 file(s): {BORAS}/index.md") in sections
    assert "  'Östersunds kommun' → municipality Östersund (1)" in out
    assert "  'Västerbottens län' → county Västerbotten (1)" in out
    assert "Terms left as tags (map them with --map MAP.yaml):\n  'BBiC' (1)\n" in out
    assert "Terms dropped:\n  'Okategoriserat' (1)" in out
    assert "Comments not imported: 1 pending, 1 pingbacks, 1 spam, 1 in the trash" in out
    assert "Items not imported: 1 nav_menu_item, 1 trash" in out
    assert ("Uploads attached to a post but shown nowhere in it, not copied (so nothing a writer left out is published):\n"
            f"  {OSTERSUND}/index.md: 2017/08/deltagare.jpg\n") in out
    assert not (empty_site / OSTERSUND / "deltagare.jpg").exists()
    assert out.endswith("  ?p=701 → /2017/10/planerat-besok-pa-gotland/\n  ?p=801 → /2017/09/aterbesok-i-skelleftea/\n")


def test_a_second_run_changes_nothing(empty_site, uploads):
    assert run_import(empty_site, "--uploads", str(uploads))[0] == 0
    before = stat_tree(empty_site)
    code, out, _ = run_import(empty_site, "--uploads", str(uploads))
    assert code == 0
    assert "0 filer skrivna, 16 oförändrade, 0 behållna som de var." in out  # Swedish, as the writer's locale is
    assert stat_tree(empty_site) == before


def test_an_edited_file_is_kept_unless_forced(english, empty_site, uploads):
    run_import(empty_site, "--uploads", str(uploads))
    page = empty_site / "pages/om-bloggen.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn rad som redaktionen lade till.\n", encoding="utf-8")
    edited = page.read_bytes()
    _, out, _ = run_import(empty_site, "--uploads", str(uploads))
    assert "Kept, because they differ from what the import would write (run with --force to overwrite them):\n  pages/om-bloggen.md" in out
    assert page.read_bytes() == edited
    run_import(empty_site, "--uploads", str(uploads), "--force")
    assert b"redaktionen lade till" not in page.read_bytes()


def test_a_dry_run_prints_what_would_be_written_and_writes_nothing(english, empty_site, uploads):
    before = stat_tree(empty_site)
    code, out, _ = run_import(empty_site, "--uploads", str(uploads), "--dry-run")
    assert code == 0
    assert "Dry run: nothing was written. 16 files would be written, 0 are as they would be, 0 differ and would be kept." in out
    assert "Would be written:\n  comments/2016-10-11-boras-onskar-socionomutbildning/20161012T051500000000Z-wp31.yaml\n" in out
    assert f"  {OSTERSUND}/plan-for-handling.pdf\n" in out
    assert stat_tree(empty_site) == before


def test_without_uploads_the_photos_are_listed_as_missing_and_the_site_still_builds(english, empty_site, tmp_path):
    code, out, _ = run_import(empty_site)
    assert code == 0
    assert ("Uploads not found (run again with --uploads FOLDER, the blog's wp-content/uploads):\n"
            f"  {BORAS}.md: https://aterbesok.example.se/wp-content/uploads/2017/02/boras1-1024x768.jpg\n") in out
    build(empty_site, tmp_path / "out")


def test_photos_found_later_move_the_post_into_a_folder_with_force(english, empty_site, uploads, tmp_path):
    run_import(empty_site)
    _, out, _ = run_import(empty_site, "--uploads", str(uploads))
    assert f"  {BORAS}.md\n" in out.split("Kept")[1]  # the post stays a file: its photos wait for --force
    assert not (empty_site / BORAS / "boras1.jpg").exists()
    build(empty_site, tmp_path / "out")
    run_import(empty_site, "--uploads", str(uploads), "--force")
    assert (empty_site / BORAS / "index.md").is_file() and not (empty_site / f"{BORAS}.md").exists()
    build(empty_site, tmp_path / "out")


def test_a_map_gives_places_to_posts_that_had_none(english, empty_site, tmp_path):
    term_map = tmp_path / "MAP.yaml"
    term_map.write_text("Konferens: {county: Stockholms län}\nBBiC: drop\n", encoding="utf-8")
    code, out, _ = run_import(empty_site, "--map", str(term_map))
    assert code == 0
    text = (empty_site / "posts/2017-09-19-nationell-konferens.md").read_text(encoding="utf-8")
    assert "county: Stockholm\n" in text and "draft:" not in text
    assert "'Konferens' → county Stockholm (1)" in out and "'BBiC' (1)" in out.split("Terms dropped:")[1]


@pytest.mark.parametrize(("name", "cut", "expected"), [
    ("truncated", lambda t: t[: len(t) * 2 // 3], "the export stops before its end"),
    ("bomb", lambda t: t.replace("<rss", '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<rss', 1),
     "declares XML entities of its own"),
    ("not-wxr", lambda t: '<?xml version="1.0"?>\n<html><body>x</body></html>\n', "is not a WordPress export"),
])
def test_a_bad_export_exits_1_naming_the_file_and_line_and_writes_nothing(english, empty_site, tmp_path, name, cut, expected):
    export = tmp_path / f"{name}.xml"
    export.write_text(cut(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    before = stat_tree(empty_site)
    code, out, err = run_cli(["import-wordpress", str(export)], empty_site)
    assert code == 1 and out == ""
    first = err.splitlines()[0]
    assert first.startswith(f"{export}:") and expected in first
    assert "Traceback" not in err
    assert stat_tree(empty_site) == before


def test_a_bad_map_exits_1_with_every_problem(english, empty_site, tmp_path):
    term_map = tmp_path / "MAP.yaml"
    term_map.write_text("Konferens: {county: Stockholms stad}\n", encoding="utf-8")
    code, _, err = run_import(empty_site, "--map", str(term_map))
    assert code == 1
    assert err.splitlines()[0] == f"{term_map}:1: 'Konferens': unknown county 'Stockholms stad'; did you mean 'Stockholm'?"
    assert not (empty_site / "posts").exists() or not any((empty_site / "posts").iterdir())


def test_into_a_site_with_posts_of_its_own_those_are_kept_and_the_site_builds(english, tmp_path):
    from sitetools import copy_sample_site

    root = tmp_path / "sample"
    root.mkdir()
    copy_sample_site(root)
    own = read_tree(root / "posts")
    code, out, _ = run_import(root)
    assert code == 0
    kept = out.split("Kept, because they differ from what the import would write (run with --force to overwrite them):\n")[1]
    assert "  posts/2017-03-14-aterbesok-i-finspang.md\n" in kept and "  pages/om-bloggen.md\n" in kept
    assert {rel: data for rel, data in read_tree(root / "posts").items() if rel in own} == own
    build(root, tmp_path / "out")


def test_windows_1252_characters_read_as_c1_controls_become_what_they_meant(empty_site, tmp_path):
    # an old database's '–', '’' and '…' stored as Latin-1, and a non-character: none may reach a post
    export = FIXTURE.read_text(encoding="utf-8").replace("Borås har en ny organisation", "Borås\x96 nu\x92s \x85 \x81\ufdd0har en ny organisation", 1)
    (tmp_path / "export.xml").write_text(export, encoding="utf-8")
    code, _, err = run_cli(["import-wordpress", str(tmp_path / "export.xml")], empty_site)
    assert code == 0, err
    post = (empty_site / BORAS / "index.md").read_text(encoding="utf-8") if (empty_site / BORAS).is_dir() \
        else (empty_site / f"{BORAS}.md").read_text(encoding="utf-8")
    assert "Borås– nu’s … har en ny organisation" in post
    build(empty_site, tmp_path / "out")
