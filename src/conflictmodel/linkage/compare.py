"""How far two sources agree on the events they share: the comparison papers make by hand.

:func:`source_agreement` reads the :class:`~conflictmodel.linkage.merge.Reported` claims of a
merged dataset and gives, for each pair of sources, on the events both report: the share of
each source's events matched, the median gap between their dates and distance between their
places, the share naming a common actor (actors joined by ``same_as`` count as one), and the
median ratio of the second source's death toll to the first's, with its interquartile spread.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import attrs

from conflictmodel.actors import RelationKind
from conflictmodel.dataset import Dataset
from conflictmodel.io._extras import require
from conflictmodel.linkage.crosswalk import Link, same_as_groups
from conflictmodel.linkage.merge import Reported
from conflictmodel.places import Point, distance_km
from conflictmodel.queries import _arguments

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AgreementRow", "AgreementTable", "source_agreement"]


@attrs.frozen
class AgreementRow:
    """How sources ``first`` and ``second`` compare on the events both report."""

    first: str
    second: str
    events_first: int
    events_second: int
    matched: int
    median_days_apart: float | None
    median_km_apart: float | None
    share_same_actor: float | None
    toll_ratio: float | None
    toll_ratio_spread: tuple[float, float] | None
    toll_ratios: tuple[float, ...] = attrs.field(repr=False)

    @property
    def share_matched_first(self) -> float:
        """Share of ``first``'s events that ``second`` also reports."""
        return self.matched / self.events_first if self.events_first else 0.0

    @property
    def share_matched_second(self) -> float:
        """Share of ``second``'s events that ``first`` also reports."""
        return self.matched / self.events_second if self.events_second else 0.0


@attrs.frozen
class AgreementTable:
    """One :class:`AgreementRow` per pair of sources."""

    rows: tuple[AgreementRow, ...]

    def to_frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (needs the ``frames`` extra)."""
        pandas: Any = require("pandas", "frames", "AgreementTable.to_frame()")
        frame: pd.DataFrame = pandas.DataFrame(
            [
                {
                    "first": r.first,
                    "second": r.second,
                    "events_first": r.events_first,
                    "events_second": r.events_second,
                    "matched": r.matched,
                    "share_matched_first": r.share_matched_first,
                    "share_matched_second": r.share_matched_second,
                    "median_days_apart": r.median_days_apart,
                    "median_km_apart": r.median_km_apart,
                    "share_same_actor": r.share_same_actor,
                    "toll_ratio": r.toll_ratio,
                    "toll_ratio_q1": r.toll_ratio_spread[0] if r.toll_ratio_spread else None,
                    "toll_ratio_q3": r.toll_ratio_spread[1] if r.toll_ratio_spread else None,
                }
                for r in self.rows
            ]
        )
        return frame

    def __str__(self) -> str:
        lines = []
        for r in self.rows:
            lines.append(
                f"{r.first} vs {r.second}: {r.matched} shared events "
                f"({r.share_matched_first:.0%} of {r.first}'s, {r.share_matched_second:.0%} of "
                f"{r.second}'s); median {_num(r.median_days_apart)} days and "
                f"{_num(r.median_km_apart)} km apart; a common actor in "
                f"{_share(r.share_same_actor)}; toll ratio {_num(r.toll_ratio)}"
            )
        return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _point(ds: Dataset, where: str | None) -> Point | None:
    while where is not None:
        place = ds.locations[where]
        if place.point is not None:
            return place.point
        where = place.within
    return None


def _middle(statement: Reported) -> float | None:
    ends = [d.toordinal() for d in (statement.when.start, statement.when.end) if d is not None]
    return sum(ends) / len(ends) if ends else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def source_agreement(merged: Dataset) -> AgreementTable:
    """Compare every pair of sources of a dataset made by :func:`~conflictmodel.linkage.merge`.

    >>> import conflictmodel as cm
    >>> from conflictmodel.linkage.examples import two_sources
    >>> a, b = two_sources()
    >>> print(source_agreement(cm.merge({"ucdp": a, "acled": b}, cm.match(a, b))))
    ucdp vs acled: 1 shared events (50% of ucdp's, 100% of acled's); median 1.0 days and \
4.5 km apart; a common actor in 100%; toll ratio 0.8
    """
    merged = _arguments.dataset("source_agreement", merged)
    reports: dict[str, dict[str, list[Reported]]] = defaultdict(lambda: defaultdict(list))
    for claim in merged.claims.values():
        if isinstance(claim.statement, Reported) and claim.claimant is not None:
            reports[claim.claimant][claim.statement.event].append(claim.statement)
    same = same_as_groups(
        Link(r.source, r.target, "relation")
        for r in merged.relations.values()
        if r.kind is RelationKind.SAME_AS
    )
    rows = []
    order = [a for a in merged.actors if a in reports]
    for first, second in itertools.combinations(order, 2):
        shared = sorted(reports[first].keys() & reports[second].keys())
        days, km, same_actor, ratios = [], [], [], []
        for event in shared:
            x, y = reports[first][event][0], reports[second][event][0]
            mx, my = _middle(x), _middle(y)
            if mx is not None and my is not None:
                days.append(abs(mx - my))
            px, py = _point(merged, x.where), _point(merged, y.where)
            if px is not None and py is not None:
                km.append(distance_km(px, py))
            if x.actors and y.actors:
                gx = {same.get(a, a) for a in x.actors}
                gy = {same.get(a, a) for s in reports[second][event] for a in s.actors}
                same_actor.append(1.0 if gx & gy else 0.0)
            tx = sum(s.killed.best_or_low for s in reports[first][event] if s.killed is not None)
            ty = sum(s.killed.best_or_low for s in reports[second][event] if s.killed is not None)
            if tx > 0 and ty > 0:
                ratios.append(ty / tx)
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else None
        rows.append(
            AgreementRow(
                first=first,
                second=second,
                events_first=len(reports[first]),
                events_second=len(reports[second]),
                matched=len(shared),
                median_days_apart=_median(days),
                median_km_apart=_median(km),
                share_same_actor=statistics.fmean(same_actor) if same_actor else None,
                toll_ratio=_median(ratios),
                toll_ratio_spread=(quartiles[0], quartiles[2]) if quartiles else None,
                toll_ratios=tuple(ratios),
            )
        )
    return AgreementTable(tuple(rows))
