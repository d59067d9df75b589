"""The codes the plugin reports, known without importing the rules (and libcst)."""

CODES = frozenset({"TS101", "TS102", "TS201", "TS301", "TS302"})
