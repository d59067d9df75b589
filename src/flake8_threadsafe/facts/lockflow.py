"""Which explicit acquires can leave a function with their lock still held: lock state as
dataflow over each function's control flow, exceptional edges included.

The control-flow graph is the statement structure itself (Python has no ``goto``): the
walk below follows every edge of it. A statement that can raise has an edge to the
``except`` clauses of the enclosing ``try`` (and past them when they may not catch it),
through every enclosing ``finally``, and otherwise to the function's exceptional exit;
``return``, ``break`` and ``continue`` go through the ``finally`` blocks they leave;
loops are iterated to a fixed point.

The state at a point is the set of locks that may be held there (``Token``), each with
the conditions it was taken under: ``ok = L.acquire(timeout=t)`` holds ``L`` only where
``ok`` is true, and ``if lock: lock.acquire()`` only where ``lock`` is; a later test of the
same name (``if not ok: raise``, ``finally: if lock: lock.release()``) drops the tokens
that contradict it, and a new binding of the name forgets the condition. ``L.release()``
ends every token of ``L``. What reaches an exit is a ``Leak``.

What can raise is judged by ``Raising`` (``raising.py``): realistically, and through
calls of the file's functions.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial

import libcst as cst

from flake8_threadsafe.facts.locks import Locks
from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Recording
from flake8_threadsafe.facts.raising import Raising
from flake8_threadsafe.facts.syntax import acquire_receiver, catches_all, expression_text, statements

# How many times a loop body is analyzed before its state is taken as final (states only
# grow, so this is reached only by pathological nesting).
_LOOP_LIMIT = 20

Condition = tuple[str, bool]  # ``("ok", True)``: where the name ``ok`` is true
# How a lock expression is written, to match its acquires and releases (``Locks.spelled``).
Spelling = Callable[[cst.BaseExpression], "str | None"]


@dataclass(frozen=True)
class Token:
    """A lock that may be held: taken by ``acquire`` where ``conditions`` hold."""

    text: str
    acquire: cst.Call
    conditions: frozenset[Condition] = frozenset()


State = frozenset[Token]


class ExitKind(enum.Enum):
    EXCEPTION = "exception"  # a statement raised and nothing in the function catches it
    RETURN = "return"
    END = "end"  # the body runs to its end


@dataclass(frozen=True)
class Leak:
    """``acquire``'s lock is held when the function leaves at ``exit`` (the raising or
    ``return`` statement; the function for ``END``)."""

    acquire: cst.Call
    text: str
    kind: ExitKind
    exit: cst.CSTNode


def _union(states: Iterable[State | None]) -> State | None:
    found: set[Token] | None = None
    for state in states:
        if state is not None:
            found = set(state) if found is None else found | state
    return frozenset(found) if found is not None else None


def _test_conditions(test: cst.BaseExpression, truth: bool) -> list[Condition]:
    """What is known on the ``truth`` branch of ``if test:``: ``name`` (or a dotted name)
    true or false."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _test_conditions(test.expression, not truth)
    if isinstance(test, cst.BooleanOperation):
        both = isinstance(test.operator, cst.And) == truth  # ``a and b`` true, ``a or b`` false
        if both:
            return _test_conditions(test.left, truth) + _test_conditions(test.right, truth)
        return []
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        comparison = test.comparisons[0]
        if isinstance(comparison.comparator, cst.Name) and comparison.comparator.value == "None":
            if isinstance(comparison.operator, cst.Is):
                return _test_conditions(test.left, not truth)
            if isinstance(comparison.operator, cst.IsNot):
                return _test_conditions(test.left, truth)
        return []
    if isinstance(test, (cst.Name, cst.Attribute)):
        text = expression_text(test)
        return [(text, truth)] if text is not None else []
    return []


def _assume(state: State, conditions: list[Condition]) -> State:
    """The tokens of ``state`` that can be held where ``conditions`` hold."""
    if not conditions:
        return state
    contradicted = {(name, not truth) for name, truth in conditions}
    return frozenset(token for token in state if contradicted.isdisjoint(token.conditions))


