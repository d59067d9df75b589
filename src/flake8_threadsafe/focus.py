"""Only the code the rules can report on, so that libcst parses less.

Parsing with libcst is most of what the plugin costs, and a large file that uses threads
in one class usually has hundreds of functions that have nothing to do with them. From
the ``ast`` flake8 has already built, every top-level function and every method is a
unit; a class that shares its instance with a thread (a ``Thread`` subclass, or
``target=self.work``) is one unit, so that every writer of its attributes is seen. A
unit is kept when its text mentions threading (the pre-check's words, ``submit``,
``to_thread``...), when it mentions a name that kept code
binds to a lock, thread or executor (``_lock`` for ``self._lock = threading.Lock()``),
declares ``global``, or defines (a kept class), or when kept code names it (a thread
target, a helper); this is repeated until nothing more is kept. A function's plain local
variables (``t = Thread(...)``) are its own and make no name hot for other units.

Module-level statements and class bodies are always kept, but they take part in the
search like units: the functions they name (``help = Helper()``, ``main()`` under
``if __name__``) are kept only if the statement itself mentions threading or a hot name.

A dropped unit becomes ``pass`` followed by blank lines: every kept node keeps its line
and column, so reports land where they belong. Dropping a unit can only hide facts
(another writer, a caller): rules never report *because* something is absent.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flake8_threadsafe.vocabulary import ACQUIRE, EXECUTOR, THREADING_MODULES, THREADING_NAMES, any_word

_THREADING_WORDS = (
    rf"{ACQUIRE}|\b(?:{THREADING_MODULES}|{THREADING_NAMES}|to_thread|run_in_executor|submit)\b"
    rf"|{EXECUTOR}"
)
_WORD = re.compile(r"[A-Za-z_]\w*")
# ``Thread(target=self.run_loop)``, ``pool.submit(self.fetch, url)``: the instance is shared.
_SELF_TARGET = re.compile(
    r"(?:target\s*=\s*|submit\(\s*|map\(\s*|to_thread\(\s*|run_in_executor\([^,]*,\s*"
    r"|Timer\([^,]*,\s*|start_new_thread\(\s*|partial\(\s*)self\."
)
_GLOBAL = re.compile(r"^[ \t]*global[ \t]+([\w, \t]+)", re.MULTILINE)


def _mentions_pattern(extra_names: frozenset[str]) -> re.Pattern[str]:
    return re.compile(_THREADING_WORDS + ("|" + any_word(extra_names) if extra_names else ""))


# ``self._lock = threading.Lock()``, ``POOL: Executor = make_pool()``: a bound name, and
# what it is bound to.
_ASSIGNMENT = re.compile(r"^[ \t]*([\w.]+\.)?(\w+)[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)$", re.MULTILINE)


_pattern_cache: dict[frozenset[str], re.Pattern[str]] = {}


@dataclass(eq=False)
class _Unit:
    name: str | None  # the function's or class's name; None for code that is always kept
    first: int  # 0-based line range [first, last]
    last: int
    text: str
    whole_class: bool = False  # a class kept or dropped as one
    kept: bool = False
    words: set[str] = field(default_factory=set)


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno, *(d.lineno for d in decorators)]) if decorators else node.lineno


def _owns_lines(body: Sequence[ast.stmt], index: int, first: int, last: int) -> bool:
    """Whether no sibling statement shares a line with ``body[index]``."""
    before = index == 0 or (body[index - 1].end_lineno or 0) - 1 < first
    after = index + 1 == len(body) or _start(body[index + 1]) - 1 > last
    return before and after


def _units(tree: ast.Module, lines: Sequence[str], mentions: re.Pattern[str]) -> list[_Unit]:
    """Top-level functions, and the methods of classes, as units that may be dropped;
    everything else as units that are always kept."""
    units: list[_Unit] = []
    body = tree.body
    for index, node in enumerate(body):
        first, last = _start(node) - 1, (node.end_lineno or node.lineno) - 1
        text = "".join(lines[first : last + 1])
        owns_lines = _owns_lines(body, index, first, last)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and owns_lines:
            units.append(_Unit(node.name, first, last, text))
        elif isinstance(node, ast.ClassDef) and owns_lines and node.body:
            if _shared_with_threads(node, lines, text, mentions):
                units.append(_Unit(node.name, first, last, text, whole_class=True))
            else:
                units.extend(_class_units(node, lines))
        else:
            units.append(_Unit(None, first, last, text))
    return units


def _shared_with_threads(node: ast.ClassDef, lines: Sequence[str], text: str, mentions: re.Pattern[str]) -> bool:
    """A ``Thread`` subclass, or a class that hands ``self.method`` to a thread: every
    method may write state the thread shares, so the class is kept or dropped whole."""
    header = "".join(lines[_start(node) - 1 : _start(node.body[0]) - 1]) or lines[node.lineno - 1]
    return mentions.search(header) is not None or _SELF_TARGET.search(text) is not None


def _class_units(node: ast.ClassDef, lines: Sequence[str]) -> list[_Unit]:
    units: list[_Unit] = []
    first = _start(node) - 1
    body_first = _start(node.body[0]) - 1
    if body_first > first:
        units.append(_Unit(None, first, body_first - 1, "".join(lines[first:body_first])))
    for index, member in enumerate(node.body):
        member_first, member_last = _start(member) - 1, (member.end_lineno or member.lineno) - 1
        text = "".join(lines[member_first : member_last + 1])
        named = isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
        if named and member_first > first and _owns_lines(node.body, index, member_first, member_last):
            units.append(_Unit(member.name, member_first, member_last, text))  # type: ignore[union-attr]
        else:
            units.append(_Unit(None, member_first, member_last, text))
    return units


def _imported_threading_names(tree: ast.Module, mentions: re.Pattern[str]) -> set[str]:
    """Local names of module-level imports from threading modules (``Procs`` for
    ``from concurrent.futures import ProcessPoolExecutor as Procs``)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            from_threading = mentions.search(node.module or "") is not None
            for alias in node.names:
                if from_threading or mentions.search(alias.name):
                    names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if mentions.search(alias.name):
                    names.add(alias.asname or alias.name.split(".", 1)[0])
    return names


