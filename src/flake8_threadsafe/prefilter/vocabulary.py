"""The words that say a piece of code may touch threads, derived from the tables of
``kinds.py``, and how to find them fast.

The triggers (``triggers.py``, each rule's line of ``registry.py``) run on the text of
every file flake8 checks, the focus step (``focus.py``, ``keep.py``) on every file that
passes them. A regular expression of alternatives (``\\b(?:Lock|Thread)\\b``) makes
Python's ``re`` try every alternative at every position: about 20 ms per MB. ``str.find``
of a literal skips through the text at memory speed: about 0.6 ms per MB. So words are
found with ``str.find`` and then checked for word boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from flake8_threadsafe.kinds import (
    EXECUTOR_ANNOTATIONS,
    EXECUTOR_METHODS,
    LOCK_FACTORIES,
    PROCESS_STARTERS,
    QUEUE_FACTORIES,
    RUN_IN_EXECUTOR,
    THREAD_CLASSES,
    THREAD_LOCAL_FACTORIES,
    THREAD_STARTERS,
    LockKind,
    StartKind,
)


def _components(index: int, tables: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """Component ``index`` of every dotted name of ``tables``, each once, in the tables'
    order (a set's sorted: the order never depends on string hashing)."""
    found: dict[str, None] = {}
    for table in tables:
        for name in sorted(table) if isinstance(table, (set, frozenset)) else table:
            found[name.split(".")[index]] = None
    return tuple(found)


def first_components(*tables: Iterable[str]) -> tuple[str, ...]:
    """``threading`` of ``threading.Lock``."""
    return _components(0, tables)


def last_components(*tables: Iterable[str]) -> tuple[str, ...]:
    """``Lock`` of ``threading.Lock``."""
    return _components(-1, tables)


# Where locks, threads and executors are imported from. Not thread-locals'
# ``_threading_local`` (a thread-local alone is nothing a rule reports on) nor
# ``asyncio`` (TS201 looks for its ``to_thread`` without an import).
THREADING_MODULES = first_components(LOCK_FACTORIES, THREAD_CLASSES, EXECUTOR_ANNOTATIONS)
LOCK_WORDS = last_components(LOCK_FACTORIES)
# TS202, TS303: queues between threads, and the modules they come from.
QUEUE_WORDS = last_components(QUEUE_FACTORIES)
QUEUE_MODULES = first_components(QUEUE_FACTORIES)
# TS303 is silent when an item is marked done anywhere: the focus step keeps every call.
TASK_DONE = "task_done"
# TS102: only a lock built by one of these is known to be non-reentrant.
NON_REENTRANT_LOCK_WORDS = last_components(
    factory for factory, kind in LOCK_FACTORIES.items() if kind is LockKind.LOCK
)
# TS201: ``Thread``/``Timer`` (or a subclass) and ``_thread``'s starters come from a
# threading module; asyncio's threads need no threading import.
_THREADING_STARTERS = [starter for starter in THREAD_STARTERS if starter.split(".")[0] in THREADING_MODULES]
THREAD_START_WORDS = last_components(_THREADING_STARTERS)
ASYNCIO_START_WORDS = (*last_components(set(THREAD_STARTERS) - set(_THREADING_STARTERS)), RUN_IN_EXECUTOR)
# TS402 checks a process's arguments as a thread's.
PROCESS_START_WORDS = last_components(PROCESS_STARTERS)
THREAD_LOCAL_WORDS = last_components(THREAD_LOCAL_FACTORIES)
# ``ThreadPoolExecutor``, ``Executor``: an executor's name ends so.
EXECUTOR_SUFFIX = min(last_components(EXECUTOR_ANNOTATIONS), key=len)
_METHOD_STARTING = {start: method for method, start in EXECUTOR_METHODS.items()}
# TS302 looks for the future of ``ex.submit(fn)``, TS301 for the iterator of ``ex.map(fn, xs)``.
SUBMIT = _METHOD_STARTING[StartKind.POOL_SUBMIT]
MAP = _METHOD_STARTING[StartKind.POOL_MAP]
# TS101 looks for ``L.acquire()`` on anything whose name says lock, TS102 for a second
# acquire of a lock held: no table lists the method, as no factory is named so.
ACQUIRE = "acquire"


def anchors(words: Iterable[str]) -> tuple[str, ...]:
    """Those of ``words`` that contain no other: every word contains one of them, so
    ``words_containing`` finds every word with fewer searches (``Semaphore`` finds
    ``BoundedSemaphore`` too)."""
    unique = sorted(set(words))
    return tuple(word for word in unique if not any(other != word and other in word for other in unique))


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def words_containing(text: str, anchors: Sequence[str]) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each word of ``text`` that contains one of ``anchors``,
    each word once."""
    seen: set[int] = set()
    size = len(text)
    for anchor in anchors:
        index = text.find(anchor)
        while index != -1:
            start, end = index, index + len(anchor)
            while start and is_word_char(text[start - 1]):
                start -= 1
            while end < size and is_word_char(text[end]):
                end += 1
            if start not in seen:
                seen.add(start)
                yield start, end
            index = text.find(anchor, end)


def contains_word(text: str, words: Sequence[str], *, suffix: bool = False) -> bool:
    """Whether ``text`` holds one of ``words`` not glued to a longer word (with
    ``suffix``, only the end must be free: ``ThreadPoolExecutor`` for ``Executor``). A
    word may start with ``.``: ``.acquire`` is an attribute access."""
    for word in words:
        index = text.find(word)
        while index != -1:
            end = index + len(word)
            free_start = suffix or index == 0 or not is_word_char(word[0]) or not is_word_char(text[index - 1])
            if free_start and (end == len(text) or not is_word_char(text[end])):
                return True
            index = text.find(word, index + 1)
    return False


def imports_any(text: str, modules: Sequence[str]) -> bool:
    """Whether an ``import``/``from`` line names one of ``modules``."""
    for module in modules:
        index = text.find(module)
        while index != -1:
            end = index + len(module)
            whole = (index == 0 or not is_word_char(text[index - 1])) and (
                end == len(text) or not is_word_char(text[end])
            )
            if whole:
                line = text[text.rfind("\n", 0, index) + 1 : index].lstrip(" \t")
                if line.startswith(("import ", "import\t", "from ", "from\t")):
                    return True
            index = text.find(module, end)
    return False
