"""Shared state: which state a write changes, whether another thread can see it, and
who else writes it; and helpers that only ever run with a lock held.

A write is anchored on a reference (a global, a closure variable, ``Cls.attr``,
``self.attr``) plus the attribute names after it: ``self.stats.hits`` and
``self.stats.hits[k]`` both change ``StateKey(self.stats, ("hits",))``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.calls import CallGraph
from flake8_threadsafe.facts.locks import Locks, says_lock
from flake8_threadsafe.facts.model import FunctionInfo, Recording, Site, Write, WriteKind
from flake8_threadsafe.facts.names import Names, Ref, RefKind
from flake8_threadsafe.facts.objects import Objects
from flake8_threadsafe.facts.regions import before_in_function
from flake8_threadsafe.facts.syntax import docstring, expression_text
from flake8_threadsafe.facts.threads import Reached, ThreadEntry, Threads
from flake8_threadsafe.kinds import LockKind

# Locks that exclude other threads (not semaphores, not locks known only by name, which
# include asyncio's).
_MUTEXES = frozenset({LockKind.LOCK, LockKind.RLOCK, LockKind.CONDITION})
# Code that runs before the object can be seen by another thread.
CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__"})
# Test fixtures: they run before the test starts any thread.
_SETUPS = frozenset({"setUp", "setUpClass", "asyncSetUp", "setup_method", "setup_class"})
# Helpers whose caller holds the lock, by name or by docstring.
_LOCKED_NAME = re.compile(r"(^|_)(locked|unlocked|nolock)$|^_?locked_")
_LOCK_HELD_DOC = re.compile(
    r"\b(lock|mutex)\w*\b[^.]*\b(held|hold|holds|holding|acquired|owned)\b"
    r"|\b(held|hold|holding|acquired|owns?)\b[^.]*\b(lock|mutex)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StateKey:
    ref: Ref
    attrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shared:
    """State a write changes that another thread can see."""

    text: str  # for the message: ``counter``, ``self.total``, ``cache``
    key: StateKey
    instance: bool  # ``self.x``: shared only when the thread shares ``self``


def written_variable(target: cst.BaseExpression) -> cst.BaseExpression:
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


class SharedState:
    def __init__(
        self, recording: Recording, names: Names, objects: Objects, locks: Locks, calls: CallGraph, threads: Threads
    ) -> None:
        self.names = names
        self.objects = objects
        self.locks = locks
        self.calls = calls
        self.threads = threads
        self._recording = recording
        self._keys: dict[cst.BaseExpression, StateKey | None] = {}
        self._guarded: dict[FunctionInfo, bool] = {}

    # -- which state a write changes ------------------------------------------------

    def key(self, func: FunctionInfo | None, target: cst.BaseExpression) -> StateKey | None:
        """The identity of the state ``target`` writes."""
        if target in self._keys:
            return self._keys[target]
        key = None
        chain = _chain(written_variable(target))
        root = chain[-1]
        anchor: cst.BaseExpression | None = None
        if len(chain) >= 2 and isinstance(chain[-2], cst.Attribute) and self.names.receiver_class(func, root):
            anchor = chain[-2]  # ``self.x``, ``Cls.x``, ``type(self).x``
        elif isinstance(root, cst.Name):
            anchor = root
        ref = self.names.ref(func, None, anchor) if anchor is not None else None
        if ref is not None and anchor is not None:
            attrs = []
            for node in reversed(chain[: chain.index(anchor)]):
                if not isinstance(node, cst.Attribute):
                    break
                attrs.append(node.attr.value)
            key = StateKey(ref, tuple(attrs))
        self._keys[target] = key
        return key

    @cached_property
    def module_names(self) -> set[str]:
        """Names assigned (or deleted) at module level."""
        return {
            write.target.value
            for write in self._recording.writes
            if write.site.func is None
            and write.site.cls is None
            and write.kind is not WriteKind.MUTATION
            and isinstance(write.target, cst.Name)
        }

    @cached_property
    def declared_global(self) -> set[str]:
        """Names declared ``global`` somewhere: module state even if never assigned at module level."""
        return {name for func in self.names.functions for name in func.global_names}

    def shared(self, func: FunctionInfo, write: Write, reached: list[Reached]) -> Shared | None:
        """The shared state ``write`` changes, or None when no other thread sees it
        (a local, an object made here, a parameter, a thread-local)."""
        target = write.target
        key = self.key(func, target)
        if key is None:
            return None
        shown = written_variable(target)
        chain = _chain(shown)
        root = chain[-1]
        for node in chain:
            if isinstance(node, (cst.Name, cst.Attribute)) and self.objects.is_thread_local(func, None, node):
                return None
        text = expression_text(shown) or expression_text(root) or "state"
        ref = key.ref
        if ref.kind is RefKind.ATTRIBUTE:
            instance = isinstance(root, cst.Name) and Names.instance_param(func, root.value)
            if instance and not any(state.shares_self for state in reached):
                return None
            return Shared(text, key, instance)
        if not isinstance(root, cst.Name):
            return None
        if ref.kind is RefKind.GLOBAL:
            name = root.value
            declared = {name for scope in func.scopes() for name in scope.global_names}
            if write.kind is not WriteKind.MUTATION and target is root and name not in declared:
                return None  # binding a name without ``global`` makes a local
            if name not in self.module_names and name not in self.declared_global:
                return None  # a builtin or an imported name, not state of this file
            return Shared(text, key, False)
        owner = ref.function
        if owner is func:
            return None
        # A variable of an enclosing function is shared when that function's frame stays
        # in the starting thread: the entry is a closure defined inside it. (A closure
        # called from inside the thread shares only that thread's own frame.)
        for state in reached:
            parent = state.entry.func.parent
            if parent is not None and any(scope is owner for scope in parent.scopes()):
                return Shared(text, key, False)
        return None

    # -- who else writes it -----------------------------------------------------------

    @cached_property
    def writers(self) -> dict[StateKey, list[Write]]:
        """Every write of the file, by the state it writes."""
        found: dict[StateKey, list[Write]] = {}
        for write in self._recording.writes:
            key = self.key(write.site.func, write.target)
            if key is not None:
                found.setdefault(key, []).append(write)
        return found

    def second_writer(self, write: Write, shared: Shared, reached: list[Reached]) -> str | None:
        """"" when several threads run this code at once, the name of the other writer when
        code outside the thread writes the same state, None without evidence."""
        entries = list(dict.fromkeys(state.entry for state in reached))
        # Reached from two thread starts (for ``self.x``: two starts on the same object).
        if shared.instance:
            objects = [entry.shared_object for entry in entries]
            if len(set(objects)) < len(objects):
                return ""
        elif len(entries) > 1:
            return ""
        if any(entry.concurrent_on_object if shared.instance else entry.concurrent for entry in entries):
            return ""
        return self._written_elsewhere(write, shared, entries)

    def _written_elsewhere(self, write: Write, shared: Shared, entries: list[ThreadEntry]) -> str | None:
        """Who else writes the state outside the thread(s) ``entries`` start: code of another
        thread or of the starting one (not a constructor, not before the thread starts)."""
        ours = set(entries)
        for other in self.writers.get(shared.key, []):
            func = other.site.func
            if other is write:
                continue
            if func is None:
                if other.kind is WriteKind.AUGMENTED:  # module code updating it while threads run
                    return "module code"
                continue
            if func.name in CONSTRUCTORS or func.name in _SETUPS:
                continue
            if any(entry.handoff and entry.site is not None and entry.site.func is func for entry in entries):
                continue  # the starting function waits for the thread before going on
            theirs = {state.entry for state in self.threads.runs_under(func)}
            if theirs and theirs <= ours:
                continue  # the same thread, one step after the other
            if not theirs and self._before_start(other.site, entries):
                continue
            return func.display
        return None

    def _before_start(self, site: Site, entries: list[ThreadEntry]) -> bool:
        """``site`` runs before the thread starts: in the same function and before the
        thread is created (``Thread(target=...)``), started (``self._thread.start()``), or
        the function that starts it is called."""
        func = site.func
        if func is None:
            return False
        starts: list[Site] = [entry.site for entry in entries if entry.site is not None and entry.site.func is func]
        starters = {entry.site.func for entry in entries if entry.site is not None}
        for call in func.calls:
            callee = call.node.func
            if isinstance(callee, cst.Attribute) and callee.attr.value == "start":
                starts.append(call)
            elif starters and self.names.call_target(call) in starters:
                starts.append(call)  # ``self.start_inbound()``, which starts the thread
        return any(before_in_function(site, start) for start in starts)

    # -- classes that say they are shared ----------------------------------------------

    def guarded_elsewhere(self, write: Write) -> tuple[Shared, Write, str] | None:
        """A class that guards a field with one of its threading locks is shared between
        threads by its own account (RacerD's trigger, SpotBugs' inconsistent
        synchronization): for ``write`` to ``self.<field>`` in a public method of the
        class, the write of the same field that another of its methods makes with the
        lock held, and that lock as written there. None for constructors and fixtures, private and async methods, fields
        only one method writes, and fields never written under a lock."""
        func = write.site.func
        if (
            func is None
            or func.cls is None
            or func.name.startswith("_")
            or func.name in _SETUPS
            or not isinstance(func.node, cst.FunctionDef)
            or func.node.asynchronous is not None
            or func.is_classmethod
        ):
            return None
        root = _chain(written_variable(write.target))[-1]
        key = self.key(func, write.target)
        if key is None or key.ref.kind is not RefKind.ATTRIBUTE or not isinstance(root, cst.Name):
            return None
        if not Names.instance_param(func, root.value):
            return None
        for other in self.writers.get(key, ()):
            where = other.site.func
            if where is None or where is func or where.name in CONSTRUCTORS or where.cls is None:
                continue
            mutex = next((held for held, kind in self.locks.held_locks(other.site) if kind in _MUTEXES), None)
            if mutex is not None:
                text = expression_text(written_variable(write.target)) or "state"
                return Shared(text, key, True), other, mutex.text
        return None

    # -- helpers that run with a lock held --------------------------------------------

    def lock_held_by_caller(self, func: FunctionInfo) -> bool:
        """A helper every caller of which holds a lock, or that says its caller does."""
        known = self._guarded.get(func)
        if known is not None:
            return known
        self._guarded[func] = False  # a recursive call proves nothing
        if _locking_decorator(func):
            guarded = True
        elif any(entry.func is func for entry in self.threads.entries):
            guarded = False  # a thread's entry point has no caller holding anything
        else:
            callers = self.calls.callers(func)
            guarded = _says_lock_held(func) or (
                bool(callers)
                and all(
                    self.locks.locked(site) or (site.func is not None and self.lock_held_by_caller(site.func))
                    for site in callers
                )
            )
        self._guarded[func] = guarded
        return guarded


def _locking_decorator(func: FunctionInfo) -> bool:
    """``@synchronized``, ``@with_lock(...)``: the decorator takes a lock around every call."""
    return any(
        says_lock(expression_text(decorator.func if isinstance(decorator, cst.Call) else decorator) or "")
        for decorator in func.decorators
    )


def _says_lock_held(func: FunctionInfo) -> bool:
    """``_update_locked()``, or a docstring like "Call with the lock held"."""
    node = func.node
    if not isinstance(node, cst.FunctionDef):
        return False
    if _LOCKED_NAME.search(func.name):
        return True
    text = docstring(node.body)
    return text is not None and bool(_LOCK_HELD_DOC.search(text))
