"""The outputs besides HTML pages that are made from the site: feeds, sitemap, robots.txt, open data, comment targets."""

from __future__ import annotations

import json
from functools import partial

from sitegen import fingerprints
from sitegen.content.static import StaticFiles
from sitegen.output.cache import PreviousBuild
from sitegen.output.staging import REUSE, Sink, put_all
from sitegen.progress import ProgressBar
from sitegen.render.environment import content_security_policy
from sitegen.render.feeds import render_feed
from sitegen.render.headers import HEADERS_FILE, render_headers
from sitegen.render.opendata import render_csv, render_json
from sitegen.render.pages import Rendered
from sitegen.render.redirects import REDIRECTS_FILE, render_redirects
from sitegen.render.sitemap import render_robots, render_sitemap
from sitegen.site.index import Site
from sitegen.site.plan import SitePlan, feed_paths

COMMENT_TARGETS = "kommentarer.json"
# generated files a file in static/ may replace: a deployer's own rules for crawlers and for the host
OVERRIDABLE = frozenset({"robots.txt", HEADERS_FILE, REDIRECTS_FILE})
# what serve's preview always needs current: the receiver's list of posts, and the rules every page is sent with
NEVER_LATER = frozenset({COMMENT_TARGETS, "robots.txt", HEADERS_FILE})


def machine_outputs(plan: SitePlan, static: StaticFiles, endpoint: str, previous: PreviousBuild, sink: Sink, bar: ProgressBar,
                    later: bool = False) -> Rendered:
    """Every machine-readable output, each fingerprinted like a page and made only if its fingerprint changed.

    ``endpoint`` is where comment forms post, for the policy in _headers. A robots.txt, _headers or
    _redirects in static/ replaces the generated one. With ``later`` (serve, to show an edit at
    once), the feeds, the sitemap, the open data and _redirects are left as the last build wrote
    them, if it did, as ``render_pages`` leaves list pages.
    """
    site, memo, entries = plan.site, {}, {}  # entries: each post's feed entry, written once for all its feeds
    every = fingerprints.every_page(plan.shared, plan.listing, plan.jobs)
    outputs = [(path, fingerprints.feed(site, plan.shared, path, ref, memo), partial(render_feed, site, path, ref, entries))
               for path, ref in feed_paths(site)]
    outputs += [
        ("sitemap.xml", every, partial(render_sitemap, site, plan.jobs)),
        ("robots.txt", plan.shared, partial(render_robots, site)),
        (HEADERS_FILE, plan.shared, partial(render_headers, site, content_security_policy(endpoint))),  # the policy follows the endpoint, in ``shared``
        ("besok.json", every, partial(render_json, site)),
        ("besok.csv", every, partial(render_csv, site)),
        (COMMENT_TARGETS, every, partial(render_comment_targets, site)),
        (REDIRECTS_FILE, every, partial(render_redirects, site, plan.jobs)),  # ``every`` holds the old paths and the new
    ]
    outputs = [(file, fp, make) for file, fp, make in outputs if not (file in OVERRIDABLE and file in static.files)]
    made = {file: fingerprint for file, fingerprint, _ in outputs}
    kept = previous.reusable(made)
    left = previous.on_disk(f for f in made if f not in kept and f not in NEVER_LATER) if later else frozenset()
    files = {file: REUSE if file in kept or file in left else make for file, _, make in outputs}  # made as each is put
    return Rendered(put_all(sink, files, made, bar), tuple(sorted(left)))


def comment_targets(site: Site) -> dict[str, tuple[str, bool]]:
    """Post key -> (URL path, comments open): what the comment receiver accepts."""
    return {p.key: (site.urls.href(p.url), p.comments_open) for p in site.posts}


def render_comment_targets(site: Site) -> bytes:
    targets = {key: {"url": url, "open": is_open} for key, (url, is_open) in comment_targets(site).items()}
    return (json.dumps(targets, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
