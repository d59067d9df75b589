"""TS302 fixed: the futures returned by ``Executor.submit()`` are kept and checked.

Same program as bug.py, but every Future is kept in a list and ``.result()`` is
called on each. ``result()`` of the item whose ``process()`` raised raises that
ValueError again in the caller, where the ``except`` handles it.

Run it: prints one line starting with "OK:" and exits 0.
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
    total = 0
    try:
        with ThreadPoolExecutor(max_workers=2) as ex:
            futures = [ex.submit(process, item) for item in ITEMS]
            for future in futures:
                total += future.result()  # a worker's error is raised here
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
