"""The shared analysis every rule reads: imports, lock identity and kind, executors,
held regions and thread entry points."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.facts.threads import SharedInstance
from flake8_threadsafe.kinds import ExecutorKind, LockKind, StartKind


def facts_of(source: str, config: Config = Config()) -> FileFacts:
    return FileFacts.of(cst.parse_module(textwrap.dedent(source)), config)


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
    assert facts_of(imports).names.canonical(expr(name)) == canonical


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
        # Another object's attribute: the module sets ``_lock`` only to a Lock.
        ("Store.later", "other._lock", LockKind.LOCK),
        ("Store.later", "other._late", LockKind.RLOCK),
        # ``_given_lock`` is also set to a parameter: known only by its name.
        ("Store.later", "other._given_lock", LockKind.UNKNOWN),
        ("Store.later", "other.pool", None),
        ("local_user", "mine", LockKind.LOCK),
        ("module", "mine", None),
    ],
)
def test_lock_kinds(lock_facts: FileFacts, where: str, text: str, kind: LockKind | None) -> None:
    func = None if where == "module" else next(f for f in lock_facts.names.functions if f.qualname == where)
    assert lock_facts.locks.kind(func, None, expr(text)) is kind


def test_lock_identity_is_shared_by_methods_of_a_class(lock_facts: FileFacts) -> None:
    init = next(f for f in lock_facts.names.functions if f.qualname == "Store.__init__")
    later = next(f for f in lock_facts.names.functions if f.qualname == "Store.later")
    assert lock_facts.names.ref(init, None, expr("self._lock")) == lock_facts.names.ref(later, None, expr("self._lock"))
    assert lock_facts.names.ref(later, None, expr("Store.cls_lock")) == lock_facts.names.ref(
        later, None, expr("self.cls_lock")
    )
    assert lock_facts.names.ref(later, None, expr("other._lock")) is None


def test_extra_locks_are_locks_of_unknown_kind() -> None:
    source = (
        "from myapp.sync import NamedLock\nfrom .locks import make\n"
        "jobs = NamedLock('x')\nfiles = make()\npool = Pool()\n"
    )
    facts = facts_of(source, Config(extra_locks=frozenset({"myapp.sync.NamedLock", "myapp.locks.make"})))
    assert facts.locks.kind(None, None, expr("jobs")) is LockKind.UNKNOWN
    assert facts.locks.kind(None, None, expr("files")) is LockKind.UNKNOWN
    assert facts.locks.kind(None, None, expr("pool")) is None


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
    run = next(f for f in facts.names.functions if f.qualname == "Service.run")
    assert facts.objects.executor_kind(run, None, expr(text)) == (ExecutorKind(kind) if kind else None)


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
    facts = facts_of(HELD)
    for site in facts.call_sites:
        callee = site.node.func
        if isinstance(callee, cst.Name) and len(callee.value) == 1:
            held_at[callee.value] = [hold.text for hold, _ in facts.locks.held_locks(site)]
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
    running = {f.qualname for f in facts.names.functions if threads.runs_under(f)}
    assert running == {
        "direct", "helper", "deeper", "timer_fn", "submitted", "mapped", "partial_fn",
        "Worker.run", "Worker.step", "Service.loop", "Service.job", "main.<locals>.<lambda>",
    }
    deeper = next(f for f in facts.names.functions if f.qualname == "deeper")
    (reached,) = threads.runs_under(deeper)
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
    kinds = {entry.func.qualname: entry.kind for entry in threads.entries}
    assert kinds == {
        "Counter.tick": StartKind.THREAD,
        "Counter.start.<locals>.<lambda>": StartKind.THREAD,
        "Counter.increment": StartKind.THREAD,
        "blocking": StartKind.TO_THREAD,
        "in_default_executor": StartKind.RUN_IN_EXECUTOR,
    }
    assert {entry.description for entry in threads.entries} == {
        "threading.Thread(target=...)", "asyncio.to_thread()", "loop.run_in_executor()"
    }
    shares_self = {entry.func.qualname for entry in threads.entries if entry.shares_self}
    assert shares_self == {"Counter.tick", "Counter.increment"}
    by_name = {f.qualname: f for f in facts.names.functions}
    # ``self._bump()`` runs on the shared object, ``Counter.describe()`` on the class.
    assert [state.shares_self for state in threads.runs_under(by_name["Counter._bump"])] == [True]
    assert [state.shares_self for state in threads.runs_under(by_name["Counter.describe"])] == [False]
    # A lambda started in a method sees that method's ``self``.
    assert [state.shares_self for state in threads.runs_under(by_name["Counter.from_lambda"])] == [True]
    assert facts.objects.is_thread_local(None, None, expr("context"))


SUMMARIES = """
import threading

