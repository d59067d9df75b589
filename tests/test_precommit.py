"""The pre-commit hook (``.pre-commit-hooks.yaml``) through a real pre-commit.

The hook is installed the way a user gets it: pre-commit clones the repository at a
commit and ``pip install``s it into its own virtualenv (network for PyPI needed; set
``THREADSAFE_NO_NETWORK=1`` to skip this module).

What is installed is a snapshot of the working tree (tracked and untracked, non-ignored
files, committed into a throw-away git repository), not the last commit of this one:
``pre-commit try-repo`` on a dirty repository only carries the changes of *tracked*
files, so a new, not yet added module would be missing and the hook would break for a
reason that has nothing to do with the code under test.

``pre-commit try-repo`` always installs into a fresh temporary store (it ignores
PRE_COMMIT_HOME), about 5-10 s each time here; it is run once, on a syntax error. The
other tests run ``pre-commit run --config`` on a config naming the same snapshot and
commit, with PRE_COMMIT_HOME shared by the whole module, so the environment is
installed once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
HOOK_ID = "flake8-threadsafe"

pytestmark = pytest.mark.skipif(
    os.environ.get("THREADSAFE_NO_NETWORK", "") not in ("", "0"),
    reason="pre-commit installs the hook from PyPI (THREADSAFE_NO_NETWORK is set)",
)

TS101_BUG = textwrap.dedent(
    """\
    import threading

    lock = threading.Lock()


    def do_work():
        with open("work.log", "a") as log:
            log.write("working")


    def work():
        lock.acquire()
        do_work()
        lock.release()
    """
)

TS101_FIXED = textwrap.dedent(
    """\
    import threading

    lock = threading.Lock()


    def do_work():
        with open("work.log", "a") as log:
            log.write("working")


    def work():
        with lock:
            do_work()
    """
)

SYNTAX_ERROR = "import threading\n\nlock = threading.Lock()\n\n\ndef work(:\n    pass\n"

# Plenty for flake8, nothing for us or E9: the hook selects TS and E9 only, so it passes.
STYLE_ONLY = "import os, sys\nimport threading\nlock=threading.Lock()\nx = 1;  y = 2   \n"

TIMINGS: list[tuple[str, float]] = []


def _git_env() -> dict[str, str]:
    """The environment without GIT_* variables (set when the suite runs inside a git hook)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="flake8-threadsafe tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="flake8-threadsafe tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def _git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=_git_env(), capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding a snapshot of the working tree, and its commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO_ROOT)
    except subprocess.CalledProcessError:
        pytest.skip(f"{REPO_ROOT} is not a git checkout")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():  # listed by the index but deleted on disk: leave it out
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git("init", "-q", cwd=snapshot)
    _git("add", "-A", cwd=snapshot)
    _git("commit", "-q", "--no-verify", "-m", "snapshot of the working tree", cwd=snapshot)
    return snapshot, _git("rev-parse", "HEAD", cwd=snapshot).strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_config(tmp_path_factory: pytest.TempPathFactory, hook_repo: tuple[Path, str]) -> Path:
    """What ``try-repo`` writes, as a config for ``pre-commit run`` (outside the work repo)."""
    repo, rev = hook_repo
    config = tmp_path_factory.mktemp("config") / ".pre-commit-config.yaml"
    config.write_text(
        f"repos:\n-   repo: {repo}\n    rev: {rev}\n    hooks:\n    -   id: {HOOK_ID}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module", autouse=True)
