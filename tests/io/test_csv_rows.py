"""The CSV loop every importer shares: a bad row costs that row, never the file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.io.ucdp_files import ACLED_SAMPLE, GED191_SAMPLE

from conflictmodel.io.acled import read_acled
from conflictmodel.io.report import ImportFormatError
from conflictmodel.io.ucdp import read_ged


def _copies(source: Path, target: Path, count: int) -> list[bytes]:
    """``target``: the header of ``source`` and its first row ``count`` times, ids renumbered."""
    lines = source.read_bytes().splitlines(keepends=True)
    header, row = lines[0], lines[1]
    first = row.split(b",", 1)
    copies = [b"%d%s,%s" % (number, first[0], first[1]) for number in range(count)]
    target.write_bytes(header + b"".join(copies))
    return copies


def test_a_latin_1_byte_costs_its_row_and_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    copies = _copies(GED191_SAMPLE, path, 3000)
    bad = copies[2499].replace(b"Syria", b"Syri\xe9", 1)
    assert bad != copies[2499]
    path.write_bytes(path.read_bytes().replace(copies[2499], bad))
    result = read_ged(path, progress=False)
    assert [(r.line, r.reason) for r in result.report.refused] == [
        (2501, "conflict_name: not valid UTF-8 (byte 0xE9)")
    ]
    assert result.report.rows_read == 3000
    assert len(result.dataset.events) == 2999


def test_a_field_over_the_csv_limit_costs_its_row(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    copies = _copies(ACLED_SAMPLE, path, 3)
    huge = copies[1].replace(b"Invented fixture row", b"x" * (200 * 1024), 1)
    path.write_bytes(path.read_bytes().replace(copies[1], huge))
    result = read_acled(path, progress=False)
    ((line, reason),) = [(r.line, r.reason) for r in result.report.refused]
    assert line == 3
    assert reason.startswith("not readable as CSV: field larger than field limit")
    assert len(result.dataset.events) == 2
    assert csv.field_size_limit() == 128 * 1024


@pytest.mark.parametrize(
    ("read", "source", "column"),
    [(read_ged, GED191_SAMPLE, "best"), (read_acled, ACLED_SAMPLE, "notes")],
)
def test_two_columns_of_one_name_are_refused_not_one_dropped(
    tmp_path: Path, read: object, source: Path, column: str
) -> None:
    path = tmp_path / "twice.csv"
    lines = source.read_bytes().splitlines(keepends=True)
    path.write_bytes(
        lines[0].rstrip(b"\r\n")
        + b","
        + column.encode()
        + b"\r\n"
        + b"".join(line.rstrip(b"\r\n") + b",0\r\n" for line in lines[1:])
    )
    header = lines[0].decode().strip().split(",")
    message = (
        f"repeated column '{column}' \\(columns {header.index(column) + 1}, {len(header) + 1}\\)"
    )
    assert callable(read)
    with pytest.raises(ImportFormatError, match=message):
        read(path)


def test_an_undecodable_header_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"event_id_cnty,ev\xe9nt_date\n")
    with pytest.raises(ImportFormatError, match="cannot read the header: not valid UTF-8"):
        read_acled(path)
