"""What each output is made from, as a fingerprint: equal fingerprints mean equal bytes.

Every fingerprint of the build is made here, from data the stages pass in: the keys of the
caches, each source's metadata, each page, feed and search shard, and the compiled templates.
Stages ask this module and return what it said in their records; nothing else hashes inputs.
At run time it imports only ``kinds`` (and the other stages' types), so every stage may use it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.kinds import PageKind

if TYPE_CHECKING:
    import jinja2

    from sitegen.content.documents import Page, Post
    from sitegen.site.coverage import CountyCoverage
    from sitegen.site.index import Site
    from sitegen.site.plan import PageJob

FORMAT = 19  # bump whenever a cached type (Post, Page, Site, PageJob, the cache's records) changes shape
# the libraries whose output ends up in the site
LIBRARIES = ("jinja2", "markdown_it", "mdit_py_plugins", "yaml", "babel", "slugify", "nh3", "PIL")
# Pillow's compiled parts, which hold the codecs (libjpeg, libwebp, zlib, littlecms) its files are encoded with
IMAGE_LIBRARIES = ("PIL", "PIL._imaging", "PIL._webp", "PIL._imagingcms")


def digest(*parts: Any) -> str:
    """A short stable hash of the parts' repr; inputs are plain data, so their repr is stable."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def bytes_digest(*chunks: bytes) -> str:
    """A hash of a file's bytes (config.yaml, the registry, a source and its assets, each chunk kept apart)."""
    h = hashlib.blake2b(digest_size=16)
    for chunk in chunks:
        h.update(len(chunk).to_bytes(8, "big"))
        h.update(chunk)
    return h.hexdigest()


