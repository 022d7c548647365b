"""Where the UCDP test files are: the shipped fixture, and the real files beside the clone."""

from __future__ import annotations

import csv
import os
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GED191_SAMPLE = FIXTURES / "ucdp" / "ged191_syria_sample.csv"
GED231_SAMPLE = FIXTURES / "ucdp" / "ged231_sample.csv"
ACLED_SAMPLE = FIXTURES / "acled_sample.csv"


def real_data() -> Path:
    """``../shared/data/ucdp`` next to the repository, or ``$CONFLICTMODEL_UCDP_DATA``."""
    override = os.environ.get("CONFLICTMODEL_UCDP_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "ucdp"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
