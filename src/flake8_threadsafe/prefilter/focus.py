"""Only the code the rules can report on, so that libcst parses less.

Parsing with libcst is most of what the plugin costs, and a large file that uses threads
in one class usually has hundreds of functions that have nothing to do with them. From
the ``ast`` flake8 has already built, every top-level function and every method is a
unit that may be dropped; module-level statements and class bodies (their ``class``
line, attributes, nested classes) are always kept.

A unit is kept when

- it mentions what the rules' facts are made of: a factory of locks, threads, executors
  or thread-locals (``Lock``, ``Thread``, ``ThreadPoolExecutor``, ``threading.local``),
  ``.acquire``, ``.submit(``, ``to_thread``, ``run_in_executor``, a project lock of
  ``--threadsafe-extra-locks``. A module's name alone (``threading.Event()``,
  ``multiprocessing.Process``) is not enough;
- it mentions a *hot* name: one that kept code binds to such a factory (``_lock`` for
  ``self._lock = threading.Lock()``; a function's plain local variables are its own and
  are never hot), or declares ``global`` (another writer of it is evidence for TS201);
- kept code names it (a thread target, a helper called under a lock): a function by
  its name, a method as an attribute (``self.m``, ``obj.m``);
- it is ``run()`` of a ``Thread`` subclass, or one of the first two functions that create
  such a thread (two creation sites are all the evidence TS201 asks for);
- it is a method of a class that hands its instance to a thread (``target=self.work``)
  and uses an attribute that the class's kept methods change (a second writer);

repeated until nothing more is kept. Always-kept statements take part like units: the
functions they name (``help = Helper()``) are kept only if they mention threading or a
hot name themselves.

A dropped unit becomes a string literal spanning its lines (``pass`` for a one-line
unit): every kept node keeps its line and column, so reports land where they belong.
Dropping a unit can only hide facts (another writer, a caller): rules never report
*because* something is absent.
``tests/test_focus.py`` checks that focusing changes no report.

Each pattern is searched once over the whole file, and its matches are mapped to units
by line; only the units kept are split into words.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from flake8_threadsafe.prefilter.vocabulary import EXECUTOR_SUFFIX, THREADING_MODULES, THREADING_NAME_WORDS, words_containing

# What the rules' facts are made of: the names of the factories of locks, threads,
# executors and thread-locals, and the calls that start a thread or take a lock.
_API_WORDS = frozenset({*THREADING_NAME_WORDS, "to_thread", "run_in_executor", "LockType"})
# Words too common to count alone (``local`` variables, HTML's ``type=submit``): only
# ``threading.local``, ``local()``, ``_thread.allocate``, ``pool.submit(...)``.
_CALLED_OR_QUALIFIED = frozenset({"local", "_local", "allocate", "submit"})
_THREADING_MODULES = frozenset(THREADING_MODULES)
# Every word above, ``.acquire`` and ``...Executor`` contain one of these (see
# ``vocabulary.py`` for why words are found this way).
_ANCHORS = (
    "ock", "hread", "Condition", "Semaphore", "Timer", "start_new", "run_in_executor", "submit",
    "local", "allocate", "acquire", "Executor",
)
_WORD = re.compile(r"[A-Za-z_]\w*")
# ``Thread(target=self.run_loop)``, ``pool.submit(self.fetch, url)``: the instance is shared.
_SELF_TARGET = re.compile(
    r"(?:target\s*=\s*|submit\(\s*|map\(\s*|to_thread\(\s*|run_in_executor\([^,]*,\s*"
    r"|Timer\([^,]*,\s*|start_new_thread\(\s*|partial\(\s*)self\."
)
_SELF_TARGET_ANCHORS = (
    "target", "submit(", "map(", "to_thread(", "run_in_executor(", "Timer(", "start_new_thread(", "partial("
)
# ``self.total += n``, ``self.seen[k] = v``, ``self.items.append(x)``.
_SELF_CHANGE = re.compile(r"\bself\.(\w+)\s*(?:\[|\.\w+\(|(?:[-+*/%&|^@]|<<|>>|//|\*\*)?=(?!=))")
_ATTRIBUTE = re.compile(r"\.\s*([A-Za-z_]\w*)")
_SELF_ATTRIBUTE = re.compile(r"\bself\.(\w+)")
_GLOBAL = re.compile(r"^[ \t]*global[ \t]+([\w, \t]+)", re.MULTILINE)
# ``self._lock = threading.Lock()``, ``POOL: Executor = make_pool()``: a bound name (after
# its owner, if any), and what it is bound to.
_ASSIGNMENT = re.compile(r"^[ \t]*([\w.]+\.)?(\w+)[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)$", re.MULTILINE)
# Two places that create a thread are what TS201 counts as "started from several places".
_CREATIONS_KEPT = 2


class _Mentions:
    """Where a text mentions threading (the words above, or a project lock's name)."""

    def __init__(self, extra_names: frozenset[str]) -> None:
        self._words = _API_WORDS | extra_names
        self._anchors = (*_ANCHORS, *sorted(extra_names))

    def offsets(self, text: str) -> Iterator[int]:
        for start, end in words_containing(text, self._anchors):
            word = text[start:end]
            before, after = text[start - 1 : start], text[end : end + 1]
            if (
                word in self._words
                or word.endswith(EXECUTOR_SUFFIX)
                or (word == "acquire" and before == ".")
                or (word in _CALLED_OR_QUALIFIED and (before == "." or after == "("))
            ):
                yield start

    def __call__(self, text: str) -> bool:
        return next(self.offsets(text), None) is not None


def _anchored_matches(pattern: re.Pattern[str], text: str, anchors: Sequence[str]) -> Iterator[int]:
    """Where ``pattern`` matches ``text``, for a pattern whose every match starts with one
    of ``anchors``."""
    for anchor in anchors:
        index = text.find(anchor)
        while index != -1:
            if pattern.match(text, index):
                yield index
            index = text.find(anchor, index + 1)


_mentions_cache: dict[frozenset[str], _Mentions] = {}


@dataclass(eq=False)
class _Unit:
    name: str | None  # the function's name; None for statements that are always kept
    first: int  # 0-based line range [first, last]
    last: int
    header_of: str | None = None  # for a class's ``class`` line (and decorators): its name
    owner: str | None = None  # for a method: its class
    shares_self: bool = False  # a method of a class whose instance threads share
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


class _File:
    """The file's text, and which unit each line belongs to, so that one search of a
    pattern over the whole file tells which units mention it."""

    def __init__(self, source: str, lines: Sequence[str], tree: ast.Module, mentions: _Mentions) -> None:
        self.text = source
        self._starts = list(accumulate(map(len, lines), initial=0))
        self.units: list[_Unit] = []
        self._unit_of_line: list[_Unit | None] = [None] * len(lines)
        self.mention_lines = sorted(set(self.lines_of(mentions.offsets(self.text))))
        # A class that hands ``self.method`` to a thread, or a ``Thread`` subclass.
        self_targets = set(self.lines_of(_anchored_matches(_SELF_TARGET, self.text, _SELF_TARGET_ANCHORS)))
        for index, node in enumerate(tree.body):
            first, last = _span(node)
            owns_lines = _owns_lines(tree.body, index, first, last)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and owns_lines:
                self._add(_Unit(node.name, first, last))
            elif isinstance(node, ast.ClassDef) and owns_lines and node.body:
                header_last = _start(node.body[0]) - 2
                shares_self = self.mentioned(first, max(first, header_last)) or any(
                    line in self_targets for line in range(first, last + 1)
                )
                self._add_class(node, first, shares_self)
            else:
                self._add(_Unit(None, first, last))
        for unit in self.units:
            unit.text = "".join(lines[unit.first : unit.last + 1])

    def _add(self, unit: _Unit) -> None:
        self.units.append(unit)
        for line in range(unit.first, unit.last + 1):
            self._unit_of_line[line] = unit

    def _add_class(self, node: ast.ClassDef, first: int, shares_self: bool) -> None:
        body_first = _start(node.body[0]) - 1
        if body_first > first:
            self._add(_Unit(None, first, body_first - 1, header_of=node.name))
        for index, member in enumerate(node.body):
            member_first, member_last = _span(member)
            if (
                isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
                and member_first > first
                and _owns_lines(node.body, index, member_first, member_last)
            ):
                self._add(_Unit(member.name, member_first, member_last, owner=node.name, shares_self=shares_self))
            else:
                self._add(_Unit(None, member_first, member_last))

    def mentioned(self, first: int, last: int) -> bool:
        """Whether a line in [first, last] mentions threading."""
        index = bisect_left(self.mention_lines, first)
        return index < len(self.mention_lines) and self.mention_lines[index] <= last

    def lines_of(self, offsets: Iterable[int]) -> Iterator[int]:
        for offset in offsets:
            yield bisect_right(self._starts, offset) - 1

    def units_at(self, offsets: Iterable[int]) -> list[_Unit]:
        """The units holding these offsets of the text, each once, in order."""
        return self.units_on(self.lines_of(offsets))

    def units_on(self, lines: Iterable[int]) -> list[_Unit]:
        """The units holding these lines, each once, in order."""
        found: dict[int, _Unit] = {}
        for line in lines:
            unit = self._unit_of_line[line] if 0 <= line < len(self._unit_of_line) else None
            if unit is not None:
                found.setdefault(id(unit), unit)
        return list(found.values())

    def units_naming(self, names: Iterable[str]) -> list[_Unit]:
        text, wanted = self.text, frozenset(names)
        return self.units_at(start for start, end in words_containing(text, sorted(wanted)) if text[start:end] in wanted)


class _Focus:
    """Decides which units are kept (see the module's docstring)."""

    def __init__(self, file: _File, tree: ast.Module, mentions: _Mentions) -> None:
        self.file = file
        self.mentions = mentions
        self.imported = _imported_threading_names(tree, mentions)
        self.kept_words: set[str] = set()
        self.kept_attributes: set[str] = set()  # ``m`` of ``x.m`` in kept code
        self.hot: set[str] = set()
        self._hot_pending: set[str] = set(self.imported)
        self.thread_classes: set[str] = set()
        self._thread_classes_pending: set[str] = set()
        # For each class whose instance threads share, the attributes its kept methods change.
        self.changed: dict[str, set[str]] = {}
        self._changed_grew = False

    def run(self) -> None:
        file = self.file
        for unit in file.units_on(file.mention_lines):
            self.keep(unit)
        grew = True
        while grew:
            grew = False
            for unit in self._newly_wanted():
                if not unit.kept:
                    self.keep(unit)
                    grew = True

    def _newly_wanted(self) -> Iterator[_Unit]:
        file = self.file
        if self._hot_pending:
            names, self._hot_pending = self._hot_pending - self.hot, set()
            self.hot |= names
            if names:
                yield from file.units_naming(names)
        if self._thread_classes_pending:
            names, self._thread_classes_pending = self._thread_classes_pending - self.thread_classes, set()
            self.thread_classes |= names
            for name in names:
                yield from self._creators(name)
        undecided = [unit for unit in file.units if not unit.kept and unit.name is not None]
        for unit in undecided:
            # A method is called as ``self.m()``, ``obj.m()``, ``Cls.m``: an attribute.
            if unit.name in (self.kept_words if unit.owner is None else self.kept_attributes):
                yield unit
        if self._changed_grew:
            self._changed_grew = False
            for unit in undecided:
                changed = self.changed.get(unit.owner or "")
                if unit.shares_self and changed and not changed.isdisjoint(_SELF_ATTRIBUTE.findall(unit.text)):
                    yield unit

    def _creators(self, name: str) -> Iterator[_Unit]:
        """Headers of subclasses of the thread class ``name``, and the first functions
        that create its threads."""
        creators = 0
        creation = re.compile(rf"\b{re.escape(name)}\s*\(")
        for unit in self.file.units_naming([name]):
            if unit.header_of is not None:
                yield unit
            elif unit.name is not None and creation.search(unit.text):
                if unit.kept or creators < _CREATIONS_KEPT:
                    creators += 1
                    yield unit

    def keep(self, unit: _Unit) -> None:
        unit.kept = True
        text = unit.text
        self.kept_words.update(_WORD.findall(text))
        self.kept_attributes.update(_ATTRIBUTE.findall(text))
        declared = {name for names in _GLOBAL.findall(text) for name in _WORD.findall(names)}
        self._hot_pending |= declared
        for owner, name, value in _ASSIGNMENT.findall(text):
            # A function's plain local names are its own: only attributes and globals it
            # binds can be named by other units.
            if unit.name is not None and not owner and name not in declared:
                continue
            if self.mentions(value) or not self.imported.isdisjoint(_WORD.findall(value)):
                self._hot_pending.add(name)
        if unit.shares_self and unit.owner is not None:
            # What thread code may change on the shared instance: the class's other
            # methods that use it may be the second writers TS201 looks for.
            self.changed.setdefault(unit.owner, set()).update(_SELF_CHANGE.findall(text))
            self._changed_grew = True
        if unit.header_of is not None and (self.mentions(text) or not self.thread_classes.isdisjoint(_WORD.findall(text))):
            # A ``Thread`` subclass (or a subclass of one): ``run()`` is thread code.
            self._thread_classes_pending.add(unit.header_of)
            for method in self.file.units:
                if method.owner == unit.header_of and method.name == "run" and not method.kept:
                    self.keep(method)

    def dropped(self) -> list[_Unit]:
        return [unit for unit in self.file.units if not unit.kept and unit.name is not None]


def _is_api_name(name: str) -> bool:
    """An imported name that says threading even once renamed (``from threading import local as L``)."""
    return name in _API_WORDS or name in _CALLED_OR_QUALIFIED or name.endswith(EXECUTOR_SUFFIX)


def _imported_threading_names(tree: ast.Module, mentions: _Mentions) -> set[str]:
    """Local names of module-level imports of the factories the rules know from threading
    modules (``Procs`` for ``from concurrent.futures import ProcessPoolExecutor as Procs``),
    or of the project's own lock factories."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            from_threading = not _THREADING_MODULES.isdisjoint((node.module or "").split("."))
            for alias in node.names:
                if (from_threading and _is_api_name(alias.name)) or mentions(alias.name):
                    names.add(alias.asname or alias.name)
    return names


def focused_source(
    source: str, lines: Sequence[str], tree: object, extra_names: frozenset[str] = frozenset()
) -> str:
    """``source`` (the file's ``lines`` joined) with the top-level functions and methods no
    rule can report on replaced by ``pass``."""
    if not isinstance(tree, ast.Module):
        return source
    mentions = _mentions_cache.get(extra_names)
    if mentions is None:
        mentions = _mentions_cache[extra_names] = _Mentions(extra_names)
    file = _File(source, lines, tree, mentions)
    focus = _Focus(file, tree, mentions)
    focus.run()
    dropped = focus.dropped()
    if not dropped:
        return file.text
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


def _line_end(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :] or "\n"
