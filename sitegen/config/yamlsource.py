"""Text files as writers save them, and YAML parsing that keeps the line of every key, so errors can point at it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from sitegen.errors import BuildError, SourceError
from sitegen.messages import _, _n, language

# The C loader is several times faster; fall back to pure Python where libyaml is missing.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple  # a key path such as ("plan_areas", 0, "name")


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data plus the 1-based line of each key path, counted from ``first_line``."""

    data: Any
    lines: dict[Path, int]

    def line(self, *path: Any, default: int = 0) -> int:
        """Line of the deepest known prefix of ``path``; ``()`` is the document's first line."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return default
            path = path[:-1]


class YamlError(ValueError):
    """Bad YAML, with the 1-based line where the parser stopped."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def decode_text(raw: bytes, rel: str) -> str:
    """UTF-8 with or without BOM, any line ends (``unify_lines``), to text with LF line ends and no control characters.

    Every file a writer or moderator edits (config.yaml, posts, pages, comments) is read through here.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildError([SourceError(rel, line, _("is not valid UTF-8 text; save the file as UTF-8"))]) from None
    text = unify_lines(text)
    if CONTROL.search(text):
        raise BuildError(_control_problems(text, rel))
    return text


def unify_lines(text: str) -> str:
    """CRLF, CR and the Unicode line and paragraph separators (which YAML counts as line ends too) as LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n") if "\u2028" in text or "\u2029" in text else text


# C0 controls but tab and line end, DEL, C1 controls, lone surrogates and the non-characters: invisible in an
# editor, pasted along with text from Word or a PDF; HTML forbids them all, and one makes a feed unreadable
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def control_names(text: str) -> str:
    """The control characters in ``text`` as code points, in order: 'U+000B, U+0085'."""
    return ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in CONTROL.findall(text)))


def _control_problems(text: str, rel: str) -> list[SourceError]:
    """One error per line with control characters, naming them and their columns."""
    problems = []
    for number, row in enumerate(text.split("\n"), start=1):
        columns = [str(m.start() + 1) for m in CONTROL.finditer(row)]
        if columns:
            problems.append(SourceError(rel, number, _n(
                "invisible control character {chars} at column {columns}; delete it (such characters come along with text "
                "pasted from Word or a PDF)",
                "invisible control characters {chars} at columns {columns}; delete them (such characters come along with text "
                "pasted from Word or a PDF)", len(columns), chars=control_names(row), columns=", ".join(columns))))
    return problems


