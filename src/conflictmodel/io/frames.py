"""pandas DataFrames and Arrow tables of a dataset, and of query results.

Needs pandas (the ``frames`` extra), Arrow tables and Parquet files too: they are built from the
frames (pyarrow is installed with conflictmodel).

>>> import conflictmodel as cm
>>> from conflictmodel.io.frames import to_frame
>>> ds = cm.examples.idlib_2020()
>>> figures = ["killed_low", "killed_best", "killed_high"]
>>> to_frame(ds, "casualties")[["event", "actor", *figures]].head(2)
                    event         actor  killed_low  killed_best  killed_high
0       attack-2020-02-03  turkish-army           8            8            8
1  retaliation-2020-02-03   syrian-army          27         <NA>           29

Every table is laid out from the field spec, so a plug-in event type's fields get columns with
no extra code: a field gives one column, an estimate ``_low``/``_best``/``_high``, a span its text,
``_start``, ``_end`` and ``_precision``, a nested value its fields under its name, a mapping a
``<field>.<key>`` column per key; a reference to actors or places gains their names
(``initiators_names``) and a place its point (``where_lat``, ``where_lon``). Many-valued fields
are joined with ``"; "``. Kinds: ``events`` (one row per event, with ``killed_total`` the figure
charts use), ``casualties`` and ``associates`` (long form: one row per entry, with its event),
``claims`` (the statement's fields under ``statement_``), ``actors``, ``locations``, ``sources``
and ``source_values`` (long form: event, column, value).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from conflictmodel._checks import describe
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.io._atomic import atomic_file, make_folder
from conflictmodel.io._extras import require
from conflictmodel.io._tables import (
    KINDS,
    ColumnType,
    Row,
    Table,
    casualty_table,
    table,
    table_parts,
    violation_table,
)
from conflictmodel.io.csv_export import export_kinds
from conflictmodel.queries import CasualtyTable, Durability, Violation
from conflictmodel.queries.casualties import CasualtyTotals
from conflictmodel.queries.results import count_column

T = TypeVar("T")

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KINDS",
    "casualties_frame",
    "durability_frame",
    "to_arrow",
    "to_frame",
    "to_parquet",
    "violations_frame",
]

_DTYPES = {"float": "float64", "bool": "boolean", "str": "string"}
"""The pandas type of each other kind of column (counts are ``count_column``'s)."""


def _pandas(feature: str) -> Any:
    """pandas, or a :class:`~conflictmodel.MissingExtraError` naming ``feature`` and the extra
    that installs it."""
    return require("pandas", "frames", feature)


def _frame(source: Table, feature: str) -> pd.DataFrame:
    pandas = _pandas(feature)
    columns = {}
    for name, kind in source.columns.items():
        values = [row[name] for row in source.rows]
        if kind == "date":
            columns[name] = pandas.to_datetime(pandas.Series(values, dtype="object"))
        elif kind == "int":
            columns[name] = count_column(pandas, values)
        else:
            columns[name] = pandas.Series(values, dtype=_DTYPES[kind])
    frame: pd.DataFrame = pandas.DataFrame(columns, columns=list(source.columns))
    return frame


def to_frame(ds: Dataset, kind: str) -> pd.DataFrame:
    """A DataFrame of one kind of record (see the module docs for the kinds)."""
    return _frame(table(ds, kind), "to_frame()")


def casualties_frame(result: CasualtyTable | CasualtyTotals) -> pd.DataFrame:
    """A DataFrame of a :func:`~conflictmodel.casualties_by_actor` result, one row per actor.

    >>> import conflictmodel as cm
    >>> from conflictmodel.io.frames import casualties_frame
    >>> table = cm.casualties_by_actor(cm.examples.idlib_2020())
    >>> casualties_frame(table)[["actor", "killed_low", "killed_best", "rests_on_claims"]]
                  actor  killed_low  killed_best  rests_on_claims
    0       syrian-army          27         <NA>            False
    1  syrian-civilians          15           15             True
    2      turkish-army           8            8            False
    """
    _expect("casualties_frame", "result", result, CasualtyTable, CasualtyTotals)
    return _frame(casualty_table(result), "casualties_frame()")


def violations_frame(violations: Iterable[Violation]) -> pd.DataFrame:
    """A DataFrame of :func:`~conflictmodel.ceasefire_violations` results, one row each."""
    found = list(_expect("violations_frame", "violations", violations, Iterable))
    for violation in found:
        _expect("violations_frame", "violations", violation, Violation)
    return _frame(violation_table(found), "violations_frame()")


def durability_frame(held: Durability) -> pd.DataFrame:
    """A DataFrame of a :func:`~conflictmodel.ceasefire_durability` result, one row per week:
    ``week`` (its first day), ``period`` ("before" or "in force"), ``violations`` (events
    that definitely violate) and, apart from those, ``only_possible`` (events that only
    possibly do).

    >>> import conflictmodel as cm
    >>> from conflictmodel.io.frames import durability_frame
    >>> kb = cm.examples.karabakh_2020()
    >>> durability_frame(cm.ceasefire_durability(kb, "moscow-truce-2020-10-10"))
            week    period  violations  only_possible
    0 2020-09-26    before           3              0
    1 2020-10-03    before           1              0
    2 2020-10-10  in force           3              1
    3 2020-10-17  in force           1              0
    """
    _expect("durability_frame", "held", held, Durability)
    rows: list[Row] = [
        {
            "week": week,
            "period": period,
            "violations": count,
            "only_possible": possible.get(week, 0),
        }
        for period, weeks, possible in (
            ("before", held.before, held.possible_before),
            ("in force", held.per_week, held.possible_per_week),
        )
        for week, count in weeks.items()
    ]
    columns: dict[str, ColumnType] = {
        "week": "date",
        "period": "str",
        "violations": "int",
        "only_possible": "int",
    }
    return _frame(Table(columns, rows), "durability_frame()")


def _expect(function: str, argument: str, value: T, *expected: type) -> T:
    """``value``, when it is one of the ``expected`` types."""
    if not isinstance(value, expected):
        names = " or ".join(kind.__name__ for kind in expected)
        raise ValidationError(
            f"{function}({argument}=...): expected {names}, got {describe(value)}"
        )
    return value


def to_arrow(ds: Dataset, kind: str) -> Any:
    """A ``pyarrow.Table`` of one kind of record, built from its frame (needs pandas: the
    ``frames`` extra).

    >>> import conflictmodel as cm
    >>> from conflictmodel.io.frames import to_arrow
    >>> to_arrow(cm.examples.idlib_2020(), "actors").num_rows
    10
    """
    feature = "to_arrow()"
    _pandas(feature)
    arrow = require("pyarrow", "arrow", feature)
    return _arrow_table(table(ds, kind), arrow, feature)


def to_parquet(
    ds: Dataset, directory: str | os.PathLike[str], kinds: str | Iterable[str] = KINDS
) -> list[Path]:
    """Write ``<kind>.parquet`` for each kind (or the one kind named) into ``directory``; the
    paths written. Needs pandas (the ``frames`` extra), as :func:`to_arrow` does.

    Each file is written atomically, as :func:`~conflictmodel.dump` writes.

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel.io.frames import to_parquet
    >>> [path.name for path in to_parquet(cm.examples.idlib_2020(), tempfile.mkdtemp(), "events")]
    ['events.parquet']
    """
    feature = "to_parquet()"
    chosen = export_kinds("to_parquet", kinds)
    _pandas(feature)
    arrow = require("pyarrow", "arrow", feature)
    parquet: Any = require("pyarrow.parquet", "arrow", feature)
    folder = make_folder(directory)
    written = []
    for kind in chosen:
        path = folder / f"{kind}.parquet"
        rows = table_parts(ds, kind)
        schema = _arrow_table(Table(rows.columns, []), arrow, feature).schema
        with atomic_file(path) as stream, parquet.ParquetWriter(stream, schema) as writer:
            for part in rows.parts:
                batch = _arrow_table(Table(rows.columns, part), arrow, feature)
                writer.write_table(batch.cast(schema))
        written.append(path)
    return written


def _arrow_table(source: Table, arrow: Any, feature: str) -> Any:
    return arrow.Table.from_pandas(_frame(source, feature), preserve_index=False)
