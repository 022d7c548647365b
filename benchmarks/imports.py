"""Importers and the import of the package, in a fresh process:
``python -m benchmarks.imports acled FILE REPEAT``, ``... ucdp FILE REPEAT`` or
``... package REPEAT``.

``acled`` and ``ucdp`` time :func:`conflictmodel.io.acled.read_acled` or
:func:`conflictmodel.io.ucdp.read_ged` on FILE (median of REPEAT runs in this process, the first
one included) against pandas reading the same CSV file. ``package`` times ``import
conflictmodel`` as ``python -X importtime`` reports it (the package's cumulative time, median of
REPEAT fresh interpreters). Prints one JSON object.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import median_time, timed


def importer(kind: str, path: Path, repeat: int) -> dict[str, Any]:
    import pandas as pd

    from conflictmodel.io.acled import read_acled
    from conflictmodel.io.ucdp import read_ged

    read = read_acled if kind == "acled" else read_ged

    def run() -> Any:
        return read(path, errors="report", progress=lambda done, expected: None)

    seconds, found = timed(run)
    times = [seconds] + [timed(run)[0] for _ in range(repeat - 1)]
    return {
        "seconds": statistics.median(times),
        "rows": rows(path),
        "events": len(found.dataset.events),
        "pandas": median_time(lambda: pd.read_csv(path, low_memory=False), repeat),
    }


def rows(path: Path) -> int:
    """The rows of a CSV file (a quoted value may hold line breaks)."""
    with path.open(newline="", encoding="utf-8") as stream:
        return sum(1 for _ in csv.reader(stream)) - 1


def _installed_environment() -> dict[str, str]:
    """This environment as an installed package sees it: byte code written and read."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds() -> float:
    """What ``python -X importtime -c "import conflictmodel"`` says the package took."""
    stderr = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import conflictmodel"],
        check=True,
        capture_output=True,
        text=True,
        env=_installed_environment(),
    ).stderr
    for line in stderr.splitlines():
        if line.rstrip().endswith("| conflictmodel"):
            return int(line.split("|")[1]) / 1e6
    raise SystemExit(f"no line for conflictmodel in -X importtime's output:\n{stderr}")


def package(repeat: int) -> dict[str, Any]:
    """The median import time, after a first import has written the byte code."""
    subprocess.run(
        [sys.executable, "-c", "import conflictmodel"], check=True, env=_installed_environment()
    )
    return {"seconds": statistics.median(import_seconds() for _ in range(repeat))}


def main() -> None:
    kind = sys.argv[1]
    if kind == "package":
        found = package(int(sys.argv[2]))
    else:
        found = importer(kind, Path(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(found))


if __name__ == "__main__":
    main()
