"""The ecosystem check: our rules over real threading code, every finding judged.

    python benchmarks/ecosystem/run.py                    # fetch, lint, compare
    python benchmarks/ecosystem/run.py --package urllib3  # a subset (repeatable)
    python benchmarks/ecosystem/run.py --update-baseline  # rewrite baseline.csv

Each package of ``packages.txt`` is fetched once with ``pip download --no-deps`` into the
cache (``--cache``, outside the repo) and unpacked there into ``src/<name>-<version>/``;
each tree, then the running Python's standard library (package ``stdlib``), is linted by
flake8 with only our codes. Findings are compared with ``baseline.csv``, where each one
is judged (``bug``, ``risk``, ``false``; empty: not judged yet) by reading the code: see
``README.md`` beside this file.

Exit status: 0 when no finding is new and none is unjudged, 1 otherwise, 2 when the
setup fails (a package cannot be fetched, flake8 fails).
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
PACKAGES = HERE / "packages.txt"
BASELINE = HERE / "baseline.csv"
DEFAULT_CACHE = Path.home() / ".cache" / "flake8-threadsafe" / "ecosystem"
COLUMNS = ("package", "path", "line", "code", "message", "verdict", "reason")
VERDICTS = ("bug", "risk", "false")
# A finding's line can move (a rule reports another node of the same statement): its
# verdict is carried over to the nearest old line this close.
MOVED_LINES = 5
# Tab-separated: a message may hold ':' and a path may too.
FORMAT = "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s"
_PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
_FILES = re.compile(r"(\d+)\s+total files processed")
_SKIPPED = re.compile(r"flake8-threadsafe: skipped (.+)$", re.MULTILINE)


class SetupError(Exception):
    pass


class Package(NamedTuple):
    name: str
    version: str


class Finding(NamedTuple):
    """The matching key of a finding; paths are relative to the package's root."""

    package: str
    path: str
    line: int
    code: str
    message: str


class Judgement(NamedTuple):
    verdict: str
    reason: str


def read_packages(path: Path = PACKAGES) -> list[Package]:
    packages = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        pin = text.split("#", 1)[0].strip()
        if not pin:
            continue
        match = _PIN.fullmatch(pin)
        if not match:
            raise SetupError(f"{path}:{number}: not 'name==version': {pin!r}")
        packages.append(Package(*match.groups()))
    return packages


# The running Python's standard library, linted as one more package.
STDLIB = Package("stdlib", f"python{sys.version_info.major}.{sys.version_info.minor}")
STDLIB_ROOT = Path(sysconfig.get_paths()["stdlib"])
STDLIB_OPTIONS = ["--extend-exclude=site-packages,dist-packages"]


# --- fetching ----------------------------------------------------------------------------


def fetch(package: Package, cache: Path) -> Path:
    """The unpacked tree of ``package``: downloaded and unpacked on first use only."""
    root = cache / "src" / f"{package.name}-{package.version}"
    if root.is_dir():
        return root
    downloads = cache / "downloads" / root.name
    downloads.mkdir(parents=True, exist_ok=True)
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
         "-q", "-d", str(downloads), f"{package.name}=={package.version}"],
        capture_output=True, text=True,
    )
    archives = sorted(downloads.iterdir())
    if pip.returncode or len(archives) != 1:
        raise SetupError(f"cannot fetch {package.name}=={package.version}:\n{pip.stderr.strip()}")
    # Unpacked beside the final place, then renamed: an interrupted run leaves no half tree.
    partial = root.with_name(f".{root.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    archive = archives[0]
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as wheel:  # extractall keeps paths inside ``partial``
            wheel.extractall(partial)
    else:
        shutil.unpack_archive(archive, partial, filter="data")
    # An sdist holds one folder, <name>-<version>/: that folder is the package's root.
    entries = list(partial.iterdir())
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else partial
    top.rename(root)
    shutil.rmtree(partial, ignore_errors=True)
    return root


# --- linting -----------------------------------------------------------------------------


class Lint(NamedTuple):
    files: int  # checked by flake8
    findings: list[Finding]
    skipped: list[str]  # files our plugin failed on: no TS reports there


def lint(package: Package, root: Path, jobs: int, options: list[str]) -> Lint:
    """flake8 with only our codes over ``root``."""
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=TS", f"-j{jobs}", "-v",
         "--benchmark", f"--format={FORMAT}", *options, "."],
        cwd=root, capture_output=True, text=True,
    )
    files = _FILES.search(flake8.stdout)
    if flake8.returncode not in (0, 1) or not files:
        raise SetupError(f"flake8 failed on {package.name}:\n{flake8.stderr.strip()[-3000:]}")
    findings = []
    for text in flake8.stdout.splitlines():
        fields = text.split("\t", 4)
        if len(fields) == 5:
            path, line, _col, code, message = fields
            findings.append(Finding(package.name, relative(path), int(line), code, message))
    skipped = [relative(text) for text in _SKIPPED.findall(flake8.stderr)]
    return Lint(int(files.group(1)), findings, skipped)


def relative(path: str) -> str:
    return path.removeprefix("./")


# --- the baseline ------------------------------------------------------------------------


def read_baseline(path: Path = BASELINE) -> dict[Finding, Judgement]:
    if not path.exists():
        return {}
    baseline = {}
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["verdict"] not in (*VERDICTS, ""):
                raise SetupError(f"{path}: verdict {row['verdict']!r} is not one of {VERDICTS}")
            finding = Finding(row["package"], row["path"], int(row["line"]), row["code"],
                              row["message"])
            baseline[finding] = Judgement(row["verdict"], row["reason"])
    return baseline


