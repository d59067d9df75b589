"""TS404 fixed: a new Thread object for each worker.

Same program as bug.py, but the Thread is created inside the loop, so every
``start()`` is the first and only start of its own object. All three workers
run, and the main thread joins each of them.

Run it: prints one line starting with "OK:" and exits 0.
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
    for _ in range(N_WORKERS):
        thread = threading.Thread(target=work)  # a new Thread object for each worker
        try:
            thread.start()
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
