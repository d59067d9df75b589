"""The codes the plugin reports, and what a file must contain before each rule can
report, known without importing the rules (and libcst).

The textual triggers are supersets of what the rules need: a file that passes them is
parsed and the rules decide; a file that passes none is never parsed, and a rule whose
trigger fails does not run. ``tests/test_codes.py`` checks every case file with an
expected report against its code's trigger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flake8_threadsafe.vocabulary import EXECUTOR_SUFFIX, THREADING_MODULES, contains_word, imports_any

_Check = Callable[[str], bool]


def _words(*words: str) -> _Check:
    return lambda source: contains_word(source, words)


def _threading_import(source: str) -> bool:
    return imports_any(source, THREADING_MODULES)


def _executor(source: str) -> bool:
    return contains_word(source, (EXECUTOR_SUFFIX,), suffix=True)


# Checks that must all hold; the one most files fail (and which several codes share, so
# that it runs once per file) comes first.
_Alternative = tuple[_Check, ...]

TRIGGERS: dict[str, tuple[_Alternative, ...]] = {
    # ``L.acquire()`` on anything whose name says lock: no import needed.
    "TS101": ((_words(".acquire"),),),
    # Only a lock built by one of these factories is known to be non-reentrant.
    "TS102": ((_threading_import, _words("Lock", "allocate_lock", "_allocate_lock", "allocate", "LockType")),),
    # A thread starts: Thread/Timer (or a subclass), _thread, a ThreadPoolExecutor; or
    # asyncio's threads, which need no threading import.
    "TS201": (
        (_threading_import, _words("Thread", "Timer", "start_new_thread", "start_new")),
        (_threading_import, _executor),
        (_words("to_thread", "run_in_executor"),),
    ),
    "TS301": ((_threading_import, _executor, _words(".map")),),
    "TS302": ((_threading_import, _executor, _words(".submit")),),
}
CODES = frozenset(TRIGGERS)


def triggered(source: str, codes: Iterable[str]) -> frozenset[str]:
    """Those of ``codes`` whose rule may report on ``source``."""
    found: dict[_Check, bool] = {}

    def holds(check: _Check) -> bool:
        hit = found.get(check)
        if hit is None:
            hit = found[check] = check(source)
        return hit

    return frozenset(
        code for code in codes if any(all(holds(check) for check in alternative) for alternative in TRIGGERS[code])
    )
