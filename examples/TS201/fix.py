"""TS201 fixed: the read-modify-write of the shared counter holds a lock.

Same program as bug.py, but ``worker()`` does ``counter += next_increment()``
inside ``with lock:``. Only one thread at a time can be between reading
``counter`` and storing the new value, so no update is lost.

The workers now take turns, so ``next_increment()`` never sees all of them
waiting together; it gives up waiting for the others after a second (once: the
barrier stays broken), which is why this run takes about a second. That is the
price of holding a lock during slow I/O. In real code, do the I/O first and
hold the lock only for the update::

    increment = next_increment()
    with lock:
        counter += increment

Run it: prints one line starting with "OK:" and exits 0.
"""

import sys
import threading

N_WORKERS = 4
counter = 0
lock = threading.Lock()

# The slow "I/O" of every worker completes together, once all of them are waiting.
in_flight = threading.Barrier(N_WORKERS, timeout=1)


def next_increment():
    """Stand-in for slow I/O, e.g. asking a server how much to add.

    The answer comes once every worker is waiting for its own answer. If they
    cannot all be waiting at once (the lock lets only one in at a time), the
    barrier gives up after a second and the answer comes anyway.
    """
    try:
        in_flight.wait()
    except threading.BrokenBarrierError:
        pass
    return 1


def worker():
    global counter
    with lock:  # read, I/O and store happen with no other worker in between
        counter += next_increment()


def main():
    threads = [threading.Thread(target=worker) for _ in range(N_WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if counter != N_WORKERS:
        print(f"BUG: expected {N_WORKERS} increments, counter is {counter}")
        return 1
    print(f"OK: expected {N_WORKERS} increments, counter is {counter}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
