"""The image benchmark: the same photos through sitegen and through Hugo's image processing, cold and rebuilt.

    python bench/images.py --photos 100 --out bench/results-images.md

A small corpus (``--posts`` folder posts, default 20) shares ``--photos`` synthetic photos of
4000 x 3000 (JPEG, with EXIF and a GPS position, as a phone writes them) among its posts. Each tool
publishes every photo in the same widths (480, 960, 1600) and formats (WebP and JPEG, quality 80):
sitegen by itself, Hugo through a Markdown render hook that calls ``.Resize`` for each width and
format, as a Hugo site would. Timed, each in a fresh process (see run.py's ``measure``):
- cold: no cache of any kind (sitegen's .sitegen-cache/ and Hugo's resources/ removed);
- rebuild: the same build again with nothing changed.

Not a timed test: CI runs tests/test_bench_smoke.py, which runs this with two small photos.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import corpus, run

WIDTHS = (480, 960, 1600)
QUALITY = 80
SIZE = (4000, 3000)
# Hugo's render hook for Markdown images: each width as WebP and JPEG, the widest as the fallback
HUGO_RENDER_IMAGE = """\
{{- $img := .Page.Resources.Get .Destination -}}
{{- $widths := slice WIDTHS -}}
{{- $webp := slice -}}{{- $jpg := slice -}}
{{- range $widths -}}
  {{- $webp = $webp | append (printf "%s %dw" ($img.Resize (printf "%dx webp qQUALITY" .)).RelPermalink .) -}}
  {{- $jpg = $jpg | append (printf "%s %dw" ($img.Resize (printf "%dx jpg qQUALITY" .)).RelPermalink .) -}}
{{- end -}}
{{- $largest := $img.Resize (printf "%dx jpg qQUALITY" (index $widths (sub (len $widths) 1))) -}}
<picture><source type="image/webp" srcset="{{ delimit $webp ", " }}"><img src="{{ $largest.RelPermalink }}" srcset="{{ delimit $jpg ", " }}" width="{{ $largest.Width }}" height="{{ $largest.Height }}" alt="{{ .Text }}" loading="lazy"></picture>
""".replace("WIDTHS", " ".join(map(str, WIDTHS))).replace("QUALITY", str(QUALITY))
HUGO_IMAGING = f'\n[imaging]\n  quality = {QUALITY}\n  resampleFilter = "lanczos"\n'


def make_photos(folder: Path, n: int, size: tuple[int, int] = SIZE, seed: int = 1) -> list[Path]:
    """``n`` photo-like JPEGs: soft shapes over grain, with a camera and a GPS position in EXIF."""
    from PIL import Image, ImageDraw, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    small = (size[0] // 4, size[1] // 4)
    grain = Image.effect_noise(small, 40).convert("RGB")
    photos = []
    for i in range(n):
        im = Image.new("RGB", small, tuple(rnd.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(im)
        for _ in range(30):
            x, y = rnd.randrange(small[0]), rnd.randrange(small[1])
            draw.ellipse([x, y, x + rnd.randrange(20, small[0] // 3), y + rnd.randrange(20, small[1] // 3)],
                         fill=tuple(rnd.randrange(256) for _ in range(3)))
        im = Image.blend(im, grain, 0.2).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1.5))
        exif = Image.Exif()
        exif[0x010F] = "Kamera AB"
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (57.0, 43.0, 16.0), "E", (12.0, 56.0, 22.0)
        path = folder / f"foto-{i:03d}.jpg"
        im.save(path, quality=90, exif=exif)
        photos.append(path)
    return photos


def add_photos(root: Path, posts_dir: Path, posts: Sequence[corpus.PostSpec], photos: Sequence[Path]) -> None:
    """Turn posts into folder posts (``<key>/index.md``) and share the photos among them, each shown once."""
    per_post = -(-len(photos) // len(posts))
    for i, post in enumerate(posts):
        mine = photos[i * per_post : (i + 1) * per_post]
        if not mine:
            break
        source = posts_dir / f"{post.key}.md"
        folder = posts_dir / post.key
        folder.mkdir()
        lines = [f'\n![Foto {p.stem} från besöket](bilder/{p.name} "Besöket, bild {p.stem[5:]}")\n' for p in mine]
        (folder / "index.md").write_text(source.read_text(encoding="utf-8") + "".join(lines), encoding="utf-8")
        source.unlink()
        (folder / "bilder").mkdir()
        for p in mine:
            shutil.copyfile(p, folder / "bilder" / p.name)


def make_sites(workdir: Path, n_posts: int, n_photos: int, tools: Sequence[str], size: tuple[int, int] = SIZE) -> list[run.Site]:
    photos = make_photos(workdir / "photos", n_photos, size)
    posts = corpus.make_posts(n_posts)
    sites = []
    for tool in tools:
        site = run.make_site(tool, workdir, n_posts, 1, posts)
        if tool == "sitegen":
            config = site.root / "config.yaml"
            text = config.read_text(encoding="utf-8")
            config.write_text(text.replace("widths: [480, 960, 1600]", f"widths: [{', '.join(map(str, WIDTHS))}]")
                              .replace("quality: 80", f"quality: {QUALITY}"), encoding="utf-8")
            add_photos(site.root, site.root / "posts", posts, photos)
        else:
            hook = site.root / "layouts" / "_markup" / "render-image.html"
            hook.parent.mkdir(parents=True, exist_ok=True)
            hook.write_text(HUGO_RENDER_IMAGE, encoding="utf-8")
            with open(site.root / "hugo.toml", "a", encoding="utf-8") as f:
                f.write(HUGO_IMAGING)
            add_photos(site.root, site.root / "content" / "posts", posts, photos)
        _saved_a_minute_ago(site.root)
        sites.append(site)
    return sites


def _saved_a_minute_ago(root: Path) -> None:
    """As a writer's files are: a file saved within two seconds of a build is read again by the next, to be safe."""
    then = time.time_ns() - 60 * 10**9
    for path in root.rglob("*"):
        os.utime(path, ns=(then, then))


