"""TS302: the future returned by ``Executor.submit()`` thrown away.

An exception raised by a task submitted to a ``ThreadPoolExecutor`` or
``ProcessPoolExecutor`` is stored in its ``Future`` and raised again only by
``future.result()`` (or seen through ``exception()`` / a done callback). A future
nobody looks at keeps the error to itself, even when a ``with`` block waits for it.

Reported: ``ex.submit(...)`` as an expression statement, a comprehension of such calls
as a statement, and ``fut = ex.submit(...)`` (or ``futs = [ex.submit(...) for ...]``) in
a function that never reads that name; for executors built by
``ThreadPoolExecutor``/``ProcessPoolExecutor`` (``with ... as``, local, global, class or
``self.`` attribute) and parameters annotated ``Executor``.

Silent on: futures that are collected, waited on, iterated, passed to any call
(``wait``, ``as_completed``), given ``add_done_callback``, ``.result()``-ed, returned or
stored; ``_ = ex.submit(...)``; module-level and class-level names; tasks of this file
whose whole body catches ``Exception`` without re-raising; other objects with a
``submit`` method.
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.facts import dotted_text
from flake8_threadsafe.facts.results import dropped_executor_calls
from flake8_threadsafe.rules.base import Finding, Rule

_LOST = "an exception raised by the task stays in the future and is lost"


class SubmitFutureDiscarded(Rule):
    code = "TS302"

    def finish(self) -> Iterator[Finding]:
        for dropped in dropped_executor_calls(self.facts, "submit"):
            executor = dotted_text(dropped.receiver) or "executor"
            discard = dropped.discard
            if discard.how == "name":
                what = f"'{discard.name}', the future of '{executor}.submit()', is never read"
            elif discard.how == "comprehension":
                what = f"the futures of these '{executor}.submit()' calls are thrown away"
            else:
                what = f"the future of '{executor}.submit()' is thrown away"
            fix = (
                "keep the future and call '.result()' on it (or wait()/as_completed() and "
                "check each), or add a done callback that checks 'future.exception()'"
            )
            yield self.finding(dropped.site.node, f"{what}: {_LOST}; {fix}")
