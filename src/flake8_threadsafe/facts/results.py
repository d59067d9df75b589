"""How the value a call returns is used: thrown away, or kept.

An executor's ``map()`` iterator and a ``submit()`` future hold the exception a worker
raised until someone reads them; dropping them drops the error. ``ResultUses.discarded``
answers "is this call's value thrown away?" for any call site, from the small statement
the call is in and the per-function name-read counts; ``discarded_executor_calls``
applies it to ``<executor>.<method>(...)`` calls.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Recording
from flake8_threadsafe.facts.names import Names
from flake8_threadsafe.facts.objects import Objects
from flake8_threadsafe.facts.syntax import argument, catches_all, dotted_text, statements

# Calls that can read any local variable without naming it.
_DYNAMIC_READERS = ("locals", "vars", "eval", "exec")


class DiscardKind(enum.Enum):
    STATEMENT = "statement"  # ``f(...)`` as a statement
    COMPREHENSION = "comprehension"  # ``[f(x) for x in xs]`` as a statement
    NAME = "name"  # ``r = f(...)`` (or a comprehension of them) and ``r`` is never read


@dataclass(frozen=True)
class Discard:
    """How a call's value is thrown away."""

    kind: DiscardKind
    name: str | None = None


@dataclass(frozen=True)
class DiscardedCall:
    """An ``<executor>.<method>(...)`` call whose value nobody reads."""

    site: CallSite
    receiver: cst.BaseExpression
    discard: Discard

    @property
    def executor(self) -> str:
        """The receiver as written (``self._pool``, ``ThreadPoolExecutor()``), for messages."""
        text = dotted_text(self.receiver)
        if text is None:
            text = cst.Module([]).code_for_node(self.receiver)
        return text if len(text) <= 40 and "\n" not in text else "executor"


def _element_is(value: cst.BaseExpression, call: cst.CSTNode) -> bool:
    """``value`` is a comprehension building one ``call`` per element."""
    if isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return value.elt is call
    if isinstance(value, cst.DictComp):
        return value.value is call
    return False


class ResultUses:
    """How call results are used in one file."""

    def __init__(self, recording: Recording, names: Names, objects: Objects) -> None:
        self.names = names
        self.objects = objects
        self._recording = recording

    @cached_property
    def _functions_with_classes(self) -> frozenset[str]:
        """Qualnames of the functions a class is defined in (at any depth)."""
        scopes = set()
        for cls in self._recording.classes:
            parts = cls.qualname.split(".<locals>.")[:-1]
            for depth in range(1, len(parts) + 1):
                scopes.add(".<locals>.".join(parts[:depth]))
        return frozenset(scopes)

    def never_read(self, func: FunctionInfo | None, name: str) -> bool:
        """``name``, bound in ``func``, is read nowhere: not in ``func``, not in functions
        nested in it, not by anything that reads variables without naming them."""
        if func is None:
            # A module global or class attribute can be read from anywhere, even another module.
            return False
        if name == "_" or name in func.global_names or name in func.nonlocal_names:
            return False
        loads = func.name_loads
        if loads[name] or any(loads[reader] for reader in _DYNAMIC_READERS):
            return False
        # The walker does not count reads made in class bodies (and their methods) nested
        # in ``func``; a closure read there would go unseen.
        return func.qualname not in self._functions_with_classes

    def discarded(self, site: CallSite) -> Discard | None:
        """How the value of the call at ``site`` is thrown away, or None when it may be used.

        Thrown away: the call (or a comprehension of it) is an expression statement, or is
        assigned to plain names (not ``_``, not global/nonlocal) that the function never
        reads. Any other place (an argument, ``return``, ``for``, an attribute or a
        container, a method called on the result) counts as used.
        """
        small, call = site.small, site.node
        if isinstance(small, cst.Expr):
            if small.value is call:
                return Discard(DiscardKind.STATEMENT)
            if _element_is(small.value, call):
                return Discard(DiscardKind.COMPREHENSION)
            return None
        if isinstance(small, cst.Assign):
            # ``job = last = ex.submit(...)``: thrown away when no name is ever read.
            targets, value = [target.target for target in small.targets], small.value
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            targets, value = [small.target], small.value
        else:
            return None
        if (value is call or _element_is(value, call)) and all(
            isinstance(target, cst.Name) and self.never_read(site.func, target.value) for target in targets
        ):
            first = targets[0]
            return Discard(DiscardKind.NAME, first.value if isinstance(first, cst.Name) else None)
        return None

    def swallows(self, func: FunctionInfo, depth: int = 0) -> bool:
        """``func`` handles its own errors (``swallows_exceptions``), or only calls a
        function of this file that does (``def task(): self.run_listeners(message)``)."""
        if swallows_exceptions(func):
            return True
        body = func.node.body
        block = statements(body) if isinstance(body, cst.BaseSuite) else []
        only = block[0] if len(block) == 1 else None
        if depth < 3 and isinstance(only, cst.SimpleStatementLine) and len(only.body) == 1:
            small = only.body[0]
            call = small.value if isinstance(small, cst.Expr) else None
            callee = self.names.callee(func, call.func) if isinstance(call, cst.Call) else None
            return callee is not None and callee is not func and self.swallows(callee, depth + 1)
        return False

    def discarded_executor_calls(self, method: str) -> Iterator[DiscardedCall]:
        """``<executor>.<method>(...)`` calls whose value is thrown away, except those whose
        task (a function of this file) catches every exception itself."""
        for site in self._recording.calls:
            callee = site.node.func
            if not isinstance(callee, cst.Attribute) or callee.attr.value != method:
                continue
            discard = self.discarded(site)
            if discard is None or self.objects.executor_kind(site.func, site.cls, callee.value) is None:
                continue
            task = argument(site.node, 0)  # ``submit(fn, ...)`` / ``map(fn, ...)``
            target = self.names.callee(site.func, task) if task is not None else None
            if target is not None and self.swallows(target):
                continue
            yield DiscardedCall(site, callee.value, discard)


