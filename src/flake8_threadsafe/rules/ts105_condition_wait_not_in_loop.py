"""TS105: ``Condition.wait()`` not in a loop.

``cond.wait()`` returns when another thread calls ``notify()``/``notify_all()``, when the
timeout ends, or spuriously; by the time this thread has the lock again, what it waited
for may be false again: another consumer took the item, a ``notify_all()`` woke every
waiter for one item, a notify meant another condition. Code that goes on after one
``wait()`` without checking again works on an empty list or a state that is not there.
``cond.wait_for(predicate)`` or ``while not predicate: cond.wait()`` checks again after
every wake-up.

Reported: ``cond.wait()`` / ``cond.wait(timeout)`` on a ``threading.Condition`` (or
``multiprocessing.Condition``) the file builds, that is not inside a ``while`` or ``for``
loop of its function, in a function that no code of the file calls from inside a loop.

Silent inside a loop (its test or its body), for ``wait_for()``, for a function called in
a loop (``while not self._ready: self._wait_a_bit()``), for ``Event.wait()``,
``Barrier.wait()``, ``concurrent.futures.wait``, for asyncio conditions, and for
conditions received from outside the file.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.model import Site
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS105"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for site in facts.call_sites:
        callee = site.node.func
        if not isinstance(callee, cst.Attribute) or callee.attr.value != "wait":
            continue
        if not facts.locks.is_condition(site.func, site.cls, callee.value) or _in_loop(site):
            continue
        if site.func is not None and any(_in_loop(caller) for caller in facts.calls.callers(site.func)):
            continue
        text = expression_text(callee.value) or "the condition"
        yield Finding(
            site.node,
            CODE,
            f"'{text}.wait()' is not in a loop: when it returns, what it waited for may be false again "
            "(another thread got there first, notify_all() woke every waiter, or a spurious wake-up); "
            f"use '{text}.wait_for(predicate)' or 'while not predicate: {text}.wait()'",
        )


def _in_loop(site: Site) -> bool:
    """The site is in a loop of its function: its test, its iterable or its body."""
    return any(isinstance(pos.statement, (cst.While, cst.For)) for pos in site.enclosing())
