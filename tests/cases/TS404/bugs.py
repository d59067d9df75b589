"""One thread object started more than once."""
import threading


def work(n):
    print("working", n)


def start_workers(count):
    worker = threading.Thread(target=work, args=(0,))
    for _ in range(count):
        worker.start()  # expect: TS404 'worker.start()' runs in a loop, but 'worker' is created once, before it
    worker.join()


def restart_on_failure(check):
    monitor = threading.Thread(target=work, args=(1,), daemon=True)
    monitor.start()
    if not check():
        print("monitor failed, restarting")
        monitor.start()  # expect: TS404 'monitor' may already have been started at line 18


class Poller:
    def __init__(self):
        self._thread = threading.Thread(target=work, args=(2,))

    def start(self):
        self._thread.start()
        print("started")
        self._thread.start()  # expect: TS404 at line 29


def retry(attempts):
    timer = threading.Timer(1.0, work, args=(3,))
    while attempts:
        try:
            timer.start()  # expect: TS404 runs in a loop
        except RuntimeError:
            break
        attempts -= 1
