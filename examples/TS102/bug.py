"""TS102: a non-reentrant ``threading.Lock`` taken again by the thread holding it.

The bug: ``flush()`` holds ``self._lock`` and calls ``_write()``, which calls
``_append()``, which does ``with self._lock:`` again. A ``threading.Lock`` does
not know which thread holds it, so the second acquire waits for the lock to be
released - by the very thread that is waiting. The thread hangs for ever
(a self-deadlock), and so does anyone who needs the lock after it.

What to look for: a method that holds ``self._lock`` (a ``Lock``, not an
``RLock``) and calls, directly or through other methods, a method that takes
``self._lock`` again.

Run it: prints one line starting with "BUG:" and exits 1 after about 2 seconds.
"""

import sys
import threading


class Journal:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending = ["started", "stopped"]
        self._lines = []

    def flush(self):
        with self._lock:  # first acquire
            for entry in self._pending:
                self._write(entry)
            self._pending.clear()

    def _write(self, entry):
        self._append(f"{entry}\n")

    def _append(self, line):
        with self._lock:  # second acquire by the same thread: waits for itself
            self._lines.append(line)


def main():
    journal = Journal()
    # A daemon thread, so that the process can still exit if it deadlocks.
    worker = threading.Thread(target=journal.flush, daemon=True)
    worker.start()
    worker.join(timeout=2)  # the timeout only detects the hang
    if worker.is_alive():
        print(
            "BUG: worker deadlocked: flush() holds self._lock and "
            "_write() -> _append() takes it again"
        )
        return 1
    print(f"OK: flush() finished and wrote {len(journal._lines)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
