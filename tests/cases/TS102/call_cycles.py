"""Call cycles and mutual recursion: the summaries must end, and still find the lock."""
import threading

lock = threading.Lock()
results = []


def ping(n):
    if n:
        pong(n - 1)


def pong(n):
    if n:
        ping(n - 1)


def start():
    with lock:
        ping(3)  # the cycle takes no lock


def is_even(n):
    with lock:
        results.append(n)
    return n == 0 or is_odd(n - 1)


def is_odd(n):
    return n != 0 and is_even(n - 1)


def check(n):
    with lock:
        return is_odd(n)  # expect: TS102 via is_odd() -> is_even()


def check_after(n):
    with lock:
        results.clear()
    return is_odd(n)  # the lock is released


class Parser:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = []

    def parse(self, text):
        with self._lock:
            return self._expression(text)  # expect: TS102

    def _expression(self, text):
        term = self._term(text)
        if text.startswith("+"):
            return term + self._expression(text[1:])
        return term

    def _term(self, text):
        if text.startswith("("):
            return self._expression(text[1:])
        return self._token(text)

    def _token(self, text):
        with self._lock:
            self._tokens.append(text[:1])
        return text[:1]

    def tokens(self):
        with self._lock:
            return self._peek()

    def _peek(self):
        return self._rest() if self._tokens else None

    def _rest(self):
        return self._peek()  # a cycle without any lock
