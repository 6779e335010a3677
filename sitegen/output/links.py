"""Checking that every internal link and #anchor in the rendered site resolves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.errors import SourceError
from sitegen.site.index import Site


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif (name == "href" and tag in ("a", "link", "area")) or (name == "src" and tag in ("img", "script", "source")):
                self.links.append(value)


def scan(html: str) -> tuple[set[str], list[str]]:
    """Ids defined in a page and link targets it uses."""
    c = _Collector()
    c.feed(html)
    c.close()
    return c.ids, c.links


def check_links(
    pages: Mapping[str, str],
    files: set[str],
    base_url: str,
    owners: Mapping[str, tuple[str, tuple[tuple[str, int], ...]]],
) -> list[SourceError]:
    """Problems with internal links; ``pages`` maps output file -> HTML, ``files`` is every output file.

    ``owners`` maps a page's output file to its source and the (href, line) pairs written in it,
    so a broken link written by a writer is reported at its line in the post.
    """
    base = urlsplit(base_url)
    scanned = {f: scan(html) for f, html in pages.items()}
    errors: list[SourceError] = []
    from_templates: dict[str, list[str]] = {}
    for file, (_, links) in sorted(scanned.items()):
        page_url = base_url + (file.removesuffix("index.html"))
        for href in dict.fromkeys(links):
            target = urlsplit(urljoin(page_url, href))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            if not target.path.startswith(base.path):
                problem = f"link '{href}' points outside the site's base path {base.path}"
            else:
                rel = unquote(target.path[len(base.path) :])
                resolved = rel + "index.html" if rel == "" or rel.endswith("/") else rel
                if resolved not in files and rel + "/index.html" in files:
                    resolved = rel + "/index.html"
                if resolved not in files:
                    problem = f"broken link '{href}': no page at /{rel}"
                elif target.fragment and resolved in scanned and unquote(target.fragment) not in scanned[resolved][0]:
                    problem = f"broken link '{href}': no id '{target.fragment}' on /{rel}"
                else:
                    continue
            source, written = owners.get(file, ("", ()))
            line = next((ln for h, ln in written if _same_target(h, href, base.path)), None)
            if line is not None:
                errors.append(SourceError(source, line, problem))
            else:
                from_templates.setdefault(problem, []).append(file)
    for problem, files_with in from_templates.items():
        where = f"/{files_with[0]}" + (f" and {len(files_with) - 1} more pages" if len(files_with) > 1 else "")
        errors.append(SourceError("templates", 0, f"{problem}, on {where}"))
    return errors


def _same_target(written: str, href: str, base_path: str) -> bool:
    """A link as the writer wrote it may be rendered under the base path ('/kommun/' -> '/aterbesok/kommun/')."""
    return written == href or (written.startswith("/") and not written.startswith("//") and href == base_path + written[1:])


def link_checker(site: Site) -> Callable[[Mapping[str, str], set[str]], list[SourceError]]:
    """``check_links`` for this site: a broken link a writer wrote is reported at its line in the post or page."""
    owners = {doc.url + "index.html": (doc.source, doc.links) for doc in (*site.posts, *site.pages)}
    return partial(check_links, base_url=site.config.base_url, owners=owners)
