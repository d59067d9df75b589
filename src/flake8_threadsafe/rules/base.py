"""What a rule is.

A rule is one module, ``rules/tsNNN_<what>.py``, registered in ``registry.py``:

- its docstring says what it reports, what it leaves out, and why;
- ``CODE = "TSnnn"``;
- ``check(facts, config)`` reads the finished facts of one file (``facts.FileFacts``)
  and yields ``Finding`` objects. It runs after the whole file has been walked, so every
  fact is complete; it does not walk the tree itself, and a question that another rule
  could ask too belongs in ``facts/``, not in the rule.

The contract every rule keeps: **a rule never reports because something is absent.**
Before parsing, the text stage (``prefilter/``) blanks out functions that no running
rule mentions, and a file that fails a rule's trigger never reaches that rule. Both are
safe only because missing code can take a report away (a lock release, a caller holding
the lock, a second writer) but never create one. A rule that needs evidence found only
in other code (another writer of a field, a caller) must say in ``prefilter/keep.py``
which code the focus step keeps for it; ``tests/test_focus.py`` checks that focusing
changes no report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import libcst as cst

from flake8_threadsafe.config import Config
from flake8_threadsafe.facts import FileFacts
from flake8_threadsafe.fixes import Fix


@dataclass(frozen=True)
class Finding:
    node: cst.CSTNode  # its position is computed only if the finding is reported
    code: str
    message: str
    # Other nodes the message names by line: ``{line0}`` in ``message`` becomes the line
    # of ``related[0]`` (located together with ``node``, only if reported).
    related: tuple[cst.CSTNode, ...] = ()
    # The rewrite that removes the bug, when there is one (``fixes.py``).
    fix: Fix | None = None


class RuleModule(Protocol):
    CODE: str

    def check(self, facts: FileFacts, config: Config) -> Iterator[Finding]: ...
