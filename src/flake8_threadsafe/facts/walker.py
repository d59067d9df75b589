"""The one walk over a module.

It walks statements in order, keeping the scope (class, function), where each statement
sits, and which locks are held, and records what the facts are made of (``Recording``):
imports, functions and classes, bindings, calls, acquisitions and releases, writes and
branches. Nothing else runs during the walk: the facts and the rules read the finished
recording.

libcst's own visitor rebuilds every node it passes and visits whitespace too; this walk
reads the fields that can hold code and nothing else, which is several times faster.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import libcst as cst

from flake8_threadsafe.facts.model import (
    CONTAINER_MUTATORS,
    Acquisition,
    Annotation,
    Binding,
    CallBinding,
    CallSite,
    ClassInfo,
    FunctionInfo,
    Hold,
    Recording,
    Release,
    Site,
    StmtPos,
    Write,
    WriteKind,
)
from flake8_threadsafe.facts.syntax import acquire_receiver, dotted_text, exits, expression_text, param_names

# Fields that only hold tokens, whitespace or comments.
_NOISE_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators",
        "header", "footer", "colon", "dot", "star", "equal", "operator", "newline", "lbracket",
        "rbracket", "lbrace", "rbrace", "asynchronous", "default_indent", "default_newline",
        "encoding", "has_trailing_newline", "indent", "value_prefix", "prefix", "quote",
        "start", "end", "between", "first_line", "string",
    }
)
# Fields whose Name is not a read of a variable: ``obj.attr``, ``f(keyword=...)``.
_CHILD_FIELDS_OVERRIDE: dict[type, tuple[str, ...]] = {
    cst.Attribute: ("value",),
    cst.Arg: ("value",),
    cst.Call: ("func", "args"),
    cst.Param: ("annotation", "default"),
    # The target is a store, handled by the walker before the rest.
    cst.CompFor: ("iter", "ifs", "inner_for_in"),
}
_child_fields_cache: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _child_fields_cache.get(node_type)
    if fields is None:
        fields = _CHILD_FIELDS_OVERRIDE.get(node_type)
        if fields is None:
            fields = tuple(
                f.name
                for f in dataclasses.fields(node_type)
                if f.name not in _NOISE_FIELDS and "whitespace" not in f.name
            )
        _child_fields_cache[node_type] = fields
    return fields


_is_node_class: dict[type, bool] = {}


def _child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children of ``node`` that can hold code, in source order."""
    children: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        value_class = value.__class__
        if value_class is list or value_class is tuple:
            children.extend(value)  # libcst sequences hold nodes only
            continue
        is_node = _is_node_class.get(value_class)
        if is_node is None:
            # ``isinstance`` against libcst's abstract base classes is slow: ask once per class.
            is_node = _is_node_class[value_class] = issubclass(value_class, cst.CSTNode)
        if is_node:
            children.append(value)
    return children


def record(module: cst.Module) -> Recording:
    """Walk ``module`` once and return what it recorded."""
    walker = _Walker()
    walker.recording.module = module
    walker.block(module.body)
    return walker.recording


