"""The plugin as users run it: the real flake8 executable in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_threadsafe._version import __version__

LEAKY = textwrap.dedent(
    """\
    import threading

    lock = threading.Lock()


    def update(state):
        lock.acquire()
        state.refresh()
        lock.release()
    """
)

PROJECT_LOCK = textwrap.dedent(
    """\
    from myapp.sync import NamedLock

    jobs = NamedLock("jobs")


    def run(job):
        jobs.acquire()
        job.run()
        jobs.release()
    """
)


def flake8(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def codes(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in result.stdout.splitlines()]


def test_report_format_names_lock_and_fix(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(LEAKY)
    result = flake8("--select=TS", "leaky.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "leaky.py:7:5: TS101 'lock' acquired without a guaranteed release "
        "(an exception raised at line 8 leaves it held); use 'with lock:' or release it in a "
        "'finally:' right after acquire()\n"
    )


def test_plugin_is_registered_with_its_options(tmp_path: Path) -> None:
    version = flake8("--version", cwd=tmp_path)
    assert f"flake8-threadsafe: {__version__}" in version.stdout
    help_text = flake8("--help", cwd=tmp_path).stdout
    assert "--threadsafe-extra-locks" in help_text
    assert "--threadsafe-strict" in help_text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_serial_and_parallel_runs_agree(tmp_path: Path, jobs: str) -> None:
    for number in range(6):
        (tmp_path / f"module_{number}.py").write_text(LEAKY)
    (tmp_path / "clean.py").write_text("import threading\n\nLOCK = threading.Lock()\n")
    result = flake8(f"-j{jobs}", "--select=TS", ".", cwd=tmp_path)
    reported = sorted(line.split(":")[0] for line in result.stdout.splitlines())
    assert reported == [f"./module_{number}.py" for number in range(6)]
    assert codes(result) == ["TS101"] * 6


def test_select_and_ignore(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(LEAKY)
    assert codes(flake8("--select=TS101", "leaky.py", cwd=tmp_path)) == ["TS101"]
    assert codes(flake8("--select=TS1", "leaky.py", cwd=tmp_path)) == ["TS101"]
    assert codes(flake8("--select=TS102", "leaky.py", cwd=tmp_path)) == []
    assert codes(flake8("--select=TS", "--extend-ignore=TS101", "leaky.py", cwd=tmp_path)) == []
    default = codes(flake8("leaky.py", cwd=tmp_path))
    assert "TS101" in default


def test_noqa_by_code(tmp_path: Path) -> None:
    silenced = LEAKY.replace("lock.acquire()", "lock.acquire()  # noqa: TS101")
    (tmp_path / "silenced.py").write_text(silenced)
    assert codes(flake8("--select=TS", "silenced.py", cwd=tmp_path)) == []
    other_code = LEAKY.replace("lock.acquire()", "lock.acquire()  # noqa: E501")
    (tmp_path / "other.py").write_text(other_code)
    assert codes(flake8("--select=TS", "other.py", cwd=tmp_path)) == ["TS101"]
    assert codes(flake8("--select=TS", "--disable-noqa", "silenced.py", cwd=tmp_path)) == ["TS101"]


@pytest.mark.parametrize(
    ("config_file", "section"),
    [("setup.cfg", "flake8"), (".flake8", "flake8"), ("tox.ini", "flake8")],
)
def test_extra_locks_from_config(tmp_path: Path, config_file: str, section: str) -> None:
    (tmp_path / "jobs.py").write_text(PROJECT_LOCK)
    assert codes(flake8("--select=TS", "jobs.py", cwd=tmp_path)) == []
    (tmp_path / config_file).write_text(
        f"[{section}]\nthreadsafe-extra-locks =\n    myapp.sync.NamedLock,\n    myapp.sync.make_lock\n"
    )
    assert codes(flake8("--select=TS", "jobs.py", cwd=tmp_path)) == ["TS101"]


def test_extra_locks_on_command_line_and_with_parallel_workers(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"jobs_{number}.py").write_text(PROJECT_LOCK)
    result = flake8(
        "-j2", "--select=TS", "--threadsafe-extra-locks=myapp.sync.NamedLock", ".", cwd=tmp_path
    )
    assert codes(result) == ["TS101"] * 3


def test_stdin(tmp_path: Path) -> None:
    result = flake8("--select=TS", "--stdin-display-name=piped.py", "-", cwd=tmp_path, stdin=LEAKY)
    assert result.stdout.startswith("piped.py:7:5: TS101 ")


def test_nothing_is_parsed_when_no_ts_code_is_selected(tmp_path: Path) -> None:
    # A sitecustomize makes every analysis fail, so "skipped" in the verbose log shows
    # which runs parsed the file at all.
    (tmp_path / "sitecustomize.py").write_text(
        # Replaced before anything imports the engine, which binds ``analyze`` by name.
        "import flake8_threadsafe.rules as rules\n\n"
        "def fail(facts, config, codes):\n    raise RuntimeError('analysis ran')\n\n"
        "rules.analyze = fail\n"
    )
    (tmp_path / "leaky.py").write_text(LEAKY)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    def verbose_log(select: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flake8", "-v", "--isolated", f"--select={select}", "leaky.py"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env,
        )
        assert "Traceback" not in result.stderr
        return result.stderr

    assert "flake8-threadsafe: skipped leaky.py (RuntimeError: analysis ran)" in verbose_log("TS")
    assert "flake8-threadsafe: skipped" not in verbose_log("E,F")
