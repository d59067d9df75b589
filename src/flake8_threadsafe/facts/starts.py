"""The calls that hand work to another thread or process, what that work will be called
with, and the thread objects a file builds.

- ``starts``: every ``threading.Thread(target=...)``, ``Timer(t, f)``,
  ``_thread.start_new_thread(f, args)``, ``multiprocessing.Process(target=...)``,
  ``asyncio.to_thread(f, ...)``, ``loop.run_in_executor(ex, f, ...)`` and an executor's
  ``submit(f, ...)``/``map(f, ...)`` (of any executor the file knows), with its target
  as written and the positional and keyword arguments the target will get, when they
  can be counted; and ``future.add_done_callback(fn)`` on a future an executor's
  ``submit()`` gave, whose ``fn`` runs in the thread that finishes the task;
- ``accepts``: whether a function of the file can be called with a number of
  positional arguments and some keywords (defaults, ``*args``, ``**kwargs``, keyword-only
  parameters and a bound method's ``self`` considered);
- ``returns_data``: a function whose calls can only give plain data (nothing, literals,
  arithmetic), never a callable;
- ``thread_calls`` and ``restarts``: ``t.run()``/``t.start()`` on objects the file builds
  from ``threading.Thread``/``Timer`` or its own Thread subclasses, and the starts that
  start the same object again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.model import CallSite, ClassInfo, FunctionInfo, Recording
from flake8_threadsafe.facts.names import Names, Ref
from flake8_threadsafe.facts.objects import Objects
from flake8_threadsafe.facts.syntax import argument, bound_names, expression_text
from flake8_threadsafe.kinds import (
    DONE_CALLBACK,
    EXECUTOR_METHODS,
    PROCESS_STARTERS,
    RUN_IN_EXECUTOR,
    TARGET_ARGUMENTS,
    THREAD_CLASSES,
    THREAD_STARTERS,
    ExecutorKind,
    StartKind,
)

# Values that are plain data: calling them is a TypeError.
_DATA = (
    cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
    cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.Tuple, cst.List, cst.Dict, cst.Set,
    cst.ListComp, cst.DictComp, cst.SetComp,
)
_CONSTANTS = frozenset({"None", "True", "False"})
_FUNCTIONS = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_JUMPS = (cst.Return, cst.Raise, cst.Break, cst.Continue)


@dataclass(frozen=True, eq=False)
class Start:
    """A call that runs ``target`` in another thread (or process)."""

    site: CallSite
    via: str  # how messages name the call: ``threading.Thread()``, ``submit()``
    kind: StartKind | None  # None: a process
    threaded: bool  # the target runs in a thread of this process (not a process pool's worker)
    target: cst.BaseExpression | None
    args: cst.BaseExpression | None  # the ``args`` sequence as written, for the starters that take one
    # What the target will be called with: the positional values (for ``map``, one per
    # iterable) and the keyword names; None where they cannot be counted.
    positional: tuple[cst.BaseExpression, ...] | None
    keywords: frozenset[str] | None

    @property
    def task(self) -> bool:
        """The target becomes a task (of an executor, or of asyncio's)."""
        return self.kind is not None and self.kind.pooled


def _sequence(value: cst.BaseExpression | None) -> tuple[cst.BaseExpression, ...] | None:
    """The elements of an ``args`` value that can be counted: absent, or a tuple or list
    display without ``*``."""
    if value is None:
        return ()
    if isinstance(value, (cst.Tuple, cst.List)) and not any(isinstance(e, cst.StarredElement) for e in value.elements):
        return tuple(element.value for element in value.elements)
    return None


def _mapping(value: cst.BaseExpression | None) -> frozenset[str] | None:
    """The keys of a ``kwargs`` value that can be read: absent, or a dict display of strings."""
    if value is None:
        return frozenset()
    if not isinstance(value, cst.Dict):
        return None
    keys = []
    for element in value.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        text = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        if not isinstance(text, str):
            return None
        keys.append(text)
    return frozenset(keys)


def _rest(call: cst.Call, skip: int) -> tuple[tuple[cst.BaseExpression, ...] | None, frozenset[str] | None]:
    """The arguments after the first ``skip`` positional ones, passed on to the target."""
    if any(arg.star for arg in call.args):
        return None, None
    positional = tuple(arg.value for arg in call.args if arg.keyword is None)
    keywords = frozenset(arg.keyword.value for arg in call.args if arg.keyword is not None)
    return positional[skip:], keywords


class Starts:
    def __init__(self, recording: Recording, names: Names, objects: Objects) -> None:
        self.names = names
        self.objects = objects
        self._recording = recording

    # -- the calls that start work elsewhere ------------------------------------------

    @cached_property
    def starts(self) -> list[Start]:
        found = []
        for site in self._recording.calls:
            start = self._start(site)
            if start is not None:
                found.append(start)
        return found

    def _start(self, site: CallSite) -> Start | None:
        call = site.node
        canonical = self.names.canonical(call.func)
        if canonical is not None:
            starter = THREAD_STARTERS.get(canonical)
            kind, where = (starter[0], starter[1:]) if starter is not None else (None, PROCESS_STARTERS.get(canonical))
            if where is None:
                return None
            target = argument(call, *where)
            via = canonical.rpartition(".")[2] + "()"
            threaded = kind is not None
            if kind is StartKind.TO_THREAD:
                return Start(site, "asyncio.to_thread()", kind, threaded, target, None, *_rest(call, 1))
            (args_at, kwargs_at) = TARGET_ARGUMENTS[canonical]
            if any(arg.star for arg in call.args):
                return Start(site, via, kind, threaded, target, None, None, None)
            args = argument(call, *args_at)
            return Start(site, via, kind, threaded, target, args, _sequence(args), _mapping(argument(call, *kwargs_at)))
        callee = call.func
        if not isinstance(callee, cst.Attribute):
            return None
        method = callee.attr.value
        if method == DONE_CALLBACK:
            if not self._submitted(site.func, site.cls, callee.value):
                return None
            # Called with the future, in the executor's thread: any executor's, since a
            # process pool, too, completes its futures in a thread of this process.
            return Start(
                site, "add_done_callback()", StartKind.DONE_CALLBACK, True, argument(call, 0, "fn"), None,
                (callee.value,), frozenset(),
            )
        if method == RUN_IN_EXECUTOR:
            executor = argument(call, 0, "executor")
            # ``None`` is the loop's default executor, a ThreadPoolExecutor.
            threaded = (isinstance(executor, cst.Name) and executor.value == "None") or (
                executor is not None
                and self.objects.executor_kind(site.func, site.cls, executor) is ExecutorKind.THREAD
            )
            return Start(
                site, "run_in_executor()", StartKind.RUN_IN_EXECUTOR, threaded, argument(call, 1, "func"), None,
                _rest(call, 2)[0], frozenset(),
            )
        pooled = EXECUTOR_METHODS.get(method)
        executor_kind = self.objects.executor_kind(site.func, site.cls, callee.value) if pooled is not None else None
        if pooled is None or executor_kind is None:
            return None
        threaded = executor_kind is ExecutorKind.THREAD
        target = argument(call, 0, "fn")
        if pooled is StartKind.POOL_SUBMIT:
            return Start(site, "submit()", pooled, threaded, target, None, *_rest(call, 1))
        # ``map(fn, *iterables, timeout=, chunksize=)``: one argument per iterable.
        return Start(site, "map()", pooled, threaded, target, None, _rest(call, 1)[0], frozenset())

    def _submitted(self, func: FunctionInfo | None, cls: ClassInfo | None, future: cst.BaseExpression) -> bool:
        """``future`` is what an executor's ``submit()`` gave: the call itself, or a name
        bound only to such calls."""
        if isinstance(future, cst.Call):
            return self._submit_call(func, cls, future)
        ref = self.names.ref(func, cls, future)
        return ref is not None and ref in self._futures

    def _submit_call(self, func: FunctionInfo | None, cls: ClassInfo | None, call: cst.Call) -> bool:
        callee = call.func
        return (
            isinstance(callee, cst.Attribute)
            and EXECUTOR_METHODS.get(callee.attr.value) is StartKind.POOL_SUBMIT
            and self.objects.executor_kind(func, cls, callee.value) is not None
        )

    @cached_property
    def _futures(self) -> frozenset[Ref]:
        """The references bound to futures of ``submit()``, and to nothing else."""
        submitted: dict[Ref, bool] = {}
        for binding in self._recording.bindings:
            ref = self.names.ref(binding.func, binding.cls, binding.target)
            if ref is not None:
                made = isinstance(binding.value, cst.Call) and self._submit_call(
                    binding.func, binding.cls, binding.value
                )
                submitted[ref] = submitted.get(ref, True) and made
        return frozenset(ref for ref, only in submitted.items() if only)

    # -- what a function of the file accepts and returns ----------------------------

    def bound(self, func: FunctionInfo, target: cst.BaseExpression) -> bool:
        """Whether ``target`` (``self.work``, ``obj.work``, ``Cls.work``) supplies the first
        parameter of ``func``: a method reached through an instance, or a classmethod."""
        if func.self_name is None or not isinstance(target, cst.Attribute):
            return False
        if func.is_classmethod:
            return True
        receiver = target.value
        return not (isinstance(receiver, cst.Name) and receiver.value in self.names.module_classes)

    @staticmethod
    def positional_params(func: FunctionInfo, bound: bool) -> tuple[list[cst.Param], bool]:
        """The parameters of ``func`` that positional arguments fill (after the first, when
        ``bound``), and whether it takes any number more (``*args``)."""
        params = func.node.params
        ordered = [*params.posonly_params, *params.params][1 if bound else 0 :]
        return ordered, isinstance(params.star_arg, cst.Param)

    def accepts(self, func: FunctionInfo, bound: bool, positional: int, keywords: frozenset[str]) -> str | None:
        """Why ``func`` cannot be called with ``positional`` arguments and ``keywords``
        (``'takes 1 positional argument but 3 were given'``), or None when it can."""
        params = func.node.params
        ordered, star = self.positional_params(func, bound)
        if positional > len(ordered) and not star:
            takes = f"{len(ordered)} positional argument{'s' * (len(ordered) != 1)}"
            return f"takes {takes} but {positional} {'was' if positional == 1 else 'were'} given"
        names_by_keyword = {param.name.value for param in (*params.params, *params.kwonly_params)}
        if params.star_kwarg is None and not keywords <= names_by_keyword:
            unknown = sorted(keywords - names_by_keyword)[0]
            return f"has no parameter '{unknown}'"
        missing = [
            param.name.value
            for param in (*ordered[positional:], *params.kwonly_params)
            if param.default is None and param.name.value not in keywords
        ]
        if missing:
            return f"needs '{missing[0]}', which is not given"
        return None

    @staticmethod
    def returns_data(func: FunctionInfo) -> bool:
        """Calls of ``func`` can only give plain data: it is a plain ``def`` (no decorator,
        not a generator or coroutine) whose every ``return`` gives nothing, a constant,
        a literal or arithmetic; or a lambda whose body is such a value."""
        node = func.node
        if isinstance(node, cst.Lambda):
            return _data(node.body)
        if node.asynchronous is not None or node.decorators or _yields(node.body):
            return False
        return all(_data(value) for value in func.returned)

    # -- thread objects -----------------------------------------------------------

    def is_thread(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> bool:
        """``expr`` is a Thread object the file builds: from ``threading.Thread``/``Timer``,
        or from a Thread subclass of the file."""
        if isinstance(expr, cst.Call):
            if self.names.canonical(expr.func) in THREAD_CLASSES:
                return True
            made = self.names.module_classes.get(expr.func.value) if isinstance(expr.func, cst.Name) else None
            return made is not None and self.names.subclasses(made, THREAD_CLASSES)
        ref = self.names.ref(func, cls, expr)
        if ref is not None and any(built.canonical in THREAD_CLASSES for built in self.objects.built.get(ref, ())):
            return True
        owner = self.objects.instance_class(func, cls, expr)
        return owner is not None and self.names.subclasses(owner, THREAD_CLASSES)

    def thread_calls(self, method: str) -> list[tuple[CallSite, cst.BaseExpression]]:
        """The calls ``t.<method>()`` on a thread object, with ``t``."""
        found = []
        for site in self._recording.calls:
            callee = site.node.func
            if (
                isinstance(callee, cst.Attribute)
                and callee.attr.value == method
                and not site.node.args
                and self.is_thread(site.func, site.cls, callee.value)
            ):
                found.append((site, callee.value))
        return found

    @cached_property
    def restarts(self) -> list[tuple[CallSite, CallSite | None]]:
        """The ``t.start()`` calls that start an object already started: with the earlier
        start of the same ``t`` in the same function on the same path, or None for a start
        in a loop that does not bind a new ``t``."""
        found: list[tuple[CallSite, CallSite | None]] = []
        by_function: dict[tuple[FunctionInfo | None, str], list[CallSite]] = {}
        for site, thread in self.thread_calls("start"):
            text = expression_text(thread) if not isinstance(thread, cst.Call) else None  # a new object each time
            if (
                text is None
                or site.stmt is None
                or not (isinstance(site.small, cst.Expr) and site.small.value is site.node)
            ):
                continue
            loop = _loop_of(site)
            if loop is not None:
                if not _binds(loop, text) and not _leaves_after(site):
                    found.append((site, None))
                continue
            starts = by_function.setdefault((site.func, text), [])
            earlier = next((start for start in starts if _reaches(start, site, text)), None)
            if earlier is not None:
                found.append((site, earlier))
            starts.append(site)
        return found


def _data(value: cst.BaseExpression | None) -> bool:
    if value is None:
        return True
    if isinstance(value, cst.Name):
        return value.value in _CONSTANTS
    return isinstance(value, _DATA)


def _yields(body: cst.CSTNode) -> bool:
    stack = list(body.children)
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Yield, cst.Await)):
            return True
        if not isinstance(node, _FUNCTIONS):
            stack.extend(node.children)
    return False


