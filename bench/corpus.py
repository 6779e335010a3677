"""Deterministic synthetic corpora for the benchmark: the same N visit posts as a sitegen project,
a Hugo site and a Pelican site.

Post ``i`` is drawn from its own ``random.Random(f"{seed}:{i}")``, so a corpus of 1,000 posts is
the first 1,000 posts of a corpus of 10,000, and the same seed always gives the same bytes.
Everything that differs between the three sites is the file format, never the content:
title, date, slug, author, municipalities, county, plan areas, tags, summary and body are
shared. ``bench/README.md`` says what each generator builds from them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from slugify import slugify

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `python bench/run.py` from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO))

from sitegen.content.registry import load_registry

HUGO_LAYOUTS = Path(__file__).resolve().parent / "hugo-layouts"
PROJECT_FILES = ("config.yaml",)
PROJECT_DIRS = ("templates", "static", "pages")
FIRST_DAY = date(2010, 1, 1)
LAST_DAY = date(2025, 12, 30)  # generated posts; an added post is dated the day after (both past: a later post waits for its date)
ADDED_DAY = LAST_DAY + timedelta(days=1)
SITE_URL = "https://aterbesok.example.org"

# --- word and sentence banks (Swedish, about social child and youth welfare) -----------------

SUBJECTS = (
    "socialtjänsten", "förvaltningen", "arbetsgruppen", "familjehemsenheten", "skolan", "elevhälsan",
    "barn- och ungdomsenheten", "ledningsgruppen", "socialnämnden", "projektgruppen", "handläggarna",
    "enhetschefen", "utvecklingsledaren", "regionen", "barnhälsovården", "familjehemssekreterarna",
    "vårdnadshavarna", "kommunens politiker", "FoU-miljön", "kuratorerna", "samordnaren", "teamet",
    "nätverket", "mottagningsgruppen", "öppenvården", "individ- och familjeomsorgen",
)
# (finite verb, rest of the verb phrase): lets a sentence start with an adverbial (V2 order)
VERBS = (
    ("har", "utvecklat"), ("arbetar", "med"), ("följer", "upp"), ("har", "kartlagt"), ("prioriterar", ""),
    ("lyfter", "fram"), ("har", "börjat pröva"), ("diskuterar", ""), ("dokumenterar", ""),
    ("har", "förbättrat"), ("ser", "över"), ("samordnar", ""), ("behöver", "stärka"), ("har", "infört"),
    ("utvärderar", ""), ("beskriver", ""), ("planerar", "för"), ("har", "tagit fram"), ("efterfrågar", ""),
    ("vill", "utveckla"), ("har", "förenklat"), ("granskar", ""), ("har", "fördjupat"), ("tar", "ansvar för"),
)
OBJECTS = (
    "rutinerna för uppföljning av placerade barn", "samarbetet med skolan", "barnsamtalen",
    "stödet till familjehemmen", "dokumentationen i barnavårdsärenden", "hälsoundersökningarna",
    "arbetet med skolfrånvaro", "utredningstiderna", "rekryteringen av familjehem",
    "introduktionen av nya socialsekreterare", "ärendehandledningen", "barnens delaktighet i vårdplaneringen",
    "överlämningarna mellan enheterna", "den samordnade individuella planen", "kontakten med ursprungsfamiljen",
    "tandvården för placerade barn", "de förebyggande insatserna", "nätverksmötena", "arbetssättet SiSam",
    "modellen Skolfam", "uppföljningen av vårdplanerna", "kompetensutvecklingen", "statistiken över placeringar",
    "handläggningen av orosanmälningar", "stödet efter avslutad placering",
    "samverkan med barn- och ungdomspsykiatrin", "det systematiska kvalitetsarbetet", "journalföringen",
    "brukarundersökningarna", "arbetet med barnkonventionen", "de gemensamma riktlinjerna",
    "mottagandet av ensamkommande barn", "läxhjälpen för placerade elever", "familjehemmens utbildning",
)
TAILS = (
    "under det senaste året", "tillsammans med skolan", "sedan förra besöket", "på ett mer strukturerat sätt",
    "med stöd av regionen", "i nära dialog med barnen", "inom ramen för handlingsplanen",
    "trots hög personalomsättning", "med gott resultat", "i flera steg", "för att ingen ska falla mellan stolarna",
    "utifrån barnets perspektiv", "i hela länet", "med hjälp av enkla mätningar", "inför nästa budgetår",
    "i mindre skala", "varje månad", "redan från start", "i samarbete med grannkommunerna",
    "med tydliga ansvarsområden", "", "", "",
)
OPENERS = (
    "Samtidigt", "Dessutom", "Under besöket", "Enligt enhetschefen", "Efter förra besöket", "Numera",
    "Framöver", "På sikt", "I praktiken", "Sedan hösten", "Under våren", "För barnens skull",
)
SENTENCES = (
    "– Vi har lärt oss att lyssna på barnen på ett nytt sätt, säger en av socialsekreterarna.",
    "Det handlar inte om stora reformer utan om många små förbättringar i vardagen.",
    "Flera deltagare vittnade om att arbetet har gett mer tid till det som verkligen spelar roll.",
    "Barnen själva har fått komma till tals i en enkät som besvarades av nästan alla placerade barn.",
    "Arbetet följs upp två gånger per termin, och resultaten redovisas för nämnden.",
    "Ingen av de inblandade tycker att det har gått för fort, men alla vill se fler resultat.",
    "En lärdom är att förändringar tar tid och kräver uthållighet från ledningen.",
    "Skolan och socialtjänsten har nu en gemensam kontaktperson för varje placerat barn.",
    "Det finns fortfarande brister, men riktningen är tydlig.",
    "Personalomsättningen har minskat sedan introduktionen för nyanställda gjordes om.",
    "– Det viktigaste är att barnen vet vem de ska vända sig till, säger enhetschefen.",
    "Familjehemmen erbjuds numera handledning i grupp en gång i månaden.",
    "Kommunen har också börjat mäta hur många barn som når behörighet till gymnasiet.",
    "Besöket avslutades med ett samtal om vad som behöver göras det kommande året.",
    "Många av idéerna kommer från barnen själva.",
    "Det som först sågs som ett projekt har blivit ett ordinarie arbetssätt.",
    "Samarbetet med regionen beskrivs som bättre än någonsin.",
    "Ett återkommande tema var hur man skapar kontinuitet när handläggare byts ut.",
    "Politikerna i nämnden har följt arbetet på nära håll.",
    "Ett nytt stödmaterial för barnsamtal har tagits fram och testats i två arbetsgrupper.",
    "Uppföljningen visar att färre placeringar bryts i förtid än tidigare.",
    "Det krävs både tid och mod att pröva nya arbetssätt i en pressad verksamhet.",
    "Erfarenheterna sprids nu vidare till andra kommuner i länet.",
    "Hälsoundersökningar görs nu för alla barn inom tre månader från placeringen.",
)
HEADINGS = (
    "Så började arbetet", "Vad har hänt sedan sist?", "Barnens röster", "Samverkan med skolan",
    "Familjehemmen", "Uppföljning och dokumentation", "Hälsa och tandvård", "Nästa steg", "Utmaningar",
    "Lärdomar", "Ledning och styrning", "Kompetens och handledning", "Resultat hittills",
    "Placerade barns skolgång", "Delaktighet i praktiken", "Det som fungerar", "Det som återstår",
    "Politikernas roll", "Ett nytt arbetssätt", "Från projekt till vardag",
)
BULLETS = (
    "att hitta och rekrytera fler familjehem", "att utveckla samtalen med yngre barn",
    "att förebygga placeringar som bryts i förtid", "en gemensam rutin för skolstart",
    "tydligare ansvar vid överlämningar", "hälsoundersökning inom tre månader",
    "regelbundna möten mellan skola och socialtjänst", "stöd till familjehem dygnet runt",
    "en namngiven kontaktperson för varje barn", "uppföljning av betyg och närvaro",
    "barnens egna utvärderingar av stödet", "utbildning i barnsamtal för all personal",
    "en checklista inför varje placering", "tandvårdsbesök en gång per år",
    "läxhjälp genom frivilligorganisationer", "samordnad individuell plan för fler barn",
    "kortare utredningstider", "handledning för nya socialsekreterare",
    "återkoppling till den som gjort en orosanmälan", "digital dokumentation i ett system",
)
LINKS = (
    ("Socialstyrelsens kunskapsstöd", "https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/barn-och-unga/"),
    ("Kunskapsguiden", "https://www.kunskapsguiden.se/"),
    ("SKR:s material om placerade barn", "https://skr.se/skr/halsasjukvard/kunskapsstodvardochbehandling/barnochunga.html"),
    ("Barnombudsmannen", "https://www.barnombudsmannen.se/"),
    ("Inspektionen för vård och omsorg", "https://www.ivo.se/"),
    ("barnkonventionen", "https://www.regeringen.se/barnkonventionen/"),
    ("Bris", "https://www.bris.se/"),
    ("Skolverket om placerade barn", "https://www.skolverket.se/"),
    ("rapporten från förra året", "https://www.socialstyrelsen.se/publikationer/"),
)
FOOTNOTES = (
    "Sveriges Kommuner och Regioner, tidigare Sveriges Kommuner och Landsting.",
    "Siffrorna gäller barn som var placerade någon gång under året.",
    "Uppgifterna kommer från kommunens egen uppföljning och är inte granskade externt.",
    "SiSam står för Samverkan kring skolgång för placerade barn.",
    "Skolfam är ett arbetssätt där psykolog och specialpedagog följer barnets skolgång.",
)
TITLES = (
    "Återbesök i {m}", "{m} satsar på {topic}", "Uppföljning i {m}", "Nytt besök i {m}",
    "Så arbetar {m} med {topic}", "{topic_cap} i fokus i {m}", "{m} tar nästa steg", "Lärdomar från {m}",
    "{m}: {topic}", "Besök i {m} om {topic}", "{m} följer upp {topic}",
)
TOPICS = (
    "familjehemmen", "skolgången", "barnsamtalen", "samverkan", "hälsan", "delaktigheten", "uppföljningen",
    "handledningen", "kvaliteten", "förebyggande arbete", "barnens inflytande", "tidiga insatser",
)
AUTHORS = ("Redaktionen", "Redaktionen", "Redaktionen", "Anna Lindqvist", "Erik Berg", "Maria Holm",
           "Johan Sandberg", "Sara Nyström", "Lars Ekman")
_TAG_WORDS = (
    "placerade barn", "familjehem", "förbättringskunskap", "SiSam", "Skolfam", "skolfrånvaro",
    "barnsamtal", "BBIC", "barnkonventionen", "barnrätt", "delaktighet", "familjehemsvård", "HVB",
    "tandvård", "hälsoundersökning", "SIP", "ensamkommande", "kontaktfamilj", "orosanmälan",
    "utredningstid", "handledning", "introduktion", "personalomsättning", "ledarskap", "nämnd",
    "politik", "brukarundersökning", "enkät", "statistik", "öppna jämförelser", "IVO", "tillsyn",
    "uppföljning", "vårdplan", "genomförandeplan", "skolresultat", "gymnasiebehörighet", "läxhjälp",
    "elevhälsa", "BUP", "psykisk hälsa", "beroende", "våld i nära relation", "hedersrelaterat våld",
    "föräldraskapsstöd", "nätverksarbete", "digitalisering", "dokumentation", "journalföring",
    "kvalitetsledning", "systematiskt kvalitetsarbete", "ledningssystem", "kompetens", "socionomer",
    "rekrytering", "arbetsmiljö", "tillitsbaserad styrning", "evidensbaserad praktik", "forskning",
    "FoU", "nationell satsning", "regional samverkan", "länsnätverk", "konferens", "seminarium",
    "spridning", "lärande nätverk", "goda exempel", "innovation", "tidiga insatser", "prevention",
    "skola och socialtjänst", "barnhälsovård", "mödravård", "förskola", "fritid", "idrott",
    "kultur", "boende", "eftervård", "ungdomar", "unga vuxna", "syskon", "umgänge",
    "släktingplacering", "jourhem", "särskilt förordnad vårdnadshavare", "adoption", "LVU", "SoL",
    "samtycke", "sekretess", "informationsöverföring", "barnperspektiv", "barnets bästa",
    "stabilitet", "kontinuitet", "sammanbrott", "flytt", "trygghet", "relationer", "mentor",
)
_TAG_PLACES = (
    "Norrbotten", "Västerbotten", "Jämtland", "Västernorrland", "Gävleborg", "Dalarna", "Värmland",
    "Örebro", "Västmanland", "Uppsala", "Stockholm", "Södermanland", "Östergötland", "Jönköping",
    "Kronoberg", "Kalmar", "Gotland", "Blekinge", "Skåne", "Halland", "Västra Götaland",
)
TAGS = tuple(
    list(dict.fromkeys(_TAG_WORDS))
    + [f"FoU {p}" for p in _TAG_PLACES]
    + [f"Länsnätverk {p}" for p in _TAG_PLACES]
    + [f"Konferens {y}" for y in range(2010, 2027)]
    + [f"Utvecklingsprojekt {i}" for i in range(1, 41)]
)
_TAG_WEIGHTS = tuple(1.0 / (rank + 1) ** 0.7 for rank in range(len(TAGS)))  # a few common tags, a long tail


@dataclass(frozen=True)
class PostSpec:
    """One synthetic visit: everything the three site formats share."""

    key: str  # file stem: YYYY-MM-DD-slug
    slug: str
    title: str
    date: date
    author: str
    municipalities: tuple[str, ...]  # registry names, e.g. 'Borås'
    county: str  # county name, e.g. 'Västra Götaland'
    plan_areas: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    body: str  # Markdown


# --- generating posts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _World:
    municipalities: tuple[tuple[str, str], ...]  # (name, county name)
    by_county: dict[str, tuple[str, ...]]
    counties: tuple[str, ...]
    plan_areas: tuple[str, ...]


def _world() -> _World:
    registry = load_registry()
    munis = tuple((m.name, registry.county_of(m).name) for m in registry.municipalities)
    by_county: dict[str, list[str]] = {}
    for name, county in munis:
        by_county.setdefault(county, []).append(name)
    config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    areas = tuple(a["name"] for a in config["plan_areas"])
    return _World(munis, {k: tuple(v) for k, v in by_county.items()}, tuple(c.name for c in registry.counties), areas)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(rng: random.Random, place: str) -> str:
    roll = rng.random()
    if roll < 0.18:
        return rng.choice(SENTENCES)
    subj = rng.choice(SUBJECTS)
    finite, rest = rng.choice(VERBS)
    obj = rng.choice(OBJECTS)
    tail = rng.choice(TAILS)
    if rng.random() < 0.15:
        obj = f"*{obj}*" if rng.random() < 0.5 else f"**{obj}**"
    if roll < 0.45:
        opener = rng.choice(OPENERS) if rng.random() < 0.7 else f"I {place}"
        words = [opener, finite, subj, rest, obj, tail]
    else:
        words = [_cap(subj), finite, rest, obj, tail]
    return " ".join(w for w in words if w) + "."


def _paragraph(rng: random.Random, place: str, sentences: int) -> str:
    return " ".join(_sentence(rng, place) for _ in range(sentences))


def _body(rng: random.Random, place: str, plan_areas: Sequence[str], target_words: int = 600) -> str:
    """Markdown of about ``target_words`` words: intro, ## sections, lists, links, maybe a table and a footnote."""
    blocks = [_paragraph(rng, place, rng.randint(3, 5))]
    headings = rng.sample(HEADINGS, 10)
    for i, area in enumerate(plan_areas[:2]):  # sections named after the themes, as the real posts do
        headings[i] = f"{area}: {rng.choice(HEADINGS).lower()}"
    link_at = rng.randrange(0, 3)
    list_at = rng.randrange(0, 3)
    table = rng.random() < 0.15
    footnote = rng.random() < 0.15
    words = len(blocks[0].split())
    section = 0
    while words < target_words and section < len(headings):
        blocks.append(f"## {headings[section]}")
        for _ in range(rng.randint(1, 2)):
            para = _paragraph(rng, place, rng.randint(3, 5))
            if section == link_at:
                text, url = rng.choice(LINKS)
                para += f" Mer finns att läsa hos [{text}]({url})."
                link_at = -1
            if footnote and section == 1:
                para += "[^1]"
            blocks.append(para)
        if section == list_at:
            blocks.append("Några exempel på vad som har gjorts:")
            blocks.append("\n".join(f"- {item}" for item in rng.sample(BULLETS, rng.randint(3, 5))))
        if table and section == 2:
            rows = [f"| {year} | {rng.randint(8, 140)} | {rng.randint(5, 90)} |" for year in range(2012 + rng.randrange(8), 2027)][:4]
            blocks.append("| År | Placerade barn | Familjehem |\n|---|---:|---:|\n" + "\n".join(rows))
        words = sum(len(b.split()) for b in blocks)
        section += 1
    if footnote:
        blocks.append(f"[^1]: {rng.choice(FOOTNOTES)}")
    return "\n\n".join(blocks) + "\n"


