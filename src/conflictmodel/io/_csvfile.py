"""Reading a CSV file as columns, with the line each row starts on."""

from __future__ import annotations

import contextlib
import csv
import ctypes
import datetime
import gc
import operator
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from immutabledict import immutabledict

from conflictmodel._bulk import Builder, Coded, dictionary_codes, numbered
from conflictmodel._checks import MAX_COUNT, accepted_text_mapping, accepts_text_items, describe
from conflictmodel._gc import paused_gc
from conflictmodel.dataset import Dataset
from conflictmodel.errors import MissingExtraError, ValidationError
from conflictmodel.io._extras import require
from conflictmodel.io._progress import Progress, progress_callback
from conflictmodel.io.report import Errors, ImportFormatError, ImportResult, ReportBuilder
from conflictmodel.places import Point
from conflictmodel.records import Record
from conflictmodel.vintages import Version

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from numpy.typing import NDArray

    from conflictmodel.tables.layout import ClassColumns
    from conflictmodel.tables.lazy import Stamps

T = TypeVar("T")
U = TypeVar("U")

_EVERY = 500
_THREADED_FROM = 16 << 20
"""The size from which pyarrow reads a file with several threads: a smaller file is read as
fast by one, at half the CPU time."""


def _count_records(path: Path) -> int:
    """CSV records (header included): line ends outside quoted fields, which may span lines."""
    records = 0
    quoted = False
    with path.open("rb") as handle:
        for line in handle:
            quoted ^= bool(line.count(b'"') & 1)
            if not quoted:
                records += 1
    return records


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
    row, so it costs that row only. ``header`` holds the column names stripped, ``cells`` the
    header row as read, and ``header_lines`` the lines it takes.
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
        self._expected = max(_count_records(self.path) - 1, 0) if self._progress else 0
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
        self.cells = header
        self.header = [name.strip() for name in header]
        self.header_lines = self._reader.line_num
        problem = _missing(self.header, required) or _repeated(self.header)
        if problem:
            self.close()
            raise ImportFormatError(f"{self.path}: not a valid {what} file: {problem}")

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CsvRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[tuple[int, dict[str, str] | str]]:
        """``(line, row)`` pairs; ``row`` is a reason text when the row cannot be read."""
        header = self.header
        for line, fields in self.fields():
            yield (
                line,
                fields if isinstance(fields, str) else dict(zip(header, fields, strict=True)),
            )

    def fields(self) -> Iterator[tuple[int, list[str] | str]]:
        """``(line, fields)`` pairs, one per row, as wide as the header, or the reason it is not."""
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
            yield line, fields
        if callback is not None:
            callback(done, done)


class BadRow(Exception):
    """Raised for a row an importer refuses, with the reason."""


class Parsed(Generic[T]):
    """What a parse function made of each row's cells, or why it refused them.

    The function ran once per distinct combination of cells, so equal rows share one value.
    """

    def __init__(self, made: list[T | None], reasons: list[str | None], index: NDArray[Any]):
        import numpy as np

        self._made = made
        self._reasons = reasons
        self._index = index
        self.refused: NDArray[np.bool_] = np.array([r is not None for r in reasons], bool)[index]

    @property
    def values(self) -> list[T]:
        """The value of every row (``None`` where a row was refused)."""
        import numpy as np

        shared = np.fromiter(self._made, object, len(self._made))
        values: list[T] = shared[self._index].tolist()
        return values

    def map(self, function: Callable[[T], U]) -> Parsed[U]:
        """``function`` of each value made, called once per distinct cells; the rows refused
        stay refused."""
        made: list[U | None] = [
            None if reason is not None else function(cast(T, value))
            for value, reason in zip(self._made, self._reasons, strict=True)
        ]
        return Parsed(made, self._reasons, self._index)

    def value(self, row: int) -> T:
        """The value of row ``row`` (``None`` where it was refused): one row's, without
        :attr:`values` for every row."""
        return cast(T, self._made[self._index.item(row)])

    def reason(self, row: int) -> str | None:
        """Why the cells of ``row`` were refused (``None``: they were not)."""
        number: int = self._index.item(row)
        return self._reasons[number]

    def holds(self, test: Callable[[T], bool]) -> NDArray[np.bool_]:
        """Per row, whether ``test`` holds of its value, asked once per distinct cells
        (``False`` where the row was refused).

        >>> import numpy as np
        >>> parsed = Parsed([1, None, 3], [None, "bad", None], np.array([2, 1, 0, 2]))
        >>> parsed.holds(lambda number: number > 0).tolist()
        [True, False, True, True]
        """
        import numpy as np

        answers = [
            reason is None and test(cast(T, value))
            for value, reason in zip(self._made, self._reasons, strict=True)
        ]
        held: NDArray[np.bool_] = np.array(answers, dtype=bool)[self._index]
        return held

    def coded(self) -> tuple[list[T | None], NDArray[Any]]:
        """The distinct values made (``None`` for cells refused) and, per row, the number of
        its value: :attr:`values` without a list of every row's."""
        return self._made, self._index


