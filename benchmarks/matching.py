"""Time ``conflictmodel.match``: ``python -m benchmarks.matching``.

Matches the two real UCDP files against each other, the UCDP Syria file against the
ACLED-format file made from it (with precision and recall), and 20,000 against 20,000
invented events.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import conflictmodel as cm
from conflictmodel.io.acled import read_acled
from conflictmodel.io.ucdp import read_ged
from conflictmodel.linkage import evaluate, match_fixed_window
from conflictmodel.linkage.synthetic import acled_from_ged, random_pair

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp"


def timed(label: str, a: cm.Dataset, b: cm.Dataset, truth: dict[str, str] | None) -> None:
    started = time.perf_counter()
    found = cm.match(a, b)
    seconds = time.perf_counter() - started
    score = f"; {evaluate(found, truth)}" if truth is not None else ""
    print(
        f"{label}: {len(a.events):,} x {len(b.events):,} events in {seconds:.1f} s, "
        f"{len(found.pairs):,} pairs{score}"
    )
    if truth is not None:
        print(f"  fixed window 1 day, 3 km: {evaluate(match_fixed_window(a, b), truth)}")


def main() -> None:
    syria = read_ged(DATA / "ged_syria_2016-2019.csv").dataset
    sample = read_ged(DATA / "ged231_sample_1000.csv").dataset
    timed("UCDP Syria vs UCDP GED 23.1 sample", syria, sample, None)
    with tempfile.TemporaryDirectory() as folder:
        truth = acled_from_ged(DATA / "ged_syria_2016-2019.csv", Path(folder) / "acled.csv")
        acled = read_acled(Path(folder) / "acled.csv").dataset
    timed("UCDP Syria vs its ACLED-format copy", syria, acled, truth)
    a, b, truth = random_pair(20_000)
    timed("invented events", a, b, truth)


if __name__ == "__main__":
    main()
