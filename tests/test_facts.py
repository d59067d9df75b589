"""The shared analysis every rule reads: imports, lock identity and kind, executors,
held regions and thread entry points."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts, LockKind, Site
from flake8_threadsafe.facts.walker import Walker


def facts_of(source: str, config: Config = Config(), dispatch: dict | None = None) -> FileFacts:
    facts = FileFacts(config)
    Walker(facts, dispatch or {}).block(cst.parse_module(textwrap.dedent(source)).body)
    return facts


def expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


@pytest.mark.parametrize(
    ("imports", "name", "canonical"),
    [
        ("import threading", "threading.Lock", "threading.Lock"),
        ("import threading as th", "th.RLock", "threading.RLock"),
        ("from threading import Lock as L", "L", "threading.Lock"),
        ("from threading import Lock", "Lock", "threading.Lock"),
        ("import _thread", "_thread.allocate_lock", "_thread.allocate_lock"),
        ("import multiprocessing", "multiprocessing.Lock", "multiprocessing.Lock"),
        ("import concurrent.futures", "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ThreadPoolExecutor"),
        ("import concurrent.futures as cf", "cf.ProcessPoolExecutor", "concurrent.futures.ProcessPoolExecutor"),
        ("from concurrent import futures", "futures.ThreadPoolExecutor", "concurrent.futures.ThreadPoolExecutor"),
        ("from concurrent.futures import ThreadPoolExecutor as Pool", "Pool", "concurrent.futures.ThreadPoolExecutor"),
        ("from concurrent.futures import *", "ThreadPoolExecutor", "concurrent.futures.ThreadPoolExecutor"),
        ("from .sync import NamedLock", "NamedLock", ".sync.NamedLock"),
        ("import os", "Lock", None),
        ("import threading", "threadingx.Lock", None),
    ],
)
def test_canonical_names(imports: str, name: str, canonical: str | None) -> None:
    assert facts_of(imports).canonical(expr(name)) == canonical


LOCKS = """
import threading
import _thread
from threading import Condition, RLock

glob = threading.Lock()
reentrant = RLock()
default_cond = Condition()
cond_on_lock = Condition(glob)
cond_on_rlock = Condition(threading.RLock())
raw = _thread.allocate_lock()
sem = threading.BoundedSemaphore(2)
both = threading.Lock()
both = threading.RLock()

class Store:
    cls_lock = threading.Lock()

    def __init__(self, lock_from_caller):
        self._lock = threading.Lock()
        self._given_lock = lock_from_caller
        self._pool = ConnectionPool()

    def later(self):
        self._late = threading.RLock()

def local_user():
    mine = threading.Lock()
    return mine
"""


@pytest.fixture(scope="module")
def lock_facts() -> FileFacts:
    return facts_of(LOCKS)


@pytest.mark.parametrize(
    ("where", "text", "kind"),
    [
        ("module", "glob", LockKind.LOCK),
        ("module", "reentrant", LockKind.RLOCK),
        ("module", "default_cond", LockKind.CONDITION),
        ("module", "cond_on_lock", LockKind.LOCK),
        ("module", "cond_on_rlock", LockKind.CONDITION),
        ("module", "raw", LockKind.LOCK),
        ("module", "sem", LockKind.SEMAPHORE),
        ("module", "both", LockKind.UNKNOWN),
        ("module", "Store.cls_lock", LockKind.LOCK),
        ("Store.later", "self._lock", LockKind.LOCK),
        ("Store.later", "self._late", LockKind.RLOCK),
        ("Store.later", "type(self).cls_lock", LockKind.LOCK),
        ("Store.later", "self._given_lock", LockKind.UNKNOWN),
        ("Store.later", "self._pool", None),
        ("Store.later", "other._lock", LockKind.UNKNOWN),
        ("Store.later", "other.pool", None),
        ("local_user", "mine", LockKind.LOCK),
        ("module", "mine", None),
    ],
)
def test_lock_kinds(lock_facts: FileFacts, where: str, text: str, kind: LockKind | None) -> None:
    func = None if where == "module" else next(f for f in lock_facts.functions if f.qualname == where)
    assert lock_facts.lock_kind(func, None, expr(text)) is kind


def test_lock_identity_is_shared_by_methods_of_a_class(lock_facts: FileFacts) -> None:
    init = next(f for f in lock_facts.functions if f.qualname == "Store.__init__")
    later = next(f for f in lock_facts.functions if f.qualname == "Store.later")
    assert lock_facts.ref(init, None, expr("self._lock")) == lock_facts.ref(later, None, expr("self._lock"))
    assert lock_facts.ref(later, None, expr("Store.cls_lock")) == lock_facts.ref(later, None, expr("self.cls_lock"))
    assert lock_facts.ref(later, None, expr("other._lock")) is None


def test_extra_locks_are_locks_of_unknown_kind() -> None:
    source = "from myapp.sync import NamedLock\nfrom .locks import make\njobs = NamedLock('x')\nfiles = make()\npool = Pool()\n"
    facts = facts_of(source, Config(extra_locks=frozenset({"myapp.sync.NamedLock", "myapp.locks.make"})))
    assert facts.lock_kind(None, None, expr("jobs")) is LockKind.UNKNOWN
    assert facts.lock_kind(None, None, expr("files")) is LockKind.UNKNOWN
    assert facts.lock_kind(None, None, expr("pool")) is None


EXECUTORS = """
import concurrent.futures as cf
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
import multiprocessing

POOL = ThreadPoolExecutor()