def focused_source(lines: Sequence[str], tree: object, extra_names: frozenset[str] = frozenset()) -> str:
    """The file's source with the top-level functions and classes no rule can report on
    replaced by ``pass``."""
    if not isinstance(tree, ast.Module):
        return "".join(lines)
    mentions = _pattern_cache.get(extra_names)
    if mentions is None:
        mentions = _pattern_cache[extra_names] = _mentions_pattern(extra_names)
    units = _units(tree, lines, mentions)

    kept_words: set[str] = set()
    # Names whose mention makes a unit matter: what kept code binds to a lock, thread or
    # executor, what it declares ``global`` (another writer of it is evidence for TS201),
    # and the classes kept (a ``Thread`` subclass is started by code that names it).
    imported = _imported_threading_names(tree, mentions)
    hot: set[str] = set(imported)

    def keep(unit: _Unit) -> None:
        unit.kept = True
        kept_words.update(unit.words)
        declared = {name for names in _GLOBAL.findall(unit.text) for name in _WORD.findall(names)}
        hot.update(declared)
        # A function's plain local names are its own: only attributes and globals it
        # binds can be named by other units.
        local_names = unit.name is not None and not unit.whole_class
        for owner, name, value in _ASSIGNMENT.findall(unit.text):
            if local_names and not owner and name not in declared:
                continue
            if mentions.search(value) or not imported.isdisjoint(_WORD.findall(value)):
                hot.add(name)
        if unit.whole_class:
            hot.add(unit.name)  # type: ignore[arg-type]

    for unit in units:
        unit.words = set(_WORD.findall(unit.text))
        if mentions.search(unit.text):
            keep(unit)
    undecided = [unit for unit in units if not unit.kept]
    grew = True
    while grew and undecided:
        grew = False
        for unit in undecided:
            if (unit.name is not None and unit.name in kept_words) or not unit.words.isdisjoint(hot):
                keep(unit)
                grew = True
        undecided = [unit for unit in undecided if not unit.kept]
    # Module-level statements and class bodies stay whatever they mention; only the names
    # they mention do not keep functions unless they touch threads themselves.
    undecided = [unit for unit in undecided if unit.name is not None]
    if not undecided:
        return "".join(lines)

    focused = list(lines)
    for unit in undecided:
        first_line = lines[unit.first]
        indent = first_line[: len(first_line) - len(first_line.lstrip())]
        focused[unit.first] = indent + "pass" + _line_end(first_line)
        for number in range(unit.first + 1, unit.last + 1):
            focused[number] = _line_end(lines[number])
    return "".join(focused)


def _line_end(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :] or "\n"
