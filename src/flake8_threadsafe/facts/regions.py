"""Where a site sits among statements: inside which block, in a loop, after another
statement, in a ``finally:``. Answered from the statement positions the walk recorded,
without walking the tree again."""

from __future__ import annotations

import libcst as cst

from flake8_threadsafe.facts.model import Site

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def in_suite(site: Site, suite: cst.BaseSuite) -> bool:
    """Whether ``site`` lies inside ``suite`` (a block or a one-line suite)."""
    body = suite.body if isinstance(suite, cst.IndentedBlock) else None
    return any(pos.block is body or pos.statement is suite for pos in site.enclosing())


def after(site: Site, earlier: Site) -> bool:
    """``site`` is in a statement after ``earlier``'s, in the same block."""
    stmt = earlier.stmt
    return stmt is not None and any(pos.block is stmt.block and pos.index > stmt.index for pos in site.enclosing())


def before_in_function(site: Site, later: Site) -> bool:
    """``site``'s top-level statement comes before ``later``'s, in one function body."""
    site_top = list(site.enclosing())[-1:]
    later_top = list(later.enclosing())[-1:]
    return bool(
        site_top and later_top and site_top[0].block is later_top[0].block and site_top[0].index < later_top[0].index
    )


def _header(statement: cst.CSTNode) -> cst.CSTNode | None:
    """The part of a compound statement that is not its body."""
    if isinstance(statement, cst.For):
        return statement.iter
    if isinstance(statement, (cst.If, cst.While)):
        return statement.test
    return None


def _inside_comprehension(root: cst.CSTNode, wanted: cst.CSTNode) -> bool:
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, inside = stack.pop()
        if node is wanted:
            return inside
        inside = inside or isinstance(node, _COMPREHENSIONS)
        stack.extend((child, inside) for child in node.children)
    return False


def repeats(site: Site) -> bool:
    """The site runs several times per run of its function: in a loop or a comprehension."""
    for pos in site.enclosing():
        if pos.parent is not None and isinstance(pos.parent.statement, (cst.For, cst.While)):
            return True
    root: cst.CSTNode | None = site.small
    if root is None and site.stmt is not None:
        root = _header(site.stmt.statement)
    return root is not None and _inside_comprehension(root, site.node)
