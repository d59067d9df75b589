"""What a rule is: callbacks for the node types it needs during the one traversal,
and a ``finish`` that judges what it collected once the file's facts are complete."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from flake8_threadsafe.facts import FileFacts


@dataclass(frozen=True)
class Finding:
    node: cst.CSTNode  # its position is computed only if the finding is reported
    code: str
    message: str
    # Other nodes the message names by line: ``{line0}`` in ``message`` becomes the line
    # of ``related[0]`` (located together with ``node``, only if reported).
    related: tuple[cst.CSTNode, ...] = ()


class Rule:
    """Subclasses define ``visit_<NodeType>(site)`` callbacks and ``finish()``.

    Callbacks run during the traversal, when facts about the rest of the file (a lock
    bound further down, a thread target defined later) may be missing, so they only
    collect candidates; ``finish`` decides with complete facts.
    """

    code: ClassVar[str]

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts

    def finish(self) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, node: cst.CSTNode, message: str, related: tuple[cst.CSTNode, ...] = ()) -> Finding:
        return Finding(node, self.code, message, related)
