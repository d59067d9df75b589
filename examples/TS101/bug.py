"""TS101: a lock acquired without a guaranteed release.

The bug: ``worker()`` calls ``lock.acquire()``, does some work, then calls
``lock.release()`` on a later line. When the work raises, the release line never
runs and the lock stays held for ever, by a thread that no longer exists. Every
other thread that needs the lock now blocks (here: times out).

What to look for: ``lock.acquire()`` whose ``lock.release()`` is not in the
``finally:`` of a ``try`` that starts right after it. The fix is ``with lock:``
(see fix.py).

Run it: prints one line starting with "BUG:" and exits 1.
"""

import sys
import threading

lock = threading.Lock()
saved = []
errors = []


def save(record):
    """Stand-in for real work that can fail."""
    if not record.strip():
        raise ValueError(f"refusing to save an empty record: {record!r}")
    saved.append(record)


def worker(record):
    lock.acquire()
    save(record)  # raises for a blank record ...
    lock.release()  # ... so this line never runs: the lock is never released


def thread_main(record):
    # The top of the thread: the error is caught and recorded, and the thread ends
    # normally. (Letting the thread die with the error leaks the lock just the same.)
    try:
        worker(record)
    except ValueError as exc:
        errors.append(exc)


def main():
    thread = threading.Thread(target=thread_main, args=("   ",))
    thread.start()
    thread.join()

    # The worker thread is gone. Can anyone take the lock now?
    if lock.acquire(timeout=1):
        try:
            print(f"OK: the lock was released after worker() raised {errors[0]!r}")
        finally:
            lock.release()
        return 0
    print(
        f"BUG: the lock is still held after worker() raised {errors[0]!r}: "
        "lock.acquire(timeout=1) returned False"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
