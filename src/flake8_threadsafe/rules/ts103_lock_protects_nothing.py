"""TS103: a lock that protects nothing.

A lock excludes other threads only if they take the same lock object. ``with
threading.Lock():`` builds a new lock each time it runs, and so does a lock created
inside the function that uses it and never handed to anyone: every call, in every
thread, takes its own lock, which nobody else can hold. The critical section runs
unprotected, and the race it was written to prevent is still there.

Reported: an acquisition (``with ...:``, ``.acquire()``) of a lock built on the spot
(``with threading.Lock():``, ``threading.RLock().acquire()``, ``with self._ctx.Lock():``),
and of a lock that a function creates (``lock = threading.Lock()``) and only ever acquires
and releases itself: it is not returned, stored, passed to a call, or captured by a
nested function, lambda or thread.

Silent when the lock leaves the function (returned by a factory, stored on ``self`` or in
a container, handed to threads or workers, captured by a closure), for locks received as
parameters, and for module-, class- and instance-level locks.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS103"

_FIX = "create the lock once (at module level, or in __init__) and use that one everywhere"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    locks = facts.locks
    reported: set[tuple[object, str]] = set()
    for acquisition in facts.acquisitions:
        site, expr = acquisition.site, acquisition.expr
        func = site.func
        if isinstance(expr, cst.Call):
            if locks.objects.factory(expr) is None or locks.kind(func, site.cls, expr) is None:
                continue
            text = expression_text(expr.func) or "the factory"
            yield Finding(
                expr,
                CODE,
                f"'{text}()' builds a new lock each time this runs, which no other thread can hold: "
                f"it excludes nothing; {_FIX}",
            )
        elif isinstance(expr, cst.Name) and func is not None and (func, expr.value) not in reported:
            if locks.kind(func, site.cls, expr) is None or not locks.built_by_factory(site, expr):
                continue
            made = locks.objects.factory_calls(func, site.cls, expr)
            if not made or not locks.private_to(func, expr.value):
                continue
            reported.add((func, expr.value))
            yield Finding(
                expr,
                CODE,
                f"'{expr.value}' is a new lock made by every call of {func.display} (line {{line0}}) and never "
                f"shared, so each call takes its own lock and it excludes nothing; {_FIX}",
                tuple(made[:1]),
            )
