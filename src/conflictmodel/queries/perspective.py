"""Whose account a query answers from: the record's, or one claimant's.

The **default** perspective takes the record's own fields (an event's initiators, its
casualty figures). Where the record has no value on a subject and claims do, it takes what
the claims span: for figures ``low`` is the smallest low, ``high`` the largest high (open if
any is open) and ``best`` the median of the bests, rounded down (:func:`span_of`).

``according_to=X`` answers as claimant ``X`` tells it: ``X``'s claims replace the record on
the same subject, ``X``'s additions count, other claimants' claims do not, and events ``X``
denies drop out. A claimant who has made no claim at all has no account of its own, so the
answer is the default one.

A **dataset** claimant (an actor of kind ``dataset``, as :func:`conflictmodel.linkage.merge`
makes one per merged source) gives a complete account: its answer holds only the events it
reports, with its own figures and perpetrators, never the record's. In the default account a
dataset's figures are alternatives, not additions: they stand in only for an event whose record
has no figures.

Whatever the perspective, results name every claimant who alleges and who denies them.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence

import attrs

from conflictmodel.actors import ActorKind
from conflictmodel.claims import Attribution, CasualtyFigure, Claim, Occurred, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event
from conflictmodel.quantities import Estimate

MEASURES = ("killed", "injured")


def span_of(estimates: Sequence[Estimate]) -> Estimate:
    """The range several figures span: lowest low, highest high, median best rounded down.

    >>> import conflictmodel as cm
    >>> span_of([cm.Estimate(10, 12, 15), cm.Estimate(20, 25, None), cm.Estimate.exact(13)])
    Estimate(low=10, best=13, high=None)
    >>> span_of([cm.Estimate.exact(10), cm.Estimate.exact(15)])
    Estimate(low=10, best=12, high=15)
    """
    if not estimates:
        raise ValidationError("span_of() needs at least one estimate")
    bests = sorted(estimate.best for estimate in estimates)
    middle = len(bests) // 2
    best = bests[middle] if len(bests) % 2 else (bests[middle - 1] + bests[middle]) // 2
    highs = [estimate.high for estimate in estimates]
    high = None if None in highs else max(h for h in highs if h is not None)
    return Estimate(min(estimate.low for estimate in estimates), best, high)


def claimants(claims: Iterable[Claim]) -> tuple[str, ...]:
    """The distinct claimants of ``claims``, sorted (``"unattributed"`` for nobody's)."""
    return tuple(sorted({claim.claimant_label for claim in claims}))


class FigureSource(enum.StrEnum):
    """Where a chosen figure comes from: the record's own field, or claims."""

    RECORD = "record"
    CLAIMS = "claims"


@attrs.frozen
class Figure:
    """A figure a perspective chose: ``measure`` ("killed", "injured") of ``actor`` in ``event``.

    ``claims`` are the ids of the claims it rests on (empty when it is the record's own);
    ``alleged_by`` and ``denied_by`` name every claimant giving or denying a figure on it.
    """

    event: str
    actor: str | None
    measure: str
    estimate: Estimate
    source: FigureSource
    claims: tuple[str, ...] = ()
    alleged_by: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()


def _record_figures(event: Event) -> dict[tuple[str | None, str], Estimate]:
    figures: dict[tuple[str | None, str], Estimate] = {}
    if not isinstance(event, Engagement):
        return figures
    for entry in event.casualties:
        for measure, value in (("killed", entry.killed), ("injured", entry.injured)):
            if value is not None:
                figures[(entry.actor, measure)] = value
    if event.reported_total is not None and not any(m == "killed" for _, m in figures):
        figures[(None, "killed")] = event.reported_total
    return figures


class Perspective:
    """The default account (``according_to=None``) or claimant ``according_to``'s.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> [f.estimate for f in Perspective(ds).figures(ds.events["turkish-airstrike-2020-02-06"])]
    [Estimate(low=15, best=15, high=15)]
    >>> Perspective(ds, "turkey").figures(ds.events["turkish-airstrike-2020-02-06"])
    []
    """

    def __init__(self, ds: Dataset, according_to: str | None = None) -> None:
        self.ds = ds
        self.asked = according_to
        has_claims = according_to is not None and bool(ds.claims_by(according_to))
        self.claimant: str | None = according_to if has_claims else None

    @property
    def complete(self) -> bool:
        """Whether the claimant is a dataset, whose account is its claims alone."""
        return self.claimant is not None and is_dataset(self.ds, self.claimant)

    def counts(self, claim: Claim) -> bool:
        """Whether ``claim`` is part of this account (an unattributed claim never is)."""
        if claim.claimant is None:
            return False
        return self.claimant is None or claim.claimant == self.claimant

    def event_claims(self, event_id: str) -> list[Claim]:
        """Every claim naming the event, whoever made it."""
        return self.ds.claims_about("events", event_id)

    def event_deniers(self, event_id: str) -> tuple[str, ...]:
        """Claimants who deny that the event took place."""
        return claimants(
            claim
            for claim in self.event_claims(event_id)
            if claim.stance is Stance.DENIES
            and isinstance(claim.statement, Occurred)
            and claim.statement.event == event_id
        )

    def includes(self, event_id: str) -> bool:
        """Whether the event is part of this account (the claimant does not deny it; a dataset
        claimant reports it)."""
        if self.claimant is None:
            return True
        if self.complete and not any(
            claim.claimant == self.claimant and claim.stance is Stance.ASSERTS
            for claim in self.event_claims(event_id)
        ):
            return False
        return self.claimant not in self.event_deniers(event_id)

    def attributions(self, event_id: str, stance: Stance = Stance.ASSERTS) -> list[Claim]:
        """The attribution claims on the event with this stance that count in this account."""
        return [
            claim
            for claim in self.event_claims(event_id)
            if isinstance(claim.statement, Attribution)
            and claim.statement.event == event_id
            and claim.stance is stance
            and self.counts(claim)
        ]

    def observed_initiators(self, event: Event) -> tuple[str, ...]:
        """The record's initiators that this account keeps.

        By default all of them. The claimant's own attribution replaces them (keeping those it
        also names, or names a group of), and its denials remove the actors denied.
        """
        record = event.initiators if isinstance(event, Engagement) else ()
        if self.complete:
            return tuple(sorted({p for c in self.attributions(event.id) for p in _perpetrators(c)}))
        if self.claimant is None or not record:
            return record
        named = {p for c in self.attributions(event.id) for p in _perpetrators(c)}
        if named:
            return tuple(a for a in record if any(self.ds.is_part_of(a, p) for p in named))
        denied = {p for c in self.attributions(event.id, Stance.DENIES) for p in _perpetrators(c)}
        return tuple(a for a in record if a not in denied)

    def figures(self, event: Event) -> list[Figure]:
        """The casualty figures this account gives for the event, by actor and measure."""
        if not self.includes(event.id):
            return []
        record = {} if self.complete else _record_figures(event)
        asserted: dict[tuple[str | None, str], list[tuple[Claim, Estimate]]] = defaultdict(list)
        denied: dict[tuple[str | None, str], list[Claim]] = defaultdict(list)
        for claim in self.event_claims(event.id):
            statement = claim.statement
            if not isinstance(statement, CasualtyFigure) or statement.event != event.id:
                continue
            for measure, value in (("killed", statement.killed), ("injured", statement.injured)):
                if value is None:
                    continue
                if claim.stance is Stance.ASSERTS:
                    asserted[(statement.actor, measure)].append((claim, value))
                else:
                    denied[(statement.actor, measure)].append(claim)
        event_deniers = self.event_deniers(event.id)
        chosen: list[Figure] = []
        for key in sorted(record.keys() | asserted.keys(), key=_figure_order):
            claims = asserted.get(key, [])
            mine = [(c, v) for c, v in claims if self.counts(c)]
            deniers = set(claimants(denied.get(key, [])))
            if self.claimant is not None and not mine and self.claimant in deniers:
                continue
            if (
                self.claimant is None
                and record
                and key not in record
                and all(
                    c.claimant is not None and is_dataset(self.ds, c.claimant) for c, _ in claims
                )
            ):
                continue
            basis: tuple[str, ...] = ()
            if key in record and (self.claimant is None or not mine):
                estimate, source = record[key], FigureSource.RECORD
            elif mine:
                estimate = span_of([value for _, value in mine])
                source, basis = FigureSource.CLAIMS, tuple(sorted(c.id for c, _ in mine))
            else:
                continue
            chosen.append(
                Figure(
                    event=event.id,
                    actor=key[0],
                    measure=key[1],
                    estimate=estimate,
                    source=source,
                    claims=basis,
                    alleged_by=claimants(c for c, _ in claims),
                    denied_by=tuple(sorted(deniers.union(event_deniers))),
                )
            )
        return chosen


def is_dataset(ds: Dataset, actor_id: str) -> bool:
    """Whether the actor is a dataset (a source merged in), whose claims are whole accounts."""
    actor = ds.actors.get(actor_id)
    return actor is not None and actor.kind is ActorKind.DATASET


def _figure_order(key: tuple[str | None, str]) -> tuple[bool, str, int]:
    actor, measure = key
    return (actor is None, actor or "", MEASURES.index(measure))


def _perpetrators(claim: Claim) -> tuple[str, ...]:
    statement = claim.statement
    return statement.perpetrators if isinstance(statement, Attribution) else ()
