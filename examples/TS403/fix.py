"""TS403 fixed: the thread is started with ``start()``, not run with ``run()``.

Same program as bug.py, but the Thread is started with ``thread.start()``,
which creates the new thread and calls ``run()`` in it, and the main thread
waits for it with ``thread.join()``. ``work()`` runs in the new thread.

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
    thread = threading.Thread(target=work)
    thread.start()  # a new thread calls run(), which calls work()
    thread.join()
    if ran_in == [main_thread]:
        print(
            "BUG: work() ran in the main thread: thread.run() called it directly, "
            f"and the thread was never started (thread.ident is {thread.ident})"
        )
        return 1
    print("OK: work() ran in the new thread, not in the main thread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
