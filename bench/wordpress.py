"""The import benchmark: a generated WordPress export of 5,000 posts and 20,000 comments through import-wordpress.

    python bench/wordpress.py --posts 5000 --comments 20000 --out bench/results-wordpress.md

The export is WXR 1.2 as WordPress writes it: classic posts without paragraphs (wpautop's work),
captions, nested lists, entities, tags and categories naming municipalities, counties and plan
areas, threaded, spam and pending comments. It is imported into an empty site (config.yaml,
templates and static/ from the repository) in a fresh process, timed as run.py times builds, then
imported again (nothing to write), and the site is built to show it builds.

Not a timed test: CI runs tests/test_bench_smoke.py, which runs this with 20 posts.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import run

BLOG = "https://aterbesok.example.se"
PLACES = ["Borås stad", "Östersunds kommun", "Finspång", "Lycksele kommun", "Umeå", "Region Gotland", "Malmö stad",
          "Falu kommun", "Skellefteå", "Göteborgs stad", "Västerbottens län", "Jämtlands län", "Kiruna", "Ystad"]
THEMES = ["Samverkan", "Barns skolgång", "Medskapande", "Helhetssyn", "Förutsättningar", "Kvalitet i arbetet"]
TAGS = ["SiSam", "Skolfam", "BBiC", "familjehem", "rekrytering", "IVO", "tidiga insatser", "Konferens"]
WORDS = ["socialtjänsten", "skolan", "barnen", "familjehemmen", "samverkan", "placerade", "kommunen", "utredning", "uppföljning", "insatser", "vårdnadshavare", "socialsekreterare", "förvaltningen", "planen", "arbetet", "stödet", "tidigt", "tillsammans"]


def _text(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def _content(rnd: random.Random, i: int) -> str:
    parts = [_text(rnd, 40), _text(rnd, 25) + "\n" + _text(rnd, 15)]
    parts.append(f'[caption id="attachment_{i}" align="aligncenter" width="1024"]<img src="{BLOG}/wp-content/uploads/2017/02/'
                 f'bild-{i}-1024x768.jpg" alt="Mötet i kommunen" width="1024" height="768" /> Mötet nummer {i}[/caption]')
    parts.append(f"<h3>{_text(rnd, 3)}</h3>\n" + _text(rnd, 60))
    parts.append("<ul>\n" + "".join(f"\t<li>{_text(rnd, 8)}</li>\n" for _ in range(4)) + "</ul>")
    parts.append(_text(rnd, 30) + " &#8211; &#8221;citat&#8221;&nbsp;här.")
    return "\n\n".join(parts)


def _comment(rnd: random.Random, cid: int, parent: int, year: int) -> str:
    approved = rnd.choices(["1", "0", "spam"], weights=[8, 1, 1])[0]
    return (f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author><![CDATA[Läsare {cid}]]></wp:comment_author>"
            f"<wp:comment_author_email><![CDATA[lasare{cid}@example.se]]></wp:comment_author_email>"
            f"<wp:comment_author_url>https://example.se/{cid}</wp:comment_author_url>"
            f"<wp:comment_date><![CDATA[{year}-05-0{1 + cid % 9} 10:{cid % 60:02d}:00]]></wp:comment_date>"
            f"<wp:comment_date_gmt><![CDATA[{year}-05-0{1 + cid % 9} 08:{cid % 60:02d}:00]]></wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{_text(rnd, 30)}\n\nTack för <strong>texten</strong>!]]></wp:comment_content>"
            f"<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved><wp:comment_type><![CDATA[]]></wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n")


def make_export(path: Path, posts: int, comments: int, seed: int = 1) -> None:
    """Write a WXR 1.2 export of ``posts`` posts sharing ``comments`` comments."""
    rnd = random.Random(seed)
    cid = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                f'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Återbesök</title>\n<link>{BLOG}</link>\n'
                f"<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_blog_url>{BLOG}</wp:base_blog_url>\n"
                "<wp:author><wp:author_login><![CDATA[anna]]></wp:author_login><wp:author_display_name><![CDATA[Anna Andersson]]>"
                "</wp:author_display_name></wp:author>\n")
        for i in range(posts):
            year, month, day = 2010 + i % 15, 1 + i % 12, 1 + i % 28
            title = f"Återbesök nummer {i} i {rnd.choice(PLACES)}"
            name = f"aterbesok-nummer-{i}"
            terms = [("category", rnd.choice(PLACES))] + [("post_tag", t) for t in rnd.sample(THEMES + TAGS, 3)]
            status = "draft" if i % 50 == 0 else "publish"
            f.write(f"<item>\n<title>{escape(title)}</title>\n<link>{BLOG}/{year}/{month:02d}/{day:02d}/{name}/</link>\n"
                    f"<dc:creator><![CDATA[anna]]></dc:creator>\n<guid isPermaLink=\"false\">{BLOG}/?p={i + 1}</guid>\n"
                    f"<content:encoded><![CDATA[{_content(rnd, i)}]]></content:encoded>\n<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
                    f"<wp:post_id>{i + 1}</wp:post_id>\n<wp:post_date><![CDATA[{year}-{month:02d}-{day:02d} 10:00:00]]></wp:post_date>\n"
                    f"<wp:post_date_gmt><![CDATA[{year}-{month:02d}-{day:02d} 08:00:00]]></wp:post_date_gmt>\n"
                    f"<wp:comment_status><![CDATA[open]]></wp:comment_status>\n<wp:post_name><![CDATA[{name}]]></wp:post_name>\n"
                    f"<wp:status><![CDATA[{status}]]></wp:status>\n<wp:post_parent>0</wp:post_parent>\n"
                    "<wp:post_type><![CDATA[post]]></wp:post_type>\n")
            f.writelines(f'<category domain="{domain}" nicename="{escape(term.lower())}"><![CDATA[{term}]]></category>\n' for domain, term in terms)
            share = comments // posts + (1 if i < comments % posts else 0)
            first = cid + 1
            for k in range(share):
                cid += 1
                f.write(_comment(rnd, cid, first if k % 3 == 2 else 0, year))
            f.write("</item>\n")
        f.write("</channel>\n</rss>\n")


def empty_site(root: Path) -> None:
    root.mkdir(parents=True)
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "config.yaml", root / "config.yaml")


def time_import(workdir: Path, posts: int, comments: int, log=print) -> dict:
    """Generate the export, import it into an empty site twice, then build the site; the times of each."""
    workdir.mkdir(parents=True, exist_ok=True)
    export = workdir / "export.xml"
    make_export(export, posts, comments)
    root = workdir / "site"
    if root.exists():
        shutil.rmtree(root)
    empty_site(root)
    env = run.Site("sitegen", root, workdir / "out", []).environment()
    results = {"posts": posts, "comments": comments, "export_mib": export.stat().st_size / 2**20}
    steps = [("import", ["import-wordpress", str(export)]), ("again", ["import-wordpress", str(export)]),
             ("build", ["build", "--output", str(workdir / "out")])]
    for name, args in steps:
        usage = run.measure([sys.executable, str(REPO / "build.py"), "--root", str(root), *args], cwd=root, env=env, timeout=3600)
        if usage.returncode != 0:
            raise RuntimeError(f"{name} failed: {usage.stderr[-3000:]}")
        results[name] = {"wall": usage.wall, "cpu": usage.cpu, "peak_pss_mib": usage.peak_pss / 2**20,
                         "first_lines": usage.stdout.splitlines()[:2]}
        log(f"{name:7} {usage.wall:7.2f} s wall, {usage.cpu:7.2f} s CPU")
    return results


def report(data: dict) -> str:
    lines = [(f"A WordPress export of {data['posts']} posts and {data['comments']} comments ({data['export_mib']:.1f} MiB), "
             f"imported into an empty site. {data['machine']}."), "",
             "| step | wall | CPU | peak PSS | what it said |", "|---|---:|---:|---:|---|"]
    for name, label in (("import", "import-wordpress"), ("again", "import-wordpress again"), ("build", "build of the imported site")):
        r = data[name]
        lines.append(f"| {label} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['peak_pss_mib']:.0f} MiB | {' '.join(r['first_lines'])} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", type=int, default=5000)
    p.add_argument("--comments", type=int, default=20000)
    p.add_argument("--workdir", type=Path, required=True, help="where the export and the site are made")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    data = time_import(args.workdir, args.posts, args.comments, log=lambda line: print(line, file=sys.stderr, flush=True))
    data["machine"] = f"{run.machine_info().get('cpus', '?')} cores"
    text = report(data)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
