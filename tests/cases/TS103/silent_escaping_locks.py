"""Correct: a lock created in a function that leaves it, so that other code takes the
same lock: returned by a factory, stored on self, in a global or a container, passed to
threads, workers or other calls, captured by a closure, a lambda or a bound method."""
import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

_registry_lock = None
_file_locks = {}
_file_locks_guard = threading.Lock()


def make_lock():
    return threading.Lock()


def new_locked_lock():
    """A factory that hands out a lock it has already taken."""
    lock = threading.Lock()
    lock.acquire()
    return lock


def init_registry():
    global _registry_lock
    _registry_lock = threading.RLock()
    with _registry_lock:
        print("registry ready")


def lock_for(path):
    with _file_locks_guard:
        lock = _file_locks.get(path)
        if lock is None:
            lock = threading.Lock()
            _file_locks[path] = lock
        with lock:
            print("first use of", path)
        return lock


def lock_for_key(locks, key):
    # Stored before it is used: every caller of lock_for_key() gets the same one.
    lock = locks.setdefault(key, threading.Lock())
    with lock:
        print("locked", key)


class Worker:
    def __init__(self, name, lock):
        self.name = name
        self.lock = lock


def append_rows(rows, out, lock):
    for row in rows:
        with lock:
            out.append(row)


def parallel_copy(batches):
    out = []
    lock = threading.Lock()
    threads = [threading.Thread(target=append_rows, args=(batch, out, lock)) for batch in batches]
    for thread in threads:
        thread.start()
    with lock:
        print("started", len(threads), "threads")
    for thread in threads:
        thread.join()
    return out


def pooled_copy(batches):
    out = []
    lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(append_rows, batch, out, lock) for batch in batches]
        with lock:
            print(len(futures), "tasks queued")
    for future in futures:
        future.result()
    return out


def staff(names):
    lock = threading.Lock()
    workers = [Worker(name, lock) for name in names]
    with lock:
        print("hired", len(workers))
    return workers


def closure_counter(events):
    counts = {}
    lock = threading.Lock()

    def count(event):
        with lock:
            counts[event] = counts.get(event, 0) + 1

    threads = [threading.Thread(target=count, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with lock:
        return dict(counts)


def lambda_guard(tasks):
    done = []
    lock = threading.Lock()
    threads = [threading.Thread(target=lambda task=task: (lock.acquire(), done.append(task), lock.release())) for task in tasks]
    with lock:
        for thread in threads:
            thread.start()
    for thread in threads:
        thread.join()
    return done


def handed_out_release(timeout):
    """The release is handed to a timer thread as a bound method."""
    gate = threading.Lock()
    gate.acquire()
    timer = threading.Timer(timeout, gate.release)
    timer.start()
    with gate:
        print("the timer released the gate")
    timer.join()


def collected_locks(shards):
    locks = []
    for shard in shards:
        lock = threading.Lock()
        locks.append(lock)
        with lock:
            print("shard", shard)
    return locks


def with_exit_stack(resources):
    lock = threading.Lock()
    with contextlib.ExitStack() as stack:
        stack.enter_context(lock)
        for resource in resources:
            print(resource)


@dataclass
class Table:
    rows: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Connection:
    def __init__(self, dsn):
        lock = threading.Lock()
        self._lock = lock
        self.dsn = dsn
        with lock:
            self.state = "open"

    def close(self):
        with self._lock:
            self.state = "closed"


def yielded_lock():
    """A generator that hands the caller the lock it holds."""
    lock = threading.Lock()
    with lock:
        yield lock


def default_arg_capture(items):
    """A nested function's default captures the lock: both share it."""
    lock = threading.Lock()

    def add(item, lock=lock):
        with lock:
            items.append(item)

    with lock:
        return add


def lock_in_tuple(name):
    lock = threading.Lock()
    with lock:
        pair = (name, lock)
    return pair
