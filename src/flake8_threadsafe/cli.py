"""``flake8-threadsafe``: the checker as a command of its own, for projects that lint with
ruff or want SARIF for code scanning.

The same engine as the flake8 plugin, so the same reports on the same lines and columns;
but without flake8's own checks (pyflakes, pycodestyle), which ``flake8 --select=TS``
still runs on every file. Files are read, and ``# noqa`` is honoured, as flake8 does
(``sources.py``); settings come from the command line and the project's configuration
(``settings.py``); findings are printed in one of ``formats.py``'s formats.

Exit status: 0 without findings, 1 with findings, 2 for a usage or configuration error.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from flake8_threadsafe._version import __version__
from flake8_threadsafe.formats import FORMATS, Finding
from flake8_threadsafe.registry import REGISTRY, codes_triggered
from flake8_threadsafe.settings import Settings, SettingsError, build, from_files
from flake8_threadsafe.sources import NoqaLines, decode, decode_exact, discover

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# Files per task sent to a worker process: most files pass no trigger and take
# microseconds, so one task per file would spend the time on inter-process messages.
_CHUNK = 16


def _parser() -> argparse.ArgumentParser:
    codes = ", ".join(entry.code for entry in REGISTRY)
    parser = argparse.ArgumentParser(
        prog="flake8-threadsafe",
        description=(
            "Find threading bugs in Python code: locks left held, self-deadlocks, lock-order "
            "deadlocks, unlocked shared updates, lost executor errors, thread API mistakes. "
            f"Codes: {codes}."
        ),
        epilog=(
            "Configuration: [tool.flake8-threadsafe] in pyproject.toml (keys select, ignore, "
            "extend-select, extend-ignore, exclude, extra-locks, strict) and the threadsafe-* keys "
            "of the [flake8] section of setup.cfg, tox.ini or .flake8, found from the current "
            "directory upwards; the command line wins. Exit status: 0 no findings, 1 findings, "
            "2 usage or configuration error."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", default=["."], help="files and directories to check ('-' for stdin; default: .)"
    )
    parser.add_argument("--select", metavar="CODES", help="comma-separated code prefixes to report (default: TS)")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated code prefixes not to report")
    parser.add_argument("--extend-select", metavar="CODES", help="code prefixes to report on top of --select")
    parser.add_argument("--extend-ignore", metavar="CODES", help="code prefixes not to report, on top of --ignore")
    parser.add_argument(
        "--exclude", metavar="PATTERNS",
        help="comma-separated glob patterns of files and directories to skip (by name or path)",
    )
    parser.add_argument(
        "--strict", action="store_true", default=None,
        help="TS201: also report plain stores and single container mutations of shared state",
    )
    parser.add_argument(
        "--extra-locks", metavar="NAMES",
        help="comma-separated dotted names of your own lock classes or factories (myapp.sync.NamedLock)",
    )
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="text",
        help="text (path:line:col: CODE message, as flake8), json, sarif (SARIF 2.1.0) or github (annotations)",
    )
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--stdin-display-name", default="stdin", metavar="NAME", help="the path to show for '-'")
    parser.add_argument("--statistics", action="store_true", help="print the number of findings per code at the end")
    parser.add_argument(
        "--fix", action="store_true",
        help="apply the safe fixes (rewrites that keep what the code meant) and report what is left",
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true",
        help="with --fix or --diff, also the unsafe fixes (they may change behaviour other code relies on)",
    )
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    parser.add_argument("--version", action="version", version=f"flake8-threadsafe {__version__}")
    return parser


def _settings(args: argparse.Namespace, start: Path) -> Settings:
    values, sources = from_files(start)
    for key in ("select", "ignore", "extend_select", "extend_ignore", "exclude", "extra_locks"):
        given = getattr(args, key)
        if given is not None:
            values[key.replace("_", "-")] = given
    if args.strict is not None:
        values["strict"] = True
    return build(values, sources)


def check_file(path: str, settings: Settings, stdin_name: str = "stdin") -> tuple[list[Finding], str | None]:
    """The findings of one file, and why it was skipped (None when it was checked)."""
    shown = stdin_name if path == "-" else path
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        return [], f"{shown}: cannot be read ({exc.strerror or exc})"
    try:
        lines = decode(data)
        noqa = NoqaLines(lines)
        if noqa.skips_file:
            return [], None
        source = "".join(lines)
        codes = codes_triggered(source, settings.codes)
        if not codes:
            return [], None
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError) as exc:
            return [], f"{shown}: not checked, it does not parse ({type(exc).__name__}: {exc})"
        from flake8_threadsafe import engine

        reports = engine.reports(source, lines, tree, settings.config, codes)
    except Exception as exc:  # noqa: BLE001 - a failure in our code skips the file, never the run
        return [], f"{shown}: skipped ({type(exc).__name__}: {exc})"
    return [
        Finding(shown, r.line, r.column + 1, r.end_line, r.end_column + 1, r.code, r.message)
        for r in reports
        if not noqa.silences(r.line, r.code)
    ], None


# Fixes are applied again on the fixed text until nothing changes: two fixes that touch
# the same statement are applied one pass after the other.
_FIX_PASSES = 5


def fix_file(path: str, settings: Settings, unsafe: bool) -> tuple[str, str, str, list[str], str | None]:
    """The text of ``path`` before and after its fixes, its encoding, the codes fixed, and
    why it was left unchanged (None when it was not)."""
    try:
        text, encoding = decode_exact(Path(path).read_bytes())
    except (OSError, SyntaxError, UnicodeError, LookupError) as exc:
        return "", "", "utf-8", [], f"{path}: not fixed, it cannot be read ({exc})"
    fixed, applied = text, []
    try:
        from flake8_threadsafe import engine

        for _ in range(_FIX_PASSES):
            if NoqaLines(decode(fixed.encode(encoding))).skips_file:
                break
            codes = codes_triggered(fixed, settings.codes)
            if not codes:
                break
            ast.parse(fixed)
            rewritten, codes_fixed = engine.fix(fixed, settings.config, codes, unsafe=unsafe)
            if not codes_fixed or rewritten == fixed:
                break
            try:
                ast.parse(rewritten)
            except SyntaxError as exc:
                return text, text, encoding, [], f"{path}: not fixed, the fixed code would not parse ({exc})"
            fixed = rewritten
            applied.extend(codes_fixed)
    except (SyntaxError, ValueError) as exc:
        return text, fixed, encoding, applied, f"{path}: not fixed, it does not parse ({type(exc).__name__}: {exc})"
    except Exception as exc:  # noqa: BLE001 - a failure in our code leaves the file as it was
        return text, text, encoding, [], f"{path}: not fixed ({type(exc).__name__}: {exc})"
    return text, fixed, encoding, applied, None


def _fix_all(paths: Sequence[str], settings: Settings, args: argparse.Namespace) -> tuple[list[Finding], int]:
    """Fix (or, with ``--diff``, show the fixes of) every file; the findings left and the
    number of fixes."""
    findings: list[Finding] = []
    count = 0
    for path in paths:
        if path == "-":
            print("flake8-threadsafe: error: --fix and --diff need files, not stdin", file=sys.stderr)
            continue
        before, after, encoding, applied, problem = fix_file(path, settings, args.unsafe_fixes)
        if problem is not None:
            print(f"flake8-threadsafe: {problem}", file=sys.stderr)
        if args.diff:
            found, _ = check_file(path, settings)
            findings.extend(found)
            if after != before:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
                    )
                )
            continue
        if after != before:
            with open(path, "w", encoding=encoding, newline="") as out:
                out.write(after)
            count += len(applied)
        found, skipped = check_file(path, settings)
        if skipped is not None:
            print(f"flake8-threadsafe: {skipped}", file=sys.stderr)
        findings.extend(found)
    return findings, count


def _check_all(
    paths: Sequence[str], settings: Settings, jobs: int, stdin_name: str
) -> Iterator[tuple[list[Finding], str | None]]:
    files = [path for path in paths if path != "-"]
    if "-" in paths:
        yield check_file("-", settings, stdin_name)
    if jobs <= 1 or len(files) <= _CHUNK:
        for path in files:
            yield check_file(path, settings)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(partial(check_file, settings=settings), files, chunksize=_CHUNK)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args, Path.cwd())
        if args.jobs is not None and args.jobs < 1:
            raise SettingsError(f"--jobs: expected a positive number, got {args.jobs}")
    except SettingsError as exc:
        print(f"flake8-threadsafe: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    paths = list(discover(args.paths, settings.exclude))
    missing = [path for path in args.paths if path != "-" and not os.path.exists(path)]
    if missing:
        print(f"flake8-threadsafe: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.unsafe_fixes and not (args.fix or args.diff):
        print("flake8-threadsafe: error: --unsafe-fixes needs --fix or --diff", file=sys.stderr)
        return EXIT_USAGE
    if args.fix or args.diff:
        findings, fixed = _fix_all(paths, settings, args)
        if args.diff:
            return EXIT_FINDINGS if findings else EXIT_CLEAN
        print(f"flake8-threadsafe: fixed {fixed} finding{'s' * (fixed != 1)}", file=sys.stderr)
        sys.stdout.write(FORMATS[args.format](findings))
        return EXIT_FINDINGS if findings else EXIT_CLEAN
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    findings = []
    for found, skipped in _check_all(paths, settings, jobs, args.stdin_display_name):
        if skipped is not None:
            print(f"flake8-threadsafe: {skipped}", file=sys.stderr)
        findings.extend(found)
    sys.stdout.write(FORMATS[args.format](findings))
    if args.statistics:
        counts = Counter(finding.code for finding in findings)
        for code in sorted(counts):
            print(f"{counts[code]:<5} {code}", file=sys.stdout if args.format == "text" else sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_CLEAN
