"""Killed (and injured) per victim actor, summed over events from one perspective.

Each event contributes the figures the perspective chooses (see
:mod:`conflictmodel.queries.perspective`); a total is the exact interval sum
(:func:`~conflictmodel.total`) of its figures. Unattributed deaths are under the key ``None``.
An engagement's ``reported_total`` counts as unattributed killed only when no entry of its
``casualties`` gives a killed figure. :class:`~conflictmodel.Toll` events (war-level figures
that overlap the incidents they summarise) and claims about them are left out.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020()
>>> table = casualties_by_actor(ds)
>>> table == {"syrian-army": cm.Estimate(27, None, 29), "syrian-civilians": cm.Estimate.exact(15),
...           "turkish-army": cm.Estimate.exact(8)}
True
>>> print(table)
syrian-army        27 to 29
syrian-civilians   15 (alleged by syria)
turkish-army       8
"""

from __future__ import annotations

import abc
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

import attrs

from conflictmodel._html import html_table
from conflictmodel.assessments import Grade
from conflictmodel.dataset import Dataset
from conflictmodel.events import Event, Toll
from conflictmodel.quantities import ESTIMATE_PARTS, Estimate, total
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.perspective import BestRule, Figure, FigureSource, Perspective
from conflictmodel.queries.results import frame_of
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    import pandas as pd

    from conflictmodel.tables.store import Tables

_FUNCTION = "casualties_by_actor"

_COUNT_COLUMNS = [
    f"{measure}_{part}" for measure in ("killed", "injured") for part in ESTIMATE_PARTS
]
"""The parts of each estimate, a column each in a frame."""
_FRAME_COLUMNS = ["actor", "name", *_COUNT_COLUMNS, "alleged_by", "denied_by", "rests_on_claims"]

Key = str | None


def _key_order(key: Key) -> tuple[bool, str]:
    return (key is None, key or "")


@attrs.frozen
class FigureClaimants:
    """Who gives and who denies the figures behind one actor's totals, and whether a killed
    figure behind them comes from claims: what :meth:`CasualtyTable.alleged_by`,
    :meth:`~CasualtyTable.denied_by` and :meth:`~CasualtyTable.rests_on_claims` give."""

    alleged_by: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    rests_on_claims: bool = False


class _Claimed(abc.ABC):
    """``alleged_by``, ``denied_by`` and ``rests_on_claims`` of a casualty answer, from its
    :meth:`claimants`."""

    @abc.abstractmethod
    def claimants(self, actor: Key) -> FigureClaimants:
        """Who gives and who denies the figures behind ``actor``'s totals."""

    def alleged_by(self, actor: Key) -> tuple[str, ...]:
        """Claimants giving a figure behind ``actor``'s totals."""
        return self.claimants(actor).alleged_by

    def denied_by(self, actor: Key) -> tuple[str, ...]:
        """Claimants denying a figure (or an event) behind ``actor``'s totals."""
        return self.claimants(actor).denied_by

    def rests_on_claims(self, actor: Key) -> bool:
        """Whether any killed figure behind ``actor``'s total comes from claims, not the record."""
        return self.claimants(actor).rests_on_claims

    _killed: dict[Key, Estimate]
    injured: Mapping[Key, Estimate]
    period: TimeSpan | None = None
    """The period asked for: every event meeting it counts in full (:func:`period_note`)."""

    @property
    @abc.abstractmethod
    def names(self) -> Mapping[str, str]:
        """Names of the actors in the answer and of the claimants, by id."""

    def _name(self, actor: Key) -> str:
        return "unattributed" if actor is None else self.names.get(actor, actor)

    def to_frame(self) -> pd.DataFrame:
        """One row per actor, with its name: killed and injured (low, best, high), who alleges
        and who denies the figures, and whether they rest on claims."""
        rows = []
        for key in dict.fromkeys([*self._killed, *self.injured]):
            row: dict[str, object] = {"actor": key, "name": self._name(key)}
            for measure, table in (("killed", self._killed), ("injured", self.injured)):
                estimate = table.get(key)
                for part in ESTIMATE_PARTS:
                    row[f"{measure}_{part}"] = getattr(estimate, part, None)
            row["alleged_by"] = "; ".join(self.alleged_by(key)) or None
            row["denied_by"] = "; ".join(self.denied_by(key)) or None
            row["rests_on_claims"] = self.rests_on_claims(key)
            rows.append(row)
        frame: pd.DataFrame = frame_of(
            rows, _FRAME_COLUMNS, f"{type(self).__name__}.to_frame()", _COUNT_COLUMNS
        )
        return frame

    def lines(self) -> Iterator[str]:
        """Each total in words, by name, most killed first, with who alleges it where it rests
        on claims and who denies it.

        >>> import conflictmodel as cm
        >>> for line in cm.casualties_by_actor(cm.examples.idlib_2020()).lines():
        ...     print(line)
        Syrian Arab Army: 27 to 29
        Syrian civilians: 15 (alleged by Syria)
        Turkish Armed Forces: 8
        """
        for key, estimate in self._ranked():
            yield f"{self._name(key)}: {estimate}{claim_notes(self.claimants(key), self._name)}"
        note = period_note(self.period)
        if note:
            yield note

    def _ranked(self) -> list[tuple[Key, Estimate]]:
        return sorted(self._killed.items(), key=lambda item: -item[1].best_or_low)

    def _repr_html_(self) -> str:
        ranked = self._ranked()
        rows = (
            (
                self._name(key),
                e.best,
                e.low,
                e.high if e.high is not None else "open" if e.has_floor else None,
                ", ".join(map(self._name, self.alleged_by(key))),
                ", ".join(map(self._name, self.denied_by(key))),
            )
            for key, e in ranked
        )
        headers = ["actor", "killed", "low", "high", "alleged by", "denied by"]
        note = period_note(self.period)
        return html_table("Killed by actor", headers, rows, total=len(ranked), note=note)


