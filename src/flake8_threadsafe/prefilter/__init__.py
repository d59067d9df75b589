"""The text stage: what runs on a file's text before anything is parsed.

- ``vocabulary``: the threading words (derived from the tables of ``kinds.py``) and
  how to find them fast;
- ``triggers``: the checks a file must pass before a rule can report on it (each rule's
  trigger is written on its line of ``registry.py``);
- ``focus``: in a file that passes, the functions and methods no running rule can report
  on are blanked out, so that libcst parses less; ``keep`` says which units are kept and
  for which rule.

The contract that makes this stage safe, stated for rule authors in ``rules/base.py``:
a rule never reports *because* something is absent. Blanking code can then only remove
reports, never add them; ``tests/test_focus.py`` checks that it removes none.
"""
