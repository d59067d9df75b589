"""The ``flake8-threadsafe`` command, run as a real process: the same reports as the
flake8 plugin, its settings and configuration files, its formats, exit statuses, and
files it cannot check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_threadsafe.registry import CODES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CASES = ROOT / "tests" / "cases"
SCRIPT = shutil.which("flake8-threadsafe", path=str(Path(sys.executable).parent))

BUG = """\
import threading

lock = threading.Lock()


def work(items):
    lock.acquire()
    items.sort()
    lock.release()
"""


def command(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_threadsafe", *args],
        cwd=cwd, capture_output=True, text=True, input=stdin, timeout=300,
    )


def flake8(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=TS", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )


def test_console_script_is_installed_and_runs() -> None:
    assert SCRIPT is not None, "pip install should put flake8-threadsafe beside the interpreter"
    result = subprocess.run([SCRIPT, "examples/TS101/bug.py"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("examples/TS101/bug.py:31:5: TS101 ")


@pytest.mark.parametrize("tree", ["examples", "tests/cases"])
def test_same_reports_as_flake8_byte_for_byte(tree: str) -> None:
    ours = command("--jobs", "2", tree)
    theirs = flake8("-j", "2", tree)
    assert ours.returncode == theirs.returncode == 1, (ours.stderr, theirs.stderr)
    # Case files may ask for options; those run separately, so compare the default ones.
    assert sorted(ours.stdout.splitlines()) == sorted(theirs.stdout.splitlines())


def test_exit_status_without_findings_and_for_usage_errors(tmp_path: Path) -> None:
    assert command("examples/TS101/fix.py").returncode == 0
    assert command("--select", "ts1", "examples").returncode == 2
    missing = command("no/such/dir")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert command("--jobs", "0", "examples").returncode == 2


def test_select_and_ignore_by_prefix_longest_wins(tmp_path: Path) -> None:
    reported = lambda result: {line.split(": ", 1)[1][:5] for line in result.stdout.splitlines()}  # noqa: E731
    assert reported(command("--select", "TS1", "examples")) == {"TS101", "TS102", "TS103", "TS104", "TS105"}
    assert reported(command("--ignore", "TS1,TS2", "--extend-ignore", "TS4", "examples")) == {"TS301", "TS302", "TS303"}
    assert reported(command("--ignore", "TS1", "--extend-select", "TS101", "examples/TS101")) == {"TS101"}


def test_noqa_means_what_it_means_to_flake8(tmp_path: Path) -> None:
    cases = {
        "bare": ("    lock.acquire()  # noqa\n", 0),
        "code": ("    lock.acquire()  # noqa: TS101\n", 0),
        "prefix": ("    lock.acquire()  # noqa: TS1\n", 0),
        "other": ("    lock.acquire()  # noqa: TS2,E501\n", 1),
        # No digits: not a code list, so flake8 reads a blanket noqa.
        "letters": ("    lock.acquire()  # noqa: TS\n", 0),
    }
    for name, (line, expected) in cases.items():
        path = tmp_path / f"{name}.py"
        path.write_text(BUG.replace("    lock.acquire()\n", line), encoding="utf-8")
        ours = command(str(path))
        theirs = flake8(str(path))
        assert ours.stdout.count(" TS101 ") == expected == theirs.stdout.count(" TS101 "), name
    skipped = tmp_path / "skipped.py"
    skipped.write_text("# flake8: noqa\n" + BUG, encoding="utf-8")
    assert command(str(skipped)).returncode == 0


def test_stdin_with_display_name() -> None:
    result = command("--stdin-display-name", "app/work.py", "-", stdin=BUG)
    assert result.returncode == 1
    assert result.stdout.startswith("app/work.py:7:5: TS101 ")


def test_directories_skip_virtualenvs_hidden_dirs_and_excludes(tmp_path: Path) -> None:
    for place in (
        "pkg/mod.py", ".venv/lib/dep.py", "build/gen.py", ".hidden/x.py", "pkg/vendored/v.py", "pkg/data.txt"
    ):
        path = tmp_path / place
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BUG, encoding="utf-8")
    result = command("--exclude", "vendored", ".", cwd=tmp_path)
    assert [line.split(":", 1)[0] for line in result.stdout.splitlines()] == ["./pkg/mod.py"]  # as flake8 writes it


def test_pyproject_configuration_and_command_line_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.flake8-threadsafe]\nignore = ["TS101"]\nexclude = ["generated"]\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "work.py").write_text(BUG, encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "work.py").write_text(BUG, encoding="utf-8")
    # Found from a subdirectory, upwards.
    assert command("work.py", cwd=tmp_path / "sub").returncode == 0
    assert command("--ignore", "TS2", "work.py", cwd=tmp_path / "sub").returncode == 1
    assert command(".", cwd=tmp_path).stdout == ""


def test_flake8_section_keys_are_read(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nmax-line-length = 100\nthreadsafe-extra-locks = app.sync.make_lock\n", encoding="utf-8"
    )
    (tmp_path / "work.py").write_text(
        "from app.sync import make_lock\n\nguard = make_lock()\n\n\ndef work(items):\n"
        "    guard.acquire()\n    items.sort()\n    guard.release()\n",
        encoding="utf-8",
    )
    ours = command("work.py", cwd=tmp_path)
    assert ours.returncode == 1 and " TS101 " in ours.stdout
    (tmp_path / "setup.cfg").write_text("[flake8]\nthreadsafe-extra-lock = app.sync.make_lock\n", encoding="utf-8")
    assert command("work.py", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize(
    "config",
    [
        '[tool.flake8-threadsafe]\nselekt = ["TS"]\n',
        '[tool.flake8-threadsafe]\nstrict = "maybe"\n',
        '[tool.flake8-threadsafe]\nselect = ["ts1"]\n',
        '[tool.flake8-threadsafe]\nselect = 3\n',
        "[tool.flake8-threadsafe\n",
    ],
)
def test_bad_configuration_is_an_error(tmp_path: Path, config: str) -> None:
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "work.py").write_text(BUG, encoding="utf-8")
    result = command("work.py", cwd=tmp_path)
    assert result.returncode == 2 and "error:" in result.stderr and not result.stdout


def test_json_format() -> None:
    result = command("--format", "json", "examples/TS101/bug.py")
    [finding] = json.loads(result.stdout)
    assert finding["path"] == "examples/TS101/bug.py" and finding["code"] == "TS101"
    assert (finding["line"], finding["column"]) == (31, 5) and finding["end_line"] == 31
    assert finding["end_column"] == 5 + len("lock.acquire()")
    assert finding["url"].endswith("docs/rules/TS101.md")


def test_sarif_format_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    from sarif import loader
    from sarif_pydantic import Sarif

    result = command("--format", "sarif", "examples")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    model = Sarif.model_validate(log)
    assert model.version == "2.1.0"
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(CODES)
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["helpUri"].endswith(f"docs/rules/{rule['id']}.md")
    assert {result["ruleId"] for result in run["results"]} == set(CODES)
    for found in run["results"]:
        assert rules[found["ruleIndex"]]["id"] == found["ruleId"]
        region = found["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] <= region["endLine"]
    path = tmp_path / "report.sarif"
    path.write_text(result.stdout, encoding="utf-8")
    loaded = loader.load_sarif_file(str(path))
    assert loaded.get_result_count() == len(run["results"])


def test_github_annotations() -> None:
    result = command("--format", "github", "examples/TS101/bug.py")
    assert result.stdout.startswith(
        "::warning file=examples/TS101/bug.py,line=31,col=5,endLine=31,endColumn=19,title=TS101::TS101 "
    )


def test_statistics_and_version() -> None:
    result = command("--statistics", "examples")
    assert result.stdout.splitlines()[-len(CODES):] == [f"1     {code}" for code in sorted(CODES)]
    assert command("--version").stdout.startswith("flake8-threadsafe ")
    help_text = command("--help").stdout
    for option in ("--select", "--ignore", "--extend-select", "--extend-ignore", "--exclude", "--strict",
                   "--extra-locks", "--format", "--jobs", "--stdin-display-name", "--statistics", "--version"):
        assert option in help_text


def test_a_file_that_cannot_be_checked_is_skipped_and_the_run_goes_on(tmp_path: Path) -> None:
    # It could hold a finding (it passes a rule's textual trigger), but it does not parse.
    (tmp_path / "broken.py").write_text("import threading\nlock = threading.Lock(\n", encoding="utf-8")
    (tmp_path / "binary.py").write_bytes(b"import threading\x00\xff\xfe\n")
    (tmp_path / "work.py").write_text(BUG, encoding="utf-8")
    result = command("--jobs", "1", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "broken.py" in result.stderr
    assert result.stdout.startswith("./work.py:7:5: TS101 ")
