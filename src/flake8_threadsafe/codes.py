"""The codes the plugin reports, and what a file must contain before each rule can
report, known without importing the rules (and libcst).

The textual triggers are supersets of what the rules need: a file that passes them is
parsed and the rules decide; a file that passes none is never parsed, and a rule whose
trigger fails does not run. ``tests/test_codes.py`` checks every case file with an
expected report against its code's trigger.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flake8_threadsafe.vocabulary import ACQUIRE, EXECUTOR, THREADING_MODULES

_THREADING_IMPORT = re.compile(
    rf"^[ \t]*(?:import|from)[ \t][^\n]*\b(?:{THREADING_MODULES})\b", re.MULTILINE
)
_EXECUTOR = re.compile(EXECUTOR)
_Alternative = tuple[re.Pattern[str], ...]  # patterns that must all be found

TRIGGERS: dict[str, tuple[_Alternative, ...]] = {
    # ``L.acquire()`` on anything whose name says lock: no import needed.
    "TS101": ((re.compile(ACQUIRE),),),
    # Only a lock built by one of these factories is known to be non-reentrant.
    "TS102": ((_THREADING_IMPORT, re.compile(r"\b(?:Lock|_?allocate_lock|allocate|LockType)\b")),),
    # A thread starts: Thread/Timer (or a subclass), _thread, a ThreadPoolExecutor; or
    # asyncio's threads, which need no threading import.
    "TS201": (
        (_THREADING_IMPORT, re.compile(rf"\b(?:Thread|Timer|start_new_thread|start_new)\b|{EXECUTOR}")),
        (re.compile(r"\b(?:to_thread|run_in_executor)\b"),),
    ),
    "TS301": ((_EXECUTOR, re.compile(r"\.map\b"), _THREADING_IMPORT),),
    "TS302": ((_EXECUTOR, re.compile(r"\.submit\b"), _THREADING_IMPORT),),
}
CODES = frozenset(TRIGGERS)


def triggered(source: str, codes: Iterable[str]) -> frozenset[str]:
    """Those of ``codes`` whose rule may report on ``source``."""
    found: dict[re.Pattern[str], bool] = {}

    def has(pattern: re.Pattern[str]) -> bool:
        hit = found.get(pattern)
        if hit is None:
            hit = found[pattern] = pattern.search(source) is not None
        return hit

    return frozenset(
        code for code in codes if any(all(has(pattern) for pattern in alternative) for alternative in TRIGGERS[code])
    )
