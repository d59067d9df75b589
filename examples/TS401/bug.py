"""TS401: a thread's target called instead of passed.

The bug: ``threading.Thread(target=work())`` has parentheses after ``work``.
Python evaluates the arguments before it builds the Thread, so ``work()`` runs
right there, in the calling thread, and has finished before the Thread object
even exists. Its return value, None, becomes the target: the new thread starts,
has nothing to run and ends at once. No error is raised anywhere; the work just
never runs concurrently (and blocks the caller for as long as it takes).

What to look for: ``target=f()``, ``Timer(t, f())``, ``executor.submit(f())``
and the like, where ``f`` returns nothing callable. Pass the function itself,
``target=f`` (see fix.py).

Run it: prints one line starting with "BUG:" and exits 1.
"""

import sys
import threading

ran_in = []  # the thread identity of every run of work(), recorded to prove where it ran


def work():
    """Stand-in for slow work that should run in the background."""
    ran_in.append(threading.get_ident())


def main():
    main_thread = threading.get_ident()
    thread = threading.Thread(target=work())  # work() runs here; the target is None
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
