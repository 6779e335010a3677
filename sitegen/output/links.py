"""Checking that internal links and #anchors resolve.

Every build checks the links writers wrote in posts and pages (``written_link_problems``): a
broken one stops the build at its line. ``check`` also checks every link the templates made
(``template_link_problems``), over every page it rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.errors import SourceError, closest, on_pages
from sitegen.messages import _
from sitegen.output.staging import Sink
from sitegen.site.index import Site

IdsOf = Callable[[str], set[str]]  # output file -> the ids its HTML defines


class Written(Protocol):
    """A post or page: where its links were written and where it is published."""

    source: str  # the file, from the project root
    url: str  # the page's path under the site, '' or ending in '/'
    links: tuple[tuple[str, int], ...]  # (href as written, line in the source)


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


@dataclass(frozen=True)
class Resolver:
    """Where links of this site lead, and why one leads nowhere."""

    base_url: str  # the site's, ending in '/'
    files: Collection[str]  # every file of the output
    ids_of: IdsOf
    unsure: bool = False  # some sources had errors: a missing page may be one of theirs

    def problem(self, href: str, page_file: str, rendered: str | None = None) -> str | None:
        """Why ``href`` (written on ``page_file``, rendered as ``rendered``) leads nowhere; None if it works or is not ours."""
        base = urlsplit(self.base_url)
        target = urlsplit(urljoin(self.base_url + page_file.removesuffix("index.html"), rendered or href))
        if target.scheme not in ("http", "https") or target.netloc != base.netloc:
            return None
        if not target.path.startswith(base.path):
            return _("link '{href}' points outside the site's base path {base}; links to this site's pages start with '/', "
                     "e.g. '/kommun/'", href=href, base=base.path)
        rel = unquote(target.path[len(base.path):])
        resolved = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if resolved not in self.files and rel + "/index.html" in self.files:
            resolved = rel + "/index.html"
        if resolved not in self.files:
            return self._no_page(href, rel)
        fragment = unquote(target.fragment)
        if fragment and resolved.endswith(".html"):
            ids = self.ids_of(resolved)
            if fragment not in ids:
                near = sorted(i for i in ids if i.startswith(fragment))[:1] or closest(fragment, ids, n=1)  # '#skolgang' for a long heading
                if near:
                    return _("broken link '{href}': /{path} has no heading or anchor '#{fragment}'; did you mean '#{near}'?",
                             href=href, path=resolved.removesuffix("index.html"), fragment=fragment, near=near[0])
                return _("broken link '{href}': /{path} has no heading or anchor '#{fragment}'; a heading's anchor is its text "
                         "in small letters without accents, '-' for spaces: '## Skolgång i Borås' is '#skolgang-i-boras'",
                         href=href, path=resolved.removesuffix("index.html"), fragment=fragment)
        return None

    def _no_page(self, href: str, rel: str) -> str:
        if self.unsure:
            return _("broken link '{href}': there is no page /{path}, or it is made by a file with an error above",
                     href=href, path=rel)
        guesses = self._neighbours(rel)
        near = closest(_last(rel), guesses, n=1)
        if near:
            return _("broken link '{href}': there is no page or file /{path}; did you mean /{near}?", href=href, path=rel,
                     near=guesses[near[0]])
        return _("broken link '{href}': there is no page or file /{path}; check the address, or put the file in static/ "
                 "and link it as '/name'", href=href, path=rel)

    def _neighbours(self, rel: str) -> dict[str, str]:
        """What a mistyped ``rel`` may have meant, by last name: pages (or files) as deep in the same first folder."""
        pages = "." not in _last(rel)  # 'kommun/malmo' is a page too: it resolves to kommun/malmo/index.html
        folder, depth = rel.partition("/")[0], rel.strip("/").count("/")
        guesses: dict[str, str] = {}
        for f in self.files:
            path = f.removesuffix("index.html") if pages else f
            if f.endswith("index.html") == pages and path.partition("/")[0] == folder and path.strip("/").count("/") == depth:
                guesses.setdefault(_last(path), path)
        return guesses


def _last(path: str) -> str:
    """'kommun/malmö/' -> 'malmö'."""
    return path.rstrip("/").rpartition("/")[2]


def check_links(site: Site, files: Collection[str], sink: Sink, unsure: bool = False) -> list[SourceError]:
    """Every broken link of the build: writers' links always; on a dry run, which keeps every page, the templates' too."""
    ids: dict[str, set[str]] = {}

    def ids_of(file: str) -> set[str]:
        if file not in ids:
            ids[file] = scan(sink.html(file))[0]
        return ids[file]

    resolver = Resolver(site.config.base_url, frozenset(files), ids_of, unsure)
    docs = (*site.posts, *site.pages)
    problems = written_link_problems(docs, resolver)
    every = sink.pages()
    return problems if every is None else problems + template_link_problems(every, docs, resolver)


def written_link_problems(docs: Iterable[Written], resolver: Resolver) -> list[SourceError]:
    """Every link a writer wrote in these posts and pages that leads nowhere, at its line."""
    origin = _origin(resolver.base_url)
    base_path = urlsplit(resolver.base_url).path
    errors = []
    for doc in docs:
        file = doc.url + "index.html"
        for href, line in doc.links:
            if not _maybe_ours(href, origin):
                continue
            problem = resolver.problem(href, file, _rendered(href, base_path))
            if problem:
                errors.append(SourceError(doc.source, line, _beside(href, doc, resolver.files) or problem))
    return sorted(errors, key=lambda e: (e.path, e.line))


def _beside(href: str, doc: Written, files: Collection[str]) -> str | None:
    """Advice for a missing file the writer linked by its name alone ('rapport.pdf'): where to put it."""
    name, source = href.partition("#")[0].partition("?")[0], doc.source
    if "/" in name or "." not in name or doc.url + unquote(name) in files:  # there: the problem is another one
        return None
    if source.endswith("/index.md"):
        near = closest(name, [f[len(doc.url):] for f in files if f.startswith(doc.url) and "/" not in f[len(doc.url):]], n=1)
        if near:
            return _("the file '{name}' is not beside {source}; did you mean '{near}'?", name=name, source=source, near=near[0])
        return _("the file '{name}' is not beside {source}: put it in {folder}/", name=name, source=source,
                 folder=source.removesuffix("/index.md"))
    folder = source.removesuffix(".md")
    return _("the file '{name}' is not beside {source}: a post's own files go beside it in a folder; move {source} to "
             "{folder}/index.md and put {name} beside it", name=name, source=source, folder=folder)


def template_link_problems(pages: Mapping[str, str], docs: Iterable[Written], resolver: Resolver) -> list[SourceError]:
    """Broken links the templates made, once per problem with the pages it is on; writers' own links are left to
    ``written_link_problems``."""
    base_path = urlsplit(resolver.base_url).path
    written = {doc.url + "index.html": {_rendered(href, base_path) for href, _ in doc.links} for doc in docs}
    on: dict[str, list[str]] = {}
    for file in sorted(pages):
        own = written.get(file, set())
        for href in dict.fromkeys(scan(pages[file])[1]):
            if href in own:
                continue
            problem = resolver.problem(href, file)
            if problem:
                on.setdefault(problem, []).append(file)
    return [SourceError("templates", 0, on_pages(problem, files)) for problem, files in on.items()]


def _origin(base_url: str) -> tuple[str, ...]:
    """The prefixes of absolute links that can point into this site."""
    netloc = urlsplit(base_url).netloc
    return (f"http://{netloc}/", f"https://{netloc}/", f"//{netloc}/")


def _maybe_ours(href: str, origin: Iterable[str]) -> bool:
    """False for links that cannot be this site's (another host, mailto:, tel:): most links, decided without parsing."""
    if href.startswith(("http:", "https:", "//")):
        return href.startswith(tuple(origin))
    return ":" not in href.partition("/")[0].partition("#")[0].partition("?")[0]


def _rendered(href: str, base_path: str) -> str:
    """A link as the page has it: '/kommun/' is placed under the base path ('/aterbesok/kommun/')."""
    return base_path + href[1:] if href.startswith("/") and not href.startswith("//") else href
