"""Golden output: a tiny fixed site built and compared byte for byte with tests/golden/expected/.

Regenerate after an intended change to templates or output (then review the diff):

    SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/golden

Input: tests/golden/site/ (its own config.yaml, three posts, one page) plus the repo's templates/
and static/. Compared: every output file and the file list, except
- assets/: the repo's static/assets/ under content-hashed names, so it is compared with that instead
  (an edit of style.css changes its name on every page: regenerate then);
- pagefind/: the search bundle, made by the pinned Pagefind binary (content-hashed file names),
  checked for its entry files only;
- processed images (.jpg, .png, .webp beside posts): compared by format and size, since their bytes
  are the encoders' (a new Pillow may encode the same pixels a little differently); their bytes are
  checked elsewhere for being the same from build to build and for having no metadata.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from sitetools import REPO, read_tree, run_cli

from sitegen.content.static import find_static

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
EXPECTED = HERE / "expected"
UPDATE = os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1"
NOT_GOLDEN = ("assets/", "pagefind/")
PROCESSED = (".jpg", ".png", ".webp")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("golden")
    root = tmp / "site"
    shutil.copytree(SITE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    code, _, err = run_cli(["check"], root)
    assert code == 0, err
    code, _, err = run_cli(["build", "--output", str(tmp / "out")], root)
    assert code == 0, err
    out = tmp / "out"
    if UPDATE:
        if EXPECTED.exists():
            shutil.rmtree(EXPECTED)
        for rel, data in golden_files(out).items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return out


def golden_files(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in read_tree(folder).items() if not rel.startswith(NOT_GOLDEN)}


def test_file_list_matches(built):
    assert sorted(golden_files(built)) == sorted(read_tree(EXPECTED))


def compared(rel: str, data: bytes) -> bytes | tuple:
    if rel.endswith(PROCESSED):
        with Image.open(io.BytesIO(data)) as im:
            return im.format, im.size
    return data


def test_every_file_matches_byte_for_byte(built):
    expected = read_tree(EXPECTED)
    actual = golden_files(built)
    differing = sorted(rel for rel in expected.keys() & actual.keys() if compared(rel, expected[rel]) != compared(rel, actual[rel]))
    assert differing == [], "output differs from tests/golden/expected/; if intended, regenerate (see top of file)"


def test_static_files_are_published_at_the_root_with_hashed_asset_names(built):
    static = find_static(REPO)
    assert static.assets, "the repo's own CSS and JS are assets"
    published = {rel: data for rel, data in read_tree(built).items() if rel in static.files}
    assert published == {rel: path.read_bytes() for rel, path in static.files.items()}
    assert sorted(rel for rel in read_tree(built) if rel.startswith("assets/")) == sorted(static.assets.values())


def test_search_bundle_is_present(built):
    assert (built / "pagefind" / "pagefind.js").is_file()
    assert (built / "pagefind" / "pagefind-entry.json").is_file()
