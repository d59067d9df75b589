"""Which locks each function acquires, directly or through the calls it makes:
per-function summaries over the file's call graph.

An acquisition (``with L:``, ``L.acquire()`` that waits without limit) of a known lock
is a ``Take``; a function's summary maps each lock it takes, itself or through calls of
this file's functions on the same object, to the first step of one path to the take.
Summaries are computed once per set of lock kinds asked for, by a worklist that ends on
call cycles and recursion.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import libcst as cst

from flake8_threadsafe.facts.calls import CallGraph
from flake8_threadsafe.facts.locks import Locks
from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Recording, Site
from flake8_threadsafe.facts.names import Names, Ref
from flake8_threadsafe.facts.syntax import dotted_text
from flake8_threadsafe.kinds import LockKind


@dataclass(frozen=True, eq=False)
class Take:
    """A blocking acquisition of a lock: ``with L:`` or ``L.acquire()``."""

    site: Site
    expr: cst.BaseExpression  # ``L``
    text: str
    lock: Ref  # the identity of the lock really taken (a Condition's base lock)
    kind: LockKind
    node: cst.CSTNode  # the ``with`` item's expression or the call


@dataclass(frozen=True)
class HeldLock:
    """A lock held at a site: its identity, its text where it was taken, its kind."""

    lock: Ref
    text: str
    kind: LockKind


@dataclass(frozen=True, eq=False)
class Step:
    """Why a function acquires a lock: it takes it (``take``) or calls ``callee`` at ``site``."""

    site: Site
    callee: FunctionInfo | None
    take: Take | None


Summaries = dict[FunctionInfo, dict[Ref, Step]]


def _truthy_literal(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Name):
        return expr.value == "True"
    if isinstance(expr, cst.Integer):
        return expr.evaluated_value != 0
    return False


def _no_timeout(expr: cst.BaseExpression) -> bool:
    """``-1``, the default timeout of ``acquire()``: wait for ever."""
    return (
        isinstance(expr, cst.UnaryOperation)
        and isinstance(expr.operator, cst.Minus)
        and isinstance(expr.expression, cst.Integer)
        and expr.expression.evaluated_value == 1
    )


def _blocks_forever(call: cst.Call) -> bool:
    """``acquire()`` that waits without limit; ``acquire(False)``, ``acquire(timeout=t)``,
    ``acquire(blocking=flag)`` return instead of deadlocking (or we cannot tell)."""
    positional = []
    for arg in call.args:
        if arg.star:
            return False
        if arg.keyword is None:
            positional.append(arg.value)
        elif arg.keyword.value == "timeout" and not _no_timeout(arg.value):
            return False
        elif arg.keyword.value == "blocking" and not _truthy_literal(arg.value):
            return False
    if positional and not _truthy_literal(positional[0]):
        return False
    return len(positional) < 2 or _no_timeout(positional[1])


def _flag_test(test: cst.BaseExpression, params: set[str]) -> bool:
    """``locked``, ``not locked``, ``lock is True``, ``a and locked``: tests of a flag parameter."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _flag_test(test.expression, params)
    if isinstance(test, cst.Name):
        return test.value in params
    if isinstance(test, cst.BooleanOperation):
        return _flag_test(test.left, params) or _flag_test(test.right, params)
    if isinstance(test, cst.Comparison):
        return _flag_test(test.left, params) and all(
            isinstance(target.comparator, cst.Name)
            and target.comparator.value in ("None", "True", "False")
            for target in test.comparisons
        )
    return False


