"""TS102: a non-reentrant lock acquired again by the thread that already holds it.

A ``threading.Lock`` (also ``_thread.allocate_lock()``, ``multiprocessing.Lock()`` and a
``Condition`` built on one) does not know which thread holds it: a second blocking
acquire by the holder waits for itself forever, without an error or a traceback.

Reported: ``with L:`` / ``L.acquire()`` while ``L`` is already held in the same function,
and a call made while ``L`` is held to a function or method of this file that acquires
``L``, directly or through further calls (each function gets a summary of the locks it
acquires, propagated over the file's call graph to a fixed point). "Same lock" is the
same ``ref`` (module global, ``self.<attr>`` in one class, ``Cls.<attr>``, local); a
``Condition(L)`` is the same lock as ``L``.

Silent on: ``RLock``, ``Condition()`` and ``Condition(RLock())``, locks known only by
name, different locks, calls made after the release, calls on other objects
(``self.child.m()``, ``other.m()``, ``Cls.m(other)``), acquires with a timeout or
``blocking=False``, acquires that depend on a flag parameter (``locked=False`` ...
``if not locked:``), functions that release a lock they did not take themselves
(they run under the caller's lock and drop it for a while: taking it back is their job),
and ``L.acquire()`` that the function never releases (``L`` is a signal another thread
releases: acquiring it again is how the function waits).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from flake8_threadsafe.facts import (
    FunctionInfo,
    LockKind,
    RefId,
    Site,
    acquire_receiver,
    dotted_text,
)
from flake8_threadsafe.facts.held import calls_in_scope, positions, releases
from flake8_threadsafe.rules.base import Finding, Rule

_CONSEQUENCE = (
    "the lock is not reentrant, so the thread waits for itself forever: "
    "take it once (restructure so helpers expect it held) or use an RLock"
)


@dataclass(frozen=True, eq=False)
class _Take:
    """A blocking acquisition of a non-reentrant lock: ``with L:`` or ``L.acquire()``."""

    site: Site
    expr: cst.BaseExpression  # ``L``
    text: str
    lock: RefId  # the identity of the lock really taken (a Condition's base lock)
    node: cst.CSTNode  # what is reported: the ``with`` item's expression or the call


@dataclass(frozen=True, eq=False)
class _Step:
    """Why a function acquires a lock: it takes it (``take``) or calls ``callee`` at ``site``."""

    site: Site
    callee: FunctionInfo | None
    take: _Take | None


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
    enclosing = positions(site)
    next(enclosing, None)  # the site's own statement does not guard it
    for pos in enclosing:
        branch = pos.statement
        while isinstance(branch, cst.If):
            if _flag_test(branch.test, params):
                return True
            branch = branch.orelse
    return False


def _instance_name(func: FunctionInfo | None) -> str | None:
    """The name the instance has in ``func`` (``self``), looking through nested functions."""
    scope = func
    while scope is not None:
        if scope.cls is not None:
            return None if scope.is_classmethod else scope.self_name
        scope = scope.parent
    return None


def _crosses(lock: RefId, callee: FunctionInfo) -> bool:
    """A lock in ``callee``'s summary is the caller's lock too, unless it is a local of
    ``callee``: every call creates a new one (recursion with a local lock is fine)."""
    return not (lock[0] == "local" and lock[1] == id(callee))


def _path(
    summaries: dict[int, dict[RefId, _Step]], site: Site, callee: FunctionInfo, lock: RefId
) -> tuple[str, _Take]:
    """``self._write() -> self._append()`` from the call at ``site`` to the acquisition."""
    names = [_call_text(site, callee)]
    step = summaries[id(callee)][lock]
    while step.callee is not None:
        names.append(_call_text(step.site, step.callee))
        step = summaries[id(step.callee)][lock]
    assert step.take is not None
    return " -> ".join(names), step.take


def _called_name(site: Site) -> str | None:
    """``f`` for ``f()`` and ``x.f()``; None when the callee is not named (a lambda...)."""
    callee = site.node.func  # type: ignore[attr-defined]
    if isinstance(callee, cst.Attribute):
        return callee.attr.value
    if isinstance(callee, cst.Name):
        return callee.value
    return None


def _call_text(site: Site, callee: FunctionInfo) -> str:
    """The call as written (``self._write()``), or the name of the function it runs."""
    text = dotted_text(site.node.func)  # type: ignore[attr-defined]
    return f"{text if text is not None else callee.name}()"


class ReacquireNonReentrant(Rule):
    code = "TS102"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.candidates: list[tuple[Site, cst.BaseExpression, cst.CSTNode]] = []
        self._dropped_cache: dict[int, set[str]] = {}
        self._flags_cache: dict[int, set[str]] = {}
        self._released_cache: dict[int, set[str]] = {}

    def visit_WithItem(self, site: Site) -> None:
        item = site.node.item  # type: ignore[attr-defined]
        self.candidates.append((site, item, item))

    def visit_Call(self, site: Site) -> None:
        receiver = acquire_receiver(site.node)  # type: ignore[arg-type]
        if receiver is not None and _blocks_forever(site.node):  # type: ignore[arg-type]
            self.candidates.append((site, receiver, site.node))

    def finish(self) -> Iterator[Finding]:
        takes = self._takes()
        if not takes:
            return
        for take in takes:
            for held, held_text in self._held(take.site):
                if held == take.lock:
                    what = f"'{take.text}'"
                    if take.text != held_text:
                        what += f" (the same lock as '{held_text}')"
                    yield self.finding(
                        take.node,
                        f"{what} acquired again while this thread holds it; {_CONSEQUENCE}",
                    )
                    break
        summaries = self._summaries(takes)
        for site in self.facts.calls:
            if not site.held:
                continue
            held_locks = self._held(site)
            if not held_locks:
                continue
            callee = self._callee(site)
            summary = summaries.get(id(callee)) if callee is not None else None
            if not summary:
                continue
            assert callee is not None
            for held, held_text in held_locks:
                step = summary.get(held)
                if step is not None and _crosses(held, callee):
                    path, take = _path(summaries, site, callee, held)
                    alias = f" (as '{take.text}')" if take.text != held_text else ""
                    yield self.finding(
                        site.node,
                        f"'{held_text}' is held here and acquired again via {path}{alias}; "
                        f"{_CONSEQUENCE}",
                    )
                    break

    # -- what is acquired where --------------------------------------------------------

    def _takes(self) -> list[_Take]:
        facts = self.facts
        takes = []
        for site, expr, node in self.candidates:
            if facts.lock_kind(site.func, site.cls, expr) is not LockKind.LOCK:
                continue
            text = dotted_text(expr)
            lock = facts.lock_identity(site.func, site.cls, expr)
            if text is None or lock is None or text in self._dropped(site.func):
                continue
            takes.append(_Take(site, expr, text, lock, node))
        return takes

    def _held(self, site: Site) -> list[tuple[RefId, str]]:
        """The non-reentrant locks held at ``site``: (identity, text)."""
        found = []
        for held, kind in self.facts.held_locks(site):
            if kind is not LockKind.LOCK or held.text in self._dropped(held.func):
                continue
            handed_off = held.text not in self._released(held.func)
            if handed_off and not isinstance(held.node, cst.WithItem):
                # ``L.acquire()`` never released by this function: ``L`` is a signal that
                # another thread releases, and acquiring it again is how this one waits.
                continue
            cls = site.cls if held.func is None else None
            lock = self.facts.lock_identity(held.func, cls, held.expr)
            if lock is not None:
                found.append((lock, held.text))
        return found

    def _released(self, func: FunctionInfo | None) -> set[str]:
        """The locks ``func`` calls ``release()`` on."""
        key = id(func)
        released = self._released_cache.get(key)
        if released is None:
            released = {text for _, text in releases(calls_in_scope(self.facts.calls, func))}
            self._released_cache[key] = released
        return released

    def _dropped(self, func: FunctionInfo | None) -> set[str]:
        """Locks ``func`` releases without having acquired them itself (``with L:
        L.release() ... L.acquire()``, or a helper run under its caller's lock that lets
        it go for a while): in such a function, held regions and re-acquires of that lock
        are deliberate, so they are not judged."""
        key = id(func)
        dropped = self._dropped_cache.get(key)
        if dropped is None:
            dropped = set()
            for site, text in releases(calls_in_scope(self.facts.calls, func)):
                if not any(
                    held.text == text and not isinstance(held.node, cst.WithItem)
                    for held in site.held
                ):
                    dropped.add(text)
            self._dropped_cache[key] = dropped
        return dropped

    def _depends_on_flag(self, site: Site) -> bool:
        func = site.func
        if func is None:
            return False
        params = self._flags_cache.get(id(func))
        if params is None:
            params = self._flags_cache[id(func)] = _flag_params(func)
        return _depends_on_flag(site, params)

    def _callee(self, site: Site) -> FunctionInfo | None:
        """The function of this file a call runs *on the same object*: ``Cls.method(other)``
        runs on another instance, whose ``self._lock`` is another lock."""
        callee = self.facts.call_target(site)
        if callee is None or callee.self_name is None or callee.is_classmethod:
            return callee
        call = site.node
        assert isinstance(call, cst.Call)
        if not isinstance(call.func, cst.Attribute):
            return callee
        instance = _instance_name(site.func)
        receiver = call.func.value
        if isinstance(receiver, cst.Name) and receiver.value == instance:
            return callee
        first = next((arg.value for arg in call.args if arg.keyword is None and not arg.star), None)
        if instance is not None and isinstance(first, cst.Name) and first.value == instance:
            return callee
        return None

    # -- summaries: which locks each function acquires, following calls ----------------

    def _summaries(self, takes: list[_Take]) -> dict[int, dict[RefId, _Step]]:
        """For each function (by id), the non-reentrant locks it acquires directly or
        through calls, each with the first step of one path to the acquisition.

        A worklist over the file's call graph: a function whose summary grew passes the
        new locks to its callers. A (function, lock) pair is added once, so call cycles
        and recursion end, and the work is bounded by call edges x locks.
        """
        summaries: dict[int, dict[RefId, _Step]] = {}
        functions: dict[int, FunctionInfo] = {}
        pending: dict[int, set[RefId]] = {}
        for take in takes:
            func = take.site.func
            if func is None or self._depends_on_flag(take.site):
                continue
            summary = summaries.setdefault(id(func), {})
            if take.lock not in summary:
                summary[take.lock] = _Step(take.site, None, take)
                functions[id(func)] = func
                pending.setdefault(id(func), set()).add(take.lock)
        if not summaries:
            return summaries

        # callee id -> caller id -> the first call site from that caller
        callers: dict[int, dict[int, tuple[FunctionInfo, Site]]] = {}
        defined = {func.name for func in self.facts.functions}
        for func in self.facts.functions:
            for site in func.calls:
                name = _called_name(site)
                if name is not None and name not in defined:
                    continue  # ``len(x)``, ``self._items.append(x)``: not a function of this file
                callee = self._callee(site)
                if callee is not None and not self._depends_on_flag(site):
                    callers.setdefault(id(callee), {}).setdefault(id(func), (func, site))

        # Locks waiting to be passed on are merged per function, so a function is
        # queued once however many of its callees grow before its turn.
        queue = deque(pending)
        while queue:
            key = queue.popleft()
            callee = functions[key]
            locks = [lock for lock in pending.pop(key) if _crosses(lock, callee)]
            for caller_key, (caller, site) in callers.get(key, {}).items():
                summary = summaries.setdefault(caller_key, {})
                for lock in locks:
                    if lock not in summary:
                        summary[lock] = _Step(site, callee, None)
                        waiting = pending.get(caller_key)
                        if waiting is None:
                            waiting = pending[caller_key] = set()
                            functions[caller_key] = caller
                            queue.append(caller_key)
                        waiting.add(lock)
        return summaries