def _forget(state: State, names: set[str]) -> State:
    """A new binding of ``names``: conditions on them no longer tell anything."""
    if not names or not any(name == bound for token in state for name, _ in token.conditions for bound in names):
        return state
    return frozenset(
        Token(token.text, token.acquire, frozenset(c for c in token.conditions if c[0] not in names))
        for token in state
    )


def _constant_truth(value: cst.BaseExpression | None) -> bool | None:
    """Whether a constant is true: ``True``, ``None``, ``0``, ``"x"``; None for other values."""
    if isinstance(value, cst.Name) and value.value in ("True", "False", "None"):
        return value.value == "True"
    if isinstance(value, (cst.Integer, cst.SimpleString)):
        evaluated = value.evaluated_value
        return bool(evaluated)
    return None


def _note(state: State, conditions: list[Condition]) -> State:
    """Every token of ``state`` also holds where ``conditions`` hold: they are true now."""
    if not conditions or not state:
        return state
    return frozenset(
        Token(token.text, token.acquire, token.conditions | frozenset(conditions)) for token in state
    )


def _bound(target: cst.BaseExpression) -> set[str]:
    text = expression_text(target) if isinstance(target, (cst.Name, cst.Attribute)) else None
    if text is not None:
        return {text}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _bound(element.value)}
    if isinstance(target, cst.StarredElement):
        return _bound(target.value)
    return set()


class _Exits:
    """Where control leaves a region other than by falling through, with the state it leaves with."""

    def __init__(self) -> None:
        self.raises: dict[cst.CSTNode, State] = {}
        self.returns: dict[cst.CSTNode, State] = {}
        self.breaks: State | None = None
        self.continues: State | None = None

    def add(self, where: dict[cst.CSTNode, State], node: cst.CSTNode, state: State) -> None:
        known = where.get(node)
        where[node] = state if known is None else known | state


