"""The shapes the walk records: scopes, where statements sit, held locks, sites, and
what happens at them (calls, acquisitions, releases, writes, bindings)."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from flake8_threadsafe.facts.imports import ImportTable


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
    nested: dict[str, FunctionInfo] = field(default_factory=dict)
    # How often each name is read in this function or in functions nested in it.
    name_loads: Counter[str] = field(default_factory=Counter)
    calls: list[CallSite] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    returned: list[cst.BaseExpression] = field(default_factory=list)  # the values of its ``return``s

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

    @property
    def display(self) -> str:
        """How messages name it: ``Worker.run()``, ``work()``, ``a lambda``."""
        if self.is_lambda:
            return "a lambda"
        if self.cls is not None:
            return f"{self.cls.name}.{self.name}()"
        return f"{self.name}()"

    def scopes(self) -> Iterator[FunctionInfo]:
        """This function, then each function it is nested in, outwards."""
        scope: FunctionInfo | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def binds(self, name: str) -> bool:
        """Whether ``name`` is a local variable of this function."""
        if name in self.global_names or name in self.nonlocal_names:
            return False
        return name in self.local_names or name in self.params

    @property
    def method(self) -> FunctionInfo | None:
        """This function if it is a method, else the method it is nested in (whose ``self`` it sees)."""
        return next((scope for scope in self.scopes() if scope.cls is not None), None)


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
class Hold:
    """A region that holds ``expr``, which may be a lock: ``with expr:``, or from
    ``expr.acquire()`` to its release (``facts.locks`` tells which holds are of locks)."""

    expr: cst.BaseExpression
    text: str  # ``self._lock``: the same text in one function is the same object
    func: FunctionInfo | None
    node: cst.CSTNode  # the ``with`` item or the ``acquire()`` call that took it


@dataclass(frozen=True, eq=False)
class Site:
    """A node seen by the walk, with the facts of the place it sits in."""

    node: cst.CSTNode
    func: FunctionInfo | None
    cls: ClassInfo | None  # the class whose body (not method) the node is in
    holds: tuple[Hold, ...]  # the ``with`` items and ``acquire()`` regions it is in
    stmt: StmtPos | None
    # For a node inside a simple statement line (``x = f()``), the small statement it is in.
    small: cst.BaseSmallStatement | None = None

    def enclosing(self) -> Iterator[StmtPos]:
        """The statement the site is in, then each statement enclosing it, up to the function."""
        pos = self.stmt
        while pos is not None:
            yield pos
            pos = pos.parent


@dataclass(frozen=True, eq=False)
class CallSite(Site):
    node: cst.Call


@dataclass(frozen=True, eq=False)
class Acquisition:
    """``with expr:`` (any context manager: ``facts.locks`` tells which are locks) or
    ``expr.acquire(...)``, in the order the walk met them."""

    site: Site  # at the ``with`` item, or the call
    expr: cst.BaseExpression
    node: cst.WithItem | cst.Call

    @property
    def is_call(self) -> bool:
        return isinstance(self.node, cst.Call)


@dataclass(frozen=True, eq=False)
class Release:
    """``expr.release()`` where ``expr`` is a simple expression (``self._lock``,
    ``self._locks[key]``); ``text`` is how it is written."""

    site: CallSite
    text: str


class WriteKind(enum.Enum):
    AUGMENTED = "augmented"  # ``x += 1``
    ASSIGN = "assign"  # ``x = v``
    DELETE = "delete"  # ``del d[k]``
    MUTATION = "mutation"  # ``items.append(x)``: a container method that changes it


# Container methods that change the container in one call (atomic in CPython, also on
# free-threaded builds). Queue.put, Event.set and the like are absent: those objects are
# built for threads.
CONTAINER_MUTATORS = frozenset(
    {
        "append", "appendleft", "extend", "extendleft", "insert", "remove", "pop", "popleft",
        "popitem", "clear", "update", "setdefault", "add", "discard", "sort", "reverse",
        "rotate", "difference_update", "intersection_update", "symmetric_difference_update",
    }
)


@dataclass(frozen=True, eq=False)
class Write:
    """One place that changes state. ``target`` is what is written: a name, ``obj.attr``,
    ``d[k]`` (one element of an unpacked target each), or the container a mutating method
    is called on. ``site.node`` is the statement, or the call for a mutation."""

    site: Site
    target: cst.BaseExpression
    kind: WriteKind
    value: cst.BaseExpression | None = None  # the assigned value, for ASSIGN
    method: str = ""  # for MUTATION

    @property
    def call(self) -> cst.Call | None:
        return self.site.node if isinstance(self.site.node, cst.Call) else None


@dataclass(frozen=True, eq=False)
class Binding:
    """``target = value`` (or ``with value as target``), where it happens."""

    func: FunctionInfo | None
    cls: ClassInfo | None
    target: cst.BaseExpression
    value: cst.BaseExpression


@dataclass(frozen=True, eq=False)
class CallBinding(Binding):
    """``target = factory(...)``."""

    value: cst.Call


@dataclass(frozen=True, eq=False)
class Annotation:
    """A parameter's annotation: ``def f(pool: Executor)``."""

    func: FunctionInfo
    param: str
    annotation: cst.BaseExpression


@dataclass(eq=False)
class Recording:
    """Everything the walk records about one module, in the order it met it."""

    module: cst.Module = field(default_factory=lambda: cst.Module(body=[]))
    imports: ImportTable = field(default_factory=ImportTable)
    functions: list[FunctionInfo] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    module_functions: dict[str, FunctionInfo] = field(default_factory=dict)
    module_classes: dict[str, ClassInfo] = field(default_factory=dict)
    lambdas: dict[cst.Lambda, FunctionInfo] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    module_calls: list[CallSite] = field(default_factory=list)  # made outside any function
    acquisitions: list[Acquisition] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    module_releases: list[Release] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    branches: list[Site] = field(default_factory=list)  # every ``if`` and ``elif``
    bindings: list[CallBinding] = field(default_factory=list)
    aliases: list[Binding] = field(default_factory=list)  # the value is a name or attribute
    annotations: list[Annotation] = field(default_factory=list)
