"""_headers: the HTTP headers for hosts that read them from a file (Netlify, Cloudflare Pages).

A ``<meta>`` policy cannot carry ``frame-ancestors`` and hosts differ in what headers they allow,
so every page carries the policy as ``<meta>`` tags and this file gives the same as real headers,
plus the cache rule for the content-hashed assets. README.md shows the same for nginx and Apache.
"""

from __future__ import annotations

from sitegen.content.static import ASSETS
from sitegen.site.index import Site

HEADERS_FILE = "_headers"
REFERRER_POLICY = "strict-origin-when-cross-origin"
# nothing on the site uses these; saying so keeps embedded third-party code from asking for them
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
IMMUTABLE = "public, max-age=31536000, immutable"  # assets/ are named by their bytes: a new version is a new name


def page_headers(csp: str) -> list[tuple[str, str]]:
    """The headers every response should carry; ``csp`` is the pages' policy (render.environment)."""
    return [
        ("Content-Security-Policy", f"{csp}; frame-ancestors 'none'"),
        ("Referrer-Policy", REFERRER_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ]


def render_headers(site: Site, csp: str) -> bytes:
    """The _headers file: every path gets the page headers, the assets a year's cache."""
    base = site.urls.base_path
    lines = [f"{base}*"] + [f"  {name}: {value}" for name, value in page_headers(csp)]
    lines += [f"{base}{ASSETS}*", f"  Cache-Control: {IMMUTABLE}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