def _flag_params(func: FunctionInfo) -> set[str]:
    """Parameters that default to ``True``/``False``: switches such as ``locked=False``."""
    node = func.node
    params = (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
    return {
        param.name.value
        for param in params
        if isinstance(param.default, cst.Name) and param.default.value in ("True", "False")
    }


def _depends_on_flag(site: Site, params: set[str]) -> bool:
    """The site runs only for some value of a flag parameter of its function (``if not
    locked:``, either branch): the caller decides whether the lock is taken."""
    if not params:
        return False
    enclosing = site.enclosing()
    next(enclosing, None)  # the site's own statement does not guard it
    for pos in enclosing:
        branch: cst.CSTNode | None = pos.statement
        while isinstance(branch, cst.If):
            if _flag_test(branch.test, params):
                return True
            branch = branch.orelse
    return False


def crosses(lock: Ref, callee: FunctionInfo) -> bool:
    """A lock in ``callee``'s summary is the caller's lock too, unless it is a local of
    ``callee``: every call creates a new one (recursion with a local lock is fine)."""
    return not lock.is_local_of(callee)


class Acquires:
    def __init__(self, recording: Recording, names: Names, locks: Locks, calls: CallGraph) -> None:
        self.names = names
        self.locks = locks
        self.calls = calls
        self._recording = recording
        self._takes: list[Take] | None = None
        self._flags: dict[FunctionInfo, set[str]] = {}
        self._summaries: dict[frozenset[LockKind], Summaries] = {}

    @property
    def takes(self) -> list[Take]:
        """Every blocking acquisition of a known lock, in walk order; not those of a lock
        the function releases without taking it (``Locks.released_unheld``)."""
        if self._takes is None:
            self._takes = []
            locks = self.locks
            for acquisition in self._recording.acquisitions:
                node = acquisition.node
                if isinstance(node, cst.Call) and not _blocks_forever(node):
                    continue
                site, expr = acquisition.site, acquisition.expr
                kind = locks.kind(site.func, site.cls, expr)
                if kind is None:
                    continue
                # ``cls.get_lock()``: an accessor's lock, written as its own name.
                text = locks.spelled(site.func, expr) if isinstance(expr, cst.Call) else dotted_text(expr)
                lock = locks.identity(site.func, site.cls, expr)
                if text is None or lock is None or text in locks.released_unheld(site.func):
                    continue
                self._takes.append(Take(site, expr, text, lock, kind, node if isinstance(node, cst.Call) else expr))
        return self._takes

    def held_at(self, site: Site) -> list[HeldLock]:
        """The locks held at ``site`` whose holding is this function's own doing: not
        ``released_unheld`` ones, and not ``L.acquire()`` that the function never releases (``L`` is a
        signal that another thread releases, and acquiring it again is how this one waits)."""
        found = []
        for held, kind in self.locks.held_locks(site):
            text = self.locks.hold_text(held)
            if text in self.locks.released_unheld(held.func):
                continue
            handed_off = text not in self.locks.released(held.func)
            if handed_off and not isinstance(held.node, cst.WithItem):
                continue
            cls = site.cls if held.func is None else None
            lock = self.locks.identity(held.func, cls, held.expr)
            if lock is not None:
                found.append(HeldLock(lock, held.text, kind))
        return found

    def depends_on_flag(self, site: Site) -> bool:
        func = site.func
        if func is None:
            return False
        params = self._flags.get(func)
        if params is None:
            params = self._flags[func] = _flag_params(func)
        return _depends_on_flag(site, params)

    def callee(self, site: CallSite) -> FunctionInfo | None:
        """The function of this file a call runs with the caller's locks: a function, or a
        method on the same object (``Cls.method(other)`` runs on another instance, whose
        ``self._lock`` is another lock)."""
        callee = self.names.call_target(site)
        if callee is None or callee.self_name is None or callee.is_classmethod:
            return callee
        if not isinstance(site.node.func, cst.Attribute):
            return callee
        return callee if self.calls.passes_instance(site) else None

    def summaries(self, kinds: frozenset[LockKind]) -> Summaries:
        """For each function, the locks of ``kinds`` it acquires directly or through
        calls, each with the first step of one path to the acquisition.

        A worklist over the file's call graph: a function whose summary grew passes the
        new locks to its callers. A (function, lock) pair is added once, so call cycles
        and recursion end, and the work is bounded by call edges x locks.
        """
        found = self._summaries.get(kinds)
        if found is None:
            found = self._summaries[kinds] = self._summarize([take for take in self.takes if take.kind in kinds])
        return found

    def _summarize(self, takes: list[Take]) -> Summaries:
        summaries: Summaries = {}
        pending: dict[FunctionInfo, set[Ref]] = {}
        for take in takes:
            func = take.site.func
            if func is None or self.depends_on_flag(take.site):
                continue
            summary = summaries.setdefault(func, {})
            if take.lock not in summary:
                summary[take.lock] = Step(take.site, None, take)
                pending.setdefault(func, set()).add(take.lock)
        if not summaries:
            return summaries

        # callee -> caller -> the first call site from that caller
        callers: dict[FunctionInfo, dict[FunctionInfo, CallSite]] = {}
        for func in self.names.functions:
            for site, _ in self.calls.callees(func):
                callee = self.callee(site)
                if callee is not None and not self.depends_on_flag(site):
                    callers.setdefault(callee, {}).setdefault(func, site)

        # Locks waiting to be passed on are merged per function, so a function is
        # queued once however many of its callees grow before its turn.
        queue = deque(pending)
        while queue:
            callee = queue.popleft()
            locks = [lock for lock in pending.pop(callee) if crosses(lock, callee)]
            for caller, site in callers.get(callee, {}).items():
                summary = summaries.setdefault(caller, {})
                for lock in locks:
                    if lock not in summary:
                        summary[lock] = Step(site, callee, None)
                        waiting = pending.get(caller)
                        if waiting is None:
                            waiting = pending[caller] = set()
                            queue.append(caller)
                        waiting.add(lock)
        return summaries


def path_to(summaries: Summaries, site: CallSite, callee: FunctionInfo, lock: Ref) -> tuple[str, Take]:
    """``self._write() -> self._append()``: the calls from ``site`` to where ``lock`` is
    taken, and that take."""
    names = [_call_text(site, callee)]
    step = summaries[callee][lock]
    while step.callee is not None:
        assert isinstance(step.site, CallSite)
        names.append(_call_text(step.site, step.callee))
        step = summaries[step.callee][lock]
    assert step.take is not None
    return " -> ".join(names), step.take


def _call_text(site: CallSite, callee: FunctionInfo) -> str:
    """The call as written (``self._write()``), or the name of the function it runs."""
    text = dotted_text(site.node.func)
    return f"{text if text is not None else callee.name}()"
