"""How the command prints its findings: ``text`` (flake8's lines), ``json``, ``sarif``
(SARIF 2.1.0, for code scanning) and ``github`` (workflow annotations).

Columns are 1-based everywhere, as flake8 prints them; end columns point just past the
reported expression.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flake8_threadsafe._version import __version__
from flake8_threadsafe.registry import REGISTRY

REPOSITORY = "https://github.com/flake8-threadsafe/flake8-threadsafe"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Finding:
    """A report of one file, as the command prints it."""

    path: str
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int  # 1-based, just past the end
    code: str
    message: str


def doc_url(code: str) -> str:
    return f"{REPOSITORY}/blob/main/docs/rules/{code}.md"


def text(findings: Sequence[Finding]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in findings)


def as_json(findings: Sequence[Finding]) -> str:
    return (
        json.dumps(
            [
                {
                    "path": f.path,
                    "line": f.line,
                    "column": f.column,
                    "end_line": f.end_line,
                    "end_column": f.end_column,
                    "code": f.code,
                    "message": f.message,
                    "url": doc_url(f.code),
                }
                for f in findings
            ],
            indent=2,
        )
        + "\n"
    )


def sarif(findings: Sequence[Finding]) -> str:
    rules = []
    index = {}
    for position, entry in enumerate(REGISTRY):
        index[entry.code] = position
        rules.append(
            {
                "id": entry.code,
                "name": entry.module.split("_", 1)[1].replace("_", "-"),
                "shortDescription": {"text": entry.summary.replace("`", "")},
                "fullDescription": {"text": _full_description(entry.module, entry.summary)},
                "helpUri": doc_url(entry.code),
                "defaultConfiguration": {"level": "warning"},
            }
        )
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "warning",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(f.path).as_posix()},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flake8-threadsafe",
                        "version": __version__,
                        "informationUri": REPOSITORY,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _full_description(module: str, summary: str) -> str:
    """What the rule reports, from its module's docstring (the paragraph after its title)."""
    doc = importlib.import_module(f"flake8_threadsafe.rules.{module}").__doc__ or ""
    paragraphs = [" ".join(part.split()) for part in doc.split("\n\n") if part.strip()]
    return (paragraphs[1] if len(paragraphs) > 1 else summary).replace("``", "'").replace("`", "")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    return "".join(
        f"::warning file={_escape_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
        f"endColumn={f.end_column},title={f.code}::{_escape_data(f'{f.code} {f.message}')}\n"
        for f in findings
    )


FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": text,
    "json": as_json,
    "sarif": sarif,
    "github": github,
}
