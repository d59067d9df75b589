"""TS402 fixed: a one-element tuple for the thread's arguments.

Same program as bug.py, but the Thread gets ``args=("world",)``: the trailing
comma makes a tuple of one string, so the thread calls ``greet("world")``.
(A list, ``args=["world"]``, works too.)

Run it: prints one line starting with "OK:" and exits 0.
"""

import sys
import threading

greetings = []


def greet(name):
    greetings.append(f"hello, {name}")


def main():
    # Record what the thread dies of, instead of letting the default hook print it.
    errors = []
    original_hook = threading.excepthook

    def record_error(hook_args):
        errors.append(hook_args.exc_value)

    threading.excepthook = record_error
    try:
        thread = threading.Thread(target=greet, args=("world",))  # a tuple of one string
        thread.start()
        thread.join()
    finally:
        threading.excepthook = original_hook

    if errors:
        print(
            f"BUG: the thread died with {type(errors[0]).__name__}: {errors[0]} "
            "(args=(\"world\") is the string 'world', not a tuple)"
        )
        return 1
    print(f"OK: the thread ran greet() and stored {greetings[0]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