def make_post(index: int, seed: int = 1, world: _World | None = None, day: date | None = None) -> PostSpec:
    """Post number ``index`` of the corpus with ``seed`` (its slug not yet made unique)."""
    w = world or _world()
    rng = random.Random(f"{seed}:{index}")
    when = day or FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    if rng.random() < 0.03:  # a county-wide event: no municipality
        county = rng.choice(w.counties)
        munis: tuple[str, ...] = ()
        place = f"{county}s län" if not county.endswith("s") else f"{county} län"
    else:
        first, county = rng.choice(w.municipalities)
        munis = (first,)
        neighbours = [m for m in w.by_county[county] if m != first]
        if neighbours and rng.random() < 0.25:
            munis = (first, rng.choice(neighbours))
        place = first
    areas = tuple(rng.sample(w.plan_areas, rng.randint(1, 3)))
    tags = tuple(dict.fromkeys(rng.choices(TAGS, weights=_TAG_WEIGHTS, k=rng.randint(0, 5))))
    topic = rng.choice(TOPICS)
    title = rng.choice(TITLES).format(m=place, topic=topic, topic_cap=_cap(topic))
    summary = f"Ett besök i {place} om {rng.choice(OBJECTS)}, {rng.choice(TAILS) or 'med nya lärdomar'}."
    body = _body(rng, place, areas)
    slug = slugify(title)
    return PostSpec(f"{when.isoformat()}-{slug}", slug, title, when, rng.choice(AUTHORS), munis, county, areas, tags, summary, body)


