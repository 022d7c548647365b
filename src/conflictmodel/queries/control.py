"""Who held a place, span by span, from captures and control claims, and who held it on a date.

Each capture of the place (an engagement whose ``captured.location`` is it) and each
:class:`~conflictmodel.Controls` claim with a ``since`` marks a change of holder. A holder holds
from its change until the next change. Both spans include the day (or month) of the change,
since the report cannot say when in it control passed. Before the first change the holder is
unknown: the actor that lost the first capture is known to hold it only on the day it lost
it. A ``Controls`` claim with no ``since`` states the holder at the time it was made: it
supports a span of that holder meeting that time, extends the first loser's span back to it,
or else stands as a span of its own at that time. Only the place itself counts: a capture of
a town does not change who holds its region. An undated claim supports its holder's spans,
or, if the timeline has none, stands last as a span open at both ends.

``according_to`` follows a claimant's (or camp's) account, as the other queries do: only its
control claims count, and captures it denies drop out. Only current claims count
(:mod:`conflictmodel.queries.revisions`).
An unattributed claim (a report's own statement, nobody's in particular) counts in the default
account, where control has no record field of its own, and in no claimant's account.

>>> import conflictmodel as cm
>>> for held in control_timeline(cm.examples.idlib_2020(), "saraqeb"):
...     print(held)
hts 2020-02-06 (events: saraqeb-capture-2020-02-06)
syrian-army 2020-02-06/.. (events: saraqeb-capture-2020-02-06; claims: sana-saraqeb-control)
>>> print(control_at(cm.examples.idlib_2020(), "saraqeb", "2020-03"))
Saraqeb on 2020-03: Syrian Arab Army, definite (events: saraqeb-capture-2020-02-06; \
claims: sana-saraqeb-control)
>>> print(control_at(cm.examples.idlib_2020(), "saraqeb", "2020-01"))
Saraqeb on 2020-01: unknown
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from conflictmodel._html import html_table
from conflictmodel.claims import Claim, Controls, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement
from conflictmodel.queries import _arguments
from conflictmodel.queries.perspective import Perspective
from conflictmodel.queries.results import ControlTimeline, names_of
from conflictmodel.queries.revisions import Revisions
from conflictmodel.queries.violations import Certainty
from conflictmodel.timespans import Precision, SpanRelation, TimeSpan

_FUNCTION = "control_timeline"


@attrs.frozen
class ControlSpan:
    """``holder`` held ``location`` during ``span``; ``events`` and ``claims`` say so.

    ``denied_by`` names claimants denying that ``holder`` controls the place.
    """

    location: str
    holder: str
    span: TimeSpan
    events: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.holder} {self.span} ({_support(self.events, self.claims)})"


def _support(events: Iterable[str], claims: Iterable[str]) -> str:
    return "; ".join(
        f"{label}: {', '.join(ids)}"
        for label, ids in (("events", events), ("claims", claims))
        if ids
    )


@attrs.frozen
class ControlAt:
    """Who held ``location`` on ``date``: ``holder`` (``None``: unknown or contested).

    ``certainty`` is ``definite`` when the date lies inside the holder's span and
    ``possible`` when it only overlaps it (a change of holder falls in it); ``spans`` are
    every span meeting the date, so a contested date shows each holder. Printed and shown in
    a notebook by the names of the place and its holders (``names``, by id).
    """

    location: str
    date: TimeSpan
    holder: str | None
    certainty: Certainty | None
    spans: tuple[ControlSpan, ...] = ()
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    """The names of the place and of the holders, by id."""

    def _name(self, record_id: str) -> str:
        return self.names.get(record_id, record_id)

    @property
    def events(self) -> tuple[str, ...]:
        """The events behind the spans."""
        return tuple(dict.fromkeys(e for span in self.spans for e in span.events))

    @property
    def claims(self) -> tuple[str, ...]:
        """The claims behind the spans."""
        return tuple(dict.fromkeys(c for span in self.spans for c in span.claims))

    def _held(self) -> str:
        if self.holder is None:
            holders = ", ".join(self._name(span.holder) for span in self.spans)
            return f"contested ({holders})" if holders else "unknown"
        assert self.certainty is not None
        return f"{self._name(self.holder)}, {self.certainty.value}"

    def __str__(self) -> str:
        held = f"{self._name(self.location)} on {self.date}: {self._held()}"
        support = _support(self.events, self.claims) if self.holder is not None else ""
        return f"{held} ({support})" if support else held

    def _repr_html_(self) -> str:
        rows = [
            (
                self._name(span.holder),
                span.span,
                span.events,
                span.claims,
                ", ".join(map(self._name, span.denied_by)),
            )
            for span in self.spans
        ]
        caption = f"{self._name(self.location)} on {self.date}: {self._held()}"
        headers = ["holder", "span", "events", "claims", "denied by"]
        return html_table(caption, headers, rows, total=len(rows), shown=len(rows))


@attrs.frozen
class _Change:
    when: TimeSpan
    gained_by: str
    lost_by: str | None
    event: str | None = None
    claim: str | None = None

    def order(self) -> tuple[object, ...]:
        return (self.when.sort_key, self.claim is not None, self.event or self.claim or "")


@attrs.define
class _Held:
    holder: str
    start: TimeSpan | None
    end: TimeSpan | None = None
    events: list[str] = attrs.field(factory=list)
    claims: list[str] = attrs.field(factory=list)

    def add(self, change: _Change) -> None:
        if change.event is not None and change.event not in self.events:
            self.events.append(change.event)
        if change.claim is not None and change.claim not in self.claims:
            self.claims.append(change.claim)

    def span(self) -> TimeSpan:
        start, end = self.start, self.end
        last = None if end is None else end.end
        end_grain = Precision.DAY if end is None else end.end_grain
        end_time = None if end is None else end.end_time
        if start is None:
            return TimeSpan(None, last, end_grain, None, None, end_time)
        return TimeSpan(start.start, last, start.precision, end_grain, start.start_time, end_time)

    def meets(self, moment: TimeSpan) -> bool:
        return self.start is not None and self.span().meets(moment)


@attrs.frozen
class _Reading:
    changes: list[_Change]
    states: list[tuple[Claim, str, TimeSpan]]
    undated: list[tuple[Claim, str]]
    denials: list[tuple[Claim, str]]


def _read(ds: Dataset, view: Perspective, location: str) -> _Reading:
    changes = []
    for event in ds.events_naming("locations", location):
        captured = event.captured if isinstance(event, Engagement) else None
        if captured is not None and captured.location == location and view.includes(event.id):
            changes.append(
                _Change(event.when, captured.gained_by, captured.lost_by, event=event.id)
            )
    claims = sorted(ds.claims_about("locations", location), key=lambda claim: claim.id)
    revisions = Revisions(claims)
    reading = _Reading(changes, [], [], [])
    for claim in claims:
        statement = claim.statement
        if not isinstance(statement, Controls) or statement.location != location:
            continue
        if claim.stance is Stance.DENIES:
            reading.denials.append((claim, statement.actor))
        elif not (_counts(view, claim) and revisions.is_current(claim)):
            continue
        elif statement.since is not None:
            changes.append(_Change(statement.since, statement.actor, None, claim=claim.id))
        elif claim.made is not None:
            reading.states.append((claim, statement.actor, claim.made))
        else:
            reading.undated.append((claim, statement.actor))
    changes.sort(key=_Change.order)
    return reading


def _counts(view: Perspective, claim: Claim) -> bool:
    """Whether a control claim counts: as every claim does, and an unattributed one (a report's
    own statement) in the default account, where control has no record field of its own."""
    return view.counts(claim) or (claim.claimant is None and view.camp is None)


def _timeline(reading: _Reading) -> list[_Held]:
    changes = reading.changes
    held: list[_Held] = []
    if changes and changes[0].lost_by is not None:
        first = _Held(changes[0].lost_by, changes[0].when, changes[0].when)
        first.add(attrs.evolve(changes[0], claim=None))
        held.append(first)
    for change in changes:
        current = held[-1] if held else None
        if current is not None and current.holder == change.gained_by and current.end is None:
            current.add(change)
            continue
        if current is not None and current.end is None:
            current.end = change.when
        following = _Held(change.gained_by, change.when)
        following.add(change)
        held.append(following)
    for claim, holder, moment in reading.states:
        matching = [h for h in held if h.holder == holder and h.meets(moment)]
        earliest = held[0] if held else None
        if (
            not matching
            and earliest is not None
            and earliest.holder == holder
            and earliest.start is not None
            and moment.sort_key < earliest.start.sort_key
        ):
            earliest.start = moment
            matching = [earliest]
        if not matching:
            matching = [_Held(holder, moment, moment)]
            held.append(matching[0])
        for entry in matching:
            entry.claims.append(claim.id)
    held.sort(key=lambda h: h.span().sort_key)
    for claim, holder in reading.undated:
        matching = [h for h in held if h.holder == holder]
        if not matching:
            matching = [_Held(holder, None, None)]
            held.append(matching[0])
        for entry in matching:
            entry.claims.append(claim.id)
    return held


def control_timeline(
    ds: Dataset,
    location: str,
    *,
    according_to: str | Iterable[str] | None = None,
    include_parts: bool = True,
) -> ControlTimeline:
    """Who held ``location`` (an id, name or alias), span by span, with what supports each.

    ``according_to`` follows a claimant's (or several's) account, with their parts' claims
    unless ``include_parts=False``.
    """
    ds = _arguments.dataset(_FUNCTION, ds)
    place = _arguments.location(_FUNCTION, "location", ds, location)
    view = _arguments.perspective(_FUNCTION, ds, according_to, include_parts)
    reading = _read(ds, view, place)
    spans = [
        ControlSpan(
            location=place,
            holder=entry.holder,
            span=entry.span(),
            events=tuple(entry.events),
            claims=tuple(entry.claims),
            denied_by=tuple(
                sorted({c.claimant_label for c, actor in reading.denials if actor == entry.holder})
            ),
        )
        for entry in _timeline(reading)
    ]
    actors = {actor for held in spans for actor in (held.holder, *held.denied_by)}
    names = names_of(ds, "actors", actors) | names_of(ds, "locations", [place])
    return ControlTimeline(spans, names=names)


def control_at(
    ds: Dataset,
    location: str,
    date: TimeSpan | str,
    *,
    according_to: str | Iterable[str] | None = None,
    include_parts: bool = True,
) -> ControlAt:
    """Who held ``location`` on ``date`` (a span or its text), with how sure and why.

    >>> import conflictmodel as cm
    >>> control_at(cm.examples.idlib_2020(), "saraqeb", "2020-02-06").holder is None
    True
    """
    ds = _arguments.dataset("control_at", ds)
    moment = _arguments.period("control_at", date, "date")
    if moment is None:
        raise ValidationError("control_at(date=None): give a date or its text")
    place = _arguments.location("control_at", "location", ds, location)
    view = _arguments.perspective("control_at", ds, according_to, include_parts)
    timeline = control_timeline(
        ds,
        location,
        according_to=view.asked if _arguments.has_account(view) else None,
        include_parts=include_parts,
    )
    meeting = tuple(s for s in timeline if s.span.meets(moment))
    holders = {s.holder for s in meeting}
    if len(holders) != 1:
        return ControlAt(place, moment, None, None, meeting, names=timeline.names)
    inside = any(moment.relation_to(s.span) is SpanRelation.INSIDE for s in meeting)
    certainty = Certainty.DEFINITE if inside else Certainty.POSSIBLE
    return ControlAt(place, moment, holders.pop(), certainty, meeting, names=timeline.names)
