"""How an agreement held: violating events per week while in force, against the equal window
before it (from :func:`~conflictmodel.ceasefire_durability`)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from conflictmodel._checks import describe
from conflictmodel._words import counted
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.plots._style import (
    OTHERS,
    PALETTE,
    checked_target,
    counts_axis,
    date_axis,
    date_number,
    finish,
    plain_text,
    pyplot,
    save,
    steps,
)
from conflictmodel.queries import _arguments
from conflictmodel.queries.durability import Durability

__all__ = ["durability_chart", "durability_figure"]

_WEEK = datetime.timedelta(days=7)


def durability_figure(ds: Dataset, held: Durability) -> Any:
    """The matplotlib figure of :func:`durability_chart`, not yet written."""
    plt = pyplot("durability_chart()")
    ds = _arguments.dataset("durability_chart", ds)
    if not isinstance(held, Durability):
        raise ValidationError(
            f"durability_chart(held=...): expected a Durability, got {describe(held)}"
        )
    record = _arguments.agreement("durability_chart", ds, held.agreement)
    with plain_text(plt):
        figure, axes = plt.subplots(figsize=(9, 4.2))
        for weeks, possible, colour, label in (
            (held.before, held.possible_before, OTHERS, "the weeks before (as if in force)"),
            (held.per_week, held.possible_per_week, PALETTE[1], "in force"),
        ):
            if weeks:
                days = list(weeks)
                edges = [date_number(day) for day in days]
                edges.append(date_number(days[-1] + _WEEK))
                sure = [float(count) for count in weeks.values()]
                values = [count + possible.get(day, 0) for day, count in weeks.items()]
                steps(axes, edges, sure, baseline=[0] * len(sure), color=colour, label=label)
                if sure != values:
                    steps(
                        axes,
                        edges,
                        values,
                        baseline=sure,
                        facecolor="none",
                        edgecolor=colour,
                        hatch="////",
                        label=f"{label}: only possibly (placed or dated too coarsely to tell)",
                    )
        axes.axvline(date_number(held.start), color="#333333", linewidth=1)
        if held.end is not None:
            axes.axvline(date_number(held.end) + 1, color="#333333", linewidth=1, linestyle=":")
        days = [*held.before, *held.per_week]
        if days:
            date_axis(axes, min(days), max(days) + _WEEK)
        counts_axis(axes, "violating events per week")
        kept = "no violation found" if held.days_held is None else f"held {held.days_held} days"
        if held.first_possible is not None:
            kept += ", possibly broken before" if held.days_held is not None else " surely"
        axes.set_title(f"{record.name}: {kept}{held.account}")
        if held.spread:
            axes.annotate(
                f"{held.spread} violating events spanning more than a week are not drawn",
                (0, -0.16),
                xycoords="axes fraction",
                fontsize="small",
            )
        axes.legend(fontsize="small", frameon=False, loc="upper left")
        note = (
            f"{counted(held.aggregates, 'violating event')} in force "
            f"{'is an aggregate' if held.aggregates == 1 else 'are aggregates'} of several "
            "incidents, each counted once."
        )
        finish(figure, ds, note if held.aggregates else None)
    return figure


def durability_chart(ds: Dataset, held: Durability, path: str | os.PathLike[str]) -> Path:
    """Draw ``held``'s violating events per week (the weeks before in grey; hatched on top, the
    events that only possibly violate), the agreement's start (solid) and end (dotted) marked,
    to ``path`` (.png, .svg or .pdf).

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel.plots import durability_chart
    >>> ds = cm.examples.karabakh_2020()
    >>> held = cm.ceasefire_durability(ds, "moscow-truce-2020-10-10")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     durability_chart(ds, held, f"{folder}/truce.png").stat().st_size > 0
    True
    """
    target = checked_target(path)
    plt = pyplot("durability_chart()")
    return save(plt, durability_figure(ds, held), target)