def _unique(post: PostSpec, seen: set[str]) -> PostSpec:
    slug, n = post.slug, 1
    while slug in seen:
        n += 1
        slug = f"{post.slug}-{n}"
    seen.add(slug)
    if slug == post.slug:
        return post
    return PostSpec(**{**post.__dict__, "slug": slug, "key": f"{post.date.isoformat()}-{slug}"})


def make_posts(n: int, seed: int = 1) -> list[PostSpec]:
    """The corpus: ``n`` posts with unique slugs, in generation order."""
    world = _world()
    seen: set[str] = set()
    return [_unique(make_post(i, seed, world), seen) for i in range(n)]


def added_post(posts: Sequence[PostSpec], seed: int = 1) -> PostSpec:
    """The post the benchmark adds to a built site: the next one in the sequence, dated newest of all."""
    return _unique(make_post(len(posts), seed, day=ADDED_DAY), {p.slug for p in posts})


# --- writing the three formats -------------------------------------------------------------------


def _yaml_str(value: str) -> str:
    """A YAML scalar: plain where that is safe, else double-quoted (JSON strings are valid YAML)."""
    plain = value and not (
        value[0] in "-?:,[]{}#&*!|>'\"%@`*" or ": " in value or " #" in value or value != value.strip()
        or value.lower() in ("yes", "no", "true", "false", "on", "off", "null", "~")
    )
    try:
        float(value)
        plain = False
    except ValueError:
        pass
    return value if plain else json.dumps(value, ensure_ascii=False)


