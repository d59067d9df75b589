"""Does a change alter what the plugin reports? Dump every report on a fixed corpus, then diff two dumps.

    python benchmarks/compare_reports.py dump before.json            # with the code on sys.path
    PYTHONPATH=/tmp/old/src python benchmarks/compare_reports.py dump before.json
    python benchmarks/compare_reports.py diff before.json after.json

The corpus: the test cases, the examples, the running Python's standard library and
site-packages (and any directories given with ``--root``). Each file is read as flake8
reads it and run through ``Plugin(...).run()`` in-process, once with default options and
once with ``--threadsafe-strict``; case files are also run with the options their first
lines ask for (``# flake8-options: ...``). A dump maps ``corpus/config/path`` to the
report lines; ``diff`` prints, per corpus, the files and reports compared and every
difference, and exits 1 if there is one.

It uses only flake8's plugin interface (``Plugin(tree, lines, filename)``,
``parse_options``, ``run``), so two versions of the package can be compared.
"""

from __future__ import annotations

import argparse
import ast
import json
import multiprocessing
import os
import re
import sys
import sysconfig
from collections import Counter
from pathlib import Path

from flake8.processor import FileProcessor

ROOT = Path(__file__).resolve().parents[1]
_READING = argparse.Namespace(
    hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None, verbose=0,
    stdin_display_name="stdin", disable_noqa=False,
)
_OPTIONS = re.compile(r"#\s*flake8-options:\s*(.+)$", re.MULTILINE)
_SKIP_DIRS = {"__pycache__", ".git", ".venv"}


def _python_files(root: Path, *, skip_site: bool = False) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if d not in _SKIP_DIRS and not (skip_site and d in ("site-packages", "dist-packages"))
        )
        found.extend(Path(dirpath, name) for name in sorted(filenames) if name.endswith(".py"))
    return found


def _options(words: list[str]) -> argparse.Namespace:
    extra: list[str] = []
    strict = False
    for word in words:
        if word == "--threadsafe-strict":
            strict = True
        elif word.startswith("--threadsafe-extra-locks="):
            extra.extend(word.split("=", 1)[1].split(","))
    return argparse.Namespace(threadsafe_extra_locks=extra, threadsafe_strict=strict)


def _case_options(path: Path) -> list[str]:
    head = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    match = _OPTIONS.search(head)
    return match.group(1).split() if match else []


def _jobs(roots: dict[str, Path]) -> list[tuple[str, str, list[str]]]:
    jobs = []
    for corpus, root in roots.items():
        files = _python_files(root, skip_site=corpus == "stdlib")
        for path in files:
            jobs.append((corpus, str(path), []))
            jobs.append((corpus, str(path), ["--threadsafe-strict"]))
            if corpus == "cases":
                options = _case_options(path)
                if options:
                    jobs.append((corpus, str(path), options))
    return jobs


def _run(job: tuple[str, str, list[str]]) -> tuple[str, list[str]]:
    from flake8_threadsafe import Plugin

    corpus, path, words = job
    key = f"{corpus}/{' '.join(words) or 'default'}/{path}"
    try:
        lines = FileProcessor(path, _READING).lines
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError, UnicodeError, OSError):
        return key, ["<not python>"]
    Plugin.parse_options(_options(words))
    reports = [f"{line}:{col}: {message}" for line, col, message, _ in Plugin(tree, lines, path).run()]
    return key, reports


def dump(out: Path, extra_roots: list[Path]) -> None:
    import flake8_threadsafe

    roots = {
        "cases": ROOT / "tests" / "cases",
        "examples": ROOT / "examples",
        "stdlib": Path(sysconfig.get_paths()["stdlib"]),
        "site-packages": Path(sysconfig.get_paths()["purelib"]),
    }
    for index, root in enumerate(extra_roots):
        roots[f"extra{index}:{root.name}"] = root
    jobs = _jobs(roots)
    print(f"{flake8_threadsafe.__file__}: {len(jobs)} runs", file=sys.stderr)
    with multiprocessing.Pool(2) as pool:
        results = dict(pool.imap_unordered(_run, jobs, chunksize=16))
    out.write_text(json.dumps(results, indent=0, sort_keys=True), encoding="utf-8")
    reports = sum(len(r) for r in results.values() if r != ["<not python>"])
    print(f"wrote {out}: {len(results)} runs, {reports} reports", file=sys.stderr)


def diff(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    runs: Counter[str] = Counter()
    reports: Counter[str] = Counter()
    differing = 0
    # Files that exist in one corpus only (a package installed in between) are counted, not compared.
    only = {"before": len(set(old) - set(new)), "after": len(set(new) - set(old))}
    for key in sorted(set(old) & set(new)):
        corpus = key.split("/", 1)[0]
        runs[corpus] += 1
        was, now = old.get(key), new.get(key)
        reports[corpus] += len(was or [])
        if was != now:
            differing += 1
            print(f"DIFF {key}\n  before: {was}\n  after:  {now}")
    for corpus in sorted(runs):
        print(f"{corpus}: {runs[corpus]} runs (files x option sets), {reports[corpus]} reports before")
    print(f"runs only in the before dump: {only['before']}, only in the after dump: {only['after']}")
    print(f"{differing} runs differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--root", type=Path, action="append", default=[])
    diffing = commands.add_parser("diff")
    diffing.add_argument("before", type=Path)
    diffing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.root)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