def _report_timings(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if TIMINGS and capture is not None:
        with capture.global_and_fixture_disabled():  # what capsys.disabled() does
            print()
            for name, seconds in TIMINGS:
                print(f"[pre-commit] {seconds:5.1f}s  {name}")


def work_repo(path: Path, files: dict[str, str]) -> Path:
    _git("init", "-q", cwd=path)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    _git("add", "-A", cwd=path)
    return path


def pre_commit(label: str, *args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = _git_env()
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    TIMINGS.append((label, time.perf_counter() - started))
    return result


def describe(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def run_hook(
    label: str, files: dict[str, str], tmp_path: Path, hook_config: Path, pre_commit_home: Path
) -> subprocess.CompletedProcess[str]:
    repo = work_repo(tmp_path, files)
    result = pre_commit(
        label,
        "run",
        "--config",
        str(hook_config),
        HOOK_ID,
        "--files",
        *files,
        cwd=repo,
        home=pre_commit_home,
    )
    assert "An unexpected error has occurred" not in result.stdout + result.stderr, describe(result)
    assert "Traceback" not in result.stdout + result.stderr, describe(result)
    return result


def test_manifest_is_valid() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = [h for h in load_manifest(REPO_ROOT / ".pre-commit-hooks.yaml") if h["id"] == HOOK_ID]
    assert hook["entry"] == "flake8"
    assert hook["args"] == ["--select=TS,E9"]  # one argument: a YAML flow list splits on ","
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["require_serial"] is True


def test_try_repo_fails_on_syntax_error(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = work_repo(tmp_path, {"buggy.py": SYNTAX_ERROR})
    result = pre_commit(
        "try-repo (fresh install) on a syntax error",
        "try-repo",
        str(hook_repo[0]),
        HOOK_ID,
        "--files",
        "buggy.py",
        cwd=repo,
        home=pre_commit_home,
    )
    assert result.returncode == 1, describe(result)
    assert "Failed" in result.stdout, describe(result)
    assert "buggy.py:6:" in result.stdout and "E999" in result.stdout, describe(result)
    assert "TS1" not in result.stdout and "Traceback" not in result.stdout + result.stderr, (
        describe(result)
    )


def test_hook_fails_on_syntax_error(
    tmp_path: Path, hook_config: Path, pre_commit_home: Path
) -> None:
    result = run_hook(
        "run: syntax error (installs once)",
        {"buggy.py": SYNTAX_ERROR},
        tmp_path,
        hook_config,
        pre_commit_home,
    )
    assert result.returncode == 1, describe(result)
    assert "E999" in result.stdout, describe(result)


def test_hook_fails_on_ts101(tmp_path: Path, hook_config: Path, pre_commit_home: Path) -> None:
    # Not an xfail: this must fail the hook as soon as TS101 exists.
    result = run_hook(
        "run: TS101 bug", {"buggy.py": TS101_BUG}, tmp_path, hook_config, pre_commit_home
    )
    assert result.returncode == 1, describe(result)
    assert "Failed" in result.stdout, describe(result)
    assert "buggy.py:12:5: TS101 " in result.stdout, describe(result)


def test_hook_passes_once_fixed(tmp_path: Path, hook_config: Path, pre_commit_home: Path) -> None:
    result = run_hook(
        "run: fixed file", {"buggy.py": TS101_FIXED}, tmp_path, hook_config, pre_commit_home
    )
    assert result.returncode == 0, describe(result)
    assert "Passed" in result.stdout, describe(result)


def test_hook_ignores_other_flake8_codes(
    tmp_path: Path, hook_config: Path, pre_commit_home: Path
) -> None:
    result = run_hook(
        "run: style-only problems", {"style.py": STYLE_ONLY}, tmp_path, hook_config, pre_commit_home
    )
    assert result.returncode == 0, describe(result)
    assert "Passed" in result.stdout, describe(result)


def test_hook_skips_non_python_files(
    tmp_path: Path, hook_config: Path, pre_commit_home: Path
) -> None:
    result = run_hook(
        "run: non-python file",
        {"notes.txt": "lock.acquire()\nthis is not python(\n"},
        tmp_path,
        hook_config,
        pre_commit_home,
    )
    assert result.returncode == 0, describe(result)
    assert "no files to check" in result.stdout.lower(), describe(result)


CLI_HOOK_ID = "flake8-threadsafe-cli"


def test_cli_hook_manifest() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = [h for h in load_manifest(REPO_ROOT / ".pre-commit-hooks.yaml") if h["id"] == CLI_HOOK_ID]
    assert hook["entry"] == "flake8-threadsafe"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]


def test_try_repo_cli_hook_reports_and_passes(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = work_repo(tmp_path, {"buggy.py": TS101_BUG, "fixed.py": TS101_FIXED, "style.py": STYLE_ONLY})
    failing = pre_commit(
        "try-repo (fresh install): the standalone command on a TS101 bug",
        "try-repo",
        str(hook_repo[0]),
        CLI_HOOK_ID,
        "--files",
        "buggy.py",
        "fixed.py",
        "style.py",
        cwd=repo,
        home=pre_commit_home,
    )
    assert failing.returncode == 1, describe(failing)
    assert "buggy.py:12:5: TS101 " in failing.stdout, describe(failing)
    # No pyflakes or pycodestyle: the style-only file and the fixed file give nothing.
    assert "style.py" not in failing.stdout and "fixed.py" not in failing.stdout, describe(failing)
    assert "Traceback" not in failing.stdout + failing.stderr, describe(failing)
    passing = pre_commit(
        "try-repo: the standalone command on fixed code",
        "try-repo",
        str(hook_repo[0]),
        CLI_HOOK_ID,
        "--files",
        "fixed.py",
        "style.py",
        cwd=repo,
        home=pre_commit_home,
    )
    assert passing.returncode == 0, describe(passing)
