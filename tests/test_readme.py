"""The README's two commands: the demo over examples/ and the test command CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from flake8_threadsafe.registry import CODES as REGISTERED

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"```sh\n(.+?)\n```", README)
CODES = sorted(path.name for path in (ROOT / "examples").iterdir() if path.is_dir())


def test_readme_opens_with_the_two_commands() -> None:
    demo, tests = COMMANDS[:2]
    assert demo.endswith("flake8 examples/")
    assert tests.endswith("-m pytest")
    assert README.index(demo) < README.index("## Rules")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert COMMANDS[1] in ci.splitlines()


def test_demo_reports_each_bug_and_no_fix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "examples/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    reports = set()
    for line in result.stdout.splitlines():
        path, _, _, message = line.split(":", 3)
        reports.add((Path(path).as_posix(), message.split()[0]))
    assert reports == {(f"examples/{code}/bug.py", code) for code in CODES}
    assert CODES == sorted(REGISTERED)
