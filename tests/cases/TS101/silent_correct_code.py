"""Correct lock handling that TS101 must leave alone."""
import contextlib
import threading

lock = threading.Lock()
state = {}


def with_statement():
    with lock:
        state["x"] = 1


def acquire_then_try_finally():
    lock.acquire()
    try:
        state["x"] = 2
    finally:
        lock.release()


def harmless_statement_before_try():
    lock.acquire()
    value = None
    try:
        value = state.get("x")
    finally:
        lock.release()
    return value


def acquire_first_inside_try():
    try:
        lock.acquire()
        state["x"] = 3
    finally:
        lock.release()


def non_blocking_try_lock():
    if lock.acquire(blocking=False):
        try:
            state["x"] = 4
        finally:
            lock.release()
    else:
        return False
    return True


def timeout_or_give_up(timeout):
    if not lock.acquire(timeout=timeout):
        return False
    try:
        state["x"] = 5
    finally:
        lock.release()
    return True


def flag_and_finally(timeout):
    ok = lock.acquire(timeout=timeout)
    try:
        if ok:
            state["x"] = 6
    finally:
        if ok:
            lock.release()


def release_on_error_then_hand_over():
    lock.acquire()
    try:
        prepare()
    except BaseException:
        lock.release()
        raise
    return lock  # the caller releases it


def retry_loop():
    while True:
        if lock.acquire(timeout=0.1):
            break
    try:
        state["x"] = 7
    finally:
        lock.release()


@contextlib.contextmanager
def locked():
    lock.acquire()
    try:
        yield state
    finally:
        lock.release()


class Guarded:
    def __init__(self):
        self._lock = threading.Lock()

    def __enter__(self):
        self._lock.acquire()
        return self

    def __exit__(self, *exc_info):
        self._lock.release()

    def acquire(self, blocking=True, timeout=-1):
        got = self._lock.acquire(blocking, timeout)
        if got:
            self._owner = threading.get_ident()
        return got

    def release(self):
        self._lock.release()

    def hold(self):
        """Take the lock for the caller, who calls release()."""
        self._lock.acquire()


class ConnectionPool:
    """Not a lock: acquire() hands out a connection."""

    def __init__(self, size):
        self._free = list(range(size))

    def acquire(self):
        return self._free.pop()

    def release(self, conn):
        self._free.append(conn)


def use_pool(pool, db):
    conn = pool.acquire()
    db.query(conn)
    pool.release(conn)


def acquire_result_used_in_expression(sem):
    return sem.acquire(timeout=1) and prepare()


def prepare():
    pass


# Patterns from the standard library's own lock code.
def acquire_or_accept_deadlock(module_lock):
    try:
        module_lock.acquire()
    except RuntimeError:
        pass
    else:
        module_lock.release()


def _acquireLock():
    if lock:
        lock.acquire()


def is_owned():
    if lock.acquire(False):
        lock.release()
        return False
    return True


def wait_for_all(locks):
    for each_lock in locks:
        each_lock.acquire()
        each_lock.release()


def wait_and_reacquire(cond_lock, waiter, count):
    for _ in range(count):
        cond_lock.release()
    try:
        return waiter.acquire(True, 1.0)
    finally:
        for _ in range(count):
            cond_lock.acquire()


class Handoff:
    """A semaphore (or a lock known only by name) used as a signal between threads."""

    def __init__(self):
        self._ready = threading.Semaphore(0)

    def wait_until_ready(self):
        self._ready.acquire()
        self.log("ready")

    def wait_for_workers(self, done_mutex):
        done_mutex.acquire()
        self.log("all tasks done")

    def log(self, message):
        print(message)


def assert_lock_api(testcase):
    testcase.assertEqual(lock.acquire(), True)
    testcase.assertEqual(lock.acquire(False), False)
    lock.release()
