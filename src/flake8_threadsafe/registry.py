"""Every code the plugin reports, in one table: its rule module, the one line the README
shows for it, and its textual trigger.

Known without importing the rules (and libcst): flake8 asks for the codes of every
file. Tests, the docs checks and the README table are derived from this table; adding a
rule adds a line here (see "Adding a rule" in ``CONTRIBUTING.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flake8_threadsafe.prefilter.triggers import (
    Trigger, any_of, attribute, executor, queue_import, threading_import, triggered, words,
)
from flake8_threadsafe.prefilter.vocabulary import (
    ACQUIRE, ASYNCIO_START_WORDS, LOCK_WORDS, MAP, NON_REENTRANT_LOCK_WORDS, PROCESS_START_WORDS, QUEUE_WORDS,
    SUBMIT, THREAD_START_WORDS,
)

# A thread, process or task starts: the threading modules' starters and executors, or
# asyncio's, which need no threading import.
_STARTS = any_of(
    (threading_import, words(*THREAD_START_WORDS, *PROCESS_START_WORDS)),
    (threading_import, executor),
    (words(*ASYNCIO_START_WORDS),),
)


@dataclass(frozen=True)
class Code:
    code: str
    module: str  # ``rules/<module>.py``: its docstring says what it reports and what not
    summary: str  # the README's "what it reports" cell
    trigger: Trigger

    @property
    def doc(self) -> str:
        return f"docs/rules/{self.code}.md"


REGISTRY: tuple[Code, ...] = (
    Code(
        "TS101", "ts101_acquire_without_release",
        "lock acquired without a guaranteed release (a path that raises, returns or ends with it held)",
        # ``L.acquire()`` on anything whose name says lock: no import needed.
        any_of((attribute(ACQUIRE),)),
    ),
    Code(
        "TS102", "ts102_reacquire_nonreentrant",
        "non-reentrant `Lock` re-acquired by the thread that holds it, directly or through "
        "helper calls (self-deadlock)",
        # Only a lock built by one of these factories is known to be non-reentrant.
        any_of((threading_import, words(*NON_REENTRANT_LOCK_WORDS))),
    ),
    Code(
        "TS103", "ts103_lock_protects_nothing",
        "lock that protects nothing: a new lock each time (`with threading.Lock():`, a local "
        "lock never shared)",
        any_of((threading_import, words(*LOCK_WORDS))),
    ),
    Code(
        "TS104", "ts104_lock_order_inversion",
        "two locks taken in opposite orders by two code paths (lock-order deadlock)",
        any_of((threading_import, words(*LOCK_WORDS))),
    ),
    Code(
        "TS105", "ts105_condition_wait_not_in_loop",
        "`Condition.wait()` not in a loop: the condition may be false again when it returns",
        any_of((threading_import, words("Condition"), attribute("wait"))),
    ),
    Code(
        "TS201", "ts201_unlocked_shared_update",
        "shared state changed by a thread target without holding a lock (lost updates)",
        # A thread starts: Thread/Timer (or a subclass), _thread, a ThreadPoolExecutor; or
        # asyncio's threads, which need no threading import; or a class guards its fields
        # with a lock it builds.
        any_of(
            (threading_import, words(*THREAD_START_WORDS)),
            (threading_import, words(*LOCK_WORDS)),
            (threading_import, executor),
            (words(*ASYNCIO_START_WORDS),),
        ),
    ),
    Code(
        "TS202", "ts202_queue_check_then_act",
        "queue checked then used (`if not q.empty(): q.get()`) by several threads: the call "
        "blocks forever",
        any_of((queue_import, words(*QUEUE_WORDS), threading_import)),
    ),
    Code(
        "TS301", "ts301_map_result_discarded",
        "`Executor.map()` result discarded: the workers' exceptions are never raised",
        any_of((threading_import, executor, attribute(MAP))),
    ),
    Code(
        "TS302", "ts302_submit_future_discarded",
        "`Executor.submit()` future discarded: the worker's exception is never seen",
        any_of((threading_import, executor, attribute(SUBMIT))),
    ),
    Code(
        "TS303", "ts303_queue_join_without_task_done",
        "`Queue.join()` on a queue whose items nobody marks done (`task_done()`): it never returns",
        any_of((queue_import, words(*QUEUE_WORDS), attribute("join"))),
    ),
    Code(
        "TS401", "ts401_target_called",
        "thread target called instead of passed (`Thread(target=f())`): the work runs in the caller",
        _STARTS,
    ),
    Code(
        "TS402", "ts402_thread_arguments",
        "thread arguments that do not match the target (`args=(x)` is not a tuple; wrong count)",
        _STARTS,
    ),
    Code(
        "TS403", "ts403_run_instead_of_start",
        "`Thread.run()` called instead of `start()`: no thread starts",
        any_of((threading_import, attribute("run"))),
    ),
    Code(
        "TS404", "ts404_thread_started_twice",
        "a thread started twice (`RuntimeError: threads can only be started once`)",
        any_of((threading_import, attribute("start"))),
    ),
)
CODES = frozenset(entry.code for entry in REGISTRY)
TRIGGERS = {entry.code: entry.trigger for entry in REGISTRY}


def codes_triggered(source: str, codes: Iterable[str] = CODES) -> frozenset[str]:
    """Those of ``codes`` whose rule may report on ``source``."""
    return triggered(source, TRIGGERS, codes)
