"""Correct: run() of a subclass calling its base, self.run(), and other objects' run()."""
import asyncio
import subprocess
import threading
import unittest

from scheduler import Job


class LoggingThread(threading.Thread):
    def run(self):
        print("starting", self.name)
        super().run()
        threading.Thread.run(self)

    def run_inline(self):
        """Runs the target in the caller, on purpose (tests)."""
        self.run()


async def main():
    print("async")


def tools(job_factory):
    asyncio.run(main())
    subprocess.run(["true"], check=True)
    Job().run()
    job_factory().run()
    runner = unittest.TextTestRunner()
    runner.run(unittest.TestSuite())
    thread = threading.Thread(target=print)
    thread.start()
    thread.join()
