"""sitegen.fingerprints: the keys of every cache and what each output is made from."""

from __future__ import annotations

from sitegen.fingerprints import FORMAT, PAGE_FINGERPRINTS, cache_key, code_digest, digest, generator_digest
from sitegen.kinds import PageKind


def test_the_code_digest_changes_with_any_code_or_data_file_of_the_package(tmp_path):
    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    (package / "a.py").write_text("X = 1\n", encoding="utf-8")
    (package / "data" / "rows.csv").write_text("a,b\n", encoding="utf-8")
    first = code_digest(package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    assert code_digest(package) == first, "compiled files are not the code"
    (package / "data" / "rows.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    second = code_digest(package)
    assert second != first
    (package / "a.py").write_text("X = 2\n", encoding="utf-8")
    assert code_digest(package) not in (first, second)


def test_every_cache_key_names_the_cache_format_and_the_generator():
    assert cache_key("settings") == digest(FORMAT, generator_digest(), "settings")
    assert cache_key("settings") != digest(FORMAT, "settings")
    assert cache_key("settings") != cache_key("other settings")


def test_every_page_kind_has_a_fingerprint():
    assert set(PAGE_FINGERPRINTS) == set(PageKind)