class _Analysis:
    """Lock state through one function body; ``tracked`` are the lock texts followed."""

    def __init__(
        self, tracked: frozenset[str], raising: Raising, own_names: frozenset[str], spelled: Spelling = expression_text
    ) -> None:
        self.tracked = tracked
        self.spelled = spelled
        self.raising = raising
        self.own_names = own_names
        self.exits = _Exits()
        self.context: tuple[Condition, ...] = ()
        # Locks acquired where they may already be held: the second acquire waits for
        # another thread to release the lock (a signal, not a critical section).
        self.waits: set[str] = set()

    # -- effects of expressions --------------------------------------------------------

    def _acquired(self, expr: cst.BaseExpression | None) -> tuple[str, cst.Call] | None:
        receiver = acquire_receiver(expr)
        if receiver is None or expr is None:
            return None
        call = expr.expression if isinstance(expr, cst.Await) else expr
        text = self.spelled(receiver)
        return (text, call) if text is not None and isinstance(call, cst.Call) else None

    def _take(self, state: State, taken: tuple[str, cst.Call], conditions: Iterable[Condition] = ()) -> State:
        text, call = taken
        if text not in self.tracked:
            return state
        if any(token.text == text for token in state):
            self.waits.add(text)
        return state | {Token(text, call, frozenset((*self.context, *conditions)))}

    def _releases(self, state: State, node: cst.CSTNode) -> State:
        """``state`` after the ``X.release()`` calls inside ``node``. An ``X.acquire()``
        inside it of a lock that may be held (``ensure_future(sem.acquire())``) waits for
        another thread to release it."""
        released = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
                continue
            if isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
                method = current.func.attr.value
                if method in ("release", "acquire"):
                    text = self.spelled(current.func.value)
                    if text is None:
                        pass
                    elif method == "release":
                        released.add(text)
                    elif text in self.tracked and any(token.text == text for token in state):
                        self.waits.add(text)
            stack.extend(current.children)
        if not released:
            return state
        return frozenset(token for token in state if token.text not in released)

    def _raise_from(self, node: cst.CSTNode, state: State) -> None:
        self.exits.add(self.exits.raises, node, state)

    # -- statements -------------------------------------------------------------------

    def block(self, body: Sequence[cst.CSTNode], state: State | None) -> State | None:
        for statement in body:
            if state is None:
                return None
            state = self.statement(statement, state)
        return state

    def suite(self, suite: cst.BaseSuite, state: State | None) -> State | None:
        return self.block(statements(suite), state)

    def statement(self, node: cst.CSTNode, state: State) -> State | None:
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            current: State | None = state
            for small in node.body:
                if current is None:
                    return None
                current = self.small(small, node, current)
            return current
        handler = getattr(self, "stmt_" + type(node).__name__, None)
        if handler is None:  # def, class: nothing runs now
            return state
        return handler(node, state)

    def small(self, small: cst.BaseSmallStatement, line: cst.CSTNode, state: State) -> State | None:
        if self.raising.small_raises(small):
            self._raise_from(line, state)
        if isinstance(small, cst.Raise):
            return None
        if isinstance(small, cst.Return):
            returned = expression_text(small.value) if small.value is not None else None
            # ``return lock``: the caller gets the lock, held, and releases it.
            state = frozenset(token for token in self._releases(state, small) if token.text != returned)
            self.exits.add(self.exits.returns, line, state)
            return None
        if isinstance(small, cst.Break):
            self.exits.breaks = _union([self.exits.breaks, state])
            return None
        if isinstance(small, cst.Continue):
            self.exits.continues = _union([self.exits.continues, state])
            return None
        after = self._releases(state, small)
        if isinstance(small, cst.Expr):
            taken = self._acquired(small.value)
            return self._take(after, taken) if taken is not None else after
        if isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            bound = {name for target in targets for name in _bound(target)}
            after = _forget(after, bound)
            dropped = bound & self.own_names if isinstance(small.value, cst.Call) else set()
            if dropped:
                # ``c = Condition()`` while the old ``c`` is held: the function's own
                # variable now names a new object; the old one is dropped with its name.
                after = frozenset(token for token in after if token.text not in dropped)
            truth = _constant_truth(small.value) if not isinstance(small, cst.AugAssign) else None
            if truth is not None:
                # ``self._locked = True`` next to the acquire: a later ``if self._locked:``
                # tells whether the lock is held.
                after = _note(after, [(name, truth) for target in targets for name in _bound(target)])
            taken = self._acquired(small.value) if not isinstance(small, cst.AugAssign) else None
            if taken is not None:
                names = [expression_text(t) for t in targets if isinstance(t, cst.Name)]
                # ``ok = L.acquire(timeout=t)``: held where ``ok`` is true.
                return self._take(after, taken, [(name, True) for name in names if name is not None][:1])
        return after

    def _branch(self, test: cst.BaseExpression, state: State, truth: bool) -> tuple[State | None, list[Condition]]:
        """The state entering the ``truth`` branch of ``test`` (None: it cannot be taken),
        and what it knows."""
        if not truth and _always_true(test):
            return None, []
        known = _test_conditions(test, truth)
        entering = _assume(state, known)
        taken = self._acquired(test)
        if taken is not None and truth:  # ``if L.acquire(blocking=False):``
            entering = self._take(entering, taken)
        negated = (
            test.expression if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) else None
        )
        taken = self._acquired(negated) if negated is not None else None
        if taken is not None and not truth:  # ``if not L.acquire(timeout=t): return``
            entering = self._take(entering, taken)
        return entering, known

    def _guarded(self, known: list[Condition], suite: cst.BaseSuite, state: State) -> State | None:
        saved = self.context
        self.context = saved + tuple(known)
        try:
            return self.suite(suite, state)
        finally:
            self.context = saved

    def stmt_If(self, node: cst.If, state: State) -> State | None:
        # An elif chain is followed in a loop: a chain of a thousand elifs is one statement.
        saved = self.context
        outs: list[State | None] = []
        current: cst.If | None = node
        while current is not None:
            if not self.raising.quiet(current.test) and self._acquired(current.test) is None:
                self._raise_from(current, state)
            state = self._releases(state, current.test)
            entering, known = self._branch(current.test, state, True)
            outs.append(self._guarded(known, current.body, entering))
            otherwise, known = self._branch(current.test, state, False)
            if otherwise is None:
                break  # ``if cond.wait():``: the test cannot fail
            state = otherwise
            self.context = self.context + tuple(known)  # the rest of the chain knows the test failed
            orelse = current.orelse
            current = orelse if isinstance(orelse, cst.If) else None
            if isinstance(orelse, cst.Else):
                outs.append(self.suite(orelse.body, state))
            elif orelse is None:
                outs.append(state)
        self.context = saved
        return _union(outs)

    def _loop(
        self, node: cst.For | cst.While, state: State, enter: State | None = None, leave: State | None = None
    ) -> State | None:
        """A loop: the body from ``enter`` (the state at the head if None) until the head's
        state is stable; the loop is left from the head (``leave``, or the head's state)
        and by ``break``."""
        outer_breaks, outer_continues = self.exits.breaks, self.exits.continues
        head = state
        breaks: State | None = None
        for _ in range(_LOOP_LIMIT):
            self.exits.breaks = self.exits.continues = None
            body_in = self._loop_entry(node, head)
            end = self.suite(node.body, body_in)
            breaks = _union([breaks, self.exits.breaks])
            grown = _union([head, end, self.exits.continues])
            if grown == head:
                break
            head = grown if grown is not None else head
        self.exits.breaks, self.exits.continues = outer_breaks, outer_continues
        leaving = self._loop_exit(node, head)
        if node.orelse is not None and leaving is not None:
            leaving = self.suite(node.orelse.body, leaving)
        return _union([leaving, breaks])

    def _loop_entry(self, node: cst.For | cst.While, head: State) -> State | None:
        if isinstance(node, cst.For):
            return _forget(head, _bound(node.target))
        return self._branch(node.test, head, True)[0]

    def _loop_exit(self, node: cst.For | cst.While, head: State) -> State | None:
        if isinstance(node, cst.For):
            return head
        if isinstance(node.test, cst.Name) and node.test.value == "True":
            return None  # left only by ``break``
        return self._branch(node.test, head, False)[0]

    def stmt_While(self, node: cst.While, state: State) -> State | None:
        if (
            not self.raising.quiet(node.test)
            and self._acquired(node.test) is None
            and self._acquired(_negated(node.test)) is None
        ):
            self._raise_from(node, state)
        return self._loop(node, state)

    def stmt_For(self, node: cst.For, state: State) -> State | None:
        if not self.raising.quiet(node.iter):
            self._raise_from(node, state)
        return self._loop(node, state)

    def stmt_With(self, node: cst.With, state: State) -> State | None:
        if not all(self.raising.quiet(item.item) for item in node.items):
            self._raise_from(node, state)
        if not any(suppresses(item.item) for item in node.items):
            return self.suite(node.body, state)
        # ``with pytest.raises(E):``, ``with suppress(E):``: what the body raises ends the
        # block and the code after it runs (if it does not raise, ``raises`` fails there).
        outer_raises = self.exits.raises
        self.exits.raises = {}
        end = self.suite(node.body, state)
        raised = self.exits.raises
        self.exits.raises = outer_raises
        after = _union([end, *raised.values()])
        if end is not None and any(_expects_raise(item.item) for item in node.items):
            self._raise_from(node, end)
        return after

    def stmt_Match(self, node: cst.Match, state: State) -> State | None:
        self._raise_from(node, state)
        return _union([state, *(self.suite(case.body, state) for case in node.cases)])

    def stmt_Try(self, node: cst.Try | cst.TryStar, state: State) -> State | None:
        if node.finalbody is None:
            return self._try_except(node, state)
        outer = self.exits
        self.exits = inner = _Exits()
        normal = self._try_except(node, state)
        self.exits = outer
        final = node.finalbody.body
        # Each way out of the ``try`` runs the ``finally`` and goes on its way if the
        # ``finally`` completes; raising points with the same state share one run.
        by_state: dict[State, list[cst.CSTNode]] = {}
        for raised, raised_state in inner.raises.items():
            by_state.setdefault(raised_state, []).append(raised)
        # The points that raised come before what the ``finally`` itself raises, so that
        # a leak names the statement where it starts.
        self.exits = in_finally = _Exits()
        finished = [(points, self.suite(final, raised_state)) for raised_state, points in by_state.items()]
        self.exits = outer
        for points, after in finished:
            if after is not None:
                for point in points:
                    outer.add(outer.raises, point, after)
        for point, raised_state in in_finally.raises.items():
            outer.add(outer.raises, point, raised_state)
        for point, returned_state in in_finally.returns.items():
            outer.add(outer.returns, point, returned_state)
        outer.breaks = _union([outer.breaks, in_finally.breaks])
        outer.continues = _union([outer.continues, in_finally.continues])
        for returned, returned_state in inner.returns.items():
            after = self.suite(final, returned_state)
            if after is not None:
                outer.add(outer.returns, returned, after)
        for jump in ("breaks", "continues"):
            jumped = getattr(inner, jump)
            if jumped is not None:
                after = self.suite(final, jumped)
                if after is not None:
                    setattr(outer, jump, _union([getattr(outer, jump), after]))
        return self.suite(final, normal) if normal is not None else None

    stmt_TryStar = stmt_Try

    def _try_except(self, node: cst.Try | cst.TryStar, state: State) -> State | None:
        outer_raises = self.exits.raises
        self.exits.raises = {}
        body = self.suite(node.body, state)
        raised = self.exits.raises
        self.exits.raises = outer_raises
        if node.orelse is not None and body is not None:
            body = self.suite(node.orelse.body, body)
        if not node.handlers:
            for point, raised_state in raised.items():
                self.exits.add(self.exits.raises, point, raised_state)
            return body
        handled = _union(raised.values())
        outs = [body]
        if handled is not None:
            outs.extend(self.suite(handler.body, handled) for handler in node.handlers)
        if not any(catches_all(handler) for handler in node.handlers):
            for point, raised_state in raised.items():
                self.exits.add(self.exits.raises, point, raised_state)
        return _union(outs)


