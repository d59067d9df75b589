"""Correct or harmless code that TS201 must leave alone."""

import asyncio
import collections
import functools
import queue
import threading
import unittest
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

counter = 0
tick_count = 0
cache = {}
registry = {}
results = []
seen = set()
events = queue.Queue()
done = threading.Event()
lock = threading.Lock()
_local = threading.local()
hits = collections.Counter()


def load(key):
    return key.upper()


# -- every update holds a lock ---------------------------------------------------------


def locked_increment():
    global counter
    with lock:
        counter += 1
        hits["locked"] += 1


def acquire_release_increment():
    global counter
    lock.acquire()
    try:
        counter = counter + 1
    finally:
        lock.release()


def double_checked_load(key):
    if key not in cache:
        with lock:
            if key not in cache:
                cache[key] = load(key)
    return cache[key]


def _bump_unguarded_name(n):
    """Every caller holds the lock: a helper of locked code."""
    global counter
    counter += n


def calls_helper_under_lock():
    with lock:
        _bump_unguarded_name(2)


def _increment_locked():
    global counter
    counter += 1


def _add_hit(page):
    """Add one hit. The caller must hold ``lock``."""
    hits[page] += 1


def uses_named_helpers(page):
    _increment_locked()
    _add_hit(page)


def synchronized(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with lock:
            return func(*args, **kwargs)

    return wrapper


@synchronized
def decorated_bump():
    global counter
    counter += 1


class Account:
    def __init__(self):
        self.balance = 0
        self._cond = threading.Condition()
        self._sem = threading.BoundedSemaphore(1)

    def deposit_all(self, amounts):
        threads = [threading.Thread(target=self.deposit, args=(n,)) for n in amounts]
        threads += [threading.Thread(target=self.withdraw, args=(n,)) for n in amounts]
        for thread in threads:
            thread.start()

    def deposit(self, amount):
        with self._cond:
            self.balance += amount
            self._cond.notify_all()

    def withdraw(self, amount):
        if not self._sem.acquire(timeout=1.0):
            return
        try:
            self.balance = self.balance - amount
        finally:
            self._sem.release()


# -- single operations CPython makes atomic -----------------------------------------------


def atomic_operations(key, value):
    cache[key] = value
    results.append(value)
    seen.add(key)
    registry.setdefault(key, []).append(value)
    registry.pop(key, None)
    seen.discard(key)
    events.put(value)
    done.set()
    if key in cache:
        return cache[key]
    if key not in registry:
        registry.setdefault(key, [])
    return None


# -- not shared with another thread ----------------------------------------------------------


def thread_local_depth():
    _local.depth = getattr(_local, "depth", 0)
    _local.depth += 1


def locals_only(words):
    counts = {}
    total = 0
    for word in words:
        counts[word] = counts.get(word, 0) + 1
        total += 1
    box = Box()
    box.n += total
    if total not in counts:
        counts[total] = 0
    return counts


class Box:
    def __init__(self):
        self.n = 0
        Box.created = getattr(Box, "created", 0)
        Box.created += 1


def parameters_only(job, tally):
    job.attempts += 1
    tally[job] = tally.get(job, 0) + 1


def nested_counter(items):
    """``total`` is a local of the thread's own function: every thread has its own."""
    total = 0

    def add(n):
        nonlocal total
        total += n

    for item in items:
        add(item)
    return total


class Context(threading.local):
    def __init__(self):
        self.calls = 0


context = Context()


def count_calls():
    context.calls += 1


def start_everything(keys):
    threads = []
    for target in (
        locked_increment,
        acquire_release_increment,
        calls_helper_under_lock,
        thread_local_depth,
        count_calls,
    ):
        threads.append(threading.Thread(target=target))
    for key in keys:
        threads.append(threading.Thread(target=double_checked_load, args=(key,)))
        threads.append(threading.Thread(target=uses_named_helpers, args=(key,)))
        threads.append(threading.Thread(target=atomic_operations, args=(key, 1)))
        threads.append(threading.Thread(target=locals_only, args=([key],)))
        threads.append(threading.Thread(target=parameters_only, args=(key, {})))
        threads.append(threading.Thread(target=nested_counter, args=([1, 2],)))
    for thread in threads:
        thread.start()
    return threads


class Task:
    """A new object per task: its attributes are not shared between tasks."""

    def __init__(self, item):
        self.item = item
        self.attempts = 0

    def run(self):
        self.attempts += 1
        return self.item


def run_tasks(items):
    with ThreadPoolExecutor() as pool:
        futures = []
        for item in items:
            task = Task(item)
            futures.append(pool.submit(task.run))
        return [future.result() for future in futures]


def run_decorated(n):
    threads = [threading.Thread(target=decorated_bump) for _ in range(n)]
    for thread in threads:
        thread.start()
    return threads


# -- one thread is the only writer -------------------------------------------------------


class Poller:
    def __init__(self):
        self.iterations = 0
        self.last = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._thread.start()

    def _loop(self):
        while not self._stop.wait(0.5):
            self.iterations += 1
            self.last = self.iterations

    def progress(self):
        return self.iterations


class Reader(threading.Thread):
    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.lines_read = 0
        self.buffer = []

    def run(self):
        for line in self.stream:
            self.lines_read += 1
            self.buffer = self.buffer + [line]


def ticks():
    global tick_count
    tick_count += 1


def run_ticker_once():
    """Set before the only thread starts, read after it ends."""
    global tick_count
    tick_count = 0
    thread = threading.Thread(target=ticks)
    thread.start()
    thread.join()
    return tick_count


class Flusher:
    """A one-worker executor runs its tasks one after the other."""

    def __init__(self):
        self._serial = ThreadPoolExecutor(max_workers=1)
        self.flushed = 0

    def flush_all(self, batches):
        futures = [self._serial.submit(self._flush, batch) for batch in batches]
        return [future.result() for future in futures]

    def _flush(self, batch):
        self.flushed += len(batch)


# -- not threads at all -----------------------------------------------------------------------


def same_code_never_in_a_thread():
    global counter
    counter += 1
    cache["x"] = cache.get("x", 0) + 1
    if "y" not in cache:
        cache["y"] = 1


def in_processes(items):
    with ProcessPoolExecutor() as pool:
        return list(pool.map(same_code_never_in_a_thread_too, items))


def same_code_never_in_a_thread_too(item):
    global counter
    counter += item
    return counter


async def handler(request):
    global counter
    counter += 1
    await asyncio.sleep(0)
    return request


class Job:
    total_jobs = 0

    def __init__(self, name):
        self.name = name
        self.retries = 0
        Job.total_jobs += 1

    def retry(self):
        self.retries += 1


class Sampler:
    """Reset in start(), before the thread is started."""

    def __init__(self):
        self.samples = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self):
        self.samples = 0
        self._thread.start()

    def _sample(self):
        while not done.wait(0.1):
            self.samples += 1


class TickTest(unittest.TestCase):
    def setUp(self):
        self.ticks = 0

    def _tick(self):
        self.ticks += 1

    def test_one_tick(self):
        thread = threading.Thread(target=self._tick)
        thread.start()
        thread.join()
        self.assertEqual(self.ticks, 1)
