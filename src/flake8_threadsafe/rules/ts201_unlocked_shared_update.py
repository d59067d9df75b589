"""TS201: shared state changed by code that runs in a thread, without a lock.

Reported, in a function that runs in another thread (a ``Thread``/``Timer`` target, an
executor task, a future's done-callback, ``run()`` of a ``Thread`` subclass, or anything
of the same file they call) and outside every region that holds a lock:

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
lock"); threads started and joined at once by code that runs in no other thread;
writes made before the thread starts (also before the call that starts it); constructors;
locals, objects created in the function, parameters,
``threading.local()`` attributes; code that never runs in another thread; a thread that
is the only writer. ``--threadsafe-strict`` reports every unlocked write to shared state
in thread code, plain stores and single container mutations included, with no evidence
of a second writer needed.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.model import FunctionInfo, Site, Write, WriteKind
from flake8_threadsafe.facts.regions import after, in_suite
from flake8_threadsafe.facts.state import CONSTRUCTORS, Shared
from flake8_threadsafe.facts.syntax import exits, expression_text, subscript_index
from flake8_threadsafe.facts.threads import Reached
from flake8_threadsafe.kinds import StartKind
from flake8_threadsafe.rules.base import Finding

CODE = "TS201"

# Calls that act on the element a membership test checked (``if x in s: s.remove(x)``).
# ``setdefault``, ``discard`` and ``pop(k, default)`` are safe even if the check is stale.
_ACTS_ON_ELEMENT = frozenset({"append", "appendleft", "add", "remove", "pop"})


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    if not any(write.site.func is not None for write in facts.writes):
        return
    acts = {act for branch in facts.branches for act in _acts(facts, branch)}
    for write in facts.writes:
        func = write.site.func
        threaded = func is not None and bool(facts.threads.runs_concurrently(func))
        guarded = facts.state.guarded_elsewhere(write) if func is not None and func.cls is not None else None
        if not threaded and guarded is None:
            continue  # no thread runs it, and no class guards what it writes
        if write.kind is WriteKind.AUGMENTED or (write.kind is WriteKind.ASSIGN and _read_modify_write(write)):
            verb, advice = "is changed", "hold a lock around the read and the write"
        elif write in acts:
            verb, advice = "is checked then changed", "hold a lock over the check and the change"
        elif config.strict and threaded:
            verb = "is set" if write.kind is WriteKind.ASSIGN else "is changed"
            finding = _judge(facts, config, write, verb, "hold a lock (strict mode: every shared write)")
            if finding is not None:
                yield finding
            continue
        else:
            continue
        finding = _judge(facts, config, write, verb, advice) if threaded else None
        if finding is None and guarded is not None:
            finding = _judge_guarded_class(facts, write, guarded, verb, advice)
        if finding is not None:
            yield finding


def _judge(facts: FileFacts, config: Config, write: Write, verb: str, advice: str) -> Finding | None:
    """A finding for ``write`` if it changes shared state in a thread without a lock."""
    func = write.site.func
    if func is None or func.name in CONSTRUCTORS:
        return None
    reached = facts.threads.runs_concurrently(func)
    if not reached or facts.locks.locked(write.site) or facts.state.lock_held_by_caller(func):
        return None
    shared = facts.state.shared(func, write, reached)
    if shared is None:
        return None
    if shared.instance:
        reached = [state for state in reached if state.shares_self]
    other_writer = facts.state.second_writer(write, shared, reached)
    if other_writer is None and not config.strict:
        return None
    state = min(reached, key=lambda state: (state.entry.site is None, len(state.path)))
    where, related = _where(func, state)
    if other_writer:
        where += f", while {other_writer} also writes it"
    node = write.site.node if write.kind is WriteKind.MUTATION else write.target
    return Finding(node, CODE, f"'{shared.text}' {verb} in {where}; {advice}", related)


def _judge_guarded_class(
    facts: FileFacts, write: Write, guarded: tuple[Shared, Write, str], verb: str, advice: str
) -> Finding | None:
    """A finding for ``write`` if it changes, without the lock, a field that its class
    elsewhere changes with its lock held (``guarded``: ``SharedState.guarded_elsewhere``)."""
    func = write.site.func
    if func is None or facts.locks.locked(write.site) or facts.state.lock_held_by_caller(func):
        return None
    shared, other, lock = guarded
    assert other.site.func is not None
    node = write.site.node if write.kind is WriteKind.MUTATION else write.target
    return Finding(
        node,
        CODE,
        f"'{shared.text}' {verb} in {func.display} without a lock, while {other.site.func.display} changes it "
        f"holding '{lock}' (line {{line0}}): the class guards it with that lock, so its methods are called "
        f"from several threads; {advice}",
        (other.site.node,),
    )


def _read_modify_write(write: Write) -> bool:
    """``x = x + 1``, ``self.n = max(self.n, v)``, ``d[k] = d.get(k, 0) + 1``."""
    target, value = write.target, write.value
    wanted = expression_text(target)
    if wanted is None or value is None:
        return False
    container = key = None
    if isinstance(target, cst.Subscript):
        index = subscript_index(target)
        container = expression_text(target.value)
        key = expression_text(index) if index is not None else None
    return _reads(value, wanted, container, key)


def _reads(root: cst.CSTNode, wanted: str, container: str | None, key: str | None) -> bool:
    """Whether ``root`` reads ``wanted`` (``x``, ``self.n``, ``d[k]``) or ``container.get(key)``."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)) and expression_text(node) == wanted:
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
                and expression_text(callee.value) == container
                and expression_text(node.args[0].value) == key
            ):
                return True
            stack.append(callee)
            stack.extend(arg.value for arg in node.args)
        elif not isinstance(node, cst.Lambda):
            stack.extend(node.children)
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