class CasualtyTable(_Claimed, Mapping[Key, Estimate]):
    """Killed per actor (``None``: unattributed), with what each total is made of.

    It is a mapping from actor id to :class:`~conflictmodel.Estimate` and equals a dict with the
    same items. :attr:`injured` holds the injured, :attr:`by_event` the figures of each event,
    :meth:`figures` those behind one total, :meth:`alleged_by` and :meth:`denied_by` the
    claimants who give or deny them, and :attr:`grades` the grades of the events behind them.
    """

    def __init__(
        self,
        by_event: Mapping[str, Sequence[Figure]],
        key: Callable[[Key], Key] = lambda a: a,
        *,
        names: Mapping[str, str] | None = None,
        event_grades: Mapping[str, Grade] | None = None,
        period: TimeSpan | None = None,
    ) -> None:
        self.period = period
        self._by_event: Mapping[str, tuple[Figure, ...]] = MappingProxyType(
            {event: tuple(figures) for event, figures in by_event.items()}
        )
        self._names: Mapping[str, str] = MappingProxyType(dict(names or {}))
        self._key = key
        self._event_grades = dict(event_grades or {})
        self._explain: Callable[[], CasualtyTable] | None = None
        self._totals: CasualtyTotals | None = None
        """The engine's totals the table was made from, until its figures are found."""
        self._killed = self._sum("killed")
        self.injured: Mapping[Key, Estimate] = MappingProxyType(self._sum("injured"))
        """Injured per actor, summed as the killed are."""

    @classmethod
    def _from_totals(
        cls, totals: CasualtyTotals, names: Mapping[str, str], explain: Callable[[], CasualtyTable]
    ) -> CasualtyTable:
        """The table of totals an engine computed, whose figures ``explain`` finds (by
        visiting the records) the first time they are asked for."""
        table = cls.__new__(cls)
        table._killed = dict(totals)
        table.injured = totals.injured
        table.period = totals.period
        table._names = MappingProxyType(dict(names))
        table._explain = explain
        table._totals = totals
        return table

    def _explained(self) -> None:
        if self._explain is not None:
            found = self._explain()
            self._by_event, self._key = found._by_event, found._key
            self._event_grades = found._event_grades
            self._explain = None
            self._totals = None

    @property
    def by_event(self) -> Mapping[str, tuple[Figure, ...]]:
        """The figures of each event, by event id (for a dataset loaded from tables, found
        by visiting the records the first time they are asked for)."""
        self._explained()
        return self._by_event

    @functools.cached_property
    def _figures(self) -> dict[Key, tuple[Figure, ...]]:
        grouped: dict[Key, list[Figure]] = defaultdict(list)
        for figures in self.by_event.values():
            for figure in figures:
                grouped[self._key(figure.actor)].append(figure)
        return {k: tuple(grouped[k]) for k in sorted(grouped, key=_key_order)}

    def _sum(self, measure: str) -> dict[Key, Estimate]:
        sums: dict[Key, Estimate] = {}
        for key, figures in self._figures.items():
            chosen = [f.estimate for f in figures if f.measure == measure]
            if chosen:
                sums[key] = total(chosen)
        return sums

    @functools.cached_property
    def grades(self) -> Mapping[Grade | None, int]:
        """How many events of each grade the figures rest on (``None``: ungraded), best first.

        >>> import conflictmodel as cm
        >>> dict(cm.casualties_by_actor(cm.examples.idlib_2020()).grades)
        {None: 3}
        """
        self._explained()
        counts = Counter(self._event_grades.get(event) for event in self._by_event)
        order = [*Grade, None]
        return {grade: counts[grade] for grade in order if counts[grade]}

    def __getitem__(self, key: Key) -> Estimate:
        return self._killed[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._killed)

    def __len__(self) -> int:
        return len(self._killed)

    def figures(self, actor: Key) -> tuple[Figure, ...]:
        """The per-event figures (killed and injured) that make up ``actor``'s totals."""
        return self._figures.get(actor, ())

    def claimants(self, actor: Key) -> FigureClaimants:
        """Who gives and who denies the figures behind ``actor``'s totals (for a dataset
        loaded from tables, asked of the engine until the figures themselves are asked for).

        >>> import conflictmodel as cm
        >>> table = cm.casualties_by_actor(cm.examples.idlib_2020())
        >>> table.claimants("syrian-civilians")
        FigureClaimants(alleged_by=('syria',), denied_by=(), rests_on_claims=True)
        """
        if self._totals is not None:
            return self._totals.claimants(actor)
        figures = self.figures(actor)
        return FigureClaimants(
            tuple(sorted({c for f in figures for c in f.alleged_by})),
            tuple(sorted({c for f in figures for c in f.denied_by})),
            any(f.source is FigureSource.CLAIMS for f in figures if f.measure == "killed"),
        )

    def __getstate__(self) -> dict[str, object]:
        """The figures themselves as plain dicts, not the function that keys them."""
        return {
            "by_event": dict(self.by_event),
            "_figures": self._figures,
            "_killed": self._killed,
            "injured": dict(self.injured),
            "names": dict(self.names),
            "_event_grades": self._event_grades,
            "period": self.period,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        self._by_event = MappingProxyType(state.pop("by_event"))
        self.__dict__.update(state, _key=_same, _explain=None, _totals=None)
        self.injured = MappingProxyType(state["injured"])
        self._names = MappingProxyType(state["names"])

    @property
    def names(self) -> Mapping[str, str]:
        """Names of the actors in the table and of the claimants, by id."""
        return self._names

    def __repr__(self) -> str:
        return f"CasualtyTable({dict(self._killed)!r})"

    def __str__(self) -> str:
        return _printed(self._killed, self.claimants, self.period)


def _events(ds: Dataset, period: TimeSpan | None, within: str | None) -> list[Event]:
    if within is not None:
        found = ds.events_within(within)
        return [e for e in found if period is None or e.when.meets(period)]
    if period is not None:
        return ds.events_during(period)
    return ds.events_by_time()


@overload
def casualties_by_actor(
    ds: Dataset,
    *,
    according_to: str | Iterable[str] | None = ...,
    period: TimeSpan | str | None = ...,
    within: str | None = ...,
    roll_up: bool = ...,
    min_grade: Grade | str | None = ...,
    include_parts: bool = ...,
    best: BestRule | None = ...,
) -> CasualtyTable: ...


@overload
def casualties_by_actor(
    ds: Tables,
    *,
    according_to: str | Iterable[str] | None = ...,
    period: TimeSpan | str | None = ...,
    within: str | None = ...,
    roll_up: bool = ...,
    min_grade: Grade | str | None = ...,
    include_parts: bool = ...,
    best: BestRule | None = ...,
) -> CasualtyTotals: ...


def casualties_by_actor(
    ds: Dataset | Tables,
    *,
    according_to: str | Iterable[str] | None = None,
    period: TimeSpan | str | None = None,
    within: str | None = None,
    roll_up: bool = False,
    include_parts: bool = True,
    best: BestRule | None = None,
    min_grade: Grade | str | None = None,
) -> CasualtyTable | CasualtyTotals:
    """Killed per victim actor over the events meeting ``period`` and lying ``within`` a place.

    ``according_to`` names the claimant (or several) whose account to follow, with the claims
    of their parts unless ``include_parts=False``; ``period`` is a span or its text;
    ``within`` a location id, name or alias (with everything within it); ``roll_up=True``
    folds each actor into its top ``part_of`` ancestor. Where claims disagree and the record
    has no figure, ``best`` picks the best figure (``"lowest"``, ``"highest"``,
    ``"median"``); by default it is unknown and the total shows the range. ``ds`` may also be
    tables opened with :func:`conflictmodel.tables.open`: the same totals, computed by the
    engine, as a :class:`CasualtyTotals`. On a dataset of 50,000 events or more, the totals are
    computed in DuckDB over the dataset's tables, kept with it after the first query (when the
    ``arrow`` extra is installed; see "Past one machine" in the docs).

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> dict(casualties_by_actor(ds, according_to="turkey", roll_up=True))
    {'syria': Estimate(low=27, best=None, high=29), 'turkey': Estimate(low=8, best=8, high=8)}
    >>> casualties_by_actor(ds, within="Saraqeb")
    CasualtyTable({})
    """
    _arguments.flag(_FUNCTION, "roll_up", roll_up)
    minimum = grades.min_grade(_FUNCTION, min_grade)
    options = (according_to, period, within, roll_up, include_parts, best, minimum)
    engine = _arguments.engine_tables(ds, held=True)
    if engine is not None:
        totals = _on_tables(engine, *options)
        if engine is ds:
            return totals
        on_records = functools.partial(_on_records, ds, *options)
        return CasualtyTable._from_totals(totals, _engine_names(engine, totals), on_records)
    return _on_records(ds, *options)


def _on_records(
    ds: object,
    according_to: str | Iterable[str] | None,
    period: TimeSpan | str | None,
    within: str | None,
    roll_up: bool,
    include_parts: bool,
    best: BestRule | None,
    minimum: Grade | None,
) -> CasualtyTable:
    """The table found by visiting the records: the definition the engines are tested against."""
    ds = _arguments.dataset(_FUNCTION, ds)
    view = _arguments.perspective(_FUNCTION, ds, according_to, include_parts, best)
    span = _arguments.period(_FUNCTION, period)
    place = None if within is None else _arguments.location(_FUNCTION, "within", ds, within)
    key = (lambda actor: None if actor is None else ds.top_actor(actor)) if roll_up else _same
    graded = grades.event_grades(ds)
    by_event = _figures_by_event(ds, view, span, place)
    if minimum is not None:
        by_event = {e: f for e, f in by_event.items() if grades.meets(graded.get(e), minimum)}
    names = _names(ds, by_event, key)
    return CasualtyTable(by_event, key, names=names, event_grades=graded, period=span)


def _names(
    ds: Dataset, by_event: Mapping[str, Sequence[Figure]], key: Callable[[Key], Key]
) -> dict[str, str]:
    """Names of the actors a table shows (rolled up or not) and of every claimant, by id."""
    actors = {f.actor for figures in by_event.values() for f in figures}
    actors |= {key(a) for a in actors} | {c.claimant for c in ds.claims.values()}
    return {a: ds.actors[a].name for a in actors if a is not None and a in ds.actors}


def _engine_names(tables: Tables, totals: CasualtyTotals) -> dict[str, str]:
    """Names of the actors of ``totals`` and of every claimant, by id."""
    actors = tables.dimensions.actors
    shown = {*totals, *totals.injured, *engine_claimants(tables)}
    return {a: actors[a].name for a in shown if a is not None and a in actors}


def engine_claimants(tables: Tables) -> set[str | None]:
    """Every claimant of a claim in ``tables`` (``None``: an unattributed claim), asked of the
    engine once per tables."""
    claims = tables.table("claims")
    return tables.remembered(
        "claimants",
        lambda: {row["claimant"] for row in tables.run(claims.select("claimant").distinct())},
    )


class CasualtyTotals(_Claimed, Mapping[Key, Estimate]):
    """Killed per actor (``None``: unattributed) from opened tables; :attr:`injured` too.

    It equals the :class:`CasualtyTable` of the same query on the dataset (and a dict with the
    same items); the figures behind each total are on the dataset's answer, and who gives and
    who denies them here too (:meth:`claimants`, asked of the engine the first time).
    """

    def __init__(
        self,
        killed: Mapping[Key, Estimate],
        injured: Mapping[Key, Estimate],
        claimants: Callable[[], Mapping[Key, FigureClaimants]],
        names: Callable[[CasualtyTotals], Mapping[str, str]] = lambda totals: {},
        *,
        period: TimeSpan | None = None,
    ) -> None:
        self.period = period
        self._killed = dict(sorted(killed.items(), key=lambda item: _key_order(item[0])))
        self.injured: Mapping[Key, Estimate] = MappingProxyType(
            dict(sorted(injured.items(), key=lambda item: _key_order(item[0])))
        )
        """Injured per actor (``None``: unattributed)."""
        self._ask_claimants = claimants
        self._ask_names = names

    @functools.cached_property
    def _claimants(self) -> Mapping[Key, FigureClaimants]:
        return self._ask_claimants()

    @functools.cached_property
    def names(self) -> Mapping[str, str]:
        """Names of the actors in the totals and of the claimants, by id (read from the small
        tables the first time)."""
        return MappingProxyType(dict(self._ask_names(self)))

    def claimants(self, actor: Key) -> FigureClaimants:
        """Who gives and who denies the figures behind ``actor``'s totals, as
        :meth:`CasualtyTable.claimants` says (one engine query, the first time)."""
        return self._claimants.get(actor, FigureClaimants())

    def __getitem__(self, key: Key) -> Estimate:
        return self._killed[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._killed)

    def __len__(self) -> int:
        return len(self._killed)

    def __getstate__(self) -> dict[str, object]:
        return {
            "_killed": self._killed,
            "injured": dict(self.injured),
            "_claimants": dict(self._claimants),
            "names": dict(self.names),
            "period": self.period,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.period = state.get("period")
        self._killed = state["_killed"]
        self.injured = MappingProxyType(state["injured"])
        self.__dict__["_claimants"] = state["_claimants"]
        self.__dict__["names"] = MappingProxyType(state.get("names", {}))

    def __repr__(self) -> str:
        return f"CasualtyTotals({self._killed!r})"

    def __str__(self) -> str:
        return _printed(self._killed, self.claimants, self.period)


def _printed(
    killed: Mapping[Key, Estimate],
    claimants: Callable[[Key], FigureClaimants],
    period: TimeSpan | None,
) -> str:
    """A line per total, by id, with who alleges it where it rests on claims and who denies
    it, and the :func:`period_note`."""
    lines = [
        f"{key or 'unattributed':<18} {estimate}{claim_notes(claimants(key), str)}"
        for key, estimate in killed.items()
    ]
    note = period_note(period)
    return "\n".join([*lines, note] if note else lines)


def period_note(
    period: TimeSpan | str | None, shared_out_by: str = "casualties_over_time()"
) -> str:
    """What totals for ``period`` count: every event meeting it in full, also one that lasts
    longer (a year-long UCDP row counts whole in each of its months), and what shares those
    out instead; ``""`` with no period.

    >>> period_note("2016-03")  # doctest: +NORMALIZE_WHITESPACE
    'Every event meeting 2016-03 counts in full, also one that lasts longer or is dated only
    to a longer span; casualties_over_time() shares those out over its periods.'
    """
    if period is None:
        return ""
    return (
        f"Every event meeting {period} counts in full, also one that lasts longer or is "
        f"dated only to a longer span; {shared_out_by} shares those out over its periods."
    )


def claim_notes(found: FigureClaimants, name: Callable[[str], str]) -> str:
    """Who alleges a total that rests on claims and who denies it, each worded by ``name``."""
    notes = []
    if found.rests_on_claims:
        notes.append(f"alleged by {', '.join(map(name, found.alleged_by))}")
    if found.denied_by:
        notes.append(f"denied by {', '.join(map(name, found.denied_by))}")
    return f" ({'; '.join(notes)})" if notes else ""


def _on_tables(
    tables: Tables,
    according_to: str | Iterable[str] | None,
    period: TimeSpan | str | None,
    within: str | None,
    roll_up: bool,
    include_parts: bool,
    best: BestRule | None,
    minimum: Grade | None,
) -> CasualtyTotals:
    from conflictmodel.tables import queries

    scope = _arguments.table_scope(
        _FUNCTION, tables, according_to, period, within, roll_up, include_parts, best
    )
    return CasualtyTotals(
        *queries.casualty_totals(tables, scope, best, min_grade=minimum),
        functools.partial(queries.figure_claimants, tables, scope, best, min_grade=minimum),
        functools.partial(_engine_names, tables),
        period=scope.period,
    )


def _same(actor: Key) -> Key:
    return actor


def _figures_by_event(
    ds: Dataset, view: Perspective, span: TimeSpan | None, place: str | None
) -> dict[str, list[Figure]]:
    """The figures of each chosen event, visiting the records one by one."""
    by_event: dict[str, list[Figure]] = {}
    for event in _events(ds, span, place):
        if isinstance(event, Toll):
            continue
        figures = view.figures(event)
        if figures:
            by_event[event.id] = figures
    return by_event