def first_reasons(checks: Sequence[Parsed[Any]]) -> dict[int, str]:
    """For each row one of ``checks`` refused, the reason of the first check that refused it."""
    import numpy as np

    if not checks:
        return {}
    refused = np.logical_or.reduce([check.refused for check in checks])
    reasons: dict[int, str] = {}
    for row in np.flatnonzero(refused).tolist():
        reasons[row] = next(r for check in checks if (r := check.reason(row)) is not None)
    return reasons


def refusal_reasons(errors: Mapping[int, Exception]) -> dict[int, str]:
    """Why each call :meth:`~conflictmodel._bulk.Builder.build_all` refused (``errors``, by
    number) is refused; an error that is no refusal of the row (:class:`BadRow` or
    ValidationError) is raised.

    >>> refusal_reasons({2: BadRow("id: empty")})
    {2: 'id: empty'}
    """
    for error in errors.values():
        if not isinstance(error, BadRow | ValidationError):
            raise error
    return {number: str(error) for number, error in errors.items()}


class CsvTable:
    """The rows of a CSV file as columns of text, with the line each row starts on.

    ``unreadable`` lists the rows that could not be read, as ``(line, reason)`` in file order.
    """

    def __init__(
        self,
        header: list[str],
        columns: Sequence[pa.Array | pa.ChunkedArray],
        lines: NDArray[Any],
        unreadable: list[tuple[int, str]],
    ) -> None:
        self.header = header
        self._columns = dict(zip(header, columns, strict=True))
        self.lines = lines
        self.unreadable = unreadable
        self.rows = len(lines)
        self._encoded: dict[str, tuple[list[str], NDArray[Any]]] = {}

    def column(self, name: str) -> pa.Array | pa.ChunkedArray:
        """The cells of column ``name``; empty texts when the file has no such column."""
        import pyarrow as pa

        found = self._columns.get(name)
        return pa.repeat("", self.rows) if found is None else found

    def encoded(self, name: str) -> tuple[list[str], NDArray[Any]]:
        """The distinct cells of column ``name`` and, per row, the number of its cell; worked
        out once per column, for every :meth:`parsed` and :meth:`combination_numbers` that
        reads it."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        found = self._encoded.get(name)
        if found is None:
            encoded = pc.dictionary_encode(self.column(name))
            if isinstance(encoded, pa.ChunkedArray):
                if len({_where(chunk.dictionary) for chunk in encoded.chunks}) > 1:
                    encoded = encoded.unify_dictionaries()
                chunks = encoded.chunks
            else:
                chunks = [encoded]
            dictionary = chunks[-1].dictionary.to_pylist() if chunks else []
            codes = (
                np.concatenate([dictionary_codes(c.indices) for c in chunks]).astype(np.int64)
                if chunks
                else np.zeros(0, dtype=np.int64)
            )
            codes.setflags(write=False)
            found = self._encoded[name] = (dictionary, codes)
        return found

    def texts(self, name: str) -> list[str]:
        """The cells of column ``name`` as Python strings."""
        texts: list[str] = self.column(name).to_pylist()
        return texts

    def parsed(self, parse: Callable[..., T], *names: str) -> Parsed[T]:
        """``parse(*cells)`` of each row's cells in columns ``names``, once per distinct cells.

        A :class:`BadRow` or :class:`~conflictmodel.errors.ValidationError` that ``parse``
        raises refuses the rows with those cells, for the reason it gives.
        """
        keys, index = _distinct([self.encoded(name) for name in names], self.rows)
        made: list[T | None] = []
        reasons: list[str | None] = []
        for key in keys:
            try:
                made.append(parse(*key))
                reasons.append(None)
            except (BadRow, ValidationError) as error:
                made.append(None)
                reasons.append(str(error))
                drop_frames(error)
        return Parsed(made, reasons, index)

    def combination_numbers(self, *names: str) -> NDArray[Any]:
        """Per row, a number for its cells in columns ``names``: equal cells, equal numbers.

        Rows with equal numbers give a function of those cells equal answers, so an importer
        can work out such an answer once and reuse it for the rows that follow.
        """
        encodings = (self.encoded(name) for name in names)
        return combined(((len(distinct), codes) for distinct, codes in encodings), self.rows)

    def kept(self, names: Sequence[str]) -> list[immutabledict[str, str]]:
        """Per row, its cells in columns ``names`` that are not blank, by column name.

        Rows whose cells in those columns are equal share one mapping. Each distinct cell of a
        column is read (and checked as a source value) once, not once per row.
        """
        import numpy as np

        if not names:
            return [immutabledict()] * self.rows
        inverse, first = numbered(self.combination_numbers(*names))
        distinct_items: list[list[tuple[str, str] | None]] = []
        columns: list[list[tuple[str, str] | None]] = []
        for name in names:
            distinct, codes = self.encoded(name)
            filled = zip(distinct, _filled(distinct), strict=True)
            items = [(name, cell) if full else None for cell, full in filled]
            distinct_items.append(items)
            columns.append(np.fromiter(items, object, len(items))[codes[first]].tolist())
        checked = accepts_text_items(item for items in distinct_items for item in items if item)
        make = accepted_text_mapping if checked else immutabledict
        shared = [make(filter(None, cells)) for cells in zip(*columns, strict=True)]
        return [shared[number] for number in inverse.tolist()]

    def filled(self, names: Sequence[str]) -> list[tuple[str, ...]]:
        """Per row, those of columns ``names`` whose cell is not blank (the keys of its
        :meth:`kept` mapping), as one tuple shared by the rows that fill the same columns."""
        import numpy as np

        masks = []
        for name in names:
            distinct, codes = self.encoded(name)
            masks.append(np.fromiter(_filled(distinct), bool, len(distinct))[codes])
        inverse, first = numbered(combined(((2, mask) for mask in masks), self.rows))
        shared = [
            tuple(name for name, mask in zip(names, masks, strict=True) if mask[row])
            for row in first.tolist()
        ]
        return [shared[number] for number in inverse.tolist()]

    def refusals(self, refused: Mapping[int, str]) -> list[tuple[int, str]]:
        """``(line, reason)`` of the rows ``refused`` (by row) and of the rows that could not
        be read, in file order."""
        lines = self.lines
        found = [(lines.item(row), reason) for row, reason in refused.items()]
        return sorted([*found, *self.unreadable], key=operator.itemgetter(0))


def _filled(cells: list[str]) -> list[bool]:
    """Whether each cell holds more than blanks (only such cells are kept)."""
    return [bool(cell.strip()) for cell in cells]


def combined(encodings: Iterable[tuple[int, NDArray[Any]]], rows: int) -> NDArray[Any]:
    """Per row, a number for its values in columns given as ``(number of values, per row the
    number of its value)``: equal values, equal numbers."""
    import numpy as np

    index, size = np.zeros(rows, dtype=np.int64), 1
    for values, codes in encodings:
        if size * values >= 2**62:
            index = np.unique(index, return_inverse=True)[1]
            size = rows
        index = index * values + codes
        size *= max(values, 1)
    return index


def _where(array: pa.Array) -> tuple[int, ...]:
    """Where an array's data lies: arrays that share it hold the same values."""
    buffers = (0 if buffer is None else buffer.address for buffer in array.buffers())
    return (array.offset, len(array), *buffers)


