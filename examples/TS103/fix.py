"""TS103 fixed: one lock, created once and shared by every call.

Same program as bug.py, but the ``Wallet`` builds its lock once, in
``__init__``, as ``self._lock``, and ``deposit()`` takes that lock. Every
deposit on the wallet now uses the same lock, so only one of them at a time can
be between reading ``self.balance`` and storing the new value: no update is lost.

The deposits now take turns, so ``write_audit_log()`` never sees all of them
waiting together; it gives up waiting for the others after a second (once: the
barrier stays broken), which is why this run takes about a second. That is the
price of holding a lock during slow I/O. In real code, do the I/O first and hold
the lock only for the update.

Run it: prints one line starting with "OK:" and exits 0.
"""

import sys
import threading

N_DEPOSITS = 4
AMOUNT = 10

# The slow "I/O" of every deposit completes together, once all of them are waiting.
in_flight = threading.Barrier(N_DEPOSITS, timeout=1)


def write_audit_log(account, amount):
    """Stand-in for slow I/O, e.g. sending the deposit to an audit service.

    The answer comes once every deposit is waiting for its own answer. If they
    cannot all be waiting at once (the shared lock lets only one in at a time),
    the barrier gives up after a second and the answer comes anyway.
    """
    try:
        in_flight.wait()
    except threading.BrokenBarrierError:
        pass


class Wallet:
    def __init__(self, account):
        self.account = account
        self.balance = 0
        self._lock = threading.Lock()  # one lock for the wallet, shared by every call

    def deposit(self, amount):
        with self._lock:  # excludes every other deposit on this wallet
            balance = self.balance
            write_audit_log(self.account, amount)
            self.balance = balance + amount


def main():
    wallet = Wallet("alice")
    threads = [
        threading.Thread(target=wallet.deposit, args=(AMOUNT,), daemon=True)
        for _ in range(N_DEPOSITS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    expected = N_DEPOSITS * AMOUNT
    if wallet.balance != expected:
        print(
            f"BUG: {N_DEPOSITS} deposits of {AMOUNT} 'under a lock', balance is "
            f"{wallet.balance}, not {expected}: each call took its own new lock"
        )
        return 1
    print(f"OK: {N_DEPOSITS} deposits of {AMOUNT}, balance is {wallet.balance}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
