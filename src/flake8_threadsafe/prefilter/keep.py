"""Which functions and methods the focus step keeps, and for which rule.

``focus.py`` cuts a file into units and blanks the functions and methods not kept here.
By the contract of ``rules/base.py`` blanking can only take reports away, so a unit is
kept when a rule may need it to report; each criterion below names the rules that need
it. A unit is kept when

- it mentions what the rules' facts are made of (``Mentions``): a factory of locks,
  threads, processes, executors or thread-locals, ``.acquire``, ``.submit(``,
  ``to_thread``, ``run_in_executor``, a project lock. A module's name alone (``threading.Event()``,
  ``multiprocessing.Process``) is not enough;
- it names a *hot* name (``_Keep.hot_names``): one that kept code binds to such a
  factory, or declares ``global``;
- kept code names it (``_Keep.named_by_kept_code``): a function by its name, a method
  as an attribute (``self.m``, ``obj.m``);
- it is ``run()`` of a ``Thread`` subclass (``_Keep.thread_class_header``), or one of
  the first two functions that create such a thread (``_Keep.thread_creators``);
- it is a second writer of a field that the kept methods of a class whose instance
  threads share change (``_Keep.second_writers``);
- it names a kept function that waits (``.wait(``): TS105 is silent on a wait whose
  function is called in a loop (``_Keep.callers_of_waiters``);

repeated until nothing more is kept. Always-kept statements take part like units: the
functions they name (``help = Helper()``) are kept only if they mention threading or a
hot name themselves.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from flake8_threadsafe.prefilter.vocabulary import (
    ACQUIRE,
    ASYNCIO_START_WORDS,
    EXECUTOR_SUFFIX,
    LOCK_WORDS,
    PROCESS_START_WORDS,
    QUEUE_WORDS,
    SUBMIT,
    TASK_DONE,
    THREAD_LOCAL_WORDS,
    THREAD_START_WORDS,
    THREADING_MODULES,
    anchors,
    words_containing,
)

if TYPE_CHECKING:
    from flake8_threadsafe.prefilter.focus import Class, File, Unit

# Words too common to count alone (``local`` variables, HTML's ``type=submit``, the verb):
# only ``threading.local``, ``local()``, ``_thread.allocate``, ``pool.submit(...)``.
_ALLOCATE = "allocate"  # ``_thread.allocate`` of ``kinds.LOCK_FACTORIES``
_CALLED_OR_QUALIFIED = frozenset({*THREAD_LOCAL_WORDS, _ALLOCATE, SUBMIT})
# Lock factories (TS101, TS102, TS103, TS104, TS105), thread starters (TS201, TS4xx),
# process starters (TS402), queues (TS202, TS303); executors end in ``EXECUTOR_SUFFIX``
# (TS201, TS301, TS302, TS401, TS402).
_API_WORDS = frozenset(
    {*LOCK_WORDS, *THREAD_START_WORDS, *ASYNCIO_START_WORDS, *PROCESS_START_WORDS, *QUEUE_WORDS, TASK_DONE}
) - _CALLED_OR_QUALIFIED
_ANCHORS = anchors({*_API_WORDS, *_CALLED_OR_QUALIFIED, ACQUIRE, EXECUTOR_SUFFIX})
_THREADING_MODULES = frozenset(THREADING_MODULES)
_WORD = re.compile(r"[A-Za-z_]\w*")
# TS201: ``Thread(target=self.run_loop)``, ``pool.submit(self.fetch, url)``: the instance
# is shared. Written out: one derived from ``kinds.THREAD_STARTERS`` would also match
# ``function=``, ``func=``, ``start_new(`` and keep more.
_SELF_TARGET = re.compile(
    r"(?:target\s*=\s*|submit\(\s*|map\(\s*|to_thread\(\s*|run_in_executor\([^,]*,\s*"
    r"|Timer\([^,]*,\s*|start_new_thread\(\s*|partial\(\s*)self\."
)
_SELF_TARGET_ANCHORS = (
    "target", "submit(", "map(", "to_thread(", "run_in_executor(", "Timer(", "start_new_thread(", "partial("
)
# TS201: what thread code changes on a shared instance: ``self.total += n``,
# ``self.seen[k] = v``, ``self.items.append(x)``.
_SELF_CHANGE = re.compile(r"\bself\.(\w+)\s*(?:\[|\.\w+\(|(?:[-+*/%&|^@]|<<|>>|//|\*\*)?=(?!=))")
_ATTRIBUTE = re.compile(r"\.\s*([A-Za-z_]\w*)")
_SELF_ATTRIBUTE = re.compile(r"\bself\.(\w+)")
_GLOBAL = re.compile(r"^[ \t]*global[ \t]+([\w, \t]+)", re.MULTILINE)
# Hot names: ``self._lock = threading.Lock()``, ``POOL: Executor = make_pool()``: a bound
# name (after its owner, if any), and what it is bound to.
_ASSIGNMENT = re.compile(r"^[ \t]*([\w.]+\.)?(\w+)[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)$", re.MULTILINE)
_WAIT = ".wait("
# A method that may hold a lock: ``with self._lock:``, ``self._lock.acquire()``.
_TAKING = ("with ", ".acquire(")
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})
# Two places that create a thread are what TS201 counts as "started from several places".
_CREATIONS_KEPT = 2


class Mentions:
    """Where a text mentions what the rules' facts are made of: lock factories and
    ``.acquire`` (TS101, TS102), thread starters (TS201), ``pool.submit(`` and executors
    (TS201, TS301, TS302), thread-locals (TS201 is silent on their attributes), and a
    project's lock factories (``--threadsafe-extra-locks``: TS101, and the lock regions
    of TS201)."""

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
                or (word == ACQUIRE and before == ".")
                or (word in _CALLED_OR_QUALIFIED and (before == "." or after == "("))
            ):
                yield start

    def __call__(self, text: str) -> bool:
        return next(self.offsets(text), None) is not None


_mentions_cache: dict[frozenset[str], Mentions] = {}


def _is_api_name(name: str) -> bool:
    """An imported name that says threading even once renamed (``from threading import local as L``)."""
    return name in _API_WORDS or name in _CALLED_OR_QUALIFIED or name.endswith(EXECUTOR_SUFFIX)


def _imported_threading_names(tree: ast.Module, mentions: Mentions) -> set[str]:
    """The first hot names: local names of module-level imports of the factories the rules
    know from threading modules (``Procs`` for ``from concurrent.futures import
    ProcessPoolExecutor as Procs``), or of the project's own lock factories."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            from_threading = not _THREADING_MODULES.isdisjoint((node.module or "").split("."))
            for alias in node.names:
                if (from_threading and _is_api_name(alias.name)) or mentions(alias.name):
                    names.add(alias.asname or alias.name)
    return names


