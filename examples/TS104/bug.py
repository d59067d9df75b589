"""TS104: two locks taken in opposite orders (lock-order inversion).

The bug: ``place_order()`` holds ``self._orders_lock`` and then takes
``self._stock_lock``; ``restock()`` holds ``self._stock_lock`` and calls
``_serve_waiting_orders()``, which takes ``self._orders_lock``. Each path is
correct on its own. But when they run at the same time in two threads, each can
get its first lock and then wait for the second, which the other thread holds
and will never release: both threads hang for ever (a deadlock), and so does
every thread that needs either lock afterwards.

Here ``save_to_database()`` returns only once both threads are inside it,
holding their first lock: the interleaving that happens by chance in production
happens on every run.

What to look for: the same two locks nested in opposite orders on two code
paths (A then B here, B then A there), directly or through a call made while
holding the first lock, in code that runs in different threads.

Run it: prints one line starting with "BUG:" and exits 1 after about 3 seconds.
"""

import sys
import threading
import time

# The slow "I/O" of both threads completes together, once both are waiting.
in_flight = threading.Barrier(2, timeout=1)


def save_to_database(record):
    """Stand-in for slow I/O, e.g. writing the record to a database.

    The answer comes once both threads are waiting for their own answer. If
    they cannot both be waiting at once (one waits for a lock the other holds,
    as in fix.py), the barrier gives up after a second and the answer comes anyway.
    """
    try:
        in_flight.wait()
    except threading.BrokenBarrierError:
        pass


class Warehouse:
    def __init__(self):
        self._orders_lock = threading.Lock()  # guards self._waiting
        self._stock_lock = threading.Lock()  # guards self._stock
        self._waiting = []  # orders that could not be served yet: (item, count)
        self._stock = {}
        self.shipped = []

    def place_order(self, item, count):
        with self._orders_lock:  # path 1: orders, then stock
            save_to_database(f"order {item} x{count}")
            with self._stock_lock:
                if self._stock.get(item, 0) >= count:
                    self._stock[item] -= count
                    self.shipped.append((item, count))
                else:
                    self._waiting.append((item, count))

    def restock(self, item, count):
        with self._stock_lock:  # path 2: stock, then orders (in the call below)
            self._stock[item] = self._stock.get(item, 0) + count
            save_to_database(f"restock {item} +{count}")
            self._serve_waiting_orders()

    def _serve_waiting_orders(self):
        with self._orders_lock:
            still_waiting = []
            for item, count in self._waiting:
                if self._stock.get(item, 0) >= count:
                    self._stock[item] -= count
                    self.shipped.append((item, count))
                else:
                    still_waiting.append((item, count))
            self._waiting = still_waiting


def main():
    warehouse = Warehouse()
    # Daemon threads, so that the process can still exit if they deadlock.
    threads = [
        threading.Thread(target=warehouse.place_order, args=("widget", 3), daemon=True),
        threading.Thread(target=warehouse.restock, args=("widget", 5), daemon=True),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 3  # the timeout only detects the hang
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        print(
            "BUG: place_order() and restock() deadlocked: one holds _orders_lock and "
            "waits for _stock_lock, the other holds _stock_lock and waits for _orders_lock"
        )
        return 1
    print(f"OK: both threads finished, shipped {warehouse.shipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
