"""Queues between threads: which objects are queues the file builds, and the calls made
on them (``q.get()``, ``q.join()``, ``q.task_done()``).

Only a queue the file builds (``jobs = queue.Queue()``, ``self._q = Queue(10)``, also
through plain aliases) is known to be one: a parameter named ``q`` may be anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from flake8_threadsafe.facts.model import CallSite, ClassInfo, FunctionInfo, Recording
from flake8_threadsafe.facts.names import Names, Ref
from flake8_threadsafe.facts.objects import Objects
from flake8_threadsafe.kinds import QUEUE_FACTORIES

# The methods of a queue the rules look at.
QUEUE_METHODS = frozenset({"get", "put", "empty", "full", "qsize", "join", "task_done"})


@dataclass(frozen=True, eq=False)
class QueueCall:
    """``queue.method(...)``: the call, the queue as written, and what it is."""

    site: CallSite
    method: str
    queue: cst.BaseExpression
    ref: Ref | None  # the queue's reference, when it has one
    factories: frozenset[str]  # the queue factories it was built by; empty: not known to be a queue
    made_by: frozenset[cst.Call]  # the factory calls bound to the receiver itself (not through aliases)

    def may_be(self, other: QueueCall) -> bool:
        """``other``'s receiver may be this call's queue: the same reference, or one not
        bound to another factory call itself (an alias, a parameter, another object's
        attribute)."""
        if self.ref is not None and other.ref == self.ref:
            return True
        return not other.made_by or not other.made_by.isdisjoint(self.made_by)


class Queues:
    def __init__(self, recording: Recording, names: Names, objects: Objects) -> None:
        self.names = names
        self.objects = objects
        self._recording = recording

    def factories(self, func: FunctionInfo | None, cls: ClassInfo | None, expr: cst.BaseExpression) -> frozenset[str]:
        """The queue factories ``expr`` was built by (``queue.Queue``)."""
        return frozenset(name for name in self.objects.factory_names(func, cls, expr) if name in QUEUE_FACTORIES)

    def joinable(self, call: QueueCall) -> bool:
        """Every factory of the queue makes one whose ``join()`` waits for ``task_done()``."""
        return bool(call.factories) and all(QUEUE_FACTORIES[name] for name in call.factories)

    @cached_property
    def _calls(self) -> dict[str, list[QueueCall]]:
        found: dict[str, list[QueueCall]] = {}
        for site in self._recording.calls:
            callee = site.node.func
            if (
                not isinstance(callee, cst.Attribute)
                or callee.attr.value not in QUEUE_METHODS
                or not isinstance(callee.value, (cst.Name, cst.Attribute))
            ):
                continue
            receiver = callee.value
            ref = self.names.ref(site.func, site.cls, receiver)
            factories = self.factories(site.func, site.cls, receiver)
            made_by = frozenset(self.objects.factory_calls(site.func, site.cls, receiver))
            found.setdefault(callee.attr.value, []).append(
                QueueCall(site, callee.attr.value, receiver, ref, factories, made_by)
            )
        return found

    @cached_property
    def _handed_out(self) -> frozenset[Ref]:
        """References passed as an argument to a call of code outside this file
        (``Worker.create(self, self._queue)`` of another module)."""
        found: set[Ref] = set()
        for site in self._recording.calls:
            if self.names.call_target(site) is not None:
                continue
            for arg in site.node.args:
                if isinstance(arg.value, (cst.Name, cst.Attribute)):
                    ref = self.names.ref(site.func, site.cls, arg.value)
                    if ref is not None:
                        found.add(ref)
        return frozenset(found)

    def handed_out(self, call: QueueCall) -> bool:
        """The queue is passed to code of another module, which may do its part
        (``task_done()``) there."""
        return call.ref is not None and call.ref in self._handed_out

    def calls(self, method: str) -> list[QueueCall]:
        """The calls ``X.<method>(...)`` of a queue's method on a simple receiver
        (``q.get()``, ``self._jobs.join()``), in walk order; ``factories`` says whether
        the receiver is known to be a queue."""
        return self._calls.get(method, [])
