"""What an importer did with a file: rows read, records made, values normalised, rows refused.

Every importer returns an :class:`ImportResult`: the :class:`~conflictmodel.Dataset` it built and
an :class:`ImportReport`. A row the importer cannot use is refused with its line number and the
reason, never dropped silently; with ``errors="raise"`` the first such row raises
:class:`~conflictmodel.errors.ImportRowError` instead.

>>> from conflictmodel.io.report import ReportBuilder
>>> builder = ReportBuilder("events.csv", "demo format")
>>> builder.row_read()
>>> builder.refuse(2, "date_start: '2020-13-01' is not a date")
>>> report = builder.finish({"events": 0})
>>> report.refused
(Refused(line=2, reason="date_start: '2020-13-01' is not a date"),)
>>> print(report)  # doctest: +NORMALIZE_WHITESPACE
events.csv (demo format): 1 row read, 0 imported, 1 refused
  refused line 2: date_start: '2020-13-01' is not a date
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from typing import Any, Literal

import attrs
from immutabledict import immutabledict

from conflictmodel._html import ROWS, html_table
from conflictmodel._words import counted, counted_records
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ImportFormatError, ImportRowError, ValidationError

__all__ = [
    "Errors",
    "ImportFormatError",
    "ImportReport",
    "ImportResult",
    "ImportRowError",
    "Normalised",
    "Refused",
    "ReportBuilder",
    "check_errors",
]

Errors = Literal["report", "raise"]
"""What an importer does with a bad row: list it in the report, or raise :class:`ImportRowError`."""


@attrs.frozen
class Normalised:
    """A value the importer changed to fit the model, and the rule it applied."""

    line: int
    record: str
    field: str
    original: str
    new: str
    rule: str


@attrs.frozen
class Refused:
    """A row the importer could not use: its line in the file and why."""

    line: int
    reason: str


@attrs.frozen(kw_only=True, repr=False)
class ImportReport:
    """The account of one import.

    ``records`` counts the records made per collection; ``kept`` counts, per source column, the
    events that keep its value in :attr:`~conflictmodel.Event.source_values`. An update of an
    earlier dataset (:func:`conflictmodel.io.acled.update`) lists, by ``(collection, id)``,
    the records it ``added``, ``edited`` (the earlier version kept in the history) and
    ``withdrawn``. ``notes`` say, in words, what the file gives that no record holds in full
    (values of no one row).
    """

    source: str
    format: str
    rows_read: int
    records: Mapping[str, int]
    normalised: tuple[Normalised, ...] = ()
    refused: tuple[Refused, ...] = ()
    kept: Mapping[str, int] = attrs.field(factory=immutabledict)
    added: tuple[tuple[str, str], ...] = ()
    edited: tuple[tuple[str, str], ...] = ()
    withdrawn: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rows_imported(self) -> int:
        """Rows that became records."""
        return self.rows_read - len(self.refused)

    def normalised_counts(self) -> dict[tuple[str, str], int]:
        """How often each ``(field, rule)`` was applied."""
        return dict(Counter((entry.field, entry.rule) for entry in self.normalised))

    def lines(self, *, limit: int = 20) -> Iterator[str]:
        """The report as text lines, listing at most ``limit`` refused rows."""
        yield self._headline()
        for label, text in self._entries(limit):
            yield f"  {label}: {text}"
        if len(self.refused) > limit:
            yield f"  ... and {len(self.refused) - limit:,} more refused rows"

    def _headline(self) -> str:
        return (
            f"{self.source} ({self.format}): {counted(self.rows_read, 'row')} read, "
            f"{self.rows_imported:,} imported, {len(self.refused):,} refused"
        )

    def _entries(self, limit: int) -> Iterator[tuple[str, str]]:
        """What the report says after its headline, as ``(label, text)``."""
        made = counted_records(dict(self.records))
        if made:
            yield "records made", made
        for (field, rule), count in sorted(self.normalised_counts().items()):
            yield f"normalised {count:,} × {field}", rule
        if self.kept:
            yield "source values kept on events", ", ".join(sorted(self.kept))
        for note in self.notes:
            yield "note", note
        if self.added or self.edited or self.withdrawn:
            yield (
                "update",
                f"{len(self.edited):,} edited, {len(self.added):,} added, "
                f"{len(self.withdrawn):,} withdrawn",
            )
        for refusal in self.refused[:limit]:
            yield f"refused line {refusal.line}", refusal.reason

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"<ImportReport {self._headline()}, {len(self.normalised):,} values normalised>"

    def _repr_html_(self) -> str:
        rows = list(self._entries(len(self.refused)))
        shown = len(rows) - len(self.refused) + ROWS
        return html_table(self._headline(), ["", ""], rows, total=len(rows), shown=shown)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "source": self.source,
            "format": self.format,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "records": dict(self.records),
            "normalised": [attrs.asdict(entry) for entry in self.normalised],
            "refused": [attrs.asdict(entry) for entry in self.refused],
            "kept": dict(self.kept),
            "added": [list(key) for key in self.added],
            "edited": [list(key) for key in self.edited],
            "withdrawn": [list(key) for key in self.withdrawn],
            "notes": list(self.notes),
        }


@attrs.frozen
class ImportResult:
    """What an importer returns: the dataset and the report on how it was made."""

    dataset: Dataset
    report: ImportReport


def check_errors(errors: object) -> Errors:
    """``errors`` as given, when it is one of the accepted values."""
    if errors not in ("report", "raise"):
        raise ValidationError(f"errors must be 'report' or 'raise', got {errors!r}")
    return "raise" if errors == "raise" else "report"


class ReportBuilder:
    """Collects an :class:`ImportReport` while an importer reads a file."""

    def __init__(self, source: str, format: str, errors: Errors = "report") -> None:
        self.source = source
        self.format = format
        self.errors = check_errors(errors)
        self.rows_read = 0
        self._normalised: list[Normalised] = []
        self._refused: list[Refused] = []
        self._kept: list[Collection[str]] = []
        self._notes: list[str] = []

    def row_read(self, rows: int = 1) -> None:
        self.rows_read += rows

    def refuse(self, line: int, reason: str) -> None:
        """Refuse a row; raises :class:`ImportRowError` when the import was asked to."""
        if self.errors == "raise":
            raise ImportRowError(f"{self.source}, line {line}: {reason}")
        self._refused.append(Refused(line, reason))

    def normalise(
        self, line: int, record: str, field: str, original: object, new: object, rule: str
    ) -> None:
        self._normalised.append(Normalised(line, record, field, str(original), str(new), rule))

    def note(self, text: str) -> None:
        """Say what the file gives that no record holds in full."""
        self._notes.append(text)

    def keep(self, columns: Collection[str]) -> None:
        """Count the columns one event keeps, each named once (events may share one unchanging
        collection)."""
        self._kept.append(columns)

    def _kept_counts(self) -> dict[str, int]:
        """Events by the column they keep, sorted by column, each shared collection read once
        and each set of columns counted once."""
        shared = {id(columns): columns for columns in self._kept}
        by_columns: Counter[tuple[str, ...]] = Counter()
        for key, events in Counter(map(id, self._kept)).items():
            by_columns[tuple(shared[key])] += events
        counts: Counter[str] = Counter()
        for names, events in by_columns.items():
            counts.update(dict.fromkeys(names, events))
        return dict(sorted(counts.items()))

    def finish(self, records: Mapping[str, int]) -> ImportReport:
        return ImportReport(
            source=self.source,
            format=self.format,
            rows_read=self.rows_read,
            records=immutabledict(records),
            normalised=tuple(self._normalised),
            refused=tuple(self._refused),
            kept=immutabledict(self._kept_counts()),
            notes=tuple(self._notes),
        )
