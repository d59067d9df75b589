"""The proof examples: every ``examples/<CODE>/bug.py`` really shows the bug and is
reported with exactly its code; every ``fix.py`` runs correctly and is not reported.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_threadsafe.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CODES = [entry.code for entry in REGISTRY]
# The code field of a report line ("path:line:col: TS101 message"); the example's
# path itself contains a code, so the whole line must not be searched.
REPORTED_CODE = re.compile(r":\d+:\d+: (TS\d{3})\b")


def _run_example(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _flake8_report(path: Path) -> tuple[set[str], str]:
    """The TS codes flake8 reports for ``path``, and its whole output."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=TS", str(path.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # flake8 exits 1 when it reports something; anything else is a crash.
    assert result.returncode in (0, 1), result.stderr
    return set(REPORTED_CODE.findall(result.stdout)), result.stdout


def _stdout_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("code", CODES)
def test_bug_example_shows_the_bug(code: str) -> None:
    result = _run_example(EXAMPLES / code / "bug.py")
    lines = _stdout_lines(result)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert len(lines) == 1 and len(result.stdout.splitlines()) == 1, result.stdout
    assert lines[0].startswith("BUG:"), lines[0]


@pytest.mark.parametrize("code", CODES)
def test_fix_example_runs_correctly(code: str) -> None:
    result = _run_example(EXAMPLES / code / "fix.py")
    lines = _stdout_lines(result)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert len(lines) == 1 and len(result.stdout.splitlines()) == 1, result.stdout
    assert lines[0].startswith("OK:"), lines[0]


@pytest.mark.parametrize("code", CODES)
def test_bug_example_is_reported_with_its_code_only(code: str) -> None:
    codes, output = _flake8_report(EXAMPLES / code / "bug.py")
    assert codes == {code}, output


@pytest.mark.parametrize("code", CODES)
def test_fix_example_is_not_reported(code: str) -> None:
    codes, output = _flake8_report(EXAMPLES / code / "fix.py")
    assert codes == set(), output
