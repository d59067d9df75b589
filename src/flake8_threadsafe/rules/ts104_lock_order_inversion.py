"""TS104: two locks taken in opposite orders (a lock-order deadlock).

One code path takes lock ``A`` and then, still holding it, lock ``B``; another takes
``B`` and then ``A``. Two threads that run one path each can each get their first lock
and then wait for the other's, for ever: neither can go on, and every thread that needs
either lock joins them. It depends on timing, so it passes tests and hangs in production.

Reported: the inner acquisition (or the call that leads to it) of the second path, when
the file holds two locks in both orders, nested directly (``with a: with b:``) or through
calls of the file's functions and methods made while holding the first (as for TS102),
and both paths can run in other threads: thread targets, public functions and methods
(their users may call them from any thread), and what those call. The message names
the line of the other path.

Silent for one consistent order; locks taken one after the other (not nested); a
reentrant lock taken again; non-blocking or timed inner acquires (``acquire(False)``,
``acquire(timeout=t)``), which give up instead of deadlocking; two paths that both hold a
third lock around them (it lets only one in); orders fixed by sorting (the locks are
then loop variables, not two known locks); semaphores; and code that only private
functions reach.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.acquires import HeldLock, crosses, path_to
from flake8_threadsafe.facts.model import Site
from flake8_threadsafe.facts.names import Ref
from flake8_threadsafe.kinds import LockKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS104"

_KINDS = frozenset({LockKind.LOCK, LockKind.RLOCK, LockKind.CONDITION, LockKind.UNKNOWN})


@dataclass(frozen=True, eq=False)
class _Order:
    """``inner`` taken while ``outer`` is held, at ``node`` (a take, or a call leading to one)."""

    outer: HeldLock
    inner: Ref
    inner_text: str
    site: Site
    node: cst.CSTNode
    held: frozenset[Ref]  # every lock held there
    via: str  # "" for a direct take; else the call path


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    acquires = facts.acquires
    takes = [take for take in acquires.takes if take.kind in _KINDS]
    if len({take.lock for take in takes}) < 2:
        return
    exposed = facts.threads.exposed
    orders: dict[tuple[Ref, Ref], _Order] = {}

    def note(order: _Order) -> None:
        orders.setdefault((order.outer.lock, order.inner), order)

    for take in takes:
        if take.site.func not in exposed:
            continue
        held = [h for h in acquires.held_at(take.site) if h.kind in _KINDS]
        for outer in held:
            if outer.lock != take.lock:
                note(_Order(outer, take.lock, take.text, take.site, take.node, frozenset(h.lock for h in held), ""))
    summaries = acquires.summaries(_KINDS)
    for site in facts.call_sites:
        if not site.holds or site.func not in exposed:
            continue
        callee = acquires.callee(site)
        summary = summaries.get(callee) if callee is not None else None
        if not summary or callee is None:
            continue
        held = [h for h in acquires.held_at(site) if h.kind in _KINDS]
        for outer in held:
            for lock in summary:
                if lock != outer.lock and crosses(lock, callee) and lock not in {h.lock for h in held}:
                    path, reached = path_to(summaries, site, callee, lock)
                    note(_Order(outer, lock, reached.text, site, site.node, frozenset(h.lock for h in held), path))
    reported: set[frozenset[Ref]] = set()
    for (outer, inner), second in orders.items():
        first = orders.get((inner, outer))
        pair = frozenset((outer, inner))
        if first is None or pair in reported or first is second:
            continue
        if (second.held & first.held) - pair:
            continue  # a third lock held around both paths lets only one of them in
        if _position(facts, second) < _position(facts, first):
            continue  # reported at the later of the two
        reported.add(pair)
        how = f" via {second.via}" if second.via else ""
        yield Finding(
            second.node,
            CODE,
            f"'{second.inner_text}' is taken{how} while '{second.outer.text}' is held, but line {{line0}} takes "
            f"'{first.inner_text}' while '{first.outer.text}' is held: two threads taking them in opposite orders "
            "can each hold one and wait for the other forever; take the two locks in one fixed order everywhere",
            (first.node,),
        )


def _position(facts: FileFacts, order: _Order) -> tuple[int, int]:
    """Where the order's site comes in the file, to report at the later path: its
    function's place among the file's functions (module code first), then the site's
    place among that function's calls or acquisitions."""
    func = order.site.func
    functions = facts.names.functions
    place = functions.index(func) + 1 if func is not None else 0
    sites = [a.site for a in facts.acquisitions] if order.via == "" else facts.call_sites
    return place, next((i for i, site in enumerate(sites) if site is order.site), 0)
