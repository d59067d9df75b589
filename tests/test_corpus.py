"""The plugin over real code: the installed standard library and site-packages.

Files are read as flake8 reads them (``tokenize.open(...).readlines()``, latin-1 when
that fails, BOM stripped) and skipped when ``ast`` rejects them (flake8 reports E999
there and runs no tree plugin). For every other file ``Plugin(...).run()`` is exhausted
in-process:

* no exception may escape ``run()``;
* every file where the plugin gave up (its ``flake8-threadsafe: skipped`` log record) is
  printed, and each must be a file that libcst's own parser rejects.

Duration (2-core container, CPython 3.11, 1790 stdlib + 2051 site-packages files, of
which the pre-check lets 135 + 68 through): about 26 s for everything, so every file
is checked by default. Should the analysis get slow enough for this to pass ~60 s, set
``SAMPLE_BY_DEFAULT = True``: the default run then checks the standard library outside
its ``test`` package, every 4th file of that package and every 4th file of
site-packages, and ``THREADSAFE_LONG=1`` runs everything.
"""

from __future__ import annotations

import ast
import collections
import os
import sysconfig
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from flake8_threadsafe import Plugin
from plugin_harness import captured_log, libcst_parses, read_lines

SAMPLE_BY_DEFAULT = False
LONG = not SAMPLE_BY_DEFAULT or os.environ.get("THREADSAFE_LONG", "") not in ("", "0")
SAMPLE_EVERY = 4
SKIPPED = "flake8-threadsafe: skipped"

STDLIB = Path(sysconfig.get_paths()["stdlib"])
PURELIB = Path(sysconfig.get_paths()["purelib"])
_SITE_DIRS = {"site-packages", "dist-packages"}


def python_files(root: Path, *, exclude_site_packages: bool) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d != "__pycache__" and not (exclude_site_packages and d in _SITE_DIRS)
        )
        found.extend(Path(dirpath, name) for name in sorted(filenames) if name.endswith(".py"))
    return found


def stdlib_files(*, full: bool) -> list[Path]:
    files = python_files(STDLIB, exclude_site_packages=True)
    if full:
        return files
    test_package = STDLIB / "test"
    tests = [f for f in files if test_package in f.parents]
    return [f for f in files if test_package not in f.parents] + tests[::SAMPLE_EVERY]


def site_packages_files(*, full: bool) -> list[Path]:
    if not PURELIB.is_dir():
        return []
    files = python_files(PURELIB, exclude_site_packages=False)
    return files if full else files[::SAMPLE_EVERY]


@dataclass
class CorpusResult:
    files: int = 0
    not_python: int = 0  # ast rejects: flake8 says E999, no plugin runs
    analyzed: int = 0  # passed the pre-check (reached the analysis or gave up)
    seconds: float = 0.0
    plugin_seconds: float = 0.0
    escaped: list[str] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    bad_reports: list[str] = field(default_factory=list)
    codes: collections.Counter[str] = field(default_factory=collections.Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)


def run_corpus(files: list[Path], analyze_calls: list[int]) -> CorpusResult:
    result = CorpusResult(files=len(files))
    started = time.perf_counter()
    timings: list[tuple[float, str]] = []
    with captured_log() as records, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning/DeprecationWarning from ast.parse
        for path in files:
            lines = read_lines(path)
            try:
                tree = ast.parse("".join(lines))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                result.not_python += 1
                continue
            plugin = Plugin(tree, lines, str(path))
            records.clear()
            calls_before = analyze_calls[0]
            t0 = time.perf_counter()
            try:
                reports = list(plugin.run())
            except BaseException as exc:  # noqa: BLE001 - collect, report all at the end
                if isinstance(exc, KeyboardInterrupt):
                    raise
                result.escaped.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            finally:
                elapsed = time.perf_counter() - t0
                result.plugin_seconds += elapsed
                timings.append((elapsed, str(path)))
            gave_up = [r.getMessage() for r in records if SKIPPED in r.getMessage()]
            result.gave_up.extend(gave_up)
            if gave_up or analyze_calls[0] > calls_before:
                result.analyzed += 1  # passed the pre-check
            for report in reports:
                line, col, message, kind = report
                if not (
                    isinstance(line, int)
                    and line >= 1
                    and isinstance(col, int)
                    and col >= 0
                    and kind is Plugin
                ):
                    result.bad_reports.append(f"{path}: {report!r}")
                if line > len(lines) + 1:
                    result.bad_reports.append(
                        f"{path}: line {line} past the end ({len(lines)} lines)"
                    )
                result.codes[message.split(" ", 1)[0]] += 1
    result.seconds = time.perf_counter() - started
    result.slowest = sorted(timings, reverse=True)[:5]
    return result


@pytest.fixture
def analyze_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the rules that run: a file that reaches one passed the pre-check and parsed.

    ``rules.rule`` is wrapped, not ``rules.analyze``: the engine binds ``analyze`` by
    name when it is imported."""
    import flake8_threadsafe.rules as rules

    calls = [0]
    real = rules.rule

    def counting_rule(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(rules, "rule", counting_rule)
    return calls


def check_corpus(
    name: str, files: list[Path], analyze_calls: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    if not files:
        pytest.skip(f"no {name} files found")
    result = run_corpus(files, analyze_calls)

    unexplained = []
    for message in result.gave_up:
        # "flake8-threadsafe: skipped <path> (<Exc>: msg)"
        path = message[len(SKIPPED) + 1:].split(" (", 1)[0]
        source = "".join(read_lines(Path(path)))
        if not not libcst_parses(source):
            unexplained.append(message)

    with capsys.disabled():
        print(
            f"\n[corpus {name}] {result.files} files, {result.not_python} rejected by ast, "
            f"{result.analyzed} passed the pre-check; {result.seconds:.1f}s total, "
            f"{result.plugin_seconds:.1f}s in Plugin.run(); "
            f"reports: {dict(sorted(result.codes.items()))}"
        )
        for seconds, path in result.slowest:
            print(f"[corpus {name}]   slowest: {seconds:.2f}s {path}")
        for message in result.gave_up:
            tag = "UNEXPLAINED" if message in unexplained else "libcst rejects it"
            print(f"[corpus {name}]   gave up ({tag}): {message}")
        for message in result.escaped:
            print(f"[corpus {name}]   EXCEPTION ESCAPED: {message}")

    assert result.escaped == [], "exceptions escaped Plugin.run():\n" + "\n".join(result.escaped)
    assert result.bad_reports == [], "\n".join(result.bad_reports)
    assert unexplained == [], "the plugin gave up on files that libcst parses:\n" + "\n".join(
        unexplained
    )


def test_stdlib(analyze_calls: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    name = "stdlib" if LONG else f"stdlib (test package: every {SAMPLE_EVERY}th file)"
    check_corpus(name, stdlib_files(full=LONG), analyze_calls, capsys)


def test_site_packages(analyze_calls: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    name = "site-packages" if LONG else f"site-packages (every {SAMPLE_EVERY}th file)"
    check_corpus(name, site_packages_files(full=LONG), analyze_calls, capsys)
