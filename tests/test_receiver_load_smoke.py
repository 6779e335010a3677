"""The receiver's load run works at a tiny size: every accepted request stored, the burst limited."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.receiver_load import measure, report


def test_receiver_load_run_counts_and_limits():
    phases, stored = measure(requests=60, threads=4, deadline_s=30)
    accepted, burst = phases
    assert accepted.statuses == {200: 60}
    assert stored == 60 + 5  # the burst stores only what the limit allows
    assert burst.statuses == {200: 5, 429: burst.requests - 5}
    assert accepted.percentile(99) >= accepted.percentile(50) > 0
    assert "| accepted | 60 |" in report(phases, stored)
