"""How long an agreement held, and how often it was broken, week by week, against before.

No ceasefire dataset links an agreement to the violations that followed it;
:func:`ceasefire_durability` does, from the violations :func:`ceasefire_violations` finds.
Weeks run from the day the agreement took effect; each violating event counts once (a larger
event whose parts also violate counts through its parts), in the week its span starts (an
event that began before the agreement counts in its first week). The weeks before are an
equal window ending the day before the agreement took effect, in which the same rules find
the engagements that would have broken it had it been in force: the rate to compare with.
The rates count the events that definitely violate; those that only possibly do (placed or
dated too coarsely to tell) are counted apart, never added in.

On tables opened with :func:`conflictmodel.tables.open` the answer is the same, reached by
the same rules: the violations in force are :func:`ceasefire_violations` on the tables, and
those of the window before are judged by the same rules on the records the engine selects for
that window (:func:`~conflictmodel.tables.queries.violation_subset`; see
:func:`ceasefire_durability`).

>>> import conflictmodel as cm
>>> held = ceasefire_durability(cm.examples.karabakh_2020(), "moscow-truce-2020-10-10")
>>> str(held.start), held.days_held, held.first_violation.event if held.first_violation else None
('2020-10-10', 4, 'front-clashes-2020-10-14')
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from conflictmodel._html import html_table
from conflictmodel._words import as_told, counted
from conflictmodel.assessments import Grade
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.perspective import Perspective
from conflictmodel.queries.results import names_of
from conflictmodel.queries.violations import (
    Certainty,
    Violation,
    ceasefire_violations,
    graded,
    in_force,
    violations_over,
)
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    from conflictmodel.agreements import Agreement
    from conflictmodel.tables.store import Tables

_FUNCTION = "ceasefire_durability"
_WEEK = datetime.timedelta(days=7)


@attrs.frozen
class Durability:
    """How one agreement held: see :func:`ceasefire_durability`.

    ``start`` and ``end`` bound the span it was in force (``end=None``: still in force; the
    weeks then run to the last event of the dataset). ``first_violation`` is the earliest
    violation the record shows that surely broke it (:attr:`Certainty.DEFINITE
    <conflictmodel.Certainty.DEFINITE>`: inside the span and the scope), ``first_possible``
    an earlier one the record shows that only possibly did (a month-long event overlapping
    the start, a clash placed only to a province), ``first_alleged`` the earliest a claimant
    alleges; ``days_held`` counts the days from ``start`` to the first violation (``None``
    when none is found). ``per_week`` and ``before`` map each week's first day to the events
    in it that definitely violate (a violation of the event is :attr:`Certainty.DEFINITE
    <conflictmodel.Certainty.DEFINITE>`), and ``possible_per_week`` and ``possible_before`` to
    the other violating events, which only possibly violate (:attr:`Certainty.POSSIBLE
    <conflictmodel.Certainty.POSSIBLE>` for every violation of the event: placed too coarsely
    to tell whether within the scope, or dated across the start); the two never overlap, and
    :attr:`rate` and :attr:`rate_before` count the definite ones only. An event counts whether
    the record shows its violation or a claimant alleges it (as the perspective asked tells
    it). ``shares`` gives each side (named by its first actor) its share of the ``attributed``
    violations, those with a known or alleged violator (a clash with no known initiator has
    none); the ``undetermined`` ones, whose violator is neither, are left out of the shares,
    and :meth:`lines` says how many. Shares of a few attributed violations among many
    undetermined say which violations the record or a claimant attributes, not who broke the
    agreement more. Only violating events dated within one week are counted in a week; ``spread``
    counts those whose dates span more than a week, left out of every week. With a
    ``min_grade``, every count is of the events graded that well or better, before and in
    force alike.

    >>> import conflictmodel as cm
    >>> held = cm.ceasefire_durability(cm.examples.karabakh_2020(), "moscow-truce-2020-10-10")
    >>> list(held.per_week.values()), list(held.possible_per_week.values())
    ([3, 1], [1, 0])
    >>> held.rate, held.possible_rate
    (2.0, 0.5)
    """

    agreement: str
    start: datetime.date
    end: datetime.date | None
    first_violation: Violation | None
    first_alleged: Violation | None
    days_held: int | None
    per_week: Mapping[datetime.date, int]
    before: Mapping[datetime.date, int]
    shares: Mapping[str, float]
    spread: int = 0
    first_possible: Violation | None = None
    attributed: int = 0
    undetermined: int = 0
    """The counted violations whose violator is undetermined, left out of :attr:`shares`."""
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    """The names of the agreement and of the actors the answer mentions, by id."""
    possible_per_week: Mapping[datetime.date, int] = attrs.field(factory=dict)
    possible_before: Mapping[datetime.date, int] = attrs.field(factory=dict)
    min_grade: Grade | None = None
    """The grade the counted events meet or better (``None``: every event counts)."""
    according_to: tuple[str, ...] = ()
    """The claimants whose account it is, by id (none: the default account)."""
    aggregates: int = 0
    """How many of the violating events in force are aggregates of several incidents
    (:attr:`~conflictmodel.Event.aggregate`): each is counted once, for one breach or more."""

    def _name(self, record_id: str) -> str:
        return self.names.get(record_id, record_id)

    def _violation(self, violation: Violation | None) -> str:
        if violation is None:
            return "none found"
        if violation.violator is not None:
            who = self._name(violation.violator)
        else:
            who = "undetermined: " + " or ".join(map(self._name, violation.parties))
        return f"{violation.when} by {who} ({violation.event or 'no event named'})"

    def _entries(self) -> Iterator[tuple[str, str]]:
        """What :meth:`lines` says after its first line, as ``(label, text)``."""
        held = "no violation found" if self.days_held is None else f"{self.days_held} days"
        if self.days_held is None and self.first_possible is not None:
            held = "no violation surely found"
        yield "held", held
        yield "first violation on record", self._violation(self.first_violation)
        if self.first_possible is not None:
            yield "possibly broken before", self._violation(self.first_possible)
        yield "first alleged", self._violation(self.first_alleged)
        weeks_before = f"in the {counted(len(self.before), 'week')} before"
        yield (
            "definitely violating events per week",
            f"{self.rate:.1f} in force, {self.rate_before:.1f} {weeks_before}",
        )
        possible = sum(self.possible_per_week.values()), sum(self.possible_before.values())
        if any(possible):
            yield (
                "only possibly violating events per week, left out of those rates",
                f"{self.possible_rate:.1f} in force ({possible[0]:,} in all), "
                f"{self.possible_rate_before:.1f} {weeks_before} ({possible[1]:,} in all)",
            )
        if self.spread:
            yield "not counted in a week (dated over more than one)", f"{self.spread:,}"
        if self.aggregates:
            yield (
                "violating events that are aggregates of several incidents, each counted once",
                f"{self.aggregates:,}",
            )
        if self.shares:
            base = counted(self.attributed, "violation")
            left_out = ""
            if self.undetermined:
                all_counted = counted(self.attributed + self.undetermined, "violation")
                base = f"{self.attributed:,} of {all_counted}"
                left_out = f" ({self.undetermined:,} undetermined, left out)"
            parts = ", ".join(f"{self._name(s)} {share:.0%}" for s, share in self.shares.items())
            yield f"shares of the {base} with a known or alleged violator{left_out}", parts

    def _headline(self) -> str:
        end = "still in force" if self.end is None else f"until {self.end}"
        return f"{self._name(self.agreement)}: in force from {self.start}, {end}{self.account}"

    @property
    def account(self) -> str:
        """Whose account it is and which events it counts, as titles add it (``""`` for the
        default account over every event).

        >>> import conflictmodel as cm
        >>> kb = cm.examples.karabakh_2020()
        >>> cm.ceasefire_durability(kb, "moscow-truce-2020-10-10", according_to="armenia").account
        ', as Armenia tells it'
        """
        view = as_told([self._name(claimant) for claimant in self.according_to])
        grade = "" if self.min_grade is None else f" (events graded {self.min_grade} or better)"
        return view + grade

    def lines(self) -> Iterator[str]:
        """How it held, in words, naming the agreement and the actors (events by id).

        >>> import conflictmodel as cm
        >>> held = cm.ceasefire_durability(cm.examples.idlib_2020(), "idlib-ceasefire-2020")
        >>> for line in list(held.lines())[:3]:
        ...     print(line)
        Idlib ceasefire: in force from 2020-01-12, still in force
        held: 22 days
        first violation on record: 2020-02-03 by Syrian Arab Army (attack-2020-02-03)
        """
        yield self._headline()
        for label, text in self._entries():
            yield f"{label}: {text}"

    def _repr_html_(self) -> str:
        rows = list(self._entries())
        return html_table(self._headline(), ["", ""], rows, total=len(rows), shown=len(rows))

    @property
    def rate(self) -> float:
        """Events per week that definitely violated it while in force."""
        return _mean(self.per_week)

    @property
    def rate_before(self) -> float:
        """Engagements per week that definitely would have, in the equal window before."""
        return _mean(self.before)

    @property
    def possible_rate(self) -> float:
        """Events per week that only possibly violated it while in force, besides :attr:`rate`."""
        return _mean(self.possible_per_week)

    @property
    def possible_rate_before(self) -> float:
        """Engagements per week that only possibly would have, besides :attr:`rate_before`."""
        return _mean(self.possible_before)


def _mean(weeks: Mapping[datetime.date, int]) -> float:
    return sum(weeks.values()) / len(weeks) if weeks else 0.0


def _first_day(violation: Violation) -> datetime.date | None:
    return None if violation.when is None else violation.when.start


def _breach_day(violation: Violation, start: datetime.date | None) -> datetime.date | None:
    """The earliest day ``violation`` may have broken an agreement in force from ``start``: a
    year-long row meeting its first two days may have broken it on the first, not before."""
    day = _first_day(violation)
    return day if day is None or start is None else max(day, start)


def _before(one: Violation, other: Violation, start: datetime.date) -> bool:
    """Whether ``one`` may have broken the agreement on a day before ``other`` did."""
    first, second = _breach_day(one, start), _breach_day(other, start)
    return first is not None and second is not None and first < second


def _earliest(found: list[Violation], start: datetime.date | None = None) -> Violation | None:
    dated = [v for v in found if _first_day(v) is not None]
    return min(dated, key=lambda v: _breach_day(v, start) or datetime.date.max, default=None)


def _counted_events(found: list[Violation]) -> dict[str, Violation]:
    """One violation per violating event (counted once, through its parts), by event id."""
    chosen: dict[str, Violation] = {}
    for violation in found:
        if violation.event is not None and violation.counted:
            chosen.setdefault(violation.event, violation)
    return chosen


def _week_of(violation: Violation, first: datetime.date) -> int | None:
    """The week (from ``first``) the violation's dates lie in; ``None`` if they span more than
    a week or are unknown. An event begun before ``first`` counts in the first week."""
    when = violation.when
    if when is None or when.start is None or not _within_a_week(when):
        return None
    return max(0, when.start.toordinal() - first.toordinal()) // 7


def _within_a_week(when: TimeSpan) -> bool:
    return (
        when.start is not None
        and when.end is not None
        and when.end.toordinal() - when.start.toordinal() < 7
    )


def _weekly(
    found: list[Violation], first: datetime.date, weeks: int
) -> dict[Certainty, dict[datetime.date, int]]:
    """The violating events of ``found`` per week from ``first``, by how surely each violates:
    definitely if any violation of the event is definite, else possibly."""
    counts = {certainty: Counter[datetime.date]() for certainty in Certainty}
    definite = {v.event for v in found if v.certainty is Certainty.DEFINITE}
    for event, violation in _counted_events(found).items():
        index = _week_of(violation, first)
        if index is not None and index < weeks:
            sure = Certainty.DEFINITE if event in definite else Certainty.POSSIBLE
            counts[sure][first + index * _WEEK] += 1
    days = [first + i * _WEEK for i in range(weeks)]
    return {certainty: {day: counted[day] for day in days} for certainty, counted in counts.items()}


def _spread(violating: Iterable[Violation]) -> int:
    """How many of the ``violating`` events' violations are dated over more than a week."""
    return sum(
        v.when is not None and not v.when.is_open and not _within_a_week(v.when) for v in violating
    )