def _distinct(
    encodings: list[tuple[list[str], NDArray[Any]]], rows: int
) -> tuple[list[tuple[str, ...]], NDArray[Any]]:
    """The distinct combinations of cells in columns given as ``(distinct values, per row the
    number of its value)`` and, per row, the number of its own combination."""
    import numpy as np

    if not encodings:
        return [()], np.zeros(rows, dtype=np.int64)
    if len(encodings) == 1:
        values, codes = encodings[0]
        return [(value,) for value in values], codes
    index, first = numbered(combined(((len(values), codes) for values, codes in encodings), rows))
    columns = [
        np.fromiter(values, object, len(values))[codes[first]].tolist()
        for values, codes in encodings
    ]
    return list(zip(*columns, strict=True)), index


def read_table(path: str | os.PathLike[str], *, required: Collection[str], what: str) -> CsvTable:
    """The rows of a CSV file, read as :class:`CsvRows` reads them, checked header included.

    pyarrow reads the file; the csv module reads it instead where the two would differ, so
    that such rows are refused as :class:`CsvRows` refuses them.
    """
    with CsvRows(path, required=required, what=what, progress=False) as rows:
        return _arrow_table(rows) or _csv_table(rows)


def _physical_lines(data: bytes) -> int:
    """The lines of ``data`` as a file opened with ``newline=""`` yields them."""
    ends = data.count(b"\n")
    if b"\r" in data:
        ends += data.count(b"\r") - data.count(b"\r\n")
    return ends + (1 if data and not data.endswith((b"\n", b"\r")) else 0)


