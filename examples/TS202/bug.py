"""TS202: check-then-act on a queue shared by several consumers.

The bug: every upload worker runs ``upload_pending()``, which does
``if not self.pending.empty():`` and then ``self.pending.get()``. The check and
the get are two steps: between them another worker can take the item that made
``empty()`` false. When two workers both see one file left, both call ``get()``:
one gets the file, the other blocks in ``get()`` for ever, waiting for an item
that never comes (a worker that never finishes, and a shutdown that hangs
joining it).

Here a barrier between the check and the ``get()`` lets both workers pass the
check before either takes the file: it forces, on every run, the interleaving
that happens by chance in production.

What to look for: ``q.empty()`` or ``q.qsize()`` checked before ``q.get()`` on a
``queue.Queue`` in code that several threads run as consumers. Use
``q.get_nowait()`` (or ``q.get(timeout=...)``) and catch ``queue.Empty``
(see fix.py).

Run it: prints one line starting with "BUG:" and exits 1 after about 2 seconds.
"""

import queue
import sys
import threading

N_WORKERS = 2

# Lets every worker pass the empty() check before any of them calls get().
checked = threading.Barrier(N_WORKERS, timeout=1)


def let_the_other_workers_catch_up():
    """Forces the interleaving that happens by chance in production."""
    try:
        checked.wait()
    except threading.BrokenBarrierError:
        pass


class Uploader:
    def __init__(self):
        self.pending = queue.Queue()  # files waiting to be uploaded
        self.sent = []

    def upload_pending(self):
        """Run by every upload worker: upload one waiting file, if there is one."""
        if not self.pending.empty():
            let_the_other_workers_catch_up()
            path = self.pending.get()  # blocks if another worker took the file
            self.sent.append(path)


def main():
    uploader = Uploader()
    uploader.pending.put("reports/2024-06.csv")  # one file left to upload
    # Daemon threads, so that the process can still exit if a worker hangs.
    workers = [
        threading.Thread(target=uploader.upload_pending, daemon=True)
        for _ in range(N_WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=2)  # the timeout only detects the hang
    stuck = sum(worker.is_alive() for worker in workers)
    if stuck:
        print(
            f"BUG: {N_WORKERS} workers saw pending.empty() == False for 1 file: one uploaded "
            f"it, {stuck} is blocked in pending.get() for ever"
        )
        return 1
    print(f"OK: the workers uploaded {uploader.sent} and all of them finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
