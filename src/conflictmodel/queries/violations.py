"""Which engagements broke an agreement, observed or alleged, and how sure that is.

A hostile engagement is an **observed** violation by an initiator when the initiator is bound
by the agreement (named on a side, or ``part_of`` an actor that is), at least one target is
not on its side (another side, an actor outside the agreement, or civilians), the event lies
in the scope (through ``within``; an empty scope is everywhere) and its span meets the
effective span: ``definite`` when inside it, ``possible`` when only overlapping.
Interceptions and other defensive acts violate nothing; nor do events that are not
engagements (a :class:`~conflictmodel.Toll`). An event whose initiators are unknown violates
only through claims.

A :class:`~conflictmodel.Violated` claim, or an :class:`~conflictmodel.Attribution` claim that
pins such an engagement on a bound actor, is an **alleged** violation. An allegation naming
events covers them and every event ``part_of`` them that is a hostile engagement in the scope
and effective span (events outside them cannot breach the agreement, so such an allegation
yields nothing for them); an allegation against an actor covers the actors ``part_of`` it.
Where it meets an observed violation of the same event by a covered actor, the two are one
violation with both bases. An allegation against an actor the agreement does not bind, and
that covers no observed violator, yields nothing: actors outside an agreement cannot break
it (the claim stays in the dataset, and :func:`~conflictmodel.disputes` still sees it).
A ``Violated`` claim naming no event is a violation with ``event=None``; its time is when the
claims were made.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020()
>>> found = ceasefire_violations(ds, "idlib-ceasefire-2020")
>>> [(v.violator, v.event, v.certainty.value) for v in found][:3]
... # doctest: +NORMALIZE_WHITESPACE
[('syrian-army', 'idlib-offensive', 'possible'),
 ('hts', None, 'definite'),
 ('turkey', None, 'definite')]
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable

import attrs

from conflictmodel.actors import ActorKind
from conflictmodel.agreements import Agreement
from conflictmodel.claims import Attribution, Claim, Stance, Violated
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, Event
from conflictmodel.queries import _arguments
from conflictmodel.queries.perspective import Perspective, claimants
from conflictmodel.queries.revisions import Revisions
from conflictmodel.timespans import Precision, SpanRelation, TimeSpan

_FUNCTION = "ceasefire_violations"


class Basis(enum.StrEnum):
    """Why something is a violation: the record shows it, or a claimant says so."""

    OBSERVED = "observed"
    ALLEGED = "alleged"


class Certainty(enum.StrEnum):
    """How sure the time is: inside the effective span, or only overlapping it."""

    DEFINITE = "definite"
    POSSIBLE = "possible"


@attrs.frozen
class Grounds:
    """What a :class:`Violation`'s explanation is worded from.

    The agreement's ``effective`` span and ``scope``; the event's ``kind`` and ``place`` (when
    one is named); the violator's ``side`` (counted from 1) and the ``opponents`` it hit, when
    observed; and one ``"claim <id>, <how>"`` phrase per alleging claim.
    """

    effective: TimeSpan
    scope: tuple[str, ...] = ()
    kind: str | None = None
    place: str | None = None
    side: int | None = None
    opponents: tuple[str, ...] = ()
    allegations: tuple[str, ...] = ()


@attrs.frozen
class Violation:
    """One violation of ``agreement`` by ``violator``, through ``event`` (``None``: unnamed).

    ``basis`` holds :attr:`Basis.OBSERVED`, :attr:`Basis.ALLEGED` or both, in that order.
    ``alleged_by`` and ``denied_by`` are claimant ids, ``claims`` the ids of the claims
    alleging it, ``when`` the event's span (or when the claims were made) and
    ``explanation`` one sentence saying why it is a violation.
    """

    agreement: str
    violator: str
    event: str | None
    basis: tuple[Basis, ...]
    certainty: Certainty
    alleged_by: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    when: TimeSpan | None = None
    claims: tuple[str, ...] = ()
    grounds: Grounds | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def explanation(self) -> str:
        """One sentence saying why it is a violation, worded from :attr:`grounds`."""
        return "" if self.grounds is None else _explain(self, self.grounds)

    @property
    def observed(self) -> bool:
        """Whether the record shows it."""
        return Basis.OBSERVED in self.basis

    @property
    def alleged(self) -> bool:
        """Whether a claimant says so."""
        return Basis.ALLEGED in self.basis

    def explain(self) -> str:
        """One sentence: which rule, which span, which scope, which claims."""
        return self.explanation

    def __str__(self) -> str:
        return self.explanation


@attrs.define
class _Draft:
    violator: str
    event: Event | None
    observed: bool = False
    alleging: list[tuple[Claim, str]] = attrs.field(factory=list)
    counted: bool = False


class _Sides:
    """Which side of one agreement each actor is on (``None``: not bound)."""

    def __init__(self, ds: Dataset, agreement: Agreement) -> None:
        self.ds, self.agreement = ds, agreement
        self._known: dict[str, int | None] = {}

    def __call__(self, actor: str) -> int | None:
        if actor not in self._known:
            side = None
            if self.ds.actors[actor].kind is not ActorKind.CIVILIANS:
                for member in (actor, *self.ds.actor_ancestors(actor)):
                    side = self.agreement.side_of(member)
                    if side is not None:
                        break
            self._known[actor] = side
        return self._known[actor]

    def opponents(self, event: Event, actor: str) -> tuple[str, ...]:
        """The targets of ``event`` not on ``actor``'s side."""
        targets = event.targets if isinstance(event, Engagement) else ()
        return tuple(t for t in targets if self(t) is None or self(t) != self(actor))


