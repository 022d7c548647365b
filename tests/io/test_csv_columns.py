"""The importers read CSV files column by column; what they make is what the row loop made.

The expectations here were taken from the row-by-row importers (commit 35421f1) before
pyarrow read the files: digests of whole datasets and reports, and the bad rows of edited
copies of the fixtures with their lines and reasons.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.io.test_csv_fuzz import mutated_file
from tests.io.ucdp_files import ACLED_SAMPLE, GED191_SAMPLE, GED231_SAMPLE, real_data

import conflictmodel as cm
from conflictmodel.io._csvfile import CsvRows, CsvTable, _arrow_table
from conflictmodel.io._migrations import FORMAT_VERSION
from conflictmodel.io.acled import read_acled
from conflictmodel.io.report import ImportResult
from conflictmodel.io.ucdp import read_ged

Importer = Callable[[Path], ImportResult]


def digest(result: ImportResult) -> str:
    """A short digest of the dataset as JSON and of the report as plain data, without the
    events' ``aggregate`` flags, which the row loop did not set (they are tested apart), with
    each best figure stated with no range written as the exact count the row loop made of it
    (UCDP's deaths per side, tested apart), in the format version it wrote (3)."""
    dataset = re.sub(r'\n *"aggregate": (true|false),', "", cm.dumps(result.dataset))
    dataset = re.sub(
        r'"best": (\d+),(\s*)"high": null,(\s*)"low": null',
        r'"best": \1,\2"high": \1,\3"low": \1',
        dataset,
    )
    dataset = dataset.replace(f'"version": {FORMAT_VERSION}\n}}', '"version": 3\n}')
    text = dataset + json.dumps(result.report.to_dict(), sort_keys=True)
    return hashlib.sha256(text.replace(str(result.report.source), "FILE").encode()).hexdigest()[:16]


def edited(source: Path, target: Path, edits: dict[int, dict[str, str]], extra: str = "") -> None:
    """``source`` with the cells of ``edits`` (by row, from 1) changed; ``extra`` appended."""
    with source.open(encoding="utf-8", newline="") as handle:
        header, *table = list(csv.reader(handle))
    for number, cells in edits.items():
        for column, value in cells.items():
            table[number - 1][header.index(column)] = value
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([header, *table])
    target.write_text(text.getvalue() + extra, encoding="utf-8")


GED_EDITS: dict[int, dict[str, str]] = {
    3: {"date_start": "2016-02-31"},
    5: {"best": "x"},
    7: {"id": "214797"},
    9: {"type_of_violence": "4"},
    10: {"source_headline": 'two\nlines, "quoted"\r\nthree'},
    12: {"latitude": "abc"},
    14: {"side_b_new_id": "118", "side_b": "Government of Syria"},
    18: {"deaths_a": "²"},
    20: {"low": "999"},
    22: {"where_prec": "9"},
    24: {"country": " "},
    26: {"date_start": "2016-03-02", "date_end": "2016-03-01"},
    28: {"id": " "},
    30: {"latitude": "91", "longitude": "10"},
    32: {"deaths_unknown": "9" * 30},
}
GED_REFUSED = [
    (4, "date_start: '2016-02-31' is not a date (YYYY-MM-DD)"),
    (6, "best: 'x' is not a whole number of people"),
    (8, "id: '214797' repeats the event on line 2"),
    (10, "type_of_violence: '4' is not 1, 2 or 3 (state-based, non-state, one-sided)"),
    (15, "latitude/longitude: 'abc', '38.0' are not numbers"),
    (17, "side_a and side_b are the same actor (UCDP id 118)"),
    (21, "deaths_a: '²' is not a whole number of people"),
    (25, "where_prec: '9' is not a precision code 1-7"),
    (27, "country: empty"),
    (29, "date_end 2016-03-01 is before date_start 2016-03-02"),
    (31, "id: empty"),
    (33, "latitude/longitude: Point.lat: 91.0 is outside -90..90"),
    (35, "deaths_unknown: a number of 30 digits is more than 2**63 - 1"),
]

ACLED_EDITS: dict[int, dict[str, str]] = {
    1: {"event_date": "31 February 2020"},
    2: {"time_precision": "5"},
    3: {"inter1": "9"},
    4: {"fatalities": "-1"},
    5: {"geo_precision": "4"},
    6: {"timestamp": "soon"},
    7: {"event_id_cnty": "SYR900009"},
    8: {"latitude": "91"},
    9: {"notes": "a note\nover two lines"},
    10: {"country": ""},
    11: {"iso": "7600"},
}
ACLED_REFUSED = [
    (
        2,
        "event_date: '31 February 2020' is not a date (YYYY-MM-DD, DD-MM-YYYY or 06 February 2020)",
    ),
    (3, "time_precision: '5' is not 1 (day), 2 (week) or 3 (month)"),
    (4, "inter1: '9' is not an ACLED actor type (1-8, or a name such as 'State forces')"),
    (5, "fatalities: '-1' is not a whole number of people"),
    (6, "geo_precision: '4' is not 1, 2 or 3"),
    (7, "timestamp: 'soon' is not a Unix time (whole seconds since 1970)"),
    (9, "latitude/longitude: Point.lat: 91.0 is outside -90..90"),
    (10, "event_id_cnty: 'SYR900009' repeats the event on line 8"),
    (12, "country: empty"),
    (17, "fatalities: 'unknown' is not a whole number of people"),
    (18, "event_date: '2020-02-30' is not a date (YYYY-MM-DD, DD-MM-YYYY or 06 February 2020)"),
]


def test_the_real_ucdp_files_give_what_the_row_loop_gave() -> None:
    real = real_data()
    if not (real / "ged_syria_2016-2019.csv").exists():
        pytest.skip("real UCDP files not present")
    syria = read_ged(real / "ged_syria_2016-2019.csv", progress=False)
    assert (len(syria.dataset.events), len(syria.dataset.actors)) == (16566, 94)
    assert digest(syria) == "6d0abc467e9fac9d"
    assert digest(read_ged(real / "ged231_sample_1000.csv", progress=False)) == "9f4e7d21475ca789"


@pytest.mark.parametrize(
    ("read", "source", "expected"),
    [
        (read_ged, GED191_SAMPLE, "74a66f1127338caa"),
        (read_ged, GED231_SAMPLE, "e443b99068df6139"),
        (read_acled, ACLED_SAMPLE, "1ff781f219cceca3"),
    ],
)
def test_the_fixtures_give_what_the_row_loop_gave(
    read: Importer, source: Path, expected: str
) -> None:
    assert digest(read(source)) == expected


@pytest.mark.parametrize("extra", ["", "\r\n", "too,few\r\n"])
def test_bad_ucdp_rows_are_refused_on_their_lines(tmp_path: Path, extra: str) -> None:
    path = tmp_path / "ged.csv"
    edited(GED191_SAMPLE, path, GED_EDITS, extra)
    result = read_ged(path)
    width = "expected 41 fields as in the header, found 2"
    assert [(r.line, r.reason) for r in result.report.refused] == GED_REFUSED + (
        [(41, width)] if extra.startswith("too") else []
    )
    assert digest(result) == ("54b7563c4e81be68" if extra.startswith("too") else "c3fe9dd097e9f254")


@pytest.mark.parametrize("extra", ["", "\r\n\r\n"])
def test_bad_acled_rows_are_refused_on_their_lines(tmp_path: Path, extra: str) -> None:
    path = tmp_path / "acled.csv"
    edited(ACLED_SAMPLE, path, ACLED_EDITS, extra)
    result = read_acled(path)
    assert [(r.line, r.reason) for r in result.report.refused] == ACLED_REFUSED
    assert digest(result) == "7ec8265a09d1e9aa"


def arrow_rows(path: Path) -> list[tuple[int, list[str]]] | None:
    """The rows pyarrow reads, as ``(line, fields)``; ``None`` where it leaves the file to csv."""
    with CsvRows(path, required=(), what="test") as rows:
        table = _arrow_table(rows)
    if table is None:
        return None
    assert isinstance(table, CsvTable)
    columns = [table.texts(name) for name in table.header]
    return [
        (line, [column[row] for column in columns]) for row, line in enumerate(table.lines.tolist())
    ]


def csv_rows(path: Path) -> list[tuple[int, list[str] | str]]:
    with CsvRows(path, required=(), what="test") as rows:
        return list(rows.fields())


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated_file())
def test_pyarrow_reads_a_file_as_the_csv_module_does_or_leaves_it_to_it(
    case: tuple[bytes, Importer],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.csv"
        path.write_bytes(case[0])
        read = arrow_rows(path)
        if read is not None:
            assert read == csv_rows(path)


def test_pyarrow_reads_clean_files_and_cells_over_several_lines(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    edited(GED191_SAMPLE, path, GED_EDITS)
    for source in (ACLED_SAMPLE, GED191_SAMPLE, GED231_SAMPLE, path):
        assert arrow_rows(source) == csv_rows(source)
    lines = [line for line, _ in arrow_rows(path) or []]
    assert lines[9:12] == [11, 14, 15]
    path.write_bytes(path.read_bytes() + b"\r\n")
    assert arrow_rows(path) is None


def test_a_column_in_chunks_is_encoded_as_one() -> None:
    """pyarrow reads a large file in chunks; each column gets one numbering of its cells, also
    when its chunks come with dictionaries of their own."""
    import numpy as np
    import pyarrow as pa

    cells = [["b", "a", ""], ["a", "c"]]
    plain = pa.chunked_array(cells)
    coded = pa.chunked_array([pa.array(chunk).dictionary_encode() for chunk in cells])
    table = CsvTable(["plain", "coded"], [plain, coded], np.arange(2, 7), [])
    for name in table.header:
        distinct, codes = table.encoded(name)
        assert [distinct[code] for code in codes] == ["b", "a", "", "a", "c"]
        assert sorted(distinct) == ["", "a", "b", "c"]
    assert table.kept(["plain"])[0] == {"plain": "b"}
    assert table.kept(["plain"])[2] == {}


def test_a_function_of_parsed_values_runs_once_per_distinct_value() -> None:
    import numpy as np
    import pyarrow as pa

    from conflictmodel.io._csvfile import BadRow

    def number(cell: str) -> int:
        if not cell.isdigit():
            raise BadRow(f"{cell!r} is not a number")
        return int(cell)

    table = CsvTable(["n"], [pa.chunked_array([["1", "x", "2", "1"]])], np.arange(2, 6), [])
    seen: list[int] = []

    def double(n: int) -> int:
        seen.append(n)
        return 2 * n

    doubled = table.parsed(number, "n").map(double)
    assert doubled.values == [2, None, 4, 2]
    assert sorted(seen) == [1, 2]
    assert [doubled.reason(row) for row in range(4)] == [None, "'x' is not a number", None, None]
    assert doubled.refused.tolist() == [False, True, False, False]


@given(st.lists(st.tuples(*[st.sampled_from(["", " ", "a", "b\n"])] * 3), max_size=8))
def test_the_columns_a_row_fills_are_the_keys_it_keeps(cells: list[tuple[str, ...]]) -> None:
    import numpy as np
    import pyarrow as pa

    names = ["x", "y", "z"]
    columns = [pa.chunked_array([[row[n] for row in cells]], pa.string()) for n in range(3)]
    table = CsvTable(names, columns, np.arange(2, 2 + len(cells)), [])
    filled, kept = table.filled(names), table.kept(names)
    assert filled == [tuple(mapping) for mapping in kept]
    shared = {columns: id(columns) for columns in filled}
    assert all(id(columns) == shared[columns] for columns in filled)
