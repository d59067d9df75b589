"""The command's settings: which codes it reports and how the analysis runs, from the
command line and the project's configuration files.

Configuration is read from the nearest ``pyproject.toml`` with a
``[tool.flake8-threadsafe]`` table and from the nearest ``setup.cfg``/``tox.ini``/``.flake8``
with a ``[flake8]`` section (its ``threadsafe-*`` keys, the ones the flake8 plugin reads),
searched from the current directory upwards. The command line wins over both, and
``pyproject.toml`` over the flake8 section. An unknown key or a bad value is an error
(``SettingsError``, exit status 2): a misspelt key must not silently do nothing.

Codes are chosen as flake8 chooses them: ``select``/``extend-select`` and
``ignore``/``extend-ignore`` are code prefixes, and for each code the longest matching
prefix decides (``select = TS`` with ``ignore = TS2`` reports TS1xx, TS3xx, TS4xx).
"""

from __future__ import annotations

import configparser
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flake8_threadsafe.config import Config
from flake8_threadsafe.registry import CODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

TABLE = "flake8-threadsafe"
# The keys of ``[tool.flake8-threadsafe]``, and of the ``[flake8]`` section (prefixed).
PYPROJECT_KEYS = frozenset({"select", "ignore", "extend-select", "extend-ignore", "exclude", "extra-locks", "strict"})
FLAKE8_KEYS = frozenset({"threadsafe-extra-locks", "threadsafe-strict"})
FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")


class SettingsError(Exception):
    """A configuration the command refuses: an unknown key, a bad value."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("TS",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    config: Config = field(default_factory=Config)
    sources: tuple[str, ...] = ()  # the configuration files read, for ``--verbose``

    @property
    def codes(self) -> frozenset[str]:
        """Our codes these settings report."""
        chosen = (*self.select, *self.extend_select)
        dropped = (*self.ignore, *self.extend_ignore)
        found = set()
        for code in CODES:
            picked = max((len(prefix) for prefix in chosen if code.startswith(prefix)), default=-1)
            left = max((len(prefix) for prefix in dropped if code.startswith(prefix)), default=-1)
            if picked >= 0 and picked > left:
                found.add(code)
        return frozenset(found)


def code_list(value: Any, key: str) -> tuple[str, ...]:
    """``"TS1, TS201"`` or ``["TS1", "TS201"]`` as prefixes; an error for anything that is
    not a code prefix (``TS``, ``TS1``, ``TS101``, or another tool's, ``E``, ``W503``)."""
    items = _items(value, key)
    for item in items:
        if not (item[:1].isalpha() and item.isalnum() and item == item.upper()):
            raise SettingsError(f"{key}: '{item}' is not a code or code prefix (like TS, TS1, TS101)")
    return items


def _items(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.replace("\n", ",").split(",") if item.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    raise SettingsError(f"{key}: expected a list of strings or a comma-separated string, got {value!r}")


def _flag(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return value.strip().lower() in ("true", "yes", "on", "1")
    raise SettingsError(f"{key}: expected true or false, got {value!r}")


def _nearest(start: Path, names: Iterable[str], has_section: Any) -> Path | None:
    for directory in (start, *start.parents):
        for name in names:
            candidate = directory / name
            if candidate.is_file() and has_section(candidate):
                return candidate
    return None


def _pyproject_table(path: Path) -> Mapping[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read as TOML: {exc}") from exc
    table = data.get("tool", {}).get(TABLE)
    if table is not None and not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.{TABLE}] must be a table")
    return table


def _flake8_section(path: Path) -> Mapping[str, str] | None:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeError) as exc:
        raise SettingsError(f"{path}: cannot be read: {exc}") from exc
    return dict(parser["flake8"]) if parser.has_section("flake8") else None


def from_files(start: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The settings the configuration files give, as ``pyproject`` keys, and the files read."""
    found: dict[str, Any] = {}
    read = []
    ini = _nearest(start, FLAKE8_FILES, lambda path: _flake8_section(path) is not None)
    if ini is not None:
        read.append(str(ini))
        section = _flake8_section(ini) or {}
        for key, value in section.items():
            normalized = key.replace("_", "-")
            if not normalized.startswith("threadsafe-"):
                continue  # flake8's own keys, and other plugins'
            if normalized not in FLAKE8_KEYS:
                raise SettingsError(
                    f"{ini}: [flake8] has an unknown key '{key}' (known: {', '.join(sorted(FLAKE8_KEYS))})"
                )
            found[normalized.removeprefix("threadsafe-")] = value
    pyproject = _nearest(start, ("pyproject.toml",), lambda path: _pyproject_table(path) is not None)
    if pyproject is not None:
        read.append(str(pyproject))
        table = _pyproject_table(pyproject) or {}
        for key, value in table.items():
            if key not in PYPROJECT_KEYS:
                raise SettingsError(
                    f"{pyproject}: [tool.{TABLE}] has an unknown key '{key}' "
                    f"(known: {', '.join(sorted(PYPROJECT_KEYS))})"
                )
            found[key] = value
    return found, tuple(read)


def build(values: Mapping[str, Any], sources: tuple[str, ...] = ()) -> Settings:
    """Settings from ``pyproject``-style keys (files and command line merged)."""
    select = code_list(values["select"], "select") if "select" in values else ("TS",)
    extra = values.get("extra-locks", ())
    return Settings(
        select=select,
        ignore=code_list(values.get("ignore", ()), "ignore") if "ignore" in values else (),
        extend_select=code_list(values["extend-select"], "extend-select") if "extend-select" in values else (),
        extend_ignore=code_list(values["extend-ignore"], "extend-ignore") if "extend-ignore" in values else (),
        exclude=_items(values["exclude"], "exclude") if "exclude" in values else (),
        config=Config(
            extra_locks=frozenset(_items(extra, "extra-locks")) if extra else frozenset(),
            strict=_flag(values["strict"], "strict") if "strict" in values else False,
        ),
        sources=sources,
    )
