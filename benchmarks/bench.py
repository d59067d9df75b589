"""How much flake8-threadsafe adds to a flake8 run, and to the cost of parsing.

    python benchmarks/bench.py                 # the running Python's standard library
    python benchmarks/bench.py path/to/code    # another corpus (a directory or a file)
    python benchmarks/bench.py --rounds 5

Two measurements:

1. flake8 (default plugins and options: ``--isolated``, ``-j1``) over the corpus with
   and without our plugin, runs alternating, ``--rounds`` rounds. Both variants go
   through ``_flake8_wrapper.py``, which only drops our entry point from flake8's plugin
   discovery for the "without" run. Output goes to /dev/null (``--exit-zero``).
   Reported: the median of the per-round ratios with/without.

2. In-process, on the files our plugin really analyzes (those past its
   textual triggers): ``Plugin(...).run()`` exhausted, against bare ``libcst.parse_module`` of
   the same sources (the floor: parsing is unavoidable). Files are read and ``ast``-parsed
   beforehand, as flake8 does, outside the timing.

3. The standalone command (``flake8-threadsafe``, ``--jobs 1``) against
   ``flake8 --select=TS`` (``-j1``) over the corpus, runs alternating: the command skips
   flake8's own checks, which ``--select`` does not turn off.

Budget: <= 1.10x plain flake8, <= 1.5x the parse floor; the command >= 3x faster than
``flake8 --select=TS``.
"""

from __future__ import annotations

import argparse
import ast
import gc
import logging
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flake8.processor import FileProcessor

HERE = Path(__file__).resolve().parent
WRAPPER = HERE / "_flake8_wrapper.py"
FLAKE8_BUDGET = 1.10
FLOOR_BUDGET = 1.5
COMMAND_SPEEDUP = 3.0

# flake8's default --exclude, plus the site-packages inside the standard library.
_EXCLUDED_DIRS = {".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs"}
_SITE_DIRS = ("site-packages", "dist-packages")


def corpus_files(root: Path, *, exclude_site_packages: bool) -> list[Path]:
    if root.is_file():
        return [root]
    excluded = _EXCLUDED_DIRS | (set(_SITE_DIRS) if exclude_site_packages else set())
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in excluded and not d.endswith(".egg"))
        files.extend(Path(dirpath, name) for name in sorted(filenames) if name.endswith(".py"))
    return files


# The options FileProcessor reads; none of them changes how a file is read.
_READING_OPTIONS = argparse.Namespace(
    hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None, verbose=0,
    stdin_display_name="stdin", disable_noqa=False,
)


def read_lines(path: Path) -> list[str]:
    """The lines of ``path`` as flake8 gives them to plugins: read by flake8's own
    ``FileProcessor`` (encoding cookie or latin-1 fallback, BOM stripped)."""
    return FileProcessor(str(path), _READING_OPTIONS).lines


# --- 1. flake8 with and without the plugin -------------------------------------------


def flake8_command(variant: str, target: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        str(WRAPPER),
        variant,
        "--isolated",
        "-j1",
        "--exit-zero",
        *extra,
        str(target),
    ]


