"""Which functions of a file run in another thread.

Entry points are the functions, methods and lambdas handed to ``threading.Thread``
(``target=``), ``threading.Timer``, ``_thread.start_new_thread``, a
``ThreadPoolExecutor``'s ``submit``/``map``, ``asyncio.to_thread`` and
``loop.run_in_executor(None, ...)``, plus ``run()`` of ``threading.Thread`` subclasses.
A target is a function, ``self.method``, ``Cls.method``, ``obj.method`` (``obj = Cls()``
of this file), a lambda or ``functools.partial`` of one. Everything they call in the same
file (helpers, ``self.method()``) runs in that thread too; calls are followed until
nothing new is reached.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.kinds import THREAD_CLASSES
from flake8_threadsafe.facts.model import FunctionInfo, Site

if TYPE_CHECKING:
    from flake8_threadsafe.facts import FileFacts


@dataclass(frozen=True, eq=False)
class ThreadEntry:
    """A function that a thread starts in, and how it got there."""

    func: FunctionInfo
    how: str  # "threading.Thread(target=...)", "executor.submit()", "run() of Worker"...
    site: Site | None  # the call that starts it; None for ``run()`` of a Thread subclass
    # ``target=self.work`` or ``run()``: the instance itself is shared with the thread.
    shares_self: bool
    # The target expression as written (``self.work``, ``partial(f, x)``); None for ``run()``.
    target: cst.BaseExpression | None = None


@dataclass(frozen=True, eq=False)
class Reached:
    """A function that runs in a thread: the entry it runs under and the call chain to it."""

    entry: ThreadEntry
    path: tuple[FunctionInfo, ...]  # from the entry function to this one
    # The thread shares the instance ``self`` denotes here (set by ``runs_under`` only):
    # the entry shares it and every call on the way went through that same instance
    # (``self.m()``) or into a closure of a method that has it.
    shares_self: bool = False


def enclosing_method(func: FunctionInfo | None) -> FunctionInfo | None:
    """``func`` if it is a method, else the method it is nested in (whose ``self`` it sees)."""
    while func is not None and func.cls is None:
        func = func.parent
    return func


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    if len(positional) > position:
        return positional[position].value
    return None


class ThreadFacts:
    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self._callee_cache: dict[int, list[tuple[Site, FunctionInfo]]] = {}
        self.entries = self._entries()
        self.reached = self._reach()

    def runs_in_thread(self, func: FunctionInfo | None) -> Reached | None:
        return self.reached.get(id(func)) if func is not None else None

    def runs_under(self, func: FunctionInfo | None) -> list[Reached]:
        """Every entry ``func`` runs under, one ``Reached`` each (``runs_in_thread`` gives
        only the first), with ``shares_self`` set."""
        return self._reached_per_entry.get(id(func), []) if func is not None else []

    @cached_property
    def _reached_per_entry(self) -> dict[int, list[Reached]]:
        found: dict[int, list[Reached]] = {}
        for entry in self.entries:
            for func_id, state in self._reach_one(entry).items():
                found.setdefault(func_id, []).append(state)
        return found

    def _reach_one(self, entry: ThreadEntry) -> dict[int, Reached]:
        # A closure started in a method (``Thread(target=lambda: self.work())``) sees that
        # method's ``self``, so the thread shares the instance too.
        closure_of_method = entry.func.cls is None and enclosing_method(entry.func) is not None
        start = Reached(entry, (entry.func,), entry.shares_self or closure_of_method)
        reached = {id(entry.func): start}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            func = state.path[-1]
            for site, callee in self._callees(func):
                shares = state.shares_self and self._same_instance(func, site, callee)
                known = reached.get(id(callee))
                if known is not None and (known.shares_self or not shares):
                    continue
                next_state = Reached(entry, state.path + (callee,), shares)
                reached[id(callee)] = next_state
                queue.append(next_state)
        return reached

    def _callees(self, func: FunctionInfo) -> list[tuple[Site, FunctionInfo]]:
        """The calls of ``func`` that reach a function of this file, resolved once per file."""
        found = self._callee_cache.get(id(func))
        if found is None:
            found = []
            for site in func.calls:
                callee = self.facts.call_target(site)
                if callee is not None:
                    found.append((site, callee))
            self._callee_cache[id(func)] = found
        return found

    def _same_instance(self, caller: FunctionInfo, site: Site, callee: FunctionInfo) -> bool:
        """Whether ``callee`` runs on the instance ``self`` denotes in ``caller``."""
        if callee.cls is None:
            method = enclosing_method(callee)
            return method is not None and method is enclosing_method(caller)
        receiver = site.node.func.value if isinstance(site.node.func, cst.Attribute) else None  # type: ignore[attr-defined]
        return isinstance(receiver, cst.Name) and self.instance_param(caller, receiver.value)

    @staticmethod
    def instance_param(func: FunctionInfo, name: str) -> bool:
        """Whether ``name`` in ``func`` is the ``self`` of a method (``func``'s or an
        enclosing one's), not ``cls`` of a classmethod nor a local."""
        scope: FunctionInfo | None = func
        while scope is not None:
            if scope.cls is not None and scope.self_name == name:
                return not scope.is_classmethod
            if scope.binds(name):
                return False
            scope = scope.parent
        return False

    def _entries(self) -> list[ThreadEntry]:
        facts = self.facts
        entries: list[ThreadEntry] = []
        for site in facts.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            target, how = self._target_of(site, call)
            if target is None:
                continue
            bound = facts.unwrap_partial(target)
            func = facts.callee(site.func, target)
            shares_self = isinstance(bound, cst.Attribute) and facts.receiver_class(
                site.func, bound.value
            ) is not None
            if func is None and isinstance(bound, cst.Attribute):
                # ``counter = Counter(); Thread(target=counter.increment)``: the thread
                # shares ``counter`` with whoever else holds it.
                owner = facts.instance_class(site.func, site.cls, bound.value)
                func = facts.method(owner, bound.attr.value) if owner is not None else None
                shares_self = func is not None
            if func is not None:
                entries.append(ThreadEntry(func, how, site, shares_self and func.cls is not None, target))
        for cls in facts.classes:
            if self.facts.subclasses(cls, THREAD_CLASSES):
                run = cls.methods.get("run")
                if run is not None:
                    entries.append(ThreadEntry(run, f"run() of Thread subclass {cls.name}", None, True))
        return entries

    def _target_of(self, site: Site, call: cst.Call) -> tuple[cst.BaseExpression | None, str]:
        facts = self.facts
        canonical = facts.canonical(call.func)
        if canonical == "threading.Thread":
            return _argument(call, 1, "target"), "threading.Thread(target=...)"
        if canonical == "threading.Timer":
            return _argument(call, 1, "function"), "threading.Timer()"
        if canonical in ("_thread.start_new_thread", "_thread.start_new"):
            return _argument(call, 0, "function"), "_thread.start_new_thread()"
        if canonical == "asyncio.to_thread":
            return _argument(call, 0, "func"), "asyncio.to_thread()"
        callee = call.func
        if isinstance(callee, cst.Attribute) and callee.attr.value == "run_in_executor":
            executor = _argument(call, 0, "executor")
            # ``None`` is the loop's default executor, a ThreadPoolExecutor.
            if (isinstance(executor, cst.Name) and executor.value == "None") or (
                executor is not None and facts.executor_kind(site.func, site.cls, executor) == "thread"
            ):
                return _argument(call, 1, "func"), "loop.run_in_executor()"
        if (
            isinstance(callee, cst.Attribute)
            and callee.attr.value in ("submit", "map")
            and facts.executor_kind(site.func, site.cls, callee.value) == "thread"
        ):
            return _argument(call, 0, "fn"), f"ThreadPoolExecutor.{callee.attr.value}()"
        return None, ""

    def _reach(self) -> dict[int, Reached]:
        reached: dict[int, Reached] = {}
        queue: deque[tuple[FunctionInfo, Reached]] = deque()
        for entry in self.entries:
            if id(entry.func) not in reached:
                state = Reached(entry, (entry.func,))
                reached[id(entry.func)] = state
                queue.append((entry.func, state))
        while queue:
            func, state = queue.popleft()
            for site in func.calls:
                callee = self.facts.call_target(site)
                if callee is not None and id(callee) not in reached:
                    # Methods reached through ``self.m()`` share the same instance.
                    next_state = Reached(state.entry, state.path + (callee,))
                    reached[id(callee)] = next_state
                    queue.append((callee, next_state))
        return reached
