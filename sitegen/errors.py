"""Problems found in sources, reported as ``path:line: message`` and collected before exiting."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem in one source file; ``line`` counts from 1 at the top of the file (0: whole file)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


def warning(problem: SourceError) -> str:
    """A problem that does not stop the build, as printed: 'posts/a.md:12: varning: …'."""
    from sitegen.messages import _

    return str(SourceError(problem.path, problem.line, _("warning: {problem}", problem=problem.message)))


class BuildError(Exception):
    """Raised with every problem found, so a run reports all of them at once."""

    def __init__(self, errors: Iterable[SourceError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


VALUE_LIMIT = 60  # characters of a writer's value a message quotes: a pasted paragraph is not repeated whole


def clip(value: object, limit: int = VALUE_LIMIT) -> str:
    """A value as a message quotes it: one line, at most ``limit`` characters, cut with '…'."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class TemplateProblem(Exception):
    """A mistake in a template that a filter or function of ours can explain; the message says what to do."""


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates nearest to ``word``, case aside, nearest first."""
    folded = {c.casefold(): c for c in candidates}
    return [folded[m] for m in difflib.get_close_matches(word.casefold(), list(folded), n=n, cutoff=0.6)]


def suggest(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """``; did you mean 'X'?`` for the closest candidates, or an empty string."""
    from sitegen.messages import _

    names = [f"'{name}'" for name in closest(word, candidates, n)]
    if not names:
        return ""
    if len(names) == 1:
        return _("; did you mean {name}?", name=names[0])
    return _("; did you mean {names} or {last}?", names=", ".join(names[:-1]), last=names[-1])


def on_pages(problem: str, pages: list[str]) -> str:
    """``problem``, with the first of the output pages it is on ('kommun/') and how many more: one line, not thousands."""
    from sitegen.messages import _, _n

    first = pages[0].removesuffix("index.html")
    if len(pages) == 1:
        return _("{problem}, on /{page}", problem=problem, page=first)
    return _n("{problem}, on /{page} and {n} more page", "{problem}, on /{page} and {n} more pages", len(pages) - 1,
              problem=problem, page=first)
