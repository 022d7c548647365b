"""Importing the package is light: heavy and optional dependencies load when first used."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("numpy", "pandas", "duckdb", "pyarrow", "pycountry", "conflictmodel.examples")

PROBE = f"""
import json, sys, time
started = time.process_time()
import conflictmodel
seconds = time.process_time() - started
print(json.dumps({{"seconds": seconds, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def _probe() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def test_import_leaves_heavy_dependencies_unloaded_and_takes_little_cpu() -> None:
    answer = _probe()
    assert answer["loaded"] == []
    # CPU time, not wall time, so that a busy machine does not fail it; the target is 0.2 s.
    assert isinstance(answer["seconds"], float)
    assert answer["seconds"] < 0.5


def test_examples_load_on_first_use() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import conflictmodel as cm; print(len(cm.examples.idlib_2020()))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(done.stdout) > 0
