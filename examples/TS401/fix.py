"""TS401 fixed: the thread's target is the function itself, not its result.

Same program as bug.py, but the Thread is built with ``target=work``, without
parentheses. The Thread keeps the function and calls it in the new thread once
``start()`` runs, so ``work()`` runs in another thread than the main thread.
(To pass arguments, use ``args=(...)`` or ``functools.partial(work, ...)``.)

Run it: prints one line starting with "OK:" and exits 0.
"""

import sys
import threading

ran_in = []  # the thread identity of every run of work(), recorded to prove where it ran


def work():
    """Stand-in for slow work that should run in the background."""
    ran_in.append(threading.get_ident())


def main():
    main_thread = threading.get_ident()
    thread = threading.Thread(target=work)  # the function itself: called in the new thread
    thread.start()
    thread.join()
    if ran_in == [main_thread]:
        print(
            "BUG: work() ran in the main thread, before the thread was started: "
            "target=work() passed its result (None) as the thread's target"
        )
        return 1
    print("OK: work() ran in the new thread, not in the main thread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
