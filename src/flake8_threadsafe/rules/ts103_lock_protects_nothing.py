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
a container, handed to threads or workers, captured by a closure), for a local that may
also be bound to another lock (``lock = shared`` on one branch), for locks a call of
another function returns, for locks received as parameters, for module-, class- and
instance-level locks, for a local condition whose ``wait()``/``notify()`` the function
calls (taken to signal), and
for a ``with`` block that does nothing (``with self.Lock(): pass`` exercises the lock).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.model import FunctionInfo, Site
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
        if _exercises(acquisition.node, site):
            continue
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
            if not locks.made_here(func, expr) or _signals(facts, func, expr.value):
                continue
            made = locks.objects.factory_calls(func, site.cls, expr)
            if not locks.private_to(func, expr.value):
                continue
            reported.add((func, expr.value))
            yield Finding(
                expr,
                CODE,
                f"'{expr.value}' is a new lock made by every call of {func.display} (line {{line0}}) and never "
                f"shared, so each call takes its own lock and it excludes nothing; {_FIX}",
                tuple(made[:1]),
            )


def _exercises(node: cst.CSTNode, site: Site) -> bool:
    """``with lock: pass``: a block that does nothing guards nothing, it exercises the lock
    (a test of the lock itself)."""
    if not isinstance(node, cst.WithItem):
        return False
    statement = site.stmt.statement if site.stmt is not None else None
    if not isinstance(statement, cst.With):
        return False
    body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else [statement.body]
    return all(
        isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
        and all(isinstance(small, cst.Pass) or _is_ellipsis(small) for small in line.body)
        for line in body
    )


def _is_ellipsis(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis)


# A condition's own methods: taking it to call them is signalling, not excluding.
_SIGNALLING = frozenset({"wait", "wait_for", "notify", "notify_all", "notifyAll"})


def _signals(facts: FileFacts, func: FunctionInfo, name: str) -> bool:
    """The function calls the lock's ``wait()``/``notify()``: a condition taken to signal
    (or to test the calls themselves), not to protect data."""
    return any(
        isinstance(site.node.func, cst.Attribute)
        and site.node.func.attr.value in _SIGNALLING
        and isinstance(site.node.func.value, cst.Name)
        and site.node.func.value.value == name
        for site in func.calls
    )