def _acts(facts: FileFacts, branch: Site) -> Iterator[Write]:
    """The writes that act on what ``branch`` (an ``if``) tested: in its branches, or after
    it when its body leaves (``if k in cache: return cache[k]``)."""
    node = branch.node
    func = branch.func
    if not isinstance(node, cst.If) or func is None or (func.cls is None and not facts.threads.runs_concurrently(func)):
        return
    pairs = {
        (expression_text(element), expression_text(container)) for element, container in _membership_checks(node.test)
    }
    pairs = {(element, container) for element, container in pairs if element and container}
    if not pairs:
        return
    suites = [node.body]
    if isinstance(node.orelse, cst.Else):
        suites.append(node.orelse.body)
    following = branch.stmt is not None and branch.stmt.statement is node and exits(node.body)
    for write in func.writes:
        if _acts_on(write, pairs) and (
            any(in_suite(write.site, suite) for suite in suites) or (following and after(write.site, branch))
        ):
            yield write


def _acts_on(write: Write, pairs: set[tuple[str | None, str | None]]) -> bool:
    call = write.call
    if write.kind is WriteKind.MUTATION and call is not None:
        if write.method not in _ACTS_ON_ELEMENT or not call.args:
            return False
        if write.method == "pop" and len(call.args) > 1:
            return False  # ``pop(k, default)`` does not fail on a missing key
        return (expression_text(call.args[0].value), expression_text(write.target)) in pairs
    target = write.target
    if isinstance(target, cst.Subscript):
        index = subscript_index(target)
        return index is not None and (expression_text(index), expression_text(target.value)) in pairs
    return False


def _where(func: FunctionInfo, state: Reached) -> tuple[str, tuple[cst.CSTNode, ...]]:
    """``worker(), which runs in a thread started at line {line0}`` and the start call."""
    entry = state.entry
    where = func.display
    if len(state.path) > 1:
        where += f", called from {state.path[0].display}"
    if entry.site is None:
        return f"{where}, which runs in its own thread ({entry.description})", ()
    if entry.kind.pooled:
        where += f", which runs in a worker thread ({entry.description} at line {{line0}})"
        return where, (entry.site.node,)
    if entry.kind is StartKind.DONE_CALLBACK:
        where += f", which runs in the thread that completes the future ({entry.description} at line {{line0}})"
        return where, (entry.site.node,)
    return f"{where}, which runs in a thread started at line {{line0}}", (entry.site.node,)
