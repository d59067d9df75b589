"""The adapter in-process: the pre-check, option parsing, positions."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import libcst as cst
import pytest

from flake8_threadsafe import Plugin, __version__, engine, rules
from flake8_threadsafe.config import Config
from flake8_threadsafe.positions import locate
from flake8_threadsafe.registry import CODES, REGISTRY, codes_triggered
from plugin_harness import rules_run

ROOT_EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(source: str) -> list[tuple[int, int, str]]:
    lines = source.splitlines(keepends=True)
    return [(line, col, message) for line, col, message, _ in Plugin(ast.parse(source), lines, "t.py").run()]


@pytest.mark.parametrize(
    "source",
    [
        "import os\n\ndef f(gate):\n    gate.open()\n",
        "x = 1\n",
        "",
        "import threading\n\nprint(threading.current_thread().name)\n",
        "# Lock and Thread are mentioned, but nothing is imported\nx = 1\n",
        "import threading\n\nlock = threading.RLock()\n\ndef f():\n    with lock:\n        return 1\n",
    ],
)
def test_files_without_threading_words_are_not_parsed(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    def parse_module(*args: object) -> None:
        raise AssertionError("parsed a file the pre-check should skip")

    monkeypatch.setattr(engine.cst, "parse_module", parse_module)
    assert run(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "import threading\n\nlock = threading.Lock()\n",
        "from concurrent.futures import ThreadPoolExecutor\n",
        "def f(resource_lock):\n    resource_lock.acquire()\n",
        "import _thread\n\n_thread.start_new_thread(print, ())\n",
        "import os, threading as th\n\nclass Worker(th.Thread):\n    pass\n",
    ],
)
def test_files_with_threading_words_are_analyzed(source: str) -> None:
    with rules_run() as ran:
        run(source)
    # Analyzed once: every triggered rule ran, each once.
    assert ran
    assert sorted(ran) == sorted(codes_triggered(source))


def test_extra_lock_names_make_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    options = argparse.Namespace(threadsafe_extra_locks=["myapp.sync.Gate"], threadsafe_strict=False)
    monkeypatch.setattr(Plugin, "config", Plugin.config)
    monkeypatch.setattr(Plugin, "selected", Plugin.selected)
    Plugin.parse_options(options)
    assert Plugin.config == Config(extra_locks=frozenset({"myapp.sync.Gate"}))
    source = "from myapp.sync import Gate\n\ng = Gate()\n\ndef f():\n    g.acquire()\n    run()\n    g.release()\n"
    assert [message[:5] for _, _, message in run(source)] == ["TS101"]


def test_failure_inside_analysis_yields_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(code: str) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    # ``rules.rule``, not ``rules.analyze``: the engine binds ``analyze`` when imported.
    monkeypatch.setattr(rules, "rule", explode)
    with caplog.at_level("INFO", logger="flake8.threadsafe"):
        assert run("import threading\n\nthreading.Thread(target=print).start()\n") == []
    assert "flake8-threadsafe: skipped t.py (RecursionError" in caplog.text


def test_positions_match_libcst_position_provider() -> None:
    import threading

    import libcst.metadata as metadata

    source = open(threading.__file__, encoding="utf-8").read()
    module = cst.parse_module(source)
    expected = metadata.MetadataWrapper(module, unsafe_skip_copy=True).resolve(metadata.PositionProvider)
    nodes = [node for node in expected if isinstance(node, (cst.Call, cst.Attribute, cst.Name))]
    found = locate(module, nodes)
    assert len(found) == len(set(nodes))
    for node in nodes:
        start, end = expected[node].start, expected[node].end
        assert found[node] == (start.line, start.column, end.line, end.column)


def test_positions_with_crlf_and_tabs() -> None:
    source = "import threading\r\nif x:\r\n\tlock.acquire()\r\n"
    module = cst.parse_module(source)
    call = module.body[1].body.body[0].body[0].value
    assert locate(module, [call]) == {call: (3, 1, 3, 15)}


def _family(prefix: str) -> set[str]:
    return {code for code in CODES if code.startswith(prefix)}


@pytest.mark.parametrize(
    ("argv", "selected"),
    [
        ([], set(CODES)),
        (["--select=E,F"], set()),
        (["--select=TS1"], _family("TS1")),
        (["--extend-ignore=TS2,TS3"], set(CODES) - _family("TS2") - _family("TS3")),
        (["--select=TS", "--ignore=TS102"], set(CODES) - {"TS102"}),
    ],
)
def test_only_selected_rules_run(monkeypatch: pytest.MonkeyPatch, argv: list[str], selected: set[str]) -> None:
    from flake8.options.parse_args import parse_args

    monkeypatch.setattr(Plugin, "config", Plugin.config)
    monkeypatch.setattr(Plugin, "selected", Plugin.selected)
    parse_args(["--isolated", *argv])
    assert Plugin.selected == selected
    source = (
        "import threading\n\nlock = threading.Lock()\n\n"
        "def f():\n    lock.acquire()\n    g()\n    lock.release()\n"
    )
    with rules_run() as ran:
        reported = {message[:5] for _, _, message in run(source)}
    assert reported == ({"TS101"} & selected)
    # Rules that are not selected do not run at all, not only stay unreported.
    assert set(ran) == codes_triggered(source) & selected


def test_every_rule_code_is_known_to_the_adapter() -> None:
    assert {rules.rule(entry.code).CODE for entry in REGISTRY} == CODES
    assert len(REGISTRY) == len(CODES)


def test_version_is_the_package_version() -> None:
    from flake8_threadsafe import _version

    assert Plugin.version == _version.__version__ == __version__


def test_libcst_is_imported_only_for_files_past_the_pre_check() -> None:
    import subprocess
    import sys

    script = (
        "import ast, sys\n"
        "from flake8_threadsafe import Plugin\n"
        "src = 'import os\\nprint(os.getcwd())\\n'\n"
        "list(Plugin(ast.parse(src), src.splitlines(True), 'a.py').run())\n"
        "assert 'libcst' not in sys.modules, 'libcst imported for a file without threading'\n"
        "src = 'import threading\\nL = threading.Lock()\\n'\n"
        "list(Plugin(ast.parse(src), src.splitlines(True), 'b.py').run())\n"
        "assert 'libcst' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_analysis_leaves_no_cyclic_garbage_for_flake8_to_collect() -> None:
    import gc

    source = (ROOT_EXAMPLES / "TS201" / "bug.py").read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    engine.check(source, lines, tree, Config(), CODES)  # warm up: imports leave their own garbage
    gc.collect()
    assert engine.check(source, lines, tree, Config(), CODES)  # the facts of a file with a report hold cycles
    assert gc.collect() == 0


def test_only_triggered_rules_run(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[frozenset[str]] = []
    real = engine.check

    def check(
        source: str, lines: list[str], tree: ast.Module, config: Config, codes: frozenset[str]
    ) -> list[tuple[int, int, str]]:
        seen.append(frozenset(codes))
        return real(source, lines, tree, config, codes)

    monkeypatch.setattr(engine, "check", check)
    with rules_run() as ran:
        run("def f(state_lock):\n    state_lock.acquire()\n")
        run("import threading\n\nlock = threading.Lock()\nthreading.Thread(target=print).start()\n")
    triggered = {"TS102", "TS103", "TS104", "TS201", "TS401", "TS402", "TS404"}
    assert seen == [frozenset({"TS101"}), frozenset(triggered)]
    assert sorted(ran) == sorted({"TS101", *triggered})