def check_variants() -> None:
    """The two variants differ exactly by our plugin."""
    versions = {}
    for variant in ("with", "without"):
        out = subprocess.run(
            [sys.executable, str(WRAPPER), variant, "--version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        versions[variant] = " ".join(out.split())
    if "flake8-threadsafe" not in versions["with"] or "flake8-threadsafe" in versions["without"]:
        raise SystemExit(f"the wrapper does not select the plugin as expected: {versions}")
    print(f"flake8 with:    {versions['with']}")
    print(f"flake8 without: {versions['without']}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_flake8(variant: str, target: Path, extra: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one flake8 run."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(
        flake8_command(variant, target, extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    if result.returncode != 0:
        raise SystemExit(f"flake8 ({variant}) exited {result.returncode}:\n{result.stderr[-3000:]}")
    return elapsed, cpu


def bench_flake8(target: Path, rounds: int, extra: list[str]) -> float:
    ratios, cpu_ratios = [], []
    times: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for round_number in range(rounds):
        # Alternate which variant goes first, so drift (caches, thermal) hits both alike.
        order = ("without", "with") if round_number % 2 == 0 else ("with", "without")
        for variant in order:
            wall, cpu_seconds = time_flake8(variant, target, extra)
            times[variant].append(wall)
            cpu[variant].append(cpu_seconds)
        ratio = times["with"][-1] / times["without"][-1]
        ratios.append(ratio)
        cpu_ratios.append(cpu["with"][-1] / cpu["without"][-1])
        print(
            f"  round {round_number + 1}/{rounds}: without {times['without'][-1]:7.2f}s"
            f"   with {times['with'][-1]:7.2f}s   ratio {ratio:.3f}"
            f"   (CPU {cpu['without'][-1]:.2f}s / {cpu['with'][-1]:.2f}s: {cpu_ratios[-1]:.3f})",
            flush=True,
        )
    median = statistics.median(ratios)
    best = min(times["with"]) / min(times["without"])
    print(
        f"flake8 -j1: median without {statistics.median(times['without']):.2f}s, "
        f"with {statistics.median(times['with']):.2f}s; median ratio {median:.3f}x "
        f"(budget <= {FLAKE8_BUDGET:.2f}x: {'OK' if median <= FLAKE8_BUDGET else 'OVER BUDGET'}); "
        f"best-of-{rounds} ratio {best:.3f}x; median CPU-time ratio {statistics.median(cpu_ratios):.3f}x"
    )
    return median


def bench_command(target: Path, rounds: int, extra: list[str]) -> float:
    """The median of ``flake8 --select=TS`` time / the command's time."""
    command = [sys.executable, "-m", "flake8_threadsafe", "--jobs", "1", str(target)]
    if extra:
        command[-1:-1] = ["--exclude", ",".join(_SITE_DIRS)]
    flake8 = [sys.executable, "-m", "flake8", "--isolated", "-j1", "--exit-zero", "--select=TS", *extra, str(target)]
    speedups = []
    for round_number in range(rounds):
        times = {}
        order = ("flake8", "command") if round_number % 2 == 0 else ("command", "flake8")
        for name in order:
            started = time.perf_counter()
            result = subprocess.run(
                flake8 if name == "flake8" else command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            times[name] = time.perf_counter() - started
            if result.returncode not in (0, 1):
                raise SystemExit(f"{name} exited {result.returncode}:\n{result.stderr[-3000:]}")
        speedups.append(times["flake8"] / times["command"])
        print(
            f"  round {round_number + 1}/{rounds}: flake8 --select=TS {times['flake8']:7.2f}s"
            f"   flake8-threadsafe {times['command']:7.2f}s   speed-up {speedups[-1]:.2f}x",
            flush=True,
        )
    median = statistics.median(speedups)
    print(
        f"command: median speed-up over flake8 --select=TS {median:.2f}x "
        f"(budget >= {COMMAND_SPEEDUP:.1f}x: {'OK' if median >= COMMAND_SPEEDUP else 'TOO SLOW'})"
    )
    return median


# --- 2. the plugin against the parse floor ----------------------------------------------


class _Gaveup(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "flake8-threadsafe: skipped" in record.getMessage():
            self.count += 1


@contextmanager
def spy_on_plugin() -> Iterator[list[int]]:
    """Counts [analyze calls, 'gave up' log records]: the plugin's interface, no internals.

    A file got past the textual triggers if it reached ``analyze`` or the plugin logged
    that it gave up on it (the parse failed).
    """
    import flake8_threadsafe.engine as engine_module

    counts = [0, 0]

    class GaveUp(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "flake8-threadsafe: skipped" in record.getMessage():
                counts[1] += 1

    logger = logging.getLogger("flake8.threadsafe")
    handler = GaveUp(logging.DEBUG)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    real_analyze = engine_module.analyze

    def counting_analyze(*args, **kwargs):  # type: ignore[no-untyped-def]
        counts[0] += 1
        return real_analyze(*args, **kwargs)

    engine_module.analyze = counting_analyze
    try:
        yield counts
    finally:
        engine_module.analyze = real_analyze
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def bench_floor(files: list[Path], rounds: int) -> float | None:
    import libcst

    from flake8_threadsafe import Plugin

    # One file at a time, as flake8 goes: read, ast-parse, run the plugin once (spied on)
    # to learn whether it gets past the triggers; keep only the files it analyzes.
    analyzed: list[tuple[Path, list[str], ast.Module]] = []
    not_python = turned_away = 0
    precheck = 0.0
    with spy_on_plugin() as counts, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            lines = read_lines(path)
            try:
                tree = ast.parse("".join(lines))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                not_python += 1  # flake8 reports E999 and runs no tree plugin
                continue
            before = sum(counts)
            started = time.perf_counter()
            for _ in Plugin(tree, lines, str(path)).run():
                pass
            elapsed = time.perf_counter() - started
            if sum(counts) > before:
                analyzed.append((path, lines, tree))
            else:
                turned_away += 1
                precheck += elapsed
            del tree
        gave_up = counts[1]
    gc.collect()

    total_lines = sum(len(lines) for _, lines, _ in analyzed)
    print(
        f"plugin analyzes {len(analyzed)} of {len(analyzed) + turned_away} files "
        f"({len(files)} .py files, "
        f"{not_python} rejected by ast), {total_lines} lines; gave up on {gave_up}"
    )
    if not analyzed:
        return None
    n_skipped = turned_away

    def run_plugin() -> float:
        started = time.perf_counter()
        for path, lines, tree in analyzed:
            for _ in Plugin(tree, lines, str(path)).run():
                pass
        gc.collect()  # each side pays for the cyclic garbage it leaves, not the next one
        return time.perf_counter() - started

    texts = ["".join(lines) for _, lines, _ in analyzed]

    def run_parse() -> float:
        started = time.perf_counter()
        for text in texts:
            try:
                libcst.parse_module(text)
            except Exception:  # noqa: BLE001 - the plugin pays for failed parses too
                pass
        gc.collect()
        return time.perf_counter() - started

    # flake8 holds one file's tree at a time; here all the analyzed files' trees and lines
    # stay loaded. Freeze them out of the garbage collector's view, or every full
    # collection during the timing would walk them (+35% on both sides here).
    gc.collect()
    gc.freeze()
    ratios = []
    best_parse = best_plugin = float("inf")
    for round_number in range(rounds):
        gc.collect()
        if round_number % 2 == 0:
            parse, plugin = run_parse(), run_plugin()
        else:
            plugin, parse = run_plugin(), run_parse()
        ratios.append(plugin / parse)
        best_parse, best_plugin = min(best_parse, parse), min(best_plugin, plugin)
        print(
            f"  round {round_number + 1}/{rounds}: libcst.parse_module {parse:6.2f}s"
            f"   Plugin.run() {plugin:6.2f}s   ratio {plugin / parse:.3f}",
            flush=True,
        )
    gc.unfreeze()
    median = statistics.median(ratios)
    print(
        f"plugin vs parse floor: median ratio {median:.3f}x "
        f"(budget <= {FLOOR_BUDGET:.2f}x: {'OK' if median <= FLOOR_BUDGET else 'OVER BUDGET'}); "
        f"best-of-{rounds} ratio {best_plugin / best_parse:.3f}x; "
        f"textual triggers on the {n_skipped} files they turn away: {precheck:.3f}s"
    )
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "path", nargs="?", help="corpus (default: the standard library, without site-packages)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of each measurement (default 3)"
    )
    parser.add_argument(
        "--skip-flake8", action="store_true", help="skip the flake8 with/without measurement"
    )
    parser.add_argument("--skip-floor", action="store_true", help="skip the in-process measurement")
    parser.add_argument("--skip-command", action="store_true", help="skip the standalone command's measurement")
    args = parser.parse_args(argv)

    if args.path:
        target = Path(args.path).resolve()
        extra: list[str] = []
        files = corpus_files(target, exclude_site_packages=False)
    else:
        target = Path(sysconfig.get_paths()["stdlib"])
        extra = ["--extend-exclude=" + ",".join(_SITE_DIRS)]
        files = corpus_files(target, exclude_site_packages=True)
    print(
        f"corpus: {target} ({len(files)} .py files); "
        f"Python {sys.version.split()[0]}; rounds: {args.rounds}"
    )

    flake8_ratio = floor_ratio = speedup = None
    if not args.skip_flake8:
        check_variants()
        flake8_ratio = bench_flake8(target, args.rounds, extra)
    if not args.skip_floor:
        floor_ratio = bench_floor(files, args.rounds)
    if not args.skip_command:
        speedup = bench_command(target, args.rounds, extra)

    parts = []
    if flake8_ratio is not None:
        parts.append(f"flake8 with/without {flake8_ratio:.3f}x (budget <= {FLAKE8_BUDGET:.2f}x)")
    if floor_ratio is not None:
        parts.append(f"plugin/parse floor {floor_ratio:.3f}x (budget <= {FLOOR_BUDGET:.2f}x)")
    if speedup is not None:
        parts.append(f"command {speedup:.2f}x faster than flake8 --select=TS (budget >= {COMMAND_SPEEDUP:.1f}x)")
    print("summary: " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
