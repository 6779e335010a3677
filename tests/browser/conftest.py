"""Shared fixtures for the browser suite: two built sites served under sub-paths, one Chromium.

- ``sample``: the repository's own posts and pages, built with
  ``--base-url http://127.0.0.1:PORT/aterbesok/``.
- ``big``: ~40 generated posts (Habo and Håbo, a county-only visit, several municipalities per
  post, tables, footnotes, lists, quotes, an image in a folder post, a draft, long titles, an
  approved comment, closed comments), built with ``--drafts`` under ``/stor/``, so pagination and
  every page kind occur.

Both are served by one ``ThreadingHTTPServer`` on 127.0.0.1 that maps each sub-path to its output
folder, as a static host would. Chromium is Debian's (/usr/bin/chromium) driven by Playwright;
never ``playwright install``. Every request any page makes is recorded, and requests that would
leave 127.0.0.1 are aborted, so a test can prove the site makes no third-party requests.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import yaml
from sitetools import assert_xml_well_formed, copy_sample_site

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLE_PREFIX = "/aterbesok/"
BIG_PREFIX = "/stor/"


# ---------------------------------------------------------------------------
# The generated site


MUNICIPALITIES = [
    "Borås", "Finspång", "Östersund", "Lycksele", "Umeå", "Malmö", "Göteborg", "Kiruna",
    "Gotland", "Örebro", "Åre", "Älmhult", "Norrköping", "Uppsala", "Västerås", "Falun",
]  # fmt: skip
PLAN_AREAS = [
    "Helhetssyn", "Förutsättningar", "Medskapande", "Frigöra och utveckla", "Samverkan", "Barns miljö",
    "Barns inflytande och delaktighet", "Barns skolgång", "Barns hälsa", "Kvalitet i arbetet",
]  # fmt: skip
TAGS = ["SiSam", "skolfrånvaro", "Skolfam", "placerade barn", "familjehem", "BBIC", "tillitsbaserad styrning", "IVO"]
LONG_TITLE = (
    "Ett mycket långt återbesök om barn- och ungdomspsykiatrins samverkansöverenskommelser, "
    "socialtjänstlagstiftningsförändringsarbetet och placerade barns skolgång i flera kommuner samtidigt"
)
BIG_TITLES = {
    "habo": "Återbesök i Habo",
    "habo-uppsala": "Återbesök i Håbo",
    "lanet": "Hela Västerbottens län samlades i Umeå",
    "bildbesok": "Ett besök med bilder från Falun",
    "lang-rubrik": LONG_TITLE,
    "utkast": "Ett utkast som inte är klart",
    "familjehem": "Familjehemmen i Borås behöver mer stöd",
}


def _body(i: int) -> str:
    """A varied Markdown body: headings, lists, a table, a quote, footnotes, links."""
    parts = [
        (
            f"Vid återbesök nummer {i} träffade vi socialtjänsten, skolan och hälso- och sjukvården. "
            "Samtalet handlade om hur placerade barn får stöd i skolan och om samverkan mellan verksamheterna."
        ),
        "",
        "## Vad vi pratade om",
        "",
        "- Samverkan kring barn i familjehem",
        "- Skolgång och frånvaro, med *tidiga* insatser och **tydliga** rutiner",
        "  - en underpunkt om uppföljning",
        "- Barns hälsa och tandvård",
        "",
        "1. Kartläggning",
        "2. Plan för handling",
        "3. Uppföljning",
        "",
    ]
    if i % 4 == 0:
        parts += [
            "### En tabell",
            "",
            "| Verksamhet | Antal deltagare | Kommentar om deltagandet och vad som diskuterades |",
            "|:---|---:|:---:|",  # aligned columns arrive as classes, so the CSP is never tripped
            "| Socialtjänst | 12 | Många frågor om dokumentation enligt BBIC och om uppföljning av placeringar |",
            "| Skola | 7 | Elevhälsan deltog för första gången |",
            "| Region | 3 | BUP och primärvården |",
            "",
        ]
    if i % 5 == 0:
        parts += [
            "> Vi måste skriva för dem vi är till för, inte för arkivet.",
            ">",
            "> — en socialsekreterare",
            "",
        ]
    if i % 3 == 0:
        parts += [
            "Inspektionen för vård och omsorg[^ivo] deltog, liksom Skolverket.[^sv]",
            "",
            "[^ivo]: IVO har tillsyn över socialtjänsten.",
            "[^sv]: Skolverket deltog via länk.",
            "",
        ]
    parts += [
        "## Vidare",
        "",
        (
            "Läs mer i [Socialstyrelsens vägledning](https://www.socialstyrelsen.se/) och i "
            "[bloggens tillgänglighetsredogörelse](/tillganglighetsredogorelse/). Ett långt ord som måste kunna brytas: "
            "barnochungdomspsykiatrisamverkansöverenskommelseuppföljningsdokumentationen."
        ),
        "",
    ]
    return "\n".join(parts)


def _front(**values: object) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def generate_big_site(root: Path) -> dict[str, str]:
    """Write ~40 posts into ``root`` (a copy of the repo's config, templates, static and pages).

    Returns the slug of each special post by role, for the tests to find them.
    """
    from imagetools import write_picture
    from PIL import Image

    from sitegen.comments import store

    for name in ("templates", "static", "pages"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "config.yaml", root / "config.yaml")
    posts = root / "posts"
    posts.mkdir()
    start = date(2015, 1, 12)
    roles: dict[str, str] = {}
    for i in range(40):
        day = start + timedelta(days=41 * i)
        front: dict[str, object] = {}
        slug = f"besok-{i:02d}"
        title = f"Återbesök nummer {i} i {MUNICIPALITIES[i % len(MUNICIPALITIES)]}"
        municipality: object = "Borås" if i % 3 == 0 else MUNICIPALITIES[i % len(MUNICIPALITIES)]
        if i % 3 == 0:
            title = f"Återbesök nummer {i} i Borås"
        county = None
        for role, index in (("habo", 5), ("habo-uppsala", 7), ("lanet", 8), ("bildbesok", 10),
                            ("lang-rubrik", 11), ("utkast", 39), ("familjehem", 13)):  # fmt: skip
            if i == index:
                slug, title = role, BIG_TITLES[role]
                roles[role] = slug
        if i == 5:
            municipality = "Habo"
        elif i == 7:
            municipality = "Håbo kommun"
        elif i == 8:
            municipality, county = None, "Västerbottens län"
        elif i == 10:
            municipality = "Falu kommun"
        elif i == 11:
            municipality = [MUNICIPALITIES[1], MUNICIPALITIES[12], "Linköping"]
        elif i == 13:
            municipality = "Borås"
        elif i == 14:
            municipality = ["Umeå", "Lycksele"]
        front["title"] = title
        front["date"] = f"{day.isoformat()}T10:15:00" if i % 2 else day
        if municipality is not None:
            front["municipality"] = municipality
        if county is not None:
            front["county"] = county
        front["plan_areas"] = [PLAN_AREAS[(i + k) % len(PLAN_AREAS)] for k in range(1 + i % 3)]
        tags = [TAGS[(i + k) % len(TAGS)] for k in range(i % 4)]
        if i == 30:
            tags.append("skolfam")  # same tag as 'Skolfam', spelt differently
        if tags:
            front["tags"] = tags
        front["slug"] = slug
        front["summary"] = (
            f"Sammanfattning av besök {i}: samverkan, skolgång och familjehem, "
            "med en mening som är så lång att den behöver kortas till två rader i listorna på webbplatsen."
        )
        if i == 39:
            front["draft"] = True
        if i == 20:
            front["comments"] = False
        body = _body(i)
        if i == 13:
            body = "Familjehemmen i Borås behöver mer stöd och handledning, berättade socialtjänsten.\n\n" + body
        if i == 10:
            folder = posts / f"{day.isoformat()}-{slug}"
            folder.mkdir()
            # a phone's photo: large, stored on its side, with a GPS position; and a small GIF in a line of text
            write_picture(folder / "bild.jpg", (2400, 1800), orientation=6)
            Image.new("P", (24, 24), 1).save(folder / "sol.gif")
            body = ('![Deltagarna samlade kring ett bord i Falun](bild.jpg "Samtalet i Falun")\n\n'
                    "En sol ![Sol](sol.gif) mitt i en rad.\n\n") + body
            (folder / "index.md").write_text(_front(**front) + body, encoding="utf-8")
        else:
            (posts / f"{day.isoformat()}-{slug}.md").write_text(_front(**front) + body, encoding="utf-8")
    # One approved comment, with the HTML the form allows.
    key = f"{(start + timedelta(days=41 * 3)).isoformat()}-besok-03"
    comment = store.Comment(
        id="20200101T120000000000Z-0123456789abcdef",
        post=key,
        name="Anna Andersson",
        email="anna@example.org",
        website="https://example.org/anna",
        date=datetime(2020, 1, 1, 12, 0, tzinfo=UTC),
        text='Tack för ett <em>bra</em> besök!\n\n<blockquote cite="https://example.org/">Ett citat.</blockquote>\n'
        '<a href="https://example.org/mer">Läs mer</a>',
    )
    folder = root / "comments" / key
    folder.mkdir(parents=True)
    (folder / f"{comment.id}.yaml").write_text(store.dump(comment), encoding="utf-8")
    roles["commented"] = "besok-03"
    # A post with more approved comments than a page shows (comments.per_page, 50): the rest on a page of their own,
    # the last of them answering the first
    key = f"{(start + timedelta(days=41 * 4)).isoformat()}-besok-04"
    folder = root / "comments" / key
    folder.mkdir(parents=True)
    first = ""
    for n in range(55):
        when = datetime(2020, 2, 1, 8, 0, tzinfo=UTC) + timedelta(hours=n)
        c = store.Comment(id=f"{when:%Y%m%dT%H%M%S}000000Z-{n:016x}", post=key, name=f"Läsare {n + 1}", email="", website="",
                          date=when, text=f"Kommentar nummer {n + 1} om besöket.", parent=first if n == 54 else "")
        first = first or c.id
        (folder / f"{c.id}.yaml").write_text(store.dump(c), encoding="utf-8")
    roles["many-comments"] = "besok-04"
    return roles


def build_site(root: Path, out: Path, base_url: str, *extra: str) -> Path:
    from sitegen import cli

    cwd = os.getcwd()
    os.chdir(root)
    try:
        code = cli.main(["build", "--output", str(out), "--base-url", base_url, *extra])
    finally:
        os.chdir(cwd)
    assert code == 0, f"build of {root} failed with exit code {code}"
    assert_xml_well_formed(out)
    return out


# ---------------------------------------------------------------------------
# Serving


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves each mounted folder under its URL prefix; everything else is 404."""

    mounts: ClassVar[dict[str, Path]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path("/" + path[len(prefix) :])
        return "/nonexistent/sitegen-browser-tests"  # 404

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@dataclass
class Served:
    """A built site and where it is served."""

    out: Path
    base: str  # absolute URL of the site root, ends in '/'
    roles: dict[str, str] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        """URL of a site path; '@slug' is the post with that slug, wherever its date puts it."""
        if path.startswith("@"):  # '@slug/sida/2/': a page under it
            slug, _, rest = path[1:].partition("/")
            path = self.post_path(slug) + rest
        return self.base + path.lstrip("/")

    def post_path(self, slug: str) -> str:
        found = sorted(self.out.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{slug}/index.html"))
        assert len(found) == 1, f"no single post {slug!r} in {self.out}: {found}"
        return found[0].parent.relative_to(self.out).as_posix() + "/"

    def html_files(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))


@dataclass
class Sites:
    origin: str
    sample: Served
    big: Served
    mounts: dict[str, Path]  # URL prefix -> folder served there; a test module may mount a site of its own


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    handler = type("Handler", (_Handler,), {"mounts": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port, known before the builds
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tmp_path_factory.mktemp("browser")
    sample_root, big_root = tmp / "sample", tmp / "big"
    sample_root.mkdir()
    big_root.mkdir()
    copy_sample_site(sample_root)
    roles = generate_big_site(big_root)
    sample = Served(build_site(sample_root, tmp / "sample-out", origin + SAMPLE_PREFIX), origin + SAMPLE_PREFIX)
    big = Served(build_site(big_root, tmp / "big-out", origin + BIG_PREFIX, "--drafts"), origin + BIG_PREFIX, roles)
    handler.mounts.update({SAMPLE_PREFIX: sample.out, BIG_PREFIX: big.out})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Sites(origin, sample, big, handler.mounts)
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser(sites: Sites):  # the sites are built before Playwright's loop starts
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver (never 'playwright install')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Recorder:
    """Every request, console error and page error of one browser context."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.requests.clear()
        self.foreign.clear()
        self.console_errors.clear()

    def local(self, url: str) -> bool:
        return url.startswith((self.origin + "/", "data:", "blob:"))


def new_context(browser, sites: Sites, **options):
    """A fresh context that records every request and aborts any that would leave 127.0.0.1."""
    context = browser.new_context(**options)
    rec = Recorder(sites.origin)

    def on_request(request) -> None:
        rec.requests.append(request.url)
        if not rec.local(request.url):
            rec.foreign.append(request.url)

    def route(r) -> None:
        if rec.local(r.request.url):
            r.continue_()
        else:
            r.abort()

    context.on("request", on_request)
    context.route("**/*", route)
    context.on(
        "console", lambda m: rec.console_errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None
    )
    context.on("weberror", lambda e: rec.console_errors.append(f"{e.error} ({e.page.url if e.page else ''})\n{e.error.stack}"))
    return context, rec


@pytest.fixture(scope="session")
def contexts(browser, sites: Sites):
    """Browser contexts shared by the session, one per set of options (scheme, viewport, JavaScript)."""
    made: dict[str, tuple] = {}
    yield made
    for context, _ in made.values():
        context.close()


@pytest.fixture
def new_page(contexts, browser, sites: Sites):
    """Factory: a fresh page (``new_page(color_scheme="dark", viewport=...)``) in a context with those options.

    After the test, no request of any of its pages may have left 127.0.0.1 and no console error
    (a CSP violation, a failed load, a script error) may have occurred.
    """
    used: list[tuple] = []
    pages = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        key = repr(sorted(options.items()))
        if key not in contexts:
            contexts[key] = new_context(browser, sites, **options)
        context, rec = contexts[key]
        if all(rec is not r for _, r in used):
            rec.clear()
            used.append((context, rec))
        pages.append(context.new_page())
        return pages[-1]

    yield make
    # What happened during the test (closing a page can cut off a load in flight).
    foreign = [url for _, rec in used for url in rec.foreign]
    errors = [text for _, rec in used for text in rec.console_errors]
    for p in pages:
        p.close()
    assert foreign == [], f"requests left 127.0.0.1: {foreign}"
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def page(new_page):
    """A 1280 px page, light scheme; see ``new_page`` for what is checked afterwards."""
    return new_page()


# Every page kind, in each site: (id, site attribute, path). The big site's paths come from
# generate_big_site; the sample's from the repository's posts.
PAGE_KINDS = [
    ("home", "sample", ""),
    ("post", "sample", "2017/03/aterbesok-i-finspang/"),
    ("post-with-a-drawing", "sample", "2017/02/fokus-pa-medskapande-i-boras/"),
    ("page", "sample", "om-bloggen/"),
    ("personal-data", "sample", "personuppgifter/"),
    ("accessibility-statement", "sample", "tillganglighetsredogorelse/"),
    ("subscribe", "sample", "prenumerera/"),
    ("municipalities", "sample", "kommun/"),
    ("municipality", "sample", "kommun/finspang/"),
    ("counties", "sample", "lan/"),
    ("county", "sample", "lan/ostergotland/"),
    ("plan-areas", "sample", "tema/"),
    ("plan-area", "sample", "tema/samverkan/"),
    ("tags", "sample", "tagg/"),
    ("tag", "sample", "tagg/sisam/"),
    ("archive", "sample", "arkiv/"),
    ("year", "sample", "arkiv/2017/"),
    ("search", "sample", "sok/"),
    ("search-results", "sample", "sok/?q=skolg%C3%A5ng&kommun=Finsp%C3%A5ng"),
    ("404", "sample", "404.html"),
    ("home-page-2", "big", "sida/2/"),
    ("term-page-2", "big", "kommun/boras/sida/2/"),
    ("post-table-footnotes-comment", "big", "@besok-03"),
    ("post-image-folder", "big", "@bildbesok"),
    ("post-long-title", "big", "@lang-rubrik"),
    ("post-draft", "big", "@utkast"),
    ("post-comments-closed", "big", "@besok-20"),
    ("comments-page-2", "big", "@besok-04/sida/2/"),
    ("county-only", "big", "lan/vasterbotten/"),
    ("habo", "big", "kommun/habo-jonkoping/"),
]


def open_kind(page, sites: Sites, site: str, path: str) -> None:
    """Load one page kind and wait until it is ready (the search page: its script has run)."""
    page.goto(getattr(sites, site).url(path))
    if path.startswith("sok/"):
        page.wait_for_selector("#sok form:not([hidden])")
        if "?q=" in path:
            page.wait_for_selector("#sok-traffar li")


def tab_to(page, predicate: str, limit: int = 300) -> int:
    """Press Tab until ``predicate`` (a JS expression over ``el``, the focused element) holds; the count."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && ({predicate})); }})()"):
            return n
    raise AssertionError(f"{limit} Tabs never reached an element where {predicate}")
