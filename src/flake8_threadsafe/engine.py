"""Everything that needs libcst: focus, parse, analyze, locate, format.

``plugin.py`` imports this module only for a file that passes the textual pre-check,
so a flake8 run (or a pre-commit hook) over files without threading code never pays
for importing libcst.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

import libcst as cst

from flake8_threadsafe import fixes
from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.positions import locate
from flake8_threadsafe.prefilter.focus import focused_source
from flake8_threadsafe.rules import analyze


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Parsing allocates hundreds of thousands of nodes, which sets off the cyclic garbage
    collector again and again, each time walking everything flake8 keeps alive; one
    collection after we are done is enough (measured: 35-40% of the plugin's time).

    That one collection runs here, on the youngest generation: the facts of a file hold
    reference cycles (a function and its call sites, a class and its methods) that keep
    the syntax nodes they name alive until a collection. Left to flake8's next
    collection, they cost the rest of the run about 0.6 s more on the standard library's
    133 analyzed files than collecting them at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.collect(0)
            gc.enable()


class Report(NamedTuple):
    """One finding where it is: 1-based lines, 0-based columns (the end just after it)."""

    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str


def check(
    source: str, lines: Sequence[str], tree: object, config: Config, codes: Iterable[str]
) -> list[tuple[int, int, str]]:
    """``(line, column, "TSnnn message")`` of the rules of ``codes`` on one file, sorted:
    what flake8 wants of a plugin."""
    return [(r.line, r.column, f"{r.code} {r.message}") for r in reports(source, lines, tree, config, codes)]


def reports(source: str, lines: Sequence[str], tree: object, config: Config, codes: Iterable[str]) -> list[Report]:
    """The reports of the rules of ``codes`` on one file, sorted.

    ``source`` is ``lines`` joined; ``tree`` is its ``ast`` (flake8's, or the command's;
    the focus step reads it)."""
    with _no_cyclic_gc():
        return _check(source, lines, tree, config, frozenset(codes))


def _check(source: str, lines: Sequence[str], tree: object, config: Config, codes: frozenset[str]) -> list[Report]:
    module = cst.parse_module(focused_source(source, lines, tree, config.extra_lock_names))
    findings = analyze(FileFacts.of(module, config), config, codes)
    if not findings:
        return []
    positions = locate(module, [node for finding in findings for node in (finding.node, *finding.related)])
    found = set()
    for finding in findings:
        position = positions.get(finding.node)
        if position is None:
            continue
        message = finding.message
        # Lines of related nodes (where a thread starts) are known only now.
        for index, node in enumerate(finding.related):
            line = positions.get(node, ("?",))[0]
            message = message.replace(f"{{line{index}}}", str(line))
        found.add(Report(*position, finding.code, message))
    return sorted(found)


def fix(source: str, config: Config, codes: Iterable[str], *, unsafe: bool = False) -> tuple[str, list[str]]:
    """``source`` with the fixes of the findings of ``codes`` applied (the unsafe ones too
    with ``unsafe``), and the codes of the fixes applied. The module is parsed without
    the focus step: the fixes rewrite the file itself, not its focused text."""
    with _no_cyclic_gc():
        module = cst.parse_module(source)
        findings = analyze(FileFacts.of(module, config), config, frozenset(codes))
        offered = [(f.code, f.fix) for f in findings if f.fix is not None and (f.fix.safe or unsafe)]
        fixed, applied = fixes.apply(module, [fix for _, fix in offered])
        chosen = {id(fix) for fix in applied}
        return fixed.code, [code for code, fix in offered if id(fix) in chosen]
