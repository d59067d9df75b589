"""TS303: ``Queue.join()`` that can never return.

``q.join()`` blocks until every item ever put on ``q`` has been marked done by a
``q.task_done()`` call. A queue of the file whose items nobody marks done keeps its count
of unfinished tasks above zero for ever: ``join()`` waits after the workers have taken
and processed every item, and the program hangs at shutdown.

Reported: ``q.join()`` (no arguments) on a ``queue.Queue``/``LifoQueue``/
``PriorityQueue`` or ``multiprocessing.JoinableQueue`` the file builds, when no code of
the file calls ``task_done()`` on that queue, or on anything that might be it.

Silent when any ``task_done()`` of the file may be on the same queue: on it, on an alias,
on a parameter or another object's attribute (a worker that gets the queue as an
argument), or when the queue is passed to code of another module (its workers may
mark the items done there). Silent for ``Thread.join()``, ``str.join``, ``os.path.join``, ``Pool.join``,
``multiprocessing.Queue`` (its ``join_thread()`` is another thing), and for queues
received from outside the file (parameters, other modules' objects).
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.syntax import expression_text
from flake8_threadsafe.rules.base import Finding

CODE = "TS303"


def check(facts: FileFacts, config: Config) -> Iterator[Finding]:
    queues = facts.queues
    joins = [call for call in queues.calls("join") if not call.site.node.args and queues.joinable(call)]
    if not joins:
        return
    done = queues.calls("task_done")
    for join in joins:
        if queues.handed_out(join) or any(join.may_be(other) for other in done):
            continue
        text = expression_text(join.queue) or "the queue"
        yield Finding(
            join.site.node,
            CODE,
            f"'{text}.join()' waits until every item put on '{text}' is marked done, but nothing in this file "
            f"calls '{text}.task_done()': it never returns; call '{text}.task_done()' after handling each item "
            "taken with get()",
        )
