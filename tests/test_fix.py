"""Fixes through the real command: ``--fix``, ``--unsafe-fixes``, ``--diff``.

The runtime proof of each safe fix: the example that makes the bug happen, fixed by
the command, behaves like its ``fix.py`` (exits 0 with an "OK:" line).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tokenize
from pathlib import Path

import libcst as cst
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SAFE = ["TS101", "TS301", "TS401", "TS402"]
UNSAFE = ["TS102", "TS403"]


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_threadsafe", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def comments(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]


def reported(result: subprocess.CompletedProcess[str], code: str) -> bool:
    return f" {code} " in result.stdout


@pytest.mark.parametrize("code", SAFE)
def test_safe_fix_makes_the_bug_example_behave_like_its_fix(tmp_path: Path, code: str) -> None:
    bug = tmp_path / "bug.py"
    original = (EXAMPLES / code / "bug.py").read_text(encoding="utf-8")
    bug.write_text(original, encoding="utf-8")
    assert reported(command("bug.py", cwd=tmp_path), code)

    result = command("--fix", "bug.py", cwd=tmp_path)
    fixed = bug.read_text(encoding="utf-8")
    assert fixed != original
    cst.parse_module(fixed)  # it parses
    assert sorted(comments(fixed)) == sorted(comments(original)), "a comment was lost"
    assert not reported(result, code), result.stdout  # re-checked: the fixed code is not reported
    run = subprocess.run([sys.executable, str(bug)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("OK:"), (run.stdout, run.stderr)

    again = command("--fix", "bug.py", cwd=tmp_path)
    assert bug.read_text(encoding="utf-8") == fixed, "a second --fix changed the file again"
    assert "fixed 0 findings" in again.stderr


def test_fixes_change_only_the_rewritten_statements(tmp_path: Path) -> None:
    bug = tmp_path / "bug.py"
    original = (EXAMPLES / "TS402" / "bug.py").read_text(encoding="utf-8")
    bug.write_text(original, encoding="utf-8")
    command("--fix", "bug.py", cwd=tmp_path)
    before, after = original.splitlines(), bug.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][1].strip().startswith('thread = threading.Thread(target=greet, args=("world",))')


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    source = (EXAMPLES / "TS301" / "bug.py").read_text(encoding="utf-8")
    path = tmp_path / "bug.py"
    path.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8"))
    command("--fix", "bug.py", cwd=tmp_path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"for _ in ex.map(" in data
    assert data.count(b"\r\n") == data.count(b"\n"), "a line lost its CRLF"


@pytest.mark.parametrize("code", UNSAFE)
def test_unsafe_fixes_only_when_asked(tmp_path: Path, code: str) -> None:
    bug = tmp_path / "bug.py"
    original = (EXAMPLES / code / "bug.py").read_text(encoding="utf-8")
    bug.write_text(original, encoding="utf-8")
    command("--fix", "bug.py", cwd=tmp_path)
    assert bug.read_text(encoding="utf-8") == original
    result = command("--fix", "--unsafe-fixes", "bug.py", cwd=tmp_path)
    fixed = bug.read_text(encoding="utf-8")
    assert fixed != original and not reported(result, code), result.stdout
    assert sorted(comments(fixed)) == sorted(comments(original))


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path: Path) -> None:
    bug = tmp_path / "bug.py"
    original = (EXAMPLES / "TS301" / "bug.py").read_text(encoding="utf-8")
    bug.write_text(original, encoding="utf-8")
    result = command("--diff", "bug.py", cwd=tmp_path)
    assert result.returncode == 1  # as for a check: there are findings
    assert result.stdout.startswith("--- a/bug.py\n+++ b/bug.py\n")
    assert "+            for _ in ex.map(process, ITEMS):" in result.stdout
    assert bug.read_text(encoding="utf-8") == original
    assert command("--unsafe-fixes", "bug.py", cwd=tmp_path).returncode == 2


def test_no_fix_is_offered_across_an_early_exit(tmp_path: Path) -> None:
    source = (
        "import threading\n\nlock = threading.Lock()\n\n\ndef take(items):\n"
        "    lock.acquire()\n    if not items:\n        return None\n    item = items.pop()\n"
        "    lock.release()\n    return item\n"
    )
    path = tmp_path / "early.py"
    path.write_text(source, encoding="utf-8")
    result = command("--fix", "early.py", cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == source
    assert reported(result, "TS101")


def test_a_fix_that_would_not_parse_leaves_the_file_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_threadsafe import cli, engine
    from flake8_threadsafe.settings import Settings

    path = tmp_path / "bug.py"
    original = (EXAMPLES / "TS301" / "bug.py").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    monkeypatch.setattr(engine, "fix", lambda source, config, codes, unsafe=False: (source + "\ndef (:\n", ["TS301"]))
    before, after, _, applied, problem = cli.fix_file(str(path), Settings(), False)
    assert after == before == original and applied == []
    assert problem is not None and "would not parse" in problem


def test_ts401_with_arguments_is_an_unsafe_fix(tmp_path: Path) -> None:
    source = (
        "import threading\n\nresults = []\n\n\ndef work(a, b):\n    results.append(a + b)\n\n\n"
        "def main():\n    t = threading.Thread(target=work(1, 2), daemon=True)  # keep this comment\n"
        "    t.start()\n    t.join()\n    return results\n\n\nif __name__ == '__main__':\n"
        "    raise SystemExit(0 if main() == [3] else 1)\n"
    )
    path = tmp_path / "start.py"
    path.write_text(source, encoding="utf-8")
    command("--fix", "start.py", cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == source  # safe fixes only: unchanged
    result = command("--fix", "--unsafe-fixes", "start.py", cwd=tmp_path)
    fixed = path.read_text(encoding="utf-8")
    assert "threading.Thread(target=work, args=(1, 2), daemon=True)  # keep this comment" in fixed
    assert not reported(result, "TS401")
    assert subprocess.run([sys.executable, str(path)], timeout=60).returncode == 0
