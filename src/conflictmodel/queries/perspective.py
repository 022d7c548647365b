"""Whose account a query answers from: the record's, or a claimant's (or a camp's).

The **default** perspective takes the record's own fields (an event's initiators, its
casualty figures). Where the record has no value on a subject and claims do, it takes what
the claims span: for figures ``low`` is the smallest low and ``high`` the largest high (open if
any is open). When the claims disagree, no figure any of them gave is *the* figure, so
``best`` is unknown unless the query names a rule (``best="lowest" | "highest" | "median"``,
see :func:`span_of`).

``according_to=X`` answers as claimant ``X`` tells it: ``X``'s claims replace the record on
the same subject, ``X``'s additions count, other claimants' claims do not, and events ``X``
denies drop out. ``X`` may be several actors, ``("armenia", "artsakh")``: a camp, whose
claims count together. By default the claims of an actor's parts count as its own (a claim
by ``armenian-army`` is Armenia's account); ``include_parts=False`` counts only the actors
named. A camp none of whose members has made a claim has no account of its own, so the
answer is the default one.

A **dataset** claimant (an actor of kind ``dataset``, as :func:`conflictmodel.linkage.merge`
makes one per merged source) gives a complete account: its answer holds only the events it
reports, with its own figures and perpetrators, never the record's. In the default account a
dataset's figures are alternatives, not additions: they stand in only for an event whose record
has no figures.

Whatever the perspective, only a claimant's current claims count: a later claim on the same
subject supersedes its earlier ones (:mod:`conflictmodel.queries.revisions`), which stay
visible as each figure's ``revises``. Results name every claimant who alleges and who
denies them.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from conflictmodel.actors import ActorKind
from conflictmodel.claims import Attribution, CasualtyFigure, Claim, Occurred, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event
from conflictmodel.quantities import Estimate, sum_of_estimates
from conflictmodel.queries.revisions import Revisions, none_revised
from conflictmodel.queries.subjects import Subject

MEASURES = ("killed", "injured")

BestRule = Literal["lowest", "highest", "median"]
"""How to pick a best figure from claims that disagree; ``None`` leaves it unknown."""

BEST_RULES: tuple[BestRule, ...] = ("lowest", "highest", "median")


def span_of(estimates: Sequence[Estimate], best: BestRule | None = None) -> Estimate:
    """The range several figures span: lowest low, highest high (open if any is open).

    Figures that all agree give that figure. Figures that disagree give no best figure
    unless ``best`` names a rule over the known bests: the ``"lowest"``, the ``"highest"``
    or the ``"median"`` (rounded down). A figure with no best ("dozens", "more than 100")
    states no number to pick and takes no part in the rule; its range still bounds the
    answer. A figure with no floor (:meth:`~conflictmodel.Estimate.best_only`) leaves the
    span without one (and then, without a best either, it states neither, as a sum can).

    >>> import conflictmodel as cm
    >>> figures = [cm.Estimate(10, 12, 15), cm.Estimate(20, 25, None), cm.Estimate.exact(13)]
    >>> span_of(figures)
    Estimate(low=10, best=None, high=None)
    >>> span_of(figures, best="median"), span_of(figures, best="highest")
    (Estimate(low=10, best=13, high=None), Estimate(low=10, best=25, high=None))
    >>> span_of([cm.Estimate.exact(10), cm.Estimate.exact(10)])
    Estimate(low=10, best=10, high=10)
    >>> span_of([cm.Estimate.best_only(10), cm.Estimate(8, 9, 12)], best="highest")
    Estimate(low=None, best=10, high=None)
    >>> span_of([cm.Estimate.best_only(10), cm.Estimate(8, 9, 12)])
    Estimate(low=None, best=None, high=None)
    """
    if not estimates:
        raise ValidationError("span_of() needs at least one estimate")
    if best is not None and best not in BEST_RULES:
        raise ValidationError(
            f"span_of(best={best!r}): expected one of {', '.join(map(repr, BEST_RULES))} or None"
        )
    if all(estimate == estimates[0] for estimate in estimates):
        return estimates[0]
    highs = [estimate.high for estimate in estimates]
    high = None if None in highs else max(h for h in highs if h is not None)
    bests = sorted(estimate.best for estimate in estimates if estimate.best is not None)
    chosen: int | None = None
    if bests and best == "lowest":
        chosen = bests[0]
    elif bests and best == "highest":
        chosen = bests[-1]
    elif bests and best == "median":
        middle = len(bests) // 2
        chosen = bests[middle] if len(bests) % 2 else (bests[middle - 1] + bests[middle]) // 2
    lows = [estimate.low for estimate in estimates]
    low = None if None in lows else min(low for low in lows if low is not None)
    if low is None and chosen is None:
        return sum_of_estimates(0, None, high, floorless=True)
    return Estimate(low, chosen, high)


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

    ``claims`` are the ids of the claims it rests on (empty when it is the record's own),
    ``revises`` those of earlier claims their claimants have since revised; ``alleged_by`` and
    ``denied_by`` name every claimant giving or denying a figure on it.
    """

    event: str
    actor: str | None
    measure: str
    estimate: Estimate
    source: FigureSource
    claims: tuple[str, ...] = ()
    alleged_by: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    revises: tuple[str, ...] = ()

    def __str__(self) -> str:
        who = "unattributed" if self.actor is None else self.actor
        basis = "record" if self.source is FigureSource.RECORD else ", ".join(self.claims)
        revised = f"; revising {', '.join(self.revises)}" if self.revises else ""
        return f"{self.event}: {who} {self.measure} {self.estimate} ({basis}{revised})"


