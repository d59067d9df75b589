"""Which functions of a file run in another thread.

Entry points are the functions, methods and lambdas handed to ``threading.Thread``
(``target=``), ``threading.Timer``, ``_thread.start_new_thread``, and a
``ThreadPoolExecutor``'s ``submit``/``map``, plus ``run()`` of ``threading.Thread``
subclasses. Everything they call in the same file (helpers, ``self.method()``) runs in
that thread too; calls are followed until nothing new is reached.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flake8_threadsafe.facts.kinds import THREAD_CLASSES
from flake8_threadsafe.facts.model import ClassInfo, FunctionInfo, Site

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


@dataclass(frozen=True, eq=False)
class Reached:
    """A function that runs in a thread: the entry it runs under and the call chain to it."""

    entry: ThreadEntry
    path: tuple[FunctionInfo, ...]  # from the entry function to this one


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
        self.entries = self._entries()
        self.reached = self._reach()

    def runs_in_thread(self, func: FunctionInfo | None) -> Reached | None:
        return self.reached.get(id(func)) if func is not None else None

    def _entries(self) -> list[ThreadEntry]:
        facts = self.facts
        entries: list[ThreadEntry] = []
        for site in facts.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            target, how = self._target_of(site, call)
            if target is None:
                continue
            func = facts.callee(site.func, target)
            if func is not None:
                shares_self = isinstance(target, cst.Attribute) and facts.receiver_class(
                    site.func, target.value
                ) is not None and func.cls is not None
                entries.append(ThreadEntry(func, how, site, shares_self))
        for cls in facts.classes:
            if self._is_thread_class(cls, set()):
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
        callee = call.func
        if (
            isinstance(callee, cst.Attribute)
            and callee.attr.value in ("submit", "map")
            and facts.executor_kind(site.func, site.cls, callee.value) == "thread"
        ):
            return _argument(call, 0, "fn"), f"ThreadPoolExecutor.{callee.attr.value}()"
        return None, ""

    def _is_thread_class(self, cls: ClassInfo, seen: set[int]) -> bool:
        if id(cls) in seen:
            return False
        seen.add(id(cls))
        for base in cls.bases:
            if self.facts.canonical(base) in THREAD_CLASSES:
                return True
            if isinstance(base, cst.Name):
                local = self.facts.module_classes.get(base.value)
                if local is not None and self._is_thread_class(local, seen):
                    return True
        return False

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