def _loop_of(site: CallSite) -> cst.For | cst.While | None:
    """The innermost loop the site's statement is in, within its function."""
    for pos in site.enclosing():
        parent = pos.parent.statement if pos.parent is not None else None
        if isinstance(parent, (cst.For, cst.While)):
            return parent
    return None


def _binds(node: cst.CSTNode, text: str) -> bool:
    """Whether ``node`` (a loop) assigns ``text`` (``t``, ``self._thread``) anywhere."""
    stack = [node]
    while stack:
        current = stack.pop()
        targets: list[cst.BaseExpression] = []
        if isinstance(current, cst.Assign):
            targets = [target.target for target in current.targets]
        elif isinstance(current, (cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
            targets = [current.target]
        elif isinstance(current, cst.AsName):
            targets = [current.name]
        elif isinstance(current, cst.CompFor):
            targets = [current.target]
        for target in targets:
            if expression_text(target) == text or text in bound_names(target):
                return True
        stack.extend(current.children)
    return False


def _leaves_after(site: CallSite) -> bool:
    """The statement after the start leaves the loop or the function (``break``)."""
    assert site.stmt is not None
    following = site.stmt.following()[:1]
    if not following or not isinstance(following[0], cst.SimpleStatementLine):
        return False
    return isinstance(following[0].body[0], (cst.Break, cst.Return, cst.Raise))


def _reaches(earlier: CallSite, later: CallSite, text: str) -> bool:
    """``later`` runs after ``earlier`` on some path, with no new ``text`` bound between:
    some statement around ``earlier`` is followed, in its block, by one around ``later``,
    and nothing between them jumps away or binds ``text``."""
    assert earlier.stmt is not None
    later_positions = {id(pos.block): pos for pos in later.enclosing()}
    for pos in earlier.enclosing():
        shared = later_positions.get(id(pos.block))
        if shared is not None:
            if shared.index <= pos.index:
                return False  # the same statement holds both: exclusive branches, or ``later`` first
            between = pos.block[pos.index + 1 : shared.index]
            return not any(_binds(statement, text) or _jumps(statement) for statement in between)
        if any(_binds(statement, text) or _jumps(statement) for statement in pos.following()):
            return False
    return False


def _jumps(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(isinstance(small, _JUMPS) for small in statement.body)
