"""Who killed whom: killed per (perpetrator, victim) pair, from one perspective.

Each event's killed figures (as :func:`~conflictmodel.casualties_by_actor` chooses them) go
to the event's perpetrators as the perspective sees them
(:meth:`~conflictmodel.queries.Perspective.perpetrators`): the record's initiators it keeps,
or, where the record names none, those the counted attributions name. An event with no
perpetrator puts its dead under ``None``; an event with several puts them under the several
together (the pair's perpetrator is the sorted, comma-joined ids), since no source says who
of them killed whom. No actor is said to kill itself: an actor's own dead in an event it
carried out go to the event's other perpetrators, or under ``None``.
So each victim's row sums to its total in :func:`~conflictmodel.casualties_by_actor`.

A pair says who alleges it where it rests on claims, and who denies it
(:meth:`CasualtyMatrix.claimants`): the claimants of the figures behind it, as
:meth:`CasualtyTable.claimants <conflictmodel.queries.CasualtyTable.claimants>` names them, and
those of the attributions its perpetrators are taken from
(:meth:`~conflictmodel.queries.Perspective.perpetrator_claimants`); so a perpetrator only a
claimant names is never shown as a fact.

On tables opened with :func:`conflictmodel.tables.open` the engine computes the same matrix
from the same rules, relationally: the figures are those the casualty totals sum
(:func:`~conflictmodel.tables.queries.visible_figures`), each event's perpetrators those of
:func:`~conflictmodel.tables.queries.perpetrators`, and the cells exact sums per pair.

>>> import conflictmodel as cm
>>> matrix = casualty_matrix(cm.examples.idlib_2020())
>>> for (perpetrator, victim), killed in matrix.items():
...     print(perpetrator, "->", victim, killed)
turkish-army -> syrian-army 29 (27–29)
turkey -> syrian-civilians 15
syrian-army -> turkish-army 8
>>> matrix.claimants(("turkey", "syrian-civilians"))
FigureClaimants(alleged_by=('syria',), denied_by=(), rests_on_claims=True)
>>> matrix.row("syrian-army") == cm.casualties_by_actor(cm.examples.idlib_2020())["syrian-army"]
True
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from conflictmodel._html import html_table
from conflictmodel.assessments import Grade
from conflictmodel.dataset import Dataset
from conflictmodel.events import Event
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.casualties import (
    FigureClaimants,
    casualties_by_actor,
    claim_notes,
    engine_claimants,
)
from conflictmodel.queries.perspective import BestRule, FigureSource, Perspective
from conflictmodel.queries.results import Named, frame_of, names_of
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    import pandas as pd

    from conflictmodel.tables.store import Tables

_FUNCTION = "casualty_matrix"

Pair = tuple[str | None, str | None]


class CasualtyMatrix(Named, Mapping[Pair, Estimate]):
    """Killed per ``(perpetrator, victim)``; ``None`` is an unknown perpetrator or victim. A
    perpetrator named by several actors is their ids joined by ", "; ``names`` holds the
    actors' and claimants' names, by id; :meth:`claimants` who alleges and denies each pair
    (``claimants``: by pair, or what finds them the first time they are asked for)."""

    def __init__(
        self,
        cells: Mapping[Pair, Estimate],
        *,
        names: Mapping[str, str] = {},
        claimants: Mapping[Pair, FigureClaimants]
        | Callable[[], Mapping[Pair, FigureClaimants]] = MappingProxyType({}),
    ) -> None:
        self._cells = dict(sorted(cells.items(), key=lambda item: _pair_order(item[0])))
        self.names = dict(names)
        self._ask_claimants = claimants if callable(claimants) else lambda: claimants

    @functools.cached_property
    def _claimants(self) -> Mapping[Pair, FigureClaimants]:
        return dict(self._ask_claimants())

    def claimants(self, pair: Pair) -> FigureClaimants:
        """Who alleges and who denies the killed figures behind ``pair`` and its perpetrators,
        and whether either rests on claims rather than the record (on tables, one engine
        query the first time)."""
        return self._claimants.get(pair, _RECORD_ONLY)

    def __getstate__(self) -> dict[str, object]:
        """The claimants found, not the query that finds them."""
        return {"_cells": self._cells, "names": self.names, "_claimants": self._claimants}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._ask_claimants = lambda: state["_claimants"]

    def _key_named(self, key: str | None, unknown: str) -> str:
        """A perpetrator's or victim's key by name (``unknown`` for ``None``)."""
        return unknown if key is None else self._named(key.split(", "))

    def __getitem__(self, pair: Pair) -> Estimate:
        return self._cells[pair]

    def __iter__(self) -> Iterator[Pair]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def lines(self) -> Iterator[str]:
        """Each pair in words, by name: who killed, how many, of whom.

        >>> import conflictmodel as cm
        >>> for line in cm.casualty_matrix(cm.examples.idlib_2020(), roll_up=True).lines():
        ...     print(line)
        Turkey killed 29 (27–29) of Syria
        Turkey killed 15 of Syrian civilians (alleged by Syria)
        Syria killed 8 of Turkey
        """
        for pair, value in self._cells.items():
            perpetrator, victim = pair
            killer = self._key_named(perpetrator, "An unknown perpetrator")
            of = "whose side is unattributed" if victim is None else f"of {self._named([victim])}"
            notes = claim_notes(self.claimants(pair), self._name)
            yield f"{killer} killed {value} {of}{notes}"

    def _name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def row(self, victim: str | None) -> Estimate:
        """Everyone of ``victim`` killed, by whoever: the interval sum of its cells."""
        return total(value for (_, dead), value in self._cells.items() if dead == victim)

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: ``perpetrator``, ``victim`` (ids), ``perpetrator_names``,
        ``victim_name``, ``low``, ``best``, ``high``, and who alleges and denies it
        (``alleged_by``, ``denied_by``: ids joined by "; ") and whether it
        ``rests_on_claims``."""
        columns = ["perpetrator", "victim", "perpetrator_names", "victim_name"]
        claimed = ["alleged_by", "denied_by", "rests_on_claims"]
        frame: pd.DataFrame = frame_of(
            (
                {
                    "perpetrator": perpetrator,
                    "victim": victim,
                    "perpetrator_names": self._key_named(perpetrator, "unknown"),
                    "victim_name": self._key_named(victim, "unattributed"),
                    "low": value.low,
                    "best": value.best,
                    "high": value.high,
                    "alleged_by": "; ".join(said.alleged_by) or None,
                    "denied_by": "; ".join(said.denied_by) or None,
                    "rests_on_claims": said.rests_on_claims,
                }
                for (perpetrator, victim), value in self._cells.items()
                for said in [self.claimants((perpetrator, victim))]
            ),
            [*columns, "low", "best", "high", *claimed],
            "CasualtyMatrix.to_frame()",
        )
        return frame

    def _repr_html_(self) -> str:
        rows = (
            (
                self._key_named(perpetrator, "unknown"),
                self._key_named(victim, "unattributed"),
                value,
                ", ".join(map(self._name, said.alleged_by)) if said.rests_on_claims else "",
                ", ".join(map(self._name, said.denied_by)),
            )
            for (perpetrator, victim), value in self._cells.items()
            for said in [self.claimants((perpetrator, victim))]
        )
        headers = ["killed by", "victims", "killed", "alleged by", "denied by"]
        return html_table("Killed by whom", headers, rows, total=len(self._cells))

    def __repr__(self) -> str:
        return f"CasualtyMatrix({self._cells!r})"


