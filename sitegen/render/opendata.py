"""Visits as open data: /besok.json and /besok.csv."""

from __future__ import annotations

import csv
import io
import json

from sitegen.content.documents import Post
from sitegen.site.index import Site

CSV_COLUMNS = ("titel", "datum", "url", "kommuner", "kommunkoder", "lan", "teman", "taggar")


def _record(site: Site, post: Post) -> dict:
    return {
        "titel": post.meta.title,
        "datum": post.meta.date.date().isoformat(),
        "url": site.urls.absolute(post.url),
        "kommuner": [{"namn": m.name, "kod": m.code} for m in post.meta.municipalities],
        "lan": [{"namn": c.official_name, "kod": c.code} for c in post.meta.counties],
        "teman": list(post.meta.plan_areas),
        "taggar": [t.name for t in site.post_terms(post, "tag")],
    }


def render_json(site: Site) -> bytes:
    licence = site.config.license
    data = {"titel": site.config.title, "utgivare": site.config.publisher.name,
            **({"license": {"name": licence.name, "url": licence.url}} if licence else {}),
            "besok": [_record(site, p) for p in site.posts]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_csv(site: Site) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for post in site.posts:
        r = _record(site, post)
        writer.writerow([
            r["titel"],
            r["datum"],
            r["url"],
            "; ".join(m["namn"] for m in r["kommuner"]),
            "; ".join(m["kod"] for m in r["kommuner"]),
            "; ".join(c["namn"] for c in r["lan"]),
            "; ".join(r["teman"]),
            "; ".join(r["taggar"]),
        ])
    # a BOM lets spreadsheet programs read å, ä and ö correctly
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