def _blocks(statement: cst.CSTNode) -> Iterator[Sequence[cst.CSTNode]]:
    """The statement lists nested in a compound statement (not in a nested def/class)."""
    body = getattr(statement, "body", None)
    if isinstance(body, cst.BaseSuite):
        yield statements(body)
    for clause in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        yield statements(clause.body)
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.If):
        yield [orelse]
    elif orelse is not None:
        yield statements(orelse.body)
    finalbody = getattr(statement, "finalbody", None)
    if finalbody is not None:
        yield statements(finalbody.body)


def _raises(block: Sequence[cst.CSTNode]) -> bool:
    """A ``raise`` statement somewhere in ``block`` (a handler body: a few lines)."""
    for statement in block:
        if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            if any(isinstance(small, cst.Raise) for small in statement.body):
                return True
        elif not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            if any(_raises(nested) for nested in _blocks(statement)):
                return True
    return False


def _only_simple(statement: cst.If) -> bool:
    """An ``if`` without ``else`` whose body is simple statements that neither raise nor return."""
    return statement.orelse is None and all(
        isinstance(line, cst.SimpleStatementLine)
        and not any(isinstance(small, (cst.Raise, cst.Return)) for small in line.body)
        for line in statements(statement.body)
    )


def swallows_exceptions(func: FunctionInfo) -> bool:
    """``func`` ends in a ``try:`` with an ``except Exception:`` (or broader) that does not
    re-raise, and only simple statements (a log line, an assignment) come before it: its
    author handles its errors, and none of the guarded ones can be lost."""
    body = func.node.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    *before, guard = body.body
    if not isinstance(guard, cst.Try) or guard.orelse is not None:
        return False
    for statement in before:
        if isinstance(statement, cst.If) and _only_simple(statement):
            continue  # ``if self.logger.level <= DEBUG: self.logger.debug(...)``
        if not isinstance(statement, cst.SimpleStatementLine) or any(
            isinstance(small, (cst.Raise, cst.Return)) for small in statement.body
        ):
            return False
    handlers = guard.handlers
    caught = any(catches_all(handler) for handler in handlers)
    return caught and not any(_raises(statements(handler.body)) for handler in handlers)
