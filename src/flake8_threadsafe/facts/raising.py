"""What can realistically raise: the exceptional edges of the lock flow.

Judged on what the code does, not on how it looks:

- stores of names, attributes and items, arithmetic and comparisons of names, attributes
  and constants, ``append``/``appendleft``, ``notify()``/``notify_all()``, ``release()``,
  ``is_set()``-like questions, pure builtins (``len``, ``max``...), clocks, ``time.sleep``
  and a logger's methods do not raise;
- building a synchronization primitive (``threading.Condition(lock)``, ``Lock()``, any
  library's ``Semaphore(2)``) does not;
- a blocking ``acquire()`` or ``wait()`` (not awaited) of a lock the file builds from a
  threading factory raises only on an asynchronous exception (a signal handler's
  ``KeyboardInterrupt``), like every other statement;
- a call of a function of this file does not when nothing its body runs can (a call
  summary, computed once per function; recursion counts as raising);
- calls of anything else, subscripts, ``await``, ``yield``, ``assert``, ``raise`` and
  imports do.
"""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.locks import Locks
from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Recording
from flake8_threadsafe.facts.syntax import expression_text, statements
from flake8_threadsafe.kinds import LOCK_FACTORIES, LockKind

# Method calls that do not realistically raise: a list or deque growing, a condition's
# waiters woken, a lock let go, questions about a thread object's state.
_QUIET_METHODS = frozenset(
    {"append", "appendleft", "notify", "notify_all", "release", "is_set",
     "locked", "qsize", "empty", "full", "is_alive"}
)
# Functions that do not realistically raise on the values code passes them: pure builtins
# and clocks (by their last name: ``time.monotonic()``, ``monotonic()``).
_QUIET_FUNCTIONS = frozenset(
    {"len", "min", "max", "abs", "isinstance", "issubclass", "id", "bool", "callable",
     "time", "monotonic", "perf_counter", "get_ident", "current_thread", "getpid"}
)
# Imported functions that do not raise on the values code passes them: sleeping.
_QUIET_IMPORTED = frozenset({"time.sleep"})
# Building a synchronization primitive does not raise: ``threading.Condition(lock)``, and
# by the same names any library's (``trio.Lock()``, ``self._ctx.Semaphore(2)``).
_PRIMITIVES = frozenset(name.rsplit(".", 1)[1] for name in LOCK_FACTORIES) | {"Event"}
_QUIET_NAMES = _QUIET_FUNCTIONS | _PRIMITIVES
# A blocking wait on a threading primitive returns once it succeeds; only an asynchronous
# exception interrupts it.
_WAITS = frozenset({"acquire", "wait"})
# A logger's methods: logging reports its own failures (``Handler.handleError``) and does
# not raise into the caller.
_LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
_QUIET_EXPRESSIONS = (
    cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
    cst.Ellipsis, cst.Lambda,
)


# Decorators that leave what a call of the method does unchanged.
_PLAIN_DECORATORS = frozenset({"classmethod", "staticmethod"})


