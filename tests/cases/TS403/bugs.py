"""run() called where start() was meant."""
import threading
from threading import Thread, Timer


class Heartbeat(threading.Thread):
    def __init__(self, interval):
        super().__init__(daemon=True)
        self.interval = interval

    def run(self):
        print("beat every", self.interval)


def serve(handler):
    print("serving", handler)


def start_services(handler):
    server = Thread(target=serve, args=(handler,), daemon=True)
    server.run()  # expect: TS403 'server.run()' runs the thread's target here, in the calling thread, and starts no thread; call 'server.start()'
    beat = Heartbeat(5)
    beat.run()  # expect: TS403 call 'beat.start()'
    Timer(10.0, serve, args=(handler,)).run()  # expect: TS403


class Service:
    def __init__(self, handler):
        self._thread = threading.Thread(target=serve, args=(handler,))

    def start(self):
        self._thread.run()  # expect: TS403 'self._thread.run()'
