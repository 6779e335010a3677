"""Every HTML page of the sample site and of the generated ~40-post site passes the Nu HTML Checker.

The current vnu.jar (see tests/vnu.py) runs once over all files, with Java 17.
"""

from __future__ import annotations

import json
import subprocess

from vnu import vnu_command


def test_every_page_of_both_sites_validates(sites):
    files = sites.sample.html_files() + sites.big.html_files()
    assert len(sites.sample.html_files()) >= 20 and len(sites.big.html_files()) >= 90, "the sites are smaller than expected"
    run = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", *map(str, files)],
        check=False,  # vnu exits 1 when it finds errors; the report says which
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = [m for m in report["messages"] if m.get("type") != "info"]
    listing = "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('message')}" for m in errors[:40])
    assert errors == [], f"{len(errors)} vnu errors in {len(files)} files:\n{listing}"
