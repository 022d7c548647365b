"""A bar chart of an agreement's violations per week, before it and while it was in force."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from conflictmodel.io._extras import require
from conflictmodel.queries.durability import Durability

_WEEK = datetime.timedelta(days=7)


def durability_chart(held: Durability, path: str | os.PathLike[str]) -> Path:
    """Draw weekly bars (the weeks before in grey) with the agreement's start and end marked,
    to a PNG at ``path``; returns the path.

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel.plotting import durability_chart
    >>> held = cm.ceasefire_durability(cm.examples.karabakh_2020(), "moscow-truce-2020-10-10")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     durability_chart(held, f"{folder}/truce.png").stat().st_size > 0
    True
    """
    matplotlib: Any = require("matplotlib", "plot", "durability_chart()")
    matplotlib.use("Agg")
    plt: Any = require("matplotlib.pyplot", "plot", "durability_chart()")
    figure, axes = plt.subplots(figsize=(9, 4))
    for weeks, colour, label in (
        (held.before, "0.7", "before (as if in force)"),
        (held.per_week, "tab:red", "in force"),
    ):
        days = list(weeks)
        axes.bar(days, list(weeks.values()), width=6, align="edge", color=colour, label=label)
    axes.axvline(held.start, color="black", linestyle="--", label=f"start {held.start}")
    if held.end is not None:
        end = held.end + datetime.timedelta(days=1)
        axes.axvline(end, color="black", linestyle=":", label=f"end {held.end}")
    axes.set_ylabel("violating events per week")
    axes.set_title(f"{held.agreement}: held {held.days_held} days")
    axes.legend(fontsize="small")
    figure.autofmt_xdate()
    target = Path(path)
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target
