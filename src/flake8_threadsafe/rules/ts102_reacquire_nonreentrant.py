"""TS102: a non-reentrant lock acquired again by the thread that already holds it.

A ``threading.Lock`` (also ``_thread.allocate_lock()``, ``multiprocessing.Lock()`` and a
``Condition`` built on one) does not know which thread holds it: a second blocking
acquire by the holder waits for itself forever, without an error or a traceback.

Reported: ``with L:`` / ``L.acquire()`` while ``L`` is already held in the same function,
and a call made while ``L`` is held to a function or method of this file that acquires
``L``, directly or through further calls (each function gets a summary of the locks it
acquires, propagated over the file's call graph to a fixed point). "Same lock" is the
same ``ref`` (module global, ``self.<attr>`` in one class, ``Cls.<attr>``, local); a
``Condition(L)`` is the same lock as ``L``.

Silent on: ``RLock``, ``Condition()`` and ``Condition(RLock())``, locks known only by
name, different locks, calls made after the release, calls on other objects
(``self.child.m()``, ``other.m()``, ``Cls.m(other)``), acquires with a timeout or
``blocking=False``, acquires that depend on a flag parameter (``locked=False`` ...
``if not locked:``), functions that release a lock they did not take themselves
(they run under the caller's lock and drop it for a while: taking it back is their job),
and ``L.acquire()`` that the function never releases (``L`` is a signal another thread
releases: acquiring it again is how the function waits).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe import fixes
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.names import Ref
from flake8_threadsafe.fixes import Fix
from flake8_threadsafe.facts.acquires import HeldLock, crosses, path_to
from flake8_threadsafe.facts.model import Site
from flake8_threadsafe.kinds import LockKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS102"

_NON_REENTRANT = frozenset({LockKind.LOCK})
_CONSEQUENCE = (
    "the lock is not reentrant, so the thread waits for itself forever: "
    "take it once (restructure so helpers expect it held) or use an RLock"
)


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    acquires = facts.acquires
    takes = [take for take in acquires.takes if take.kind in _NON_REENTRANT]
    if not takes:
        return
    for take in takes:
        for held in _held(facts, take.site):
            if held.lock == take.lock:
                what = f"'{take.text}'"
                if take.text != held.text:
                    what += f" (the same lock as '{held.text}')"
                yield Finding(
                    take.node, CODE, f"{what} acquired again while this thread holds it; {_CONSEQUENCE}",
                    fix=_reentrant(facts, take.lock),
                )
                break
    summaries = acquires.summaries(_NON_REENTRANT)
    for site in facts.call_sites:
        if not site.holds:
            continue
        held_locks = _held(facts, site)
        if not held_locks:
            continue
        callee = acquires.callee(site)
        summary = summaries.get(callee) if callee is not None else None
        if not summary or callee is None:
            continue
        for held in held_locks:
            if held.lock in summary and crosses(held.lock, callee):
                path, reached = path_to(summaries, site, callee, held.lock)
                alias = f" (as '{reached.text}')" if reached.text != held.text else ""
                yield Finding(
                    site.node,
                    CODE,
                    f"'{held.text}' is held here and acquired again via {path}{alias}; {_CONSEQUENCE}",
                    fix=_reentrant(facts, held.lock),
                )
                break


def _held(facts: FileFacts, site: Site) -> list[HeldLock]:
    """The non-reentrant locks held at ``site``."""
    return [held for held in facts.acquires.held_at(site) if held.kind in _NON_REENTRANT]


def _reentrant(facts: FileFacts, lock: Ref) -> Fix | None:
    """Unsafe: the one ``threading.Lock()`` the lock is built by becomes ``threading.RLock()``
    (other code may rely on the lock not being reentrant)."""
    built = facts.objects.built.get(lock, [])
    if len(built) != 1 or built[0].call is None or built[0].canonical != "threading.Lock":
        return None
    call = built[0].call
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "Lock" or call.args:
        return None
    return fixes.rename_call(call, "RLock", "make the lock an RLock", safe=False)