class Raising:
    """Which expressions and statements of a file can raise, seen from the function
    they are in."""

    def __init__(self, recording: Recording, locks: Locks) -> None:
        self.locks = locks
        self.names = locks.names
        self._recording = recording
        self._function_raises: dict[FunctionInfo, bool] = {}

    @cached_property
    def _sites(self) -> dict[cst.Call, CallSite]:
        return {site.node: site for site in self._recording.calls}

    # -- expressions ----------------------------------------------------------------------

    def quiet(self, node: cst.CSTNode) -> bool:
        """An expression that does not realistically raise."""
        if isinstance(node, _QUIET_EXPRESSIONS):
            return True
        if isinstance(node, cst.Attribute):
            return self.quiet(node.value)
        if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
            return self.quiet(node.left) and self.quiet(node.right)
        if isinstance(node, cst.UnaryOperation):
            return self.quiet(node.expression)
        if isinstance(node, cst.Comparison):
            return self.quiet(node.left) and all(self.quiet(target.comparator) for target in node.comparisons)
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            return all(self.quiet(element.value) for element in node.elements)
        if isinstance(node, cst.Dict):
            return all(
                isinstance(element, cst.DictElement) and self.quiet(element.key) and self.quiet(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.FormattedString):
            return all(
                not isinstance(part, cst.FormattedStringExpression) or self.quiet(part.expression)
                for part in node.parts
            )
        if isinstance(node, cst.Call):
            return all(self.quiet(arg.value) for arg in node.args) and self._quiet_call(node)
        return False

    def _quiet_call(self, call: cst.Call) -> bool:
        callee = call.func
        if isinstance(callee, cst.Name) and callee.value in _QUIET_NAMES:
            return True
        if isinstance(callee, cst.Attribute) and callee.attr.value in _PRIMITIVES and self.quiet(callee.value):
            return True
        if isinstance(callee, cst.Attribute) and self.quiet(callee.value) and self._quiet_method(call, callee):
            return True
        if self.names.canonical(callee) in _QUIET_IMPORTED:
            return True
        site = self._sites.get(call)
        if site is None:
            return False
        target = self.names.call_target(site)
        return target is not None and not self.function_raises(target)

    def _quiet_method(self, call: cst.Call, callee: cst.Attribute) -> bool:
        method = callee.attr.value
        if method in _QUIET_METHODS or method in _QUIET_FUNCTIONS:
            return True
        if method in _WAITS:
            site = self._sites.get(call)
            kind = self.locks.kind(site.func, site.cls, callee.value) if site is not None else None
            return kind is not None and kind is not LockKind.UNKNOWN
        owner = (
            callee.value.attr.value if isinstance(callee.value, cst.Attribute) else getattr(callee.value, "value", "")
        )
        return method in _LOGGING_METHODS and isinstance(owner, str) and "log" in owner.lower()

    def quiet_target(self, target: cst.BaseExpression) -> bool:
        """Stores that do not realistically raise: a name, an attribute, an item of a mapping
        (``self.responses[seq] = resq``; reading one can raise ``KeyError``, storing cannot)."""
        if isinstance(target, (cst.Name, cst.Attribute)):
            return isinstance(target, cst.Name) or self.quiet(target.value)
        if isinstance(target, cst.Subscript):
            return self.quiet(target.value) and all(
                isinstance(element.slice, cst.Index) and self.quiet(element.slice.value) for element in target.slice
            )
        if isinstance(target, (cst.Tuple, cst.List)):
            return all(self.quiet_target(element.value) for element in target.elements)
        if isinstance(target, cst.StarredElement):
            return self.quiet_target(target.value)
        return False

    # -- statements -----------------------------------------------------------------------

    def small_raises(self, small: cst.BaseSmallStatement) -> bool:
        if isinstance(small, (cst.Pass, cst.Break, cst.Continue, cst.Global, cst.Nonlocal)):
            return False
        if isinstance(small, cst.Expr):
            return not self.quiet(small.value)
        if isinstance(small, cst.Return):
            return small.value is not None and not self.quiet(small.value)
        if isinstance(small, cst.Assign):
            return not self.quiet(small.value) or not all(self.quiet_target(t.target) for t in small.targets)
        if isinstance(small, cst.AnnAssign):
            return small.value is not None and (not self.quiet(small.value) or not self.quiet_target(small.target))
        if isinstance(small, cst.AugAssign):
            return not (self.quiet_target(small.target) and self.quiet(small.value))
        if isinstance(small, cst.Del):
            # ``del d[k]``: KeyError
            return isinstance(small.target, cst.Subscript) or not self.quiet_target(small.target)
        return True  # raise, assert, import, anything new

    def _statement_raises(self, node: cst.CSTNode) -> bool:
        """Whether anything ``node`` runs can raise (its nested blocks included; a
        ``try`` is not credited with what it catches)."""
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return any(self.small_raises(small) for small in node.body)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return bool(node.decorators) or isinstance(node, cst.ClassDef)
        if isinstance(node, cst.If):
            return not self.quiet(node.test) or self._suite_raises(node.body) or (
                node.orelse is not None and self._statement_raises(node.orelse)
            )
        if isinstance(node, cst.Else):
            return self._suite_raises(node.body)
        if isinstance(node, cst.While):
            return not self.quiet(node.test) or self._suite_raises(node.body) or (
                node.orelse is not None and self._suite_raises(node.orelse.body)
            )
        if isinstance(node, cst.With):
            return (
                node.asynchronous is not None
                or not all(self.quiet(item.item) and item.asname is None for item in node.items)
                or self._suite_raises(node.body)
            )
        return True  # for (iteration), try, match, anything new

    def _suite_raises(self, suite: cst.BaseSuite) -> bool:
        return any(self._statement_raises(statement) for statement in statements(suite))

    def function_raises(self, func: FunctionInfo) -> bool:
        """Whether a call of ``func`` can raise: its body decides; decorated functions
        (but for ``@classmethod``/``@staticmethod``), coroutines, and defaults that can
        raise count as raising."""
        known = self._function_raises.get(func)
        if known is None:
            self._function_raises[func] = True  # recursion: assume it raises
            node = func.node
            known = (
                not isinstance(node, cst.FunctionDef)
                or node.asynchronous is not None
                or any(expression_text(d.decorator) not in _PLAIN_DECORATORS for d in node.decorators)
                or any(arg.default is not None and not self.quiet(arg.default) for arg in node.params.params)
                or self._suite_raises(node.body)
            )
            self._function_raises[func] = known
        return known
