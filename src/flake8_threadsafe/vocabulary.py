"""The words that say a piece of code may touch threads: one list for the pre-check
(``plugin.py``) and for the focus step (``focus.py``), as regular-expression pieces."""

from __future__ import annotations

import re

ACQUIRE = r"\.acquire\b"
THREADING_MODULES = r"threading|_thread|multiprocessing|concurrent"
# Names that create a lock, a thread or a timer.
THREADING_NAME_WORDS = (
    "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Thread", "Timer",
    "allocate_lock", "start_new_thread", "start_new",
)
THREADING_NAMES = "|".join(THREADING_NAME_WORDS)
# ``ThreadPoolExecutor``, ``Executor``: matched as a suffix, which is much faster than ``\w*Executor``.
EXECUTOR = r"Executor\b"


def any_word(names: frozenset[str]) -> str:
    """A pattern matching any of ``names`` as a whole word."""
    return r"\b(?:" + "|".join(sorted(re.escape(name) for name in names)) + r")\b"
