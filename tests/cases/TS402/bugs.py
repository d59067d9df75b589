"""Thread arguments that cannot match the target."""
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor


def tail(path):
    print("tailing", path)


def copy(source, destination, *, overwrite=False):
    print(source, destination, overwrite)


class Uploader:
    def upload(self, item):
        print("uploading", item)

    def start(self, item):
        threading.Thread(target=self.upload, args=(item)).start()  # expect: TS402 args=(item) is 'item' itself, not a tuple of arguments; write a tuple: args=(item,)
        threading.Thread(target=self.upload, args=(item, 2)).start()  # expect: TS402 Uploader.upload() with 2 positional arguments, but it takes 1 positional argument but 2 were given


def start_tail(path, port):
    threading.Thread(target=tail, args=("/var/log/app.log")).start()  # expect: TS402 args=("/var/log/app.log") is a string
    threading.Thread(target=tail, args="/var/log/app.log").start()  # expect: TS402 is a string
    threading.Thread(target=print, args=(8080)).start()  # expect: TS402 args=(8080) is a number
    threading.Thread(target=tail, args=(path)).start()  # expect: TS402 write a tuple: args=(path,)
    threading.Timer(1.0, tail, args=(path, port)).start()  # expect: TS402 takes 1 positional argument but 2 were given
    threading.Thread(target=copy, args=(path,)).start()  # expect: TS402 needs 'destination', which is not given
    threading.Thread(target=copy, args=(path, port), kwargs={"force": True}).start()  # expect: TS402 has no parameter 'force'
    multiprocessing.Process(target=tail, args=()).start()  # expect: TS402 Process() calls tail() with 0 positional arguments


def fan_out(paths, ports):
    with ThreadPoolExecutor(4) as pool:
        done = pool.submit(tail, paths[0], ports[0])  # expect: TS402 submit() calls tail() with 2 positional arguments
        results = list(pool.map(copy, paths))  # expect: TS402 map() calls copy() with 1 positional argument
    return done, results
