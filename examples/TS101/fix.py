"""TS101 fixed: ``with lock:`` releases the lock however the block ends.

Same program as bug.py, but ``worker()`` takes the lock with ``with lock:``. When
the work raises, the ``with`` statement releases the lock on the way out, so the
main program can take it again afterwards. (An explicit ``lock.acquire()``
followed directly by ``try: ... finally: lock.release()`` is also correct.)

Run it: prints one line starting with "OK:" and exits 0.
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
    with lock:  # released when the block ends, even by an exception
        save(record)


def thread_main(record):
    # The top of the thread: the error is caught and recorded, and the thread ends.
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
