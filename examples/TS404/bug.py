"""TS404: a thread started twice.

The bug: the program wants three workers, but builds one ``threading.Thread``
before the loop and calls ``thread.start()`` on it in every iteration. A Thread
object stands for one run of one thread: it can be started once, and a second
``start()`` raises ``RuntimeError: threads can only be started once``, even
after the first run has finished. Here the first iteration starts the only
worker, the second raises, and the other two workers never run.

What to look for: ``t.start()`` twice on the same object, or ``t.start()`` in a
loop when ``t`` was created once before the loop. Create a new Thread for each
start (see fix.py).

Run it: prints one line starting with "BUG:" and exits 1.
"""

import sys
import threading

N_WORKERS = 3
ran_in = []  # the thread identity of every run of work(), recorded to count the workers


def work():
    """Stand-in for one worker's share of the work."""
    ran_in.append(threading.get_ident())


def main():
    started = []
    error = None
    thread = threading.Thread(target=work)  # one Thread object for all the workers
    for _ in range(N_WORKERS):
        try:
            thread.start()  # the second time round: RuntimeError
        except RuntimeError as exc:
            error = exc
            break
        started.append(thread)
    for worker in started:
        worker.join()

    if error is not None:
        print(
            f"BUG: starting worker {len(started) + 1} of {N_WORKERS} raised "
            f"RuntimeError: {error}; only {len(ran_in)} worker ran"
        )
        return 1
    print(f"OK: {len(ran_in)} of {N_WORKERS} workers were started and ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
