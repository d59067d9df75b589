"""Dropping the functions no rule can report on changes no report, only the cost."""

from __future__ import annotations

import ast
import sysconfig
import textwrap
from pathlib import Path

import pytest

from flake8_threadsafe import engine
from flake8_threadsafe.config import Config
from flake8_threadsafe.prefilter.focus import focused_source
from flake8_threadsafe.registry import CODES

ROOT = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
THREADING_MODULES = [
    "threading.py", "queue.py", "concurrent/futures/thread.py", "concurrent/futures/process.py",
    "concurrent/futures/_base.py", "multiprocessing/pool.py", "logging/__init__.py",
    "logging/handlers.py", "socketserver.py", "telnetlib.py", "sched.py",
    # Large files where focusing drops much, and files with reports.
    "subprocess.py", "_pyio.py", "asyncio/base_events.py", "importlib/_bootstrap.py",
    "test/lock_tests.py", "test/test_threading.py",
]


def reports(lines: list[str], focused: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, str]]:
    source = "".join(lines)
    with monkeypatch.context() as patch:
        if not focused:
            patch.setattr(engine, "focused_source", lambda source, lines, tree, extra=frozenset(): source)
        return engine.check(source, lines, ast.parse(source), Config(), CODES)


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "tests" / "cases").rglob("*.py")),
        *sorted((ROOT / "examples").rglob("*.py")),
        *[STDLIB / name for name in THREADING_MODULES if (STDLIB / name).exists()],
    ],
    ids=lambda p: p.name if p.is_relative_to(STDLIB) else str(p.relative_to(ROOT)),
)
def test_focus_changes_no_report(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert reports(lines, True, monkeypatch) == reports(lines, False, monkeypatch)


SOURCE = textwrap.dedent(
    """\
    import threading

    LOCK = threading.Lock()


    def unrelated(x):
        return x * 2


    @decorated
    def uses_lock():
        with LOCK:
            helper()


    def helper():
        return 1


    class Plain:
        size = 3

        def area(self):
            return self.size ** 2

        def start(self):
            threading.Thread(target=print).start()


    class Worker(threading.Thread):
        def run(self):
            self.count = 1
    """
)


def test_dropped_functions_keep_every_line_in_place() -> None:
    lines = SOURCE.splitlines(keepends=True)
    focused = focused_source(SOURCE, lines, ast.parse(SOURCE)).splitlines(keepends=True)
    assert len(focused) == len(lines)
    dropped = [number for number, (old, new) in enumerate(zip(lines, focused), start=1) if old != new]
    # ``unrelated`` and ``Plain.area`` go; ``helper`` is named by kept code; ``Worker.run``
    # is thread code. A dropped unit is a string spanning its lines.
    assert dropped == [6, 7, 23, 24]
    assert focused[5:7] == ['"""\n', '"""\n'] and focused[22:24] == ['    """\n', '"""\n']
    ast.parse("".join(focused))


def test_crlf_and_no_tree() -> None:
    source = "import threading\r\n\r\ndef f():\r\n    return 1\r\n\r\ndef g(): return 2\r\n"
    lines = source.splitlines(keepends=True)
    focused = 'import threading\r\n\r\n"""\r\n"""\r\n\r\npass\r\n'
    assert focused_source(source, lines, ast.parse(source)) == focused
    assert focused_source(source, lines, None) == source


def test_lines_split_at_a_form_feed_still_match_the_tree() -> None:
    """``str.splitlines`` breaks at a form feed, which is whitespace to Python: the focus
    step numbers lines as the ``ast`` does (found by the fuzz test)."""
    source = "import threading\nlock = threading.Lock()\ndef f():\n\x0c pass\n\ndef g():\n    lock.acquire()\n"
    focused = focused_source(source, source.splitlines(keepends=True), ast.parse(source))
    assert focused == 'import threading\nlock = threading.Lock()\n"""\n"""\n\ndef g():\n    lock.acquire()\n'
    assert focused.count("\n") == source.count("\n")


def _kept_functions(source: str, extra: frozenset[str] = frozenset()) -> set[str]:
    """``name`` or ``Class.name`` of every function focusing keeps."""
    lines = source.splitlines(keepends=True)
    focused = ast.parse(focused_source(source, lines, ast.parse(source), extra))
    kept = {node.name for node in focused.body if isinstance(node, ast.FunctionDef)}
    for cls in (node for node in focused.body if isinstance(node, ast.ClassDef)):
        kept |= {f"{cls.name}.{node.name}" for node in cls.body if isinstance(node, ast.FunctionDef)}
    return kept


def test_a_functions_local_thread_variable_is_not_hot_elsewhere() -> None:
    source = textwrap.dedent(
        """\
        import threading

        def starts():
            t = threading.Thread(target=print)
            t.start()

        def unrelated():
            t = 3
            return t

        def writes_attribute(self):
            self.worker = threading.Thread(target=print)

        def reads_attribute(self):
            return self.worker
        """
    )
    assert _kept_functions(source) == {"starts", "writes_attribute", "reads_attribute"}


def test_module_level_code_names_functions_only_when_it_touches_threads() -> None:
    source = textwrap.dedent(
        """\
        import threading

        LOCK = threading.Lock()

        def called_at_import():
            return 1

        def called_under_lock():
            return 2

        VALUE = called_at_import()
        with LOCK:
            called_under_lock()
        """
    )
    assert _kept_functions(source) == {"called_under_lock"}


def test_a_threading_modules_name_alone_keeps_nothing() -> None:
    source = textwrap.dedent(
        """\
        import threading
        from threading import local as Local

        def waits(event=threading.Event()):
            return threading.current_thread().name, event.wait(1)

        def thread_local():
            return threading.local()

        def renamed_thread_local():
            return Local()

        def local_variable(local=3):
            return local
        """
    )
    assert _kept_functions(source) == {"thread_local", "renamed_thread_local"}


def test_two_functions_that_create_a_thread_subclass_are_kept() -> None:
    source = textwrap.dedent(
        """\
        import threading

        class Worker(threading.Thread):
            def run(self):
                helper()

            def describe(self):
                return "worker"

        class Slow(Worker):
            def run(self):
                pass

        def helper():
            pass

        def first():
            Worker().start()

        def second():
            return [Worker() for _ in range(3)]

        def third():
            Worker().start()

        def only_checks(w):
            return isinstance(w, Worker)
        """
    )
    # ``run`` of each Thread subclass, what it calls, and two places that create threads:
    # TS201 asks for no more evidence than "started from several places".
    assert _kept_functions(source) == {"Worker.run", "Slow.run", "helper", "first", "second"}


def test_methods_changing_what_a_shared_instance_changes_are_kept() -> None:
    source = textwrap.dedent(
        """\
        import threading

        class Monitor:
            def start(self):
                threading.Thread(target=self._watch).start()

            def _watch(self):
                self.errors += 1

            def clear(self):
                self.errors = 0

            def name(self):
                return self.title
        """
    )
    assert _kept_functions(source) == {"Monitor.start", "Monitor._watch", "Monitor.clear"}


def test_project_locks_count_as_threading() -> None:
    source = textwrap.dedent(
        """\
        from myapp.sync import NamedLock

        def guarded():
            with NamedLock("db"):
                pass

        def plain():
            return 1
        """
    )
    assert _kept_functions(source, frozenset({"NamedLock"})) == {"guarded"}
    assert _kept_functions(source) == set()


def test_a_method_is_named_by_an_attribute_access() -> None:
    source = textwrap.dedent(
        """\
        import os
        import threading

        LOCK = threading.Lock()

        def closes(fd):
            with LOCK:
                os.close(fd)
                flush(fd)

        def flush(fd):
            pass

        class File:
            def close(self):
                pass

            def flush(self):
                pass
        """
    )
    # ``os.close`` names ``close`` as an attribute; ``flush(fd)`` only the function.
    assert _kept_functions(source) == {"closes", "flush", "File.close"}


def test_submit_counts_only_as_a_call() -> None:
    source = textwrap.dedent(
        '''\
        import threading

        def form():
            return '<input type=submit value="Go">'

        def schedule(pool, job):
            return pool.submit(job)
        '''
    )
    assert _kept_functions(source) == {"schedule"}
