"""TS403: ``Thread.run()`` called instead of ``start()``.

The bug: the program builds ``threading.Thread(target=work)`` and then calls
``thread.run()``. ``run()`` is the method the new thread executes once it has
been started; called directly, it is an ordinary method call: ``work()`` runs
in the calling thread, which waits for it to finish, and no thread is ever
started (``thread.ident`` stays None). Nothing fails, the program just has no
concurrency. Worse, ``run()`` drops the target when it is done, so a later
``start()`` has nothing left to run.

What to look for: ``.run()`` on a ``threading.Thread``, a ``threading.Timer``
or an instance of a ``Thread`` subclass. Call ``start()`` to run it in a new
thread, and ``join()`` to wait for it (see fix.py).

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
    thread = threading.Thread(target=work)
    thread.run()  # calls work() right here, in the main thread
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
