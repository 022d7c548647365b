"""Killed per period by actor: one small panel per actor, drawn from
:func:`~conflictmodel.casualties_over_time`.

Each panel draws, on a y-axis from zero, the record's best figure per period as a line with its
low–high range as a shaded band (none where no range is stated), figures that rest on claims as
separate markers naming the claimants, and figures of events longer than one period (spread
over their span by days) as a dashed grey line, "not dated to the month". The actors with the
most dead get a panel each and the rest are summed into "all others".
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from conflictmodel.dataset import Dataset
from conflictmodel.plots._style import (
    OTHERS,
    PALETTE,
    ChartError,
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
from conflictmodel.queries.casualties import casualties_by_actor
from conflictmodel.queries.options import CasualtyOptions, checked
from conflictmodel.queries.over_time import (
    FREQUENCIES,
    _labels,
    _Periods,
    actor_label,
    casualties_over_time,
    undated_killed,
)

if TYPE_CHECKING:
    import pandas

__all__ = ["ALL_OTHERS", "casualties_chart", "casualties_chart_data", "casualties_figure"]

ALL_OTHERS = "all others"
"""The panel that sums every actor beyond the ``top``."""


def casualties_chart_data(
    ds: Dataset, freq: str = "M", *, top: int = 5, **options: Unpack[CasualtyOptions]
) -> pandas.DataFrame:
    """The frame :func:`casualties_chart` draws: :func:`~conflictmodel.casualties_over_time`
    with the same ``options``, the actors beyond the ``top`` summed into one "all others"
    actor.

    >>> import conflictmodel as cm
    >>> data = casualties_chart_data(cm.examples.idlib_2020(), top=1)
    >>> list(data.columns.get_level_values("actor").unique())
    ['Syrian Arab Army', 'all others']
    >>> data.loc["2020-02", "all others"][["best", "claimed"]].tolist()
    [8, 15]
    """
    frame = casualties_over_time(ds, freq, **options)
    actors = list(frame.columns.get_level_values("actor").unique())
    if len(actors) <= top + 1:
        return frame
    rest = frame[actors[top:]].T.groupby(level="measure", sort=False).sum(skipna=False).T
    rest.columns = rest.columns.map(lambda measure: (ALL_OTHERS, measure))
    joined = frame[actors[:top]].join(rest)
    joined.columns = joined.columns.set_names(["actor", "measure"])
    return joined


def _claimants(ds: Dataset, options: CasualtyOptions) -> dict[str, str]:
    """The claimants whose figures each actor's panel draws apart, by name, for its legend: the
    first :data:`_NAMED` and how many others, when there are more."""
    table = casualties_by_actor(ds, **options)
    labels = _labels(ds, table)
    named: dict[str, str] = {}
    for actor in table:
        if table.rests_on_claims(actor):
            names = [actor_label(ds, claimant) for claimant in table.alleged_by(actor)]
            if len(names) > _NAMED + 1:
                names = [*names[:_NAMED], f"{len(names) - _NAMED} others"]
            named[labels[actor]] = ", ".join(names)
    return named


_NAMED = 3
"""How many claimants a panel's legend names before it counts the rest."""


def casualties_figure(
    ds: Dataset, freq: str = "M", *, top: int = 5, **options: Unpack[CasualtyOptions]
) -> Any:
    """The matplotlib figure of :func:`casualties_chart`, not yet written (call ``savefig``)."""
    plt = pyplot("casualties_chart()")
    ds = _arguments.dataset("casualties_chart", ds)
    asked = checked("casualties_chart", ds, options, CasualtyOptions)
    data = casualties_chart_data(ds, freq, top=top, **asked)
    if data.empty:
        raise ChartError("no casualty figures to draw")
    unit = FREQUENCIES[freq.upper()]
    periods = list(data.index)
    edges = [date_number(_Periods.first_day(p)) for p in periods]
    edges.append(date_number(_Periods.last_day(periods[-1])) + 1)
    claimants = _claimants(ds, asked)
    actors = list(data.columns.get_level_values("actor").unique())
    with plain_text(plt):
        figure, panels = plt.subplots(
            len(actors), 1, sharex=True, figsize=(11, 1.2 + 1.9 * len(actors)), squeeze=False
        )
        for row, actor in enumerate(actors):
            axes = panels[row][0]
            colour = OTHERS if actor == ALL_OTHERS else PALETTE[row % len(PALETTE)]
            _panel(axes, data[actor], edges, colour, unit, claimants.get(actor))
            axes.set_title(actor, fontsize="medium", fontweight="bold")
        first, last = _Periods.first_day(periods[0]), _Periods.last_day(periods[-1])
        date_axis(panels[-1][0], first, last)
        title = f"Killed per {unit}, by the side that lost them{as_told(ds, asked['according_to'])}"
        figure.suptitle(title, x=0.01, ha="left")
        missing = undated_killed(ds, **asked)
        note = f"Not drawn: {missing:,} killed in events with an open end." if missing else None
        finish(figure, ds, note)
    return figure


def _panel(
    axes: Any, data: pandas.DataFrame, edges: list[float], colour: str, unit: str, by: str | None
) -> None:
    best = data["best"].fillna(0).to_numpy(dtype=float)
    low = data["low"].astype("Float64").fillna(data["best"]).to_numpy(dtype=float)
    high = data["high"].astype("Float64").fillna(data["best"]).to_numpy(dtype=float)
    if (high != low).any():
        steps(axes, edges, high, baseline=low, color=colour, alpha=0.25, label="low–high")
    steps(axes, edges, best, color=colour, linewidth=1.6, label=f"best, dated to the {unit}")
    claimed = data["claimed"].fillna(0).to_numpy(dtype=float)
    if claimed.any():
        middles = [(a + b) / 2 for a, b in itertools.pairwise(edges)]
        shown = [(x, y) for x, y in zip(middles, claimed, strict=True) if y]
        axes.plot(
            [x for x, _ in shown],
            [y for _, y in shown],
            "D",
            color=colour,
            markerfacecolor="white",
            label=f"claimed by {by or 'claimants'}, not in the record",
        )
    spread = data["spread"].to_numpy(dtype=float)
    if spread.any():
        steps(
            axes,
            edges,
            spread,
            color=OTHERS,
            linestyle="--",
            linewidth=1.2,
            label=f"not dated to the {unit}: longer events, spread over their span",
        )
    counts_axis(axes, "killed")
    axes.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    top = max(float(high.max()), float(best.max()), float(claimed.max()), float(spread.max()), 1.0)
    axes.set_ylim(0, top * 1.15)


def casualties_chart(
    ds: Dataset,
    path: str | os.PathLike[str],
    *,
    freq: str = "M",
    top: int = 5,
    **options: Unpack[CasualtyOptions],
) -> Path:
    """Draw killed per period for the ``top`` actors (the rest as "all others") to ``path``
    (.png, .svg or .pdf), counted as :func:`~conflictmodel.casualties_by_actor` counts with
    the same ``options`` (:class:`~conflictmodel.queries.CasualtyOptions`: ``according_to``,
    ``period``, ``within``, ``roll_up``, ``include_parts``, ``best``, ``min_grade``);
    :func:`casualties_chart_data` is what it draws.
    """
    target = checked_target(path)
    plt = pyplot("casualties_chart()")
    figure = casualties_figure(ds, freq, top=top, **options)
    return save(plt, figure, target)
