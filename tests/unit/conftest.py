"""Fixtures for unit tests: the repo's config and the registry, and front matter parsed like a post's."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config.settings import Config, load_config
from sitegen.config.urls import Urls
from sitegen.content.registry import Registry, load_registry

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(REPO)


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def urls(config: Config) -> Urls:
    return Urls.for_config(config)