class _Walker:
    def __init__(self) -> None:
        self.recording = Recording()
        self.func: FunctionInfo | None = None
        self.cls: ClassInfo | None = None
        self.holds: tuple[Hold, ...] = ()
        self.stmt: StmtPos | None = None
        self.small: cst.BaseSmallStatement | None = None
        # Every ``X.release()`` seen, in order; a block compares lengths before and after
        # a statement to learn whether the statement released a lock.
        self.releases: list[str] = []

    # -- infrastructure -------------------------------------------------------------

    def site(self, node: cst.CSTNode) -> Site:
        return Site(node, self.func, self.cls, self.holds, self.stmt, self.small)

    def bind(self, name: str) -> None:
        if self.func is not None:
            self.func.local_names.add(name)

    def add_function(self, node: cst.FunctionDef | cst.Lambda, name: str, params: list[str]) -> FunctionInfo:
        # A lambda in a class body is no method: it never gets ``self``.
        parent, cls = self.func, self.cls if isinstance(node, cst.FunctionDef) else None
        decorators = [d.decorator for d in node.decorators] if isinstance(node, cst.FunctionDef) else []
        qualname = name
        if cls is not None:
            qualname = f"{cls.qualname}.{name}"
        elif parent is not None:
            qualname = f"{parent.qualname}.<locals>.{name}"
        info = FunctionInfo(node, name, qualname, parent, cls, decorators, params)
        recording = self.recording
        recording.functions.append(info)
        if isinstance(node, cst.Lambda):
            recording.lambdas[node] = info
        elif cls is not None:
            cls.methods[name] = info
        elif parent is not None:
            parent.nested[name] = info
        else:
            recording.module_functions[name] = info
        return info

    def add_class(self, node: cst.ClassDef) -> ClassInfo:
        name = node.name.value
        qualname = f"{self.cls.qualname}.{name}" if self.cls is not None else name
        if self.func is not None:
            qualname = f"{self.func.qualname}.<locals>.{name}"
        info = ClassInfo(node, name, qualname, [arg.value for arg in node.bases])
        self.recording.classes.append(info)
        if self.func is None and self.cls is None:
            self.recording.module_classes[name] = info
        return info

    def add_binding(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if (
            isinstance(target, (cst.Tuple, cst.List))
            and isinstance(value, (cst.Tuple, cst.List))
            and len(target.elements) == len(value.elements)
            and not any(isinstance(e, cst.StarredElement) for e in (*target.elements, *value.elements))
        ):
            # ``a, b = Lock(), ThreadPoolExecutor(2)``: each name is bound to its own value.
            for name, bound in zip(target.elements, value.elements):
                self.add_binding(name.value, bound.value)
        elif isinstance(value, cst.Call):
            self.recording.bindings.append(CallBinding(self.func, self.cls, target, value))
        elif isinstance(value, (cst.Name, cst.Attribute)):
            self.recording.aliases.append(Binding(self.func, self.cls, target, value))

    def add_write(
        self, site: Site, target: cst.BaseExpression, kind: WriteKind, value: cst.BaseExpression | None
    ) -> None:
        """One write per element of an unpacked target (``a, b = ...``)."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.add_write(site, element.value, kind, value)
        elif isinstance(target, cst.StarredElement):
            self.add_write(site, target.value, kind, value)
        elif isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
            self._write(Write(site, target, kind, value))

    def _write(self, write: Write) -> None:
        self.recording.writes.append(write)
        if self.func is not None:
            self.func.writes.append(write)

    # -- statements -----------------------------------------------------------------

    def block(self, statements: Sequence[cst.CSTNode]) -> None:
        outer_stmt, outer_holds = self.stmt, self.holds
        acquired: list[Hold] = []
        for index, statement in enumerate(statements):
            self.stmt = StmtPos(statements, index, outer_stmt)
            seen_releases = len(self.releases)
            self.statement(statement)
            if acquired and len(self.releases) > seen_releases:
                released = set(self.releases[seen_releases:])
                acquired = [held for held in acquired if held.text not in released]
                self.holds = outer_holds + tuple(acquired)
            taken = self._acquired_by(statement)
            if taken is not None:
                acquired.append(taken)
                self.holds = outer_holds + tuple(acquired)
        self.stmt, self.holds = outer_stmt, outer_holds

    def suite(self, body: cst.BaseSuite) -> None:
        if isinstance(body, cst.IndentedBlock):
            self.block(body.body)
        else:  # ``if x: a(); b()`` on one line
            self.block([body])

    def _hold(self, receiver: cst.BaseExpression, node: cst.CSTNode) -> Hold | None:
        # ``with self._lock:``, and ``with cls.get_lock():`` (an accessor, to the facts).
        called = isinstance(receiver, cst.Call) and not receiver.args
        text = dotted_text(receiver.func if called else receiver)
        if text is None:
            return None
        if called:
            text += "()"
        return Hold(receiver, text, self.func, node)

    def _acquired_by(self, statement: cst.CSTNode) -> Hold | None:
        """The lock a statement leaves held for the rest of its block, if any.

        ``L.acquire()``, ``ok = L.acquire(timeout=t)`` and ``if not L.acquire(...): return``.
        """
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
            receiver = acquire_receiver(value)
            if receiver is not None and value is not None:
                return self._hold(receiver, value)
        elif isinstance(statement, cst.If):
            test = statement.test
            if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and exits(statement.body):
                receiver = acquire_receiver(test.expression)
                if receiver is not None:
                    return self._hold(receiver, test.expression)
        return None

    def statement(self, node: cst.CSTNode) -> None:
        handler = getattr(self, "stmt_" + type(node).__name__, None)
        if handler is not None:
            handler(node)
        else:
            self.children(node)

    def stmt_SimpleStatementLine(self, node: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> None:
        for small in node.body:
            self.small = small
            handler = getattr(self, "small_" + type(small).__name__, None)
            if handler is not None:
                handler(small)
            else:
                self.children(small)
        self.small = None

    stmt_SimpleStatementSuite = stmt_SimpleStatementLine

    def small_Assign(self, node: cst.Assign) -> None:
        site = self.site(node)
        for target in node.targets:
            self.add_write(site, target.target, WriteKind.ASSIGN, node.value)
        for target in node.targets:
            self.store(target.target)
            self.add_binding(target.target, node.value)
        self.expr(node.value)

    def small_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.add_write(self.site(node), node.target, WriteKind.ASSIGN, node.value)
        self.store(node.target)
        self.expr(node.annotation.annotation)
        if node.value is not None:
            self.add_binding(node.target, node.value)
            self.expr(node.value)

    def small_AugAssign(self, node: cst.AugAssign) -> None:
        self.add_write(self.site(node), node.target, WriteKind.AUGMENTED, None)
        if isinstance(node.target, cst.Name):
            self.bind(node.target.value)
        self.expr(node.target)
        self.expr(node.value)

    def small_Del(self, node: cst.Del) -> None:
        self.add_write(self.site(node), node.target, WriteKind.DELETE, None)
        self.children(node)

    def small_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            if self.func is not None:
                self.func.returned.append(node.value)
            self.expr(node.value)

    def small_Global(self, node: cst.Global) -> None:
        if self.func is not None:
            self.func.global_names.update(item.name.value for item in node.names)

    def small_Nonlocal(self, node: cst.Nonlocal) -> None:
        if self.func is not None:
            self.func.nonlocal_names.update(item.name.value for item in node.names)

    def small_Import(self, node: cst.Import) -> None:
        self.recording.imports.add_import(node)
        for alias in node.names:
            name = alias.evaluated_alias or alias.evaluated_name.split(".", 1)[0]
            self.bind(name)

    def small_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.recording.imports.add_import_from(node)
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self.bind(alias.evaluated_alias or alias.evaluated_name)

    def stmt_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            self.expr(decorator.decorator)
        self.children(node.params)
        if node.returns is not None:
            self.expr(node.returns.annotation)
        self.bind(node.name.value)
        info = self.add_function(node, node.name.value, param_names(node.params))
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.annotation is not None:
                self.recording.annotations.append(Annotation(info, param.name.value, param.annotation.annotation))
        self.in_function(info, node.body)

    def in_function(self, info: FunctionInfo, body: cst.BaseSuite | cst.BaseExpression) -> None:
        saved = (self.func, self.cls, self.holds, self.stmt, self.small)
        self.func, self.cls, self.holds, self.stmt, self.small = info, None, (), None, None
        if isinstance(body, cst.BaseSuite):
            self.suite(body)
        else:
            self.expr(body)
        self.func, self.cls, self.holds, self.stmt, self.small = saved

    def stmt_ClassDef(self, node: cst.ClassDef) -> None:
        for decorator in node.decorators:
            self.expr(decorator.decorator)
        for arg in (*node.bases, *node.keywords):
            self.expr(arg.value)
        self.bind(node.name.value)
        info = self.add_class(node)
        saved = (self.func, self.cls, self.holds, self.stmt)
        self.func, self.cls, self.holds = None, info, ()
        self.suite(node.body)
        self.func, self.cls, self.holds, self.stmt = saved

    def stmt_If(self, node: cst.If) -> None:
        # An elif chain is walked in a loop: a chain of a thousand elifs is one statement.
        self.recording.branches.append(self.site(node))
        while True:
            self.expr(node.test)
            receiver = acquire_receiver(node.test)
            taken = self._hold(receiver, node.test) if receiver is not None else None
            if taken is not None:  # ``if L.acquire(blocking=False):`` holds L in its body
                outer = self.holds
                self.holds = outer + (taken,)
                self.suite(node.body)
                self.holds = outer
            else:
                self.suite(node.body)
            if not isinstance(node.orelse, cst.If):
                break
            node = node.orelse
            self.recording.branches.append(self.site(node))
        self.orelse(node.orelse)

    def orelse(self, node: cst.If | cst.Else | None) -> None:
        if isinstance(node, cst.If):
            self.statement(node)
        elif node is not None:
            self.suite(node.body)

    def stmt_For(self, node: cst.For) -> None:
        self.expr(node.iter)
        self.store(node.target)
        self.suite(node.body)
        self.orelse(node.orelse)

    def stmt_While(self, node: cst.While) -> None:
        self.expr(node.test)
        self.suite(node.body)
        self.orelse(node.orelse)

    def stmt_Try(self, node: cst.Try | cst.TryStar) -> None:
        self.suite(node.body)
        for handler in node.handlers:
            if handler.type is not None:
                self.expr(handler.type)
            if handler.name is not None:
                self.store(handler.name.name)
            self.suite(handler.body)
        self.orelse(node.orelse)
        if node.finalbody is not None:
            self.suite(node.finalbody.body)

    stmt_TryStar = stmt_Try

    def stmt_With(self, node: cst.With) -> None:
        outer = self.holds
        for item in node.items:
            self.recording.acquisitions.append(Acquisition(self.site(item), item.item, item))
            self.expr(item.item)
            if item.asname is not None:
                self.store(item.asname.name)
                self.add_binding(item.asname.name, item.item)
            taken = self._hold(item.item, item)
            if taken is not None:
                self.holds = self.holds + (taken,)
        self.suite(node.body)
        self.holds = outer

    def stmt_Match(self, node: cst.Match) -> None:
        self.expr(node.subject)
        for case in node.cases:
            self.children(case.pattern)
            if case.guard is not None:
                self.expr(case.guard)
            self.suite(case.body)

    # -- expressions ----------------------------------------------------------------

    def store(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.store(element.value)
        elif isinstance(target, cst.StarredElement):
            self.store(target.value)
        else:  # ``obj.attr = ...``, ``d[k] = ...`` read ``obj``, ``d`` and ``k``
            self.expr(target)

    def children(self, node: cst.CSTNode) -> None:
        for child in _child_nodes(node):
            self.expr(child)

    def expr(self, root: cst.CSTNode) -> None:
        stack = [root]
        func = self.func
        while stack:
            node = stack.pop()
            node_type = type(node)
            if node_type is cst.Name:
                if func is not None:
                    self._read(node.value)
                continue
            if node_type is cst.Lambda:
                self.children(node.params)
                info = self.add_function(node, "<lambda>", param_names(node.params))
                self.in_function(info, node.body)
                continue
            if node_type is cst.NamedExpr:
                self.store(node.target)
                stack.append(node.value)
                continue
            if node_type is cst.CompFor:
                self.store(node.target)
            elif node_type is cst.Call:
                self._call(node)
            children = _child_nodes(node)
            children.reverse()
            stack.extend(children)

    def _read(self, name: str) -> None:
        func = self.func
        while func is not None:
            func.name_loads[name] += 1
            func = func.parent

    def _call(self, node: cst.Call) -> None:
        site = CallSite(node, self.func, self.cls, self.holds, self.stmt, self.small)
        recording = self.recording
        recording.calls.append(site)
        if self.func is not None:
            self.func.calls.append(site)
        else:
            recording.module_calls.append(site)
        callee = node.func
        if isinstance(callee, cst.Attribute):
            method = callee.attr.value
            if method == "release":
                text = expression_text(callee.value)
                if text is not None:
                    self.releases.append(text)
                    release = Release(site, text)
                    recording.releases.append(release)
                    (self.func.releases if self.func is not None else recording.module_releases).append(release)
            elif method == "acquire":
                recording.acquisitions.append(Acquisition(site, callee.value, node))
            if method in CONTAINER_MUTATORS:
                self._write(Write(site, callee.value, WriteKind.MUTATION, method=method))
