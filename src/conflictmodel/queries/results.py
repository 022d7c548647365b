"""Query results in notebooks (``_repr_html_``) and as pandas frames (``to_frame()``).

:class:`ControlTimeline` is the list :func:`~conflictmodel.control_timeline` returns: a plain
list with ``to_frame()`` and an HTML table that escapes what the data holds; the helpers here
give the other results (:class:`~conflictmodel.Violations`, :class:`~conflictmodel.CasualtyTable`)
theirs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from conflictmodel._checks import MAX_COUNT
from conflictmodel._html import html_table
from conflictmodel.dataset import Dataset
from conflictmodel.errors import MissingExtraError

if TYPE_CHECKING:
    import pandas

    from conflictmodel.queries.control import ControlSpan


def actor_label(ds: Dataset, actor: str | None) -> str:
    """The name charts and tables show for ``actor`` (``None``: "unattributed").

    >>> import conflictmodel as cm
    >>> actor_label(cm.examples.idlib_2020(), "hts"), actor_label(cm.examples.idlib_2020(), None)
    ('Hayat Tahrir al-Sham', 'unattributed')
    """
    return "unattributed" if actor is None else name_of(ds, "actors", actor)


def name_of(ds: Dataset | None, collection: str, record_id: str) -> str:
    """The name text shows for record ``record_id`` of ``collection``: its ``name``, or the id
    where it has none (an event, a claim) or ``ds`` does not hold it.

    >>> import conflictmodel as cm
    >>> from conflictmodel.queries.results import name_of
    >>> seed = cm.examples.idlib_2020()
    >>> name_of(seed, "locations", "saraqeb"), name_of(seed, "events", "idlib-offensive")
    ('Saraqeb', 'idlib-offensive')
    """
    record = None if ds is None else getattr(ds, collection).get(record_id)
    name = getattr(record, "name", None)
    return name if isinstance(name, str) and name else record_id


def names_of(ds: Dataset, collection: str, ids: Iterable[str | None]) -> dict[str, str]:
    """The name of each of ``ids`` of ``collection`` (:func:`name_of`), by id."""
    return {record_id: name_of(ds, collection, record_id) for record_id in ids if record_id}


def pandas_module(feature: str) -> Any:
    """pandas, or an error naming the extra that installs it."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise MissingExtraError(
            f"{feature} needs pandas: pip install 'conflictmodel[frames]'"
        ) from None


def frame_of(
    rows: Iterable[Mapping[str, object]],
    columns: list[str],
    feature: str,
    counts: Iterable[str] = (),
) -> Any:
    """A DataFrame of plain rows, with these columns in this order. The columns ``counts``
    hold whole numbers or ``None`` (an unknown best, an open high): each is a nullable
    ``Int64`` column, exact, unless a sum in it passes 64 bits (then Python integers).

    >>> frame = frame_of([{"n": 2**62 + 1}, {"n": None}], ["n"], "example", counts=["n"])
    >>> str(frame["n"].dtype), int(frame["n"][0]) == 2**62 + 1, frame["n"].isna()[1]
    ('Int64', True, np.True_)
    """
    pd = pandas_module(feature)
    listed = list(rows)
    frame = pd.DataFrame(listed, columns=columns)
    for column in counts:
        frame[column] = count_column(pd, [row.get(column) for row in listed])
    return frame


def count_column(pd: Any, values: list[Any]) -> Any:
    """A column of counts (whole numbers or ``None``) for a frame: nullable ``Int64``, exact,
    unless a sum in it passes 64 bits (then Python integers, as a column of objects).

    >>> import pandas as pd
    >>> str(count_column(pd, [2, None]).dtype), str(count_column(pd, [2**64]).dtype)
    ('Int64', 'object')
    """
    if all(value is None or cast(int, value) <= MAX_COUNT for value in values):
        return pd.array(values, dtype="Int64")
    return pd.Series(values, dtype="object")


class Named:
    """A result that holds ``names``: the names of the records it mentions, by id."""

    names: dict[str, str]

    def _named(self, ids: Iterable[str], separator: str = ", ") -> str:
        """The names of ``ids`` (an id ``names`` lacks as itself), joined by ``separator``."""
        return separator.join(self.names.get(each, each) for each in ids)


class ControlTimeline(Named, list["ControlSpan"]):
    """The list :func:`~conflictmodel.control_timeline` returns, with a frame and a table;
    ``names`` holds the names of its place and holders, by id."""

    def __init__(self, spans: Iterable[ControlSpan] = (), *, names: Mapping[str, str] = {}):
        super().__init__(spans)
        self.names = dict(names)

    def to_frame(self) -> pandas.DataFrame:
        """One row per span: location, holder (ids and names), span (text, first and last
        day), evidence."""
        frame: pandas.DataFrame = frame_of(
            [
                {
                    "location": held.location,
                    "location_name": self.names.get(held.location, held.location),
                    "holder": held.holder,
                    "holder_name": None
                    if held.holder is None
                    else self.names.get(held.holder, held.holder),
                    "span": str(held.span),
                    "start": held.span.start,
                    "end": held.span.end,
                    "events": "; ".join(held.events) or None,
                    "claims": "; ".join(held.claims) or None,
                    "denied_by": "; ".join(held.denied_by) or None,
                }
                for held in self
            ],
            [
                "location",
                "location_name",
                "holder",
                "holder_name",
                "span",
                "start",
                "end",
                "events",
                "claims",
                "denied_by",
            ],
            "ControlTimeline.to_frame()",
        )
        pd = pandas_module("ControlTimeline.to_frame()")
        for day in ("start", "end"):
            frame[day] = pd.to_datetime(pd.Series(list(frame[day]), dtype="object"))
        return frame

    def _repr_html_(self) -> str:
        rows = (
            (
                None if h.holder is None else self._named([h.holder]),
                h.span,
                h.events,
                h.claims,
                self._named(h.denied_by),
            )
            for h in self
        )
        headers = ["holder", "span", "events", "claims", "denied by"]
        place = self._named([self[0].location]) if self else "a place"
        return html_table(f"Who held {place}", headers, rows, total=len(self))
