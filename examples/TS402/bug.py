"""TS402: thread arguments that do not match the target.

The bug: ``threading.Thread(target=greet, args=("world"))``. Parentheses alone
do not make a tuple, the comma does: ``("world")`` is just the string
``"world"``. The thread calls ``greet(*args)``, which unpacks the string into
its five characters, so ``greet()``, which takes one argument, is called with
five and raises TypeError. That happens in the new thread: the caller is not
told, the thread dies, and ``threading.excepthook`` prints the traceback on
stderr while the program carries on as if the greeting had been sent.

What to look for: ``args=(x)`` with a single value and no trailing comma, a
string passed as ``args=``, and ``args=`` (or the arguments of
``executor.submit(f, ...)``) whose count the target's signature cannot accept.
Write a one-element tuple as ``(x,)`` (see fix.py).

Run it: prints one line starting with "BUG:" and exits 1.
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
        thread = threading.Thread(target=greet, args=("world"))  # a string, not a tuple
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