def record_figures(event: Event) -> dict[tuple[str | None, str], Estimate]:
    """The record's own figures of ``event`` by (actor, measure); ``reported_total`` is the
    unattributed killed when no entry gives a killed figure."""
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
    """The default account (``according_to=None``) or the account of a claimant or camp.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> [f.estimate for f in Perspective(ds).figures(ds.events["turkish-airstrike-2020-02-06"])]
    [Estimate(low=15, best=15, high=15)]
    >>> Perspective(ds, "turkey").figures(ds.events["turkish-airstrike-2020-02-06"])
    []
    >>> sorted(Perspective(ds, "syria").camp)
    ['sana', 'syria', 'syrian-army']
    """

    def __init__(
        self,
        ds: Dataset,
        according_to: str | Iterable[str] | None = None,
        *,
        include_parts: bool = True,
        best: BestRule | None = None,
        members_claim: bool | None = None,
    ) -> None:
        self.ds = ds
        asked = (according_to,) if isinstance(according_to, str) else tuple(according_to or ())
        self.asked: tuple[str, ...] = asked
        members = set(asked)
        if include_parts:
            members.update(part for actor in asked for part in ds.actor_descendants(actor))
        self.members = frozenset(members)
        """The actors asked for, with their parts unless ``include_parts=False``."""
        if members_claim is None:
            members_claim = any(ds.claims_by(member) for member in members)
        self.camp: frozenset[str] | None = self.members if members_claim else None
        """The claimants whose claims count; ``None`` in the default account (also when no
        member made a claim; ``members_claim`` says so when ``ds`` does not hold the claims)."""
        self.best = best
        self.complete = complete_account(ds, self.camp)
        """Whether the camp is made of datasets, whose account is their claims alone."""
        self.keeps_initiators = self.camp is None
        """Whether every event's initiators are the record's (:meth:`observed_initiators`)."""
        self._revisions: dict[str, Revisions] = {}

    def counts(self, claim: Claim) -> bool:
        """Whether ``claim`` is part of this account (an unattributed claim never is)."""
        if claim.claimant is None:
            return False
        return self.camp is None or claim.claimant in self.camp

    def speaks_for(self, claimants: Iterable[str]) -> bool:
        """Whether any of ``claimants`` is in this account's camp (never in the default one)."""
        return self.camp is not None and not self.camp.isdisjoint(claimants)

    def event_claims(self, event_id: str) -> list[Claim]:
        """Every claim naming the event, whoever made it."""
        return self.ds.claims_about("events", event_id)

    def revisions(self, event_id: str) -> Revisions:
        """Which claims naming the event are current."""
        if event_id not in self._revisions:
            self._revisions[event_id] = Revisions(self.event_claims(event_id))
        return self._revisions[event_id]

    def current_claims(
        self, event_id: str, saying: type[Occurred | Attribution] | None = None
    ) -> list[Claim]:
        """The claims naming the event that their claimants have not since revised; with
        ``saying``, only those whose statement is of that type and about the event. The
        revisions are worked out only when such a claim is there and a claimant made two
        claims on the event (else none revises another)."""
        every = self.event_claims(event_id)
        claims = every
        if saying is not None:
            claims = [
                claim
                for claim in every
                if isinstance(claim.statement, saying) and claim.statement.event == event_id
            ]
        if not claims or none_revised(every):
            return claims
        revisions = self.revisions(event_id)
        return [claim for claim in claims if revisions.is_current(claim)]

    def event_deniers(self, event_id: str) -> tuple[str, ...]:
        """Claimants who (currently) deny that the event took place."""
        claims = self.current_claims(event_id, Occurred)
        if not claims:
            return ()
        return claimants(claim for claim in claims if claim.stance is Stance.DENIES)

    def includes(self, event_id: str) -> bool:
        """Whether the event is part of this account (the camp does not deny it; a dataset
        claimant reports it)."""
        if self.camp is None:
            return True
        if not self.event_claims(event_id):
            return not self.complete
        if self.complete and not any(
            self.counts(claim) and claim.stance is Stance.ASSERTS
            for claim in self.event_claims(event_id)
        ):
            return False
        return not self.speaks_for(self.event_deniers(event_id))

    def attributions(self, event_id: str, stance: Stance = Stance.ASSERTS) -> list[Claim]:
        """The current attribution claims on the event with this stance that count here."""
        return [
            claim
            for claim in self.current_claims(event_id, Attribution)
            if claim.stance is stance and self.counts(claim)
        ]

    def observed_initiators(self, event: Event) -> tuple[str, ...]:
        """The record's initiators that this account keeps.

        By default all of them. The camp's own attribution replaces them (keeping those it
        also names, or names a group of), and its denials remove the actors denied.
        """
        record = event.initiators if isinstance(event, Engagement) else ()
        if self.complete:
            return tuple(sorted({p for c in self.attributions(event.id) for p in _perpetrators(c)}))
        if self.keeps_initiators or not record:
            return record
        named = {p for c in self.attributions(event.id) for p in _perpetrators(c)}
        if named:
            return tuple(a for a in record if any(self.ds.is_part_of(a, p) for p in named))
        denied = {p for c in self.attributions(event.id, Stance.DENIES) for p in _perpetrators(c)}
        return tuple(a for a in record if a not in denied)

    def perpetrators(self, event: Event) -> tuple[str, ...]:
        """Who carried out the event in this account: the record's initiators it keeps, or,
        where the record names none, those the counted current attributions name."""
        if isinstance(event, Engagement) and event.initiators:
            return self.observed_initiators(event)
        return tuple(sorted({p for c in self.attributions(event.id) for p in _perpetrators(c)}))

    def perpetrator_claimants(self, event: Event) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Who alleges and who denies :meth:`perpetrators` of the event: the claimants of the
        counted attributions they are taken from (none where the record's initiators stand),
        and those of the counted denials naming one of them.

        >>> import conflictmodel as cm
        >>> ds = cm.examples.idlib_2020()
        >>> view = Perspective(ds)
        >>> view.perpetrator_claimants(ds.events["turkish-airstrike-2020-02-06"])
        (('syria',), ())
        >>> view.perpetrator_claimants(ds.events["attack-2020-02-03"])
        ((), ())
        """
        recorded = isinstance(event, Engagement) and bool(event.initiators)
        alleging = () if recorded and self.keeps_initiators else self.attributions(event.id)
        hands = set(self.perpetrators(event))
        denying = [
            claim
            for claim in self.attributions(event.id, Stance.DENIES)
            if not hands.isdisjoint(_perpetrators(claim))
        ]
        return claimants(alleging), claimants(denying)

    def figures(self, event: Event) -> list[Figure]:
        """The casualty figures this account gives for the event, by actor and measure.

        Where no claim names the event, there is nothing to weigh: the record's own figures,
        or none in an account made of datasets' claims alone.
        """
        if not self.event_claims(event.id):
            if self.complete:
                return []
            return [
                Figure(event.id, actor, measure, estimate, FigureSource.RECORD)
                for (actor, measure), estimate in sorted(
                    record_figures(event).items(), key=lambda item: _figure_order(item[0])
                )
            ]
        if not self.includes(event.id):
            return []
        record = {} if self.complete else record_figures(event)
        revisions = self.revisions(event.id)
        asserted: dict[tuple[str | None, str], list[tuple[Claim, Estimate]]] = defaultdict(list)
        denied: dict[tuple[str | None, str], list[Claim]] = defaultdict(list)
        for claim in self.event_claims(event.id):
            statement = claim.statement
            if not isinstance(statement, CasualtyFigure) or statement.event != event.id:
                continue
            for measure, value in (("killed", statement.killed), ("injured", statement.injured)):
                subject = Subject("casualties", (event.id, statement.actor, measure))
                if value is None or not revisions.is_current(claim, subject):
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
            deniers = {c.claimant for c in denied.get(key, []) if c.claimant is not None}
            if not mine and self.speaks_for(deniers):
                continue
            if (
                self.camp is None
                and record
                and key not in record
                and all(
                    c.claimant is not None and is_dataset(self.ds, c.claimant) for c, _ in claims
                )
            ):
                continue
            basis: tuple[str, ...] = ()
            revised: tuple[str, ...] = ()
            if key in record and (self.camp is None or not mine):
                estimate, source = record[key], FigureSource.RECORD
            elif mine:
                estimate = span_of([value for _, value in mine], self.best)
                source, basis = FigureSource.CLAIMS, tuple(sorted(c.id for c, _ in mine))
                subject = Subject("casualties", (event.id, *key))
                revised = tuple(sorted({i for c, _ in mine for i in revisions.history(c, subject)}))
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
                    revises=revised,
                )
            )
        return chosen


def is_dataset(ds: Dataset, actor_id: str) -> bool:
    """Whether the actor is a dataset (a source merged in), whose claims are whole accounts."""
    actor = ds.actors.get(actor_id)
    return actor is not None and actor.kind is ActorKind.DATASET


def complete_account(ds: Dataset, camp: Iterable[str] | None) -> bool:
    """Whether ``camp`` is made of datasets, whose account is their own claims alone."""
    return camp is not None and all(is_dataset(ds, member) for member in camp)


def _figure_order(key: tuple[str | None, str]) -> tuple[bool, str, int]:
    actor, measure = key
    return (actor is None, actor or "", MEASURES.index(measure))


def _perpetrators(claim: Claim) -> tuple[str, ...]:
    statement = claim.statement
    return statement.perpetrators if isinstance(statement, Attribution) else ()
