"""TS302: the future returned by ``Executor.submit()`` thrown away.

The bug: ``ex.submit(process, item)`` is written as a statement on its own, in a
loop. Each call returns a Future; an exception raised by the worker is stored in
that Future and only raised again by ``future.result()``. Nobody keeps the
futures, so the error disappears: the program carries on as if every item had
been processed, even inside a ``try``/``except`` for that error.

What to look for: ``<executor>.submit(...)`` as a bare expression statement.
Keep the futures and call ``.result()`` on each (see fix.py), or use
``as_completed()`` / ``wait()`` and check them.

Run it: prints one line starting with "BUG:" and exits 1.
"""

import sys
from concurrent.futures import ThreadPoolExecutor

ITEMS = [1, 2, 3, 4, 5]
failed = []  # items whose process() raised, recorded to prove it happened


def process(item):
    if item == 3:
        failed.append(item)
        raise ValueError(f"cannot process item {item}")
    return item * item


def main():
    try:
        with ThreadPoolExecutor(max_workers=2) as ex:
            for item in ITEMS:
                ex.submit(process, item)  # the Future (and its ValueError) is dropped
    except ValueError as exc:
        print(f"OK: the worker's error reached the caller: {exc!r}")
        return 0
    # We get here as if everything went well.
    print(
        f"BUG: process({failed[0]}) raised ValueError in a worker, "
        "but no exception reached the caller: the futures were never checked"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
