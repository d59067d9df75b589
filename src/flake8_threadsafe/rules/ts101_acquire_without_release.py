"""TS101: a lock acquired without a guaranteed release.

``L.acquire()`` must be followed at once by ``try:`` whose ``finally:`` releases ``L``
(or be replaced by ``with L:``); otherwise an exception, ``return``, ``break`` or
``continue`` between the acquire and the release leaves ``L`` held, and every other
thread that needs it blocks forever.

Silent on: ``with`` statements; ``acquire()`` followed by ``try/finally``; ``acquire()``
inside a ``try:`` whose ``finally:`` releases; conditional acquires (``if L.acquire(...)``,
``if not L.acquire(...): return``, ``ok = L.acquire(...)``) unless their region releases
outside a ``finally``; ``__enter__``/``__aenter__`` and wrappers whose only job is to
acquire (``def acquire(self): self._lock.acquire()``); objects that are not locks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.model import CallSite, FunctionInfo, Site
from flake8_threadsafe.facts.regions import in_finally, in_handler, in_suite
from flake8_threadsafe.facts.syntax import acquire_receiver, dotted_text
from flake8_threadsafe.kinds import LockKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS101"

# Functions whose job is to take a lock for their caller: ``__enter__``, and names that
# start with the verb: ``acquire``, ``_acquireLock``, ``lock_all``, ``acquire_write``.
_ENTER_METHODS = frozenset({"__enter__", "__aenter__"})
_ACQUIRING_WORDS = frozenset({"acquire", "lock"})
_WORDS = re.compile(r"_+|(?<=[a-z0-9])(?=[A-Z])")


def _takes_lock_for_caller(name: str) -> bool:
    if name in _ENTER_METHODS:
        return True
    words = [word for word in _WORDS.split(name) if word]
    return bool(words) and words[0].lower() in _ACQUIRING_WORDS


def _cannot_raise(statement: cst.CSTNode) -> bool:
    """Statements that cannot fail between an acquire and its ``try``: pass, a docstring,
    ``x = None``, ``x = y``, global/nonlocal."""
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


def _only_job(func: FunctionInfo, statement: cst.CSTNode) -> bool:
    """The acquire is the whole body of the function (a docstring aside)."""
    body = func.node.body
    if not isinstance(body, cst.IndentedBlock):
        return True
    meaningful = [s for s in body.body if not _cannot_raise(s)]
    return meaningful == [statement]


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    for acquisition in facts.acquisitions:
        site = acquisition.site
        if not isinstance(site, CallSite) or site.stmt is None:
            continue
        text = dotted_text(acquisition.expr)
        if text is None:
            continue
        kind = facts.locks.kind(site.func, site.cls, acquisition.expr)
        if kind is None:
            continue
        # A semaphore, or an object known only by its name, is often acquired to wait
        # for a signal that another thread releases: without a release in sight, we
        # cannot tell that from a leak.
        signal_like = kind in (LockKind.SEMAPHORE, LockKind.UNKNOWN)
        reason = _unguaranteed(facts, site, text, signal_like)
        if reason is not None:
            yield Finding(
                site.node,
                CODE,
                f"'{text}' acquired without a guaranteed release ({reason}); "
                f"use 'with {text}:' or release it in a 'finally:' right after acquire()",
            )


def _unguaranteed(facts: FileFacts, site: CallSite, text: str, signal_like: bool) -> str | None:
    """Why the lock may stay held, or None when its release is guaranteed (or unknown)."""
    func = site.func
    assert site.stmt is not None
    statement = site.stmt.statement
    if func is not None and not func.is_lambda:
        if _takes_lock_for_caller(func.name):
            return None
        if isinstance(site.small, (cst.Expr, cst.Return)) and _only_job(func, statement):
            return None
    releases = facts.locks.release_sites(func, text)
    if _inside_releasing_try(site, releases):
        return None
    order = {call.node: index for index, call in enumerate(facts.calls.made_in(func))}
    if releases and all(order[r.node] < order[site.node] for r in releases):
        # Released earlier and taken back here (``Condition.wait``): the caller owns it again.
        return None

    small = site.small
    if isinstance(small, cst.Expr) and acquire_receiver(small.value) is not None:
        region = site.stmt.following()
        conditional = signal_like and not releases
    elif small is not None and isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is site.node:
        region = site.stmt.following()
        conditional = True
    elif isinstance(statement, cst.If) and statement.test is site.node:
        body = statement.body
        region = body.body if isinstance(body, cst.IndentedBlock) else [body]
        conditional = True
    elif (
        isinstance(statement, cst.If)
        and isinstance(statement.test, cst.UnaryOperation)
        and statement.test.expression is site.node
    ):
        region = site.stmt.following()
        conditional = True
    else:
        return None  # the result feeds an expression we do not follow
    return _region_reason(facts, region, releases, conditional, func, text)


def _inside_releasing_try(site: Site, releases: list[CallSite]) -> bool:
    """``try: L.acquire() ... finally: L.release()`` (the acquire inside the ``try``), or
    ``try: L.acquire() except ...: ... else: L.release()`` (nothing after the acquire)."""
    for pos in site.enclosing():
        parent = pos.parent
        if parent is None:
            return False
        node = parent.statement
        if isinstance(node, (cst.Try, cst.TryStar)) and isinstance(node.body, cst.IndentedBlock) and pos.block is node.body.body:
            if in_finally(releases, node):
                return True
            last = pos.index == len(pos.block) - 1
            if last and node.orelse is not None and any(in_suite(release, node.orelse.body) for release in releases):
                return True
    return False


def _region_reason(
    facts: FileFacts,
    region: Sequence[cst.CSTNode],
    releases: list[CallSite],
    conditional: bool,
    func: FunctionInfo | None,
    text: str,
) -> str | None:
    statements = list(region)
    first = next((s for s in statements if not _cannot_raise(s)), None)
    if first is not None and any(release.stmt is not None and release.stmt.statement is first for release in releases):
        return None  # released at once: nothing can raise in between
    if isinstance(first, (cst.Try, cst.TryStar)) and (in_finally(releases, first) or in_handler(releases, first)):
        return None
    later_try = any(isinstance(s, (cst.Try, cst.TryStar)) and in_finally(releases, s) for s in statements)
    if later_try:
        return "statements between acquire() and the 'try:' that releases it can raise"
    region_statements = set(statements)
    released_in_region = any(
        any(pos.statement in region_statements for pos in release.enclosing()) for release in releases
    )
    if conditional:
        # A conditional acquire whose region never releases hands the lock on
        # deliberately (or we cannot tell); only a visible unsafe release is reported.
        return "release() is not in a 'finally:'" if released_in_region else None
    if not releases:
        if func is not None and facts.locks.released_in_nested(func, text):
            return None  # handed to a thread or callback defined here, which releases it
        where = f"{func.name}()" if func is not None else "this module"
        return f"it is never released in {where}"
    return "release() is not in a 'finally:'"