def _yaml_list(values: Iterable[str]) -> str:
    items = [_yaml_str(v) for v in values]
    if any("," in i for i in items):
        items = [json.dumps(v, ensure_ascii=False) for v in values]
    return "[" + ", ".join(items) + "]"


def sitegen_text(post: PostSpec) -> str:
    lines = ["---", f"title: {_yaml_str(post.title)}", f"date: {post.date.isoformat()}", f"author: {_yaml_str(post.author)}"]
    if len(post.municipalities) == 1:
        lines.append(f"municipality: {_yaml_str(post.municipalities[0])}")
    elif post.municipalities:
        lines.append(f"municipality: {_yaml_list(post.municipalities)}")
    lines.append(f"county: {_yaml_str(post.county)}")
    lines.append(f"plan_areas: {_yaml_list(post.plan_areas)}")
    if post.tags:
        lines.append(f"tags: {_yaml_list(post.tags)}")
    lines += [f"summary: {_yaml_str(post.summary)}", f"slug: {post.slug}", "---", "", post.body]
    return "\n".join(lines)


def hugo_text(post: PostSpec) -> str:
    lines = [
        "---", f"title: {_yaml_str(post.title)}", f"date: {post.date.isoformat()}", f"author: {_yaml_str(post.author)}",
        f"slug: {post.slug}", f"summary: {_yaml_str(post.summary)}",
    ]
    if post.municipalities:
        lines.append(f"kommun: {_yaml_list(post.municipalities)}")
    lines.append(f"lan: {_yaml_list([post.county])}")
    lines.append(f"tema: {_yaml_list(post.plan_areas)}")
    if post.tags:
        lines.append(f"tagg: {_yaml_list(post.tags)}")
    lines += [f'arkiv: ["{post.date.year}"]', "---", "", post.body]
    return "\n".join(lines)


