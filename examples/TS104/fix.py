"""TS104 fixed: every path takes the two locks in the same order.

Same program as bug.py, but ``restock()`` now takes ``self._orders_lock`` first
and ``self._stock_lock`` second, like ``place_order()``, and the helper
``_serve_waiting_orders_locked()`` takes no lock: its caller holds both. A thread
that holds ``_stock_lock`` therefore always holds ``_orders_lock`` already, so
no thread can hold one and wait for the other while the other thread does the
opposite: whoever gets ``_orders_lock`` first finishes, then the other one runs.

The two threads now take turns, so ``save_to_database()`` never sees both of
them waiting together; it gives up waiting after a second (once: the barrier
stays broken), which is why this run takes about a second.

Run it: prints one line starting with "OK:" and exits 0.
"""

import sys
import threading
import time

# The slow "I/O" of both threads completes together, once both are waiting.
in_flight = threading.Barrier(2, timeout=1)


def save_to_database(record):
    """Stand-in for slow I/O, e.g. writing the record to a database.

    The answer comes once both threads are waiting for their own answer. If
    they cannot both be waiting at once (one waits for a lock the other holds),
    the barrier gives up after a second and the answer comes anyway.
    """
    try:
        in_flight.wait()
    except threading.BrokenBarrierError:
        pass


class Warehouse:
    # Lock order: self._orders_lock, then self._stock_lock, everywhere.

    def __init__(self):
        self._orders_lock = threading.Lock()  # guards self._waiting
        self._stock_lock = threading.Lock()  # guards self._stock
        self._waiting = []  # orders that could not be served yet: (item, count)
        self._stock = {}
        self.shipped = []

    def place_order(self, item, count):
        with self._orders_lock:  # orders, then stock
            save_to_database(f"order {item} x{count}")
            with self._stock_lock:
                if self._stock.get(item, 0) >= count:
                    self._stock[item] -= count
                    self.shipped.append((item, count))
                else:
                    self._waiting.append((item, count))

    def restock(self, item, count):
        with self._orders_lock:  # the same order: orders, then stock
            with self._stock_lock:
                self._stock[item] = self._stock.get(item, 0) + count
                save_to_database(f"restock {item} +{count}")
                self._serve_waiting_orders_locked()

    def _serve_waiting_orders_locked(self):  # the caller holds both locks
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
    # Daemon threads, so that the process could still exit if they deadlocked.
    threads = [
        threading.Thread(target=warehouse.place_order, args=("widget", 3), daemon=True),
        threading.Thread(target=warehouse.restock, args=("widget", 5), daemon=True),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 3  # the timeout only detects a hang
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
