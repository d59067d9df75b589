"""The words that say a piece of code may touch threads, for the textual triggers
(``codes.py``) and the focus step (``focus.py``), and how to find them fast.

Both run on text before anything is parsed, the triggers on every file flake8 checks.
A regular expression of alternatives (``\\b(?:Lock|Thread)\\b``) makes Python's ``re`` try
every alternative at every position: about 20 ms per MB. ``str.find`` of a literal skips
through the text at memory speed: about 0.6 ms per MB. So words are found with
``str.find`` and then checked for word boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

THREADING_MODULES = ("threading", "_thread", "multiprocessing", "concurrent")
# Names that create a lock, a thread or a timer.
THREADING_NAME_WORDS = (
    "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Thread", "Timer",
    "allocate_lock", "_allocate_lock", "start_new_thread", "start_new",
)
# ``ThreadPoolExecutor``, ``Executor``: an executor's name ends so.
EXECUTOR_SUFFIX = "Executor"


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
