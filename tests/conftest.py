"""Shared fixtures of the core test suite (the helpers themselves live in tests/sitetools.py).

- ``make_site(posts, config_overrides=None, **kw) -> Path``: a site in this test's tmp_path with the
  repo's templates/, static/ and config.yaml plus the given posts (see ``sitetools.make_site``).
- ``run_cli(args, cwd) -> (code, stdout, stderr)``: ``sitegen.cli.main`` run in-process in ``cwd``
  with captured output; an escaping exception comes back as code 99 with its traceback in stderr.

Session- and module-scoped fixtures import the plain functions: ``from sitetools import make_site``
(tests/ is on sys.path because this conftest lives there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sitetools

# Messages are Swedish unless the locale asks for English: pin Swedish, whatever the machine's locale,
# so the exact texts in tests/invalid/ hold; tests of the English texts set LANGUAGE=en themselves.
os.environ["LANGUAGE"] = "sv"


@pytest.fixture
def english(monkeypatch):
    """Messages in English, as for a writer whose locale is English."""
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def make_site(tmp_path: Path):
    def make(posts, config_overrides=None, **kw) -> Path:
        return sitetools.make_site(tmp_path, posts, config_overrides, **kw)

    return make


@pytest.fixture
def run_cli():
    return sitetools.run_cli
