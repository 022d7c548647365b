"""CSV files of a dataset's records, one per kind, without pandas.

The columns are those of :func:`~conflictmodel.io.frames.to_frame`; an empty cell is a missing
value; dates are ISO text.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path

from conflictmodel.dataset import Dataset
from conflictmodel.io._atomic import atomic_file, make_folder
from conflictmodel.io._tables import KINDS, table

__all__ = ["to_csv"]


def to_csv(
    ds: Dataset, directory: str | os.PathLike[str], kinds: Sequence[str] = KINDS
) -> list[Path]:
    """Write ``<kind>.csv`` for each kind into ``directory``; the paths written."""
    folder = make_folder(directory)
    written = []
    for kind in kinds:
        rows = table(ds, kind)
        path = folder / f"{kind}.csv"
        with atomic_file(path, encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows.columns))
            writer.writeheader()
            writer.writerows(rows.rows)
        written.append(path)
    return written
