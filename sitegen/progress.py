"""A progress bar for long builds on a terminal (read, render, write); silent when not a terminal."""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30
INTERVAL = 0.1  # seconds between redraws


class ProgressBar:
    """One line on ``stream``, redrawn in place; does nothing unless ``enabled``."""

    def __init__(self, stream: TextIO, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.label = ""
        self.total = 0
        self.done = 0
        self._drawn = 0.0

    def stage(self, label: str, total: int) -> ProgressBar:
        self.finish()
        self.label, self.total, self.done = label, total, 0
        return self

    def __call__(self, n: int) -> None:
        """``n`` more items of the current stage are done."""
        self.done += n
        now = time.monotonic()
        if self.enabled and self.total and (now - self._drawn >= INTERVAL or self.done >= self.total):
            self._drawn = now
            filled = WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (WIDTH - filled)
            self.stream.write(f"\r{self.label:<8} [{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def finish(self) -> None:
        """End the current stage's line."""
        if self.enabled and self.total and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
        self.total = 0
        self._drawn = 0.0