class Service:
    def __init__(self):
        self._pool = cf.ThreadPoolExecutor(4)

    def run(self, executor: Executor, procs=None):
        with ProcessPoolExecutor() as ex:
            pass
        mp = multiprocessing.Pool()
"""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("POOL", "thread"),
        ("self._pool", "thread"),
        ("ex", "process"),
        ("executor", "any"),
        ("procs", None),
        ("mp", None),
    ],
)
def test_executor_kinds(text: str, kind: str | None) -> None:
    facts = facts_of(EXECUTORS)
    run = next(f for f in facts.functions if f.qualname == "Service.run")
    assert facts.executor_kind(run, None, expr(text)) == kind


HELD = """
import threading
lock = threading.Lock()
other = threading.Lock()

def f():
    a()
    with lock:
        b()
        with other, open("x") as fh:
            c()
    d()
    lock.acquire()
    e()
    try:
        g()
    finally:
        lock.release()
    h()
    if lock.acquire(blocking=False):
        i()
    j()
    if not lock.acquire(timeout=1):
        return
    k()
    def nested():
        m()
"""


def test_held_regions() -> None:
    held_at: dict[str, list[str]] = {}

    def on_call(site: Site) -> None:
        callee = site.node.func
        if isinstance(callee, cst.Name) and len(callee.value) == 1:
            held_at[callee.value] = [lock.text for lock, _ in facts.held_locks(site)]

    facts = FileFacts(Config())
    Walker(facts, {cst.Call: [on_call]}).block(cst.parse_module(HELD).body)
    assert held_at == {
        "a": [], "b": ["lock"], "c": ["lock", "other"], "d": [], "e": ["lock"], "g": ["lock"],
        "h": [], "i": ["lock"], "j": [], "k": ["lock"], "m": [],
    }


THREADS = """
import threading
import functools
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

def direct(): helper()
def helper(): deeper()
def deeper(): pass
def timer_fn(): pass
def submitted(): pass
def mapped(x): pass
def in_process(): pass
def partial_fn(a): pass
def never(): pass

class Worker(threading.Thread):
    def run(self):
        self.step()
    def step(self): pass

class Service:
    def __init__(self):
        self._pool = ThreadPoolExecutor()
    def start(self):
        threading.Thread(target=self.loop, daemon=True).start()
        self._pool.submit(self.job)
    def loop(self): pass
    def job(self): pass

def main():
    threading.Thread(target=direct).start()
    threading.Timer(1.0, timer_fn).start()
    threading.Thread(target=lambda: never_called_by_name()).start()
    threading.Thread(target=functools.partial(partial_fn, 1)).start()
    with ThreadPoolExecutor() as ex:
        ex.submit(submitted)
        list(ex.map(mapped, range(3)))
    with ProcessPoolExecutor() as px:
        px.submit(in_process)
"""


def test_thread_entries_and_reach() -> None:
    facts = facts_of(THREADS)
    threads = facts.threads
    running = {f.qualname for f in facts.functions if threads.runs_in_thread(f)}
    assert running == {
        "direct", "helper", "deeper", "timer_fn", "submitted", "mapped", "partial_fn",
        "Worker.run", "Worker.step", "Service.loop", "Service.job", "main.<locals>.<lambda>",
    }
    deeper = next(f for f in facts.functions if f.qualname == "deeper")
    reached = threads.runs_in_thread(deeper)
    assert [f.name for f in reached.path] == ["direct", "helper", "deeper"]
    shares_self = {entry.func.qualname for entry in threads.entries if entry.shares_self}
    assert shares_self == {"Worker.run", "Service.loop", "Service.job"}


MORE_THREADS = """
import asyncio
import functools
import threading

class Counter:
    def increment(self):
        self._bump()
        Counter.describe()
    def _bump(self): pass
    @classmethod
    def describe(cls): pass
    def start(self):
        threading.Thread(target=functools.partial(self.tick, 1)).start()
        threading.Thread(target=lambda: self.from_lambda()).start()
    def tick(self, n): pass
    def from_lambda(self): pass

class Context(threading.local):
    pass

context = Context()

def blocking(): pass
def in_default_executor(): pass

async def main():
    counter = Counter()
    threading.Thread(target=counter.increment).start()
    await asyncio.to_thread(blocking)
    await asyncio.get_running_loop().run_in_executor(None, in_default_executor)
"""


def test_more_thread_targets_and_shared_instances() -> None:
    facts = facts_of(MORE_THREADS)
    threads = facts.threads
    hows = {entry.func.qualname: entry.how for entry in threads.entries}
    assert hows == {
        "Counter.tick": "threading.Thread(target=...)",
        "Counter.start.<locals>.<lambda>": "threading.Thread(target=...)",
        "Counter.increment": "threading.Thread(target=...)",
        "blocking": "asyncio.to_thread()",
        "in_default_executor": "loop.run_in_executor()",
    }
    shares_self = {entry.func.qualname for entry in threads.entries if entry.shares_self}
    assert shares_self == {"Counter.tick", "Counter.increment"}
    by_name = {f.qualname: f for f in facts.functions}
    # ``self._bump()`` runs on the shared object, ``Counter.describe()`` on the class.
    assert [state.shares_self for state in threads.runs_under(by_name["Counter._bump"])] == [True]
    assert [state.shares_self for state in threads.runs_under(by_name["Counter.describe"])] == [False]
    # A lambda started in a method sees that method's ``self``.
    assert [state.shares_self for state in threads.runs_under(by_name["Counter.from_lambda"])] == [True]
    assert facts.is_thread_local(None, None, expr("context"))
