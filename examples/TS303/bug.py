"""TS303: ``Queue.join()`` on a queue whose items are never marked done.

The bug: ``resize_all()`` puts the images on the ``jobs`` queue and waits for
them with ``jobs.join()``. ``join()`` does not wait until the queue is empty: it
waits until every item ever put has been marked done with ``jobs.task_done()``.
The workers ``get()`` every image and resize it, but nothing in the program
calls ``task_done()``, so the count of unfinished items never goes down and
``join()`` never returns, long after all the work is finished.

What to look for: ``q.join()`` on a ``queue.Queue`` when no code calls
``q.task_done()`` on the same queue (once per ``get()``, see fix.py).

Run it: prints one line starting with "BUG:" and exits 1 after about 2 seconds.
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
        if image is None:  # no more images
            return
        resized.append(resize(image))


def resize_all(images):
    for image in images:
        jobs.put(image)
    for _ in range(N_WORKERS):
        jobs.put(None)  # one stop signal per worker
    jobs.join()  # waits until every item put is marked done


def main():
    # Daemon threads, so that the process can still exit if one hangs.
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(N_WORKERS)]
    for thread in workers:
        thread.start()
    batch = threading.Thread(target=resize_all, args=(IMAGES,), daemon=True)
    batch.start()
    for thread in workers:
        thread.join(timeout=2)
    batch.join(timeout=2)  # the timeout only detects the hang
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
