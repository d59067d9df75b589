"""Which functions of a file run in another thread, how many threads run them, and on
which object.

Entry points are the targets of the starts (``starts.py``) that run in this process's
threads: the functions, methods and lambdas handed to ``threading.Thread``
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
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.calls import CallGraph
from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Recording
from flake8_threadsafe.facts.names import Names
from flake8_threadsafe.facts.objects import Objects
from flake8_threadsafe.facts.regions import in_suite, repeats
from flake8_threadsafe.facts.starts import Starts
from flake8_threadsafe.facts.syntax import argument, bound_names, lone_method_call
from flake8_threadsafe.kinds import THREAD_CLASSES, StartKind


# Special methods a class's users call, directly or through syntax.
_PUBLIC_DUNDERS = frozenset({"__call__", "__enter__", "__exit__", "__iter__", "__next__", "__getitem__", "__setitem__"})


@dataclass(frozen=True)
class SharedInstance:
    """The object a thread start hands to its thread: the starting method's ``self``
    (``variable`` None; every such start counts as the same object), or the object in a
    variable of the starting function (``counter.increment``)."""

    starter: FunctionInfo | None = None
    variable: str | None = None


@dataclass(frozen=True, eq=False)
class ThreadEntry:
    """A function that a thread starts in, how it got there, and how many threads run it."""

    func: FunctionInfo
    kind: StartKind
    site: CallSite | None  # the call that starts it; None for ``run()`` of a Thread subclass
    # ``target=self.work``, ``counter.increment`` or ``run()``: the thread shares the instance.
    shares_self: bool
    # The target as written (``self.work``, ``partial(f, x)``), and without ``partial``.
    target: cst.BaseExpression | None = None
    bound: cst.BaseExpression | None = None
    # Several threads may run it at once; on one object, for state of ``self``.
    concurrent: bool = False
    concurrent_on_object: bool = False
    # Started and joined at once (``t.start(); t.join()``): nothing else of the starting
    # function runs beside it.
    handoff: bool = False

    @property
    def description(self) -> str:
        """How messages name the start: ``threading.Thread(target=...)``."""
        if self.kind is StartKind.RUN_METHOD and self.func.cls is not None:
            return f"{self.kind.value} {self.func.cls.name}"
        return self.kind.value

    @property
    def shared_object(self) -> SharedInstance | ThreadEntry:
        """Which object this start shares (the entry itself for a thread with an object
        of its own): two starts that share one object run at once on it."""
        if self.site is None or self.bound is None:
            return self
        if isinstance(self.bound, cst.Attribute) and isinstance(self.bound.value, cst.Name):
            name = self.bound.value.value
            starter = self.site.func
            if starter is None or not Names.instance_param(starter, name):
                return SharedInstance(starter, name)
        return SharedInstance()


@dataclass(frozen=True, eq=False)
class Reached:
    """A function that runs in a thread: the entry it runs under and the call chain to it."""

    entry: ThreadEntry
    path: tuple[FunctionInfo, ...]  # from the entry function to this one
    # The thread shares the instance ``self`` denotes here: the entry shares it and every
    # call on the way went through that same instance (``self.m()``) or into a closure of
    # a method that has it.
    shares_self: bool = False


class Threads:
    def __init__(self, recording: Recording, names: Names, objects: Objects, calls: CallGraph, starts: Starts) -> None:
        self.names = names
        self.starts = starts
        self.objects = objects
        self.calls = calls
        self._recording = recording

    @cached_property
    def entries(self) -> list[ThreadEntry]:
        names = self.names
        found: list[ThreadEntry] = []
        for start in self.starts.starts:
            site, target, kind = start.site, start.target, start.kind
            if not start.threaded or target is None or kind is None:
                continue
            bound = names.unwrap_partial(target)
            func = names.callee(site.func, target)
            shares_self = isinstance(bound, cst.Attribute) and names.receiver_class(site.func, bound.value) is not None
            if func is None and isinstance(bound, cst.Attribute):
                # ``counter = Counter(); Thread(target=counter.increment)``: the thread
                # shares ``counter`` with whoever else holds it.
                owner = self.objects.instance_class(site.func, site.cls, bound.value)
                func = names.method(owner, bound.attr.value) if owner is not None else None
                shares_self = func is not None
            if func is not None:
                found.append(
                    self._counted(ThreadEntry(func, kind, site, shares_self and func.cls is not None, target, bound))
                )
        for cls in self._recording.classes:
            if names.subclasses(cls, THREAD_CLASSES):
                run = cls.methods.get("run")
                if run is not None:
                    found.append(self._counted(ThreadEntry(run, StartKind.RUN_METHOD, None, True)))
        return found

    # -- how many threads run an entry ------------------------------------------------

    def _counted(self, entry: ThreadEntry) -> ThreadEntry:
        handoff = entry.site is not None and _joined_at_once(entry.site)
        return ThreadEntry(
            entry.func, entry.kind, entry.site, entry.shares_self, entry.target, entry.bound,
            concurrent=not handoff and self._started_many(entry, instance=False),
            concurrent_on_object=not handoff and self._started_many(entry, instance=True),
            handoff=handoff,
        )

    def _started_many(self, entry: ThreadEntry, *, instance: bool) -> bool:
        """Several threads may run ``entry`` at once (on the same object, for ``instance``)."""
        if entry.site is None:  # run() of a Thread subclass: one thread per object
            if instance:
                return False
            sites = self.thread_objects.get(entry.func, [])
            return len(sites) > 1 or any(repeats(site) for site in sites)
        if instance and not self._same_object_each_time(entry):
            return False
        if entry.kind.pooled:
            return not self._serial_executor(entry.site)
        if repeats(entry.site):
            return True
        starter = entry.site.func
        return starter is not None and any(repeats(site) for site in self.calls.callers(starter))

    @cached_property
    def thread_objects(self) -> dict[FunctionInfo, list[CallSite]]:
        """For the ``run()`` of each Thread subclass, where its objects are created."""
        found: dict[FunctionInfo, list[CallSite]] = {}
        classes = self.names.module_classes
        for site in self._recording.calls:
            callee = site.node.func
            if isinstance(callee, cst.Name) and callee.value in classes:
                run = self.names.method(classes[callee.value], "run")
                if run is not None:
                    found.setdefault(run, []).append(site)
        return found

    def _same_object_each_time(self, entry: ThreadEntry) -> bool:
        """A target ``obj.method`` started in a loop shares one ``obj``, unless the loop
        binds a new one each time (``for job in jobs:``, ``job = Job(item)``)."""
        site = entry.site
        if site is None or not isinstance(entry.bound, cst.Attribute) or not isinstance(entry.bound.value, cst.Name):
            return True
        name = entry.bound.value.value
        starter = site.func
        if starter is not None and Names.instance_param(starter, name):
            return True
        writes = starter.writes if starter is not None else [w for w in self._recording.writes if w.site.func is None]
        for pos in site.enclosing():
            loop = pos.parent.statement if pos.parent is not None else None
            if not isinstance(loop, (cst.For, cst.While)):
                continue
            if isinstance(loop, cst.For) and name in bound_names(loop.target):
                return False
            for write in writes:
                if bound_names(write.target) == {name} and in_suite(write.site, loop.body):
                    return False
        small = site.small
        return small is None or not _bound_by_comprehension(small, name)

    def _serial_executor(self, site: CallSite) -> bool:
        """``ThreadPoolExecutor(max_workers=1)``: its tasks run one after the other."""
        callee = site.node.func
        if not isinstance(callee, cst.Attribute):
            return False
        calls = self.objects.factory_calls(site.func, site.cls, callee.value)
        for call in calls:
            workers = argument(call, 0, "max_workers")
            if not (isinstance(workers, cst.Integer) and workers.value == "1"):
                return False
        return bool(calls)

    # -- what other threads can run ------------------------------------------------------

    @cached_property
    def exposed(self) -> frozenset[FunctionInfo]:
        """The functions another thread can be running: thread entries, the public
        functions and methods of the file (its users may call them from any thread), and
        every function of the file they call."""
        roots = [entry.func for entry in self.entries]
        for func in self.names.functions:
            if func.is_lambda or func.name.startswith("_") and func.name not in _PUBLIC_DUNDERS:
                continue
            if func.parent is None:  # a module-level function, or a method of a top-level class
                roots.append(func)
        seen: set[FunctionInfo] = set()
        todo = deque(roots)
        while todo:
            func = todo.popleft()
            if func in seen:
                continue
            seen.add(func)
            todo.extend(callee for _, callee in self.calls.callees(func))
        return frozenset(seen)

    # -- what runs in a thread ---------------------------------------------------------

    def runs_under(self, func: FunctionInfo | None) -> list[Reached]:
        """Every entry ``func`` runs under, one ``Reached`` each."""
        return self._reached.get(func, []) if func is not None else []

    def runs_concurrently(self, func: FunctionInfo | None) -> list[Reached]:
        """The entries ``func`` runs under that add concurrency: not a thread started and
        joined at once by a function that itself runs in no other thread (the thread then
        runs as if the starting function had called it)."""
        return [
            state
            for state in self.runs_under(func)
            if not state.entry.handoff or (state.entry.site is not None and self.runs_under(state.entry.site.func))
        ]

    @cached_property
    def _reached(self) -> dict[FunctionInfo, list[Reached]]:
        found: dict[FunctionInfo, list[Reached]] = {}
        for entry in self.entries:
            for func, state in self._reach(entry).items():
                found.setdefault(func, []).append(state)
        return found

    def _reach(self, entry: ThreadEntry) -> dict[FunctionInfo, Reached]:
        # A closure started in a method (``Thread(target=lambda: self.work())``) sees that
        # method's ``self``, so the thread shares the instance too.
        closure_of_method = entry.func.cls is None and entry.func.method is not None
        start = Reached(entry, (entry.func,), entry.shares_self or closure_of_method)
        reached = {entry.func: start}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            func = state.path[-1]
            for site, callee in self.calls.callees(func):
                shares = state.shares_self and self.calls.same_instance(site, callee)
                known = reached.get(callee)
                if known is not None and (known.shares_self or not shares):
                    continue
                next_state = Reached(entry, state.path + (callee,), shares)
                reached[callee] = next_state
                queue.append(next_state)
        return reached


def _joined_at_once(site: CallSite) -> bool:
    """``t = Thread(target=f)`` followed by ``t.start()`` and, right after, ``t.join()``."""
    small, stmt = site.small, site.stmt
    if not isinstance(small, cst.Assign) or small.value is not site.node or stmt is None or len(small.targets) != 1:
        return False
    name = small.targets[0].target
    if not isinstance(name, cst.Name):
        return False
    called = [_method_called_on(statement, name.value) for statement in stmt.following()[:2]]
    return called == ["start", "join"]


def _method_called_on(statement: cst.CSTNode, name: str) -> str | None:
    """``m`` when ``statement`` is ``name.m(...)`` alone on its line."""
    called = lone_method_call(statement)
    if called is not None and isinstance(called[0], cst.Name) and called[0].value == name:
        return called[1]
    return None


def _bound_by_comprehension(root: cst.CSTNode, name: str) -> bool:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.CompFor) and name in bound_names(node.target):
            return True
        stack.extend(node.children)
    return False
