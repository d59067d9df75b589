"""TS301: the result of ``Executor.map()`` thrown away.

The bug: ``ex.map(process, ITEMS)`` is written as a statement on its own, to
"run process() on every item". The work does run, but an exception raised in a
worker is stored in the result and only raised again when that result is read.
Nobody reads the results, so the error disappears: the program carries on as if
every item had been processed, even inside a ``try``/``except`` for that error.

What to look for: ``<executor>.map(...)`` as a bare expression statement. Iterate
over its results (``for result in ex.map(...)``) or wrap it in ``list()`` so
that worker errors reach the caller (see fix.py).

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
            ex.map(process, ITEMS)  # results (and the ValueError) are dropped
    except ValueError as exc:
        print(f"OK: the worker's error reached the caller: {exc!r}")
        return 0
    # We get here as if everything went well.
    print(
        f"BUG: process({failed[0]}) raised ValueError in a worker, "
        "but no exception reached the caller: ex.map()'s results were never read"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
