"""The shapes the single traversal records: scopes, where statements sit, held locks, sites."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst


@dataclass(eq=False)
class ClassInfo:
    node: cst.ClassDef
    name: str
    qualname: str
    bases: list[cst.BaseExpression]
    methods: dict[str, FunctionInfo] = field(default_factory=dict)


@dataclass(eq=False)
class FunctionInfo:
    """A ``def`` or a ``lambda``; ``cls`` is set for functions defined directly in a class body."""

    node: cst.FunctionDef | cst.Lambda
    name: str
    qualname: str
    parent: FunctionInfo | None
    cls: ClassInfo | None
    decorators: list[cst.BaseExpression] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    # Names bound in the function body (assignment, for, with-as, def, import...).
    local_names: set[str] = field(default_factory=set)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    # Nested ``def`` by name, for resolving calls and thread targets made inside this function.
    children: dict[str, FunctionInfo] = field(default_factory=dict)
    # How often each name is read in this function or in functions nested in it.
    name_loads: Counter[str] = field(default_factory=Counter)
    calls: list[Site] = field(default_factory=list)

    @property
    def is_lambda(self) -> bool:
        return isinstance(self.node, cst.Lambda)

    @property
    def self_name(self) -> str | None:
        """The name of the instance (or class) parameter of a method, if this is one."""
        if self.cls is None or not self.params:
            return None
        for decorator in self.decorators:
            if isinstance(decorator, cst.Name) and decorator.value == "staticmethod":
                return None
        return self.params[0]

    @property
    def is_classmethod(self) -> bool:
        return any(
            isinstance(decorator, cst.Name) and decorator.value == "classmethod"
            for decorator in self.decorators
        )

    def binds(self, name: str) -> bool:
        """Whether ``name`` is a local variable of this function."""
        if name in self.global_names or name in self.nonlocal_names:
            return False
        return name in self.local_names or name in self.params


@dataclass(frozen=True, eq=False)
class StmtPos:
    """Where a statement sits: ``block[index]``, inside the statement ``parent`` sits in."""

    block: Sequence[cst.CSTNode]
    index: int
    parent: StmtPos | None

    @property
    def statement(self) -> cst.CSTNode:
        return self.block[self.index]

    def following(self) -> Sequence[cst.CSTNode]:
        return self.block[self.index + 1 :]


@dataclass(frozen=True, eq=False)
class HeldLock:
    """A lock held over a region: by ``with expr:`` or between ``expr.acquire()`` and its release."""

    expr: cst.BaseExpression
    text: str  # ``self._lock``: the same text in one function is the same object
    func: FunctionInfo | None
    node: cst.CSTNode  # the ``with`` item or the ``acquire()`` call that took it


@dataclass(frozen=True, eq=False)
class Site:
    """A node seen by the traversal, with the facts of the place it sits in."""

    node: cst.CSTNode
    func: FunctionInfo | None
    cls: ClassInfo | None  # the class whose body (not method) the node is in
    held: tuple[HeldLock, ...]
    stmt: StmtPos | None
    # For a statement being simple (``x = 1``), the small statement inside the line.
    small: cst.BaseSmallStatement | None = None
