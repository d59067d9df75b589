"""TS302: the future returned by ``Executor.submit()`` thrown away.

An exception raised by a task submitted to a ``ThreadPoolExecutor`` or
``ProcessPoolExecutor`` is stored in its ``Future`` and raised again only by
``future.result()`` (or seen through ``exception()`` / a done callback). A future
nobody looks at keeps the error to itself, even when a ``with`` block waits for it.

Reported: ``ex.submit(...)`` as an expression statement, a comprehension of such calls
as a statement, and ``fut = ex.submit(...)`` (or ``futs = [ex.submit(...) for ...]``) in
a function that never reads that name; for executors built by
``ThreadPoolExecutor``/``ProcessPoolExecutor`` (``with ... as``, local, global, \
``Executor`` (or ``Optional[Executor]``).

Silent on: futures that are collected, waited on, iterated, passed to any call
(``wait``, ``as_completed``), given ``add_done_callback``, ``.result()``-ed, returned or
stored; ``_ = ex.submit(...)``; module-level and class-level names; tasks of this file
that end in a ``try`` catching ``Exception`` without re-raising (only simple statements
before it); other objects with a ``submit`` method.
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.results import DiscardKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS302"

_LOST = "an exception raised by the task stays in the future and is lost"
_FIX = (
    "keep the future and call '.result()' on it (or wait()/as_completed() and check each), "
    "or use 'add_done_callback' to handle its exception"
)


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for discarded in facts.results.discarded_executor_calls("submit"):
        ex, name = discarded.executor, discarded.discard.name
        if discarded.discard.kind is DiscardKind.NAME:
            what = f"'{name}', the future of '{ex}.submit()', is never read"
        elif discarded.discard.kind is DiscardKind.COMPREHENSION:
            what = f"the futures of '{ex}.submit()' are thrown away by a comprehension"
        else:
            what = f"the future of '{ex}.submit()' is thrown away"
        yield Finding(discarded.site.node, CODE, f"{what}: {_LOST}; {_FIX}")