def _always_true(test: cst.BaseExpression) -> bool:
    """``cond.wait()`` and ``cond.wait_for(predicate)`` without a timeout (awaited or not)
    return only once they succeed, with a true value."""
    call = test.expression if isinstance(test, cst.Await) else test
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value in ("wait", "wait_for")
        and not any(arg.keyword is not None and arg.keyword.value == "timeout" for arg in call.args)
        and len([arg for arg in call.args if arg.keyword is None]) == (call.func.attr.value == "wait_for")
    )


# Context managers that catch what their body raises: ``pytest.raises``,
# ``self.assertRaises``, ``contextlib.suppress``.
_RAISE_EXPECTERS = frozenset({"raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})
_SUPPRESSORS = _RAISE_EXPECTERS | {"suppress"}


def _called(item: cst.BaseExpression) -> str | None:
    if not isinstance(item, cst.Call):
        return None
    callee = item.func
    return callee.attr.value if isinstance(callee, cst.Attribute) else getattr(callee, "value", None)


def suppresses(item: cst.BaseExpression) -> bool:
    """A ``with`` item that catches the exceptions of its body."""
    return _called(item) in _SUPPRESSORS


def _expects_raise(item: cst.BaseExpression) -> bool:
    return _called(item) in _RAISE_EXPECTERS


def _negated(test: cst.BaseExpression) -> cst.BaseExpression | None:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return test.expression
    return None


@dataclass(frozen=True)
class LockFlow:
    leaks: list[Leak]
    waits: frozenset[str]  # locks acquired again where they may be held


def lock_flow(
    body: cst.BaseSuite | Sequence[cst.CSTNode],
    tracked: frozenset[str],
    where: cst.CSTNode,
    raising: Raising,
    own_names: frozenset[str] = frozenset(),
    spelled: Spelling = expression_text,
) -> LockFlow:
    """Every way an acquire of one of ``tracked`` (lock texts) in ``body`` (a function's,
    or the module's statements, ``where`` being the function or module) can leave it with
    the lock held; ``own_names`` are the function's own variables (not its parameters)."""
    analysis = _Analysis(tracked, raising, own_names, spelled)
    end = analysis.suite(body, frozenset()) if isinstance(body, cst.BaseSuite) else analysis.block(body, frozenset())
    found: list[Leak] = []
    for point, state in analysis.exits.raises.items():
        found.extend(Leak(token.acquire, token.text, ExitKind.EXCEPTION, point) for token in state)
    for point, state in analysis.exits.returns.items():
        found.extend(Leak(token.acquire, token.text, ExitKind.RETURN, point) for token in state)
    for token in end or ():
        found.append(Leak(token.acquire, token.text, ExitKind.END, where))
    return LockFlow(found, frozenset(analysis.waits))


class LockFlows:
    """The lock flow of each function of a file (and of the module's own statements) that
    acquires a lock explicitly, computed when first asked."""

    def __init__(self, recording: Recording, locks: Locks, raising: Raising) -> None:
        self.locks = locks
        self.raising = raising
        self._recording = recording
        self._flows: dict[FunctionInfo | None, LockFlow] = {}
        self._lock_acquires: dict[FunctionInfo | None, list[tuple[str, CallSite]]] = {}

    def of(self, func: FunctionInfo | None) -> LockFlow:
        flow = self._flows.get(func)
        if flow is None:
            tracked = frozenset(text for text, _ in self.lock_acquires(func))
            own: frozenset[str] = frozenset()
            if func is not None:
                body: cst.BaseSuite | Sequence[cst.CSTNode] = (
                    func.node.body if isinstance(func.node, cst.FunctionDef) else ()
                )
                where: cst.CSTNode = func.node
                own = frozenset(func.local_names - func.global_names - func.nonlocal_names - set(func.params))
            else:
                body, where = self._recording.module.body, self._recording.module
            flow = self._flows[func] = (
                lock_flow(body, tracked, where, self.raising, own, partial(self.locks.spelled, func))
                if tracked
                else LockFlow([], frozenset())
            )
        return flow

    def lock_acquires(self, func: FunctionInfo | None) -> list[tuple[str, CallSite]]:
        """The ``X.acquire(...)`` calls made directly in ``func`` on a lock: an object the
        facts know as a lock, or one this function also releases with ``X.release()``
        (a pool's ``release(conn)`` takes an argument)."""
        found = self._lock_acquires.get(func)
        if found is None:
            released = {
                self.locks.release_text(release)
                for release in self.locks.releases_in(func)
                if not release.site.node.args
            }
            found = self._lock_acquires[func] = []
            for text, site, expr in self._acquire_calls.get(func, ()):
                kind = self.locks.kind(site.func, site.cls, expr)
                if kind is not None or (text in released and not self.locks.built_by_factory(site, expr)):
                    found.append((text, site))
        return found

    @cached_property
    def _acquire_calls(self) -> dict[FunctionInfo | None, list[tuple[str, CallSite, cst.BaseExpression]]]:
        """Every ``X.acquire(...)`` call with a simple receiver, by the function it is made in."""
        calls: dict[FunctionInfo | None, list[tuple[str, CallSite, cst.BaseExpression]]] = {}
        for acquisition in self._recording.acquisitions:
            site = acquisition.site
            text = self.locks.spelled(site.func, acquisition.expr)
            if isinstance(site, CallSite) and text is not None:
                calls.setdefault(site.func, []).append((text, site, acquisition.expr))
        return calls
