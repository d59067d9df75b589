"""TS201: shared state changed by a thread target without a lock.

The bug: several threads run ``worker()``, which does ``counter += next_increment()``
on a module global with no lock. ``+=`` is not one step: Python reads ``counter``,
then calls ``next_increment()`` (slow I/O), then adds and stores the result. If
other threads read ``counter`` while one is waiting for its I/O, they all start
from the same old value and each overwrites the others' work: updates are lost.

Here ``next_increment()`` answers only once every worker is waiting for it, so
all of them have read ``counter == 0`` before any of them stores: each stores
``0 + 1``, on every run.

What to look for: a function run as a thread target that updates shared state
(a ``global``, a module-level object, an attribute of a shared object) with a
read-modify-write such as ``+=`` and no ``with lock:`` around it.

Run it: prints one line starting with "BUG:" and exits 1.
"""

import sys
import threading

N_WORKERS = 4
counter = 0

# The slow "I/O" of every worker completes together, once all of them are waiting.
in_flight = threading.Barrier(N_WORKERS, timeout=1)


def next_increment():
    """Stand-in for slow I/O, e.g. asking a server how much to add.

    The answer comes once every worker is waiting for its own answer. If they
    cannot all be waiting at once (a lock lets only one in at a time, as in
    fix.py), the barrier gives up after a second and the answer comes anyway.
    """
    try:
        in_flight.wait()
    except threading.BrokenBarrierError:
        pass
    return 1


def worker():
    global counter
    counter += next_increment()  # reads counter, waits for the I/O, then stores


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
