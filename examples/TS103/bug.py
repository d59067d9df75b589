"""TS103: a lock that protects nothing.

The bug: ``Wallet.deposit()`` does ``lock = threading.Lock()`` and then
``with lock:`` around its read-modify-write of ``self.balance``. The lock is a
local variable: every call builds its own, takes it (it is always free) and
throws it away. No two calls ever share a lock, so nothing is excluded: several
threads depositing at once all read the same old balance, and each stores its
own result over the others'. The code looks locked and still loses updates.

Here ``write_audit_log()`` answers only once every depositor is waiting for it,
so all of them have read ``self.balance == 0`` before any of them stores: each
stores ``0 + 10``, on every run.

What to look for: ``with threading.Lock():``, ``threading.Lock().acquire()``, or
a lock created inside the function that uses it and never leaves it (not
returned, stored on ``self`` or in a container, passed on, or captured by a
closure or thread). The lock must be created once, where every caller can see
it (see fix.py).

Run it: prints one line starting with "BUG:" and exits 1.
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
    cannot all be waiting at once (a shared lock lets only one in at a time, as
    in fix.py), the barrier gives up after a second and the answer comes anyway.
    """
    try:
        in_flight.wait()
    except threading.BrokenBarrierError:
        pass


class Wallet:
    def __init__(self, account):
        self.account = account
        self.balance = 0

    def deposit(self, amount):
        lock = threading.Lock()  # a new lock on every call: no other call can hold it
        with lock:
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