def pelican_text(post: PostSpec) -> str:
    # Pelican has one category and free tags: the county is the category; municipalities and
    # plan areas become prefixed tags, so each still gets its own paginated page and feed.
    tags = [f"Kommun {m}" for m in post.municipalities] + [f"Tema {a}" for a in post.plan_areas] + list(post.tags)
    lines = [
        f"Title: {post.title}", f"Date: {post.date.isoformat()}", f"Author: {post.author}", f"Slug: {post.slug}",
        f"Category: {post.county}", f"Tags: {', '.join(tags)}", f"Summary: {post.summary}", "", post.body,
    ]
    return "\n".join(lines)


def write_post(root: Path, post: PostSpec, flavour: str = "sitegen") -> Path:
    """Write one post into a generated site of the given flavour; returns its path."""
    if flavour == "sitegen":
        path, text = root / "posts" / f"{post.key}.md", sitegen_text(post)
    elif flavour == "hugo":
        path, text = root / "content" / "posts" / f"{post.key}.md", hugo_text(post)
    elif flavour == "pelican":
        path, text = root / "content" / f"{post.key}.md", pelican_text(post)
    else:
        raise ValueError(f"unknown flavour {flavour!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _site(root: Path, flavour: str, project: Callable[[Path], None], posts: Sequence[PostSpec]) -> list[PostSpec]:
    """A fresh folder with the flavour's project files (``project``) and every post written in its format."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    project(root)
    for post in posts:
        write_post(root, post, flavour)
    # A site's files are older than the build that reads them. Files written in the last two seconds
    # count as possibly still changing (sitegen's racy-clean rule) and would all be read again by the
    # first rebuild, which would then time that rather than the rebuild it names.
    old = time.time() - 3600
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    return list(posts)


def generate(root: Path, n: int, seed: int = 1, posts: Sequence[PostSpec] | None = None) -> list[PostSpec]:
    """A sitegen project in ``root``: the repository's config, templates, static files and pages, and ``n`` posts."""

    def project(root: Path) -> None:
        for name in PROJECT_FILES:
            shutil.copy2(REPO / name, root / name)
        for name in PROJECT_DIRS:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, root / name)
        (root / "posts").mkdir()

    return _site(root, "sitegen", project, make_posts(n, seed) if posts is None else posts)