def tree_digest(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """Hash of the path and bytes of every file under ``folder`` (only those ending in ``suffixes``, if given).

    With os.walk, leaving out __pycache__: pathlib's rglob took a tenth of a rebuild for sitegen's own code.
    """
    found: list[tuple[str, str]] = []
    for parent, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if suffixes is None or name.endswith(suffixes):
                path = os.path.join(parent, name)
                found.append((os.path.relpath(path, folder).replace(os.sep, "/"), path))
    h = hashlib.blake2b(digest_size=16)
    for rel, path in sorted(found):
        with open(path, "rb") as f:
            h.update(rel.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()


@functools.cache
def generator_digest() -> str:
    """Hash of sitegen's own code and data and of the versions of the libraries it renders with.

    Its version number is not enough: a checkout that pulls new sitegen code keeps the number.
    Reading the package takes about a millisecond.
    """
    return digest(code_digest(Path(__file__).parents[1]), installed(LIBRARIES))


def installed(modules: Iterable[str]) -> list[tuple[str, str, int, int]]:
    """Each module's file with its size and modification time: a new version, or any reinstall, changes them.

    Found without importing the modules (a rebuild imports only what it uses) and without reading
    package metadata, which costs a twelfth of a rebuild.
    """
    found = []
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else ""
        st = os.stat(origin) if origin else None
        found.append((name, origin, st.st_size if st else 0, st.st_mtime_ns if st else 0))
    return found


def code_digest(package: Path) -> str:
    """Hash of every code and data file of a package (its .py, .js and .csv files)."""
    return tree_digest(package, (".py", ".js", ".csv"))


def cache_key(*settings: Any) -> str:
    """Key of anything cached: the cache's format, the generator and ``settings``."""
    return digest(FORMAT, generator_digest(), *settings)


# ---------------------------------------------------------------------------
# Settings and sources


def build_inputs(settings_key: str, templates: Path, assets: Mapping[str, str], endpoint: str, drafts: bool, out: Path) -> str:
    """What every output of one build shares: the settings, the templates, the hashed names of the assets they
    link to (an edit of style.css changes every page), and the command line."""
    return cache_key(settings_key, tree_digest(templates), sorted(assets.items()), endpoint, drafts, str(out))


def post_metadata(key: str, rel: str, meta: object, url: str, summary: str, assets: tuple[str, ...]) -> str:
    """Everything of a post but its body: what lists, indexes and open data show of it."""
    return digest(key, rel, meta, url, summary, assets)


def structure(inputs: str, posts: Iterable[Post], pages: Iterable[Page], comments: Mapping[str, tuple],
              scheduled: frozenset[str] = frozenset()) -> str:
    """What the index and the plan of pages are made from: when it is unchanged, both are reused."""
    return digest(inputs, [(p.key, p.meta_digest) for p in posts], [(p.key, p.digest) for p in pages], sorted(comments.items()),
                  sorted(scheduled))


def compiled_templates(env: jinja2.Environment) -> str:
    """What a compiled template is made from besides its source, which Jinja checks itself.

    Jinja runs a filter or test whose arguments are constants while compiling and keeps the
    result in the code: ``{{ 'feed.xml'|url }}`` compiles to '/aterbesok/feed.xml'. So the key
    names every filter and test with the object it is bound to (the URL scheme and base URL).
    """
    import jinja2

    bound = [(kind, name, getattr(f, "__qualname__", repr(f)), repr(getattr(f, "__self__", None)))
             for kind, table in (("filter", env.filters), ("test", env.tests)) for name, f in sorted(table.items())]
    return cache_key(jinja2.__version__, bound)


# ---------------------------------------------------------------------------
# Pages


def shared(inputs: str, site: Site) -> str:
    """Inputs every page shares: settings, templates, and the standalone pages in the footer."""
    return digest(inputs, [(p.key, p.meta.title, p.url) for p in site.pages])


def listing(site: Site) -> str:
    """One fingerprint of every post's metadata, for outputs that list them all (sitemap, open data, sections)."""
    return digest([(p.key, p.meta_digest, p.url) for p in site.posts])


def _posts(site: Site, keys, bodies: bool = False) -> list:
    """What a list of posts shows: their metadata, and their bodies only where ``bodies`` (feeds).

    A post's ``meta_digest`` covers its key and URL, so a list names each post by it alone: a
    third of the text to hash of a tuple of all three. A body's digest is of the bytes only.
    """
    by_key = site.by_key
    if bodies:
        return [(k, (p := by_key[k]).digest, p.url) for k in keys]
    return [by_key[k].meta_digest for k in keys]


def _neighbour(site: Site, key: str | None) -> str | None:
    return None if key is None else site.by_key[key].meta_digest


@dataclass(frozen=True, slots=True)
class PageInputs:
    """What the fingerprints of one build's pages are made from besides the page itself."""

    site: Site
    comments: Mapping[str, tuple]  # post key -> its approved comments
    shared: str  # ``shared()``
    listing: str  # ``listing()``
    search_shards: int  # how many shards the search index has: the search page merges them
    places: Mapping[str, str]  # county code -> digest of what its and its municipalities' pages show of it (``_place``)
    map: str  # digest of the map of every county (``_map``)


def page_inputs(site: Site, comments: Mapping[str, tuple], shared_key: str, listing_key: str, search_shards: int) -> PageInputs:
    """``PageInputs``, with the digests many pages share made once: a county's is on every page of its municipalities."""
    places = {c.county.code: digest(_place(c)) for c in site.coverage}
    return PageInputs(site, comments, shared_key, listing_key, search_shards, places, digest(_map(site)))


def _post_page(job: PageJob, i: PageInputs) -> str:
    site = i.site
    post = site.by_key[job.ref[0]]
    # of the post's terms, only a tag's name can change with other posts (the oldest spelling wins): the others'
    # names and addresses follow from its front matter, which post.digest covers, and the settings in i.shared
    tags = [t.name for t in site.post_terms(post, "tag")]
    related = _posts(site, site.related[post.key])  # the template may show any of their metadata
    more = [(term.id, _posts(site, keys)) for term, keys in site.more_in(post)]  # "Fler besök i Borås"
    return digest(i.shared, job, post.digest, post.url, post.key in site.scheduled, tags, related, more,
                  _neighbour(site, site.older[post.key]), _neighbour(site, site.newer[post.key]),
                  i.comments.get(post.key, ()))


def _comments_page(job: PageJob, i: PageInputs) -> str:
    """A post's comments after its first page: their page, the post's title and address, and every comment (replies link across)."""
    post = i.site.by_key[job.ref[0]]
    return digest(i.shared, job, post.meta.title, post.url, post.meta.comments, i.comments.get(post.key, ()))


def _list_page(job: PageJob, i: PageInputs, keys: tuple[str, ...], head: tuple) -> str:
    per_page = i.site.config.per_page
    start = (job.number - 1) * per_page
    shown = keys[start : start + per_page]
    return digest(i.shared, job, head, len(keys), _posts(i.site, shown), [len(i.comments.get(k, ())) for k in shown])


def _map(site: Site) -> tuple:
    """What the map of coverage shows: each county's link and how many of its municipalities are visited."""
    return tuple((c.county.code, c.term_url, c.visited) for c in site.coverage)


def _home_page(job: PageJob, i: PageInputs) -> str:
    return _list_page(job, i, i.site.post_keys, (i.map,) if job.number == 1 else ())  # the map is on page 1


def _place(place: CountyCoverage) -> tuple:
    """A county's municipalities and their visits, by code: the registry that names them is in the cache key.

    Plain tuples: the repr of the dataclasses was half the time of fingerprinting every page.
    """
    return (place.county.code, place.term_url, place.visits,
            tuple((m.municipality.code, m.term_url, m.visits, m.years) for m in place.municipalities))


def _term_page(job: PageJob, i: PageInputs) -> str:
    term = i.site.term(*job.ref)
    county = i.site.county_code_of(term)  # a municipality's or county's page shows its county's municipalities and their visits
    place = None if county is None else i.places[county]
    shown_map = i.map if term.kind == "county" and job.number == 1 else ()  # with the map of every county
    return _list_page(job, i, term.post_keys, (term.name, term.url, term.description, place, shown_map))


def _standalone_page(job: PageJob, i: PageInputs) -> str:
    return digest(i.shared, job, i.site.page(job.ref[0]).digest)


def _section_page(job: PageJob, i: PageInputs) -> str:
    return digest(i.shared, job, i.listing)


def _search_page(job: PageJob, i: PageInputs) -> str:
    return digest(i.shared, job, i.search_shards, i.site.visited_places())  # a municipality narrows the counties


def _fixed_page(job: PageJob, i: PageInputs) -> str:
    return digest(i.shared, job)


def _redirect_page(job: PageJob, i: PageInputs) -> str:
    target = i.site.document(*job.ref)
    return digest(i.shared, job, target.meta.title, target.url)


PAGE_FINGERPRINTS: Mapping[PageKind, Callable[[PageJob, PageInputs], str]] = {
    PageKind.HOME: _home_page,
    PageKind.POST: _post_page,
    PageKind.PAGE: _standalone_page,
    PageKind.SECTION: _section_page,
    PageKind.TERM: _term_page,
    PageKind.SEARCH: _search_page,
    PageKind.SUBSCRIBE: _section_page,  # every feed: one per term, which the listing of every post decides
    PageKind.NOT_FOUND: _fixed_page,
    PageKind.REDIRECT: _redirect_page,
    PageKind.ANSWER: _fixed_page,
    PageKind.COMMENTS: _comments_page,
}


def pages(jobs: Iterable[PageJob], inputs: PageInputs) -> dict[str, str]:
    """Output file -> fingerprint of every planned page."""
    return {job.file: PAGE_FINGERPRINTS[job.kind](job, inputs) for job in jobs}


def post_pages(known: Mapping[str, str], jobs: Iterable[PageJob], inputs: PageInputs, changed: set[str]) -> dict[str, str]:
    """``known`` with the pages of the ``changed`` posts fingerprinted again: only a post's own page shows its body."""
    out = dict(known)
    for job in jobs:
        if job.kind is PageKind.POST and job.ref[0] in changed:
            out[job.file] = _post_page(job, inputs)
    return out


# ---------------------------------------------------------------------------
# Feeds, sitemap, open data, search


def feed(site: Site, shared_key: str, path: str, ref: tuple, memo: dict[str, tuple]) -> str:
    """Everything that can change one feed; ``memo`` keeps each post's tag names across the feeds of a build.

    An entry shows its post (its source's digest covers the front matter) and its categories. Of
    those, the municipality, county and plan-area slugs and names follow from the post and the
    settings in ``shared``; only a tag's name can change with other posts (the oldest spelling wins).
    """
    keys = site.term(*ref).post_keys if ref else site.post_keys
    head = (site.term(*ref).name, site.term(*ref).url) if ref else ()
    entries = keys[: site.config.feed_entries]
    for k in entries:
        if k not in memo:
            memo[k] = tuple(t.name for t in site.post_terms(site.by_key[k], "tag"))
    return digest(shared_key, path, head, _posts(site, entries, bodies=True), [memo[k] for k in entries])


def every_page(shared_key: str, listing_key: str, jobs: Iterable[PageJob]) -> str:
    """What the outputs that list every page or post are made from (sitemap, open data, comment targets)."""
    return digest(shared_key, listing_key, [j.path for j in jobs])


def image(content: str, widths: tuple[int, ...], formats: tuple[str, ...], quality: int) -> str:
    """The files made from one image: its bytes, the widths and formats, the quality, and the code and
    libraries that make them. Not the rest of sitegen: a new version does not mean processing every photo again."""
    return digest("image", content, widths, formats, quality, _image_code())


@functools.cache
def _image_code() -> str:
    package = Path(__file__).parent
    code = [tree_digest(package / "images", (".py",)), bytes_digest((package / "content" / "pictures.py").read_bytes())]
    return digest(code, installed(IMAGE_LIBRARIES))


def search_shard(search_key: str, folder: str, shard: int, root: bool, texts: list[tuple[str, str]]) -> str:
    """One search shard: Pagefind and the site's path (``search_key``), its place, and the text digest of each page."""
    return digest(search_key, folder, shard, root, texts)
