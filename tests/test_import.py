"""Importing the package is light: heavy and optional dependencies load when first used."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = (
    "numpy",
    "pandas",
    "duckdb",
    "pyarrow",
    "pycountry",
    "cattrs",
    "conflictmodel.examples",
    "conflictmodel.queries",
    "conflictmodel.linkage",
    "conflictmodel.io.json",
)

PROBE = f"""
import json, sys, time
started = time.process_time()
import conflictmodel
seconds = time.process_time() - started
print(json.dumps({{"seconds": seconds, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def _probe() -> dict[str, object]:
    """The import as an installed package runs it: from byte code, written by a first import."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import conflictmodel"], env=environment, check=True)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
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


def test_every_public_name_resolves_to_its_module_object() -> None:
    import conflictmodel as cm
    from conflictmodel import queries
    from conflictmodel.io import json as json_io

    assert sorted(cm.__all__) == sorted(set(cm.__all__))
    assert set(cm.__all__) <= set(dir(cm))
    for name in cm.__all__:
        assert getattr(cm, name) is not None
    assert cm.casualties_by_actor is queries.casualties_by_actor
    assert cm.load is json_io.load


def test_an_unknown_name_is_an_attribute_error() -> None:
    import conflictmodel as cm

    with pytest.raises(AttributeError, match="no_such_name"):
        cm.no_such_name  # noqa: B018


def test_a_file_naming_a_statement_of_the_linkage_layer_loads_in_a_fresh_process() -> None:
    script = """
import conflictmodel as cm
from conflictmodel.linkage.examples import two_sources
first, second = two_sources()
merged = cm.merge({"ucdp": first, "acled": second}, cm.match(first, second))
text = cm.dumps(merged)
"""
    dumped = subprocess.run(
        [sys.executable, "-c", script + "print(text)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert '"type":"reported"' in dumped.replace(" ", "")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, conflictmodel as cm; print(len(cm.loads(sys.stdin.read())))",
        ],
        input=dumped,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(loaded.stdout) > 0
