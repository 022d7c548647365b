"""Fuzzing the CSV importers: a mutated row of the real fixtures costs that row, nothing more.

The header is left whole, so every failure must be a refused row: the import never raises.
"""

from __future__ import annotations

import csv
import functools
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.io.ucdp_files import ACLED_SAMPLE, GED191_SAMPLE, GED231_SAMPLE

import conflictmodel as cm
from conflictmodel.io.acled import read_acled
from conflictmodel.io.report import ImportResult
from conflictmodel.io.ucdp import read_ged

Importer = Callable[[Path], ImportResult]
SOURCES: list[tuple[Path, Importer]] = [
    (GED191_SAMPLE, read_ged),
    (GED231_SAMPLE, read_ged),
    (ACLED_SAMPLE, read_acled),
]

VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "²",
            "①",
            "٣",
            "9" * 30,
            "1e400",
            "nan",
            "2020-02-31",
            "9999-12-31",
            "0001-01-01",
            "2",
            "3",
            '"',
            "\n",
            "Civilians",
            "Government of Syria",
            "=1+1",
            "1;2",
        ]
    ),
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(str),
)


INTERESTING = [
    "fatalities",
    "event_date",
    "time_precision",
    "inter1",
    "latitude",
    "longitude",
    "iso",
    "best",
    "low",
    "high",
    "deaths_a",
    "deaths_unknown",
    "date_start",
    "date_end",
    "id",
    "type_of_violence",
    "side_a_new_id",
    "side_b_new_id",
    "event_id_cnty",
    "country",
]


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[bytes, Importer]:
    source, importer = draw(st.sampled_from(SOURCES))
    with source.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header, rows = table[0], table[1:]
    picked = [list(row) for row in draw(st.lists(st.sampled_from(rows), min_size=1, max_size=4))]
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.sampled_from(picked))
        named = [header.index(name) for name in INTERESTING if name in header]
        column = draw(st.sampled_from(named) | st.integers(0, len(row) - 1))
        column = min(column, len(row) - 1)
        operation = draw(st.sampled_from(["replace", "replace", "swap", "delete", "add"]))
        if operation == "replace":
            row[column] = draw(VALUES)
        elif operation == "swap":
            other = draw(st.integers(0, len(row) - 1))
            row[column], row[other] = row[other], row[column]
        elif operation == "delete":
            del row[column]
        else:
            row.insert(column, draw(VALUES))
    text = io.StringIO()
    csv.writer(text).writerows([header, *picked])
    data = bytearray(text.getvalue().encode("utf-8", "surrogatepass"))
    first_row = data.index(b"\n") + 1
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.integers(first_row, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data), importer


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated_file())
def test_mutated_rows_are_refused_rows_never_a_failed_import(
    case: tuple[bytes, Importer],
) -> None:
    data, importer = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.csv"
        path.write_bytes(data)
        result = importer(path)
    report = result.report
    assert report.rows_imported + len(report.refused) == report.rows_read
    assert all(refusal.reason for refusal in report.refused)
    assert cm.loads(cm.dumps(result.dataset)) == result.dataset


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated_file(), st.booleans())
def test_a_file_read_columns_first_gives_what_reading_its_records_gives(
    case: tuple[bytes, Importer], released: bool
) -> None:
    """``lazy=True`` checks the events field by field and lays them out in tables without
    making them: the same rows are refused for the same reasons, and the dataset and its
    history (an ACLED event's timestamp; a GED release, when one is given) equal those made
    record by record."""
    data, importer = case
    read: Any = importer
    if importer is read_ged and released:
        read = functools.partial(read_ged, release="GED 19.1", released="2019-06-14")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.csv"
        path.write_bytes(data)
        columns_first = read(path, lazy=True)
        records = read(path, lazy=False)
    assert columns_first.report == records.report
    assert columns_first.dataset == records.dataset
    assert dict(columns_first.dataset.history) == dict(records.dataset.history)
    assert cm.dumps(columns_first.dataset) == cm.dumps(records.dataset)
