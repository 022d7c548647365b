"""What every chart shares: off-screen drawing, a colour-blind-safe palette, the credit line,
axes from zero with thousands separators, and a checked, atomic write."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from conflictmodel import _words
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ConflictModelError
from conflictmodel.io._extras import require

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe and Ito's colours, told apart with every common kind of colour blindness."""

OTHERS = "#8C8C8C"
"""The grey of "all others" and of figures spread from long events."""

RASTERIZED_FROM = 10_000
"""How many marks (the dots of a map, the lines of one lane of a timeline) a chart may hold
before an SVG or PDF draws them as an image: a vector file of a million dots is hundreds of
megabytes that no viewer opens. The axes, labels and legend stay vector."""

FORMATS = ("png", "svg", "pdf")
"""The file types a chart is written as, chosen by the output's suffix."""


class ChartError(ConflictModelError, ValueError):
    """A chart cannot be drawn or written: an unknown file type, a missing folder, no data."""


def pyplot(feature: str) -> Any:
    """matplotlib's pyplot on the off-screen Agg backend, or the extra that installs it."""
    matplotlib: Any = require("matplotlib", "plot", feature)
    matplotlib.use("Agg")
    return require("matplotlib.pyplot", "plot", feature)


@contextlib.contextmanager
def plain_text(plt: Any) -> Iterator[None]:
    """Draw names as written: ``$`` in ``Sara$q^$eb`` is a dollar sign, not TeX math."""
    with plt.rc_context({"text.parse_math": False, "axes.titlelocation": "left"}):
        yield


def checked_target(path: str | os.PathLike[str]) -> Path:
    """``path`` if a chart can be written there; otherwise a :class:`ChartError` saying why."""
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        shown = f"'.{suffix}'" if suffix else "no suffix"
        raise ChartError(
            f"{target}: cannot write a chart with {shown}; name the file .png, .svg or .pdf"
        )
    if not target.parent.is_dir():
        raise ChartError(f"{target}: the folder {str(target.parent)!r} does not exist")
    return target


def write(figure: Any, target: str | os.PathLike[str] | BinaryIO) -> None:
    """Write a figure of this package to a file (its type by its suffix, checked first) or,
    as PNG, to a binary stream such as ``sys.stdout.buffer``; the figure is closed."""
    plt = pyplot("write()")
    if isinstance(target, str | os.PathLike):
        save(plt, figure, checked_target(target))
        return
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, dpi=120, format="png")
    finally:
        plt.close(figure)
    target.write(buffer.getvalue())
    target.flush()


def save(plt: Any, figure: Any, target: Path) -> Path:
    """Write ``figure`` to ``target`` through a temporary file, so no half chart is left."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        figure.savefig(temporary, dpi=120, format=target.suffix.lower().lstrip("."))
        os.replace(temporary, target)
    finally:
        plt.close(figure)
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return target


def credit(ds: Dataset) -> str:
    """The credit line naming where the data comes from and its licence.

    >>> import conflictmodel as cm
    >>> credit(cm.examples.idlib_2020())
    'Data: 2 sources (Syrian Arab News Agency, Syrian government forces capture Saraqeb in \
Idlib). Chart: conflictmodel.'
    """
    prefixes = {event_id.split("-", 2)[0] for event_id in ds.events}
    if "ucdp" in prefixes:
        return (
            "Data: UCDP Georeferenced Event Dataset (Sundberg and Melander 2013; Davies et al. "
            "2023), CC BY 4.0. Chart: conflictmodel."
        )
    if "acled" in prefixes:
        return "Data: ACLED, acleddata.com, under ACLED's terms of use. Chart: conflictmodel."
    publishers = sorted({s.publisher or s.title for s in ds.sources.values()})
    if not publishers:
        return "Data: no sources recorded. Chart: conflictmodel."
    named = ", ".join(publishers[:3]) + (", …" if len(publishers) > 3 else "")
    noun = "source" if len(ds.sources) == 1 else "sources"
    return f"Data: {len(ds.sources):,} {noun} ({named}). Chart: conflictmodel."


def as_told(ds: Dataset, according_to: str | Iterable[str] | None) -> str:
    """What a title adds to say whose account it draws: nothing in the default account.

    >>> import conflictmodel as cm
    >>> as_told(cm.examples.idlib_2020(), ("turkey", "russia"))
    ', as Turkey and Russia tell it'
    """
    claimants = (according_to,) if isinstance(according_to, str) else tuple(according_to or ())
    return _words.as_told([ds.actor(claimant).name for claimant in claimants])


def finish(figure: Any, ds: Dataset, note: str | None = None) -> None:
    """Lay the figure out and add the credit line at its foot, with ``note`` (what the chart
    leaves out) on a line above it."""
    figure.text(0.01, 0.005, credit(ds), fontsize=7, color="#555555", va="bottom")
    if note:
        figure.text(0.01, 0.03, note, fontsize=7, color="#555555", va="bottom")
    figure.tight_layout(rect=(0, 0.055 if note else 0.03, 1, 1))


def counts_axis(axes: Any, label: str) -> None:
    """A y-axis of counts: from zero, whole numbers, thousands separated."""
    ticker = require("matplotlib.ticker", "plot", "charts")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
    axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    axes.set_ylabel(label)
    axes.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    axes.spines[["top", "right"]].set_visible(False)


def date_number(day: datetime.date) -> float:
    """A day as matplotlib's date number (days since 1970-01-01), for any year from 1."""
    return float(day.toordinal() - datetime.date(1970, 1, 1).toordinal())


def date_axis(axes: Any, first: datetime.date, last: datetime.date) -> None:
    """An x-axis of dates from ``first`` to ``last``, padded so a few events are not cramped."""
    dates = require("matplotlib.dates", "plot", "charts")
    span = max((last - first).days, 1)
    pad = max(span / 20, 15)
    earliest, latest = date_number(datetime.date.min), date_number(datetime.date.max)
    axes.set_xlim(max(date_number(first) - pad, earliest), min(date_number(last) + pad, latest))
    axes.xaxis_date()
    locator = dates.AutoDateLocator(minticks=3, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))


def steps(
    axes: Any, edges: Sequence[float], values: Any, *, baseline: Any = None, **style: Any
) -> Any:
    """One flat step per period (``edges`` bound them): a line, or with ``baseline`` a band.

    Lines and polygons, unlike ``Axes.stairs``, draw tens of thousands of periods quickly.
    """
    heights = [*values, values[-1]] if len(values) else []
    if baseline is None:
        return axes.plot(edges, heights, drawstyle="steps-post", **style)[0]
    bottoms = [*baseline, baseline[-1]] if len(baseline) else []
    return axes.fill_between(edges, bottoms, heights, step="post", linewidth=0, **style)
