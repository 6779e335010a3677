"""A progress bar for long builds on a terminal (reading, rendering, writing); silent when not a terminal."""

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
        """Start the stage ``label`` (one of ``shown``'s) of ``total`` items."""
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
            self.stream.write(f"\r{shown(self.label):<10} [{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def finish(self) -> None:
        """End the current stage's line."""
        if self.enabled and self.total and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
        self.total = 0
        self._drawn = 0.0


def shown(label: str) -> str:
    """A stage's name on the terminal, in the writer's language (looked up only when a bar is drawn)."""
    from sitegen.messages import _

    return {"read": _("reading"), "convert": _("converting"), "images": _("images"), "render": _("rendering"),
            "write": _("writing")}.get(label, label)
