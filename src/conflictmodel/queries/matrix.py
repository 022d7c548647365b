"""Who killed whom: killed per (perpetrator, victim) pair, from one perspective.

Each event's killed figures (as :func:`~conflictmodel.casualties_by_actor` chooses them) go
to the event's perpetrators as the perspective sees them
(:meth:`~conflictmodel.queries.Perspective.perpetrators`): the record's initiators it keeps,
or, where the record names none, those the counted attributions name. An event with no
perpetrator puts its dead under ``None``; an event with several puts them under the several
together (the pair's perpetrator is the sorted, comma-joined ids), since no source says who
of them killed whom. No actor is said to kill its own: the dead of a perpetrator's side (the
perpetrator, a part of it, or a group it is part of, :func:`same_side`) go under ``None``, since
a record of who carried out an event does not say who killed them.
So each victim's row sums to its total in :func:`~conflictmodel.casualties_by_actor`.

With ``infer_from_sides=True``, dead whose perpetrator no one names, of a party to an
engagement, go to the other side (:func:`opposing_side`): an initiator's to the targets, and
in a clash no one is said to have started (UCDP's state-based and non-state rows) a target's
to the other targets; never to civilians, nor to the victim's own side. The part of a pair's
figure so inferred is :meth:`CasualtyMatrix.inferred`, and its words say so.

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
turkish-army -> syrian-army 27 to 29
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
from conflictmodel.actors import ActorKind
from conflictmodel.assessments import Grade
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, Event
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
    (``claimants``: by pair, or what finds them the first time they are asked for);
    :meth:`inferred` the part of each pair whose perpetrator is inferred from the sides
    (``inferred``, by pair)."""

    def __init__(
        self,
        cells: Mapping[Pair, Estimate],
        *,
        names: Mapping[str, str] = {},
        claimants: Mapping[Pair, FigureClaimants]
        | Callable[[], Mapping[Pair, FigureClaimants]] = MappingProxyType({}),
        inferred: Mapping[Pair, Estimate] = MappingProxyType({}),
    ) -> None:
        self._cells = dict(sorted(cells.items(), key=lambda item: _pair_order(item[0])))
        self.names = dict(names)
        self._ask_claimants = claimants if callable(claimants) else lambda: claimants
        self._inferred = dict(inferred)

    @functools.cached_property
    def _claimants(self) -> Mapping[Pair, FigureClaimants]:
        return dict(self._ask_claimants())

    def claimants(self, pair: Pair) -> FigureClaimants:
        """Who alleges and who denies the killed figures behind ``pair`` and its perpetrators,
        and whether either rests on claims rather than the record (on tables, one engine
        query the first time)."""
        return self._claimants.get(pair, _RECORD_ONLY)

    def inferred(self, pair: Pair) -> Estimate | None:
        """The part of ``pair``'s figure whose perpetrator no one names and the sides imply
        (``casualty_matrix(..., infer_from_sides=True)``); ``None`` when none is."""
        return self._inferred.get(pair)

    def __getstate__(self) -> dict[str, object]:
        """The claimants found, not the query that finds them."""
        return {
            "_cells": self._cells,
            "names": self.names,
            "_claimants": self._claimants,
            "_inferred": self._inferred,
        }

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
        Turkey killed 27 to 29 of Syria
        Turkey killed 15 of Syrian civilians (alleged by Syria)
        Syria killed 8 of Turkey
        """
        for pair, value in self._cells.items():
            perpetrator, victim = pair
            killer = self._key_named(perpetrator, "An unknown perpetrator")
            of = "whose side is unattributed" if victim is None else f"of {self._named([victim])}"
            notes = claim_notes(self.claimants(pair), self._name)
            yield f"{killer} killed {value} {of}{self._inferred_note(pair)}{notes}"

    def _inferred_note(self, pair: Pair) -> str:
        """How much of ``pair``'s figure is inferred from the sides, in words ("" if none)."""
        part = self._inferred.get(pair)
        if part is None:
            return ""
        if part == self._cells[pair]:
            return " (inferred from the sides)"
        return f" ({part} of them inferred from the sides)"

    def _name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def row(self, victim: str | None) -> Estimate:
        """Everyone of ``victim`` killed, by whoever: the interval sum of its cells."""
        return total(value for (_, dead), value in self._cells.items() if dead == victim)

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: ``perpetrator``, ``victim`` (ids), ``perpetrator_names``,
        ``victim_name``, ``low``, ``best``, ``high``, and who alleges and denies it
        (``alleged_by``, ``denied_by``: ids joined by "; "), whether it
        ``rests_on_claims``, and the part of it inferred from the sides (``inferred_low``,
        ``inferred_best``, ``inferred_high``; empty when none is)."""
        columns = ["perpetrator", "victim", "perpetrator_names", "victim_name"]
        claimed = ["alleged_by", "denied_by", "rests_on_claims"]
        inferred = ["inferred_low", "inferred_best", "inferred_high"]
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
                    "inferred_low": None if part is None else part.low,
                    "inferred_best": None if part is None else part.best,
                    "inferred_high": None if part is None else part.high,
                }
                for (perpetrator, victim), value in self._cells.items()
                for said in [self.claimants((perpetrator, victim))]
                for part in [self.inferred((perpetrator, victim))]
            ),
            [*columns, "low", "best", "high", *claimed, *inferred],
            "CasualtyMatrix.to_frame()",
            ["low", "best", "high", *inferred],
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
                *([self._inferred.get((perpetrator, victim), "")] if self._inferred else []),
            )
            for (perpetrator, victim), value in self._cells.items()
            for said in [self.claimants((perpetrator, victim))]
        )
        headers = ["killed by", "victims", "killed", "alleged by", "denied by"]
        headers += ["inferred from the sides"] if self._inferred else []
        return html_table("Killed by whom", headers, rows, total=len(self._cells))

    def __repr__(self) -> str:
        return f"CasualtyMatrix({self._cells!r})"


_RECORD_ONLY = FigureClaimants()


def _pair_order(pair: Pair) -> tuple[bool, str, bool, str]:
    perpetrator, victim = pair
    return (victim is None, victim or "", perpetrator is None, perpetrator or "")


def opposing_side(
    ds: Dataset, event: Event, victim: str | None, *, roll_up: bool = False
) -> str | None:
    """Who fought ``victim`` in ``event``, inferred from the record's sides (each actor
    replaced by its top actor with ``roll_up``): the targets that are not the victim's own
    side (:func:`same_side`) nor civilians, when the victim is on the side of one of the
    initiators, or of one of the targets of an engagement with no initiator; joined by ", ".
    ``None`` when the victim is not a party (civilians killed in a clash, unattributed dead) or
    no one fought it.

    >>> import conflictmodel as cm
    >>> from conflictmodel.queries.matrix import opposing_side
    >>> ds = cm.examples.idlib_2020()
    >>> clash = cm.Engagement(id="c", when="2020-02-03", kind="armed_clash", initiators=[],
    ...     targets=["syrian-army", "turkish-army"])
    >>> opposing_side(ds, clash, "syrian-army"), opposing_side(ds, clash, "syrian-civilians")
    ('turkish-army', None)
    """
    if not isinstance(event, Engagement) or victim is None:
        return None
    initiators = {ds.top_actor(a) if roll_up else a for a in event.initiators}
    targets = {ds.top_actor(a) if roll_up else a for a in event.targets}

    def among(parties: set[str]) -> bool:
        return any(same_side(ds, victim, party) for party in parties)

    if not (among(initiators) or (not initiators and among(targets))):
        return None
    others = (
        target
        for target in targets
        if not same_side(ds, victim, target) and ds.actors[target].kind is not ActorKind.CIVILIANS
    )
    return ", ".join(sorted(others)) or None


def same_side(ds: Dataset, actor: str, other: str) -> bool:
    """Whether two actors are one side: the same, or one a part of the other.

    >>> import conflictmodel as cm
    >>> from conflictmodel.queries.matrix import same_side
    >>> ds = cm.examples.idlib_2020()
    >>> same_side(ds, "syrian-army", "syria"), same_side(ds, "syrian-army", "turkish-army")
    (True, False)
    """
    return actor == other or ds.is_part_of(actor, other) or ds.is_part_of(other, actor)


def _hands(view: Perspective, event: Event, roll_up: bool) -> list[str]:
    """The event's perpetrators as ``view`` sees them, rolled up if asked, sorted."""
    return sorted({view.ds.top_actor(a) if roll_up else a for a in view.perpetrators(event)})


