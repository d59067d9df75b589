"""What names refer to: references, the classes ``self`` and ``cls`` denote, the
functions a call or a thread target runs.

A reference (``Ref``) is what a name or attribute stands for, independent of how it is
spelled at one place: a module global, a local of one function, or an attribute of one
class of this file (``self.x`` in any of its methods, ``Cls.x``, ``type(self).x``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from flake8_threadsafe.facts.model import CallSite, ClassInfo, FunctionInfo, Recording


class RefKind(enum.Enum):
    GLOBAL = "global"
    LOCAL = "local"
    ATTRIBUTE = "attribute"


@dataclass(frozen=True)
class Ref:
    kind: RefKind
    name: str
    # LOCAL: the function the name is a local of; ATTRIBUTE: the class's qualname, or
    # (``base``) the reference of the object whose attribute it is (``conn.lock``).
    function: FunctionInfo | None = None
    owner: str | None = None
    base: Ref | None = None

    def is_local_of(self, func: FunctionInfo) -> bool:
        return self.kind is RefKind.LOCAL and self.function is func


class Names:
    """Name resolution over one file's recorded scopes."""

    def __init__(self, recording: Recording) -> None:
        self.imports = recording.imports
        self.functions = recording.functions
        self.classes = recording.classes
        self.module_functions = recording.module_functions
        self.module_classes = recording.module_classes
        self._lambdas = recording.lambdas

    def canonical(self, expr: cst.BaseExpression) -> str | None:
        """The imported dotted name ``expr`` stands for (``threading.Lock``), or None."""
        return self.imports.canonical(expr)

    def ref(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> Ref | None:
        """What ``expr`` (a name, ``self.x``, ``cls.x``, ``Cls.x``, ``type(self).x``) refers to,
        seen from ``func`` (or from the body of ``cls``, or module level)."""
        if isinstance(expr, cst.Name):
            return self._name_ref(func, cls, expr.value)
        if isinstance(expr, cst.Attribute):
            owner = self.receiver_class(func, expr.value)
            if owner is not None:
                return Ref(RefKind.ATTRIBUTE, expr.attr.value, owner=owner.qualname)
        return None

    def _name_ref(self, func: FunctionInfo | None, cls: ClassInfo | None, name: str) -> Ref:
        if func is not None:
            for scope in func.scopes():
                if name in scope.global_names:
                    return Ref(RefKind.GLOBAL, name)
                if scope.binds(name):
                    return Ref(RefKind.LOCAL, name, function=scope)
        elif cls is not None:
            return Ref(RefKind.ATTRIBUTE, name, owner=cls.qualname)
        return Ref(RefKind.GLOBAL, name)

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
        if func is not None:
            for scope in func.scopes():
                if scope.cls is not None and scope.self_name == name:
                    return scope.cls
                if scope.binds(name):
                    return None
        return self.module_classes.get(name)

    @staticmethod
    def instance_param(func: FunctionInfo, name: str) -> bool:
        """Whether ``name`` in ``func`` is the ``self`` of a method (``func``'s or an
        enclosing one's), not ``cls`` of a classmethod nor a local."""
        for scope in func.scopes():
            if scope.cls is not None and scope.self_name == name:
                return not scope.is_classmethod
            if scope.binds(name):
                return False
        return False

    def function_named(self, func: FunctionInfo | None, name: str) -> FunctionInfo | None:
        """The ``def`` a bare name reaches from inside ``func``: nested ones first, then module level."""
        if func is not None:
            for scope in func.scopes():
                nested = scope.nested.get(name)
                if nested is not None:
                    return nested
                if scope.binds(name):
                    return None
        return self.module_functions.get(name)

    def lineage(self, cls: ClassInfo) -> Iterator[ClassInfo]:
        """``cls``, then its bases defined in this file, breadth first, each once."""
        seen: set[ClassInfo] = set()
        todo = [cls]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
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
            return self._lambdas.get(expr)
        if isinstance(expr, cst.Call):
            target = self.unwrap_partial(expr)
            return self.callee(func, target) if target is not expr else None
        return None

    def unwrap_partial(self, target: cst.BaseExpression) -> cst.BaseExpression:
        """``f`` for ``functools.partial(f, ...)`` (nested too); else ``target``."""
        while isinstance(target, cst.Call) and target.args and self.canonical(target.func) == "functools.partial":
            target = target.args[0].value
        return target

    def call_target(self, site: CallSite) -> FunctionInfo | None:
        """The function of this file a call site runs."""
        return self.callee(site.func, site.node.func)
