"""What every rule needs to know about one file, computed by one traversal.

The walker fills it in one traversal of the module; it then answers questions the rules ask:
what a name or ``self.attr`` refers to, whether it is a lock and of which kind, whether
it is an executor, which function a call or a thread target reaches.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts.imports import ImportTable
from flake8_threadsafe.facts.kinds import (
    EXECUTOR_ANNOTATIONS,
    LOCK_FACTORIES,
    PROCESS_EXECUTORS,
    THREAD_EXECUTORS,
    THREAD_LOCAL_FACTORIES,
    LockKind,
    matches_extra_lock,
    name_says_lock,
)
from flake8_threadsafe.facts.model import ClassInfo, FunctionInfo, HeldLock, Site, StmtPos
from flake8_threadsafe.facts.walker import acquire_receiver, dotted_text

if TYPE_CHECKING:
    from flake8_threadsafe.facts.threads import ThreadFacts

__all__ = [
    "ClassInfo",
    "FileFacts",
    "FunctionInfo",
    "HeldLock",
    "LockKind",
    "RefId",
    "Site",
    "StmtPos",
    "acquire_receiver",
    "dotted_text",
]

# What a name or attribute refers to, independent of how it is spelled at one place:
# ("global", name), ("local", id of the FunctionInfo, name), ("attr", class qualname, attr).
RefId = tuple


def _condition_lock(call: cst.Call) -> cst.BaseExpression | None:
    """``L`` in ``Condition(L)`` / ``Condition(lock=L)``; None for ``Condition()``."""
    return next((a.value for a in call.args if a.keyword is None or a.keyword.value == "lock"), None)


class FileFacts:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.imports = ImportTable()
        self.functions: list[FunctionInfo] = []
        self.function_of_node: dict[int, FunctionInfo] = {}
        self.module_functions: dict[str, FunctionInfo] = {}
        self.classes: list[ClassInfo] = []
        self.module_classes: dict[str, ClassInfo] = {}
        self.calls: list[Site] = []
        # (function, class body, target expression, value expression) of every assignment.
        self._bindings: list[tuple[FunctionInfo | None, ClassInfo | None, cst.BaseExpression, cst.BaseExpression]] = []
        self._annotations: list[tuple[FunctionInfo, str, cst.BaseExpression]] = []
        # (function, class body, target, value) of assignments of a name or attribute:
        # ``self._pool = executor``, ``with self._pool as ex``.
        self._aliases: list[tuple[FunctionInfo | None, ClassInfo | None, cst.BaseExpression, cst.BaseExpression]] = []
        self._lock_kinds: dict[RefId, LockKind | None] = {}

    # -- recording (called by the walker) ---------------------------------------------

    def add_function(
        self,
        node: cst.FunctionDef | cst.Lambda,
        name: str,
        parent: FunctionInfo | None,
        cls: ClassInfo | None,
        decorators: list[cst.BaseExpression],
        params: list[str],
    ) -> FunctionInfo:
        qualname = name
        if cls is not None:
            qualname = f"{cls.qualname}.{name}"
        elif parent is not None:
            qualname = f"{parent.qualname}.<locals>.{name}"
        info = FunctionInfo(node, name, qualname, parent, cls, decorators, params)
        self.functions.append(info)
        self.function_of_node[id(node)] = info
        if isinstance(node, cst.FunctionDef):
            if cls is not None:
                cls.methods[name] = info
            elif parent is not None:
                parent.children[name] = info
            else:
                self.module_functions[name] = info
        return info

    def add_class(self, node: cst.ClassDef, func: FunctionInfo | None, cls: ClassInfo | None) -> ClassInfo:
        name = node.name.value
        qualname = f"{cls.qualname}.{name}" if cls is not None else name
        if func is not None:
            qualname = f"{func.qualname}.<locals>.{name}"
        info = ClassInfo(node, name, qualname, [arg.value for arg in node.bases])
        self.classes.append(info)
        if func is None and cls is None:
            self.module_classes[name] = info
        return info

    def record_binding(
        self,
        func: FunctionInfo | None,
        cls: ClassInfo | None,
        target: cst.BaseExpression,
        value: cst.BaseExpression,
    ) -> None:
        if isinstance(value, cst.Call):
            self._bindings.append((func, cls, target, value))
        elif isinstance(value, (cst.Name, cst.Attribute)):
            self._aliases.append((func, cls, target, value))

    def record_annotation(self, func: FunctionInfo, param: str, annotation: cst.BaseExpression) -> None:
        self._annotations.append((func, param, annotation))

    # -- what things refer to -----------------------------------------------------------

    def canonical(self, expr: cst.BaseExpression) -> str | None:
        """The imported dotted name ``expr`` stands for (``threading.Lock``), or None."""
        return self.imports.canonical(expr)

    def ref(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> RefId | None:
        """What ``expr`` (a name, ``self.x``, ``cls.x``, ``Cls.x``, ``type(self).x``) refers to."""
        if isinstance(expr, cst.Name):
            return self._name_ref(func, cls, expr.value)
        if isinstance(expr, cst.Attribute):
            owner = self.receiver_class(func, expr.value)
            if owner is not None:
                return ("attr", owner.qualname, expr.attr.value)
        return None

    def _name_ref(self, func: FunctionInfo | None, cls: ClassInfo | None, name: str) -> RefId:
        scope = func
        while scope is not None:
            if name in scope.global_names:
                return ("global", name)
            if scope.binds(name):
                return ("local", id(scope), name)
            scope = scope.parent
        if func is None and cls is not None:
            return ("attr", cls.qualname, name)
        return ("global", name)

    def receiver_class(self, func: FunctionInfo | None, receiver: cst.BaseExpression) -> ClassInfo | None:
        """The class of this file that ``self``/``cls``/``type(self)``/``ClassName`` denotes."""
        if (
            isinstance(receiver, cst.Call)
            and isinstance(receiver.func, cst.Name)
            and receiver.func.value == "type"
            and len(receiver.args) == 1
        ):
            receiver = receiver.args[0].value
        if not isinstance(receiver, cst.Name):
            return None
        name = receiver.value
        scope = func
        while scope is not None:
            if scope.cls is not None and scope.self_name == name:
                return scope.cls
            if scope.binds(name):
                return None
            scope = scope.parent
        return self.module_classes.get(name)

    def function_named(self, func: FunctionInfo | None, name: str) -> FunctionInfo | None:
        """The ``def`` a bare name reaches from inside ``func``: nested ones first, then module level."""
        scope = func
        while scope is not None:
            child = scope.children.get(name)
            if child is not None:
                return child
            if scope.binds(name):
                return None
            scope = scope.parent
        return self.module_functions.get(name)

    def lineage(self, cls: ClassInfo) -> Iterator[ClassInfo]:
        """``cls``, then its bases defined in this file, breadth first, each once."""
        seen: set[int] = set()
        todo = [cls]
        while todo:
            current = todo.pop(0)
            if id(current) in seen:
                continue
            seen.add(id(current))
            yield current
            for base in current.bases:
                if isinstance(base, cst.Name) and base.value in self.module_classes:
                    todo.append(self.module_classes[base.value])

    def method(self, cls: ClassInfo, name: str) -> FunctionInfo | None:
        """``cls.name`` looked up through the bases defined in this file."""
        return next((c.methods[name] for c in self.lineage(cls) if name in c.methods), None)

    def subclasses(self, cls: ClassInfo, bases: frozenset[str]) -> bool:
        """Whether ``cls`` derives from one of the imported classes ``bases``, through this file's classes."""
        return any(self.canonical(base) in bases for c in self.lineage(cls) for base in c.bases)

    def callee(self, func: FunctionInfo | None, expr: cst.BaseExpression) -> FunctionInfo | None:
        """The function of this file that calling (or starting a thread on) ``expr`` runs.

        ``helper``, ``self.method``, ``cls.method``, ``Cls.method``, a lambda, and
        ``functools.partial(f, ...)``. Anything else (other objects, other modules) is None.
        """
        if isinstance(expr, cst.Name):
            return self.function_named(func, expr.value)
        if isinstance(expr, cst.Attribute):
            owner = self.receiver_class(func, expr.value)
            return self.method(owner, expr.attr.value) if owner is not None else None
        if isinstance(expr, cst.Lambda):
            return self.function_of_node.get(id(expr))
        if isinstance(expr, cst.Call):
            target = self.unwrap_partial(expr)
            return self.callee(func, target) if target is not expr else None
        return None

    def unwrap_partial(self, target: cst.BaseExpression) -> cst.BaseExpression:
        """``f`` for ``functools.partial(f, ...)`` (nested too); else ``target``."""
        while isinstance(target, cst.Call) and target.args and self.canonical(target.func) == "functools.partial":
            target = target.args[0].value
        return target

    def call_target(self, site: Site) -> FunctionInfo | None:
        """The function of this file a call site runs."""
        assert isinstance(site.node, cst.Call)
        return self.callee(site.func, site.node.func)

    # -- what objects are ------------------------------------------------------------------

    @cached_property
    def _factories(self) -> dict[RefId, list[tuple[str, cst.Call, FunctionInfo | None, ClassInfo | None]]]:
        """For each reference, the imported factories it was assigned the result of."""
        factories: dict[RefId, list[tuple[str, cst.Call, FunctionInfo | None, ClassInfo | None]]] = {}
        for func, cls, target, value in self._bindings:
            assert isinstance(value, cst.Call)
            canonical = self.canonical(value.func)
            if canonical == "dataclasses.field":
                for arg in value.args:
                    if arg.keyword is not None and arg.keyword.value == "default_factory":
                        canonical = self.canonical(arg.value)
            if canonical is None:
                continue
            ref = self.ref(func, cls, target)
            if ref is not None:
                factories.setdefault(ref, []).append((canonical, value, func, cls))
        for func, param, annotation in self._annotations:
            canonical = self.canonical(self._unwrap_optional(annotation))
            if canonical is not None:
                factories.setdefault(("local", id(func), param), []).append((canonical, None, func, None))  # type: ignore[arg-type]
        return factories

    def _unwrap_optional(self, annotation: cst.BaseExpression) -> cst.BaseExpression:
        """``X`` for ``X | None``, ``None | X`` and ``Optional[X]``; else ``annotation``."""
        if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            left, right = annotation.left, annotation.right
            if isinstance(right, cst.Name) and right.value == "None":
                return left
            if isinstance(left, cst.Name) and left.value == "None":
                return right
        elif (
            isinstance(annotation, cst.Subscript)
            and len(annotation.slice) == 1
            and isinstance(annotation.slice[0].slice, cst.Index)
            and self.canonical(annotation.value) in ("typing.Optional", "typing_extensions.Optional")
        ):
            return annotation.slice[0].slice.value
        return annotation

    @cached_property
    def _alias_refs(self) -> dict[RefId, list[RefId]]:
        """For each reference, the references it was assigned from (``self._pool = pool``)."""
        aliases: dict[RefId, list[RefId]] = {}
        for func, cls, target, value in self._aliases:
            target_ref = self.ref(func, cls, target)
            value_ref = self.ref(func, cls, value)
            if target_ref is not None and value_ref is not None and target_ref != value_ref:
                aliases.setdefault(target_ref, []).append(value_ref)
        return aliases

    def _kind_of_factory(
        self, canonical: str, call: cst.Call | None, func: FunctionInfo | None, cls: ClassInfo | None
    ) -> LockKind | None:
        kind = LOCK_FACTORIES.get(canonical)
        if kind is LockKind.CONDITION and call is not None:
            base = _condition_lock(call)
            if base is not None:
                base_kind = self.lock_kind(func, cls, base)
                # Condition(Lock()) is as non-reentrant as its lock.
                return LockKind.CONDITION if base_kind is None or base_kind.reentrant else base_kind
        if kind is None and matches_extra_lock(canonical, self.config.extra_locks):
            return LockKind.UNKNOWN
        return kind

    def lock_kind(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> LockKind | None:
        """The kind of lock ``expr`` is, ``UNKNOWN`` when only its name says lock, None if not a lock."""
        if isinstance(expr, cst.Call):
            canonical = self.canonical(expr.func)
            return self._kind_of_factory(canonical, expr, func, cls) if canonical else None
        ref = self.ref(func, cls, expr)
        if ref is not None:
            if ref not in self._lock_kinds:
                self._lock_kinds[ref] = None  # a Condition built on itself stops here
                kinds = {
                    self._kind_of_factory(canonical, call, where_func, where_cls)
                    for canonical, call, where_func, where_cls in self._factories.get(ref, ())
                }
                kinds.discard(None)
                if len(kinds) == 1:
                    self._lock_kinds[ref] = kinds.pop()
                elif kinds:
                    self._lock_kinds[ref] = LockKind.UNKNOWN
            kind = self._lock_kinds[ref]
            if kind is not None:
                return kind
        name = expr.attr.value if isinstance(expr, cst.Attribute) else getattr(expr, "value", None)
        if isinstance(name, str) and name_says_lock(name):
            return LockKind.UNKNOWN
        return None

    def lock_identity(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> RefId | None:
        """The lock that acquiring ``expr`` really takes, as a ``ref``.

        A ``Condition(L)`` is acquired by acquiring ``L``: ``self._cond`` bound only to
        ``Condition(self._lock)`` gives the ref of ``self._lock`` (followed through
        Conditions built on Conditions). Anything else gives ``ref(expr)``.
        """
        ref = self.ref(func, cls, expr)
        seen: set[RefId] = set()
        while ref is not None and ref not in seen:
            seen.add(ref)
            bases = set()
            for canonical, call, where_func, where_cls in self._factories.get(ref, ()):
                base = None
                if call is not None and LOCK_FACTORIES.get(canonical) is LockKind.CONDITION:
                    arg = _condition_lock(call)
                    base = self.ref(where_func, where_cls, arg) if arg is not None else None
                bases.add(base)
            if len(bases) != 1 or None in bases:
                return ref
            ref = bases.pop()
        return ref

    def held_locks(self, site: Site) -> list[tuple[HeldLock, LockKind]]:
        """The locks (not other context managers) held at ``site``, with their kinds."""
        found = []
        for held in site.held:
            kind = self.lock_kind(held.func, site.cls if held.func is None else None, held.expr)
            if kind is not None:
                found.append((held, kind))
        return found

    def _factory_names(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> list[str]:
        if isinstance(expr, cst.Call):
            canonical = self.canonical(expr.func)
            return [canonical] if canonical else []
        ref = self.ref(func, cls, expr)
        if ref is None:
            return []
        # Follow plain assignments (``self._pool = executor``, ``ex = self._pool``).
        names: list[str] = []
        seen: set[RefId] = set()
        todo = [ref]
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            names.extend(canonical for canonical, *_ in self._factories.get(ref, ()))
            todo.extend(self._alias_refs.get(ref, ()))
        return names

    def factory_calls(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> list[cst.Call]:
        """The imported-factory calls ``expr`` was built by (``ThreadPoolExecutor(max_workers=1)``)."""
        if isinstance(expr, cst.Call):
            return [expr]
        ref = self.ref(func, cls, expr)
        if ref is None:
            return []
        return [call for _, call, *_ in self._factories.get(ref, ()) if call is not None]

    def executor_kind(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> str | None:
        """"thread", "process" or "any" (an ``Executor`` parameter) for an executor; else None."""
        names = self._factory_names(func, cls, expr)
        if any(name in THREAD_EXECUTORS for name in names):
            return "thread"
        if any(name in PROCESS_EXECUTORS for name in names):
            return "process"
        if any(name in EXECUTOR_ANNOTATIONS for name in names):
            return "any"
        return None

    def is_thread_local(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> bool:
        if any(name in THREAD_LOCAL_FACTORIES for name in self._factory_names(func, cls, expr)):
            return True
        # ``class Context(threading.local)`` of this file, then ``ctx = Context()``.
        owner = self.instance_class(func, cls, expr)
        return owner is not None and self.subclasses(owner, THREAD_LOCAL_FACTORIES)

    @cached_property
    def _instances(self) -> dict[RefId, set[str]]:
        """For each reference, the classes of this file it was bound an instance of (``c = Counter()``)."""
        instances: dict[RefId, set[str]] = {}
        for func, cls, target, value in self._bindings:
            assert isinstance(value, cst.Call)
            if isinstance(value.func, cst.Name) and value.func.value in self.module_classes:
                ref = self.ref(func, cls, target)
                if ref is not None:
                    instances.setdefault(ref, set()).add(value.func.value)
        return instances

    def instance_class(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> ClassInfo | None:
        """The class of this file whose instance ``expr`` holds (``c = Counter()``), if only one."""
        ref = self.ref(func, cls, expr)
        names = self._instances.get(ref, set()) if ref is not None else set()
        return self.module_classes[next(iter(names))] if len(names) == 1 else None

    @cached_property
    def threads(self) -> ThreadFacts:
        from flake8_threadsafe.facts.threads import ThreadFacts

        return ThreadFacts(self)
