"""The rule pages' code: the first ``python`` block under "## Example" of
``docs/rules/<CODE>.md`` is reported with its code by the real flake8, the first one under
"## Use instead" is not.

Each block is checked as its own file, so it must stand alone. The fix must be the
example's program fixed, not a fragment of it: it imports and defines every top-level
name the example does. Otherwise it would be silent for want of context (no threading
import, no thread started), and a fix that still had the bug would pass.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_threadsafe.registry import REGISTRY, Code

ROOT = Path(__file__).resolve().parents[1]
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ", re.MULTILINE)


def first_block(entry: Code, heading: str) -> str:
    """The first ``python`` block of the page's section ``## <heading>``."""
    page = (ROOT / entry.doc).read_text(encoding="utf-8")
    sections = re.split(r"^## ", page, flags=re.MULTILINE)
    section = next((text for text in sections if text.startswith(f"{heading}\n")), None)
    assert section is not None, f"{entry.doc} has no '## {heading}' section"
    block = PYTHON_BLOCK.search(section)
    assert block, f"{entry.doc}: no ```python block under '## {heading}'"
    return block.group(1)


def top_level_names(source: str) -> set[str]:
    """The names ``source`` imports, assigns, or defines as functions and classes at the top."""
    names = set()
    for statement in ast.parse(source).body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names |= {alias.asname or alias.name.split(".")[0] for alias in statement.names}
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names |= {node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)}
    return names


def flake8_codes(entry: Code, source: str, tmp_path: Path) -> list[str]:
    """The codes flake8 reports on ``source`` with ``--select=<CODE>,E9`` (E9: the block
    must at least be valid Python)."""
    path = tmp_path / f"{entry.code.lower()}_doc.py"
    path.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "-v", f"--select={entry.code},E9", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "flake8-threadsafe: skipped" not in result.stderr, result.stderr
    codes = [match["code"] for match in REPORT.finditer(result.stdout)]
    assert not [code for code in codes if code.startswith("E9")], (
        f"{entry.doc}: the block is not valid Python\n{result.stdout}"
    )
    return codes


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.code)
def test_example_is_reported(entry: Code, tmp_path: Path) -> None:
    source = first_block(entry, "Example")
    assert entry.code in flake8_codes(entry, source, tmp_path), f"{entry.doc}: '## Example' is not reported:\n{source}"


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.code)
def test_use_instead_is_not_reported(entry: Code, tmp_path: Path) -> None:
    source = first_block(entry, "Use instead")
    assert flake8_codes(entry, source, tmp_path) == [], f"{entry.doc}: '## Use instead' is reported:\n{source}"
    # Silent because it is fixed, not because it lacks the example's imports or threads.
    missing = top_level_names(first_block(entry, "Example")) - top_level_names(source)
    assert not missing, f"{entry.doc}: '## Use instead' lacks the example's top-level {sorted(missing)}"
