"""Importers and the import of the package, in a fresh process:
``python -m benchmarks.imports acled FILE REPEAT``, ``... acled-records FILE REPEAT``,
``... ucdp FILE REPEAT``,
``... package REPEAT``, ``... lazy FILE`` or ``... write-jsonl FILE OUT``.

``acled`` and ``ucdp`` time :func:`conflictmodel.io.acled.read_acled` or
:func:`conflictmodel.io.ucdp.read_ged` on FILE (median of REPEAT runs in this process, the first
one included) against pandas reading the same CSV file, with the memory the import leaves and
the first query after it; ``acled-records`` times ``read_acled(lazy=False)``. ``package`` times
``import conflictmodel`` as ``python -X importtime`` reports it (the package's cumulative time,
median of REPEAT fresh interpreters). ``lazy`` times ``cm.load(FILE, lazy=True)`` of the JSON
Lines file an import wrote (``write-jsonl``: the ACLED-format CSV FILE imported and written to
OUT), the resident memory it adds and the first ``casualties_by_actor`` after it, against
orjson parsing the file. Prints one JSON object.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import median_time, timed


def importer(kind: str, path: Path, repeat: int) -> dict[str, Any]:
    """The import of ``path`` (``kind``: ``ucdp``, ``acled`` as ``read_acled`` reads it by
    default, or ``acled-records``, every event made; an ACLED file after importing the engine,
    which a large one is laid out in): its median time, the resident memory the first run
    added and the first ``casualties_by_actor`` on what it gave."""
    import pandas as pd

    import conflictmodel as cm
    from benchmarks.measure import import_engine, resident_bytes
    from conflictmodel.io.acled import read_acled
    from conflictmodel.io.ucdp import read_ged

    def quiet(done: int, expected: int) -> None:
        pass

    def run() -> Any:
        if kind == "ucdp":
            return read_ged(path, errors="report", progress=quiet)
        lazy = False if kind == "acled-records" else None
        return read_acled(path, errors="report", progress=quiet, lazy=lazy)

    if kind != "ucdp":
        import_engine()
    before = resident_bytes()
    seconds, found = timed(run)
    memory = resident_bytes() - before
    first, _ = timed(functools.partial(cm.casualties_by_actor, found.dataset))
    times = [seconds] + [timed(run)[0] for _ in range(repeat - 1)]
    return {
        "seconds": statistics.median(times),
        "rows": rows(path),
        "events": len(found.dataset.events),
        "memory_bytes": memory,
        "first_query": first,
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


def write_jsonl(path: Path, out: Path) -> dict[str, Any]:
    """Import the ACLED-format CSV file ``path`` and write its dataset to ``out``, so that the
    load is measured on what an import holds (each event's unmapped source values kept)."""
    import conflictmodel as cm
    from conflictmodel.io.acled import read_acled

    cm.dump(read_acled(path, errors="report").dataset, out)
    return {"file_bytes": out.stat().st_size}


def lazy(path: Path) -> dict[str, Any]:
    """One columns-first load of the JSON Lines file ``path``, after importing the engine."""
    import conflictmodel as cm
    from benchmarks.measure import import_engine, parse_only, resident_bytes

    import_engine()
    before = resident_bytes()
    seconds, loaded = timed(lambda: cm.load(path, lazy=True))
    memory = resident_bytes() - before
    first, _ = timed(functools.partial(cm.casualties_by_actor, loaded))
    return {
        "load": seconds,
        "events": len(loaded.events),
        "memory_bytes": memory,
        "first_query": first,
        "orjson": median_time(lambda: parse_only(path), 1),
    }


def main() -> None:
    kind = sys.argv[1]
    if kind == "package":
        found = package(int(sys.argv[2]))
    elif kind == "lazy":
        found = lazy(Path(sys.argv[2]))
    elif kind == "write-jsonl":
        found = write_jsonl(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        found = importer(kind, Path(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(found))


if __name__ == "__main__":
    main()
