"""The files the command checks, read as flake8 reads them, and their ``# noqa`` comments.

The command must give byte-for-byte the reports flake8 gives, so a file's lines are read
the way flake8's ``FileProcessor`` reads them: decoded by its PEP 263 coding line (or
UTF-8), universal newlines, a leading BOM dropped; latin-1 when that fails. ``# noqa``
has flake8's meaning: on the logical line of the report (a statement over several lines
is one), bare or with codes matched by prefix (``# noqa: TS1``); ``# noqa: TS`` without
digits is not a list of codes, so it silences the whole line, as in flake8.
``# flake8: noqa`` on a line of its own skips the file.
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path

# flake8's own patterns (``flake8.defaults``), so that the two agree on every comment.
NOQA_INLINE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_CODE_LIST = re.compile(r"[,\s]")

# Directories never searched: version control, virtualenvs, caches, build output.
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".venv", "venv", ".eggs", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", "node_modules", "site-packages",
    }
)


def decode(data: bytes) -> list[str]:
    """The lines of a file's bytes, as flake8 reads them."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        lines = io.TextIOWrapper(io.BytesIO(data), encoding, line_buffering=True).readlines()
    except (SyntaxError, UnicodeError, LookupError):
        lines = io.TextIOWrapper(io.BytesIO(data), "latin-1").readlines()
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return lines


def decode_exact(data: bytes) -> tuple[str, str]:
    """A file's text exactly as written (its newlines kept), and the encoding to write it
    back with (``utf-8-sig`` keeps a BOM)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def excluded(path: Path, patterns: Sequence[str]) -> bool:
    """``path`` matches an ``exclude`` pattern: by its name, or by its whole path (as
    written, and absolute), with shell wildcards, as flake8's ``--exclude``."""
    if not patterns:
        return False
    name = path.name
    candidates = (name, str(path), os.path.abspath(path))
    return any(fnmatch.fnmatch(candidate, pattern) for pattern in patterns for candidate in candidates)


def discover(paths: Iterable[str], exclude: Sequence[str]) -> Iterator[str]:
    """The Python files of ``paths``: files as given, directories searched for ``*.py``
    (skipping hidden, virtualenv and build directories and ``exclude`` matches), in a
    stable order. ``-`` stands for standard input."""
    for given in paths:
        if given == "-":
            yield given
            continue
        path = Path(given)
        if excluded(path, exclude):
            continue
        if not path.is_dir():
            yield given
            continue
        for root, directories, files in os.walk(path):
            directories[:] = sorted(
                d
                for d in directories
                if d not in SKIPPED_DIRECTORIES
                and not d.startswith(".")
                and not d.endswith(".egg-info")
                and not excluded(Path(root, d), exclude)
            )
            for file in sorted(files):
                if file.endswith(".py") and not excluded(Path(root, file), exclude):
                    yield os.path.join(root, file)


class NoqaLines:
    """Which reports a file's ``# noqa`` comments silence."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines

    @cached_property
    def skips_file(self) -> bool:
        return any(NOQA_FILE.match(line) for line in self.lines)

    @cached_property
    def _logical(self) -> dict[int, str]:
        """For each line, the text of the logical line it belongs to (flake8's mapping)."""
        mapping: dict[int, str] = {}
        first, last = len(self.lines) + 2, -1
        try:
            for token in tokenize.generate_tokens(io.StringIO("".join(self.lines)).readline):
                kind, (start, _), (end, _) = token.type, token.start, token.end
                if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                    continue
                first, last = min(first, start), max(last, end)
                if kind in (tokenize.NL, tokenize.NEWLINE):
                    joined = "".join(self.lines[first - 1 : last])
                    mapping.update(dict.fromkeys(range(first, last + 1), joined))
                    first, last = len(self.lines) + 2, -1
        except (tokenize.TokenError, SyntaxError):
            return {}
        return mapping

    def silences(self, line: int, code: str) -> bool:
        text = self._logical.get(line)
        if text is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        match = NOQA_INLINE.search(text)
        if match is None:
            return False
        codes = match.group("codes")
        if codes is None:
            return True
        listed = {item for item in _CODE_LIST.split(codes) if item}
        return code in listed or code.startswith(tuple(listed))