def _any_between(lines: Sequence[int], first: int, last: int) -> bool:
    """Whether one of the sorted ``lines`` is in [first, last]."""
    index = bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last


def _classes_sharing_self(file: File, mention_lines: Sequence[int]) -> set[Class]:
    """TS201: the classes whose instance threads share, so that its methods' writes to
    ``self.<attr>`` are shared state: a class that hands ``self.method`` to a thread, or
    whose header mentions threading (a ``Thread`` subclass)."""
    targets = set(file.lines_matching(_SELF_TARGET, _SELF_TARGET_ANCHORS))
    return {
        cls
        for cls in file.classes
        if _any_between(mention_lines, cls.first, cls.header_last)
        or any(line in targets for line in range(cls.first, cls.last + 1))
    }


def _classes_guarding(file: File, mention_lines: Sequence[int], sharing: set[Class]) -> set[Class]:
    """TS201: the other classes that mention threading: they may guard their fields with
    a lock of their own, which says their objects are shared."""
    return {cls for cls in file.classes if cls not in sharing and _any_between(mention_lines, cls.first, cls.last)}


class _Keep:
    """The criteria of the module's docstring, applied to one file until nothing more
    is kept."""

    def __init__(self, file: File, tree: ast.Module, mentions: Mentions) -> None:
        self.file = file
        self.mentions = mentions
        self.mention_lines = sorted(set(file.lines_of(mentions.offsets(file.text))))
        self.sharing = _classes_sharing_self(file, self.mention_lines)
        self.guarding = _classes_guarding(file, self.mention_lines, self.sharing)
        self.imported = _imported_threading_names(tree, mentions)
        self.kept_words: set[str] = set()
        self.kept_attributes: set[str] = set()  # ``m`` of ``x.m`` in kept code
        self.hot: set[str] = set()
        self._hot_pending: set[str] = set(self.imported)
        self.thread_classes: set[str] = set()
        self._thread_classes_pending: set[str] = set()
        # For each class in ``sharing``, the attributes its kept methods change.
        self.changed: dict[str, set[str]] = {}
        # For each class in ``guarding``, the attributes its kept methods change while
        # they may hold a lock (not in constructors, which TS201 does not count).
        self.guarded: dict[str, set[str]] = {}
        self._changed_grew = False
        self.waiters: set[str] = set()
        self._waiters_pending: set[str] = set()

    def run(self) -> None:
        for unit in self.file.units_on(self.mention_lines):
            self.keep(unit)
        grew = True
        while grew:
            grew = False
            for unit in self._newly_wanted():
                if not unit.kept:
                    self.keep(unit)
                    grew = True

    def _newly_wanted(self) -> Iterator[Unit]:
        # Lazy: each criterion sees what the units yielded before it have added.
        yield from self.hot_names()
        yield from self.thread_creators()
        yield from self.callers_of_waiters()
        undecided = [unit for unit in self.file.units if not unit.kept and unit.name is not None]
        yield from self.named_by_kept_code(undecided)
        yield from self.second_writers(undecided)

    def hot_names(self) -> Iterator[Unit]:
        """Units that name a hot name. Kept code binds it to a threading factory (``_lock``
        for ``self._lock = threading.Lock()``): TS101 and TS102 look for the acquires of a
        lock outside the function that builds it, TS301, TS302 and TS201's pool tasks for
        an executor's calls, TS201 for a thread started elsewhere. Or kept code declares
        it ``global``: TS201 looks for another writer of a global."""
        names, self._hot_pending = self._hot_pending - self.hot, set()
        self.hot |= names
        if names:
            yield from self.file.units_naming(names)

    def callers_of_waiters(self) -> Iterator[Unit]:
        """TS105: the units that name a kept function that waits: a call of it in a loop
        is the loop that re-checks what the wait was for."""
        names, self._waiters_pending = self._waiters_pending - self.waiters, set()
        self.waiters |= names
        if names:
            yield from self.file.units_naming(names)

    def thread_creators(self) -> Iterator[Unit]:
        """TS201: for each new thread class, the headers of its subclasses, and the first
        functions that create its threads (two creation sites of a ``Thread`` subclass
        are "started from several places")."""
        names, self._thread_classes_pending = self._thread_classes_pending - self.thread_classes, set()
        self.thread_classes |= names
        for name in names:
            creators = 0
            creation = re.compile(rf"\b{re.escape(name)}\s*\(")
            for unit in self.file.units_naming([name]):
                if unit.header_of is not None:
                    yield unit
                elif unit.name is not None and creation.search(unit.text):
                    if unit.kept or creators < _CREATIONS_KEPT:
                        creators += 1
                        yield unit

    def named_by_kept_code(self, undecided: list[Unit]) -> Iterator[Unit]:
        """Functions and methods kept code names: TS102 (helpers called while a lock is
        held), TS201 (thread targets and what they call), TS301 and TS302 (a task that
        catches every exception itself keeps them silent)."""
        for unit in undecided:
            # A method is called as ``self.m()``, ``obj.m()``, ``Cls.m``: an attribute.
            if unit.name in (self.kept_words if unit.owner is None else self.kept_attributes):
                yield unit

    def second_writers(self, undecided: list[Unit]) -> Iterator[Unit]:
        """TS201: a second writer of a field changed by thread code: a method of a class
        in ``sharing`` that uses an attribute the class's kept methods change."""
        if not self._changed_grew:
            return
        self._changed_grew = False
        for unit in undecided:
            if unit.owner is not None and unit.owner in self.sharing:
                changed = self.changed.get(unit.owner.name)
                if changed and not changed.isdisjoint(_SELF_ATTRIBUTE.findall(unit.text)):
                    yield unit
            elif unit.owner is not None and unit.owner in self.guarding:
                # Only a method that changes a guarded field can be reported there.
                guarded = self.guarded.get(unit.owner.name)
                if guarded and not guarded.isdisjoint(_SELF_CHANGE.findall(unit.text)):
                    yield unit

    def keep(self, unit: Unit) -> None:
        """Keeps ``unit``, and notes what it tells the criteria: its words and attributes
        (``named_by_kept_code``), the names it declares ``global`` or binds to a threading
        factory (``hot_names``), what it changes on a shared instance (``second_writers``),
        a ``Thread`` subclass's header (``thread_class_header``)."""
        unit.kept = True
        text = unit.text
        if unit.name is not None and _WAIT in text:
            self._waiters_pending.add(unit.name)
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
        if unit.owner is not None and unit.owner in self.sharing:
            # What thread code may change on the shared instance.
            self.changed.setdefault(unit.owner.name, set()).update(_SELF_CHANGE.findall(text))
            self._changed_grew = True
        elif (
            unit.owner is not None
            and unit.owner in self.guarding
            and unit.name not in _CONSTRUCTORS
            and any(taking in text for taking in _TAKING)
        ):
            self.guarded.setdefault(unit.owner.name, set()).update(_SELF_CHANGE.findall(text))
            self._changed_grew = True
        if unit.header_of is not None:
            self.thread_class_header(unit.header_of, text)

    def thread_class_header(self, cls: Class, text: str) -> None:
        """TS201: ``run()`` of a ``Thread`` subclass (or of a subclass of one) is thread
        code, and the class is a thread class for ``thread_creators``."""
        if self.mentions(text) or not self.thread_classes.isdisjoint(_WORD.findall(text)):
            self._thread_classes_pending.add(cls.name)
            for method in self.file.units:
                is_run = method.name == "run" and method.owner is not None and method.owner.name == cls.name
                if is_run and not method.kept:
                    self.keep(method)


def keep_units(file: File, tree: ast.Module, extra_names: frozenset[str]) -> None:
    """Marks ``kept`` the units of ``file`` a running rule may need."""
    mentions = _mentions_cache.get(extra_names)
    if mentions is None:
        mentions = _mentions_cache[extra_names] = Mentions(extra_names)
    _Keep(file, tree, mentions).run()
