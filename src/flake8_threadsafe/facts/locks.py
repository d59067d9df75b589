"""Locks: which objects are locks and of which kind, which lock acquiring one really
takes, which are held at a site, and where each function releases them.

The walk records every region that holds what may be a lock (``Site.holds``: inside
``with L:``, after ``L.acquire()`` until a statement that releases ``L``, in the body of
``if L.acquire(...):``) and every ``X.release()``; this part tells which of those are
locks and answers the questions rules ask about them.
"""

from __future__ import annotations

import re
from functools import cached_property

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts.model import CallSite, ClassInfo, FunctionInfo, Hold, Recording, Release, Site, WriteKind
from flake8_threadsafe.facts.names import Names, Ref, RefKind
from flake8_threadsafe.facts.objects import Built, Objects
from flake8_threadsafe.facts.syntax import argument, expression_text
from flake8_threadsafe.kinds import CONDITION_FACTORIES, LOCK_FACTORIES, LockKind, matches_extra_lock, name_says_lock

# Calls and decorators whose name says they take a lock: ``with self._locked():``,
# ``with lock_for(key):``, ``@synchronized``.
_LOCKING_WORDS = re.compile(r"acquir|synchron|critical|locked|locking", re.IGNORECASE)


def says_lock(name: str) -> bool:
    """``lock_for``, ``_locked``, ``acquire_all``, ``synchronized``: the last dotted part."""
    last = name.rsplit(".", 1)[-1]
    return name_says_lock(last) or bool(_LOCKING_WORDS.search(last))


def _condition_lock(call: cst.Call) -> cst.BaseExpression | None:
    """``L`` in ``Condition(L)`` / ``Condition(lock=L)``; None for ``Condition()``."""
    return argument(call, 0, "lock")