HUGO_CONFIG = """\
baseURL = "{site}/"
locale = "sv"
defaultContentLanguage = "sv"
title = "Återbesök"
removePathAccents = true
disableKinds = ["rss"]
capitalizeListTitles = false
titleCaseStyle = "none"
enableRobotsTXT = true

[params]
  description = "Uppföljande besök i kommunerna om den sociala barn- och ungdomsvården"
  feedEntries = 20

[pagination]
  pagerSize = 10
  path = "sida"

[permalinks.page]
  posts = "/:year/:month/:slug/"

[taxonomies]
  municipality = "kommun"
  county = "lan"
  plan_area = "tema"
  tag = "tagg"
  year = "arkiv"

[mediaTypes."application/atom+xml"]
  suffixes = ["xml"]

[outputFormats.atom]
  mediaType = "application/atom+xml"
  baseName = "feed"
  rel = "alternate"
  isPlainText = false

[outputs]
  home = ["html", "atom"]
  page = ["html"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html", "atom"]

# feeds only for the home page and municipality, county and plan-area terms, as sitegen
[[cascade]]
  outputs = ["html"]
  [cascade.target]
    kind = "term"
    path = "{{/tagg/**,/arkiv/**}}"

# Related visits by shared terms, weighted as sitegen's index.py does. sitegen looks only at the
# 12 posts nearest in time per term, which keeps it linear; Hugo scores every post sharing a
# term, so terms on more than 1% of posts (plan areas, counties, common tags) are left out
# (cardinalityThreshold), or related visits alone make Hugo quadratic in the number of posts.
[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "kommun"
    weight = 4
    cardinalityThreshold = 1
  [[related.indices]]
    name = "tagg"
    weight = 3
    cardinalityThreshold = 1
  [[related.indices]]
    name = "tema"
    weight = 2
    cardinalityThreshold = 1
  [[related.indices]]
    name = "lan"
    weight = 1
    cardinalityThreshold = 1

[markup.goldmark.renderer]
  unsafe = true
"""


