"""The threading API, as tables: what the objects a file creates are (locks of which
kind, executors, thread-locals, threads) and the calls that start a thread.

Only the factory a value was built by tells the kind; names alone (``self._lock``)
make something lock-like of unknown kind, never non-reentrant.

Both stages read these tables: the facts (``facts/``) to classify what a file builds,
and the text stage (``prefilter/``) to derive the words a file must contain. Nothing
here imports libcst: the text stage runs on every file.
"""

from __future__ import annotations

import enum
import re


class LockKind(enum.Enum):
    LOCK = "Lock"  # non-reentrant: a second acquire by the holder blocks forever
    RLOCK = "RLock"
    CONDITION = "Condition"  # reentrant unless built on a non-reentrant lock
    SEMAPHORE = "Semaphore"
    UNKNOWN = "lock"  # lock-like by name or by a project's --threadsafe-extra-locks

    @property
    def reentrant(self) -> bool | None:
        """True/False when the kind says so; None when it cannot be known."""
        if self is LockKind.LOCK:
            return False
        if self in (LockKind.RLOCK, LockKind.CONDITION):
            return True
        return None


LOCK_FACTORIES: dict[str, LockKind] = {
    "threading.Lock": LockKind.LOCK,
    "threading._allocate_lock": LockKind.LOCK,
    "_thread.allocate_lock": LockKind.LOCK,
    "_thread.allocate": LockKind.LOCK,
    "_thread.LockType": LockKind.LOCK,
    "multiprocessing.Lock": LockKind.LOCK,
    "multiprocessing.synchronize.Lock": LockKind.LOCK,
    "threading.RLock": LockKind.RLOCK,
    "_thread.RLock": LockKind.RLOCK,
    "multiprocessing.RLock": LockKind.RLOCK,
    "multiprocessing.synchronize.RLock": LockKind.RLOCK,
    "threading.Condition": LockKind.CONDITION,
    "multiprocessing.Condition": LockKind.CONDITION,
    "multiprocessing.synchronize.Condition": LockKind.CONDITION,
    "threading.Semaphore": LockKind.SEMAPHORE,
    "threading.BoundedSemaphore": LockKind.SEMAPHORE,
    "multiprocessing.Semaphore": LockKind.SEMAPHORE,
    "multiprocessing.BoundedSemaphore": LockKind.SEMAPHORE,
    "multiprocessing.synchronize.Semaphore": LockKind.SEMAPHORE,
    "multiprocessing.synchronize.BoundedSemaphore": LockKind.SEMAPHORE,
}

# Factories whose objects are conditions (``wait()`` gives up the lock and waits for a
# notify): their kind above says how reentrant their lock is, this says what they are.
CONDITION_FACTORIES = frozenset(
    {"threading.Condition", "multiprocessing.Condition", "multiprocessing.synchronize.Condition"}
)

# Queues between threads (or processes), and whether ``join()`` waits for ``task_done()``.
QUEUE_FACTORIES: dict[str, bool] = {
    "queue.Queue": True,
    "queue.LifoQueue": True,
    "queue.PriorityQueue": True,
    "queue.SimpleQueue": False,
    "multiprocessing.Queue": False,
    "multiprocessing.JoinableQueue": True,
    "multiprocessing.queues.Queue": False,
    "multiprocessing.queues.JoinableQueue": True,
}

# A lock built by an injected factory (``self._ctx.Lock()``, ``manager.RLock()``, a
# multiprocessing context): by the convention of ``threading``, ``<expr>.Lock()`` with no
# arguments is non-reentrant and ``<expr>.RLock()`` reentrant; the name reads as the
# threading factory's.
INJECTED_LOCK_FACTORIES = {"Lock": "threading.Lock", "RLock": "threading.RLock"}

THREAD_EXECUTORS = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
    }
)
PROCESS_EXECUTORS = frozenset(
    {
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
        "concurrent.futures.InterpreterPoolExecutor",
        "concurrent.futures.interpreter.InterpreterPoolExecutor",
    }
)
# Annotations that make a parameter an executor of unknown flavour.
EXECUTOR_ANNOTATIONS = frozenset(
    {"concurrent.futures.Executor", "concurrent.futures._base.Executor"}
) | THREAD_EXECUTORS | PROCESS_EXECUTORS

THREAD_LOCAL_FACTORIES = frozenset({"threading.local", "_thread._local", "_threading_local.local"})

THREAD_CLASSES = frozenset({"threading.Thread", "threading.Timer"})


# Modules that stand in for a threading module when it is missing (``try: import
# concurrent.futures as futures`` / ``except ImportError: import futures``, the old
# backport; ``dummy_threading``): names imported from them read as the module's own.
MODULE_ALIASES = {
    "futures": "concurrent.futures",
    "dummy_threading": "threading",
    "_dummy_thread": "_thread",
    "thread": "_thread",
    "six.moves._thread": "_thread",
}