def _arrow_table(rows: CsvRows) -> CsvTable | None:
    """The file read by pyarrow, or ``None`` where pyarrow would read it otherwise than ``rows``.

    That is a file with a byte that is not UTF-8, a row of another width than the header, a
    field over :func:`csv.field_size_limit` or a blank line (skipped by both, but it moves the
    line numbers): each costs its row only in ``rows``.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as arrow_csv

    data = rows.path.read_bytes()
    names = [f"f{number}" for number in range(len(rows.header))]
    try:
        table = arrow_csv.read_csv(
            pa.py_buffer(data),
            read_options=arrow_csv.ReadOptions(
                column_names=names, use_threads=len(data) >= _THREADED_FROM
            ),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowException:
        return None
    if table.num_rows == 0 or [column[0].as_py() for column in table.columns] != rows.cells:
        return None
    table = table.slice(1)
    columns = table.columns
    limit = csv.field_size_limit()
    for column in columns:
        if (pc.max(pc.binary_length(column)).as_py() or 0) > limit and (
            pc.max(pc.utf8_length(column)).as_py() or 0
        ) > limit:
            return None
    first, count = rows.header_lines + 1, table.num_rows
    lines = _physical_lines(data)
    if lines == rows.header_lines + count:
        return CsvTable(rows.header, columns, np.arange(first, first + count), [])
    breaks = sum((_column_line_ends(column) for column in columns), np.zeros(count, dtype=np.int64))
    if lines != rows.header_lines + count + int(breaks.sum()):
        return None
    starts = np.concatenate(([0], np.cumsum(breaks + 1)[:-1])) if count else breaks
    return CsvTable(rows.header, columns, first + starts, [])


def _line_ends(column: pa.Array) -> NDArray[Any]:
    r"""Per cell, the line ends in it as a file opened with ``newline=""`` counts them: each
    ``"\n"``, and each ``"\r"`` not directly followed by a ``"\n"`` of the same cell.

    >>> import pyarrow as pa
    >>> _line_ends(pa.array(["a", "b\r\nc\r", "\n\nd\r"]).slice(1)).tolist()
    [2, 3]
    """
    import numpy as np
    import pyarrow as pa

    _, offset_buffer, data_buffer = column.buffers()
    width = np.int64 if pa.types.is_large_string(column.type) else np.int32
    offsets = np.frombuffer(offset_buffer, dtype=width)[column.offset :][: len(column) + 1]
    first = int(offsets[0])
    ends = np.asarray(offsets[1:], dtype=np.int64) - first
    if data_buffer is None or not len(column):
        return np.zeros(len(column), dtype=np.int64)
    text = np.frombuffer(data_buffer, dtype=np.uint8)[first : first + int(ends[-1])]
    feeds = text == 10
    returns = np.flatnonzero(text == 13)
    following = returns + 1
    paired = following < len(text)
    paired[paired] = feeds[following[paired]]
    paired &= np.searchsorted(ends, returns, side="right") == np.searchsorted(
        ends, following, side="right"
    )
    positions = np.concatenate((np.flatnonzero(feeds), returns[~paired]))
    cells = np.searchsorted(ends, positions, side="right")
    return np.bincount(cells, minlength=len(column)).astype(np.int64)


def _column_line_ends(column: pa.ChunkedArray) -> NDArray[Any]:
    """:func:`_line_ends` of each cell of ``column``, chunk by chunk (a cell lies in one)."""
    import numpy as np

    if not column.num_chunks:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([_line_ends(chunk) for chunk in column.chunks])


def _csv_table(rows: CsvRows) -> CsvTable:
    """The rows the csv module reads, as columns; the rows it cannot read with their reasons."""
    import numpy as np
    import pyarrow as pa

    lines: list[int] = []
    cells: list[list[str]] = []
    unreadable: list[tuple[int, str]] = []
    for line, fields in rows.fields():
        if isinstance(fields, str):
            unreadable.append((line, fields))
        else:
            lines.append(line)
            cells.append(fields)
    columns = [pa.array(list(column), pa.string()) for column in zip(*cells, strict=True)]
    if not cells:
        columns = [pa.array([], pa.string()) for _ in rows.header]
    return CsvTable(rows.header, columns, np.array(lines, dtype=np.int64), unreadable)


class RowImporter(Protocol):
    """Turns the rows of one file into records, made (:meth:`prepare`) or laid out in tables
    without making the events (:meth:`prepare_columns`)."""

    def prepare(self, table: CsvTable) -> Mapping[int, str]:
        """Take the rows of ``table``, parsed and checked column by column, and make their
        records; give the reason for each row refused, by row (rows taken or refused as
        they would be one at a time in file order)."""

    def records(self) -> Iterable[Record]:
        """Every record made from the rows taken."""

    def versions(self, records: Iterable[Record]) -> Iterable[Version]:
        """The dated versions of ``records`` (made by :meth:`records`), for the history."""

    def prepare_columns(self, table: CsvTable) -> Mapping[int, str]:
        """Take the rows of ``table`` as :meth:`prepare` does, checking their events field by
        field without making them (:func:`checked_events`); give the reason for each row
        refused."""

    def dimensions(self) -> Iterable[Record]:
        """The actors, places, sources and relations made from the rows taken."""

    def event_columns(self) -> list[ClassColumns]:
        """The events checked by :meth:`prepare_columns`, by class."""

    def stamps(self) -> tuple[Any, Any, Any, Stamps]:
        """The dated versions of the records (for the history), as
        :func:`~conflictmodel.tables.lazy.current_versions` takes them."""


def checked_events(
    builder: Builder[Any], rows: NDArray[Any], columns: Mapping[str, Sequence[Any] | Coded]
) -> tuple[ClassColumns, dict[int, str]]:
    """The events of the table's ``rows`` given ``columns`` (one argument per row) checked
    by ``builder`` field by field without being made: those it takes, and why it refuses the
    others, by row."""
    import numpy as np

    from conflictmodel.tables import layout

    checked, errors = builder.checked_all(columns, len(rows))
    reasons = {rows.item(number): reason for number, reason in refusal_reasons(errors).items()}
    if reasons:
        taken = np.ones(len(rows), dtype=bool)
        taken[list(errors)] = False
        checked = {name: layout.kept_values(values, taken) for name, values in checked.items()}
        rows = rows[taken]
    return layout.ClassColumns(builder.cls, rows, checked), reasons


LAZY_FROM_ROWS = 100_000
"""The rows from which an importer given ``lazy=None`` lays its events out in tables."""

ROWS_AT_ONCE = 250_000
"""How many rows' events an import columns first lays out at once (those laid out so far
compressed before the next)."""


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
    lazy: bool | None = False,
) -> ImportResult:
    """Read a CSV file through ``importer``, refusing bad rows into the report.

    The importer takes the rows (:meth:`RowImporter.prepare`); the rows it refuses and those
    that cannot be read are then reported in file order. ``progress`` hears of none of the
    rows done as the importer starts and of all once the dataset is made. ``layout(header)``
    names the variant of the format found; ``counted`` lists the collections whose record
    counts the report gives. ``lazy=True`` lays the events out in tables DuckDB holds
    without making them, for a dataset that builds them when asked for, as
    :func:`conflictmodel.tables.load` gives one (:meth:`RowImporter.prepare_columns`);
    ``lazy=None`` does so from :data:`LAZY_FROM_ROWS` rows when the ``arrow`` extra is
    installed.
    """
    if not isinstance(path, str | os.PathLike):
        raise ValidationError(
            f"{what} import: expected the path of a CSV file, got {describe(path)}"
        )
    report = ReportBuilder(str(path), what, errors)
    table = read_table(path, required=required, what=what)
    report.format = layout(table.header)
    rows_importer = importer(report)
    columns_first = _columns_first(lazy, table.rows, what)
    callback = progress_callback(progress, f"importing {Path(path).name}")
    rows = table.rows + len(table.unreadable)
    with paused_gc():
        if callback is not None:
            callback(0, rows)
        if columns_first:
            refused = rows_importer.prepare_columns(table)
        else:
            refused = rows_importer.prepare(table)
        for line, reason in table.refusals(refused):
            report.refuse(line, reason)
        report.row_read(rows)
        if columns_first:
            groups = rows_importer.event_columns()
            dimensions, dated = rows_importer.dimensions(), rows_importer.stamps()
            del table, rows_importer
            dataset = _laid_out(groups, Dataset(dimensions), dated, what)
            del groups, dimensions, dated
            _let_go()
        else:
            records = list(rows_importer.records())
            dataset = Dataset(records, history=rows_importer.versions(records))
    if callback is not None:
        callback(rows, rows)
    counts = {name: len(getattr(dataset, name)) for name in counted}
    return ImportResult(dataset, report.finish(counts))


def _columns_first(lazy: bool | None, rows: int, what: str) -> bool:
    """Whether an import of ``rows`` rows given ``lazy`` lays its events out in tables (the
    ``arrow`` extra is needed for ``lazy=True``)."""
    if lazy is False or (lazy is None and rows < LAZY_FROM_ROWS):
        return False
    try:
        require("duckdb", "arrow", f"{what} import with lazy=True")
    except MissingExtraError:
        if lazy:
            raise
        return False
    return True


def _let_go() -> None:
    """Let go of what an import columns first no longer holds: its garbage cycles (the
    collector is paused), the memory they kept in Arrow's pool, and on Linux the memory glibc
    keeps after the import freed it (``malloc_trim``, about 10 ms). At 1,000,000 ACLED rows
    the process then holds about 300 bytes per event more than before the import, not 490."""
    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).malloc_trim(0)


def _laid_out(
    groups: list[ClassColumns], dimensions: Dataset, dated: tuple[Any, Any, Any, Stamps], what: str
) -> Dataset:
    """The dataset of the events ``groups`` give (checked, not made) and the records of
    ``dimensions``, the records dated as ``dated`` says
    (:func:`~conflictmodel.tables.lazy.current_versions`): the events laid out in tables
    :data:`ROWS_AT_ONCE` rows at a time, in a :class:`~conflictmodel.tables.store.Filling`,
    and checked as :func:`conflictmodel.tables.load` checks tables."""
    from conflictmodel.tables import lazy, store
    from conflictmodel.tables.layout import columns_tables

    filling = store.Filling(None, f"{what} import")
    rows = max((int(group.rows[-1]) + 1 for group in groups if len(group.rows)), default=0)
    with store.engine_failures(filling.connection, f"importing {what}"):
        for start in range(0, rows, ROWS_AT_ONCE):
            parts = [group.between(start, start + ROWS_AT_ONCE) for group in groups]
            filling.add(columns_tables("events", parts))
            filling.compress()
        opened = filling.opened(dimensions)
        return lazy.over(opened, lazy.current_versions(opened.backend.con, *dated))


def drop_frames(error: BaseException) -> None:
    """Let the frames a refused row's error passed through go now, not at the next garbage
    collection (which :func:`import_csv` pauses): a frame holding the error is a cycle."""
    chained: BaseException | None = error
    while chained is not None:
        chained.__traceback__ = None
        chained = chained.__context__ or chained.__cause__


def text_named(text: str, column: str) -> str:
    """The name in a cell of ``column``, stripped; an empty cell is refused."""
    if not text.strip():
        raise BadRow(f"{column}: empty")
    return text.strip()


def text_count(text: str, column: str) -> int:
    """The count in a cell of ``column``: ASCII digits, at most 2**63 - 1 (``²`` is refused)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        shown = text if len(text) <= 40 else f"{text[:40]}..."
        raise BadRow(f"{column}: {shown!r} is not a whole number of people")
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_COUNT)) or int(digits or "0") > MAX_COUNT:
        raise BadRow(f"{column}: a number of {len(digits)} digits is more than 2**63 - 1")
    return int(digits or "0")


def text_unix_time(text: str, column: str) -> datetime.datetime | None:
    """The Unix time (seconds since 1970, UTC) in a cell of ``column``; ``None`` when empty."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        shown = text if len(text) <= 40 else f"{text[:40]}..."
        raise BadRow(f"{column}: {shown!r} is not a Unix time (whole seconds since 1970)")
    return datetime.datetime.fromtimestamp(int(text), datetime.UTC)


def text_point(latitude: str, longitude: str) -> Point | None:
    """The point at the cells of ``latitude`` / ``longitude``; ``None`` when either is empty."""
    lat, lon = latitude.strip(), longitude.strip()
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
