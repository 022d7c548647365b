"""Reading a CSV file row by row with line numbers, and a progress display for long imports."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Never, Protocol

from tqdm import tqdm

from conflictmodel._checks import MAX_COUNT
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.io.report import Errors, ImportFormatError, ImportResult, ReportBuilder
from conflictmodel.places import Point
from conflictmodel.records import Record

ProgressCallback = Callable[[int, int], None]
"""Called as ``callback(rows_done, rows_expected)`` while a file is read."""

Progress = bool | ProgressCallback | None
"""``None``: a bar on standard error when it is a terminal; ``True``/``False``: always/never."""

_EVERY = 500


class _Bar:
    """A tqdm progress bar on standard error, opened on the first report and closed at the end."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: tqdm[Never] | None = None

    def __call__(self, done: int, expected: int) -> None:
        bar = self._bar
        if bar is None:
            bar = tqdm(total=expected, desc=self.label, unit=" rows", file=sys.stderr)
            self._bar = bar
        bar.total = expected
        bar.update(done - bar.n)
        if done >= expected:
            bar.close()


def progress_callback(progress: Progress, label: str) -> ProgressCallback | None:
    """The callback that ``progress`` asks for, or ``None`` for no display."""
    if callable(progress):
        return progress
    if progress is None:
        progress = sys.stderr.isatty()
    return _Bar(label) if progress else None


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def _missing(header: list[str], required: Collection[str]) -> str | None:
    missing = [name for name in required if name not in header]
    if not missing:
        return None
    return f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"


def _repeated(header: list[str]) -> str | None:
    """Two columns of one name: which one a value comes from would be a guess, so refuse."""
    places: dict[str, list[int]] = {}
    for number, name in enumerate(header, start=1):
        if name:
            places.setdefault(name, []).append(number)
    repeated = [
        f"{name!r} (columns {', '.join(map(str, numbers))})"
        for name, numbers in places.items()
        if len(numbers) > 1
    ]
    if not repeated:
        return None
    return f"repeated column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)}"


def _undecodable(fields: list[str]) -> tuple[int, int] | None:
    """The first field holding a byte that is not UTF-8 (read as a lone surrogate), and the byte."""
    if "".join(fields).isascii():
        return None
    for index, field in enumerate(fields):
        try:
            field.encode("utf-8")
        except UnicodeEncodeError as error:
            return index, ord(field[error.start]) - 0xDC00
    return None


class CsvRows:
    """The header and the rows of a CSV file, each row with the line it starts on.

    Opening checks the header for the ``required`` columns and raises
    :class:`~conflictmodel.errors.ImportFormatError` naming those missing, or naming
    columns that repeat a name (two ``best`` columns: neither is dropped silently). The file
    is read a row at a time; a row that is not valid UTF-8 or not readable as CSV (a field
    over the :func:`csv.field_size_limit`, 128 KiB by default) is a reason text instead of a
    row, so it costs that row only.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        required: Collection[str],
        what: str,
        progress: Progress = None,
    ) -> None:
        self.path = Path(path)
        self.what = what
        self._progress = progress_callback(progress, f"importing {self.path.name}")
        self._expected = max(_count_lines(self.path) - 1, 0) if self._progress else 0
        self._handle = self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._reader = csv.reader(self._handle)
        try:
            header = next(self._reader, None)
            if header and _undecodable(header):
                raise csv.Error("not valid UTF-8")
        except csv.Error as error:
            self.close()
            raise ImportFormatError(f"{self.path}: cannot read the header: {error}") from None
        if not header:
            self.close()
            raise ImportFormatError(f"{self.path}: empty file, expected a {what} header")
        self.header = [name.strip() for name in header]
        problem = _missing(self.header, required) or _repeated(self.header)
        if problem:
            self.close()
            raise ImportFormatError(f"{self.path}: not a {what} file: {problem}")

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CsvRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[tuple[int, dict[str, str] | str]]:
        """``(line, row)`` pairs; ``row`` is a reason text when the row has the wrong width."""
        header, reader, width = self.header, self._reader, len(self.header)
        callback, done = self._progress, 0
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                done += 1
                yield line, f"not readable as CSV: {error}"
                continue
            done += 1
            if callback is not None and done % _EVERY == 0:
                callback(done, max(self._expected, done))
            if not fields:
                continue
            if len(fields) != width:
                yield line, f"expected {width} fields as in the header, found {len(fields)}"
                continue
            bad = _undecodable(fields)
            if bad is not None:
                column = header[bad[0]]
                yield line, f"{column}: not valid UTF-8 (byte 0x{bad[1]:02X})"
                continue
            yield line, dict(zip(header, fields, strict=True))
        if callback is not None:
            callback(done, done)


class BadRow(Exception):
    """Raised by a row importer for a row it refuses, with the reason."""


class RowImporter(Protocol):
    """Turns the rows of one file into records."""

    def add(self, line: int, row: dict[str, str]) -> None:
        """Take one row; raise :class:`BadRow` or a ValidationError to refuse it."""

    def records(self) -> Iterable[Record]:
        """Every record made from the rows taken."""


def import_csv(
    path: str | os.PathLike[str],
    *,
    what: str,
    required: Collection[str],
    errors: Errors,
    progress: Progress,
    layout: Callable[[list[str]], str],
    importer: Callable[[ReportBuilder], RowImporter],
    counted: Iterable[str],
) -> ImportResult:
    """Read a CSV file row by row through ``importer``, refusing bad rows into the report.

    ``layout(header)`` names the variant of the format found; ``counted`` lists the
    collections whose record counts the report gives.
    """
    report = ReportBuilder(str(path), what, errors)
    with CsvRows(path, required=required, what=what, progress=progress) as rows:
        report.format = layout(rows.header)
        rows_importer = importer(report)
        for line, row in rows:
            report.row_read()
            if isinstance(row, str):
                report.refuse(line, row)
                continue
            try:
                rows_importer.add(line, row)
            except (BadRow, ValidationError) as error:
                report.refuse(line, str(error))
    dataset = Dataset(rows_importer.records())
    counts = {name: len(getattr(dataset, name)) for name in counted}
    return ImportResult(dataset, report.finish(counts))


def row_count(row: dict[str, str], column: str) -> int:
    """The count in ``column``: ASCII digits, at most 2**63 - 1 (``²`` and ``①`` are refused)."""
    text = row[column].strip()
    if not (text.isascii() and text.isdigit()):
        shown = text if len(text) <= 40 else f"{text[:40]}..."
        raise BadRow(f"{column}: {shown!r} is not a whole number of people")
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_COUNT)) or int(digits or "0") > MAX_COUNT:
        raise BadRow(f"{column}: a number of {len(digits)} digits is more than 2**63 - 1")
    return int(digits or "0")


def row_point(row: dict[str, str]) -> Point | None:
    """The ``latitude`` / ``longitude`` of a row as a point; ``None`` when either is empty."""
    lat, lon = row.get("latitude", "").strip(), row.get("longitude", "").strip()
    if not lat or not lon:
        return None
    try:
        degrees = float(lat), float(lon)
    except ValueError:
        raise BadRow(f"latitude/longitude: {lat!r}, {lon!r} are not numbers") from None
    try:
        return Point(*degrees)
    except ValidationError as error:
        raise BadRow(f"latitude/longitude: {error}") from None
