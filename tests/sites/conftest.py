"""One small fixture site, built once per session under a sub-path, shared by the site tests.

Six published posts and one draft, per_page 2, so that the home page and several term pages
paginate; one post is a folder with an image, one names only a county, one names Habo and Håbo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from imagetools import picture_bytes
from sitetools import SUB_PATH_URL, build, make_site, post_text

PER_PAGE = 2

POSTS: dict[str, str | bytes] = {
    "2013-10-16-vasterbotten.md": post_text(
        "Västerbotten gör skillnad för placerade barn",
        "2013-10-16",
        county="Västerbottens län",
        plan_areas=["Helhetssyn"],
        tags=["SkolFam"],
        body=(
            "Länet samlade kommunerna till en gemensam dag.\n\n"
            "## Bakgrund\n\n"
            "| Kommun | Deltagare |\n|---|---|\n| Umeå | 12 |\n\n"
            "Det ~~gamla~~ nya arbetssättet.[^1] Läs om [Borås](/kommun/boras/), om [bakgrunden](#bakgrund)"
            " och hos [DIGG](https://www.digg.se/).\n\n"
            "[^1]: Enligt länsstyrelsen.\n"
        ),
    ),
    "2016-10-11-boras.md": post_text(
        "Borås önskar socionomutbildning",
        "2016-10-11 14:30",
        municipality="Borås kommun",
        plan_areas=["Förutsättningar"],
        tags=["skolfam", "Rekrytering"],
        author="Anna Andersson",
        body="Borås vill att högskolan startar en socionomutbildning.\n",
    ),
    "2017-02-14-boras/index.md": post_text(
        "Fokus på medskapande i Borås",
        "2017-02-14",
        municipality="Borås",
        plan_areas=["Medskapande", "Samverkan"],
        tags=["SiSam"],
        body="Barn och unga är med och formar stödet.\n\n![Karta över Borås med träffpunkterna](karta.png \"Träffpunkterna i Borås\")\n",
    ),
    "2017-02-14-boras/karta.png": picture_bytes((1000, 750), "PNG"),
    "2017-03-14-finspang.md": post_text(
        "Återbesök i Finspång",
        "2017-03-14",
        municipality="Finspång",
        plan_areas=["Samverkan", "Barns skolgång"],
        tags=["SiSam", "IVO"],
        summary="Samverkan som inte hänger på enskilda personer.",
        body="Samverkan tog störst plats.\n\n## Samverkan\n\nFyra grupper.\n\n## Samverkan\n\nIgen.\n",
    ),
    "2017-08-29-ostersund.md": post_text(
        "Tillitsbaserad styrning i Östersund",
        "2017-08-29",
        municipality="Östersund",
        plan_areas=["Helhetssyn"],
        body="Östersund arbetar med tillitsbaserad styrning.\n",
    ),
    "2017-09-05-habo.md": post_text(
        "Habo och Håbo",
        "2017-09-05",
        municipality=["Habo", "Håbo"],
        plan_areas=["Helhetssyn"],
        tags=["Skolfam"],
        body="Två kommuner med nästan samma namn.\n",
    ),
    "2018-01-01-utkast.md": post_text(
        "Utkast om Malmö",
        "2018-01-01",
        municipality="Malmö",
        draft=True,
        body="Inte klart än.\n",
    ),
}
PAGES = {"om-bloggen.md": "---\ntitle: Om bloggen\ncontact: true\nreviewed: 2026-11-30\n---\n\nVi besöker kommuner. Se [alla kommuner](/kommun/).\n"}

# site paths of the published posts, newest first
POST_PATHS = [
    "2017/09/habo-och-habo/",
    "2017/08/tillitsbaserad-styrning-i-ostersund/",
    "2017/03/aterbesok-i-finspang/",
    "2017/02/fokus-pa-medskapande-i-boras/",
    "2016/10/boras-onskar-socionomutbildning/",
    "2013/10/vasterbotten-gor-skillnad-for-placerade-barn/",
]
DRAFT_PATH = "2018/01/utkast-om-malmo/"


@dataclass(frozen=True)
class Built:
    root: Path
    out: Path
    base_url: str

    def read(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")

    def page(self, path: str) -> str:
        """HTML of the page at a site path such as 'kommun/boras/'."""
        return self.read(path + "index.html")


def make_fixture_site(tmp: Path, name: str = "site") -> Path:

    return make_site(tmp, POSTS, {"per_page": PER_PAGE}, pages=PAGES, name=name)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Built:
    """The fixture site built with --base-url https://example.org/aterbesok/."""
    tmp = tmp_path_factory.mktemp("fixture-site")
    root = make_fixture_site(tmp)
    out = build(root, tmp / "out", "--base-url", SUB_PATH_URL)
    return Built(root, out, SUB_PATH_URL)


@pytest.fixture(scope="session")
def site_with_drafts(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("fixture-site-drafts")
    root = make_fixture_site(tmp)
    out = build(root, tmp / "out", "--drafts")
    return Built(root, out, "https://aterbesok.example.org/")