class Store:
    def __init__(self):
        self._lock = threading.Lock()
        self._rlock = threading.RLock()
    def outer(self):
        self.middle()
    def middle(self):
        self.inner()
    def inner(self):
        with self._lock:
            pass
    def reentrant(self):
        with self._rlock:
            pass
    def other_object(self, other):
        Store.inner(other)
    def local_only(self):
        mine = threading.Lock()
        with mine:
            pass
    def calls_local(self):
        self.local_only()
"""


def test_lock_summaries_follow_calls_on_the_same_object() -> None:
    facts = facts_of(SUMMARIES)
    by_name = {f.name: f for f in facts.names.functions}
    lock = facts.locks.identity(by_name["inner"], None, expr("self._lock"))
    summaries = facts.acquires.summaries(frozenset({LockKind.LOCK}))
    step = summaries[by_name["outer"]][lock]
    assert step.callee is by_name["middle"]
    assert summaries[by_name["middle"]][lock].callee is by_name["inner"]
    inner_step = summaries[by_name["inner"]][lock]
    assert inner_step.callee is None and inner_step.take is not None and inner_step.take.text == "self._lock"
    # ``Store.inner(other)`` takes another instance's lock; an RLock is not asked for here.
    assert by_name["other_object"] not in summaries
    assert by_name["reentrant"] not in summaries
    assert by_name["reentrant"] in facts.acquires.summaries(frozenset({LockKind.RLOCK}))
    # A lock local to ``local_only`` is a new lock on every call: it does not cross into callers.
    local = facts.locks.identity(by_name["local_only"], None, expr("mine"))
    assert local in summaries[by_name["local_only"]]
    assert local not in summaries.get(by_name["calls_local"], {})


MANY = """
import threading
from concurrent.futures import ThreadPoolExecutor

class Job(threading.Thread):
    def run(self): pass

class Counter:
    def increment(self): pass

def once(): pass
def looped(): pass
def serial(): pass
def pooled(): pass

def main(items):
    threading.Thread(target=once).start()
    for _ in items:
        threading.Thread(target=looped).start()
    with ThreadPoolExecutor(max_workers=1) as one:
        one.submit(serial)
    with ThreadPoolExecutor() as many:
        many.submit(pooled)
    Job().start()
    Job().start()
    counter = Counter()
    threading.Thread(target=counter.increment).start()
    for _ in items:
        fresh = Counter()
        threading.Thread(target=fresh.increment).start()
"""


def test_thread_entries_know_how_many_threads_run_them() -> None:
    facts = facts_of(MANY)
    entries = facts.threads.entries
    concurrent = {entry.func.qualname: entry.concurrent for entry in entries if entry.func.cls is None}
    assert concurrent == {"once": False, "looped": True, "serial": False, "pooled": True}
    (run,) = [entry for entry in entries if entry.kind is StartKind.RUN_METHOD]
    # Two Job objects: two threads run ``run()``, each on its own object.
    assert run.concurrent and not run.concurrent_on_object
    assert run.description == "run() of Thread subclass Job"
    shared, fresh = [entry for entry in entries if entry.func.qualname == "Counter.increment"]
    assert shared.site is not None
    assert shared.shared_object == SharedInstance(shared.site.func, "counter")
    assert not shared.concurrent
    # A loop that binds a new object each time starts threads on different objects.
    assert fresh.concurrent and not fresh.concurrent_on_object


STATE = """
import threading

hits = 0

class Stats:
    def __init__(self):
        self.table = {}
    def work(self, k):
        self.table[k] = 1
        self.table.clear()
        local = {}
        local[k] = 1

def bump():
    global hits
    hits += 1
"""


def test_state_keys_name_the_variable_a_write_changes() -> None:
    facts = facts_of(STATE)
    keys = [(facts.state.key(write.site.func, write.target), write.kind.value) for write in facts.writes]
    table = [key for key, _ in keys if key is not None and key.ref.name == "table"]
    # ``self.table = {}``, ``self.table[k] = 1`` and ``self.table.clear()`` change one state.
    assert len(table) == 3 and len(set(table)) == 1
    (local,) = {key for key, _ in keys if key is not None and key.ref.name == "local"}
    assert local.ref.function is not None and local.ref.function.name == "work"
    assert {key.ref.kind.value for key, _ in keys if key is not None and key.ref.name == "hits"} == {"global"}