def forget_caches(site: run.Site) -> None:
    """What a cold build must not find: sitegen's cache (its store of processed images too), Hugo's resources/."""
    for folder in (site.root / ".sitegen-cache", site.root / "resources", site.out):
        if folder.exists():
            shutil.rmtree(folder)


def time_site(site: run.Site, repeat: int, rebuilds: int, log: Callable[[str], None]) -> dict[str, dict]:
    """The median of ``repeat`` cold builds, then of ``rebuilds`` rebuilds with nothing changed."""
    results: dict[str, dict] = {}
    for scenario, times in (("cold", repeat), ("rebuild", rebuilds)):
        runs = []
        for _ in range(times):
            if scenario == "cold":
                forget_caches(site)
            usage = run.measure(site.command(), env=site.environment(), timeout=3600)
            if usage.returncode != 0:
                raise RuntimeError(f"{site.tool} {scenario} failed: {usage.stderr[-2000:]}")
            runs.append(usage)
            log(f"{site.tool:8} {scenario:8} {usage.wall:7.2f} s wall, {usage.cpu:7.2f} s CPU")
        median = sorted(runs, key=lambda u: u.wall)[len(runs) // 2]
        results[scenario] = {"wall": median.wall, "cpu": median.cpu, "peak_pss_mib": median.peak_pss / 2**20,
                             "runs": [u.wall for u in runs], "stages": run.parse_stages(median.stderr)}
    results["files"] = {"images": sum(1 for p in site.out.rglob("*") if p.suffix in (".jpg", ".webp"))}
    return results


def report(data: dict) -> str:
    lines = [(f"Photos: {data['photos']} of {data['size'][0]} x {data['size'][1]} in {data['posts']} posts; widths "
             f"{', '.join(map(str, WIDTHS))}; WebP and JPEG at quality {QUALITY}. {data['machine']}. "
             f"Median of {data['repeat']} cold runs and {data.get('rebuilds', data['repeat'])} rebuilds each."), "",
             "| tool | build | wall | CPU | peak PSS | image files |", "|---|---|---:|---:|---:|---:|"]
    for tool, r in data["results"].items():
        for scenario in ("cold", "rebuild"):
            s = r[scenario]
            runs = ", ".join(f"{w:.2f}" for w in s["runs"])
            lines.append(f"| {tool} {data['versions'][tool]} | {scenario} | {s['wall']:.2f} s ({runs}) | {s['cpu']:.2f} s | "
                         f"{s['peak_pss_mib']:.0f} MiB | {r['files']['images']} |")
    if "hugo" in data["results"] and "sitegen" in data["results"]:
        ours, hugo = data["results"]["sitegen"], data["results"]["hugo"]
        lines += ["", (f"Hugo / sitegen, cold: {hugo['cold']['wall'] / ours['cold']['wall']:.2f}; "
                  f"rebuild: {hugo['rebuild']['wall'] / ours['rebuild']['wall']:.2f}. "
                  f"sitegen's stages, cold: {_stages(ours['cold'])}; rebuild: {_stages(ours['rebuild'])}.")]
    return "\n".join(lines) + "\n"


def _stages(result: dict) -> str:
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in result["stages"].items())


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--photos", type=int, default=100)
    p.add_argument("--posts", type=int, default=20)
    p.add_argument("--repeat", type=int, default=1, help="cold builds per tool (each takes minutes for Hugo)")
    p.add_argument("--rebuilds", type=int, default=5, help="rebuilds with nothing changed per tool (each under a second)")
    p.add_argument("--without-hugo", action="store_true")
    p.add_argument("--workdir", type=Path, required=True, help="where the corpora are made (about 250 MB for 100 photos)")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    tools = ["sitegen"] + ([] if args.without_hugo else ["hugo"])
    log = lambda line: print(line, file=sys.stderr, flush=True)
    sites = make_sites(args.workdir, args.posts, args.photos, tools)
    data = {"photos": args.photos, "posts": args.posts, "size": SIZE, "repeat": args.repeat, "rebuilds": args.rebuilds,
            "machine": f"{run.machine_info().get('cpus', '?')} cores",
            "versions": {tool: run.tool_version(tool) for tool in tools},
            "results": {site.tool: time_site(site, args.repeat, args.rebuilds, log) for site in sites}}
    text = report(data)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
