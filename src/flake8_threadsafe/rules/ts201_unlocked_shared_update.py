"""TS201: shared state changed by code that runs in a thread, without a lock.

Reported, in a function that runs in another thread (a ``Thread``/``Timer`` target, an
executor task, ``run()`` of a ``Thread`` subclass, or anything of the same file they
call) and outside every region that holds a lock:

- an augmented assignment: ``counter += 1``, ``self.total += n``, ``d[k] += 1``;
- a read-modify-write by plain assignment: ``x = x + 1``, ``d[k] = d.get(k, 0) + 1``;
- check-then-act on a container: ``if k not in d: d[k] = v``, ``if x in s: s.remove(x)``;

of shared state: a ``global``, a container or object bound at module level, a class
attribute, ``self.<attr>`` when the thread shares the instance (``target=self.work``,
``obj.method``, ``run()``), a variable of an enclosing function whose closure is the target;

and only with evidence of a second writer: the target is started in a loop or a
comprehension, from several places, or runs in a thread pool; or the same state is also
written by code outside that thread (not a constructor, not before the thread starts).

Silent on: single operations CPython makes atomic (``lst.append(x)``, ``d[k] = v``,
``s.add(x)``, ``d.setdefault(k, v)``, ``q.put(x)``, ``event.set()``); code under
``with <lock>:`` or between ``acquire()`` and ``release()``; helpers only ever called
with a lock held, or that say so (``*_locked``, ``@synchronized``, "caller must hold the
lock"); constructors; locals, objects created in the function, parameters,
``threading.local()`` attributes; code that never runs in another thread; a thread that
is the only writer. ``--threadsafe-strict`` reports every unlocked write to shared state
in thread code, plain stores and single container mutations included, with no evidence
of a second writer needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts import FunctionInfo, Site
from flake8_threadsafe.facts.held import in_suite, positions
from flake8_threadsafe.facts.kinds import name_says_lock
from flake8_threadsafe.facts.threads import Reached, ThreadEntry, ThreadFacts
from flake8_threadsafe.rules.base import Finding, Rule

# Container methods that change the container in one call (atomic in CPython, also on
# free-threaded builds): reported by --threadsafe-strict only. Queue.put, Event.set and
# the like are absent: those objects are built for threads.
_MUTATORS = frozenset(
    {
        "append", "appendleft", "extend", "extendleft", "insert", "remove", "pop", "popleft",
        "popitem", "clear", "update", "setdefault", "add", "discard", "sort", "reverse",
        "rotate", "difference_update", "intersection_update", "symmetric_difference_update",
    }
)
# Calls that act on the element a membership test checked (``if x in s: s.remove(x)``).
# ``setdefault``, ``discard`` and ``pop(k, default)`` are safe even if the check is stale.
_ACTS_ON_ELEMENT = frozenset({"append", "appendleft", "add", "remove", "pop"})
# Code that runs before the object can be seen by another thread.
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__"})
# Entries whose function runs as a task of a thread pool: many at a time.
# Test fixtures: they run before the test starts any thread.
_SETUPS = frozenset({"setUp", "setUpClass", "asyncSetUp", "setup_method", "setup_class"})
_POOL_ENTRIES = ("ThreadPoolExecutor.", "loop.run_in_executor", "asyncio.to_thread")
# Calls and decorators whose name says they take a lock: ``with self._locked():``,
# ``with lock_for(key):``, ``@synchronized``.
_LOCKING_WORDS = re.compile(r"acquir|synchron|critical|locked|locking", re.IGNORECASE)
# Helpers whose caller holds the lock, by name or by docstring.
_LOCKED_NAME = re.compile(r"(^|_)(locked|unlocked|nolock)$|^_?locked_")
_LOCK_HELD_DOC = re.compile(
    r"\b(lock|mutex)\w*\b[^.]*\b(held|hold|holds|holding|acquired|owned)\b"
    r"|\b(held|hold|holding|acquired|owns?)\b[^.]*\b(lock|mutex)",
    re.IGNORECASE,
)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)

StateKey = tuple  # the reference a write is anchored on (a RefId), then attribute names


@dataclass(eq=False)
class _Write:
    """One place that writes state: ``target`` is what is written (a name, ``obj.attr``,
    ``d[k]``, or the container a mutating method is called on)."""

    site: Site
    target: cst.BaseExpression
    kind: str  # "augmented", "assign", "delete", "mutation"
    value: cst.BaseExpression | None = None  # the assigned value, for "assign"
    method: str = ""  # for "mutation"


@dataclass(frozen=True)
class _Shared:
    """State a write changes that another thread can see."""

    text: str  # for the message: ``counter``, ``self.total``, ``cache``
    key: StateKey
    instance: bool  # ``self.x``: shared only when the thread shares ``self``


# -- expressions --------------------------------------------------------------------------


def _text(node: cst.CSTNode) -> str | None:
    """Source-like text of a simple expression (names, attributes, subscripts, literals,
    calls of those), to compare two places; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _text(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    if isinstance(node, cst.Subscript):
        base = _text(node.value)
        index = _subscript_index(node)
        index_text = _text(index) if index is not None else None
        return f"{base}[{index_text}]" if base is not None and index_text is not None else None
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
        return node.value
    if isinstance(node, cst.Call):
        func = _text(node.func)
        args = [_text(arg.value) if arg.keyword is None and not arg.star else None for arg in node.args]
        if func is None or None in args:
            return None
        return f"{func}({', '.join(args)})"  # type: ignore[arg-type]
    return None


def _subscript_index(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _reads(root: cst.CSTNode, wanted: str, container: str | None, key: str | None) -> bool:
    """Whether ``root`` reads ``wanted`` (``x``, ``self.n``, ``d[k]``) or ``container.get(key)``."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)) and _text(node) == wanted:
            return True
        if isinstance(node, cst.Attribute):  # ``obj.x`` does not read a variable ``x``
            stack.append(node.value)
        elif isinstance(node, cst.Call):
            callee = node.func
            if (
                container is not None
                and isinstance(callee, cst.Attribute)
                and callee.attr.value == "get"
                and node.args
                and _text(callee.value) == container
                and _text(node.args[0].value) == key
            ):
                return True
            stack.append(callee)
            stack.extend(arg.value for arg in node.args)
        elif not isinstance(node, cst.Lambda):
            stack.extend(node.children)
    return False


def _variable(target: cst.BaseExpression) -> cst.BaseExpression:
    """The variable a write changes: ``d`` for ``d[k]``, ``self.stats`` for ``self.stats[k]``."""
    while isinstance(target, cst.Subscript):
        target = target.value
    return target


def _chain(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """``expr`` and every expression it is read through, down to the root (``self``)."""
    chain = [expr]
    while isinstance(expr, (cst.Attribute, cst.Subscript)):
        expr = expr.value
        chain.append(expr)
    return chain


def _bound_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _bound_names(element.value)}
    if isinstance(target, cst.StarredElement):
        return _bound_names(target.value)
    return set()


def _inside_comprehension(root: cst.CSTNode, wanted: cst.CSTNode) -> bool:
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, inside = stack.pop()
        if node is wanted:
            return inside
        inside = inside or isinstance(node, _COMPREHENSIONS)
        stack.extend((child, inside) for child in node.children)
    return False


def _bound_by_comprehension(root: cst.CSTNode, name: str) -> bool:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.CompFor) and name in _bound_names(node.target):
            return True
        stack.extend(node.children)
    return False


def _header(statement: cst.CSTNode) -> cst.CSTNode | None:
    """The part of a compound statement that is not its body."""
    if isinstance(statement, cst.For):
        return statement.iter
    if isinstance(statement, (cst.If, cst.While)):
        return statement.test
    return None


def _repeats(site: Site) -> bool:
    """The call runs several times per run of its function: in a loop or a comprehension."""
    for pos in positions(site):
        if pos.parent is not None and isinstance(pos.parent.statement, (cst.For, cst.While)):
            return True
    root = site.small
    if root is None and site.stmt is not None:
        root = _header(site.stmt.statement)
    return root is not None and _inside_comprehension(root, site.node)


def _exits(suite: cst.BaseSuite) -> bool:
    """A block that always leaves: ends in return/raise/continue/break."""
    statements = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
    last = statements[-1] if statements else None
    if isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
    return False


def _membership_checks(test: cst.BaseExpression) -> Iterator[tuple[cst.BaseExpression, cst.BaseExpression]]:
    """(element, container) of ``k in d``, ``k not in d``, ``d.get(k) is None``, ``not d.get(k)``."""
    if isinstance(test, cst.BooleanOperation):
        yield from _membership_checks(test.left)
        yield from _membership_checks(test.right)
    elif isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from _membership_checks(test.expression)
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        comparison = test.comparisons[0]
        if isinstance(comparison.operator, (cst.In, cst.NotIn)):
            yield test.left, comparison.comparator
        elif isinstance(comparison.operator, (cst.Is, cst.IsNot)):
            yield from _membership_checks(test.left)
    elif (
        isinstance(test, cst.Call)
        and isinstance(test.func, cst.Attribute)
        and test.func.attr.value == "get"
        and test.args
    ):
        yield test.args[0].value, test.func.value


def _says_lock(name: str) -> bool:
    """``lock_for``, ``_locked``, ``acquire_all``, ``synchronized``: the last dotted part."""
    last = name.rsplit(".", 1)[-1]
    return name_says_lock(last) or bool(_LOCKING_WORDS.search(last))


def _display(func: FunctionInfo) -> str:
    if func.is_lambda:
        return "a lambda"
    if func.cls is not None:
        return f"{func.cls.name}.{func.name}()"
    return f"{func.name}()"


class UnlockedSharedUpdate(Rule):
    code = "TS201"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.writes: list[_Write] = []
        self.checks: list[Site] = []  # every ``if``, for check-then-act
        self.module_names: set[str] = set()  # names assigned at module level
        self._keys: dict[int, StateKey | None] = {}
        self._guarded: dict[int, bool] = {}

    # -- collecting, during the walk --------------------------------------------------------

    def _store(
        self, site: Site, target: cst.BaseExpression, kind: str, value: cst.BaseExpression | None
    ) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._store(site, element.value, kind, value)
        elif isinstance(target, cst.StarredElement):
            self._store(site, target.value, kind, value)
        elif isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
            if site.func is None and site.cls is None and isinstance(target, cst.Name):
                self.module_names.add(target.value)
            self.writes.append(_Write(site, target, kind, value))

    def visit_AugAssign(self, site: Site) -> None:
        assert isinstance(site.node, cst.AugAssign)
        self._store(site, site.node.target, "augmented", None)

    def visit_Assign(self, site: Site) -> None:
        assert isinstance(site.node, cst.Assign)
        for target in site.node.targets:
            self._store(site, target.target, "assign", site.node.value)

    def visit_AnnAssign(self, site: Site) -> None:
        assert isinstance(site.node, cst.AnnAssign)
        if site.node.value is not None:
            self._store(site, site.node.target, "assign", site.node.value)

    def visit_Del(self, site: Site) -> None:
        assert isinstance(site.node, cst.Del)
        self._store(site, site.node.target, "delete", None)

    def visit_Call(self, site: Site) -> None:
        callee = site.node.func  # type: ignore[attr-defined]
        if isinstance(callee, cst.Attribute) and callee.attr.value in _MUTATORS:
            self.writes.append(_Write(site, callee.value, "mutation", method=callee.attr.value))

    def visit_If(self, site: Site) -> None:
        self.checks.append(site)

    # -- judging ------------------------------------------------------------------------------

    def finish(self) -> Iterator[Finding]:
        if not any(write.site.func is not None for write in self.writes) or not self.threads.entries:
            return
        strict = self.facts.config.strict
        acts = {id(act) for check in self.checks for act in self._acts(check)}
        for write in self.writes:
            if not self.threads.runs_under(write.site.func):
                continue
            if write.kind == "augmented" or (write.kind == "assign" and self._read_modify_write(write)):
                finding = self._judge(write, "is changed", "hold a lock around the read and the write")
            elif id(write) in acts:
                advice = "hold a lock over the check and the change"
                finding = self._judge(write, "is checked then changed", advice)
            elif strict:
                verb = "is set" if write.kind == "assign" else "is changed"
                finding = self._judge(write, verb, "hold a lock (strict mode: every shared write)")
            else:
                continue
            if finding is not None:
                yield finding

    def _judge(self, write: _Write, verb: str, advice: str) -> Finding | None:
        """A finding for ``write`` if it changes shared state in a thread without a lock."""
        func = write.site.func
        if func is None or func.name in _CONSTRUCTORS:
            return None
        reached = self.threads.runs_under(func)
        if not reached or self._held(write.site) or self._lock_held_by_caller(func):
            return None
        shared = self._shared(func, write, reached)
        if shared is None:
            return None
        if shared.instance:
            reached = [state for state in reached if state.shares_self]
        other_writer = self._second_writer(write, shared, reached)
        if other_writer is None and not self.facts.config.strict:
            return None
        state = min(reached, key=lambda state: (state.entry.site is None, len(state.path)))
        where, related = self._where(func, state)
        if other_writer:
            where += f", while {other_writer} also writes it"
        node = write.site.node if write.kind == "mutation" else write.target
        return self.finding(node, f"'{shared.text}' {verb} in {where}; {advice}", related)

    def _read_modify_write(self, write: _Write) -> bool:
        """``x = x + 1``, ``self.n = max(self.n, v)``, ``d[k] = d.get(k, 0) + 1``."""
        target, value = write.target, write.value
        wanted = _text(target)
        if wanted is None or value is None:
            return False
        container = key = None
        if isinstance(target, cst.Subscript):
            index = _subscript_index(target)
            container = _text(target.value)
            key = _text(index) if index is not None else None
        return _reads(value, wanted, container, key)

    @property
    def threads(self) -> ThreadFacts:
        return self.facts.threads

    @cached_property
    def writes_in(self) -> dict[int, list[_Write]]:
        """The writes of each function, by ``id``."""
        found: dict[int, list[_Write]] = {}
        for write in self.writes:
            found.setdefault(id(write.site.func), []).append(write)
        return found

    # -- what is shared -----------------------------------------------------------------------

    def _shared(self, func: FunctionInfo, write: _Write, reached: list[Reached]) -> _Shared | None:
        """The shared state ``write`` changes, or None when no other thread sees it
        (a local, an object made here, a parameter, a thread-local)."""
        target = write.target
        key = self._key(func, target)
        if key is None:
            return None
        shown = _variable(target)
        chain = _chain(shown)
        root = chain[-1]
        for node in chain:
            if isinstance(node, (cst.Name, cst.Attribute)) and self.facts.is_thread_local(func, None, node):
                return None
        text = _text(shown) or _text(root) or "state"
        ref = key[0]
        if ref[0] == "attr":
            instance = isinstance(root, cst.Name) and ThreadFacts.instance_param(func, root.value)
            if instance and not any(state.shares_self for state in reached):
                return None
            return _Shared(text, key, instance)
        assert isinstance(root, cst.Name)
        if ref[0] == "global":
            name = root.value
            if write.kind != "mutation" and target is root and name not in self._globals_of(func):
                return None  # binding a name without ``global`` makes a local
            if name not in self.module_names and name not in self.declared_global:
                return None  # a builtin or an imported name, not state of this file
            return _Shared(text, key, False)
        owner = ref[1]
        if owner == id(func):
            return None
        # A variable of an enclosing function is shared when that function's frame stays
        # in the starting thread: the entry is a closure defined inside it. (A closure
        # called from inside the thread shares only that thread's own frame.)
        for state in reached:
            scope = state.entry.func.parent
            while scope is not None and id(scope) != owner:
                scope = scope.parent
            if scope is not None:
                return _Shared(text, key, False)
        return None

    @staticmethod
    def _globals_of(func: FunctionInfo) -> set[str]:
        names: set[str] = set()
        scope: FunctionInfo | None = func
        while scope is not None:
            names |= scope.global_names
            scope = scope.parent
        return names

    @cached_property
    def declared_global(self) -> set[str]:
        """Names declared ``global`` somewhere: module state even if never assigned at module level."""
        return {name for func in self.facts.functions for name in func.global_names}

    def _key(self, func: FunctionInfo | None, target: cst.BaseExpression) -> StateKey | None:
        """The identity of the state ``target`` writes: the reference it is anchored on (a
        global, a closure variable, ``Cls.attr``, ``self.attr``) plus the attribute names after it."""
        if id(target) in self._keys:
            return self._keys[id(target)]
        key = None
        chain = _chain(_variable(target))
        root = chain[-1]
        anchor: cst.BaseExpression | None = None
        if len(chain) >= 2 and isinstance(chain[-2], cst.Attribute) and self.facts.receiver_class(func, root):
            anchor = chain[-2]  # ``self.x``, ``Cls.x``, ``type(self).x``
        elif isinstance(root, cst.Name):
            anchor = root
        ref = self.facts.ref(func, None, anchor) if anchor is not None else None
        if ref is not None:
            attrs = []
            for node in reversed(chain[: chain.index(anchor)]):  # type: ignore[arg-type]
                if not isinstance(node, cst.Attribute):
                    break
                attrs.append(node.attr.value)
            key = (ref, *attrs)
        self._keys[id(target)] = key
        return key

    # -- locks ----------------------------------------------------------------------------------

    def _held(self, site: Site) -> bool:
        if self.facts.held_locks(site):
            return True
        # ``with self._locked():``, ``with lock_for(key):``: a call the walker cannot name.
        for pos in positions(site):
            parent = pos.parent
            if parent is not None and isinstance(parent.statement, cst.With):
                for item in parent.statement.items:
                    if isinstance(item.item, cst.Call) and _says_lock(_text(item.item.func) or ""):
                        return True
        return False

    def _lock_held_by_caller(self, func: FunctionInfo) -> bool:
        """A helper every caller of which holds a lock, or that says its caller does."""
        known = self._guarded.get(id(func))
        if known is not None:
            return known
        self._guarded[id(func)] = False  # a recursive call proves nothing
        guarded = self._says_lock_held(func)
        if not guarded and not any(entry.func is func for entry in self.threads.entries):
            callers = self.callers.get(id(func), [])
            guarded = bool(callers) and all(
                self._held(site) or (site.func is not None and self._lock_held_by_caller(site.func))
                for site in callers
            )
        self._guarded[id(func)] = guarded
        return guarded

    @staticmethod
    def _says_lock_held(func: FunctionInfo) -> bool:
        """``_update_locked()``, ``@synchronized``, or a docstring like "Call with the lock held"."""
        if func.is_lambda:
            return False
        if _LOCKED_NAME.search(func.name):
            return True
        for decorator in func.decorators:
            if _says_lock(_text(decorator.func if isinstance(decorator, cst.Call) else decorator) or ""):
                return True
        body = func.node.body
        first = body.body[0] if isinstance(body, cst.IndentedBlock) and body.body else None
        if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr):
            doc = first.body[0].value
            if isinstance(doc, (cst.SimpleString, cst.ConcatenatedString)):
                text = doc.evaluated_value
                return isinstance(text, str) and bool(_LOCK_HELD_DOC.search(text))
        return False

    @cached_property
    def callers(self) -> dict[int, list[Site]]:
        """The call sites of each function of the file, by ``id``."""
        found: dict[int, list[Site]] = {}
        for site in self.facts.calls:
            callee = self.facts.call_target(site)
            if callee is not None:
                found.setdefault(id(callee), []).append(site)
        return found

    # -- evidence of a second writer --------------------------------------------------------------

    def _second_writer(self, write: _Write, shared: _Shared, reached: list[Reached]) -> str | None:
        """"" when several threads run this code at once, the name of the other writer when
        code outside the thread writes the same state, None without evidence."""
        entries = list({id(state.entry): state.entry for state in reached}.values())
        # Reached from two thread starts (for ``self.x``: two starts on the same object).
        if shared.instance:
            objects = [self._object_of(entry) for entry in entries]
            if len(set(objects)) < len(objects):
                return ""
        elif len(entries) > 1:
            return ""
        if any(self._started_many(entry, shared.instance) for entry in entries):
            return ""
        return self._written_elsewhere(write, shared, entries)

    def _started_many(self, entry: ThreadEntry, instance: bool) -> bool:
        """Several threads may run ``entry`` at once (on the same object, for ``instance``)."""
        if entry.site is None:  # run() of a Thread subclass: one thread per object
            if instance:
                return False
            sites = self.thread_objects.get(id(entry.func), [])
            return len(sites) > 1 or any(_repeats(site) for site in sites)
        if instance and not self._same_object_each_time(entry):
            return False
        if entry.how.startswith(_POOL_ENTRIES):
            return not self._serial_executor(entry.site)
        if _repeats(entry.site):
            return True
        starter = entry.site.func
        return starter is not None and any(_repeats(site) for site in self.callers.get(id(starter), []))

    @cached_property
    def thread_objects(self) -> dict[int, list[Site]]:
        """For the ``run()`` of each Thread subclass, where its objects are created."""
        found: dict[int, list[Site]] = {}
        classes = self.facts.module_classes
        for site in self.facts.calls:
            callee = site.node.func  # type: ignore[attr-defined]
            if isinstance(callee, cst.Name) and callee.value in classes:
                run = self.facts.method(classes[callee.value], "run")
                if run is not None:
                    found.setdefault(id(run), []).append(site)
        return found

    def _object_of(self, entry: ThreadEntry) -> object:
        """Which object a thread start shares: the starting method's ``self`` (also seen by a
        closure it starts), a variable's (``counter.increment``), or a ``run()`` object of its own."""
        target = self.facts.unwrap_partial(entry.target) if entry.target is not None else None
        if entry.site is None or target is None:
            return id(entry)
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            name = target.value.value
            starter = entry.site.func
            if starter is None or not ThreadFacts.instance_param(starter, name):
                return ("variable", id(starter), name)
        return "self"

    def _same_object_each_time(self, entry: ThreadEntry) -> bool:
        """A target ``obj.method`` started in a loop shares one ``obj``, unless the loop
        binds a new one each time (``for job in jobs:``, ``job = Job(item)``)."""
        assert entry.site is not None
        target = self.facts.unwrap_partial(entry.target) if entry.target is not None else None
        if not isinstance(target, cst.Attribute) or not isinstance(target.value, cst.Name):
            return True
        name = target.value.value
        starter = entry.site.func
        if starter is not None and ThreadFacts.instance_param(starter, name):
            return True
        for pos in positions(entry.site):
            loop = pos.parent.statement if pos.parent is not None else None
            if not isinstance(loop, (cst.For, cst.While)):
                continue
            if isinstance(loop, cst.For) and name in _bound_names(loop.target):
                return False
            for write in self.writes_in.get(id(starter), []):
                if _bound_names(write.target) == {name} and in_suite(write.site, loop.body):
                    return False
        small = entry.site.small
        return small is None or not _bound_by_comprehension(small, name)

    def _serial_executor(self, site: Site) -> bool:
        """``ThreadPoolExecutor(max_workers=1)``: its tasks run one after the other."""
        callee = site.node.func  # type: ignore[attr-defined]
        if not isinstance(callee, cst.Attribute):
            return False
        calls = self.facts.factory_calls(site.func, site.cls, callee.value)
        for call in calls:
            keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
            workers = keywords.get("max_workers")
            if workers is None and call.args and call.args[0].keyword is None:
                workers = call.args[0].value
            if not (isinstance(workers, cst.Integer) and workers.value == "1"):
                return False
        return bool(calls)

    @cached_property
    def writers(self) -> dict[StateKey, list[_Write]]:
        """Every write of the file, by the state it writes."""
        found: dict[StateKey, list[_Write]] = {}
        for write in self.writes:
            key = self._key(write.site.func, write.target)
            if key is not None:
                found.setdefault(key, []).append(write)
        return found

    def _written_elsewhere(self, write: _Write, shared: _Shared, entries: list[ThreadEntry]) -> str | None:
        """Who else writes the state outside the thread(s) ``entries`` start: code of another
        thread or of the starting one (not a constructor, not before the thread starts)."""
        ours = {id(entry) for entry in entries}
        for other in self.writers.get(shared.key, []):
            func = other.site.func
            if other is write:
                continue
            if func is None:
                if other.kind == "augmented":  # module code updating it while threads run
                    return "module code"
                continue
            if func.name in _CONSTRUCTORS or func.name in _SETUPS:
                continue
            theirs = {id(state.entry) for state in self.threads.runs_under(func)}
            if theirs and theirs <= ours:
                continue  # the same thread, one step after the other
            if not theirs and self._before_start(other.site, entries):
                continue
            return _display(func)
        return None

    @staticmethod
    def _before_start(site: Site, entries: list[ThreadEntry]) -> bool:
        """``site`` runs before the thread starts: in the same function and before the
        thread is created (``Thread(target=...)``) or started (``self._thread.start()``)."""
        func = site.func
        assert func is not None
        starts = [entry.site for entry in entries if entry.site is not None and entry.site.func is func]
        for call in func.calls:
            callee = call.node.func  # type: ignore[attr-defined]
            if isinstance(callee, cst.Attribute) and callee.attr.value == "start":
                starts.append(call)
        site_top = list(positions(site))[-1:]
        for start in starts:
            start_top = list(positions(start))[-1:]
            if (
                site_top
                and start_top
                and site_top[0].block is start_top[0].block
                and site_top[0].index < start_top[0].index
            ):
                return True
        return False

    # -- check-then-act ---------------------------------------------------------------------------

    def _acts(self, check: Site) -> Iterator[_Write]:
        """The writes that act on what ``check`` (an ``if``) tested: in its branches, or after
        it when its body leaves (``if k in cache: return cache[k]``)."""
        node = check.node
        assert isinstance(node, cst.If)
        func = check.func
        if func is None or not self.threads.runs_under(func):
            return
        pairs = {(_text(element), _text(container)) for element, container in _membership_checks(node.test)}
        pairs = {(element, container) for element, container in pairs if element and container}
        if not pairs:
            return
        suites = [node.body]
        if isinstance(node.orelse, cst.Else):
            suites.append(node.orelse.body)
        following = check.stmt is not None and check.stmt.statement is node and _exits(node.body)
        for write in self.writes_in.get(id(func), []):
            if self._acts_on(write, pairs) and (
                any(in_suite(write.site, suite) for suite in suites)
                or (following and self._after(write.site, check))
            ):
                yield write

    @staticmethod
    def _acts_on(write: _Write, pairs: set[tuple[str | None, str | None]]) -> bool:
        if write.kind == "mutation":
            call = write.site.node
            assert isinstance(call, cst.Call)
            if write.method not in _ACTS_ON_ELEMENT or not call.args:
                return False
            if write.method == "pop" and len(call.args) > 1:
                return False  # ``pop(k, default)`` does not fail on a missing key
            return (_text(call.args[0].value), _text(write.target)) in pairs
        target = write.target
        if isinstance(target, cst.Subscript):
            index = _subscript_index(target)
            return index is not None and (_text(index), _text(target.value)) in pairs
        return False

    @staticmethod
    def _after(site: Site, check: Site) -> bool:
        """``site`` is in a statement after ``check``'s, in the same block."""
        assert check.stmt is not None
        return any(pos.block is check.stmt.block and pos.index > check.stmt.index for pos in positions(site))

    # -- the message ----------------------------------------------------------------------------

    @staticmethod
    def _where(func: FunctionInfo, state: Reached) -> tuple[str, tuple[cst.CSTNode, ...]]:
        """``worker(), which runs in a thread started at line {line0}`` and the start call."""
        entry = state.entry
        where = _display(func)
        if len(state.path) > 1:
            where += f", called from {_display(state.path[0])}"
        if entry.site is None:
            return f"{where}, which runs in its own thread ({entry.how})", ()
        if entry.how.startswith(_POOL_ENTRIES):
            where += f", which runs in a worker thread ({entry.how} at line {{line0}})"
            return where, (entry.site.node,)
        return f"{where}, which runs in a thread started at line {{line0}}", (entry.site.node,)