def ceasefire_durability(
    ds: Dataset | Tables,
    agreement: str,
    *,
    according_to: str | Iterable[str] | None = None,
    include_parts: bool = True,
    min_grade: Grade | str | None = None,
) -> Durability:
    """How long ``agreement`` held, its violations per week, and the rate before it.

    ``according_to`` (and ``include_parts``) answer as that claimant or camp tells it, and
    ``min_grade`` counts only the events graded that well or better (in the weeks before
    too), as in :func:`ceasefire_violations`.
    The agreement needs a known start.

    ``ds`` may also be tables opened with :func:`conflictmodel.tables.open`; the answer is
    the same. The violations in force are :func:`ceasefire_violations` of the tables, and the
    last day of the weeks of an agreement still in force is the engine's latest event day
    (:func:`~conflictmodel.tables.queries.last_day`). For the weeks before, the engine selects
    the records :func:`~conflictmodel.tables.queries.violation_subset` selects for the
    agreement checked over that window, and the rules judge those: the rules look only at
    the events meeting the window in the scope (with the events they are part of, and the
    claims naming them or the agreement); every one of those that can give a violation is in
    the selection, and an event left out (its initiators all unbound, no claim names it, part
    of no event) gives none, so the judgement on the selection is the judgement on all.

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel import tables
    >>> ds = cm.examples.karabakh_2020()
    >>> folder = tempfile.mkdtemp() + "/karabakh"
    >>> _ = tables.write(ds, folder)
    >>> opened = tables.open(folder)
    >>> held = ceasefire_durability(opened, "moscow-truce-2020-10-10")
    >>> held == ceasefire_durability(ds, "moscow-truce-2020-10-10")
    True
    >>> held.days_held, sum(held.per_week.values()), sum(held.possible_per_week.values())
    (4, 4, 1)
    """
    ds = _arguments.engine_tables(ds) or ds
    dimensions = ds.dimensions if _arguments.is_tables(ds) else _arguments.dataset(_FUNCTION, ds)
    record = _arguments.agreement(_FUNCTION, dimensions, agreement)
    span = in_force(dimensions, record)
    if span is None or span.start is None:
        raise ValidationError(
            f"{_FUNCTION}(): agreement {agreement!r} has no known start or is never in force"
        )
    start = datetime.date(span.start.year, span.start.month, span.start.day)
    engine = ds if _arguments.is_tables(ds) else None
    view = _arguments.perspective(_FUNCTION, dimensions, according_to, include_parts, tables=engine)
    asked = view.asked if _arguments.has_account(view, engine) else ()
    minimum = grades.min_grade(_FUNCTION, min_grade)
    found = list(
        ceasefire_violations(
            ds,
            agreement,
            according_to=asked or None,
            include_parts=include_parts,
            min_grade=minimum,
        )
    )
    last = span.end if span.end is not None else _last_day(ds)
    weeks = max(1, ((last or start).toordinal() - start.toordinal()) // 7 + 1)
    observed = _earliest([v for v in found if v.observed and v.certainty is Certainty.DEFINITE])
    possible = _earliest(
        [v for v in found if v.observed and v.certainty is Certainty.POSSIBLE], start
    )
    if observed is not None and possible is not None and not _before(possible, observed, start):
        possible = None
    window = TimeSpan(start - weeks * _WEEK, start - datetime.timedelta(days=1))
    earlier = graded(_violations_before(ds, asked, include_parts, record, window), ds, minimum)
    during = _weekly(found, start, weeks)
    violating = _counted_events(found).values()
    ahead = _weekly(earlier, start - weeks * _WEEK, weeks)
    attributed = Counter(
        next(
            side[0]
            for side in record.sides
            if any(dimensions.is_part_of(v.violator, a) for a in side)
        )
        for v in found
        if v.violator is not None and v.counted
    )
    total = sum(attributed.values())
    undetermined = sum(v.violator is None and v.counted for v in found)
    first_day = None if observed is None else _first_day(observed)
    alleged = _earliest([v for v in found if v.alleged])
    mentioned = [side[0] for side in record.sides]
    for violation in (observed, possible, alleged):
        if violation is not None:
            mentioned += violation.parties
    return Durability(
        agreement=agreement,
        start=start,
        end=span.end,
        first_violation=observed,
        first_alleged=alleged,
        days_held=None if first_day is None else max(0, (first_day - start).days),
        per_week=during[Certainty.DEFINITE],
        before=ahead[Certainty.DEFINITE],
        possible_per_week=during[Certainty.POSSIBLE],
        possible_before=ahead[Certainty.POSSIBLE],
        shares={side[0]: attributed[side[0]] / total for side in record.sides} if total else {},
        spread=_spread(violating),
        aggregates=sum(v.aggregate for v in violating),
        first_possible=possible,
        attributed=total,
        undetermined=undetermined,
        names={record.id: record.name, **names_of(dimensions, "actors", [*mentioned, *asked])},
        min_grade=minimum,
        according_to=asked,
    )


def _last_day(ds: Dataset | Tables) -> datetime.date | None:
    """The last day of any event: its span's end, or its start where the end is open."""
    if isinstance(ds, Dataset):
        days = [e.when.end or e.when.start for e in ds.events.values()]
        return max((d for d in days if d is not None), default=None)
    from conflictmodel.tables import queries

    return queries.last_day(ds)


def _violations_before(
    ds: Dataset | Tables,
    asked: tuple[str, ...],
    include_parts: bool,
    agreement: Agreement,
    window: TimeSpan,
) -> list[Violation]:
    """The violations ``agreement`` would have had over ``window``, from the account of
    ``asked`` (on tables: judged on the records the engine selects for the window)."""
    if isinstance(ds, Dataset):
        view = Perspective(ds, asked, include_parts=include_parts)
        return violations_over(ds, view, agreement, window)
    from conflictmodel.tables import queries

    members = Perspective(ds.dimensions, asked, include_parts=include_parts).members
    subset = queries.violation_subset(ds, agreement, None, effective=window)
    view = Perspective(
        subset,
        asked,
        include_parts=include_parts,
        members_claim=queries.has_claims(ds, members),
    )
    return violations_over(subset, view, agreement, window)
