"""Incremental builds are never wrong: after any sequence of edits, byte-identical to a clean build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitetools import make_site, post_text, read_tree, stat_tree

from sitegen import pipeline
from sitegen.output.cache import STATE, Memory, cache_folder

MUNICIPALITIES = ["Borås", "Håbo", "Habo", "Umeå", "Åre", "Örebro", "Finspång"]
AREAS = ["Samverkan", "Barns skolgång", "Helhetssyn", "Barns hälsa"]
TAGS = ["Skolfam", "skolfam", "SiSam", "familjehem", "BBiC"]


def _post(n: int, rnd: st.DataObject) -> str:
    return post_text(
        title=f"Besök nummer {n}",
        date=f"20{rnd.draw(st.integers(10, 26)):02d}-{rnd.draw(st.integers(1, 12)):02d}-1{rnd.draw(st.integers(0, 9))}",
        body=f"Vi pratade om samverkan, besök {n}.\n\n## Skolan\n\nText {rnd.draw(st.integers(0, 3))}.\n",
        municipality=rnd.draw(st.sampled_from(MUNICIPALITIES)),
        plan_areas=rnd.draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=2, unique=True)),
        tags=rnd.draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
    )


def _edit(root: Path, op: str, n: int, rnd: st.DataObject) -> None:
    posts = sorted((root / "posts").glob("*.md"))
    if op == "add" or not posts:
        (root / "posts" / f"p{n}.md").write_text(_post(n, rnd), encoding="utf-8")
    elif op == "edit":
        target = rnd.draw(st.sampled_from(posts))
        target.write_text(target.read_text(encoding="utf-8") + f"\nTillägg {n}.\n", encoding="utf-8")
    elif op == "summary":  # a new first paragraph: the summary shown in lists changes
        target = rnd.draw(st.sampled_from(posts))
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("Vi pratade om", f"Vi talade ({n}) om", 1), encoding="utf-8")
    elif op == "retitle":
        target = rnd.draw(st.sampled_from(posts))
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("title: Besök nummer", f"title: Nytt {n} besök nummer", 1), encoding="utf-8")
    elif op == "rename":
        target = rnd.draw(st.sampled_from(posts))
        target.rename(target.with_name(f"r{n}-{target.name}"))
    elif op == "delete":
        rnd.draw(st.sampled_from(posts)).unlink()
    elif op == "template":
        base = root / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</footer>", f"<!-- {n} --></footer>", 1), encoding="utf-8")
    elif op == "static":
        css = root / "static" / "assets" / "style.css"
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* {n} */\n", encoding="utf-8")
    elif op == "config":
        cfg = root / "config.yaml"
        text = cfg.read_text(encoding="utf-8")
        per_page = "per_page: 2" if "per_page: 3" in text else "per_page: 3"
        cfg.write_text(text.replace("per_page: 10", per_page).replace("per_page: 2", per_page).replace("per_page: 3", per_page), encoding="utf-8")


OPS = st.lists(st.sampled_from(["add", "edit", "summary", "retitle", "rename", "delete", "template", "static", "config"]), min_size=1, max_size=4)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, rnd=st.data())
def test_incremental_output_equals_clean_build(tmp_path_factory, ops, rnd):
    tmp = tmp_path_factory.mktemp("inc")
    from sitetools import make_site

    root = make_site(tmp, {f"p{i}.md": _post(i, rnd) for i in range(5)})
    out, clean = tmp / "out", tmp / "clean"
    pipeline.build(pipeline.BuildOptions(root, output=out))
    for n, op in enumerate(ops, start=100):
        _edit(root, op, n, rnd)
        pipeline.build(pipeline.BuildOptions(root, output=out))
        if clean.exists():
            shutil.rmtree(clean)
        pipeline.build(pipeline.BuildOptions(root, output=clean), use_cache=False)
        assert read_tree(out) == read_tree(clean), f"after {ops[: n - 99]}"


def test_one_edit_rewrites_only_what_changed_and_keeps_other_mtimes(make_site):
    posts = {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-0{i + 1}-01", municipality="Umeå") for i in range(5)}
    posts["b.md"] = post_text(title="Annat", date="2016-01-01", municipality="Borås")
    root = make_site(posts)
    out = root / "_site"
    first = pipeline.build(pipeline.BuildOptions(root))
    before = stat_tree(out)
    p = root / "posts" / "p2.md"
    p.write_text(p.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    second = pipeline.build(pipeline.BuildOptions(root))
    after = stat_tree(out)
    changed = {f for f in after if after[f][0] != before.get(f, (None,))[0]}
    assert "2017/03/besok-2/index.html" in changed
    # Borås' pages do not show the edited post, so they were neither rendered nor rewritten
    assert "kommun/boras/index.html" not in changed
    assert after["kommun/boras/index.html"][1] == before["kommun/boras/index.html"][1]
    assert second.pages < first.pages
    assert second.write.unchanged == len(after) - len(changed) - 1  # minus the .sitegen marker


def test_a_body_edit_reuses_the_index_and_a_summary_edit_does_not(make_site):
    posts = {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-0{i + 1}-01", municipality="Umeå") for i in range(3)}
    root = make_site(posts)
    first = pipeline.build(pipeline.BuildOptions(root))
    assert not first.index_reused
    p = root / "posts" / "p1.md"
    p.write_text(p.read_text(encoding="utf-8") + "\nEn sista mening.\n", encoding="utf-8")
    body = pipeline.build(pipeline.BuildOptions(root))
    assert body.index_reused
    assert "En sista mening." in (root / "_site/2017/02/besok-1/index.html").read_text(encoding="utf-8")
    assert "En sista mening." in (root / "_site/feed.xml").read_text(encoding="utf-8")
    p.write_text(p.read_text(encoding="utf-8").replace("title: Besök 1", "title: Besök 1\nsummary: Ny sammanfattning."), encoding="utf-8")
    summary = pipeline.build(pipeline.BuildOptions(root))
    assert not summary.index_reused
    assert "Ny sammanfattning." in (root / "_site/index.html").read_text(encoding="utf-8")


def test_a_feed_follows_a_tag_spelling_set_by_another_post(make_site, tmp_path):
    # the oldest spelling names a tag: dropping it from the old post renames the tag in the
    # newer post's municipality feed, though the newer post did not change
    old = post_text(title="Först", date="2016-01-01", municipality="Borås", plan_areas="[Samverkan]", tags="[Skolfam]")
    new = post_text(title="Sedan", date="2017-01-01", municipality="Umeå", plan_areas="[Samverkan]", tags="[skolfam]")
    root = make_site({"old.md": old, "new.md": new})
    pipeline.build(pipeline.BuildOptions(root))
    feed = root / "_site" / "kommun" / "umea" / "feed.xml"
    assert 'label="Skolfam"' in feed.read_text(encoding="utf-8")
    (root / "posts" / "old.md").write_text(old.replace("tags: [Skolfam]", "tags: []"), encoding="utf-8")
    pipeline.build(pipeline.BuildOptions(root))
    assert 'label="skolfam"' in feed.read_text(encoding="utf-8")
    pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "clean"), use_cache=False)
    assert read_tree(root / "_site") == read_tree(tmp_path / "clean")


def test_a_post_page_follows_a_tag_spelling_set_by_a_post_it_does_not_list(make_site, tmp_path):
    # the post that sets the spelling is neither a neighbour, nor a related post, nor in "Fler besök i":
    # only the tag's name ties the newest post's page to it
    posts = {"o.md": post_text(title="Äldst", date="2010-01-01", municipality="Borås", plan_areas="[Samverkan]", tags="[Skolfam]")}
    for i in range(6):
        posts[f"u{i}.md"] = post_text(title=f"Umeå {i}", date=f"2017-0{i + 1}-01", municipality="Umeå", plan_areas="[Samverkan]",
                                      tags="[skolfam]")
    root = make_site(posts)
    pipeline.build(pipeline.BuildOptions(root))
    page = root / "_site" / "2017" / "06" / "umea-5" / "index.html"
    assert ">Skolfam</a>" in page.read_text(encoding="utf-8")
    (root / "posts" / "o.md").write_text(posts["o.md"].replace("tags: [Skolfam]", "tags: []"), encoding="utf-8")
    pipeline.build(pipeline.BuildOptions(root))
    assert ">skolfam</a>" in page.read_text(encoding="utf-8")
    pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "clean"), use_cache=False)
    assert read_tree(root / "_site") == read_tree(tmp_path / "clean")


def test_search_is_reindexed_only_when_its_text_changes(make_site):
    posts = {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-0{i + 1}-01", municipality="Umeå") for i in range(3)}
    root = make_site(posts)
    pipeline.build(pipeline.BuildOptions(root))
    bundle = root / "_site" / "pagefind"

    def stamps() -> dict[str, int]:
        return {p.relative_to(bundle).as_posix(): p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()}

    before = stamps()
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Ny sidfot</p></footer>", 1), encoding="utf-8")
    report = pipeline.build(pipeline.BuildOptions(root))
    assert report.pages > 3, "every page was rendered again"
    assert stamps() == before, "the footer is not indexed: no shard was rebuilt"
    post = root / "templates" / "post.html"
    post.write_text(post.read_text(encoding="utf-8").replace("{{ post.html|safe }}", "{{ post.html|safe }}<p>Tillägg</p>", 1), encoding="utf-8")
    pipeline.build(pipeline.BuildOptions(root))
    assert stamps() != before, "the post body is indexed: the shard was rebuilt"


def test_corrupt_cache_means_a_full_and_correct_build(make_site):
    root = make_site({"a.md": post_text(municipality="Umeå")})
    pipeline.build(pipeline.BuildOptions(root))
    for f in (root / ".sitegen-cache").rglob("*.pickle"):
        f.write_bytes(b"not a pickle")
    (root / "posts" / "a.md").write_text(post_text(title="Ny titel", municipality="Umeå"), encoding="utf-8")
    report = pipeline.build(pipeline.BuildOptions(root))
    assert report.posts == 1
    assert "Ny titel" in (root / "_site/2017/03/ny-titel/index.html").read_text(encoding="utf-8")


def test_hand_edited_output_is_rebuilt(make_site):
    root = make_site({"a.md": post_text(municipality="Umeå")})
    pipeline.build(pipeline.BuildOptions(root))
    page = root / "_site" / "kommun" / "umea" / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"tampered")
    pipeline.build(pipeline.BuildOptions(root))
    assert page.read_bytes() == good


def test_a_build_that_leaves_search_for_later_keeps_the_old_index_and_the_one_after_equals_a_clean_build(tmp_path):
    root = make_site(tmp_path, {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-03-{i + 1:02d}", municipality="Borås")
                                for i in range(5)})
    out = tmp_path / "out"
    opts = pipeline.BuildOptions(root, output=out)
    pipeline.build(opts)
    index_before = {f: b for f, b in read_tree(out).items() if f.startswith("pagefind/")}
    post = root / "posts" / "p2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt nytt ord: sjöjungfru.\n", encoding="utf-8")
    report = pipeline.build(pipeline.BuildOptions(root, output=out, later=True))
    assert report.search_pending
    after = read_tree(out)
    assert "sjöjungfru" in after["2017/03/besok-2/index.html"].decode("utf-8")
    assert {f: b for f, b in after.items() if f.startswith("pagefind/")} == index_before  # the old index, whole
    assert not pipeline.build(opts).search_pending
    pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "clean"))
    assert read_tree(out) == read_tree(tmp_path / "clean")


def test_a_build_that_leaves_later_list_pages_as_they_were_renders_the_first_and_the_one_after_equals_a_clean_build(tmp_path):
    posts = {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-03-{i + 1:02d}", municipality="Borås") for i in range(6)}
    root = make_site(tmp_path, posts, {"per_page": 3})
    out = tmp_path / "out"
    opts = pipeline.BuildOptions(root, output=out)
    pipeline.build(opts)
    before = read_tree(out)
    (root / "posts" / "ny.md").write_text(post_text(title="Besök nytt", date="2017-04-01", municipality="Borås"), encoding="utf-8")
    report = pipeline.build(pipeline.BuildOptions(root, output=out, later=True))
    # a new post shifts every list page; the first of each is rendered now, the others wait (page 3 is new: made now)
    assert report.pages_pending == ("arkiv/2017/sida/2/", "kommun/boras/sida/2/", "lan/vastra-gotaland/sida/2/", "sida/2/")
    after = read_tree(out)
    assert "Besök nytt" in after["index.html"].decode("utf-8") and "Besök nytt" in after["kommun/boras/index.html"].decode("utf-8")
    assert after["sida/2/index.html"] == before["sida/2/index.html"]
    assert "sida/3/index.html" in after and "sida/3/index.html" not in before
    assert "Besök nytt" in after["2017/04/besok-nytt/index.html"].decode("utf-8")
    # the feeds, the sitemap and the open data wait too; the receiver's list of posts does not
    assert report.outputs_pending == ("_redirects", "arkiv/2017/feed.xml", "besok.csv", "besok.json", "feed.xml",
                                      "kommun/boras/feed.xml", "lan/vastra-gotaland/feed.xml", "sitemap.xml")
    assert all(after[f] == before[f] for f in report.outputs_pending)
    assert "2017/04/besok-nytt" in after["kommentarer.json"].decode("utf-8")
    caught_up = pipeline.build(opts)
    assert caught_up.pages_pending == () and caught_up.outputs_pending == () and caught_up.pages == 4  # the four left are rendered now
    pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "clean"))
    assert read_tree(out) == read_tree(tmp_path / "clean")


def test_a_post_removed_with_a_settings_change_stays_gone_from_the_builds_after(tmp_path):
    # the build with new settings reuses nothing; the site it swaps out, kept for the next build to start
    # from, still has the removed post's page, and the next build must not carry it back in
    root = make_site(tmp_path, {"a.md": post_text(title="Kvar", municipality="Umeå"),
                                "b.md": post_text(title="Borttagen", date="2017-04-01", municipality="Umeå")})
    out = tmp_path / "out"
    opts = pipeline.BuildOptions(root, output=out)
    pipeline.build(opts)
    pipeline.build(opts)  # the site kept beside the output has the page too
    (root / "posts" / "b.md").unlink()
    config = root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title:", "title: Ny", 1), encoding="utf-8")
    pipeline.build(opts)
    pipeline.build(opts)
    pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "clean"))
    assert read_tree(out) == read_tree(tmp_path / "clean")
    (root / "posts" / "b.md").write_text(post_text(title="Borttagen", date="2017-04-01", municipality="Umeå"), encoding="utf-8")
    pipeline.build(opts)  # back again: its page must be in the output, not only in the site swapped out
    pipeline.build(pipeline.BuildOptions(root, output=tmp_path / "clean2"))
    assert read_tree(out) == read_tree(tmp_path / "clean2")


def test_builds_that_start_from_the_state_in_memory_equal_clean_builds_and_save_it_when_asked(tmp_path):
    def settle() -> None:  # files written this very moment are read again whatever the cache says; an edit changes the size
        for post in (root / "posts").iterdir():
            os.utime(post, (1_700_000_000, 1_700_000_000))

    posts = {f"p{i}.md": post_text(title=f"Besök {i}", date=f"2017-03-{i + 1:02d}", municipality="Borås") for i in range(5)}
    root = make_site(tmp_path, posts, {"per_page": 2})
    out = tmp_path / "out"
    memory = Memory()
    opts = pipeline.BuildOptions(root, output=out)
    settle()
    pipeline.build(opts, memory=memory)
    state_file = cache_folder(root, out.resolve()) / STATE
    assert memory.saved and state_file.is_file()
    edits = [("p1.md", post_text(title="Besök 1", date="2017-03-02", municipality="Borås", body="Ändrad text.\n")),
             ("ny.md", post_text(title="Besök nytt", date="2017-05-01", municipality="Umeå")),
             ("p3.md", None)]
    for name, text in edits:
        if text is None:
            (root / "posts" / name).unlink()
        else:
            (root / "posts" / name).write_text(text, encoding="utf-8")
        settle()
        state_file.unlink()  # so what the build starts from can only be the state in memory
        report = pipeline.build(pipeline.BuildOptions(root, output=out, later=True), memory=memory)
        assert report.read == (1 if text else 0), report.read  # the others came from memory, not from disk
        assert not memory.saved and not state_file.exists()  # the later build leaves the writing to disk
        pipeline.build(opts, memory=memory)  # the catch-up build saves it
        assert memory.saved and state_file.is_file()
        clean = tmp_path / f"clean-{name}"
        pipeline.build(pipeline.BuildOptions(root, output=clean))
        assert read_tree(out) == read_tree(clean)
    report = pipeline.build(opts)  # a new serve, or a build: the state on disk is the one kept in memory
    assert report.read == 0 and report.pages == 0
