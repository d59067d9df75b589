"""Check-then-get in other kinds of concurrent code: run() of a Thread subclass with
several objects, timers started in a loop, a check an ``if`` further out, and queues
reached through a local alias, on one object shared by several threads."""
import queue
import threading

downloads = queue.Queue()
paused = threading.Event()


class Downloader(threading.Thread):
    def __init__(self, name):
        super().__init__(name=name, daemon=True)

    def run(self):
        if not downloads.empty():
            if not paused.is_set():
                url = downloads.get()  # expect: TS202 'downloads.get()' after checking 'not downloads.empty()'
                print(self.name, "downloading", url)


def start_downloaders(count):
    downloaders = [Downloader(f"dl-{n}") for n in range(count)]
    for downloader in downloaders:
        downloader.start()
    return downloaders


expired = queue.Queue()


def sweep():
    jobs = expired  # another name for the module's queue
    while jobs.qsize():
        print("expiring", jobs.get())  # expect: TS202 'jobs.get()' after checking 'jobs.qsize()'


def schedule_sweeps(delays):
    timers = [threading.Timer(delay, sweep) for delay in delays]
    for timer in timers:
        timer.start()
    return timers


class RequestRouter:
    def __init__(self):
        self.inbound = queue.Queue()
        self.routes = {}

    def route_one(self):
        inbound = self.inbound
        if not inbound.empty():
            request = inbound.get()  # expect: TS202 'inbound.get()'
            print("routing", request)


def serve(workers):
    router = RequestRouter()
    threads = [threading.Thread(target=router.route_one) for _ in range(workers)]
    for thread in threads:
        thread.start()
    return router, threads
