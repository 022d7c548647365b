"""Violations of one agreement per week (or other period), before and after it was signed,
drawn from :func:`~conflictmodel.queries.over_time.violations_over_time`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Unpack

from conflictmodel.dataset import Dataset
from conflictmodel.plots._style import (
    OTHERS,
    PALETTE,
    as_told,
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
from conflictmodel.queries.options import ViolationOptions, checked
from conflictmodel.queries.over_time import FREQUENCIES, _Periods, violations_over_time

__all__ = ["violations_chart", "violations_figure"]


def violations_figure(
    ds: Dataset, agreement: str, freq: str = "W", **options: Unpack[ViolationOptions]
) -> Any:
    """The matplotlib figure of :func:`violations_chart`, not yet written."""
    plt = pyplot("violations_chart()")
    ds = _arguments.dataset("violations_chart", ds)
    record = _arguments.agreement("violations_chart", ds, agreement)
    asked = checked("violations_chart", ds, options, ViolationOptions)
    data = violations_over_time(ds, agreement, freq, **asked)
    unit = FREQUENCIES[freq.upper()]
    periods = list(data.index)
    edges = [date_number(_Periods.first_day(p)) for p in periods]
    if periods:
        edges.append(date_number(_Periods.last_day(periods[-1])) + 1)
    with plain_text(plt):
        figure, axes = plt.subplots(figsize=(9, 4.2))
        if periods:
            observed = data["observed"].to_numpy(dtype=float)
            alleged = data["alleged"].to_numpy(dtype=float)
            zero = [0.0] * len(observed)
            steps(
                axes,
                edges,
                observed,
                baseline=zero,
                color=PALETTE[0],
                alpha=0.8,
                label="observed in the record",
            )
            steps(axes, edges, alleged, color=PALETTE[1], linewidth=1.8, label="alleged by a party")
            if data["ongoing"].any():
                steps(
                    axes,
                    edges,
                    data["ongoing"].to_numpy(dtype=float),
                    color=OTHERS,
                    linestyle="--",
                    label=f"ongoing: through events longer than a {unit}",
                )
            first, last = _Periods.first_day(periods[0]), _Periods.last_day(periods[-1])
            date_axis(axes, first, last)
        begun = record.signed or record.effective
        if begun.start is not None:
            axes.axvline(date_number(begun.start), color="#333333", linewidth=1)
            axes.annotate(
                f" signed {begun}" if record.signed else f" in effect {begun}",
                (date_number(begun.start), 1),
                xycoords=("data", "axes fraction"),
                va="top",
                fontsize="small",
            )
        counts_axis(axes, f"violations per {unit}")
        axes.set_title(
            f"Violations of the {record.name}, per {unit}{as_told(ds, asked['according_to'])}"
        )
        axes.legend(fontsize="small", frameon=False, loc="upper left")
        aggregated = bool(periods) and bool(data["aggregates"].any())
        note = (
            "Some violations drawn are through aggregates of several incidents: each counts "
            "once, for one breach or more."
        )
        finish(figure, ds, note if aggregated else None)
    return figure


def violations_chart(
    ds: Dataset,
    agreement: str,
    path: str | os.PathLike[str],
    *,
    freq: str = "W",
    **options: Unpack[ViolationOptions],
) -> Path:
    """Draw violations of ``agreement`` per ``freq`` period, observed and alleged, with the day
    it was signed marked, to ``path`` (.png, .svg or .pdf): those
    :func:`~conflictmodel.ceasefire_violations` finds with the same ``options``
    (:class:`~conflictmodel.queries.ViolationOptions`: ``according_to``, ``period``,
    ``include_parts``, ``min_grade``)."""
    target = checked_target(path)
    plt = pyplot("violations_chart()")
    return save(plt, violations_figure(ds, agreement, freq, **options), target)