class ExecutorKind(enum.Enum):
    THREAD = "thread"  # ``ThreadPoolExecutor``: its tasks run in this process's threads
    PROCESS = "process"
    ANY = "any"  # a parameter annotated ``Executor``: either


class StartKind(enum.Enum):
    """How a function comes to run in another thread; the value is how messages name it."""

    THREAD = "threading.Thread(target=...)"
    TIMER = "threading.Timer()"
    START_NEW_THREAD = "_thread.start_new_thread()"
    TO_THREAD = "asyncio.to_thread()"
    RUN_IN_EXECUTOR = "loop.run_in_executor()"
    POOL_SUBMIT = "ThreadPoolExecutor.submit()"
    POOL_MAP = "ThreadPoolExecutor.map()"
    # Run by the thread that finishes the future (a pool's worker, an executor's result
    # thread), or at once by the caller when the future is already done.
    DONE_CALLBACK = "Future.add_done_callback()"
    RUN_METHOD = "run() of Thread subclass"  # followed by the class name

    @property
    def pooled(self) -> bool:
        """The function runs as a task of a thread pool: many at a time, unless the pool
        has one worker."""
        return self in (StartKind.TO_THREAD, StartKind.RUN_IN_EXECUTOR, StartKind.POOL_SUBMIT, StartKind.POOL_MAP)


# Imported functions and classes that start their argument in a new thread: the start
# kind, and where the target is (positional index, keyword).
THREAD_STARTERS: dict[str, tuple[StartKind, int, str]] = {
    "threading.Thread": (StartKind.THREAD, 1, "target"),
    "threading.Timer": (StartKind.TIMER, 1, "function"),
    "_thread.start_new_thread": (StartKind.START_NEW_THREAD, 0, "function"),
    "_thread.start_new": (StartKind.START_NEW_THREAD, 0, "function"),
    "asyncio.to_thread": (StartKind.TO_THREAD, 0, "func"),
}
# Where the arguments for the target are, for the starters that take them as a sequence
# and a mapping: ``Thread(target=f, args=(x,), kwargs={...})``, ``Timer(t, f, args)``,
# ``start_new_thread(f, args)`` (position, keyword; None: positional only). The other
# starters pass on the rest of their own arguments (``to_thread(f, x)``).
TARGET_ARGUMENTS: dict[str, tuple[tuple[int, str | None], tuple[int, str | None]]] = {
    "threading.Thread": ((3, "args"), (4, "kwargs")),
    "threading.Timer": ((2, "args"), (3, "kwargs")),
    "_thread.start_new_thread": ((1, None), (2, None)),
    "_thread.start_new": ((1, None), (2, None)),
    "multiprocessing.Process": ((3, "args"), (4, "kwargs")),
}
# Processes get a target as threads do; their arguments are checked the same way.
PROCESS_STARTERS: dict[str, tuple[int, str]] = {"multiprocessing.Process": (1, "target")}

# Methods that start their argument in an executor's worker: ``loop.run_in_executor(ex,
# fn)``, and an executor's own ``submit(fn)``/``map(fn, ...)``.
RUN_IN_EXECUTOR = "run_in_executor"
EXECUTOR_METHODS: dict[str, StartKind] = {"submit": StartKind.POOL_SUBMIT, "map": StartKind.POOL_MAP}
# A future's method that runs its argument in the thread that completes the future.
DONE_CALLBACK = "add_done_callback"

_LOCK_WORDS = frozenset(
    {"lock", "rlock", "mutex", "mtx", "sem", "semaphore", "cond", "condition", "cv", "cvar"}
)
# Words of a name: ``write_lock``, ``stateLock``, ``lock1``, ``sem2a``.
_WORD_SPLIT = re.compile(r"_+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")


def name_says_lock(name: str, *, plural: bool = False) -> bool:
    """``lock``, ``_lock``, ``write_lock``, ``stateLock``, ``mutex``, ``sem``, ``lock1``,
    ``cvar``; not ``block``/``clock``. With ``plural``, also ``locks`` (a container of them)."""
    for word in _WORD_SPLIT.split(name):
        lowered = word.lower()
        if lowered in _LOCK_WORDS or (plural and lowered.endswith("s") and lowered[:-1] in _LOCK_WORDS):
            return True
    return False


def matches_extra_lock(canonical: str, extra_locks: frozenset[str]) -> bool:
    """A project lock named in ``--threadsafe-extra-locks``, imported absolutely or relatively."""
    if canonical in extra_locks:
        return True
    if canonical.startswith("."):
        suffix = canonical.lstrip(".")
        return any(name == suffix or name.endswith("." + suffix) for name in extra_locks)
    return False
