"""The project passes its own flake8 configuration (``.flake8``), through the real flake8."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_project_passes_its_own_flake8_configuration() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "-j", "2"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_examples_are_still_reported_when_named() -> None:
    # ``.flake8`` excludes examples/ from the project's own run; named, they are checked.
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=TS", "examples/"], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 1 and result.stdout.count(": TS") == len(list((ROOT / "examples").iterdir()))
