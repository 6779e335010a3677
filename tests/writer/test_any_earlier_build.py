"""A build equals a clean build of the same inputs in a fresh copy, whatever the checkout built before.

The other options of a build (base URL, drafts, comment endpoint, output folder) and edits to a
template, config.yaml, a post, a static file and the images (added, changed, removed, the widths
changed, an image of static/ that a post shows changed) are varied at random between builds in
one checkout; after each build the output is compared, byte for byte, with a build of a fresh copy
of the same sources, which has no cache of any kind (no store of processed images either).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imagetools import picture_bytes
from sitetools import make_site, post_text, read_tree

from sitegen import pipeline

BASE_URLS = [None, "https://example.org/", "https://example.org/aterbesok/", "http://127.0.0.1:8000/forhandsvisning/"]
ENDPOINTS = [None, "/kommentar/", "https://kommentarer.example.org/ta-emot"]
OUTPUTS = ["_site", "public", ".sitegen-cache/serve"]  # the last is where serve builds
EDITS = [None, "template", "config", "post", "alias", "static", "image-add", "image-change", "image-remove", "widths", "static-image"]
WIDTHS = ["[480, 960, 1600]", "[300, 700]", "[640]"]
LEFT_OUT = {"_site", "public", ".sitegen-cache"}  # what a fresh copy of the sources does not have

STEP = st.fixed_dictionaries({
    "base_url": st.sampled_from(BASE_URLS),
    "drafts": st.booleans(),
    "endpoint": st.sampled_from(ENDPOINTS),
    "output": st.sampled_from(OUTPUTS),
    "edit": st.sampled_from(EDITS),
})


def _site(tmp: Path) -> Path:
    posts = {
        "2017-03-finspang/index.md": post_text(title="Återbesök i Finspång", date="2017-03-14", municipality="Finspång",
                                               plan_areas="[Samverkan]", tags="[SiSam]",
                                               body="Samverkan.\n\n![Deltagarna](foto.jpg \"Mötet\")\n"),
        "2017-03-finspang/foto.jpg": picture_bytes((1000, 750)),
        "2018-05-boras.md": post_text(title="Återbesök i Borås", date="2018-05-02", municipality="Borås",
                                      plan_areas="[Barns skolgång]", tags="[Skolfam]",
                                      body="Skolan och socialtjänsten. Se [kommunerna](/kommun/).\n\n"
                                           "![Karta över Borås](/bilder/karta.png)\n"),
        "2019-01-umea.md": post_text(title="Utkast om Umeå", date="2019-01-10", municipality="Umeå",
                                     plan_areas="[Helhetssyn]", draft="true"),
    }
    comment = ("id: 20180503-1\npost: 2018-05-boras\nname: Anna\nemail: anna@example.org\nwebsite: ''\n"
               "date: 2018-05-03T08:00:00+00:00\ntext: Tack för besöket!\n")
    return make_site(tmp, posts, files={"comments/2018-05-boras/20180503-1.yaml": comment,
                                        "static/bilder/karta.png": picture_bytes((500, 400), "PNG")})


def _edit(root: Path, edit: str | None, n: int) -> None:
    if edit == "template":
        base = root / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</footer>", f"<!-- {n} --></footer>", 1), encoding="utf-8")
    elif edit == "config":
        cfg = root / "config.yaml"
        text = cfg.read_text(encoding="utf-8")
        cfg.write_text(text.replace("title: Återbesök", f"title: Återbesök {n}", 1), encoding="utf-8")
    elif edit == "post":
        post = root / "posts" / "2018-05-boras.md"
        post.write_text(post.read_text(encoding="utf-8") + f"\nTillägg {n}.\n", encoding="utf-8")
    elif edit == "alias":  # an old address moves: its redirect page and _redirects follow, the old one goes
        post = root / "posts" / "2018-05-boras.md"
        lines = [line for line in post.read_text(encoding="utf-8").split("\n") if not line.startswith("aliases:")]
        lines.insert(2, f"aliases: [/2018/05/02/gammal-{n}/]")
        post.write_text("\n".join(lines), encoding="utf-8")
    elif edit == "static":
        css = root / "static" / "assets" / "style.css"
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* {n} */\n", encoding="utf-8")
    else:
        _edit_images(root, edit, n)


def _edit_images(root: Path, edit: str | None, n: int) -> None:
    folder = root / "posts" / "2017-03-finspang"
    index = folder / "index.md"
    if edit == "image-add":
        (folder / f"bild-{n}.png").write_bytes(picture_bytes((700 + 10 * n, 500), "PNG"))
        index.write_text(index.read_text(encoding="utf-8") + f"\n![Bild {n}](bild-{n}.png)\n", encoding="utf-8")
    elif edit == "image-change":  # another size: the page's width and height change too
        (folder / "foto.jpg").write_bytes(picture_bytes((1000 - 20 * n, 750)))
    elif edit == "image-remove" and (added := sorted(folder.glob("bild-*.png"))):
        added[-1].unlink()
        index.write_text(index.read_text(encoding="utf-8").replace(f"\n![Bild {added[-1].stem[5:]}]({added[-1].name})\n", ""),
                         encoding="utf-8")
    elif edit == "widths":
        cfg = root / "config.yaml"
        text = cfg.read_text(encoding="utf-8")
        current = next(w for w in WIDTHS if f"widths: {w}" in text)
        cfg.write_text(text.replace(f"widths: {current}", f"widths: {WIDTHS[(WIDTHS.index(current) + 1) % len(WIDTHS)]}"),
                       encoding="utf-8")
    elif edit == "static-image":  # shown by the Borås post, which is otherwise unchanged
        (root / "static" / "bilder" / "karta.png").write_bytes(picture_bytes((500 - 10 * n, 400), "PNG"))


def _options(root: Path, step: dict) -> pipeline.BuildOptions:
    return pipeline.BuildOptions(root, output=root / step["output"], base_url=step["base_url"],
                                 drafts=step["drafts"], comment_endpoint=step["endpoint"])


def _fresh_copy(root: Path, to: Path) -> Path:
    shutil.copytree(root, to, ignore=lambda folder, names: LEFT_OUT & set(names) if Path(folder) == root else set())
    return to


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=2, max_size=5))
def test_every_build_equals_a_clean_build_in_a_fresh_copy(tmp_path_factory, steps):
    tmp = tmp_path_factory.mktemp("earlier")
    root = _site(tmp)
    for n, step in enumerate(steps):
        _edit(root, step["edit"], n)
        pipeline.build(_options(root, step))
        fresh = _fresh_copy(root, tmp / f"fresh-{n}")
        pipeline.build(_options(fresh, step))
        built, clean = read_tree(root / step["output"]), read_tree(fresh / step["output"])
        differing = sorted(f for f in built.keys() | clean.keys() if built.get(f) != clean.get(f))
        assert not differing, f"step {n} of {steps}: {differing[:5]}"
        shutil.rmtree(fresh)


def test_a_build_after_serve_links_to_its_own_base_url(make_site):
    # the defect this file guards against: templates compiled for one base URL were reused for another
    root = make_site({"a.md": post_text(title="Besök", municipality="Umeå")})
    pipeline.build(pipeline.BuildOptions(root, output=root / ".sitegen-cache/serve", base_url="http://127.0.0.1:8000/", drafts=True))
    pipeline.build(pipeline.BuildOptions(root, base_url="https://example.org/aterbesok/"))
    home = (root / "_site" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="(/[^"]*)"', home)
    assert 'href="/aterbesok/feed.xml"' in home and 'rel="stylesheet"' in home
    assert [link for link in links if not link.startswith("/aterbesok/")] == []
