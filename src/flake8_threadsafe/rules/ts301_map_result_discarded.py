"""TS301: the iterator returned by ``Executor.map()`` thrown away.

``ThreadPoolExecutor.map()`` / ``ProcessPoolExecutor.map()`` start every task at once
but return a lazy iterator: an exception raised in a worker is raised again only when
its result is pulled from that iterator. ``ex.map(send, items)`` as a statement, or a
result bound to a name that is never read, loses every worker error.

Reported: ``ex.map(...)`` as an expression statement, a comprehension of such calls as a
statement, and ``results = ex.map(...)`` in a function that never reads ``results``;
for executors built by ``ThreadPoolExecutor``/``ProcessPoolExecutor`` (``with ... as``,
local, global, class or ``self.`` attribute) and parameters annotated ``Executor``.

Silent on: results that are iterated, passed to any call, returned, yielded, stored,
or read later; ``_ = ex.map(...)``; module-level and class-level names (another module
may read them); tasks of this file whose whole body catches ``Exception`` without
re-raising; ``multiprocessing.Pool.map`` (eager, raises in the caller), the builtin
``map`` and other objects with a ``map`` method.
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.facts import dotted_text
from flake8_threadsafe.facts.results import dropped_executor_calls
from flake8_threadsafe.rules.base import Finding, Rule

_LOST = "a worker's exception is raised again only when its result is read, so it is lost"


class MapResultDiscarded(Rule):
    code = "TS301"

    def finish(self) -> Iterator[Finding]:
        for dropped in dropped_executor_calls(self.facts, "map"):
            executor = dotted_text(dropped.receiver) or "executor"
            discard = dropped.discard
            if discard.how == "name":
                what = f"'{discard.name}', the result of '{executor}.map()', is never read"
                fix = f"iterate over '{discard.name}' or write 'list({executor}.map(...))'"
            elif discard.how == "comprehension":
                what = f"the results of these '{executor}.map()' calls are thrown away"
                fix = f"consume each one: 'list({executor}.map(...))'"
            else:
                what = f"the result of '{executor}.map()' is thrown away"
                fix = f"write 'list({executor}.map(...))' or 'for result in {executor}.map(...):'"
            yield self.finding(dropped.site.node, f"{what}: {_LOST}; {fix}")
