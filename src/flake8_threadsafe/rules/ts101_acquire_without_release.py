"""TS101: a lock acquired without a guaranteed release.

``L.acquire()`` must be released on every way out of the function: on its normal paths
and when any statement after it raises. Otherwise an exception, ``return``, ``break`` or
``continue`` between the acquire and the release leaves ``L`` held, and every other
thread that needs it blocks forever. ``with L:`` (or ``release()`` in a ``finally:``
right after the acquire) is the way to write it.

Judged on the lock flow of the function (``facts/lockflow.py``): the state of each lock
along the control flow, exception edges included, with the conditions it was taken
under (``ok = L.acquire(timeout=t)``, ``if lock: lock.acquire()``). Reported when a path
from the acquire reaches the function's exit with the lock held: an exception raised by
a statement that can realistically raise (a call, a subscript, ``raise``, ``assert``), a
``return``, or the end of the function; and a lock the function never releases.

Silent on: ``with`` statements; acquires released on every path; conditional acquires
(``if L.acquire(...)``, ``ok = L.acquire(...)``) whose function never releases the lock
(handed on to the caller); functions that take the lock for their caller and never
release it (``__enter__``, ``acquire*``/``lock*`` names, a body that is only the acquire);
a lock released by a function nested here, by code that runs in another thread, or handed
on as a callable (``Thread(target=done.release)``); a lock acquired again where it may be
held (the second acquire waits for another thread); semaphores and objects known only by
name that the function never releases (signals); a lock released before it is acquired
again (``Condition.wait``-like code, the caller owns it); gates (a lock that code in another
thread acquires and never releases) and locks another function releases without taking
them (hand-offs, turnstiles: an ``acquire()``-like function may return holding them);
semaphores released with a count (permits); in test functions, a failing assertion between
acquire and release (the test fails, the leak is its own); a lock made here that never
leaves the function; acquires whose result feeds an expression we do not follow; objects
that are not locks (a pool's ``release(conn)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe import fixes
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.regions import block_owner
from flake8_threadsafe.fixes import Fix
from flake8_threadsafe.facts.lockflow import ExitKind, Leak, suppresses
from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Site
from flake8_threadsafe.facts.syntax import expression_text, lone_method_call
from flake8_threadsafe.kinds import LockKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS101"

# Functions whose job is to take a lock for their caller: ``__enter__``, and names that
# start with the verb (``acquire``, ``_acquireLock``, ``lock_all``, ``acquire_write``) or
# end with it (``read_acquire``).
_ENTER_METHODS = frozenset({"__enter__", "__aenter__"})
_ACQUIRING_WORDS = frozenset({"acquire", "lock"})
_WORDS = re.compile(r"_+|(?<=[a-z0-9])(?=[A-Z])")


def _takes_lock_for_caller(name: str) -> bool:
    if name in _ENTER_METHODS:
        return True
    words = [word.lower() for word in _WORDS.split(name) if word]
    # ``acquire_write``, ``lock_all``, ``_acquireLock``; ``_read_acquire``.
    return bool(words) and (words[0] in _ACQUIRING_WORDS or words[-1] == "acquire")


def _cannot_raise(statement: cst.CSTNode) -> bool:
    """Statements that cannot fail between an acquire and its ``try``: pass, a docstring,
    ``x = None``, ``x = y``, global/nonlocal."""
    if isinstance(statement, cst.With):
        return _suppressing(statement)
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, (cst.Pass, cst.Global, cst.Nonlocal)):
            continue
        if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
            continue
        if (
            isinstance(small, cst.Assign)
            and all(isinstance(t.target, cst.Name) for t in small.targets)
            and isinstance(small.value, (cst.Name, cst.Integer, cst.SimpleString))
        ):
            continue
        return False
    return True


def _suppressing(statement: cst.With) -> bool:
    """``with pytest.raises(E):``, ``with suppress(E):``: a block that catches what its body raises."""
    return any(suppresses(item.item) for item in statement.items)


def _only_job(func: FunctionInfo, statement: cst.CSTNode) -> bool:
    """The acquire is the whole body of the function (a docstring aside)."""
    body = func.node.body
    if not isinstance(body, cst.IndentedBlock):
        return True
    meaningful = [s for s in body.body if not _cannot_raise(s)]
    return meaningful == [statement]


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    flows = facts.lock_flows
    functions = dict.fromkeys(a.site.func for a in facts.acquisitions if a.is_call)
    for func in functions:
        acquires = flows.lock_acquires(func)
        if not acquires:
            continue
        flow = flows.of(func)
        leaks: dict[cst.Call, list[Leak]] = {}
        for leak in flow.leaks:
            leaks.setdefault(leak.acquire, []).append(leak)
        for text, site in acquires:
            if text in flow.waits or site.stmt is None:
                continue
            found = _reason(facts, func, text, site, leaks.get(site.node, []))
            if found is not None:
                reason, related = found
                yield Finding(
                    site.node,
                    CODE,
                    f"'{text}' acquired without a guaranteed release ({reason}); "
                    f"use 'with {text}:' or release it in a 'finally:' right after acquire()",
                    related,
                    fix=_with_fix(facts, func, text, site),
                )


def _with_fix(facts: FileFacts, func: FunctionInfo | None, text: str, site: CallSite) -> Fix | None:
    """``L.acquire()`` ... ``L.release()`` in one block, as ``with L:`` around what is between."""
    pos, call = site.stmt, site.node
    if pos is None or call.args or not isinstance(call.func, cst.Attribute):
        return None
    owner = block_owner(pos, func, facts.recording.module)
    if owner is None:
        return None
    lock = call.func.value
    return fixes.with_block(owner, pos.block, pos.index, lock, text, f"use 'with {expression_text(lock)}:'")


def _reason(
    facts: FileFacts, func: FunctionInfo | None, text: str, site: CallSite, leaks: list[Leak]
) -> tuple[str, tuple[cst.CSTNode, ...]] | None:
    """Why the lock may stay held, and the nodes the reason names by line; None when
    its release is guaranteed, or holding it is the point."""
    if func is not None and func.name.startswith("test"):
        leaks = [leak for leak in leaks if not (leak.kind is ExitKind.EXCEPTION and _asserts(leak.exit))]
    if (
        not leaks
        or (func is not None and facts.locks.private_to(func, text))
        or _gate(facts, text)
        or _permits(facts, text)
    ):
        return None
    releases = facts.locks.release_sites(func, text)
    if not releases:
        if _hands_on(facts, func, text, site) or _handed_over(facts, text):
            return None
        return f"it is never released in {func.name + '()' if func is not None else 'this module'}", ()
    if _handed_over(facts, text) or (
        func is not None and (_takes_lock_for_caller(func.name) or facts.locks.installed_as_acquire(func))
    ):
        # Returning with the lock held is the point: another function lets it go (a
        # turnstile, a hand-off), or this one is an ``acquire()``. Exceptions still leak it.
        leaks = [leak for leak in leaks if leak.kind is ExitKind.EXCEPTION]
        if not leaks:
            return None
    order = {call.node: index for index, call in enumerate(facts.calls.made_in(func))}
    if all(order[release.node] < order[site.node] for release in releases):
        # Released earlier and taken back here (``Condition.wait``): the caller owns it again.
        return None
    leak = next((leak for kind in _EXIT_PREFERENCE for leak in leaks if leak.kind is kind))
    if leak.kind is ExitKind.RETURN:
        return "it is still held after the 'return' at line {line0}", (_first_token(leak.exit),)
    if leak.kind is ExitKind.END:
        where = f"{func.name}() ends" if func is not None else "the module ends"
        return f"it is still held when {where}", ()
    return "an exception raised at line {line0} leaves it held", (_first_token(leak.exit),)


def _first_token(statement: cst.CSTNode) -> cst.CSTNode:
    """A node that starts on the statement's own line: a statement's position would count
    the blank lines and comments before it."""
    if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) and statement.body:
        return statement.body[0]
    for field in ("test", "target", "subject"):
        part = getattr(statement, field, None)
        if isinstance(part, cst.CSTNode):
            return part
    if isinstance(statement, cst.With) and statement.items:
        return statement.items[0]
    return statement


# A return or the end of the function leaves the lock held for sure; an exception only if raised.
_EXIT_PREFERENCE = (ExitKind.RETURN, ExitKind.END, ExitKind.EXCEPTION)


def _hands_on(facts: FileFacts, func: FunctionInfo | None, text: str, site: CallSite) -> bool:
    """A lock the function never releases is not leaked when holding it is the point:
    the function takes it for its caller, a conditional acquire hands it on, it is a
    signal, or other code (a nested function, another thread, a callable handed on)
    releases it."""
    if func is not None and not func.is_lambda:
        if _takes_lock_for_caller(func.name) or facts.locks.installed_as_acquire(func):
            return True
        if (
            isinstance(site.small, (cst.Expr, cst.Return))
            and site.stmt is not None
            and _only_job(func, site.stmt.statement)
        ):
            return True
    small, statement = site.small, site.stmt.statement if site.stmt is not None else None
    conditional = (isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is site.node) or isinstance(
        statement, cst.If
    )
    if conditional:
        return True
    kind = facts.locks.kind(site.func, site.cls, cst.ensure_type(site.node.func, cst.Attribute).value)
    if kind in (LockKind.SEMAPHORE, LockKind.UNKNOWN, None):
        # A semaphore, or an object known only by its name, is often acquired to wait
        # for a signal that another thread releases.
        return True
    if func is not None and facts.locks.released_in_nested(func, text):
        return True
    return _released_elsewhere_in_thread(facts, func, text)


def _asserts(statement: cst.CSTNode) -> bool:
    """``assert x``, ``self.assertEqual(...)``, ``self.fail(...)``: in a test, the
    exception is the test failing, and a lock it leaves held matters to that test only."""
    if isinstance(statement, cst.With):
        return _suppressing(statement)
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Assert):
            return True
        call = small.value if isinstance(small, cst.Expr) else None
        name = call.func.attr.value if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) else None
        if name is not None and (name.startswith("assert") or name == "fail"):
            return True
    return False


def _permits(facts: FileFacts, text: str) -> bool:
    """A counting semaphore handing out permits: released with a count (``release(n)``)."""
    return any(release.site.node.args for release in facts.locks.releases_named(text))


def _gate(facts: FileFacts, text: str) -> bool:
    """A lock that code running in another thread acquires only to wait for it: it never
    releases it, or releases it at once (``mut.acquire(); mut.release()``). Another
    thread's release is the signal, so the lock is a gate, not a critical section."""
    for acquisition in facts.acquisitions:
        waiter, site = acquisition.site.func, acquisition.site
        if (
            acquisition.is_call
            and waiter is not None
            and expression_text(acquisition.expr) == text
            and (text not in facts.locks.released(waiter) or _released_next(site, text))
            and facts.threads.runs_under(waiter)
        ):
            return True
    return False


def _released_next(site: Site, text: str) -> bool:
    """The statement after the acquire is ``<text>.release()``."""
    following = site.stmt.following()[:1] if site.stmt is not None else []
    called = lone_method_call(following[0]) if following else None
    return called is not None and called[1] == "release" and expression_text(called[0]) == text


def _handed_over(facts: FileFacts, text: str) -> bool:
    """Some code releases the lock without having taken it: the lock passes from one
    function, or one run of a function, to another (a hand-off, a turnstile)."""
    return any(
        text in facts.locks.released_unheld(release.site.func) for release in facts.locks.releases_named(text)
    )


def _released_elsewhere_in_thread(facts: FileFacts, func: FunctionInfo | None, text: str) -> bool:
    """``text.release`` handed on as a callable (``Thread(target=done.release)``), or
    called by code that runs in another thread."""
    for release in facts.locks.releases_named(text):
        other = release.site.func
        if other is not func and other is not None and facts.threads.runs_under(other):
            return True
    for call in facts.call_sites:
        for arg in call.node.args:
            value = arg.value
            if (
                isinstance(value, cst.Attribute)
                and value.attr.value == "release"
                and expression_text(value.value) == text
            ):
                return True
    return False
