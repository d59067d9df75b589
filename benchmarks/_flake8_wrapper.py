"""Run flake8 with or without flake8-threadsafe, otherwise identically.

    python benchmarks/_flake8_wrapper.py with    [flake8 arguments...]
    python benchmarks/_flake8_wrapper.py without [flake8 arguments...]

Both variants take the same path: flake8's plugin discovery
(``flake8.plugins.finder.find_plugins``) is wrapped, and the wrapper drops our entry
point only for ``without``; then ``flake8.main.cli.main()`` runs. So the only difference
between the two runs is our plugin (``--version`` shows which plugins were loaded).
"""

from __future__ import annotations

import sys

from flake8.main import cli
from flake8.plugins import finder

OUR_MODULE = "flake8_threadsafe"


def _is_ours(plugin: finder.Plugin) -> bool:
    return plugin.entry_point.value.split(":", 1)[0].split(".", 1)[0] == OUR_MODULE


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("with", "without"):
        sys.stderr.write(__doc__ or "")
        return 2
    keep_ours = sys.argv[1] == "with"
    real_find_plugins = finder.find_plugins

    def find_plugins(*args, **kwargs):  # type: ignore[no-untyped-def]
        plugins = real_find_plugins(*args, **kwargs)
        return [plugin for plugin in plugins if keep_ours or not _is_ours(plugin)]

    # flake8 looks it up on the module at call time (flake8.options.parse_args).
    finder.find_plugins = find_plugins
    return cli.main(sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
