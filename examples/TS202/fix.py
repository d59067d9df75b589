"""TS202 fixed: take the item without blocking, and handle ``queue.Empty``.

Same program as bug.py, but ``upload_pending()`` does not ask the queue whether
it is empty first: it calls ``self.pending.get_nowait()``, which takes an item
or raises ``queue.Empty`` at once, in one step. A worker that comes second finds
the queue empty and returns instead of blocking. (``get(timeout=...)`` with
``except queue.Empty`` works too, for a worker that may wait a little.)

The barrier still lets both workers arrive together before taking the file, so
both really try to take the one file at the same time, as in bug.py.

Run it: prints one line starting with "OK:" and exits 0.
"""

import queue
import sys
import threading

N_WORKERS = 2

# Lets every worker arrive before any of them takes a file.
arrived = threading.Barrier(N_WORKERS, timeout=1)


def let_the_other_workers_catch_up():
    """Forces the interleaving that happens by chance in production."""
    try:
        arrived.wait()
    except threading.BrokenBarrierError:
        pass


class Uploader:
    def __init__(self):
        self.pending = queue.Queue()  # files waiting to be uploaded
        self.sent = []

    def upload_pending(self):
        """Run by every upload worker: upload one waiting file, if there is one."""
        let_the_other_workers_catch_up()
        try:
            path = self.pending.get_nowait()  # takes the file, or raises at once
        except queue.Empty:
            return  # another worker took it
        self.sent.append(path)


def main():
    uploader = Uploader()
    uploader.pending.put("reports/2024-06.csv")  # one file left to upload
    # Daemon threads, so that the process could still exit if a worker hung.
    workers = [
        threading.Thread(target=uploader.upload_pending, daemon=True)
        for _ in range(N_WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=2)  # the timeout only detects a hang
    stuck = sum(worker.is_alive() for worker in workers)
    if stuck:
        print(
            f"BUG: {N_WORKERS} workers saw pending.empty() == False for 1 file: one uploaded "
            f"it, {stuck} is blocked in pending.get() for ever"
        )
        return 1
    print(
        f"OK: {N_WORKERS} workers tried to take 1 file: one uploaded {uploader.sent[0]!r}, "
        "the other found the queue empty and returned"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
