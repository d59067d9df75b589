"""Correct: locks that only share names (the same attribute names in two classes are
four different locks), a blocking acquire with a timeout, which gives up, and one code
path whose order depends on its arguments (not two known locks)."""
import threading


class MetadataReader:
    def __init__(self):
        self._meta_lock = threading.Lock()
        self._data_lock = threading.Lock()
        self.meta = {}
        self.data = b""

    def read(self):
        with self._meta_lock:
            with self._data_lock:
                return dict(self.meta), self.data


class SegmentWriter:
    def __init__(self):
        self._meta_lock = threading.Lock()
        self._data_lock = threading.Lock()
        self.meta = {}
        self.chunks = []

    def append(self, chunk):
        with self._data_lock:
            self.chunks.append(chunk)
            with self._meta_lock:
                self.meta["chunks"] = len(self.chunks)


feed_lock = threading.Lock()
subscribers_lock = threading.Lock()
feed = []
subscribers = []


def publish(item):
    with feed_lock:
        feed.append(item)
        with subscribers_lock:
            return list(subscribers)


def unsubscribe(callback):
    with subscribers_lock:
        if callback in subscribers:
            subscribers.remove(callback)
        if feed_lock.acquire(blocking=True, timeout=2.0):
            try:
                feed.append(("left", callback))
            finally:
                feed_lock.release()


class Shard:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.keys = set()


def move_key(key, source, target):
    # One path: which lock comes first depends on the caller's arguments.
    with source.lock:
        with target.lock:
            source.keys.discard(key)
            target.keys.add(key)


def rebalance(shards):
    threads = [
        threading.Thread(target=move_key, args=(key, shard, shards[0]))
        for shard in shards[1:]
        for key in sorted(shard.keys)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
