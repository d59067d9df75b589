"""The test suite under every supported Python: ``python -m nox`` (``-s tests-3.12`` for one).

Each session installs the project with its test extra (``-e '.[test]'``) into its own
virtualenv under ``.nox/`` and runs pytest; arguments after ``--`` go to pytest
(``python -m nox -- -x tests/test_plugin.py``). An interpreter that is not installed is
skipped, not an error. Interpreters are looked for on ``PATH`` and, after it, in pyenv's
versions directory (``$PYENV_ROOT/versions/3.X.*/bin``, ``~/.pyenv`` by default), so
versions pyenv installed but did not make global are found too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nox

# The Pythons the package supports (``requires-python`` and the classifiers in
# pyproject.toml).
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = False
# A missing interpreter is skipped: never download one.
nox.options.download_python = "never"


def _pyenv_bin_dirs(pythons: list[str]) -> list[str]:
    """The ``bin`` directories of pyenv's installed CPythons of ``pythons``, newest patch
    release of each first (``3.12.10`` before ``3.12.9``; none of ``3.12.0rc1``)."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if not root.is_dir():
        return []
    found = []
    for python in pythons:
        releases = []
        for path in root.iterdir():
            match = re.fullmatch(re.escape(python) + r"\.(\d+)", path.name)
            if match and (path / "bin" / f"python{python}").is_file():
                releases.append((int(match.group(1)), path / "bin"))
        found += [str(bin_dir) for _, bin_dir in sorted(releases, reverse=True)]
    return found


# Appended, not prepended: whatever PATH already finds first (a virtualenv, the system's
# python3) still wins. A pyenv shim of a version that is not active (``pyenv global``)
# fails when run; with these directories on PATH it runs the interpreter found there.
_on_path = os.environ.get("PATH", "").split(os.pathsep)
_extra = [d for d in _pyenv_bin_dirs(PYTHONS) if d not in _on_path]
if _extra:
    os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), *_extra])


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)
