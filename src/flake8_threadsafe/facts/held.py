"""Questions about lock regions that rules ask after the traversal.

The walker already knows, at every node, which locks are held (``Site.held``): inside
``with L:``, after ``L.acquire()`` until a statement that releases ``L``, and in the body
of ``if L.acquire(...):``. These helpers answer the remaining questions from the recorded
call sites and statement positions, without walking the tree again.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flake8_threadsafe.facts.model import FunctionInfo, Site, StmtPos
from flake8_threadsafe.facts.walker import dotted_text


def releases(calls: list[Site]) -> Iterator[tuple[Site, str]]:
    """Every ``X.release()`` among ``calls``, with the text of ``X``."""
    for site in calls:
        callee = site.node.func  # type: ignore[attr-defined]
        if isinstance(callee, cst.Attribute) and callee.attr.value == "release":
            text = dotted_text(callee.value)
            if text is not None:
                yield site, text


def release_sites(calls: list[Site], text: str) -> list[Site]:
    """The ``<text>.release()`` calls among ``calls``."""
    return [site for site, released in releases(calls) if released == text]


def positions(site: Site) -> Iterator[StmtPos]:
    """The statement a site is in, then each statement enclosing it, up to the function."""
    pos = site.stmt
    while pos is not None:
        yield pos
        pos = pos.parent


def in_suite(site: Site, suite: cst.BaseSuite) -> bool:
    """Whether ``site`` lies inside ``suite`` (a block or a one-line suite)."""
    body = suite.body if isinstance(suite, cst.IndentedBlock) else None
    return any(pos.block is body or pos.statement is suite for pos in positions(site))


def finally_releases(releases: list[Site], node: cst.Try | cst.TryStar) -> bool:
    """Whether one of ``releases`` runs in ``node``'s ``finally:`` (even under an ``if ok:``)."""
    if node.finalbody is None:
        return False
    return any(in_suite(site, node.finalbody.body) for site in releases)


def handler_releases(releases: list[Site], node: cst.Try | cst.TryStar) -> bool:
    """Whether one of ``releases`` runs in an ``except`` clause of ``node``."""
    return any(in_suite(site, handler.body) for handler in node.handlers for site in releases)


def calls_in_scope(facts_calls: list[Site], func: FunctionInfo | None) -> list[Site]:
    """The calls made directly in ``func`` (or at module level when ``func`` is None)."""
    if func is not None:
        return func.calls
    return [site for site in facts_calls if site.func is None]
