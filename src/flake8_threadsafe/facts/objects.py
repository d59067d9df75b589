"""What the objects a file binds were built by: imported factories (``threading.Lock()``,
``ThreadPoolExecutor()``), classes of this file (``c = Counter()``), and plain aliases
(``self._pool = pool``); from them, which references are executors or thread-locals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.model import ClassInfo, FunctionInfo, Recording
from flake8_threadsafe.facts.names import Names, Ref, RefKind
from flake8_threadsafe.kinds import (
    EXECUTOR_ANNOTATIONS,
    INJECTED_LOCK_FACTORIES,
    PROCESS_EXECUTORS,
    THREAD_EXECUTORS,
    THREAD_LOCAL_FACTORIES,
    ExecutorKind,
)


@dataclass(frozen=True, eq=False)
class Built:
    """A reference was bound to what the imported factory ``canonical`` built: by the call
    ``call`` (seen from ``func``/``cls``), or by an annotation (``call`` is None)."""

    canonical: str
    call: cst.Call | None
    func: FunctionInfo | None
    cls: ClassInfo | None


class Objects:
    def __init__(self, recording: Recording, names: Names) -> None:
        self.names = names
        self._recording = recording

    @cached_property
    def built(self) -> dict[Ref, list[Built]]:
        """For each reference, the imported factories it was assigned the result of."""
        names = self.names
        found: dict[Ref, list[Built]] = {}
        for binding in self._recording.bindings:
            value = binding.value
            canonical = self.factory(value)
            if canonical == "dataclasses.field":
                for arg in value.args:
                    if arg.keyword is not None and arg.keyword.value == "default_factory":
                        canonical = names.canonical(arg.value)
            if canonical is None:
                continue
            ref = names.ref(binding.func, binding.cls, binding.target)
            if ref is not None:
                found.setdefault(ref, []).append(Built(canonical, value, binding.func, binding.cls))
        # ``self._pool = self._make_pool()``: what a function of this file returns.
        for binding in self._recording.bindings:
            value = binding.value
            if self.factory(value) is not None:
                continue
            maker = names.callee(binding.func, value.func)
            ref = names.ref(binding.func, binding.cls, binding.target) if maker is not None else None
            if maker is None or ref is None:
                continue
            for built in self._returned(maker, found):
                found.setdefault(ref, []).append(built)
        for annotated in self._recording.annotations:
            canonical = names.canonical(self._unwrap_optional(annotated.annotation))
            if canonical is not None:
                ref = Ref(RefKind.LOCAL, annotated.param, function=annotated.func)
                found.setdefault(ref, []).append(Built(canonical, None, annotated.func, None))
        return found

    def factory(self, call: cst.Call) -> str | None:
        """The dotted name of what ``call`` calls: an imported name (``threading.Lock``),
        or an injected lock factory read as threading's (``self._ctx.Lock()``)."""
        canonical = self.names.canonical(call.func)
        if canonical is None and isinstance(call.func, cst.Attribute) and not call.args:
            return INJECTED_LOCK_FACTORIES.get(call.func.attr.value)
        return canonical

    def _returned(self, maker: FunctionInfo, found: dict[Ref, list[Built]]) -> list[Built]:
        """What the factories ``maker`` returns from were: ``return ThreadPoolExecutor(4)``,
        or a local bound to one."""
        built = []
        for value in maker.returned:
            if isinstance(value, cst.Call):
                canonical = self.factory(value)
                if canonical is not None:
                    built.append(Built(canonical, value, maker, None))
            elif isinstance(value, cst.Name):
                ref = self.names.ref(maker, None, value)
                built.extend(found.get(ref, ()) if ref is not None else ())
        return built

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
            and self.names.canonical(annotation.value) in ("typing.Optional", "typing_extensions.Optional")
        ):
            return annotation.slice[0].slice.value
        return annotation

    @cached_property
    def _aliases(self) -> dict[Ref, list[Ref]]:
        """For each reference, the references it was assigned from (``self._pool = pool``)."""
        names = self.names
        aliases: dict[Ref, list[Ref]] = {}
        for binding in self._recording.aliases:
            target = names.ref(binding.func, binding.cls, binding.target)
            value = names.ref(binding.func, binding.cls, binding.value)
            if target is not None and value is not None and target != value:
                aliases.setdefault(target, []).append(value)
        return aliases

    def aliased(self, ref: Ref) -> list[Ref]:
        """The references ``ref`` was assigned from (``guard = self._lock``)."""
        return self._aliases.get(ref, [])

    def factory_names(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> list[str]:
        if isinstance(expr, cst.Call):
            canonical = self.factory(expr)
            return [canonical] if canonical else []
        ref = self.names.ref(func, cls, expr)
        if ref is None:
            return []
        # Follow plain assignments (``self._pool = executor``, ``ex = self._pool``).
        found: list[str] = []
        seen: set[Ref] = set()
        todo = [ref]
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            found.extend(built.canonical for built in self.built.get(ref, ()))
            todo.extend(self._aliases.get(ref, ()))
        return found

    def factory_calls(
        self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression
    ) -> list[cst.Call]:
        """The imported-factory calls ``expr`` was built by (``ThreadPoolExecutor(max_workers=1)``)."""
        if isinstance(expr, cst.Call):
            return [expr]
        ref = self.names.ref(func, cls, expr)
        if ref is None:
            return []
        return [built.call for built in self.built.get(ref, ()) if built.call is not None]

    def executor_kind(
        self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression
    ) -> ExecutorKind | None:
        """Which executor ``expr`` is, if it is one."""
        found = self.factory_names(func, cls, expr)
        if any(name in THREAD_EXECUTORS for name in found):
            return ExecutorKind.THREAD
        if any(name in PROCESS_EXECUTORS for name in found):
            return ExecutorKind.PROCESS
        if any(name in EXECUTOR_ANNOTATIONS for name in found):
            return ExecutorKind.ANY
        return None

    def is_thread_local(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> bool:
        if any(name in THREAD_LOCAL_FACTORIES for name in self.factory_names(func, cls, expr)):
            return True
        # ``class Context(threading.local)`` of this file, then ``ctx = Context()``.
        owner = self.instance_class(func, cls, expr)
        return owner is not None and self.names.subclasses(owner, THREAD_LOCAL_FACTORIES)

    @cached_property
    def _instances(self) -> dict[Ref, set[str]]:
        """For each reference, the classes of this file it was bound an instance of (``c = Counter()``)."""
        classes = self.names.module_classes
        instances: dict[Ref, set[str]] = {}
        for binding in self._recording.bindings:
            value = binding.value
            if isinstance(value.func, cst.Name) and value.func.value in classes:
                ref = self.names.ref(binding.func, binding.cls, binding.target)
                if ref is not None:
                    instances.setdefault(ref, set()).add(value.func.value)
        return instances

    def instance_class(
        self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression
    ) -> ClassInfo | None:
        """The class of this file whose instance ``expr`` holds (``c = Counter()``), if only one."""
        ref = self.names.ref(func, cls, expr)
        found = self._instances.get(ref, set()) if ref is not None else set()
        return self.names.module_classes[next(iter(found))] if len(found) == 1 else None
