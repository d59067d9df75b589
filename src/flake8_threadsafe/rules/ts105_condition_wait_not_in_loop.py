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
loop of its function, in a function that no code of the file calls from inside a loop,
when the code after it does not test again what the code before it read.

Silent inside a loop (its test or its body; not its ``else:``), for ``wait_for()``, for a
function called in a loop (``while not self._ready: self._wait_a_bit()``), when the code
after the wait tests again the state that the ``if`` around it or the code before it
read (``if not self._flag: cond.wait()`` then ``return self._flag``; ``if
self.accepts: ... else: cond.wait(t); if self.accepts: ... else: timed out``; ``pop() if
self.items else None``), for
``return cond.wait(t)`` (the caller decides), for ``Event.wait()``, ``Barrier.wait()``,
``concurrent.futures.wait``, for asyncio conditions, and for conditions received from
outside the file.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.model import FunctionInfo, Site
from flake8_threadsafe.facts.regions import following, in_loop, leading_to
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS105"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for site in facts.call_sites:
        callee = site.node.func
        if not isinstance(callee, cst.Attribute) or callee.attr.value != "wait":
            continue
        if not facts.locks.is_condition(site.func, site.cls, callee.value) or in_loop(site):
            continue
        if site.func is not None and any(in_loop(caller) for caller in facts.calls.callers(site.func)):
            continue
        if isinstance(site.small, cst.Return) or _checks_again(site, callee.value):
            continue
        text = expression_text(callee.value) or "the condition"
        yield Finding(
            site.node,
            CODE,
            f"'{text}.wait()' is not in a loop: when it returns, what it waited for may be false again "
            "(another thread got there first, notify_all() woke every waiter, or a spurious wake-up); "
            f"use '{text}.wait_for(predicate)' or 'while not predicate: {text}.wait()'",
        )


def _checks_again(site: Site, condition: cst.BaseExpression) -> bool:
    """The code after the wait tests again the state that the code leading to it read:
    ``if self._state == FINISHED: ... else: raise TimeoutError``, ``return self._flag``,
    ``assert self.ready``, ``try: items.popleft() except IndexError:``. Only reading it
    (``return self._jobs.pop(0)``) is not a new look."""
    skip = {expression_text(condition)}
    before = _state_read(leading_to(site), site.func, skip)
    return bool(before) and not before.isdisjoint(_state_read(_tests(following(site)), site.func, skip))


def _tests(nodes: list[cst.CSTNode]) -> list[cst.CSTNode]:
    """The parts of ``nodes`` that test something: conditions of ``if``/``while``/``assert``
    and conditional expressions, comparisons and ``not``/``and``/``or``, a returned state,
    and the bodies of ``try`` statements that handle an exception."""
    found: list[cst.CSTNode] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.If, cst.While, cst.IfExp, cst.Assert)):
            found.append(node.test)
        elif isinstance(node, (cst.Comparison, cst.BooleanOperation)) or (
            isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not)
        ):
            found.append(node)
            continue
        elif isinstance(node, cst.Return) and isinstance(node.value, (cst.Name, cst.Attribute)):
            found.append(node.value)
        elif isinstance(node, cst.Try) and node.handlers:
            found.append(node.body)
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(node.children)
    return found


def _state_read(nodes: list[cst.CSTNode], func: FunctionInfo | None, skip: set[str | None]) -> set[str]:
    """The attributes (``self._flag``, ``self._items``) and the function's own variables
    that ``nodes`` read; not builtins and other globals (``len``, ``any``)."""
    found: set[str] = set()
    own = (func.local_names | set(func.params)) - {func.self_name} if func is not None else set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Attribute):
            text = expression_text(node)
            if text is not None and text not in skip:
                found.add(text)
        elif isinstance(node, cst.Name) and node.value in own:
            found.add(node.value)
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            if node.value is not None:  # what it reads, not what it binds
                stack.append(node.value)
        elif not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(node.children)
    return found