class Locks:
    def __init__(self, recording: Recording, names: Names, objects: Objects, config: Config) -> None:
        self.names = names
        self.objects = objects
        self._extra_locks = config.extra_locks
        self._recording = recording
        self._kinds: dict[Ref, LockKind | None] = {}
        self._released: dict[FunctionInfo | None, set[str]] = {}
        self._released_unheld: dict[FunctionInfo | None, set[str]] = {}

    # -- what is a lock ---------------------------------------------------------------

    def _kind_of_factory(self, built: Built) -> LockKind | None:
        kind = LOCK_FACTORIES.get(built.canonical)
        if kind is LockKind.CONDITION and built.call is not None:
            base = _condition_lock(built.call)
            if base is not None:
                base_kind = self.kind(built.func, built.cls, base)
                # Condition(Lock()) is as non-reentrant as its lock.
                return LockKind.CONDITION if base_kind is None or base_kind.reentrant else base_kind
        if kind is None and matches_extra_lock(built.canonical, self._extra_locks):
            return LockKind.UNKNOWN
        return kind

    def kind(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> LockKind | None:
        """The kind of lock ``expr`` is, ``UNKNOWN`` when only its name says lock, None if not a lock."""
        if isinstance(expr, cst.Call):
            canonical = self.objects.factory(expr)
            if canonical:
                return self._kind_of_factory(Built(canonical, expr, func, cls))
            accessor = self.accessor(func, expr)
            return self.kind(accessor, None, accessor.returned[0]) if accessor is not None else None
        ref = self.names.ref(func, cls, expr)
        kind = self._ref_kind(ref) if ref is not None else None
        if kind is not None:
            return kind
        if ref is None and isinstance(expr, cst.Attribute):
            kind = self.attribute_kinds.get(expr.attr.value)
            if kind is not None:
                return kind
        if isinstance(expr, cst.Subscript):
            # ``self._locks[key]``: an element of a container named for locks.
            container = expr.value
            name = container.attr.value if isinstance(container, cst.Attribute) else getattr(container, "value", None)
            return LockKind.UNKNOWN if isinstance(name, str) and name_says_lock(name, plural=True) else None
        name = expr.attr.value if isinstance(expr, cst.Attribute) else getattr(expr, "value", None)
        if isinstance(name, str) and name_says_lock(name):
            return LockKind.UNKNOWN
        return None

    def _ref_kind(self, ref: Ref) -> LockKind | None:
        """The kind the factories bound to ``ref`` give it, or the references it is an alias of."""
        if ref not in self._kinds:
            self._kinds[ref] = None  # a Condition built on itself, an alias cycle, stop here
            kinds = {self._kind_of_factory(built) for built in self.objects.built.get(ref, ())}
            if not kinds:
                kinds = {self._ref_kind(alias) for alias in self.objects.aliased(ref)}
            kinds.discard(None)
            if len(kinds) == 1:
                self._kinds[ref] = kinds.pop()
            elif kinds:
                self._kinds[ref] = LockKind.UNKNOWN
        return self._kinds[ref]

    @cached_property
    def attribute_kinds(self) -> dict[str, LockKind]:
        """Attribute names that are locks of one kind wherever the file sets them
        (``self.l = threading.Lock()`` in one class): another object's ``conn.l`` is then
        that lock too. A name the file ever sets to anything else (other than ``None``,
        or a reference to a lock) is left out."""
        kinds: dict[str, set[LockKind | None]] = {}
        for ref, built in self.objects.built.items():
            if ref.kind is RefKind.ATTRIBUTE:
                kinds.setdefault(ref.name, set()).update(self._kind_of_factory(b) for b in built)
        for write in self._recording.writes:
            target = write.target
            if write.kind is WriteKind.MUTATION or not isinstance(target, cst.Attribute):
                continue
            name = target.attr.value
            if name not in kinds:
                continue
            value = write.value
            if write.kind is not WriteKind.ASSIGN or value is None:
                kinds[name].add(None)
            elif isinstance(value, cst.Call):
                kinds[name].add(self.kind(write.site.func, write.site.cls, value))
            elif not (isinstance(value, cst.Name) and value.value == "None"):
                ref = self.names.ref(write.site.func, write.site.cls, value)
                kinds[name].add(self._ref_kind(ref) if ref is not None else None)
        return {name: found.pop() for name, found in kinds.items() if len(found) == 1 and None not in found}

    def identity(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> Ref | None:
        """The lock that acquiring ``expr`` really takes.

        A ``Condition(L)`` is acquired by acquiring ``L``: ``self._cond`` bound only to
        ``Condition(self._lock)`` gives the ref of ``self._lock`` (followed through
        Conditions built on Conditions). An attribute of another object (``conn.lock``,
        ``self.conn.lock``) is that object's member. Anything else gives ``ref(expr)``.
        """
        if isinstance(expr, cst.Call):
            accessor = self.accessor(func, expr)
            return self.identity(accessor, None, accessor.returned[0]) if accessor is not None else None
        ref = self.names.ref(func, cls, expr)
        if ref is None and isinstance(expr, cst.Attribute):
            base = self.identity(func, cls, expr.value) if isinstance(expr.value, (cst.Name, cst.Attribute)) else None
            return Ref(RefKind.ATTRIBUTE, expr.attr.value, base=base) if base is not None else None
        seen: set[Ref] = set()
        while ref is not None and ref not in seen:
            seen.add(ref)
            bases = set()
            for built in self.objects.built.get(ref, ()):
                base = None
                if built.call is not None and LOCK_FACTORIES.get(built.canonical) is LockKind.CONDITION:
                    arg = _condition_lock(built.call)
                    base = self.names.ref(built.func, built.cls, arg) if arg is not None else None
                bases.add(base)
            if len(bases) != 1 or None in bases:
                return ref
            ref = bases.pop()
        return ref

    def is_condition(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> bool:
        """``expr`` is a ``threading.Condition`` (or multiprocessing's) the file builds."""
        found = self.objects.factory_names(func, cls, expr)
        return bool(found) and all(name in CONDITION_FACTORIES for name in found)

    def accessor(self, func: FunctionInfo | None, call: cst.Call) -> FunctionInfo | None:
        """The function of this file that ``call`` runs when it only hands back a lock:
        ``def get_lock(cls): return cls._lock`` (no arguments besides its object, one
        ``return`` of an object the file knows as a lock; not a generator, not decorated
        but as a classmethod or staticmethod)."""
        if call.args:
            return None
        callee = self.names.callee(func, call.func)
        if callee is None or len(callee.returned) != 1 or not isinstance(callee.node, cst.FunctionDef):
            return None
        node = callee.node
        if node.asynchronous is not None or any(
            expression_text(decorator) not in ("classmethod", "staticmethod") for decorator in callee.decorators
        ):
            return None
        params = node.params
        own = 1 if callee.self_name is not None else 0
        if (
            len([*params.posonly_params, *params.params]) != own
            or params.kwonly_params
            or isinstance(params.star_arg, cst.Param)
            or params.star_kwarg is not None
        ):
            return None
        value = callee.returned[0]
        if (
            not isinstance(value, (cst.Name, cst.Attribute))
            or callee.self_name is None and not isinstance(value, cst.Name)
        ):
            return None
        ref = self.names.ref(callee, None, value)
        if ref is None or ref.kind is RefKind.LOCAL or ref not in self.objects.built:
            return None  # a new lock each call, a lock only by name, or one handed in
        return callee

    def spelled(self, func: FunctionInfo | None, expr: cst.BaseExpression) -> str | None:
        """How the lock ``expr`` stands is written in ``func``'s own terms, to compare with
        the other places it is taken and released: ``cls._lock`` for ``cls.get_lock()``
        (an accessor's lock, on the receiver it is called on); else the expression's text."""
        if isinstance(expr, cst.Call):
            accessor = self.accessor(func, expr)
            if accessor is not None:
                value = accessor.returned[0]
                if isinstance(value, cst.Name):
                    global_ref = self.names.ref(accessor, None, value)
                    return value.value if global_ref == self.names.ref(func, None, value) else None
                receiver = expression_text(expr.func.value) if isinstance(expr.func, cst.Attribute) else None
                text = expression_text(value)
                head = f"{accessor.self_name}."
                if receiver is not None and text is not None and text.startswith(head):
                    return receiver + text[len(head) - 1 :]
                return None
        return expression_text(expr)

    def built_by_factory(self, site: Site, expr: cst.BaseExpression) -> bool:
        """``expr`` was built by an imported factory (a lock's or not): its kind is known
        from that, not from how it is used."""
        ref = self.names.ref(site.func, site.cls, expr)
        return ref is not None and ref in self.objects.built

    def made_here(self, func: FunctionInfo, expr: cst.BaseExpression) -> bool:
        """``expr`` is a local of ``func`` bound only to locks that ``func`` itself builds
        (``lock = threading.Lock()``): not to a parameter's lock, an alias, or what a call
        of another function returns."""
        ref = self.names.ref(func, None, expr) if isinstance(expr, cst.Name) else None
        if ref is None or not ref.is_local_of(func) or self.objects.aliased(ref):
            return False
        built = self.objects.built.get(ref, ())
        return bool(built) and all(
            b.func is func and b.call is not None and self._kind_of_factory(b) is not None for b in built
        )

    def private_to(self, func: FunctionInfo, text: str) -> bool:
        """A lock made in ``func`` (``lk = threading.Lock()``) and used only to call its own
        methods (``lk.acquire()``) or as a ``with`` item (``with lk:``): it is not passed,
        stored, returned or captured, so no other code can wait for it."""
        ref = self.names.ref(func, None, cst.Name(text)) if text.isidentifier() else None
        if ref is None or not ref.is_local_of(func) or ref not in self.objects.built or text in func.params:
            return False  # a parameter, or not made here: someone else has it too
        own_calls = sum(
            1
            for site in func.calls
            if isinstance(site.node.func, cst.Attribute)
            and isinstance(site.node.func.value, cst.Name)
            and site.node.func.value.value == text
        )
        own_withs = sum(
            1
            for acquisition in self._recording.acquisitions
            if acquisition.site.func is func
            and isinstance(acquisition.node, cst.WithItem)
            and isinstance(acquisition.expr, cst.Name)
            and acquisition.expr.value == text
        )
        return func.name_loads[text] == own_calls + own_withs

    def installed_as_acquire(self, func: FunctionInfo) -> bool:
        """``self.acquire = self._acquire_restore``: the function is some object's acquire."""
        for alias in self._recording.aliases:
            target, value = alias.target, alias.value
            named = value.attr.value if isinstance(value, cst.Attribute) else getattr(value, "value", None)
            if (
                isinstance(target, cst.Attribute)
                and target.attr.value in ("acquire", "__enter__")
                and named == func.name
            ):
                return True
        return False

    # -- what is held -----------------------------------------------------------------

    def held_locks(self, site: Site) -> list[tuple[Hold, LockKind]]:
        """The locks (not other context managers) held at ``site``, with their kinds."""
        found = []
        for held in site.holds:
            kind = self.kind(held.func, site.cls if held.func is None else None, held.expr)
            if kind is not None:
                found.append((held, kind))
        return found

    def locked(self, site: Site) -> bool:
        """Some lock is held at ``site``: a known one, or ``with self._locked():`` /
        ``with lock_for(key):``, a call whose name says it takes one."""
        if self.held_locks(site):
            return True
        for pos in site.enclosing():
            parent = pos.parent
            if parent is not None and isinstance(parent.statement, cst.With):
                for item in parent.statement.items:
                    if isinstance(item.item, cst.Call) and says_lock(expression_text(item.item.func) or ""):
                        return True
        return False

    # -- where locks are released -------------------------------------------------------

    def release_text(self, release: Release) -> str:
        """The released lock as ``spelled``: ``cls._lock`` for ``cls.get_lock().release()``."""
        receiver = release.site.node.func
        if isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Call):
            return self.spelled(release.site.func, receiver.value) or release.text
        return release.text

    def hold_text(self, held: Hold) -> str:
        """The held lock as ``spelled``: ``cls._lock`` for ``with cls.get_lock():``."""
        if isinstance(held.expr, cst.Call):
            return self.spelled(held.func, held.expr) or held.text
        return held.text

    def releases_in(self, func: FunctionInfo | None) -> list[Release]:
        """The ``X.release()`` calls made directly in ``func`` (or at module level for None)."""
        return func.releases if func is not None else self._recording.module_releases

    def release_sites(self, func: FunctionInfo | None, text: str) -> list[CallSite]:
        """The ``<text>.release()`` calls made directly in ``func``."""
        return [release.site for release in self.releases_in(func) if self.release_text(release) == text]

    def releases_named(self, text: str) -> list[Release]:
        """Every ``<text>.release()`` of the file."""
        return [release for release in self._recording.releases if self.release_text(release) == text]

    def released_in_nested(self, func: FunctionInfo, text: str) -> bool:
        """A function nested in ``func`` (a thread target, a callback) releases ``text``."""
        for release in self._recording.releases:
            if self.release_text(release) != text:
                continue
            parent = release.site.func.parent if release.site.func is not None else None
            if parent is not None and any(scope is func for scope in parent.scopes()):
                return True
        return False

    def released(self, func: FunctionInfo | None) -> set[str]:
        """The locks ``func`` calls ``release()`` on."""
        found = self._released.get(func)
        if found is None:
            found = self._released[func] = {self.release_text(release) for release in self.releases_in(func)}
        return found

    def released_unheld(self, func: FunctionInfo | None) -> set[str]:
        """Locks ``func`` releases without having acquired them itself (``with L:
        L.release() ... L.acquire()``, or a helper run under its caller's lock that lets
        it go for a while): in such a function, held regions and re-acquires of that lock
        are deliberate."""
        found = self._released_unheld.get(func)
        if found is None:
            found = self._released_unheld[func] = {
                self.release_text(release)
                for release in self.releases_in(func)
                if not any(
                    self.hold_text(held) == self.release_text(release) and not isinstance(held.node, cst.WithItem)
                    for held in release.site.holds
                )
            }
        return found