def _hostile(event: Event) -> bool:
    return isinstance(event, Engagement) and event.kind.is_hostile


def _candidates(
    ds: Dataset, view: Perspective, agreement: Agreement, period: TimeSpan | None
) -> dict[str, Event]:
    from conflictmodel.queries import _fast  # numpy loads with the first query

    events = _fast.violation_candidates(ds, agreement)
    return {
        e.id: e for e in events if (period is None or e.when.meets(period)) and view.includes(e.id)
    }


class _Finder:
    """The violations of one agreement from one perspective."""

    def __init__(
        self, ds: Dataset, view: Perspective, agreement: Agreement, period: TimeSpan | None
    ) -> None:
        self.ds, self.view, self.agreement, self.period = ds, view, agreement, period
        self.side = _Sides(ds, agreement)
        self.events = _candidates(ds, view, agreement, period)
        self.drafts: dict[tuple[str, str | None], _Draft] = {}
        self.observed_by_event: dict[str, list[str]] = defaultdict(list)
        self.denials: dict[str | None, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def draft(self, violator: str, event: Event | None) -> _Draft:
        key = (violator, None if event is None else event.id)
        if key not in self.drafts:
            self.drafts[key] = _Draft(violator, event)
        return self.drafts[key]

    def observe(self) -> None:
        for event in self.events.values():
            if not _hostile(event):
                continue
            for actor in self.view.observed_initiators(event):
                if self.side(actor) is not None and self.side.opponents(event, actor):
                    self.draft(actor, event).observed = True
                    self.observed_by_event[event.id].append(actor)

    def covered(self, violator: str, event: Event) -> list[str]:
        """The observed violators of ``event`` an allegation against ``violator`` covers."""
        return [
            actor
            for actor in self.observed_by_event.get(event.id, ())
            if self.ds.is_part_of(actor, violator)
        ]

    def allege(self, claim: Claim, violator: str, event: Event | None, how: str) -> None:
        counts = self.view.counts(claim)
        actors = [] if event is None else self.covered(violator, event)
        if not actors and self.side(violator) is None:
            return
        for actor in actors or [violator]:
            draft = self.draft(actor, event)
            draft.alleging.append((claim, how))
            draft.counted = draft.counted or counts

    def deny(self, claimant: str, violator: str, event_ids: Iterable[str | None]) -> None:
        for event_id in event_ids:
            self.denials[event_id][violator].add(claimant)

    def covered_events(self, named: tuple[str, ...]) -> list[tuple[Event, str]]:
        found: dict[str, tuple[Event, str]] = {}
        for event_id in named:
            for part in (event_id, *self.ds.event_parts(event_id)):
                event = self.events.get(part)
                if event is not None and _hostile(event) and part not in found:
                    how = f"naming {event_id}" + (
                        "" if part == event_id else ", of which it is part"
                    )
                    found[part] = (event, how)
        return list(found.values())

    def read_violated_claims(self) -> None:
        claims = self.ds.claims_about("agreements", self.agreement.id)
        revisions = Revisions(claims)
        for claim in claims:
            statement = claim.statement
            if not isinstance(statement, Violated) or statement.agreement != self.agreement.id:
                continue
            if not revisions.is_current(claim):
                continue
            covered = self.covered_events(statement.events)
            if claim.stance is Stance.DENIES:
                ids: list[str | None] = [e.id for e, _ in covered] if statement.events else [None]
                for violator in statement.violators:
                    self.deny(claim.claimant, violator, ids)
                continue
            for violator in statement.violators:
                if not statement.events:
                    self.allege(claim, violator, None, "naming no event")
                for event, how in covered:
                    self.allege(claim, violator, event, how)

    def read_attributions(self) -> None:
        for event in self.events.values():
            if not _hostile(event):
                continue
            for claim in self.view.current_claims(event.id):
                statement = claim.statement
                if not isinstance(statement, Attribution) or statement.event != event.id:
                    continue
                for actor in statement.perpetrators:
                    if claim.stance is Stance.DENIES:
                        self.deny(claim.claimant, actor, [event.id])
                    elif self.side(actor) is not None and self.side.opponents(event, actor):
                        how = f"attributing the event to {', '.join(statement.perpetrators)}"
                        self.allege(claim, actor, event, how)

    def denied_by(self, violator: str, event: Event | None) -> tuple[str, ...]:
        event_id = None if event is None else event.id
        deniers: set[str] = set()
        for denied_event in {None, event_id}:
            for denied, who in self.denials.get(denied_event, {}).items():
                if self.ds.is_part_of(violator, denied):
                    deniers |= who
        if event is not None:
            deniers.update(self.view.event_deniers(event.id))
        return tuple(sorted(deniers))

    def violations(self) -> list[Violation]:
        self.observe()
        self.read_violated_claims()
        self.read_attributions()
        found = []
        for draft in self.drafts.values():
            if not (draft.observed or draft.counted):
                continue
            violation = self.finish(draft)
            if violation is not None:
                found.append(violation)
        return found

    def finish(self, draft: _Draft) -> Violation | None:
        event, claims = draft.event, sorted({c.id: c for c, _ in draft.alleging}.values(), key=_id)
        denied_by = self.denied_by(draft.violator, event)
        if self.view.speaks_for(denied_by):
            return None
        effective = self.agreement.effective
        if event is not None:
            span: TimeSpan | None = event.when
            inside = event.when.relation_to(effective) is SpanRelation.INSIDE
        else:
            made = [c.made for c in claims]
            if self.period is not None and not any(m is None or m.meets(self.period) for m in made):
                return None
            span = _hull([m for m in made if m is not None])
            inside = span is not None and effective.contains(span)
        basis = tuple(
            b for b, on in ((Basis.OBSERVED, draft.observed), (Basis.ALLEGED, bool(claims))) if on
        )
        return Violation(
            agreement=self.agreement.id,
            violator=draft.violator,
            event=None if event is None else event.id,
            basis=basis,
            certainty=Certainty.DEFINITE if inside else Certainty.POSSIBLE,
            alleged_by=claimants(claims),
            denied_by=denied_by,
            when=span,
            claims=tuple(c.id for c in claims),
            grounds=self.grounds(draft),
        )

    def grounds(self, draft: _Draft) -> Grounds:
        """The facts the explanation of ``draft``'s violation is worded from."""
        event, side, opponents = draft.event, None, tuple[str, ...]()
        if draft.observed and event is not None:
            opponents = tuple(self.side.opponents(event, draft.violator))
            side = (self.side(draft.violator) or 0) + 1
        kind = None
        if event is not None:
            kind = event.kind.value if isinstance(event, Engagement) else type(event).__name__
        return Grounds(
            effective=self.agreement.effective,
            scope=self.agreement.scope,
            kind=kind,
            place=None if event is None else event.where,
            side=side,
            opponents=opponents,
            allegations=tuple(sorted({f"claim {c.id}, {how}" for c, how in draft.alleging})),
        )


def _explain(violation: Violation, grounds: Grounds) -> str:
    """One sentence: which rule, which span, which scope, which claims."""
    if violation.event is None:
        made = "at an unknown time" if violation.when is None else str(violation.when)
        relation = "inside" if violation.certainty is Certainty.DEFINITE else "not inside"
        where = (
            f"through no named event (claims made {made}, {relation} the effective span "
            f"{grounds.effective})"
        )
    else:
        place = f" at {grounds.place}" if grounds.place else ""
        where = f"through {violation.event} ({grounds.kind}{place} on {violation.when}"
        relation = "inside" if violation.certainty is Certainty.DEFINITE else "overlapping"
        where += f", {relation} the effective span {grounds.effective}"
        scope = ", ".join(grounds.scope)
        where += f", within the scope {scope})" if scope else ", which has no limit in space)"
    reasons = []
    if grounds.side is not None:
        verb = "is" if len(grounds.opponents) == 1 else "are"
        reasons.append(
            f"observed, as {violation.violator} is bound on side {grounds.side} and "
            f"{', '.join(grounds.opponents)} {verb} not on its side"
        )
    if grounds.allegations:
        reasons.append(
            f"alleged by {', '.join(violation.alleged_by)} ({'; '.join(grounds.allegations)})"
        )
    if violation.denied_by:
        reasons.append(f"denied by {', '.join(violation.denied_by)}")
    possibly = "possibly " if violation.certainty is Certainty.POSSIBLE else ""
    return (
        f"{violation.violator} {possibly}violated {violation.agreement} {where}: "
        f"{'; '.join(reasons)}."
    )


def _id(claim: Claim) -> str:
    return claim.id


def _hull(spans: list[TimeSpan]) -> TimeSpan | None:
    if not spans:
        return None
    if all(span == spans[0] for span in spans):
        return spans[0]
    starts = [span.start for span in spans]
    ends = [span.end for span in spans]
    start = None if None in starts else min(s for s in starts if s is not None)
    end = None if None in ends else max(e for e in ends if e is not None)
    return TimeSpan(start, end, Precision.DAY)


_LAST = (datetime.date.max, datetime.date.max)


def _order(violation: Violation) -> tuple[tuple[datetime.date, datetime.date], str, str, str]:
    when = _LAST if violation.when is None else violation.when.sort_key
    return (when, violation.agreement, violation.event or "", violation.violator)


def ceasefire_violations(
    ds: Dataset,
    agreement: str | None = None,
    *,
    according_to: str | Iterable[str] | None = None,
    period: TimeSpan | str | None = None,
    include_parts: bool = True,
) -> list[Violation]:
    """The violations of ``agreement`` (every ceasefire, truce and de-escalation if ``None``).

    ``according_to`` names the claimant (or claimants) whose account to follow, with the
    claims of their parts unless ``include_parts=False`` (see
    :mod:`conflictmodel.queries.perspective`); ``period`` (a span or its text) keeps the
    violations whose event meets it (for a violation with no event: a claim made in it, or
    at an unknown time). Sorted by time; a violation with no known time comes last.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> for v in ceasefire_violations(ds, "idlib-ceasefire-2020", period="2020-02-03"):
    ...     print(v.violator, v.event, [b.value for b in v.basis], v.certainty.value)
    syrian-army idlib-offensive ['observed', 'alleged'] possible
    turkey None ['alleged'] definite
    syrian-army attack-2020-02-03 ['observed'] definite
    turkish-army retaliation-2020-02-03 ['observed'] definite
    """
    ds = _arguments.dataset(_FUNCTION, ds)
    view = _arguments.perspective(_FUNCTION, ds, according_to, include_parts)
    span = _arguments.period(_FUNCTION, period)
    if agreement is None:
        agreements = [a for a in ds.agreements.values() if a.kind.is_ceasefire_like]
    else:
        agreements = [_arguments.agreement(_FUNCTION, ds, agreement)]
    found = [v for a in agreements for v in _Finder(ds, view, a, span).violations()]
    return sorted(found, key=_order)
