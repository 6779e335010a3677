"""sitemap.xml listing every HTML page, and robots.txt pointing at it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sitegen.kinds import PAGE_KINDS, PageKind
from sitegen.site.index import Site
from sitegen.site.plan import PageJob

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(site: Site, jobs: list[PageJob]) -> bytes:
    root = ET.Element("urlset", {"xmlns": NS})
    for job in sorted(jobs, key=lambda j: j.path):
        if not PAGE_KINDS[job.kind].listed:
            continue
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = site.urls.absolute(job.path)
        if job.kind is PageKind.POST:
            ET.SubElement(url, "lastmod").text = site.by_key[job.ref[0]].meta.modified.date().isoformat()
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def render_robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.urls.absolute('sitemap.xml')}\n".encode()
