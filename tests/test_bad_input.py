"""Hostile and unusual input through the real flake8 executable.

Every case runs ``python -m flake8 -v`` in a subprocess on a file in ``tmp_path`` and
checks that flake8 finishes normally (exit 0 or 1), prints no traceback, reports no
TS code on code that has no threading bug and, where libcst can parse the file, that
our plugin did not give up on it (``flake8-threadsafe: skipped`` in the verbose log).

Each file carries a little correct threading code so that it passes the plugin's
textual pre-check and is really parsed and analyzed.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst
import pytest
from plugin_harness import read_lines, rules_run

# Correct use of a lock: passes the pre-check, must never be reported.
THREADING = textwrap.dedent(
    """\
    import threading

    lock = threading.Lock()


    def locked_work():
        with lock:
            return 1
    """
)

# The TS101 pattern (acquire/release without try/finally), for the syntax-error case:
# the file must get E999 and nothing from us.
TS101_BUG = textwrap.dedent(
    """\
    import threading

    lock = threading.Lock()


    def work():
        lock.acquire()
        do_work()
        lock.release()
    """
)

TS_CODE = re.compile(r":\d+:\d+: TS\d{3} ")
E999 = re.compile(r":\d+:\d+: E999 ")
SKIPPED = "flake8-threadsafe: skipped"


def run_flake8(
    path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "-v", "--isolated", "--select=E9,F,TS", *args, str(path)],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def assert_no_crash(result: subprocess.CompletedProcess[str]) -> None:
    detail = (
        f"exit {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    assert result.returncode in (0, 1), detail
    assert "Traceback" not in result.stderr, detail
    assert "Traceback" not in result.stdout, detail


def ts_reports(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if TS_CODE.search(line)]


def libcst_parses(data: bytes) -> bool:
    try:
        libcst.parse_module(data)
    except Exception:  # noqa: BLE001
        return False
    return True


def reaches_analysis(path: Path) -> bool:
    """In-process: does the plugin get past its pre-check on this file (read as flake8 does)?"""
    import ast

    from flake8_threadsafe import Plugin

    lines = read_lines(path)
    with rules_run() as ran:
        list(Plugin(ast.parse("".join(lines)), lines, str(path)).run())
    return bool(ran)


def check_clean_file(path: Path) -> subprocess.CompletedProcess[str]:
    """The common contract for a file with correct threading code."""
    result = run_flake8(path)
    failed = re.search(r'"([^"]+)" failed during execution', result.stdout + result.stderr)
    if failed and "threadsafe" not in failed.group(1) and "TS" not in failed.group(1):
        pytest.skip(f"flake8's own plugin {failed.group(1)} fails on this input on this Python")
    assert_no_crash(result)
    assert ts_reports(result) == [], result.stdout
    if not E999.search(result.stdout) and libcst_parses(path.read_bytes()):
        # flake8 ran the plugins and libcst accepts the file: we must have analyzed it.
        assert SKIPPED not in result.stderr, result.stderr[-3000:]
        # ... and really analyzed it, not stopped at the textual pre-check.
        if path.stat().st_size:
            assert reaches_analysis(path), (
                "the file did not pass the pre-check; the case tests nothing"
            )
    return result


# --- syntax errors -------------------------------------------------------------------


def test_syntax_error_gives_e999_only(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text(TS101_BUG + "\n\ndef oops(:\n    pass\n", encoding="utf-8")
    result = run_flake8(path)
    assert_no_crash(result)
    assert result.returncode == 1
    assert E999.search(result.stdout), result.stdout
    assert ts_reports(result) == []


def test_syntax_error_in_first_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("import threading lock\n" + THREADING, encoding="utf-8")
    result = run_flake8(path)
    assert_no_crash(result)
    assert E999.search(result.stdout), result.stdout
    assert ts_reports(result) == []


# --- encodings, line endings, whitespace ----------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.py"
    path.write_bytes(b"")
    result = check_clean_file(path)
    assert result.returncode == 0, result.stdout


def test_only_the_trigger_word(tmp_path: Path) -> None:
    # Passes the pre-check but has no code at all.
    path = tmp_path / "comment.py"
    path.write_bytes(b"# lock.acquire() is only mentioned in this comment\n")
    result = check_clean_file(path)
    assert result.returncode == 0, result.stdout


def test_no_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "nonl.py"
    path.write_text(THREADING.rstrip("\n"), encoding="utf-8")
    check_clean_file(path)


def test_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + THREADING.encode("utf-8"))
    result = check_clean_file(path)
    assert result.returncode == 0, result.stdout


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    path.write_bytes(THREADING.replace("\n", "\r\n").encode("utf-8"))
    result = check_clean_file(path)
    assert result.returncode == 0, result.stdout


def test_mixed_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mixed.py"
    lines = THREADING.splitlines(keepends=True)
    path.write_bytes(
        "".join(
            line.replace("\n", "\r\n") if i % 2 else line for i, line in enumerate(lines)
        ).encode()
    )
    check_clean_file(path)


def test_latin1_coding_cookie(tmp_path: Path) -> None:
    path = tmp_path / "latin1.py"
    source = "# -*- coding: latin-1 -*-\n" + THREADING + "\nNAME = 'caf\xe9 \xfcber \xa7'\n"
    path.write_bytes(source.encode("latin-1"))
    result = check_clean_file(path)
    assert result.returncode == 0, result.stdout


def test_undecodable_bytes_without_cookie(tmp_path: Path) -> None:
    # Not valid UTF-8 and no cookie: flake8 reports it (E902/E999), must not crash.
    path = tmp_path / "badutf8.py"
    path.write_bytes(THREADING.encode() + b"\nNAME = '\xff\xfe\xe9'\n")
    result = run_flake8(path)
    assert_no_crash(result)
    assert ts_reports(result) == []


def _flake8_on_null_byte(source: str) -> str:
    """What flake8 itself does with ``source`` (which holds a NUL byte) on this Python.

    flake8 builds the ``ast`` before it runs any AST plugin, ours included, and that fails
    on every Python; what happens next depends on the interpreter, so the outcome is read
    off the two calls flake8 makes (seen with flake8 7.4/7.5 on CPython 3.10.13, 3.11.7,
    3.12.1 and 3.13.0):

    - ``"ValueError"`` (3.10): ``ast.parse`` raises ValueError, not the SyntaxError of
      later Pythons (CPython gh-96670), and flake8 only catches SyntaxError and
      TokenError around its checks: it exits 1 with a traceback from ``build_ast``
      (reported to flake8 as #1682 and #1822, both closed).
    - ``"SystemError"`` (3.12, 3.13.0): ``ast.parse`` raises SyntaxError and flake8 goes
      to report E999, but first tokenizes the file to find ``# noqa`` comments; the C
      tokenizer of 3.12 and 3.13.0 fails on the NUL with SystemError ("returned a result
      with an exception set"; a CPython bug, cf. gh-140576), which flake8 does not catch:
      it exits 1 with a traceback from ``noqa_line_for``.
    - ``"E999"`` (3.11, whose pure-Python tokenizer reads the NUL as an error token, and
      any Python whose tokenizer raises SyntaxError or TokenError instead): flake8
      reports ``E999 SyntaxError: source code string cannot contain null bytes``, exit 1.
    """
    import ast
    import io
    import tokenize

    try:
        ast.parse(source)
    except ValueError:
        return "ValueError"
    except SyntaxError:
        pass
    else:
        raise AssertionError("ast.parse accepted a NUL byte: this case needs a new look")
    try:
        list(tokenize.generate_tokens(io.StringIO(source).readline))
    except SystemError:
        return "SystemError"
    except (SyntaxError, tokenize.TokenError):
        pass
    return "E999"


def test_null_byte(tmp_path: Path) -> None:
    import ast

    from flake8_threadsafe import Plugin
    from plugin_harness import captured_log

    path = tmp_path / "nul.py"
    path.write_bytes(THREADING.encode() + b"\nx = 1\x00\n")
    lines = read_lines(path)
    source = "".join(lines)

    # Our plugin, called the way flake8 calls it, never raises and reports nothing. flake8
    # never gets this far (below), so only this call can catch a crash of ours: it may
    # give up, but only because libcst rejects the NUL byte; anything else logged as a
    # skip is a failure of our own code.
    assert Plugin(None, lines, str(path)).codes_to_run(source), "the case must pass the pre-check"
    # No tree (flake8 cannot build one), and the tree of the file without its NUL byte,
    # so that the focus step runs on these lines too.
    for tree in (None, ast.parse(source.replace("\0", ""))):
        with captured_log() as records:
            reports = list(Plugin(tree, lines, str(path)).run())
        assert reports == []
        messages = [record.getMessage() for record in records]
        assert len(messages) <= 1, messages
        if messages:
            assert messages[0].startswith(f"{SKIPPED} {path} (ParserSyntaxError: "), messages

    # flake8 itself, by what this Python does (see _flake8_on_null_byte): never a TS
    # report, never our plugin run (it gets no ast), never our code in a traceback.
    result = run_flake8(path)
    outcome = _flake8_on_null_byte(source)
    detail = (
        f"expected {outcome}, got exit {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    assert ts_reports(result) == [], detail
    assert SKIPPED not in result.stderr, detail
    assert result.returncode == 1, detail
    start = result.stderr.find("Traceback")
    traceback = result.stderr[start:] if start >= 0 else ""
    assert "flake8_threadsafe" not in traceback, detail
    if outcome == "E999":
        assert_no_crash(result)
        assert re.search(
            r":\d+:\d+: E999 SyntaxError: source code string cannot contain null bytes",
            result.stdout,
        ), detail
    elif outcome == "ValueError":
        assert "in build_ast" in traceback, detail
        last = traceback.rstrip().splitlines()[-1]
        assert last == "ValueError: source code string cannot contain null bytes", detail
    else:
        assert "in noqa_line_for" in traceback, detail
        assert "SyntaxError: source code string cannot contain null bytes" in traceback, detail
        assert traceback.rstrip().splitlines()[-1].startswith("SystemError: "), detail


def test_tab_indentation(tmp_path: Path) -> None:
    path = tmp_path / "tabs.py"
    source = (
        THREADING.replace("    ", "\t")
        + "\n\nclass Worker:\n\tdef run(self):\n\t\tif True:\n\t\t\twith lock:\n\t\t\t\tpass\n"
    )
    path.write_text(source, encoding="utf-8")
    check_clean_file(path)


def test_form_feed_and_line_continuation(tmp_path: Path) -> None:
    path = tmp_path / "ff.py"
    source = (
        THREADING
        + "\n\x0c\n\ndef g():\n    x = 1 + \\\n        2\n    with lock:\n        return x\n"
    )
    path.write_text(source, encoding="utf-8")
    check_clean_file(path)


# --- modern syntax (E999 on Pythons that predate it) -------------------------------


MODERN_SYNTAX = {
    "pep695_type_alias": "type X = int\ntype Pair[T] = tuple[T, T]\n",
    "pep695_generic_def": (
        "def first[T](x: list[T]) -> T:\n    return x[0]\n\n\n"
        "class Box[T]:\n    def get[U](self, u: U) -> T | U:\n        return u\n"
    ),
    "pep701_fstrings": (
        "d = {'k': 1}\n"
        's = f"{d["k"]}"\n'
        't = f"{f"{f"{1}"}"}"\n'
        "u = f\"{'\\n'.join(['a', 'b'])}\"\n"
        "v = f'{d[\n    'k'\n]}'\n"
    ),
    "match_statement": textwrap.dedent(
        """\
        def handle(command):
            match command:
                case ["go", direction] if direction in {"n", "s"}:
                    return direction
                case {"lock": threading.Lock() as held}:
                    return held
                case Point(x=0, y=0) | [0, 0]:
                    return 0
                case str() | bytes():
                    return 1
                case _:
                    with lock:
                        return None
        """
    ),
    "walrus_and_posonly": "def f(a, /, b, *, c):\n    if (n := len(b)) > 1:\n        return n\n",
    "async_code": textwrap.dedent(
        """\
        async def agen():
            async with lock_factory() as l:
                async for x in source():
                    yield [y async for y in x if await y]
        """
    ),
    "except_star": "try:\n    pass\nexcept* ValueError as eg:\n    pass\n",
}


@pytest.mark.parametrize("case", sorted(MODERN_SYNTAX))
def test_modern_syntax(tmp_path: Path, case: str) -> None:
    path = tmp_path / f"{case}.py"
    path.write_text(THREADING + "\n\n" + MODERN_SYNTAX[case], encoding="utf-8")
    result = check_clean_file(path)
    # Either this Python cannot parse it (E999 from flake8 itself) or it is clean.
    if not E999.search(result.stdout):
        assert SKIPPED not in result.stderr, result.stderr[-3000:]


# --- size and depth -------------------------------------------------------------------


def _nested_ifs(depth: int) -> str:
    body = "".join("    " * i + f"if x{i}:\n" for i in range(depth))
    return "x0 = 1\n" + body + "    " * depth + "with lock:\n" + "    " * (depth + 1) + "pass\n"


# Sizes sit just below what flake8's own pyflakes survives on CPython 3.11 (it hits
# RecursionError at about 325 chained binary operators or elifs and 195 chained method
# calls; flake8 then prints its traceback): up to there, in the same process and with
# the same stack, we must not give up either. ``and``/``<`` chains and implicit string
# concatenations are flat in ``ast`` (pyflakes never goes deep) but nested in libcst, so
# there only we could. Where flake8's own plugins fail on a case (another Python), the
# case is skipped: it then says nothing about us.
STRESS = {
    "long_sum_320": lambda: "a = 1\nx = " + " + ".join(["a"] * 320) + "\n",
    "long_elif_chain_320": lambda: (
        "x = 1\nif x == 0:\n    pass\n"
        + "".join(f"elif x == {i}:\n    pass\n" for i in range(1, 320))
    ),
    "long_method_chain_190": lambda: (
        "class A:\n    def a(self):\n        return self\n\n\ny = A()" + ".a()" * 190 + "\n"
    ),
    "long_bool_chain_1000": lambda: "a = 1\nb = " + " and ".join(["a"] * 1000) + "\n",
    "long_comparison_chain_1000": lambda: "a = 1\nb = " + " < ".join(["a"] * 1000) + "\n",
    "implicit_concat_1000": lambda: "s = (\n" + "".join("    'abc'\n" for _ in range(1000)) + ")\n",
    "nested_ifs_90": lambda: _nested_ifs(90),
    # ast rejects more than 200 nested parentheses; 1000 must give E999, 190 is accepted.
    "nested_parens_190": lambda: "x = " + "(" * 190 + "1" + ")" * 190 + "\n",
    "nested_parens_1000": lambda: "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n",
    "nested_lists_190": lambda: "x = " + "[" * 190 + "]" * 190 + "\n",
    "nested_calls_190": lambda: (
        "def f(*a):\n    return a\n\n\nx = " + "f(" * 190 + ")" * 190 + "\n"
    ),
    "nested_lambdas_150": lambda: "f = " + "lambda: " * 150 + "lock\n",
    "nested_defs_60": lambda: (
        "".join("    " * i + f"def f{i}():\n" for i in range(60))
        + "    " * 60
        + "with lock:\n"
        + "    " * 61
        + "pass\n"
    ),
    "nested_withs_60": lambda: (
        "".join("    " * i + f"with lock{i}:\n" for i in range(60)) + "    " * 60 + "pass\n"
    ),
    "long_line": lambda: "x = [" + ", ".join(str(i) for i in range(20000)) + "]\n",
    "big_dict_literal": lambda: (
        "D = {\n" + "".join(f"    {i}: 'v{i}',\n" for i in range(20000)) + "}\n"
    ),
    "many_locks_and_threads": lambda: "".join(
        f"lock{i} = threading.Lock()\n\n\n"
        f"def work{i}():\n    with lock{i}:\n        return {i}\n\n\n"
        f"threading.Thread(target=work{i}).start()\n"
        for i in range(2000)
    ),
}


@pytest.mark.parametrize("case", sorted(STRESS))
def test_size_and_depth(tmp_path: Path, case: str) -> None:
    path = tmp_path / f"{case}.py"
    path.write_text(THREADING + "\n\n" + STRESS[case](), encoding="utf-8")
    result = check_clean_file(path)
    if case == "nested_parens_1000":
        assert E999.search(result.stdout), result.stdout


def test_huge_file(tmp_path: Path) -> None:
    """20k+ lines: many functions, some with correct lock use, plus a thread."""
    chunks = [THREADING, "\n\nstate = {}\n"]
    for i in range(3000):
        if i % 10 == 0:
            chunks.append(
                f"\n\ndef worker_{i}(n):\n"
                f"    with lock:\n        state[{i}] = state.get({i}, 0) + n\n"
                f"    helper_{i + 1}(n)\n    return n\n"
            )
        else:
            chunks.append(
                f"\n\ndef helper_{i}(n):\n    total = n * {i}\n"
                "    for j in range(n):\n        total += j\n    return total\n"
            )
    chunks.append(
        "\n\nthreads = [threading.Thread(target=worker_0, args=(1,)) for _ in range(4)]\n"
    )
    source = "".join(chunks)
    assert source.count("\n") >= 20000
    path = tmp_path / "huge.py"
    path.write_text(source, encoding="utf-8")
    result = check_clean_file(path)
    assert result.returncode == 0, result.stdout[:2000]


# Deeper than flake8's own plugins survive, so in-process: whatever the size, no
# exception may escape ``run()`` (giving up is allowed here).
DEEP = {
    "sum": lambda n: "a = 1\nx = " + " + ".join(["a"] * n) + "\n",
    "elif": lambda n: (
        "x = 1\nif x == 0:\n    pass\n"
        + "".join(f"elif x == {i}:\n    pass\n" for i in range(1, n))
    ),
    "method_chain": lambda n: "y = A()" + ".a()" * n + "\n",
    "bool_chain": lambda n: "b = " + " and ".join(["a"] * n) + "\n",
    "implicit_concat": lambda n: "s = (\n" + "    'abc'\n" * n + ")\n",
    "comparison_chain": lambda n: "b = " + " < ".join(["a"] * n) + "\n",
    # A real TS101 bug deep in an elif chain: may be reported (or given up on), never raise.
    "acquire_in_elif": lambda n: (
        "x = 1\nif x == 0:\n    lock.acquire()\n"
        + "".join(f"elif x == {i}:\n    lock.release()\n" for i in range(1, n))
    ),
}


@pytest.mark.parametrize("size", [400, 1000])
@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_trees_in_process(shape: str, size: int, caplog: pytest.LogCaptureFixture) -> None:
    import ast

    from flake8_threadsafe import Plugin

    make = DEEP[shape]
    source = THREADING + "\n\n" + make(size)
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    with caplog.at_level(logging.INFO, logger="flake8.threadsafe"):
        reports = list(Plugin(tree, lines, "deep.py").run())
    for line, col, message, _ in reports:
        assert 1 <= line <= len(lines) and col >= 0 and message.startswith("TS"), (
            line,
            col,
            message,
        )
    if shape != "acquire_in_elif":  # that one is a real TS101 bug (no finally)
        assert reports == []


# --- a failure inside our analysis, in the real flake8 ------------------------------


SITECUSTOMIZE = textwrap.dedent(
    """\
    # Installed on PYTHONPATH by test_bad_input: make our analysis blow up. Replaced
    # before anything imports the engine, which binds ``analyze`` by name.
    import flake8_threadsafe.rules


    def _exploding_analyze(facts, config, codes):
        raise RecursionError("maximum recursion depth exceeded (injected by the test)")


    flake8_threadsafe.rules.analyze = _exploding_analyze
    """
)


PROBE = textwrap.dedent(
    """\
    from flake8_threadsafe import engine
    from flake8_threadsafe.config import Config

    try:
        engine.check("x = 1\\n", ["x = 1\\n"], None, Config(), {"TS101"})
    except RecursionError as exc:
        print(exc)
    """
)


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_analysis_failure_is_contained(tmp_path: Path, jobs: str) -> None:
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(inject), env.get("PYTHONPATH")]))

    project = tmp_path / "project"
    project.mkdir()
    # Two files so that -j2 really uses worker processes.
    for name in ("unused.py", "other.py"):
        (project / name).write_text(
            "import os\nimport threading\n\nlock = threading.Lock()\n", encoding="utf-8"
        )

    # Prove the injection is active in a subprocess with that environment: the engine
    # itself runs into it.
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "maximum recursion depth exceeded (injected by the test)", probe

    result = subprocess.run(
        [sys.executable, "-m", "flake8", "-v", "--isolated", jobs, "."],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    detail = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-5000:]}"
    assert result.returncode == 1, detail
    assert "Traceback" not in result.stderr, detail
    assert "Traceback" not in result.stdout, detail
    f401 = [line for line in result.stdout.splitlines() if " F401 " in line]
    assert len(f401) == 2, detail
    assert ts_reports(result) == [], detail
    assert f"{SKIPPED} ./unused.py (RecursionError: " in result.stderr, detail
    assert f"{SKIPPED} ./other.py (RecursionError: " in result.stderr, detail
