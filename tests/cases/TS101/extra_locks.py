# flake8-options: --threadsafe-extra-locks=myapp.sync.NamedLock,myapp.sync.make_lock
"""A project's own lock classes, named by --threadsafe-extra-locks."""
from myapp.sync import NamedLock, make_lock
from myapp.pool import Pool
from myapp.work import run

jobs = NamedLock("jobs")
files = make_lock()
pool = Pool()


def leak_named():
    jobs.acquire()  # expect: TS101 'jobs'
    run()
    jobs.release()


def leak_factory():
    files.acquire()  # expect: TS101 'files'
    run()
    files.release()


def not_listed():
    pool.acquire()
    run()
    pool.release()

