"""CSV files of a dataset's records, one per kind, without pandas.

The columns are those of :func:`~conflictmodel.io.frames.to_frame`; an empty cell is a missing
value; dates are ISO text.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and source
text can hold one (an ACLED note reading ``=HYPERLINK(...)``). So by default every text cell
that starts with one of those, a tab, a carriage return or ``'`` is written with one ``'`` in
front (as OWASP advises): a spreadsheet shows the text as it is, and removing one leading
``'`` from such a cell gives the exact value back (:func:`unescape_formula`).
``spreadsheet_safe=False`` writes every value exactly, for programs that read the files.

>>> from conflictmodel.io.csv_export import escape_formula, unescape_formula
>>> escape_formula("=HYPERLINK(\\"http://x\\")"), escape_formula("-3 killed")
('\\'=HYPERLINK("http://x")', "'-3 killed")
>>> escape_formula("Saraqeb"), unescape_formula(escape_formula("'quoted"))
('Saraqeb', "'quoted")
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

from conflictmodel._checks import describe
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.io._atomic import atomic_file, make_folder
from conflictmodel.io._tables import KINDS, Row, table_parts

__all__ = ["escape_formula", "to_csv", "unescape_formula"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_formula(text: str) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would read it as a formula (or it
    starts with ``'`` already, so that the escape can be undone)."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def unescape_formula(cell: str) -> str:
    """The value :func:`escape_formula` was given: ``cell`` without one leading ``'``."""
    return cell[1:] if cell.startswith("'") else cell


def export_kinds(function: str, kinds: str | Iterable[str]) -> list[str]:
    """The kinds of table ``function`` writes: ``kinds`` itself, or the one kind a single
    name gives, each once, all checked before anything is written.

    >>> export_kinds("to_csv", "events"), export_kinds("to_csv", ["actors", "events", "actors"])
    (['events'], ['actors', 'events'])
    >>> export_kinds("to_csv", ["events", "killed"])
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: to_csv(kinds=...): no table 'killed'; expected one of ...
    """
    if isinstance(kinds, str):
        kinds = [kinds]
    elif not isinstance(kinds, Iterable):
        raise ValidationError(
            f"{function}(kinds=...): expected a kind of table or several, got {describe(kinds)}"
        )
    chosen = list(dict.fromkeys(kinds))
    unknown = [kind for kind in chosen if kind not in KINDS]
    if unknown:
        tables = ", ".join(repr(kind) for kind in unknown)
        raise ValidationError(
            f"{function}(kinds=...): no table {tables}; expected one of {', '.join(KINDS)}"
        )
    return chosen


def to_csv(
    ds: Dataset,
    directory: str | os.PathLike[str],
    kinds: str | Iterable[str] = KINDS,
    *,
    spreadsheet_safe: bool = True,
) -> list[Path]:
    """Write ``<kind>.csv`` for each kind (or the one kind named) into ``directory``; the paths
    written.

    Each file is written atomically, as :func:`~conflictmodel.dump` writes. Text cells are
    escaped against spreadsheet formulas unless ``spreadsheet_safe=False`` (see above).
    """
    chosen = export_kinds("to_csv", kinds)
    folder = make_folder(directory)
    written = []
    for kind in chosen:
        rows = table_parts(ds, kind)
        text_columns = [name for name, column in rows.columns.items() if column == "str"]
        path = folder / f"{kind}.csv"
        with atomic_file(path, encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows.columns))
            writer.writeheader()
            for part in rows.parts:
                writer.writerows(
                    [_escaped(row, text_columns) for row in part] if spreadsheet_safe else part
                )
        written.append(path)
    return written


def _escaped(row: Row, text_columns: list[str]) -> Row:
    escaped = dict(row)
    for name in text_columns:
        value = escaped[name]
        if isinstance(value, str):
            escaped[name] = escape_formula(value)
    return escaped