def parse(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; line numbers are offset so line 1 of ``text`` is ``first_line``."""
    loader = Loader(text)
    node = None
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse(node, text, first_line)
        data = loader.construct_document(node) if node is not None else None
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        explained = _explain(exc, text.split("\n"))
        if explained is not None:
            raise YamlError(first_line + explained[0], explained[1]) from None
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            problem += f" ({exc.context} started on line {first_line + exc.context_mark.line})"
        raise YamlError(line, _("invalid YAML: {problem}; look on this line for a missing quote, colon or bracket",
                                problem=problem)) from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL; its message spans lines
        line = first_line + text[: exc.position].count("\n")
        code = format(_code(exc.character), "04x")
        raise YamlError(line, _("invalid YAML: {reason} (character #x{code}); remove the character, or save the file again as plain "
                                "UTF-8 text", reason=exc.reason, code=code)) from None
    except yaml.YAMLError as exc:  # e.g. constructor errors without a mark
        raise YamlError(first_line, _("invalid YAML: {problem}", problem=str(exc).splitlines()[0])) from None
    except (ValueError, OverflowError) as exc:  # a scalar that looks like a date but is not one: 2017-02-30
        bad = _bad_scalar(node)
        if bad is None:
            raise YamlError(first_line, _("a value is not valid: {reason}", reason=exc)) from None
        raise YamlError(first_line + bad.start_mark.line, _impossible(bad.value, exc)) from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _record(node, (), first_line, lines)
    return YamlDocument(data, lines)


def _explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str] | None:
    """The common mistakes in a writer's words, with the fix, at the line to change; None for the rest."""
    problem, context = exc.problem or "", exc.context or ""
    at, opened = exc.problem_mark, exc.context_mark
    row = lines[at.line] if at is not None and at.line < len(lines) else ""
    if at is not None and "mapping values are not allowed" in problem:
        key, colon, value = row.partition(":")
        if colon and at.column > len(key) and value.strip() and not row.startswith((" ", "\t")):
            inner = value.strip().replace("\\", "\\\\").replace('"', '\\"')
            fixed = f'{key.strip()}: "{inner}"'
            return at.line, _("the value of '{key}' has a ':' in it: put the value in quotes, like {fixed}", key=key.strip(),
                              fixed=fixed)
        return at.line, _("this line is indented further than the key above it: start it where the other keys start")
    if at is not None and "\t" in row and ("cannot start any token" in problem or "tab" in problem):
        return at.line, _("this line has a tab: YAML is indented with spaces only, so replace the tab with spaces")
    if opened is not None and "flow sequence" in context:
        return opened.line, _("the list that starts with '[' on this line is not closed: end it with ']'")
    if opened is not None and "flow mapping" in context:
        return opened.line, _("the '{open}' on this line is not closed: end it with '{close}'", open="{", close="}")
    if at is not None and "quoted scalar" in context and ("escape" in problem or "hex" in problem):  # "C:\\Users", "\\ud800"
        return at.line, _("a '\\' inside double quotes starts an escape such as \\n, and this one is not valid; put the text in "
                          "single quotes instead, or write the backslash twice")
    if opened is not None and "quoted scalar" in context:
        return opened.line, _("the quote that starts on this line is not closed: end the text with the same quote mark")
    return None


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


def _impossible(value: str, exc: Exception) -> str:
    """'2017-02-30' -> "2017 has no 30 February: correct the date"; other bad values say what the parser said."""
    from babel.dates import get_month_names  # only when a date is wrong: Babel's dates are not imported by a good build

    found = _DATE.match(value.strip())
    if found:
        year, month, day = (int(g) for g in found.groups())
        if not 1 <= month <= 12:
            return _("'{value}' has no month {month}: write the date as YYYY-MM-DD, e.g. 2017-03-14", value=value, month=month)
        name = get_month_names("wide", locale=language())[month]
        return _("{year} has no {day} {month}: correct the date '{value}'", year=year, day=day, month=name, value=value)
    return _("'{value}' is not a valid value: {reason}", value=value, reason=exc)


def _code(character: str | int) -> int:
    return character if isinstance(character, int) else ord(character)


def _nodes(root: yaml.Node) -> Iterator[yaml.Node]:
    """Every node under ``root``, itself first; one an alias shares comes again where the alias stands."""
    todo = [root]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, yaml.MappingNode):
            todo.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(reversed(node.value))


def _bad_scalar(node: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar that cannot be constructed on its own (the document has no aliases: ``_refuse``)."""
    for n in _nodes(node):
        if isinstance(n, yaml.ScalarNode):
            try:
                Loader("").construct_object(n)
            except (ValueError, OverflowError):
                return n
    return None


def _refuse(root: yaml.Node, text: str, first_line: int) -> None:
    """An alias ('*name') anywhere is an error at the line of the first one, as is a value with a control character.

    Nothing a writer or moderator edits needs aliases, and a few nested ones (a "billion laughs")
    make a value of billions of items that every later step would walk. The composed nodes are
    shared, not copied, so a node met twice means an alias: found at its first repeat, at once.
    A control character can only be in a value as an escape ("\\v", "\\x85"): the text has none (``decode_text``).
    """
    seen: set[int] = set()
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode) and CONTROL.search(node.value):
            raise YamlError(first_line + node.start_mark.line, _(
                "the value has an escape for an invisible control character ({chars}), which no page or feed can show; "
                "remove the escape", chars=control_names(node.value)))
        if id(node) in seen:
            alias = next(t for t in yaml.scan(text, Loader=Loader) if isinstance(t, yaml.AliasToken))  # only now: where it is
            raise YamlError(first_line + alias.start_mark.line, _("an alias ('*name') repeats an anchored value ('&name'); they are "
                                                                  "not used in these files: write the value out where it is needed"))
        seen.add(id(node))


def _record(node: yaml.Node, path: Path, first_line: int, lines: dict[Path, int]) -> None:
    """The line of every key path under ``node`` (the document has no aliases: ``_refuse``)."""
    lines[path] = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                sub = path + (key.value,)
                if sub in lines:  # YAML keeps only the last of two equal keys: a value would be lost silently
                    raise YamlError(
                        first_line + key.start_mark.line,
                        _("'{key}' appears twice (first on line {first}); keep one", key=key.value, first=lines[sub]),
                    )
                _record(value, sub, first_line, lines)
                lines[sub] = first_line + key.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record(item, path + (i,), first_line, lines)
