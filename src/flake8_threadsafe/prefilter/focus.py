"""Only the code the rules can report on, so that libcst parses less: the mechanism.

Parsing with libcst is most of what the plugin costs, and a large file that uses threads
in one class usually has hundreds of functions that have nothing to do with them. From
the ``ast`` flake8 has already built, every top-level function and every method is a
unit that may be dropped; module-level statements and class bodies (their ``class``
line, attributes, nested classes) are units that are always kept. Which functions and
methods are kept, and for which rule, is decided in ``keep.py``.

Each pattern is searched once over the whole file, and its matches are mapped to units
by line (``File``); only the units kept are split into words.

A dropped unit becomes a string literal spanning its lines (``pass`` for a one-line
unit): every kept node keeps its line and column, so reports land where they belong.
Dropping code can only take reports away (the contract in ``rules/base.py``);
``tests/test_focus.py`` checks that it takes none.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from flake8_threadsafe.prefilter.keep import keep_units
from flake8_threadsafe.prefilter.vocabulary import words_containing


@dataclass(eq=False)
class Class:
    """A top-level class; lines are 0-based."""

    name: str
    first: int  # its first decorator or its ``class`` line
    header_last: int  # the line before its body (``first`` when the body starts there)
    last: int


@dataclass(eq=False)
class Unit:
    name: str | None  # the function's name; None for statements that are always kept
    first: int  # 0-based line range [first, last]
    last: int
    header_of: Class | None = None  # for a class's ``class`` line (and decorators)
    owner: Class | None = None  # for a method
    kept: bool = False
    text: str = ""


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno, *(d.lineno for d in decorators)]) if decorators else node.lineno


def _owns_lines(body: Sequence[ast.stmt], index: int, first: int, last: int) -> bool:
    """Whether no sibling statement shares a line with ``body[index]``."""
    before = index == 0 or (body[index - 1].end_lineno or 0) - 1 < first
    after = index + 1 == len(body) or _start(body[index + 1]) - 1 > last
    return before and after


def _span(node: ast.stmt) -> tuple[int, int]:
    return _start(node) - 1, (node.end_lineno or node.lineno) - 1


class File:
    """The file's text cut into units, and which unit each line belongs to, so that one
    search of a pattern over the whole file tells which units it matches in."""

    def __init__(self, source: str, lines: Sequence[str], tree: ast.Module) -> None:
        self.text = source
        self._starts = list(accumulate(map(len, lines), initial=0))
        self.units: list[Unit] = []
        self.classes: list[Class] = []
        self._unit_of_line: list[Unit | None] = [None] * len(lines)
        for index, node in enumerate(tree.body):
            first, last = _span(node)
            owns_lines = _owns_lines(tree.body, index, first, last)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and owns_lines:
                self._add(Unit(node.name, first, last))
            elif isinstance(node, ast.ClassDef) and owns_lines and node.body:
                self._add_class(node, first, last)
            else:
                self._add(Unit(None, first, last))
        for unit in self.units:
            unit.text = "".join(lines[unit.first : unit.last + 1])

    def _add(self, unit: Unit) -> None:
        self.units.append(unit)
        for line in range(unit.first, unit.last + 1):
            self._unit_of_line[line] = unit

    def _add_class(self, node: ast.ClassDef, first: int, last: int) -> None:
        body_first = _start(node.body[0]) - 1
        cls = Class(node.name, first, max(first, body_first - 1), last)
        self.classes.append(cls)
        if body_first > first:
            self._add(Unit(None, first, body_first - 1, header_of=cls))
        for index, member in enumerate(node.body):
            member_first, member_last = _span(member)
            if (
                isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
                and member_first > first
                and _owns_lines(node.body, index, member_first, member_last)
            ):
                self._add(Unit(member.name, member_first, member_last, owner=cls))
            else:
                self._add(Unit(None, member_first, member_last))

    def line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset) - 1

    def lines_of(self, offsets: Iterable[int]) -> Iterator[int]:
        return map(self.line_of, offsets)

    def lines_matching(self, pattern: re.Pattern[str], anchors: Sequence[str]) -> Iterator[int]:
        """The lines where ``pattern`` matches, for a pattern whose every match starts
        with one of ``anchors`` (found with ``str.find``, see ``vocabulary.py``)."""
        text = self.text
        for anchor in anchors:
            index = text.find(anchor)
            while index != -1:
                if pattern.match(text, index):
                    yield self.line_of(index)
                index = text.find(anchor, index + 1)

    def units_on(self, lines: Iterable[int]) -> list[Unit]:
        """The units holding these lines, each once, in order."""
        found: dict[Unit, None] = {}
        for line in lines:
            unit = self._unit_of_line[line] if 0 <= line < len(self._unit_of_line) else None
            if unit is not None:
                found[unit] = None
        return list(found)

    def units_naming(self, names: Iterable[str]) -> list[Unit]:
        """The units where one of ``names`` stands as a whole word, each once, in order."""
        text, wanted = self.text, frozenset(names)
        starts = (start for start, end in words_containing(text, sorted(wanted)) if text[start:end] in wanted)
        return self.units_on(self.lines_of(starts))


def focused_source(
    source: str, lines: Sequence[str], tree: object, extra_names: frozenset[str] = frozenset()
) -> str:
    """``source`` (the file's ``lines`` joined) with the top-level functions and methods no
    rule can report on blanked out; ``extra_names`` are the project's lock factories
    (``--threadsafe-extra-locks``)."""
    if not isinstance(tree, ast.Module):
        return source
    lines = _tokenizer_lines(source, lines)
    file = File(source, lines, tree)
    keep_units(file, tree, extra_names)
    dropped = [unit for unit in file.units if not unit.kept and unit.name is not None]
    if not dropped:
        return source
    focused = list(lines)
    for unit in dropped:
        first_line = lines[unit.first]
        indent = first_line[: len(first_line) - len(first_line.lstrip())]
        if unit.first == unit.last:
            focused[unit.first] = indent + "pass" + _line_end(first_line)
            continue
        # One string spanning the unit's lines: libcst makes one node of it, where blank
        # lines would each be a node.
        focused[unit.first] = indent + '"""' + _line_end(first_line)
        for number in range(unit.first + 1, unit.last):
            focused[number] = _line_end(lines[number])
        focused[unit.last] = '"""' + _line_end(lines[unit.last])
    return "".join(focused)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _tokenizer_lines(source: str, lines: Sequence[str]) -> Sequence[str]:
    """``lines`` when they break where Python's tokenizer does, so that the ``ast``'s line
    numbers index them (flake8's do); else ``source`` split there: ``str.splitlines``
    also breaks at a form feed or a vertical tab, which are whitespace to Python."""
    if all(line.endswith(("\n", "\r")) for line in lines[:-1]):
        return lines
    return _LINE.findall(source)


def _line_end(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :] or "\n"
