"""TS202: check-then-act on a queue.

``if not q.empty(): item = q.get()`` looks safe, but the answer of ``empty()`` is stale as
soon as it is given: when several threads consume the queue, another one can take the
last item between the check and the ``get()``, and this thread's blocking ``get()`` then
waits for ever (or until the next item, much later). The same holds for ``q.qsize() >
0`` and, for a bounded queue's producers, ``if not q.full(): q.put(x)``, whose ``put()``
then blocks. ``get_nowait()`` (or ``get(timeout=...)``) with ``except queue.Empty`` asks
and takes in one step.

Reported: a blocking ``q.get()`` (no ``block=False``, no timeout) in the branch of an
``if``/``while`` that tested ``q`` non-empty (``not q.empty()``, ``q.qsize()``,
``q.qsize() > 0``, the ``else`` of ``if q.empty():``), and a blocking ``q.put(x)`` after
``not q.full()``, on a ``queue.Queue``/``LifoQueue``/``PriorityQueue``/``SimpleQueue``
or ``multiprocessing.Queue`` the file builds, in code that runs in several threads at
once: a thread target started in a loop or from several places, a pool's task (as for
TS201).

Silent for ``get_nowait()``, ``get(block=False)``, ``get(timeout=...)``, for a single
consumer thread, for ``empty()``/``qsize()`` used only to report, for ``while True: item =
q.get()`` with a sentinel, and for queues received from outside the file.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.names import Names
from flake8_threadsafe.facts.queues import QueueCall
from flake8_threadsafe.facts.regions import in_suite
from flake8_threadsafe.facts.syntax import argument, expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS202"

# The blocking call, the check whose truth says it will not block, and what to use instead.
_ACTS = {"get": ("empty", "qsize", "get_nowait()"), "put": ("full", None, "put_nowait(item)")}


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    queues = facts.queues
    for method, (emptiness, size, instead) in _ACTS.items():
        for call in queues.calls(method):
            if not call.factories or not _blocks(call):
                continue
            checked = _checked_before(call, emptiness, size)
            if checked is None or not _several_threads(facts, call):
                continue
            check_text = facts.recording.module.code_for_node(checked)
            text = expression_text(call.queue) or "the queue"
            empty = "Empty" if method == "get" else "Full"
            yield Finding(
                call.site.node,
                CODE,
                f"'{text}.{method}()' after checking '{check_text}': another thread can {_RACE[method]} between "
                f"the check and the {method}(), and then this {method}() blocks forever; use "
                f"'{text}.{instead}' (or a timeout) and catch queue.{empty}",
            )


_RACE = {"get": "take the last item", "put": "fill the last place"}


def _blocks(call: QueueCall) -> bool:
    """``get()``/``put(x)`` that waits without limit: no ``block=False``, no timeout."""
    node = call.site.node
    first = 1 if call.method == "put" else 0
    block = argument(node, first, "block")
    timeout = argument(node, first + 1, "timeout")
    if timeout is not None and not (isinstance(timeout, cst.Name) and timeout.value == "None"):
        return False
    return block is None or (isinstance(block, cst.Name) and block.value == "True")


def _checked_before(call: QueueCall, emptiness: str, size: str | None) -> cst.BaseExpression | None:
    """The check (``not q.empty()``) of an enclosing ``if``/``while`` whose outcome says
    the call will not block, when the call is in the branch that outcome leads to."""
    text = expression_text(call.queue)
    site = call.site
    for pos in site.enclosing():
        statement = pos.statement
        if not isinstance(statement, (cst.If, cst.While)) or pos is site.stmt:
            continue
        check = _says_ready(statement.test, text, emptiness, size, True)
        if check is not None and in_suite(site, statement.body):
            return check
        otherwise = statement.orelse
        if isinstance(statement, cst.If) and isinstance(otherwise, cst.Else):
            check = _says_ready(statement.test, text, emptiness, size, False)
            if check is not None and in_suite(site, otherwise.body):
                return check
    return None


def _says_ready(
    test: cst.BaseExpression, text: str | None, emptiness: str, size: str | None, truth: bool
) -> cst.BaseExpression | None:
    """The part of ``test`` that, when ``test`` is ``truth``, says the queue ``text`` is not
    empty (for ``get``) or not full (for ``put``): ``not q.empty()``, ``q.qsize() > 0``."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return test if _says_ready(test.expression, text, emptiness, size, not truth) is not None else None
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And) and truth:
        return (
            _says_ready(test.left, text, emptiness, size, truth)
            or _says_ready(test.right, text, emptiness, size, truth)
        )
    called = _queue_method(test, text)
    if called == emptiness and not truth:
        return test
    if size is not None and truth:
        if called == size:
            return test
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            if _queue_method(test.left, text) == size and _positive(comparison.operator, comparison.comparator):
                return test
    return None


def _queue_method(expr: cst.BaseExpression, text: str | None) -> str | None:
    """``m`` for ``<text>.m()``."""
    if isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Attribute):
        if text is not None and expression_text(expr.func.value) == text:
            return expr.func.attr.value
    return None


def _positive(operator: cst.BaseCompOp, value: cst.BaseExpression) -> bool:
    """``> 0``, ``!= 0``, ``>= 1``."""
    if not isinstance(value, cst.Integer):
        return False
    number = int(value.value, 0)
    return (isinstance(operator, (cst.GreaterThan, cst.NotEqual)) and number == 0) or (
        isinstance(operator, cst.GreaterThanEqual) and number == 1
    )


def _several_threads(facts: FileFacts, call: QueueCall) -> bool:
    """Several threads run this code at once on the same queue: a concurrent thread
    entry (for ``self._q``, on the same object), or two entries."""
    func = call.site.func
    reached = facts.threads.runs_concurrently(func)
    if not reached:
        return False
    root = call.queue
    while isinstance(root, cst.Attribute):
        root = root.value
    instance = func is not None and isinstance(root, cst.Name) and Names.instance_param(func, root.value)
    if instance:
        reached = [state for state in reached if state.shares_self]
        objects = [state.entry.shared_object for state in reached]
        return any(state.entry.concurrent_on_object for state in reached) or len(set(objects)) < len(objects)
    return any(state.entry.concurrent for state in reached) or len({state.entry for state in reached}) > 1