def carry_over(findings: list[Finding], old: dict[Finding, Judgement]) -> dict[Finding, Judgement]:
    """Each finding with the judgement of the old finding it matches: the same key, else
    the same package, path, code and message at the nearest line at most MOVED_LINES
    away whose judgement is not already taken; unjudged when there is none."""
    judged = {finding: old[finding] for finding in findings if finding in old}
    unused = [finding for finding in old if finding not in judged]
    for finding in findings:
        if finding in judged:
            continue
        moved = [o for o in unused if o._replace(line=finding.line) == finding
                 and abs(o.line - finding.line) <= MOVED_LINES]
        if moved:
            nearest = min(moved, key=lambda o: (abs(o.line - finding.line), o.line))
            unused.remove(nearest)
            judged[finding] = old[nearest]
    return {finding: judged.get(finding, Judgement("", "")) for finding in findings}


def write_baseline(rows: dict[Finding, Judgement], path: Path = BASELINE) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for finding in sorted(rows):
            writer.writerow((*finding, *rows[finding]))


# --- the report --------------------------------------------------------------------------


def print_table(findings: list[Finding], baseline: dict[Finding, Judgement]) -> None:
    columns = (*VERDICTS, "unjudged", "total")
    counts: dict[str, Counter[str]] = {}
    for finding in findings:
        verdict = baseline[finding].verdict if finding in baseline else ""
        for code in (finding.code, "all"):
            counts.setdefault(code, Counter()).update((verdict or "unjudged", "total"))
    print(f"\n{'code':<6}" + "".join(f"{column:>10}" for column in columns))
    for code in sorted(counts, key=lambda code: (code == "all", code)):
        print(f"{code:<6}" + "".join(f"{counts[code][column]:>10}" for column in columns))


def print_findings(title: str, findings: list[Finding]) -> None:
    print(f"\n{title}: {len(findings)}")
    for finding in sorted(findings):
        print(f"  {finding.package}/{finding.path}:{finding.line}: {finding.code} "
              f"{finding.message}")


def lint_all(packages: list[Package], cache: Path, jobs: int) -> Lint:
    """Every package fetched and linted, one progress line each, then the totals."""
    started = time.perf_counter()
    fetching = 0.0
    total = Lint(0, [], [])
    for package in packages:
        start = time.perf_counter()
        root = STDLIB_ROOT if package == STDLIB else fetch(package, cache)
        fetching += time.perf_counter() - start
        start = time.perf_counter()
        result = lint(package, root, jobs, STDLIB_OPTIONS if package == STDLIB else [])
        skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
        print(f"{package.name} {package.version}: {result.files} files, "
              f"{len(result.findings)} findings{skipped}, {time.perf_counter() - start:.1f} s",
              flush=True)
        total = Lint(total.files + result.files, total.findings + result.findings,
                     total.skipped + [f"{package.name}/{path}" for path in result.skipped])
    elapsed = time.perf_counter() - started
    print(f"\n{len(packages)} packages, {total.files} files, {len(total.findings)} findings in "
          f"{elapsed:.1f} s ({elapsed - fetching:.1f} s linting, {fetching:.1f} s fetching)")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"where packages are downloaded and unpacked ({DEFAULT_CACHE})")
    parser.add_argument("--package", action="append", metavar="NAME",
                        help=f"run this package only (repeatable; '{STDLIB.name}' too)")
    parser.add_argument("--jobs", type=int, default=2, help="flake8's -j (2)")
    parser.add_argument("--baseline", type=Path, default=BASELINE,
                        help="the judged baseline (benchmarks/ecosystem/baseline.csv)")
    parser.add_argument("--update-baseline", action="store_true",
                        help="rewrite baseline.csv, keeping the judgements that still match")
    args = parser.parse_args()
    try:
        return check(args)
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def check(args: argparse.Namespace) -> int:
    packages = [*read_packages(), STDLIB]
    unknown = set(args.package or ()) - {package.name for package in packages}
    if unknown:
        raise SetupError(f"not in {PACKAGES.name}: {', '.join(sorted(unknown))}")
    if args.package:
        packages = [package for package in packages if package.name in args.package]
    chosen = {package.name for package in packages}
    # A subset run compares with, and rewrites, the baseline of its packages only.
    compared: dict[Finding, Judgement] = {}
    kept: dict[Finding, Judgement] = {}
    for finding, judged in read_baseline(args.baseline).items():
        (compared if finding.package in chosen else kept)[finding] = judged
    result = lint_all(packages, args.cache, args.jobs)

    print_table(result.findings, compared)
    new = [finding for finding in result.findings if finding not in compared]
    print_findings("new since the baseline", new)
    print_findings("gone since the baseline", sorted(set(compared) - set(result.findings)))
    if result.skipped:
        print(f"\nfiles the plugin failed on (no TS reports there): {len(result.skipped)}")
        print("".join(f"  {path}\n" for path in result.skipped), end="")
    unjudged = [finding for finding in result.findings
                if finding not in compared or not compared[finding].verdict]
    if args.update_baseline:
        write_baseline({**kept, **carry_over(result.findings, compared)}, args.baseline)
        print(f"\nwrote {args.baseline}")
    return 1 if unjudged else 0  # a new finding is unjudged too


if __name__ == "__main__":
    sys.exit(main())
