"""Two locks taken in opposite orders by two code paths that can run at once: nested
directly, in one ``with`` of two items, with explicit acquire()/release(), and through
calls of the file's functions made while holding the first lock."""
import threading
from threading import Condition, RLock


class Warehouse:
    def __init__(self):
        self._orders_lock = threading.Lock()
        self._stock_lock = threading.Lock()
        self._waiting = []
        self._stock = {}

    def place_order(self, item, count):
        with self._orders_lock:
            with self._stock_lock:
                if self._stock.get(item, 0) >= count:
                    self._stock[item] -= count
                else:
                    self._waiting.append((item, count))

    def restock(self, item, count):
        with self._stock_lock:
            self._stock[item] = self._stock.get(item, 0) + count
            self._serve_waiting_orders()  # expect: TS104 'self._orders_lock' is taken via

    def _serve_waiting_orders(self):
        with self._orders_lock:
            for item, count in list(self._waiting):
                if self._stock.get(item, 0) >= count:
                    self._stock[item] -= count
                    self._waiting.remove((item, count))


class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0
        self.history = []
        self._balance_lock = threading.Lock()
        self._history_lock = threading.Lock()

    def deposit(self, amount):
        with self._balance_lock:
            self.balance += amount
            with self._history_lock:
                self.history.append(("deposit", amount))

    def statement(self):
        with self._history_lock:
            entries = list(self.history)
            with self._balance_lock:  # expect: TS104 'self._balance_lock' is taken while 'self._history_lock' is held, but line 47 takes 'self._history_lock' while 'self._balance_lock' is held
                return entries, self.balance


# Module-level locks, taken by two thread targets.
routes_lock = threading.Lock()
peers_lock = threading.Lock()
routes = {}
peers = set()


def _announce_routes(prefixes):
    with routes_lock, peers_lock:
        for prefix in prefixes:
            routes[prefix] = sorted(peers)


def _drop_peer(peer):
    with peers_lock, routes_lock:  # expect: TS104 'routes_lock' is taken while 'peers_lock' is held
        peers.discard(peer)
        for prefix, via in list(routes.items()):
            routes[prefix] = [p for p in via if p != peer]


def start_router(prefixes, dead_peers):
    threads = [threading.Thread(target=_announce_routes, args=(prefixes,))]
    threads += [threading.Thread(target=_drop_peer, args=(peer,)) for peer in dead_peers]
    for thread in threads:
        thread.start()
    return threads


class SessionStore:
    """acquire()/release() in try/finally, RLocks: two different reentrant locks still
    deadlock when taken in opposite orders."""

    def __init__(self):
        self._sessions_lock = RLock()
        self._index_lock = RLock()
        self._sessions = {}
        self._by_user = {}

    def add(self, sid, user):
        self._sessions_lock.acquire()
        try:
            self._sessions[sid] = user
            self._index_lock.acquire()
            try:
                self._by_user.setdefault(user, set()).add(sid)
            finally:
                self._index_lock.release()
        finally:
            self._sessions_lock.release()

    def expire_user(self, user):
        self._index_lock.acquire()
        try:
            sids = self._by_user.pop(user, set())
            self._forget(sids)  # expect: TS104 via
        finally:
            self._index_lock.release()

    def _forget(self, sids):
        for sid in sids:
            self._drop(sid)

    def _drop(self, sid):
        # Blocking, even if said out loud.
        self._sessions_lock.acquire(True)
        try:
            self._sessions.pop(sid, None)
        finally:
            self._sessions_lock.release()


class JobBoard:
    """A condition is a lock too."""

    def __init__(self):
        self._changed = Condition()
        self._audit_lock = threading.Lock()
        self._jobs = []
        self._audit = []

    def post(self, job):
        with self._changed:
            self._jobs.append(job)
            self._record("posted", job)
            self._changed.notify_all()

    def _record(self, what, job):
        with self._audit_lock:
            self._audit.append((what, job))

    def audit_report(self):
        with self._audit_lock:
            lines = list(self._audit)
            with self._changed:  # expect: TS104 'self._changed' is taken while 'self._audit_lock' is held
                lines.append(("pending", len(self._jobs)))
            return lines
