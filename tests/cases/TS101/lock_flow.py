"""Lock handling judged along the control flow: shapes from released libraries."""
import collections
import logging
import threading
import time

LOG = logging.getLogger(__name__)


class TimedCache:
    """Correct: the acquire's result decides, and every path that holds the lock releases it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._data = {}
        self._hits = 0
        self._waiters = collections.deque()
        self._cond = threading.Condition()

    def get(self, key, timeout):
        ok = self._lock.acquire(timeout=timeout)
        if not ok:
            raise TimeoutError("cache busy")
        try:
            return self._data[key]
        finally:
            self._lock.release()

    def count_hit(self, waiter):
        # Nothing here can realistically raise between the acquire and the release.
        self._lock.acquire()
        self._hits += 1
        self._waiters.append(waiter)
        self._lock.release()

    def interruptible(self, key):
        try:
            self._lock.acquire()
        except KeyboardInterrupt:
            return None
        try:
            return self._data.get(key)
        finally:
            self._lock.release()

    def acquire_either_way(self, key, blocking):
        if blocking:
            self._lock.acquire()
        elif not self._lock.acquire(False):
            return None
        try:
            return self._data.pop(key)
        finally:
            self._lock.release()

    def poll_until_ready(self):
        while True:
            self._lock.acquire()
            if self._hits > 10:
                break
            self._lock.release()
            time.sleep(0.01)
        try:
            self._data.clear()
        finally:
            self._lock.release()


def run_guarded(job, lock=None):
    """Correct: the lock is optional, and the same test guards the release."""
    if lock:
        lock.acquire()
    try:
        job()
    finally:
        if lock:
            lock.release()


def wait_for_worker(work):
    """Correct: a lock used as a signal; the worker thread releases it."""
    done = threading.Lock()
    done.acquire()
    threading.Thread(target=done.release).start()
    work()
    done.acquire()


def private_lock(items):
    """Harmless for TS101: a lock nobody else can see, let alone wait for (and so one
    that protects nothing)."""
    lk = threading.Lock()
    lk.acquire()  # expect: TS103 'lk'
    items.sort()
    lk.release()


class Journal:
    def __init__(self):
        self._lock = threading.RLock()
        self._entries = []
        self._a, self._b = threading.Lock(), threading.Lock()
        self._locks = collections.defaultdict(threading.Lock)

    def read_acquire(self):
        """Take the lock for the caller."""
        self._lock.acquire()
        self._entries.append("reader")

    def acquire_and_save(self, entry):
        self._lock.acquire()  # expect: TS101 'self._lock'
        self._entries.append(entry)
        self.save()  # can raise: the lock stays held
        self._lock.release()

    def save(self):
        LOG.info("saving %d entries", len(self._entries))
        with open(self.path, "a") as journal:  # OSError: disk full
            journal.writelines(self._entries)

    def per_key(self, key):
        self._locks[key].acquire()  # expect: TS101 'self._locks[key]'
        self.save()
        self._locks[key].release()

    def through_alias(self):
        guard = self._lock
        guard.acquire()  # expect: TS101 'guard'
        self.save()
        guard.release()

    def unpacked(self):
        self._a.acquire()  # expect: TS101 'self._a'
        self.save()
        self._a.release()

    def generator(self):
        self._lock.acquire()  # expect: TS101 an exception raised at line
        for entry in self._entries:
            yield entry
        self._lock.release()


def numbered(lock1, job):
    lock1.acquire()  # expect: TS101 'lock1'
    job()
    lock1.release()


def by_use(latch, job):
    latch.acquire()  # expect: TS101 'latch'
    job()
    latch.release()


def flag_without_finally(lock, job):
    ok = lock.acquire(timeout=1)  # expect: TS101
    job()
    if ok:
        lock.release()


class MaintenancePool:
    """Correct: a flag set next to the acquire tells the finally whether to release."""

    def __init__(self):
        self._lock = threading.RLock()
        self._locked = False
        self._in_maintenance = False
        self._connections = []

    def reset(self, make):
        try:
            if self._in_maintenance:
                self._lock.acquire()
                self._locked = True
            self._connections = [make() for _ in range(4)]
        finally:
            if self._locked:
                self._lock.release()
                self._locked = False


def hold(lock):
    with lock:
        pass


class LockTest:
    def assertFalse(self, value):
        assert not value

    def test_blocks_others(self):
        """Correct enough: only a failing assertion leaves the lock held, and the test fails."""
        lock = threading.Lock()
        worker = threading.Thread(target=hold, args=(lock,))
        lock.acquire()
        self.assertFalse(lock.acquire(False))
        lock.release()
        worker.start()
        worker.join()

    def test_helper_can_raise(self):
        lock = threading.Lock()
        worker = threading.Thread(target=hold, args=(lock,))
        lock.acquire()  # expect: TS101 'lock'
        worker.start()
        self.prepare_fixture()
        lock.release()
        worker.join()

    def prepare_fixture(self):
        pass


class Permits:
    """A semaphore handing out permits in batches: acquire and release do not pair."""

    def __init__(self):
        self._slots = threading.Semaphore(0)

    def grant(self, count):
        self._slots.release(count)

    def use_one(self, job):
        self._slots.acquire()
        job()


class Turnstile:
    """Correct: the last thread in keeps one lock for the next round; another run of
    enter() releases it."""

    def __init__(self, parties):
        self.parties = parties
        self.waiting = 0
        self.entry = threading.Lock()
        self.exit = threading.Lock()
        self.exit.acquire()

    def enter(self):
        self.entry.acquire()
        self.waiting += 1
        if self.waiting == self.parties:
            self.exit.release()
            return
        self.entry.release()
        self.exit.acquire()
        self.waiting -= 1
        if self.waiting == 0:
            self.entry.release()
            return
        self.exit.release()


def start_and_count(count):
    """Correct: the worker waits on the gate; the lock is its signal."""
    gate = threading.Lock()
    gate.acquire()

    def worker():
        gate.acquire()
        gate.release()

    threading.Thread(target=worker).start()
    count()
    gate.release()


class SemaphoreTest:
    def test_no_more_permits(self, pytest, job):
        """Correct enough: the raise is expected and caught; only a failing test leaks."""
        sem = threading.Semaphore(1)
        threading.Thread(target=job, args=(sem,)).start()
        sem.acquire()
        with pytest.raises(RuntimeError):
            job(sem)
        sem.release()


class ReadWriteLock:
    """Correct: between the acquires and the releases only other locks are taken and
    released and counters change; a blocking acquire of a threading lock raises only on
    an asynchronous exception, like any statement."""

    def __init__(self):
        self._read_try = threading.Lock()
        self._resource = threading.Lock()
        self._count_lock = threading.Lock()
        self._readers = 0

    def _add_reader(self):
        with self._count_lock:
            self._readers += 1

    def acquire_read(self):
        self._read_try.acquire()
        self._add_reader()  # a helper of this file that cannot raise
        self._resource.acquire()
        self._read_try.release()
        self._resource.release()

    def acquire_read_and_log(self):
        self._read_try.acquire()  # expect: TS101 an exception raised at line 306
        self._resource.acquire()  # expect: TS101 an exception raised at line 306
        self._note("reader")  # a helper of this file that writes a file: it can raise
        self._read_try.release()
        self._resource.release()

    def _note(self, who):
        with open("readers.log", "a") as log:
            log.write(who)


def test_condition_rebound(waiter):
    """Correct: the first condition is left held on purpose, and replaced by a new one
    (building a primitive does not raise)."""
    cond = threading.Condition()
    cond.acquire()
    cond = threading.Condition()
    waiter(cond)


def test_bounded_semaphore(locks, asyncio):
    """Correct: the second acquire, inside a call, waits for the release below."""
    sem = locks.BoundedSemaphore()
    sem.acquire()
    future = asyncio.ensure_future(sem.acquire())
    sem.release()
    assert future.done()


def rebound_parameter(lock, make_lock, job):
    lock.acquire()  # expect: TS101 'lock'
    lock = make_lock()  # the caller's lock stays held
    job(lock)
    lock.release()