def generate_hugo(root: Path, n: int, seed: int = 1, posts: Sequence[PostSpec] | None = None) -> list[PostSpec]:
    """The same posts as a Hugo site: hugo.toml, bench/hugo-layouts as layouts/, the repository's static/."""

    def project(root: Path) -> None:
        (root / "hugo.toml").write_text(HUGO_CONFIG.format(site=SITE_URL), encoding="utf-8")
        shutil.copytree(HUGO_LAYOUTS, root / "layouts")
        if (REPO / "static").is_dir():
            shutil.copytree(REPO / "static", root / "static")  # at the site root, as sitegen publishes static/
        (root / "content" / "posts").mkdir(parents=True)

    return _site(root, "hugo", project, make_posts(n, seed) if posts is None else posts)


PELICAN_CONFIG = """\
AUTHOR = "Redaktionen"
SITENAME = "Återbesök"
SITEURL = "{site}"
SITESUBTITLE = "Uppföljande besök i kommunerna om den sociala barn- och ungdomsvården"
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
DEFAULT_DATE_FORMAT = "%d %B %Y"
THEME = "notmyidea"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
STATIC_PATHS = []

ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
CATEGORY_URL = "lan/{{slug}}/"
CATEGORY_SAVE_AS = "lan/{{slug}}/index.html"
CATEGORIES_SAVE_AS = "lan/index.html"
TAG_URL = "tagg/{{slug}}/"
TAG_SAVE_AS = "tagg/{{slug}}/index.html"
TAGS_SAVE_AS = "tagg/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = "arkiv/index.html"
YEAR_ARCHIVE_URL = "arkiv/{{date:%Y}}/"
YEAR_ARCHIVE_SAVE_AS = "arkiv/{{date:%Y}}/index.html"
PAGE_SAVE_AS = ""

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {{"index": None, "tag": None, "category": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/sida/{{number}}/", "{{base_name}}/sida/{{number}}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_MAX_ITEMS = 20
FEED_ALL_ATOM = "feed.xml"
CATEGORY_FEED_ATOM = "lan/{{slug}}/feed.xml"
TAG_FEED_ATOM = "tagg/{{slug}}/feed.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
"""


def generate_pelican(root: Path, n: int, seed: int = 1, posts: Sequence[PostSpec] | None = None) -> list[PostSpec]:
    """The same posts as a Pelican site: pelicanconf.py and content/*.md."""

    def project(root: Path) -> None:
        (root / "pelicanconf.py").write_text(PELICAN_CONFIG.format(site=SITE_URL), encoding="utf-8")
        (root / "content").mkdir()

    return _site(root, "pelican", project, make_posts(n, seed) if posts is None else posts)


GENERATORS = {"sitegen": generate, "hugo": generate_hugo, "pelican": generate_pelican}


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description="Write a synthetic corpus of visit posts.")
    p.add_argument("root", type=Path)
    p.add_argument("--posts", "-n", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--flavour", choices=sorted(GENERATORS), default="sitegen")
    args = p.parse_args(argv)
    GENERATORS[args.flavour](args.root, args.posts, args.seed)
    print(args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