_RECORD_ONLY = FigureClaimants()


def _pair_order(pair: Pair) -> tuple[bool, str, bool, str]:
    perpetrator, victim = pair
    return (victim is None, victim or "", perpetrator is None, perpetrator or "")


def _hands(view: Perspective, event: Event, roll_up: bool) -> list[str]:
    """The event's perpetrators as ``view`` sees them, rolled up if asked, sorted."""
    return sorted({view.ds.top_actor(a) if roll_up else a for a in view.perpetrators(event)})


def _perpetrator(hands: list[str], victim: str | None) -> str | None:
    """Who killed ``victim`` of an event carried out by ``hands``: the others of them, since
    no actor is said to kill itself (``None``: no one known)."""
    others = [hand for hand in hands if hand != victim]
    return ", ".join(others) if others else None


def casualty_matrix(
    ds: Dataset | Tables,
    *,
    according_to: str | Iterable[str] | None = None,
    period: TimeSpan | str | None = None,
    within: str | None = None,
    roll_up: bool = False,
    include_parts: bool = True,
    best: BestRule | None = None,
    min_grade: Grade | str | None = None,
) -> CasualtyMatrix:
    """Killed per (perpetrator, victim) over the events :func:`casualties_by_actor` counts.

    The arguments mean what they mean there (``min_grade`` too: only events graded that well
    or better); ``roll_up`` folds perpetrators and victims.
    ``ds`` may also be tables opened with :func:`conflictmodel.tables.open`: the same
    matrix, computed by the engine.

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel import tables
    >>> folder = tempfile.mkdtemp() + "/idlib"
    >>> _ = tables.write(cm.examples.idlib_2020(), folder)
    >>> for pair, killed in casualty_matrix(tables.open(folder), roll_up=True).items():
    ...     print(pair, killed)
    ('turkey', 'syria') 29 (27–29)
    ('turkey', 'syrian-civilians') 15
    ('syria', 'turkey') 8
    """
    minimum = grades.min_grade(_FUNCTION, min_grade)
    engine = _arguments.engine_tables(ds, held=True)
    if engine is not None:
        options = (according_to, period, within, roll_up, include_parts, best, minimum)
        return _on_tables(engine, *options)
    ds = _arguments.dataset(_FUNCTION, ds)
    view = _arguments.perspective(_FUNCTION, ds, according_to, include_parts, best)
    if within is not None:
        _arguments.location(_FUNCTION, "within", ds, within)
    table = casualties_by_actor(
        ds,
        according_to=according_to,
        period=_arguments.period(_FUNCTION, period),
        within=within,
        roll_up=roll_up,
        include_parts=include_parts,
        best=best,
        min_grade=minimum,
    )
    cells: dict[Pair, list[Estimate]] = defaultdict(list)
    said: dict[Pair, list[FigureClaimants]] = defaultdict(list)
    for event_id, figures in table.by_event.items():
        event = ds.events[event_id]
        hands = _hands(view, event, roll_up)
        alleging, denying = view.perpetrator_claimants(event)
        hands_said = FigureClaimants(alleging, denying, bool(alleging))
        for figure in figures:
            if figure.measure == "killed":
                victim = figure.actor
                if roll_up and victim is not None:
                    victim = ds.top_actor(victim)
                pair = (_perpetrator(hands, victim), victim)
                cells[pair].append(figure.estimate)
                source = figure.source is FigureSource.CLAIMS
                said[pair].append(FigureClaimants(figure.alleged_by, figure.denied_by, source))
                if pair[0] is not None:
                    said[pair].append(hands_said)
    claimants = {pair: _together(found) for pair, found in said.items()}
    claiming = {c for found in claimants.values() for c in (*found.alleged_by, *found.denied_by)}
    cells_by_pair = {pair: total(values) for pair, values in cells.items()}
    return _named_matrix(cells_by_pair, claimants, ds, claiming)


