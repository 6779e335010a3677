"""A post with many approved comments shows a page of them and has the rest on pages of their own (#19, class 7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sitetools import hrefs, main_text, make_site, post_text, read_tree, run_cli

from sitegen.comments import store
from sitegen.comments.store import Comment

KEY = "2017-03-14-finspang"
POST = "2017/03/aterbesok-i-finspang/"


def _site(tmp_path, count: int, per_page: int | None = None, replies: dict[int, int] | None = None):
    overrides = {"comments": {"per_page": per_page}} if per_page else None
    root = make_site(tmp_path, {f"{KEY}.md": post_text(title="Återbesök i Finspång", municipality="Finspång")}, overrides)
    folder = root / "comments" / KEY
    folder.mkdir(parents=True)
    t0 = datetime(2017, 3, 15, 8, 0, tzinfo=UTC)
    ids = [f"{(t0 + timedelta(minutes=i)):%Y%m%dT%H%M%S}000000Z-{i:016x}" for i in range(count)]
    for i, cid in enumerate(ids):
        parent = ids[replies[i]] if replies and i in replies else ""
        c = Comment(cid, KEY, f"Läsare {i}", "", "", t0 + timedelta(minutes=i), f"Kommentar nummer {i}. " + "Text. " * 30, parent)
        (folder / f"{cid}.yaml").write_text(store.dump(c), encoding="utf-8")
    return root, ids


def test_the_posts_page_shows_the_first_comments_and_a_pager_to_the_rest(tmp_path):
    root, ids = _site(tmp_path, 23, per_page=10, replies={21: 2, 5: 4})
    code, _, err = run_cli(["build"], root)
    assert code == 0, err
    site = root / "_site"
    first = (site / POST / "index.html").read_text(encoding="utf-8")
    assert "Kommentarer (23)" in first
    assert first.count('class="sg-comment"') == 10 and ">Läsare 9<" in first and ">Läsare 10<" not in first
    assert 'aria-label="Kommentarernas sidor"' in first and f"/{POST}sida/2/" in hrefs(first)
    assert 'id="kommentarsformular"' in first  # the form stays on the post's page
    for number, shown in ((2, range(10, 20)), (3, range(20, 23))):
        page = (site / POST / "sida" / str(number) / "index.html").read_text(encoding="utf-8")
        text = main_text(page)
        assert f"Kommentarer till Återbesök i Finspång Sida {number} av 3" in text
        assert [f"sg-comment-author\">Läsare {i}<" in page for i in range(23)] == [i in shown for i in range(23)]
        assert 'id="kommentarsformular"' not in page and f"/{POST}#kommentarsformular" in hrefs(page)
    third = (site / POST / "sida" / "3" / "index.html").read_text(encoding="utf-8")
    assert f"/{POST}#kommentar-{ids[2]}" in hrefs(third)  # a reply on page 3 to a comment on the post's page
    assert f"#kommentar-{ids[4]}" in hrefs(first)  # and one on the same page, by its id alone
    assert "sida/2" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_thousands_of_comments_keep_every_page_small(tmp_path):
    root, _ = _site(tmp_path, 3000)
    code, _, err = run_cli(["build"], root)
    assert code == 0, err
    pages = [root / "_site" / POST / "index.html", *sorted((root / "_site" / POST / "sida").glob("*/index.html"))]
    assert len(pages) == 60  # 50 a page: comments.per_page
    assert max(p.stat().st_size for p in pages) < 200_000


def test_a_new_comment_beyond_the_last_page_makes_a_page_and_a_rebuild_equals_a_clean_build(tmp_path):
    root, _ = _site(tmp_path, 10, per_page=10)
    assert run_cli(["build"], root)[0] == 0
    assert not (root / "_site" / POST / "sida").exists()
    t = datetime(2017, 4, 1, tzinfo=UTC)
    c = Comment(store.new_id(t), KEY, "Sen läsare", "", "", t, "En sen kommentar.")
    (root / "comments" / KEY / f"{c.id}.yaml").write_text(store.dump(c), encoding="utf-8")
    assert run_cli(["build"], root)[0] == 0
    assert "Sen läsare" in (root / "_site" / POST / "sida" / "2" / "index.html").read_text(encoding="utf-8")
    assert run_cli(["build", "--output", str(tmp_path / "clean")], root)[0] == 0
    assert read_tree(root / "_site") == read_tree(tmp_path / "clean")
