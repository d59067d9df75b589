"""Property test: on any valid Python, the plugin neither raises nor gives up.

Sources come from hypothesmith (grammar-based and libcst-node-based), prefixed with
``import threading`` and a lock so the textual pre-check lets them through; some are
also placed inside threading templates (under a lock, in a thread target...). The plugin is built as
flake8 builds it (``ast`` tree plus the source lines) and ``run()`` is exhausted.

``Plugin.run()`` swallows every exception by design (it logs ``flake8-threadsafe:
skipped ...`` and reports nothing), so "no exception" alone proves little: the test
also fails if the plugin logged that it gave up, unless libcst's own parser rejects the
source (then giving up is the only option).

50 examples by default; set ``THREADSAFE_FUZZ_EXAMPLES=5000`` for a long run.
"""

from __future__ import annotations

import ast
import os
import warnings

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings, strategies as st

from flake8_threadsafe import Plugin
from flake8_threadsafe.registry import codes_triggered
from plugin_harness import captured_log, libcst_parses, rules_run

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")

# An import of threading and a lock: enough for the textual pre-check to let any source
# through to the parser and the rules (test_prefix_reaches_the_analysis checks it).
PREFIX = "import threading\n_fuzz_lock = threading.Lock()\n"
MAX_EXAMPLES = int(os.environ.get("THREADSAFE_FUZZ_EXAMPLES", "50"))


def run_plugin(source: str) -> tuple[list[tuple[int, int, str, type]], list[str]]:
    """Reports and 'skipped' log messages for ``source``, built as flake8 builds the plugin."""
    lines = source.splitlines(keepends=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences etc. in generated code
        tree = ast.parse("".join(lines))
    with captured_log() as records:
        reports = list(Plugin(tree, lines, "fuzzed.py").run())
    skipped = [r.getMessage() for r in records if "flake8-threadsafe: skipped" in r.getMessage()]
    return reports, skipped


def _ast_accepts(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


# hypothesmith's grammar strategy draws arbitrary text that is *meant* to be valid but
# rarely is after our prefix; from_node() builds it from libcst nodes. Keep what ast takes.
_generated = hypothesmith.from_grammar() | hypothesmith.from_node()
sources = _generated.map(lambda s: PREFIX + s).filter(_ast_accepts)

# Generated code placed where the rules look hardest: under a held lock, in a thread
# target, next to acquire()/release(), in an executor callback. ``{body}`` is indented to
# the slot's level; sources whose indentation then breaks (multi-line strings) are dropped.
TEMPLATES = [
    "lock = threading.Lock()\n\ndef f():\n    lock.acquire()\n    {body}\n    lock.release()\n",
    "lock = threading.RLock()\n\ndef f():\n    with lock:\n        {body}\n",
    "lock = threading.Lock()\n\ndef f():\n    lock.acquire()\n"
    "    try:\n        {body}\n    finally:\n        lock.release()\n",
    "counter = 0\n\ndef work():\n    global counter\n    {body}\n    counter += 1\n\n"
    "threading.Thread(target=work).start()\n",
    "class C:\n    def __init__(self):\n        self.lock = threading.Lock()\n\n"
    "    def m(self):\n        with self.lock:\n            {body}\n            self.m()\n",
    "from concurrent.futures import ThreadPoolExecutor\n\ndef job():\n    {body}\n\n"
    "with ThreadPoolExecutor() as ex:\n    ex.submit(job)\n",
    "lock = threading.Lock()\n\nasync def f():\n"
    "    if lock.acquire(timeout=1):\n        {body}\n        lock.release()\n",
]


def _fill(template: str, body: str) -> str:
    """Put ``body`` at ``{body}``, every line indented like the ``{body}`` line."""
    before, after = template.split("{body}")
    indent = before.rsplit("\n", 1)[-1]
    lines = body.splitlines() or ["pass"]
    filled = "\n".join(indent + line if line.strip() else line for line in lines)
    return before + filled[len(indent):] + "\n" + indent + "pass" + after


templated_sources = (
    st.builds(_fill, st.sampled_from(TEMPLATES), _generated)
    .map(lambda s: PREFIX + s)
    .filter(_ast_accepts)
)


def check(source: str) -> bool:
    """Run the plugin on ``source``; False when libcst cannot parse it (nothing to demand)."""
    reports, skipped = run_plugin(source)  # any exception escaping run() fails the test here
    for line, col, message, kind in reports:
        assert isinstance(line, int) and line >= 1, (line, message)
        assert isinstance(col, int) and col >= 0, (col, message)
        assert message[:2] == "TS" and message[2:5].isdigit() and message[5] == " ", message
        assert kind is Plugin
        assert line <= max(1, len(source.splitlines())) + 1, (line, message)
    # Giving up is acceptable only where libcst itself cannot parse the code.
    if not libcst_parses(source):
        event("libcst rejects the source")
        return False
    assert skipped == [], skipped
    return True


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(source=sources | templated_sources)
@example(
    source=PREFIX
    + "lock = threading.Lock()\n\ndef f():\n    lock.acquire()\n    g()\n    lock.release()\n"
)
@example(
    source=PREFIX
    + "lock = threading.RLock()\n\ndef f():\n    with lock:\n        with lock:\n            pass\n"
)
@example(
    source=PREFIX
    + "n = 0\n\ndef w():\n    global n\n    n += 1\n\nthreading.Thread(target=w).start()\n"
)
@example(
    source=PREFIX
    + "from concurrent.futures import ThreadPoolExecutor as E\n\n"
    + "with E() as ex:\n    ex.submit(print)\n"
)
@example(source=PREFIX + "lambda: (yield)\n")
@example(source=PREFIX + "\\\n\n")
@example(source=PREFIX + "if 1:\n\tpass\n")
@example(source=PREFIX + "x = 1 \x0c\n")
def test_plugin_never_raises_nor_gives_up(source: str) -> None:
    assume(check(source))


@pytest.mark.parametrize(
    "source",
    [
        PREFIX,
        PREFIX + "# only a comment",
        PREFIX + "\n\n\n",
        PREFIX + "x = 1\r\ny = 2\r\n",
        PREFIX + "x = 1\ry = 2\r",
        PREFIX + "s = '\u2028'\n",  # str.splitlines() splits on U+2028; the plugin must not care
        PREFIX + "s = '\x1c\x1d\x1e\x85'\n",
    ],
)
def test_fixed_edge_cases(source: str) -> None:
    assert check(source)


def test_prefix_reaches_the_analysis() -> None:
    """Otherwise the pre-check would skip every generated source and the fuzzing be void."""
    for source in [PREFIX, PREFIX + "x = 1\n", *(PREFIX + _fill(t, "x = 1") for t in TEMPLATES)]:
        with rules_run() as ran:
            run_plugin(source)
        # Analyzed once: every triggered rule ran, each once.
        assert ran, source
        assert sorted(ran) == sorted(codes_triggered(source)), source


def test_generated_sources_are_mostly_usable() -> None:
    """Guard against the strategy silently degenerating (e.g. everything filtered out)."""
    seen: list[str] = []

    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        seen.append(data.draw(sources))

    draw()
    assert len(seen) >= 10
    assert all(s.startswith(PREFIX) for s in seen)