def _together(found: Iterable[FigureClaimants]) -> FigureClaimants:
    """Everyone alleging or denying any of ``found``, and whether any rests on claims."""
    listed = list(found)
    return FigureClaimants(
        tuple(sorted({c for f in listed for c in f.alleged_by})),
        tuple(sorted({c for f in listed for c in f.denied_by})),
        any(f.rests_on_claims for f in listed),
    )


def _named_matrix(
    cells: Mapping[Pair, Estimate],
    claimants: Mapping[Pair, FigureClaimants] | Callable[[], Mapping[Pair, FigureClaimants]],
    ds: Dataset,
    claiming: Iterable[str | None],
) -> CasualtyMatrix:
    """The matrix of ``cells``, with the names ``ds`` gives their actors and the ``claiming``
    actors (those its claimants may name)."""
    actors = {a for pair in cells for key in pair if key is not None for a in key.split(", ")}
    named = names_of(ds, "actors", {*actors, *claiming})
    return CasualtyMatrix(cells, names=named, claimants=claimants)


def _on_tables(
    tables: Tables,
    according_to: str | Iterable[str] | None,
    period: TimeSpan | str | None,
    within: str | None,
    roll_up: bool,
    include_parts: bool,
    best: BestRule | None,
    minimum: Grade | None,
) -> CasualtyMatrix:
    from conflictmodel.tables import queries

    scope = _arguments.table_scope(
        _FUNCTION, tables, according_to, period, within, roll_up, include_parts, best
    )
    cells = queries.casualty_cells(tables, scope, best, minimum)
    claimants = functools.partial(queries.cell_claimants, tables, scope, best, minimum)
    return _named_matrix(cells, claimants, tables.dimensions, engine_claimants(tables))
