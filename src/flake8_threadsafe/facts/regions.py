"""Where a site sits among statements: inside which block, in a loop, after another
statement, in a ``finally:``. Answered from the statement positions the walk recorded,
without walking the tree again."""

from __future__ import annotations

import libcst as cst

from flake8_threadsafe.facts.model import FunctionInfo, Site, StmtPos

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


def in_loop(site: Site) -> bool:
    """The site runs again on each pass of a loop of its function: it is in the loop's
    body or in its test or iterable (not in its ``else:``, which runs once)."""
    for pos in site.enclosing():
        statement = pos.statement
        if isinstance(statement, (cst.For, cst.While)) and (pos is site.stmt or in_suite(site, statement.body)):
            return True
    return False


def leading_to(site: Site) -> list[cst.CSTNode]:
    """What runs before the site on the way to it, inside the innermost ``with`` around it
    (the critical section; the whole function without one): the statements before its
    own in each enclosing block, the tests of the ``if`` statements it is in, and the body
    of a ``try`` it is in a handler (or ``else``/``finally``) of."""
    found: list[cst.CSTNode] = []
    for pos in site.enclosing():
        found.extend(pos.block[: pos.index])
        parent = pos.parent
        if parent is None:
            continue
        statement = parent.statement
        if isinstance(statement, cst.With):
            break
        if isinstance(statement, (cst.If, cst.While)):
            found.append(statement.test)
        elif isinstance(statement, (cst.Try, cst.TryStar)) and pos.block is not statement.body.body:
            found.append(statement.body)
    return found


def following(site: Site) -> list[cst.CSTNode]:
    """The statements of the site's function that can run after its own: the rest of each
    enclosing block, from the innermost outwards, up to a ``return`` or ``raise`` that
    leaves the function."""
    found: list[cst.CSTNode] = []
    for pos in site.enclosing():
        for statement in pos.following():
            found.append(statement)
            if isinstance(statement, cst.SimpleStatementLine) and any(
                isinstance(small, (cst.Return, cst.Raise)) for small in statement.body
            ):
                return found
    return found


def block_owner(pos: StmtPos, func: FunctionInfo | None, module: cst.Module) -> cst.CSTNode | None:
    """The node whose ``body`` is the block ``pos`` is in: the module, a function's
    indented body, or one of the suites of the enclosing statement."""
    if pos.parent is None:
        if func is None:
            return module
        body = func.node.body
        return body if isinstance(body, cst.IndentedBlock) and body.body is pos.block else None
    stack: list[cst.CSTNode] = [pos.parent.statement]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.IndentedBlock) and node.body is pos.block:
            return node
        if not isinstance(node, cst.BaseCompoundStatement) or node is pos.parent.statement:
            stack.extend(child for child in node.children if not isinstance(child, cst.BaseSmallStatement))
    return None