def _perpetrator(ds: Dataset, hands: list[str], victim: str | None) -> str | None:
    """Who killed ``victim`` of an event carried out by ``hands``: all of them, but for dead
    on the side of one of them (:func:`same_side`), whom no record says who killed (``None``:
    no one known)."""
    if victim is not None and any(same_side(ds, victim, hand) for hand in hands):
        return None
    return ", ".join(hands) or None


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
    infer_from_sides: bool = False,
) -> CasualtyMatrix:
    """Killed per (perpetrator, victim) over the events :func:`casualties_by_actor` counts.

    The arguments mean what they mean there (``min_grade`` too: only events graded that well
    or better); ``roll_up`` folds perpetrators and victims. ``infer_from_sides`` gives dead no
    one names a perpetrator of to the side that fought them (:func:`opposing_side`), and
    :meth:`CasualtyMatrix.inferred` says how many.
    ``ds`` may also be tables opened with :func:`conflictmodel.tables.open`: the same
    matrix, computed by the engine.

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel import tables
    >>> folder = tempfile.mkdtemp() + "/idlib"
    >>> _ = tables.write(cm.examples.idlib_2020(), folder)
    >>> for pair, killed in casualty_matrix(tables.open(folder), roll_up=True).items():
    ...     print(pair, killed)
    ('turkey', 'syria') 27 to 29
    ('turkey', 'syrian-civilians') 15
    ('syria', 'turkey') 8
    """
    minimum = grades.min_grade(_FUNCTION, min_grade)
    engine = _arguments.engine_tables(ds, held=True)
    if engine is not None:
        options = (according_to, period, within, roll_up, include_parts, best, minimum)
        return _on_tables(engine, *options, infer_from_sides)
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
    top: Callable[[str], str] = ds.top_actor if roll_up else str
    cells: dict[Pair, list[Estimate]] = defaultdict(list)
    inferred: dict[Pair, list[Estimate]] = defaultdict(list)
    said: dict[Pair, list[FigureClaimants]] = defaultdict(list)
    for event_id, figures in table.by_event.items():
        event = ds.events[event_id]
        hands = _hands(view, event, roll_up)
        alleging, denying = view.perpetrator_claimants(event)
        hands_said = FigureClaimants(alleging, denying, bool(alleging))
        for figure in figures:
            if figure.measure == "killed":
                victim = None if figure.actor is None else top(figure.actor)
                perpetrator = _perpetrator(ds, hands, victim)
                opposing = None
                if perpetrator is None and infer_from_sides:
                    opposing = opposing_side(ds, event, victim, roll_up=roll_up)
                pair = (perpetrator or opposing, victim)
                source = figure.source is FigureSource.CLAIMS
                said[pair].append(FigureClaimants(figure.alleged_by, figure.denied_by, source))
                if perpetrator is not None:
                    said[pair].append(hands_said)
                if opposing is not None:
                    inferred[pair].append(figure.estimate)
                cells[pair].append(figure.estimate)
    claimants = {pair: _together(found) for pair, found in said.items()}
    claiming = {c for found in claimants.values() for c in (*found.alleged_by, *found.denied_by)}
    cells_by_pair = {pair: total(values) for pair, values in cells.items()}
    inferred_by_pair = {pair: total(values) for pair, values in inferred.items()}
    return _named_matrix(cells_by_pair, claimants, ds, claiming, inferred_by_pair)


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
    inferred: Mapping[Pair, Estimate],
) -> CasualtyMatrix:
    """The matrix of ``cells`` (``inferred``: the parts from the sides), with the names ``ds``
    gives their actors and the ``claiming`` actors (those its claimants may name)."""
    actors = {a for pair in cells for key in pair if key is not None for a in key.split(", ")}
    named = names_of(ds, "actors", {*actors, *claiming})
    return CasualtyMatrix(cells, names=named, claimants=claimants, inferred=inferred)


def _on_tables(
    tables: Tables,
    according_to: str | Iterable[str] | None,
    period: TimeSpan | str | None,
    within: str | None,
    roll_up: bool,
    include_parts: bool,
    best: BestRule | None,
    minimum: Grade | None,
    infer_from_sides: bool,
) -> CasualtyMatrix:
    from conflictmodel.tables import queries

    scope = _arguments.table_scope(
        _FUNCTION, tables, according_to, period, within, roll_up, include_parts, best
    )
    options = (best, minimum, infer_from_sides)
    cells, inferred = queries.casualty_cells(tables, scope, *options)
    claimants = functools.partial(queries.cell_claimants, tables, scope, *options)
    claiming = engine_claimants(tables)
    return _named_matrix(cells, claimants, tables.dimensions, claiming, inferred)
