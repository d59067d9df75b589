"""What the rules know about one file: computed once, in named parts, from one walk.

``FileFacts.of(module, config)`` walks the module once (``walker.record``) and holds
the parts that answer the rules' questions, each computed when first asked:

- ``names``: what a name or attribute refers to (``Ref``), the classes ``self`` denotes,
  the functions a call runs (``names.py``);
- ``objects``: what the file's objects were built by: executors, thread-locals,
  instances of its classes (``objects.py``);
- ``locks``: which objects are locks, of which kind and identity, which are held where,
  where they are released (``locks.py``);
- ``calls``: the call graph and the same-instance rule (``calls.py``);
- ``threads``: the thread entries, how many threads run each and on which object, and
  what runs under each (``threads.py``);
- ``state``: which state a write changes, who else sees and writes it, and helpers that
  only run with a lock held (``state.py``);
- ``acquires``: which locks each function takes, directly or through its calls
  (``acquires.py``);
- ``starts``: the calls that hand a callable to another thread or process, what it
  will be called with, and the thread objects the file builds (``starts.py``);
- ``raising``: what can realistically raise, through calls of the file's functions
  (``raising.py``);
- ``lock_flows``: lock state along each function's control flow, exceptions included:
  which explicit acquires can leave it with the lock held (``lockflow.py``);
- ``results``: whether a call's value is used (``results.py``);
- ``queues``: the queues the file builds and the calls made on them (``queues.py``).

The recorded sites (calls, acquisitions, releases, writes, branches) are in walk order.
"""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts.acquires import Acquires
from flake8_threadsafe.facts.calls import CallGraph
from flake8_threadsafe.facts.lockflow import LockFlows
from flake8_threadsafe.facts.locks import Locks
from flake8_threadsafe.facts.model import Acquisition, CallSite, Recording, Site, Write
from flake8_threadsafe.facts.names import Names
from flake8_threadsafe.facts.objects import Objects
from flake8_threadsafe.facts.queues import Queues
from flake8_threadsafe.facts.raising import Raising
from flake8_threadsafe.facts.results import ResultUses
from flake8_threadsafe.facts.starts import Starts
from flake8_threadsafe.facts.state import SharedState
from flake8_threadsafe.facts.threads import Threads
from flake8_threadsafe.facts.walker import record

__all__ = ["FileFacts"]


class FileFacts:
    def __init__(self, recording: Recording, config: Config) -> None:
        self.recording = recording
        self.names = Names(recording)
        self.objects = Objects(recording, self.names)
        self.locks = Locks(recording, self.names, self.objects, config)
        self.calls = CallGraph(recording, self.names)

    @classmethod
    def of(cls, module: cst.Module, config: Config) -> FileFacts:
        return cls(record(module), config)

    # -- what the walk recorded, in walk order -----------------------------------------

    @property
    def call_sites(self) -> list[CallSite]:
        return self.recording.calls

    @property
    def acquisitions(self) -> list[Acquisition]:
        return self.recording.acquisitions

    @property
    def writes(self) -> list[Write]:
        return self.recording.writes

    @property
    def branches(self) -> list[Site]:
        return self.recording.branches

    # -- the parts computed on demand ---------------------------------------------------

    @cached_property
    def threads(self) -> Threads:
        return Threads(self.recording, self.names, self.objects, self.calls, self.starts)

    @cached_property
    def state(self) -> SharedState:
        return SharedState(self.recording, self.names, self.objects, self.locks, self.calls, self.threads)

    @cached_property
    def acquires(self) -> Acquires:
        return Acquires(self.recording, self.names, self.locks, self.calls)

    @cached_property
    def starts(self) -> Starts:
        return Starts(self.recording, self.names, self.objects)

    @cached_property
    def raising(self) -> Raising:
        return Raising(self.recording, self.locks)

    @cached_property
    def lock_flows(self) -> LockFlows:
        return LockFlows(self.recording, self.locks, self.raising)

    @cached_property
    def results(self) -> ResultUses:
        return ResultUses(self.recording, self.names, self.objects)

    @cached_property
    def queues(self) -> Queues:
        return Queues(self.recording, self.names, self.objects)
