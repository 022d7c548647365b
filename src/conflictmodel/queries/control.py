"""Who held a place, span by span, from captures and control claims.

Each capture of the place (an engagement whose ``captured.location`` is it) and each
:class:`~conflictmodel.Controls` claim asserting it (dated by ``since``, else by when it was
made) marks a change of holder. A holder holds from its change until the next change; the
actor that lost the first capture holds before it. Both spans include the day (or month) of
the change, since the report cannot say when in it control passed. Only the place itself
counts: a capture of a town does not change who holds its region. An undated claim supports
its holder's spans, or, if the timeline has none, stands last as a span open at both ends.
Unattributed claims (nobody's in particular) change no holder; their denials are listed.

>>> import conflictmodel as cm
>>> for held in control_timeline(cm.examples.idlib_2020(), "saraqeb"):
...     print(held)
hts ../2020-02-06 (events: saraqeb-capture-2020-02-06)
syrian-army 2020-02-06/.. (events: saraqeb-capture-2020-02-06; claims: sana-saraqeb-control)
"""

from __future__ import annotations

import attrs

from conflictmodel.claims import Claim, Controls, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement
from conflictmodel.queries import _arguments
from conflictmodel.queries.results import ControlTimeline
from conflictmodel.timespans import Precision, TimeSpan

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
        support = [
            f"{label}: {', '.join(ids)}"
            for label, ids in (("events", self.events), ("claims", self.claims))
            if ids
        ]
        return f"{self.holder} {self.span} ({'; '.join(support)})"


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


def _changes(
    ds: Dataset, location: str
) -> tuple[list[_Change], list[tuple[Claim, str]], list[tuple[Claim, str]]]:
    changes = []
    for event in ds.events_naming("locations", location):
        captured = event.captured if isinstance(event, Engagement) else None
        if captured is not None and captured.location == location:
            changes.append(
                _Change(event.when, captured.gained_by, captured.lost_by, event=event.id)
            )
    undated: list[tuple[Claim, str]] = []
    denials: list[tuple[Claim, str]] = []
    for claim in ds.claims_about("locations", location):
        statement = claim.statement
        if not isinstance(statement, Controls) or statement.location != location:
            continue
        if claim.stance is Stance.DENIES:
            denials.append((claim, statement.actor))
            continue
        if claim.claimant is None:
            continue
        since = statement.since or claim.made
        if since is None:
            undated.append((claim, statement.actor))
        else:
            changes.append(_Change(since, statement.actor, None, claim=claim.id))
    return sorted(changes, key=_Change.order), undated, denials


def control_timeline(ds: Dataset, location: str) -> ControlTimeline:
    """Who held ``location`` (an id, name or alias), span by span, with what supports each."""
    ds = _arguments.dataset(_FUNCTION, ds)
    place = _arguments.location(_FUNCTION, "location", ds, location)
    changes, undated, denials = _changes(ds, place)
    held: list[_Held] = []
    if changes and changes[0].lost_by is not None:
        first = _Held(changes[0].lost_by, None, changes[0].when)
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
    for claim, holder in sorted(undated, key=lambda entry: entry[0].id):
        matching = [h for h in held if h.holder == holder]
        if not matching:
            matching = [_Held(holder, None, None)]
            held.append(matching[0])
        for entry in matching:
            entry.claims.append(claim.id)
    return ControlTimeline(
        [
            ControlSpan(
                location=place,
                holder=entry.holder,
                span=entry.span(),
                events=tuple(entry.events),
                claims=tuple(entry.claims),
                denied_by=tuple(
                    sorted({c.claimant_label for c, actor in denials if actor == entry.holder})
                ),
            )
            for entry in held
        ]
    )
