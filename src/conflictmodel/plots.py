"""PNG charts of a dataset: a place's timeline, and casualties over time by actor.

Needs the ``plot`` extra (matplotlib); charts are drawn off-screen with the Agg backend.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement
from conflictmodel.io._extras import require
from conflictmodel.quantities import Estimate
from conflictmodel.queries import casualties_by_actor, control_timeline
from conflictmodel.timespans import TimeSpan

__all__ = ["casualties_chart", "place_timeline"]


def _pyplot(feature: str) -> Any:
    matplotlib: Any = require("matplotlib", "plot", feature)
    matplotlib.use("Agg")
    return require("matplotlib.pyplot", "plot", feature)


def _middle(span: TimeSpan) -> datetime.date | None:
    ends = [day.toordinal() for day in (span.start, span.end) if day is not None]
    return datetime.date.fromordinal(sum(ends) // len(ends)) if ends else None


def _save(plt: Any, figure: Any, path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target


def place_timeline(ds: Dataset, place: str, path: str | os.PathLike[str]) -> Path:
    """Draw the events at ``place`` (a location id, name or alias, with everything within it)
    by kind over time, and below them who controlled it, to a PNG at ``path``."""
    plt = _pyplot("place_timeline()")
    location = ds.location(place)
    events = [e for e in ds.events_within(location.id) if _middle(e.when) is not None]
    spans = control_timeline(ds, location.id)
    known = [day for e in events if (day := _middle(e.when)) is not None]
    known += [day for s in spans for day in (s.span.start, s.span.end) if day is not None]
    low, high = (min(known), max(known)) if known else (datetime.date.today(),) * 2
    margin = max(datetime.timedelta(days=7), (high - low) / 10)
    lanes = sorted({e.kind.value if isinstance(e, Engagement) else "event" for e in events})
    holders = sorted({span.holder for span in spans})
    figure, axes = plt.subplots(figsize=(10, 1.5 + 0.45 * (len(lanes) + len(holders))))
    for row, lane in enumerate(lanes):
        days = [
            _middle(e.when)
            for e in events
            if (e.kind.value if isinstance(e, Engagement) else "event") == lane
        ]
        axes.plot(days, [row] * len(days), "o", label=lane)
    for span in spans:
        row = len(lanes) + holders.index(span.holder)
        start, end = span.span.start or low - margin, span.span.end or high + margin
        axes.plot([start, end], [row, row], linewidth=8, solid_capstyle="butt")
    names = [ds.actors[h].name if h in ds.actors else h for h in holders]
    axes.set_xlim(low - margin, high + margin)
    axes.set_yticks(range(len(lanes) + len(holders)), [*lanes, *(f"held by {n}" for n in names)])
    axes.set_ylim(-0.8, len(lanes) + len(holders) - 0.2)
    axes.set_title(f"{location.name}: events and control")
    figure.autofmt_xdate()
    return _save(plt, figure, path)


def casualties_chart(
    ds: Dataset,
    path: str | os.PathLike[str],
    *,
    according_to: str | None = None,
    within: str | None = None,
    roll_up: bool = False,
    top: int = 6,
) -> Path:
    """Draw killed per month (best figures, or the low bound where no best is known) for the
    ``top`` actors, the rest as "others",
    from the perspective the arguments name (as :func:`~conflictmodel.casualties_by_actor`)."""
    plt = _pyplot("casualties_chart()")
    table = casualties_by_actor(ds, according_to=according_to, within=within, roll_up=roll_up)
    leaders = sorted(table, key=lambda actor: -_plotted(table[actor]))[:top]
    monthly: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for event_id, figures in table.by_event.items():
        day = _middle(ds.events[event_id].when)
        if day is None:
            continue
        month = day.replace(day=1)
        for figure in figures:
            if figure.measure != "killed":
                continue
            actor = ds.top_actor(figure.actor) if roll_up and figure.actor else figure.actor
            label = (actor or "unattributed") if actor in leaders else "others"
            monthly[label][month] += _plotted(figure.estimate)
    figure, axes = plt.subplots(figsize=(10, 5))
    for label in sorted(monthly, key=lambda name: -sum(monthly[name].values())):
        months = sorted(monthly[label])
        name = ds.actors[label].name if label in ds.actors else label
        axes.plot(months, [monthly[label][m] for m in months], marker=".", label=name)
    axes.set_ylabel("killed per month (best)")
    axes.set_title("Killed over time by actor")
    if monthly:
        axes.legend(fontsize="small")
    figure.autofmt_xdate()
    return _save(plt, figure, path)


def _plotted(estimate: Estimate) -> int:
    return estimate.low if estimate.best is None else estimate.best
