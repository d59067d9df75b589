"""TS303 fixed: the workers mark every item they take as done.

Same program as bug.py, but ``worker()`` calls ``jobs.task_done()`` once for
every ``jobs.get()``, the stop signals included, in a ``finally`` so that an
item whose work fails is still counted. When the last item is marked done,
``jobs.join()`` in ``resize_all()`` returns.

Run it: prints one line starting with "OK:" and exits 0.
"""

import queue
import sys
import threading

N_WORKERS = 2
IMAGES = ["a.png", "b.png", "c.png", "d.png", "e.png"]

jobs = queue.Queue()
resized = []


def resize(image):
    """Stand-in for the real work."""
    return image.replace(".png", "-small.png")


def worker():
    while True:
        image = jobs.get()
        try:
            if image is None:  # no more images
                return
            resized.append(resize(image))
        finally:
            jobs.task_done()  # one task_done() for every get()


def resize_all(images):
    for image in images:
        jobs.put(image)
    for _ in range(N_WORKERS):
        jobs.put(None)  # one stop signal per worker
    jobs.join()  # waits until every item put is marked done


def main():
    # Daemon threads, so that the process could still exit if one hung.
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(N_WORKERS)]
    for thread in workers:
        thread.start()
    batch = threading.Thread(target=resize_all, args=(IMAGES,), daemon=True)
    batch.start()
    for thread in workers:
        thread.join(timeout=2)
    batch.join(timeout=2)  # the timeout only detects a hang
    if batch.is_alive():
        state = "finished" if not any(t.is_alive() for t in workers) else "are still running"
        print(
            f"BUG: the workers {state} and {len(resized)}/{len(IMAGES)} images are resized, "
            "but jobs.join() is still waiting: nothing calls jobs.task_done()"
        )
        return 1
    print(f"OK: jobs.join() returned after all {len(resized)} images were resized")
    return 0


if __name__ == "__main__":
    sys.exit(main())
