"""TS102 fixed: a reentrant lock (``threading.RLock``).

Same program as bug.py, but ``self._lock`` is a ``threading.RLock``. An RLock
remembers which thread holds it and how many times, so ``_append()`` can take it
again while ``flush()`` holds it; it is free once both ``with`` blocks have ended.

The other fix is to restructure: take the lock only in the public method and let
private helpers such as ``_append()`` expect the caller to hold it already.

Run it: prints one line starting with "OK:" and exits 0.
"""

import sys
import threading


class Journal:
    def __init__(self):
        self._lock = threading.RLock()  # reentrant: the holder may take it again
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
        with self._lock:  # same thread again: an RLock just counts one more level
            self._lines.append(line)


def main():
    journal = Journal()
    # A daemon thread, so that the process could still exit if it deadlocked.
    worker = threading.Thread(target=journal.flush, daemon=True)
    worker.start()
    worker.join(timeout=2)  # the timeout only detects a hang
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
