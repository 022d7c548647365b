"""The README's example runs and prints what it shows."""

from __future__ import annotations

import doctest
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_runs() -> None:
    results = doctest.testfile(str(README), module_relative=False, verbose=False, report=True)
    assert results.attempted > 0
    assert results.failed == 0
