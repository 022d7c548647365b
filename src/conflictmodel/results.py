"""How results show themselves in Jupyter (``_repr_html_``) and become pandas frames.

:class:`Violations` and :class:`ControlTimeline` are the lists that
:func:`~conflictmodel.ceasefire_violations` and :func:`~conflictmodel.control_timeline` return:
plain lists with ``to_frame()`` and an HTML table. :func:`html_table` draws every such table,
escaping what the data holds (names with ``<`` or ``&`` stay text).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pandas

    from conflictmodel.dataset import Dataset
    from conflictmodel.queries.control import ControlSpan
    from conflictmodel.queries.violations import Violation
    from conflictmodel.records import Record

ROWS = 10
"""How many rows an HTML table shows before saying how many more there are."""


def actor_label(ds: Dataset, actor: str | None) -> str:
    """The name charts and tables show for ``actor`` (``None``: "unattributed").

    >>> import conflictmodel as cm
    >>> actor_label(cm.examples.idlib_2020(), "hts"), actor_label(cm.examples.idlib_2020(), None)
    ('Hayat Tahrir al-Sham', 'unattributed')
    """
    if actor is None:
        return "unattributed"
    record = ds.actors.get(actor)
    return actor if record is None else record.name


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
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[object]], *, total: int
) -> str:
    """An HTML table of the first :data:`ROWS` rows, saying how many of ``total`` it shows.

    >>> print(html_table("Two", ["a"], [["<b>"]], total=1))
    <table><caption>Two</caption><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>
    """
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_text(cell))}</td>" for cell in row) + "</tr>"
        for row, _ in zip(rows, range(ROWS), strict=False)
    )
    more = (
        f"<tfoot><tr><td colspan={len(headers)}>… {total - ROWS:,} more</td></tr></tfoot>"
        if total > ROWS
        else ""
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody>{more}</table>"
    )


def record_html(record: Record) -> str:
    """A record as a table of its fields."""
    rows = [(field.name, getattr(record, field.name)) for field in attrs.fields(type(record))]
    return html_table(record.label, ["field", "value"], rows, total=min(len(rows), ROWS))


def dataset_html(ds: Dataset) -> str:
    """Counts per collection and the first events in time order."""
    from conflictmodel.io._tables import table

    counts = [(name, len(getattr(ds, name))) for name in _COLLECTIONS]
    summary = html_table("Dataset", ["collection", "records"], counts, total=len(counts))
    events = table(ds, "events").rows if ds.events else []
    columns = ["when", "id", "kind", "place", "killed_best"]
    first = html_table(
        "Events, by time",
        ["when", "id", "kind", "place", "killed"],
        ([row[c] for c in columns] for row in events),
        total=len(events),
    )
    return summary + (first if events else "")


_COLLECTIONS = ("actors", "relations", "locations", "agreements", "sources", "events", "claims")


def _pandas(feature: str) -> Any:
    from conflictmodel.io._extras import require

    return require("pandas", "frames", feature)


class Violations(list["Violation"]):
    """The list :func:`~conflictmodel.ceasefire_violations` returns, with a frame and a table."""

    def to_frame(self) -> pandas.DataFrame:
        """One row per violation (:func:`~conflictmodel.io.frames.violations_frame`)."""
        from conflictmodel.io.frames import violations_frame

        return violations_frame(self)

    def _repr_html_(self) -> str:
        rows = (
            (
                v.when,
                v.agreement,
                v.violator,
                v.event,
                ", ".join(b.value for b in v.basis),
                v.certainty.value,
                v.alleged_by,
                v.denied_by,
            )
            for v in self
        )
        headers = ["when", "agreement", "violator", "event", "basis", "certainty"]
        headers += ["alleged by", "denied by"]
        return html_table(f"{len(self):,} violations", headers, rows, total=len(self))


_CONTROL_COLUMNS = ["location", "holder", "span", "start", "end", "events", "claims", "denied_by"]


class ControlTimeline(list["ControlSpan"]):
    """The list :func:`~conflictmodel.control_timeline` returns, with a frame and a table."""

    def to_frame(self) -> pandas.DataFrame:
        """One row per span: location, holder, span (text, first and last day), evidence."""
        pd = _pandas("ControlTimeline.to_frame()")
        frame: pandas.DataFrame = pd.DataFrame(
            [
                {
                    "location": held.location,
                    "holder": held.holder,
                    "span": str(held.span),
                    "start": held.span.start,
                    "end": held.span.end,
                    "events": "; ".join(held.events) or None,
                    "claims": "; ".join(held.claims) or None,
                    "denied_by": "; ".join(held.denied_by) or None,
                }
                for held in self
            ],
            columns=[
                *("location", "holder", "span", "start", "end"),
                "events",
                "claims",
                "denied_by",
            ],
        )
        return frame

    def _repr_html_(self) -> str:
        rows = ((h.holder, h.span, h.events, h.claims, h.denied_by) for h in self)
        headers = ["holder", "span", "events", "claims", "denied by"]
        place = self[0].location if self else "a place"
        return html_table(f"Who held {place}", headers, rows, total=len(self))
