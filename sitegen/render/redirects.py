"""_redirects: the old addresses of ``aliases:`` as permanent redirects, for hosts that read the file (Netlify).

Every old address also gets a redirect page (``redirect.html``), which works on any host. Netlify
serves a file that exists before it looks at this file, unless the rule is forced with '!', so
the rules are forced: the reader gets a real 301. Hosts that do not know '!' fall back to the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.config.urls import alias_href
from sitegen.kinds import PageKind
from sitegen.site.index import Site
from sitegen.site.plan import PageJob

REDIRECTS_FILE = "_redirects"


def render_redirects(site: Site, jobs: Iterable[PageJob]) -> bytes:
    """One line per old address: its path, the new one, '301!'; paths percent-encoded, as the file wants."""
    base = site.urls.base_path
    lines = ["# Gamla adresser (aliases: i inläggen) som flyttats permanent. Skrivs av sitegen vid varje bygge."]
    for job in jobs:
        if job.kind is PageKind.REDIRECT:
            target = site.document(*job.ref)
            lines.append(f"{alias_href(base + job.path)} {alias_href(base + target.url)} 301!")
    return ("\n".join(lines) + "\n").encode("utf-8")
