"""TS301: the iterator returned by ``Executor.map()`` thrown away.

``ThreadPoolExecutor.map()`` / ``ProcessPoolExecutor.map()`` start every task at once
but return a lazy iterator: an exception raised in a worker is raised again only when
its result is pulled from that iterator. ``ex.map(send, items)`` as a statement, or a
result bound to a name that is never read, loses every worker error.

Reported: ``ex.map(...)`` as an expression statement, a comprehension of such calls as a
statement, and ``results = ex.map(...)`` in a function that never reads ``results``;
for executors built by ``ThreadPoolExecutor``/``ProcessPoolExecutor`` (``with ... as``,
local, global, Silent on: results that are iterated, passed to any call, returned, yielded, stored,
or read later; ``_ = ex.map(...)``; module-level and class-level names (another module
may read them); tasks of this file that end in a ``try`` catching ``Exception`` without
re-raising (only simple statements before it); ``multiprocessing.Pool.map`` (eager,
raises in the caller), the builtin ``map`` and other objects with a ``map`` method.
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe import fixes
from flake8_threadsafe.facts.results import DiscardKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS301"

_LOST = "a worker's exception is raised only when its result is read, so it is lost"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for discarded in facts.results.discarded_executor_calls("map"):
        ex, name = discarded.executor, discarded.discard.name
        if discarded.discard.kind is DiscardKind.NAME:
            what = f"'{name}', the result of '{ex}.map()', is never read"
            fix = f"iterate over '{name}' or use 'list({ex}.map(...))'"
        elif discarded.discard.kind is DiscardKind.COMPREHENSION:
            what = f"the results of '{ex}.map()' are thrown away by a comprehension"
            fix = f"consume each one with 'list({ex}.map(...))'"
        else:
            what = f"the result of '{ex}.map()' is thrown away"
            fix = f"use 'list({ex}.map(...))' or 'for result in {ex}.map(...):'"
        repair = None
        site = discarded.site
        if discarded.discard.kind is DiscardKind.STATEMENT and site.stmt is not None:
            repair = fixes.consume(site.stmt.statement, site.node, f"iterate over '{ex}.map(...)'")
        yield Finding(site.node, CODE, f"{what}: {_LOST}; {fix}", fix=repair)
