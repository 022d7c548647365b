"""HTML tables for notebooks (``_repr_html_``): data escaped, the first rows, and a count.

>>> print(html_table("Two", ["a"], [["<b>"]], total=1))
<table><caption>Two</caption><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from conflictmodel._words import counted

ROWS = 10
"""How many rows an HTML table shows before saying how many more there are."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def html_table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    total: int,
    shown: int = ROWS,
    note: str | None = None,
) -> str:
    """An HTML table of the first ``shown`` rows, saying how many of ``total`` it leaves out,
    with a ``note`` under it."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_text(cell))}</td>" for cell in row) + "</tr>"
        for row, _ in zip(rows, range(shown), strict=False)
    )
    notes = [f"… {total - shown:,} more"] if total > shown else []
    notes += [note] if note else []
    more = (
        "<tfoot>"
        + "".join(f"<tr><td colspan={len(headers)}>{html.escape(n)}</td></tr>" for n in notes)
        + "</tfoot>"
        if notes
        else ""
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody>{more}</table>"
    )


def record_html(record: Any) -> str:
    """A record as a table of all its fields."""
    rows = [(field.name, getattr(record, field.name)) for field in attrs.fields(type(record))]
    return html_table(record.label, ["field", "value"], rows, total=len(rows), shown=len(rows))


def dataset_html(ds: Any) -> str:
    """Counts per collection and the first events in time order (a ``Dataset``)."""
    counts = [(name, len(getattr(ds, name))) for name in _COLLECTIONS]
    summary = html_table("Dataset", ["collection", "records"], counts, total=len(counts))
    return summary + _events_html(ds._tables, "Events, by time") if ds.events else summary


def records_html(tables: Mapping[str, Mapping[str, Any]], collection: str) -> str:
    """The first records of one collection of a ``Dataset`` (whose collections are
    ``tables``): events in time order with their place and killed; claims with their
    claimant's name, when made, stance and what they state; relations between actors named;
    other records with their name and kind."""
    records = tables[collection]
    caption = counted(len(records), collection.removesuffix("s"))
    if collection == "events":
        return _events_html(tables, f"{caption}, by time")
    first = [records[key] for key in itertools.islice(records, ROWS)]
    if collection == "claims":
        headers = ["id", "claimant", "made", "stance", "statement"]
        rows: list[tuple[object, ...]] = [
            (
                claim.id,
                None if claim.claimant is None else tables["actors"][claim.claimant].name,
                claim.made,
                claim.stance.value,
                type(claim.statement).__name__,
            )
            for claim in first
        ]
    elif collection == "relations":
        actors = tables["actors"]
        headers = ["id", "actor", "relation", "to", "during"]
        rows = [
            (r.id, actors[r.source].name, r.kind.value, actors[r.target].name, r.span)
            for r in first
        ]
    else:
        headers = ["id", "name", "kind"]
        rows = [(record.id, getattr(record, "name", None), _kind(record)) for record in first]
    return html_table(caption, headers, rows, total=len(records))


def _kind(record: Any) -> str:
    """A record's ``kind`` (an enumeration's value), or else what it is (``kind_label``)."""
    kind = getattr(record, "kind", None)
    return str(record.kind_label if kind is None else getattr(kind, "value", kind))


def _events_html(tables: Mapping[str, Mapping[str, Any]], caption: str) -> str:
    """The first events of a ``Dataset`` (whose collections are ``tables``) in time order."""
    held = tables["events"]
    candidates = held.earliest(ROWS) if isinstance(held, HeldByTime) else held.values()
    events = sorted(candidates, key=lambda e: e.when.sort_key)
    rows = (
        (
            e.when,
            e.id,
            getattr(getattr(e, "kind", None), "value", "event"),
            None if e.where is None else tables["locations"][e.where].name,
            getattr(getattr(e, "killed_total", None), "best", None),
        )
        for e in events
    )
    headers = ["when", "id", "kind", "place", "killed"]
    return html_table(caption, headers, rows, total=len(held))


@runtime_checkable
class HeldByTime(Protocol):
    """Events held as tables (:class:`conflictmodel.tables.lazy.LazyRecords`), which can
    build the first few in time order without building the others."""

    def earliest(self, count: int) -> list[Any]:
        """Built events including the ``count`` first by :attr:`TimeSpan.sort_key`."""


_COLLECTIONS = ("actors", "relations", "locations", "agreements", "sources", "events", "claims")
