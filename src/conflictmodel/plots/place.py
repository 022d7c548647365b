"""A place over time: its events by kind above, and below them who held it, one band per
holder and span (from :func:`~conflictmodel.control_timeline`)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, Event
from conflictmodel.plots._style import (
    PALETTE,
    RASTERIZED_FROM,
    checked_target,
    date_axis,
    date_number,
    finish,
    plain_text,
    pyplot,
    save,
)
from conflictmodel.queries import _arguments, control_timeline
from conflictmodel.queries.results import actor_label

__all__ = ["place_figure", "place_timeline"]


def _lane(event: Event) -> str:
    return event.kind.value.replace("_", " ") if isinstance(event, Engagement) else "event"


def place_figure(ds: Dataset, place: str) -> Any:
    """The matplotlib figure of :func:`place_timeline`, not yet written."""
    plt = pyplot("place_timeline()")
    from matplotlib.collections import LineCollection

    ds = _arguments.dataset("place_timeline", ds)
    location = ds.location(place)
    events = [e for e in ds.events_within(location.id) if not e.when.is_open]
    spans = control_timeline(ds, location.id)
    known = [day for e in events for day in (e.when.start, e.when.end) if day is not None]
    known += [day for s in spans for day in (s.span.start, s.span.end) if day is not None]
    first, last = (min(known), max(known)) if known else (datetime.date.today(),) * 2
    lanes = sorted({_lane(e) for e in events})
    holders = list(dict.fromkeys(span.holder for span in spans))
    with plain_text(plt):
        figure, axes = plt.subplots(figsize=(9, 1.8 + 0.5 * (len(lanes) + len(holders))))
        for row, lane in enumerate(lanes):
            ends = [
                (date_number(e.when.start), date_number(e.when.end) + 1)
                for e in events
                if _lane(e) == lane and e.when.start is not None and e.when.end is not None
            ]
            segments = [((start, row), (end, row)) for start, end in ends]
            dense = len(segments) >= RASTERIZED_FROM
            lines = LineCollection(segments, colors=PALETTE[0], linewidths=3, alpha=0.5)
            lines.set_rasterized(dense)
            axes.add_collection(lines)
            middles = [(start + end) / 2 for start, end in ends]
            axes.plot(middles, [row] * len(middles), "o", color=PALETTE[0], rasterized=dense)
        low = max(date_number(first) - 10_000, date_number(datetime.date.min))
        high = min(date_number(last) + 10_000, date_number(datetime.date.max))
        for span in spans:
            row = len(lanes) + holders.index(span.holder)
            colour = PALETTE[(1 + holders.index(span.holder)) % len(PALETTE)]
            start = low if span.span.start is None else date_number(span.span.start)
            end = high if span.span.end is None else date_number(span.span.end) + 1
            axes.broken_barh([(start, end - start)], (row - 0.3, 0.6), color=colour, alpha=0.7)
        labels = [*lanes, *(f"held by {actor_label(ds, h)}" for h in holders)]
        axes.set_yticks(range(len(labels)), labels)
        axes.set_ylim(len(labels) - 0.4, -0.6)
        axes.spines[["top", "right", "left"]].set_visible(False)
        date_axis(axes, first, last)
        axes.set_title(f"{location.name}: events and who held it")
        finish(figure, ds)
    return figure


def place_timeline(ds: Dataset, place: str, path: str | os.PathLike[str]) -> Path:
    """Draw the events at ``place`` (a location id, name or alias, with everything within it)
    by kind over time, and below them who held it, to ``path`` (.png, .svg or .pdf)."""
    target = checked_target(path)
    plt = pyplot("place_timeline()")
    return save(plt, place_figure(ds, place), target)
