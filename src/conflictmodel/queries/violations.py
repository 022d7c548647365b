"""Which engagements broke an agreement, observed or alleged, and how sure that is.

A hostile engagement is an **observed** violation by an initiator when the initiator is bound
by the agreement (named on a side, or ``part_of`` an actor that is), at least one target is
bound on another side or is civilians (hostilities with an actor on no side break nothing: a
ceasefire is a commitment among the parties it names, as the ETH/PRIO data records it; a
claimant calling such fighting a breach makes it an alleged violation), the event lies
in the scope (through ``within``; an empty scope is everywhere) and its span meets the
effective span: ``definite`` when it lies inside both, ``possible`` when its span only
overlaps the effective span or its place is known too coarsely to tell whether it lies in
the scope (:meth:`Dataset.placement <conflictmodel.Dataset.placement>`: a clash UCDP places
only to its province is possibly in a district of it). An event placed only to the country a
smaller scope lies in (UCDP ``where_prec`` 6, often a national tally) is not judged: it is
listed in :attr:`Violations.unassessed`. An event with no place lies in no scope.
Interceptions and other defensive acts violate nothing; nor do events that are not
engagements (a :class:`~conflictmodel.Toll`). Actors the agreement ``excluded`` are bound by
nothing: they violate nothing, and hitting them violates nothing (the Syrian ceasefire of
December 2016 left out the Islamic State, whom the parties went on fighting). A bound actor
of an observed violation (the violator, an opponent it hit, a party to a clash) that holds an
excluded actor through ``part_of`` makes the violation only ``possible``: the fighting may
have been that part's (UCDP ascribes the government's fight with Hayat Tahrir al-Sham to
"Syrian insurgents"). A part of a larger event with no initiators of its own (a capture within
an offensive) has the initiators of the event it is part of.

A hostile engagement with no known initiator between parties bound on opposing sides (an
imported clash: UCDP and ACLED never say who fired first) is one observed violation with
``violator=None``: the agreement was broken, who broke it is undetermined; ``parties`` names
the bound actors involved. A clash with no initiator where no party is bound, or all are on one
side, or the others are on no side, is no violation whoever started it, nor is an attack by
someone unknown on actors on no side; any other in-scope, in-span engagement with no known
initiator (an attack on a bound party or on civilians, a clash of a bound party with
civilians) cannot be judged: :attr:`Violations.unassessed` lists them with the reason.

The effective span is cut where the agreement stops being in force (:func:`in_force`): at the
``ended`` date, and the day before an agreement that ``supersedes`` it begins. An event that also
falls to a superseding agreement (in its scope, meeting its span) is that agreement's violation
only, so one strike during three successive truces is one violation.

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
claims were made, and it is never more than ``possible``: nothing dates the breach itself.

Three things are kept apart: *when* (:attr:`Violation.certainty`: the event definitely or
possibly falls in the span, and between bound parties), *who* (:attr:`Violation.who`: known
from the record, alleged by a claimant, or undetermined) and *on what grounds*
(:attr:`Violation.basis`, with ``denied_by``).
Where both an event and a part of it violate, the larger one lists its ``parts`` and is not
:attr:`~Violation.counted`; each part names it in ``part_of``.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020()
>>> found = ceasefire_violations(ds, "idlib-ceasefire-2020")
>>> [(v.violator, v.event, v.certainty.value) for v in found][:3]
... # doctest: +NORMALIZE_WHITESPACE
[('syria', 'idlib-offensive', 'possible'),
 ('turkey', None, 'possible'),
 ('syrian-army', 'attack-2020-02-03', 'definite')]
"""

from __future__ import annotations

import enum
import itertools
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeGuard

import attrs

from conflictmodel._gc import paused_gc
from conflictmodel._html import html_table
from conflictmodel._words import counted
from conflictmodel.actors import ActorKind
from conflictmodel.agreements import Agreement
from conflictmodel.assessments import Grade
from conflictmodel.claims import Attribution, Claim, Stance, Violated
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, EngagementKind, Event
from conflictmodel.places import Placement, PlacePrecision
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.perspective import Perspective, claimants
from conflictmodel.queries.results import Named, frame_of, name_of, names_of
from conflictmodel.queries.revisions import Revisions
from conflictmodel.timespans import Precision, TimeSpan

if TYPE_CHECKING:
    import pandas

    from conflictmodel.tables.store import Tables

_FUNCTION = "ceasefire_violations"

_FRAME_COLUMNS = ["agreement", "violator", "who", "parties", "event", "basis", "certainty"]
_FRAME_COLUMNS += ["alleged_by", "denied_by", "agreement_name", "violator_name", "parties_names"]
_FRAME_COLUMNS += ["alleged_by_names", "denied_by_names", "when", "claims", "counted", "aggregate"]
_FRAME_COLUMNS += ["explanation"]


class Basis(enum.StrEnum):
    """Why something is a violation: the record shows it, or a claimant says so."""

    OBSERVED = "observed"
    ALLEGED = "alleged"


class Certainty(enum.StrEnum):
    """How sure the breach is: the event definitely lies in the effective span and the scope
    between parties the agreement binds, or only possibly (overlapping the span, placed too
    coarsely, no event dating the breach, or a party is a group holding a part the agreement
    leaves out)."""

    DEFINITE = "definite"
    POSSIBLE = "possible"


class Who(enum.StrEnum):
    """Who broke the agreement: the record names the initiator, only a claimant says, or it
    cannot be determined (a clash between bound parties with no known initiator)."""

    KNOWN = "known"
    ALLEGED = "alleged"
    UNDETERMINED = "undetermined"


@attrs.frozen(order=True)
class Allegation:
    """One claim alleging a violation: the ``claim``'s id and ``how`` it covers the event
    (naming it, or one it is part of; or attributing it to the ``perpetrators``)."""

    claim: str
    how: str
    perpetrators: tuple[str, ...] = ()

    def words(self, name: Callable[[str, str], str]) -> str:
        """``"claim <id>, <how>"``, the perpetrators as ``name`` gives them."""
        named = ", ".join(name("actors", actor) for actor in self.perpetrators)
        return f"claim {self.claim}, {self.how}" + (f" {named}" if named else "")


@attrs.frozen
class Grounds:
    """What a :class:`Violation`'s explanation is worded from.

    The agreement's ``effective`` span and ``scope``; the event's ``kind`` and ``place`` (when
    one is named), whether its span lies ``inside`` the effective span (or only overlaps it)
    and whether its place is too ``coarse`` to tell if it lies in the scope; the violator's
    ``side`` (counted from 1) and the ``opponents`` it hit, when observed, with the side each
    is bound on in ``opponent_sides`` (``None``: civilians); and each alleging
    claim's :class:`Allegation`. For a violation with no known violator,
    ``party_sides`` gives the side of each of its ``parties``; ``inherited_from`` names the
    larger event whose initiator an event's part took. ``excluded_parts`` pairs each bound
    actor of an observed violation that holds parts the agreement leaves out with those parts
    (the violation is then only possible).
    """

    effective: TimeSpan
    scope: tuple[str, ...] = ()
    kind: str | None = None
    place: str | None = None
    inside: bool = True
    coarse: bool = False
    side: int | None = None
    opponents: tuple[str, ...] = ()
    opponent_sides: tuple[int | None, ...] = ()
    allegations: tuple[Allegation, ...] = ()
    party_sides: tuple[int, ...] = ()
    inherited_from: str | None = None
    excluded_parts: tuple[tuple[str, tuple[str, ...]], ...] = ()


@attrs.frozen
class Violation:
    """One violation of ``agreement`` by ``violator``, through ``event`` (``None``: unnamed).

    ``violator`` is ``None`` when who broke it is undetermined; ``parties`` holds the bound
    actors involved (the violator alone when it is known). ``basis`` holds
    :attr:`Basis.OBSERVED`, :attr:`Basis.ALLEGED` or both, in that order. ``alleged_by`` and
    ``denied_by`` are claimant ids, ``claims`` the ids of the claims alleging it, ``when`` the
    event's span (or when the claims were made), ``part_of`` the violating event this one is
    part of, ``parts`` the violating events part of this one, ``explanation`` one sentence
    saying why it is a violation, and ``grade`` the event's grade (``None``: ungraded, or no
    event named). ``aggregate`` when the event is an :attr:`~conflictmodel.Event.aggregate`
    of several incidents: the breach is one or more, not one.
    """

    agreement: str
    violator: str | None
    event: str | None
    basis: tuple[Basis, ...]
    certainty: Certainty
    alleged_by: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    when: TimeSpan | None = None
    claims: tuple[str, ...] = ()
    parties: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda self: _alone(self.violator), takes_self=True)
    )
    part_of: str | None = None
    parts: tuple[str, ...] = ()
    grounds: Grounds | None = attrs.field(default=None, eq=False, repr=False)
    grade: Grade | None = None
    aggregate: bool = False

    @property
    def explanation(self) -> str:
        """One sentence saying why it is a violation, worded from :attr:`grounds`."""
        return self._explained(lambda collection, record: record)

    def _explained(self, name: Namer) -> str:
        return "" if self.grounds is None else _explain(self, self.grounds, name)

    @property
    def observed(self) -> bool:
        """Whether the record shows it."""
        return Basis.OBSERVED in self.basis

    @property
    def alleged(self) -> bool:
        """Whether a claimant says so."""
        return Basis.ALLEGED in self.basis

    @property
    def who(self) -> Who:
        """Whether the violator is known from the record, alleged, or undetermined."""
        if self.violator is None:
            return Who.UNDETERMINED
        return Who.KNOWN if self.observed else Who.ALLEGED

    @property
    def counted(self) -> bool:
        """Whether to count it: a violating event counts once, through its violating parts."""
        return not self.parts

    def explain(self, ds: Dataset | None = None) -> str:
        """One sentence: which rule, which span, which scope, which claims; with ``ds``, the
        actors, places and agreement it holds by name (events and claims by id).

        >>> import conflictmodel as cm
        >>> seed = cm.examples.idlib_2020()
        >>> attack = next(
        ...     v for v in cm.ceasefire_violations(seed) if v.event == "attack-2020-02-03"
        ... )
        >>> attack.explain(seed).split(" (")[0]
        'Syrian Arab Army violated Idlib ceasefire through attack-2020-02-03'
        """
        return self._explained(lambda collection, record: name_of(ds, collection, record))

    def __str__(self) -> str:
        return self.explanation


_BASES = {
    (observed, alleged): tuple(
        basis for basis, on in ((Basis.OBSERVED, observed), (Basis.ALLEGED, alleged)) if on
    )
    for observed in (False, True)
    for alleged in (False, True)
}
"""The basis of a violation observed or not, alleged or not."""


def _alone(violator: str | None) -> tuple[str, ...]:
    return () if violator is None else (violator,)


@attrs.frozen
class Unassessed:
    """An engagement in an agreement's scope and span that could not be judged, and why."""

    agreement: str
    event: str
    reason: str
    when: TimeSpan


class Violations(Named, list[Violation]):
    """The violations found, as a list; ``unassessed`` lists the in-scope, in-span engagements
    that could not be judged, ``agreements`` the ids of the agreements checked.

    >>> import conflictmodel as cm
    >>> found = ceasefire_violations(cm.examples.idlib_2020())
    >>> len(found), found.agreements, found.unassessed
    (7, ('idlib-ceasefire-2020',), ())
    >>> found.summary()
    '7 violations of 1 agreement (6 counted once per event and part)'
    """

    def __init__(
        self,
        found: Iterable[Violation] = (),
        *,
        unassessed: Iterable[Unassessed] = (),
        agreements: Iterable[str] = (),
        names: Mapping[str, str] = {},
    ) -> None:
        super().__init__(found)
        self.unassessed = tuple(unassessed)
        self.agreements = tuple(agreements)
        self.names = dict(names)
        """The names of the actors, places and agreements the violations name, by id."""

    def lines(self) -> Iterator[str]:
        """Each violation in one sentence, naming the actors, places and agreement (the events
        and claims by id), in the order of the list.

        >>> import conflictmodel as cm
        >>> found = ceasefire_violations(cm.examples.idlib_2020())
        >>> print(next(found.lines()))  # doctest: +NORMALIZE_WHITESPACE
        Syria possibly violated Idlib ceasefire through idlib-offensive (offensive at Idlib
        Governorate on 2019-12/.., overlapping the effective span 2020-01-12/.., within the
        scope Idlib Governorate): alleged by Turkey (claim turkey-offensive-violates, naming
        idlib-offensive).
        """
        for violation in self:
            yield violation._explained(lambda collection, record: self.names.get(record, record))

    def __str__(self) -> str:
        return "\n".join([self.summary(), *self.lines()])

    def summary(self) -> str:
        """One line: how many violations of how many agreements (how many of them counted,
        and how many through aggregates of several incidents), and how many not judged."""
        if not self.agreements:
            return "no ceasefire, truce or de-escalation agreement to check"
        checked = counted(len(self.agreements), "agreement")
        if self:
            line = f"{counted(len(self), 'violation')} of {checked}"
            once, aggregates = sum(v.counted for v in self), sum(v.aggregate for v in self)
            notes = [f"{once:,} counted once per event and part"] if once != len(self) else []
            if aggregates:
                notes.append(f"{aggregates:,} through aggregates of several incidents each")
            if notes:
                line += f" ({'; '.join(notes)})"
        else:
            line = f"no violations found of {checked}"
        if self.unassessed:
            line += (
                f"; {counted(len(self.unassessed), 'engagement')} in scope could not be assessed"
            )
        return line

    def to_frame(self) -> pandas.DataFrame:
        """One row per violation, its fields as columns (ids joined by "; "), with their
        names, ``who``, ``counted`` and the ``explanation`` by name (:meth:`lines`)."""
        rows = (
            {
                "agreement": v.agreement,
                "violator": v.violator,
                "who": v.who.value,
                "parties": "; ".join(v.parties) or None,
                "event": v.event,
                "basis": "; ".join(b.value for b in v.basis),
                "certainty": v.certainty.value,
                "alleged_by": "; ".join(v.alleged_by) or None,
                "denied_by": "; ".join(v.denied_by) or None,
                "agreement_name": self._named([v.agreement]),
                "violator_name": None if v.violator is None else self._named([v.violator]),
                "parties_names": self._named(v.parties, "; ") or None,
                "alleged_by_names": self._named(v.alleged_by, "; ") or None,
                "denied_by_names": self._named(v.denied_by, "; ") or None,
                "when": None if v.when is None else str(v.when),
                "claims": "; ".join(v.claims) or None,
                "counted": v.counted,
                "aggregate": v.aggregate,
                "explanation": explanation or None,
            }
            for v, explanation in zip(self, self.lines(), strict=True)
        )
        frame: pandas.DataFrame = frame_of(rows, _FRAME_COLUMNS, "Violations.to_frame()")
        return frame

    def _repr_html_(self) -> str:
        rows = (
            (
                v.when,
                self._named([v.agreement]),
                self._named([v.violator])
                if v.violator is not None
                else f"undetermined: {self._named(v.parties)}",
                v.event,
                ", ".join(b.value for b in v.basis),
                v.certainty.value,
                self._named(v.alleged_by),
                self._named(v.denied_by),
            )
            for v in self
        )
        headers = ["when", "agreement", "violator", "event", "basis", "certainty"]
        headers += ["alleged by", "denied by"]
        return html_table(self.summary(), headers, rows, total=len(self))


@attrs.define
class _Draft:
    violator: str | None
    event: Event | None
    observed: bool = False
    alleging: list[tuple[Claim, Allegation]] = attrs.field(factory=list)
    counted: bool = False
    parties: tuple[str, ...] = ()
    inherited_from: str | None = None
    opponents: tuple[str, ...] = ()


class _Sides:
    """Which side of one agreement each actor is on (``None``: not bound), and what an
    engagement's initiators and targets make of it, each worked out once per dataset,
    agreement and actors (:func:`_resolved` keeps it): the many events of a large dataset
    share a few combinations of actors."""

    def __init__(self, ds: Dataset, agreement: Agreement) -> None:
        self._dataset, self.agreement = weakref.ref(ds), agreement
        self._known: dict[str, int | None] = {}
        self._left_out: set[str] = set()
        self._civilians: set[str] = set()
        self._parts_left_out: dict[str, tuple[str, ...]] = {}
        self._hit: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self._unattributed: dict[tuple[tuple[str, ...], bool], _Unattributed] = {}

    def __call__(self, actor: str) -> int | None:
        try:
            return self._known[actor]
        except KeyError:
            side = self._known[actor] = self._side(actor)
            return side

    def _side(self, actor: str) -> int | None:
        ds = _alive(self._dataset)
        lineage = (actor, *ds.actor_ancestors(actor))
        excluded = self.agreement.excluded
        if any(member in excluded for member in lineage):
            self._left_out.add(actor)
            return None
        if ds.actors[actor].kind is ActorKind.CIVILIANS:
            self._civilians.add(actor)
            return None
        for member in lineage:
            side = self.agreement.side_of(member)
            if side is not None:
                return side
        return None

    def excluded(self, actor: str) -> bool:
        """Whether the agreement leaves ``actor`` out (it, or a group it is part of, is
        ``excluded``): it breaks nothing, and hitting it breaks nothing."""
        self(actor)
        return actor in self._left_out

    def excluded_parts(self, actor: str) -> tuple[str, ...]:
        """The actors ``part_of`` ``actor`` (at any depth) that the agreement leaves out, when
        ``actor`` itself is bound: fighting ascribed to such a group (UCDP's "Syrian
        insurgents", which holds Hayat Tahrir al-Sham when the dataset says so) may have been
        that part's, which breaks nothing. Worked out once per actor."""
        found = self._parts_left_out.get(actor)
        if found is None:
            ds = _alive(self._dataset)
            found = self._parts_left_out[actor] = (
                ()
                if self(actor) is None
                else tuple(part for part in ds.actor_descendants(actor) if self.excluded(part))
            )
        return found

    def bound(self, actors: tuple[str, ...]) -> tuple[str, ...]:
        """The bound ones of ``actors``, sorted."""
        return tuple(sorted({actor for actor in actors if self(actor) is not None}))

    def opposed(self, actors: tuple[str, ...]) -> bool:
        """Whether ``actors`` are on more than one side."""
        return len(actors) > 1 and len({self(actor) for actor in actors}) > 1

    def civilians(self, actor: str) -> bool:
        """Whether ``actor`` is civilians (whom every party is bound not to attack), not left
        out of the agreement: never bound, but never fair game."""
        self(actor)
        return actor in self._civilians

    def opponents(self, event: Engagement, actor: str) -> tuple[str, ...]:
        """The targets of ``event`` bound on another side than ``actor``'s, and civilians:
        hostilities with actors outside the agreement break nothing."""
        side = self(actor)
        return tuple(t for t in event.targets if self.civilians(t) or self(t) not in (None, side))

    def hit(self, actor: str, event: Engagement) -> tuple[str, ...]:
        """The :meth:`opponents` ``actor`` hit in ``event`` if it is bound (``()``: it
        violated nothing), worked out once per actor and targets."""
        key = (actor, event.targets)
        found = self._hit.get(key)
        if found is None:
            found = self._hit[key] = () if self(actor) is None else self.opponents(event, actor)
        return found

    def unattributed(self, event: Engagement) -> _Unattributed:
        """What ``event``, an engagement with no known initiator, is: an observed violation
        by undetermined ``parties`` (bound on opposing sides), an engagement that cannot be
        judged (with the ``reason``), or neither; worked out once per targets and kind."""
        key = (event.targets, _clash(event))
        found = self._unattributed.get(key)
        if found is None:
            found = self._unattributed[key] = self._judge_unattributed(*key)
        return found

    def _judge_unattributed(self, targets: tuple[str, ...], clash: bool) -> _Unattributed:
        if not targets:
            return _Unattributed(reason="no actors: neither initiator nor target is known")
        parties = self.bound(targets)
        if self.opposed(parties):
            return _Unattributed(parties=parties)
        civilians = [t for t in targets if self.civilians(t)]
        if clash and not (parties and civilians):
            return _Unattributed()
        if not (parties or civilians):
            return _Unattributed()
        others = ", ".join(civilians)
        if not parties:
            return _Unattributed(reason=f"initiator unknown; it hit civilians ({others})")
        side = (self(parties[0]) or 0) + 1
        if clash:
            return _Unattributed(
                reason=f"who started the clash is unknown; {', '.join(parties)} (side {side}) "
                f"fought civilians ({others})"
            )
        return _Unattributed(
            reason=f"initiator unknown; the targets bound are on side {side} ({', '.join(parties)})"
        )


@attrs.frozen
class _Unattributed:
    """What an engagement with no known initiator is (:meth:`_Sides.unattributed`)."""

    parties: tuple[str, ...] | None = None
    reason: str | None = None


def _named(ds: Dataset, event: Event) -> bool:
    """Whether a claim names ``event``."""
    return bool(ds.claims_about("events", event.id))


def _hostile(event: Event) -> TypeGuard[Engagement]:
    return isinstance(event, Engagement) and event.kind.is_hostile


def _clash(event: Event) -> bool:
    """Whether one of the event's targets started it: an armed clash with no initiator."""
    return isinstance(event, Engagement) and event.kind is EngagementKind.ARMED_CLASH


def _successors(ds: Dataset) -> dict[str, list[Agreement]]:
    found: dict[str, list[Agreement]] = defaultdict(list)
    for agreement in ds.agreements.values():
        for replaced in agreement.supersedes:
            found[replaced].append(agreement)
    return found


def _superseding(ds: Dataset, agreement: Agreement) -> list[Agreement]:
    """Every agreement that supersedes ``agreement``, directly or through others."""
    successors = _successors(ds)
    found: dict[str, Agreement] = {}
    waiting = [agreement.id]
    while waiting:
        for successor in successors.get(waiting.pop(), ()):
            if successor.id not in found and successor.id != agreement.id:
                found[successor.id] = successor
                waiting.append(successor.id)
    return list(found.values())


def in_force(ds: Dataset | Tables, agreement: str | Agreement) -> TimeSpan | None:
    """The span in which ``agreement`` is in force: its effective span, ended at its
    ``ended`` date and where an agreement superseding it begins (the day, or the minute, before
    it) (``None``: never).

    >>> import conflictmodel as cm
    >>> truce = cm.Agreement(id="a", name="A", kind="truce", signed=None,
    ...     effective="2020-10-10/..", signatories=["x"], sides=[["x"], ["y"]])
    >>> later = cm.Agreement(id="b", name="B", kind="truce", signed=None,
    ...     effective="2020-10-17/..", signatories=["x"], sides=[["x"], ["y"]], supersedes=["a"])
    >>> people = [cm.Actor(id=i, name=i, kind="state") for i in "xy"]
    >>> in_force(cm.Dataset([*people, truce, later]), "a")
    when('2020-10-10/2020-10-16')

    ``ds`` may also be tables opened with :func:`conflictmodel.tables.open`.
    """
    tables = _arguments.engine_tables(ds)
    ds = _arguments.dataset("in_force", ds if tables is None else tables.dimensions)
    if not isinstance(agreement, Agreement):
        agreement = _arguments.agreement("in_force", ds, agreement)
    span: TimeSpan | None = agreement.effective
    if span is not None and agreement.ended is not None and agreement.ended.when is not None:
        span = span.ending_with(agreement.ended.when)
    for successor in _successors(ds).get(agreement.id, ()):
        if span is not None and successor.effective.start is not None:
            span = span.ending_before(successor.effective)
    return span


def scope_places(ds: Dataset, agreement: Agreement) -> set[str] | None:
    """The places an event may be recorded at to lie, surely or possibly, in ``agreement``'s
    scope: each area of it, every place within one, and every place one lies within (an event
    known only to its province may be in any district of it); ``None``: the agreement has no
    scope, and every place is in it. The check selects its events with it, and so do the
    engines (:func:`conflictmodel.tables.queries.violation_candidates`).

    >>> import conflictmodel as cm
    >>> from conflictmodel.queries.violations import scope_places
    >>> seed = cm.examples.idlib_2020()
    >>> sorted(scope_places(seed, seed.agreements["idlib-ceasefire-2020"]))
    ['idlib', 'idlib-governorate', 'saraqeb', 'syria']
    """
    if not agreement.scope:
        return None
    return {
        place
        for area in agreement.scope
        for place in (area, *ds.location_descendants(area), *ds.location_ancestors(area))
    }


_COUNTRYWIDE = "placed only to the country, too coarsely to tell whether within the scope"


def _countrywide(event: Event, placed: Placement) -> bool:
    """Whether ``event``, possibly in a scope, is placed only to a country (UCDP
    ``where_prec`` 6 and 7, often a national tally): too coarsely to judge it against a
    smaller scope."""
    precision = event.where_precision
    return (
        placed is Placement.POSSIBLY
        and precision is not None
        and precision.rank >= PlacePrecision.COUNTRY.rank
    )


def _placement(ds: Dataset, event: Event, agreement: Agreement) -> Placement:
    """Where ``event`` stands to ``agreement``'s scope: inside (any event, when it has no
    scope), possibly, or outside (also an event with no place)."""
    if not agreement.scope:
        return Placement.INSIDE
    if event.where is None:
        return Placement.OUTSIDE
    found = {ds.placement(event.id, area) for area in agreement.scope}
    for placed in (Placement.INSIDE, Placement.POSSIBLY):
        if placed in found:
            return placed
    return Placement.OUTSIDE


def _covered(
    ds: Dataset, events: Mapping[str, Engagement], named: tuple[str, ...]
) -> list[tuple[Engagement, str]]:
    """Which of ``events`` a claim naming the events ``named`` covers (each named one and every
    event part of one, if hostile), each once, with how the claim covers it."""
    found: dict[str, tuple[Engagement, str]] = {}
    for event_id in named:
        for part in (event_id, *ds.event_parts(event_id)):
            event = events.get(part)
            if event is not None and _hostile(event) and part not in found:
                how = f"naming {event_id}" + ("" if part == event_id else ", of which it is part")
                found[part] = (event, how)
    return list(found.values())


@attrs.frozen
class _Selection:
    """The events an agreement's check looks at (:meth:`_Resolved.selected`; also
    ``by_id``), with what the rules read of them that is the same in every account: the ids
    of those lying ``inside`` the span checked, and of those placed too coarsely to tell
    whether they lie in the scope (``coarse``); the ``countrywide`` ones, placed only to a
    country a smaller scope lies in, which are left unjudged; by event (by time), each
    current attribution claim on it with the perpetrators it denies or pins a hit on
    (``attributions``), the claimants currently denying it took place (``deniers``, where
    some do) and the events selected part of it (``parts``, where some are); each event by
    time with what it would be with no known initiator and whom each of its record's
    initiators hit off their side (``sides``, :meth:`_Sides.unattributed`,
    :meth:`_Sides.hit`); and by claim id, the events each current ``Violated`` claim about
    the agreement covers (``covered``)."""

    events: list[Engagement]
    inside: frozenset[str]
    coarse: frozenset[str]
    countrywide: list[Engagement]
    attributions: dict[str, list[tuple[Claim, str]]]
    deniers: dict[str, tuple[str, ...]]
    covered: dict[str, list[tuple[Engagement, str]]]
    sides: list[tuple[Engagement, _Unattributed, dict[str, tuple[str, ...]]]]
    parts: dict[str, tuple[str, ...]]
    by_id: dict[str, Engagement] = attrs.field(
        init=False, default=attrs.Factory(lambda self: {e.id: e for e in self.events}, True)
    )


class _Resolved:
    """What checking one agreement on one dataset reuses from query to query (the dataset
    never changes): the sides, the agreements superseding it with the spans they are in
    force, the events :meth:`selected` for the last few spans and periods checked, and the
    current ``Violated`` claims about the agreement. Kept with the dataset
    (:meth:`Dataset.cached`)."""

    _KEPT = 8

    def __init__(self, ds: Dataset, agreement: Agreement) -> None:
        self._dataset, self.agreement = weakref.ref(ds), agreement
        self.side = _Sides(ds, agreement)
        self.later = [
            (a, span) for a in _superseding(ds, agreement) if (span := in_force(ds, a)) is not None
        ]
        self._selected: dict[tuple[TimeSpan, TimeSpan | None], _Selection] = {}
        claims = ds.claims_about("agreements", agreement.id)
        revisions = Revisions(claims)
        self.violated = [
            claim
            for claim in claims
            if isinstance(claim.statement, Violated)
            and claim.statement.agreement == agreement.id
            and revisions.is_current(claim)
        ]
        """The current ``Violated`` claims about the agreement."""

    def selected(self, span: TimeSpan, period: TimeSpan | None) -> _Selection:
        """The events the rules can judge when the agreement is checked over ``span`` and
        ``period``, whoever's account is followed: the hostile engagements in the scope meeting
        both, but those that fall to an agreement superseding this one and those that no rule
        can reach (initiators all unbound, named by no claim, part of no event).

        Each account keeps the record's initiators or some of them, or takes those a claim on
        the event names, so an event left out is judged by none."""
        key = (span, period)
        found = self._selected.get(key)
        if found is None:
            if len(self._selected) >= self._KEPT:
                del self._selected[next(iter(self._selected))]
            found = self._selected[key] = self._select(span, period)
        return found

    def _select(self, span: TimeSpan, period: TimeSpan | None) -> _Selection:
        ds, agreement = _alive(self._dataset), self.agreement
        places = scope_places(ds, agreement)
        if places is None:
            events = ds.events_during(span)
        else:
            events = [e for e in ds.events_at(places) if e.when.meets(span)]
        by_place: dict[tuple[str | None, str | None], Placement] = {}
        for e in events:
            key = (e.where, e.where_precision)
            if key not in by_place:
                by_place[key] = _placement(ds, e, agreement)
        placed = {e.id: by_place[e.where, e.where_precision] for e in events}
        judged = [
            e
            for e in events
            if _hostile(e)
            and placed[e.id] is not Placement.OUTSIDE
            and (period is None or e.when.meets(period))
            and self.reachable(e.initiators, e.part_of, _named(ds, e))
            and not any(
                e.when.meets(s) and _placement(ds, e, a) is not Placement.OUTSIDE
                for a, s in self.later
            )
        ]
        judged.sort(key=_by_time)
        selected = [e for e in judged if not _countrywide(e, placed[e.id])]
        record = Perspective(ds)
        claimed = [e.id for e in selected if _named(ds, e)]
        by_id = {e.id: e for e in selected}
        covered = {
            claim.id: _covered(ds, by_id, claim.statement.events)
            for claim in self.violated
            if isinstance(claim.statement, Violated) and claim.statement.events
        }
        return _Selection(
            selected,
            inside=frozenset(e.id for e in selected if span.contains(e.when)),
            coarse=frozenset(e.id for e in selected if placed[e.id] is Placement.POSSIBLY),
            countrywide=[e for e in judged if _countrywide(e, placed[e.id])],
            attributions={
                i: pinned
                for i in claimed
                if (pinned := self.pinned(by_id[i], record.current_claims(i, Attribution)))
            },
            deniers={i: deniers for i in claimed if (deniers := record.event_deniers(i))},
            covered=covered,
            sides=[
                (e, self.side.unattributed(e), {a: self.side.hit(a, e) for a in e.initiators})
                for e in selected
            ],
            parts={
                e.id: parts
                for e in selected
                if (parts := tuple(p for p in ds.event_parts(e.id) if p in by_id))
            },
        )

    def pinned(self, event: Engagement, claims: list[Claim]) -> list[tuple[Claim, str]]:
        """Each of the attribution ``claims`` on ``event`` with each perpetrator it denies or
        pins a hit on (the others say nothing of the agreement)."""
        return [
            (claim, actor)
            for claim in claims
            if isinstance(claim.statement, Attribution)
            for actor in claim.statement.perpetrators
            if claim.stance is Stance.DENIES or self.side.hit(actor, event)
        ]

    def reachable(self, initiators: Sequence[str], part_of: str | None, named: bool) -> bool:
        """See :func:`reachable`."""
        return (
            not initiators
            or part_of is not None
            or named
            or any(self.side(actor) is not None for actor in initiators)
        )


def reachable(
    ds: Dataset, agreement: Agreement
) -> Callable[[Sequence[str], str | None, bool], bool]:
    """Whether a rule of ``agreement``'s check can reach a hostile engagement of ``ds``, given
    its record's ``initiators``, ``part_of`` and ``named`` (whether a claim names it): one
    with no initiators, one part of another event (whose initiators it may take), one a claim
    names (which may name other perpetrators) or one with an initiator the agreement binds.
    Each account keeps the record's initiators or some of them, or takes those a claim on the
    event names, so an event no rule reaches is judged by none. The check selects its events
    with it, and so do the engines
    (:func:`conflictmodel.tables.queries.violation_candidates`).

    >>> import conflictmodel as cm
    >>> from conflictmodel.queries.violations import reachable
    >>> ds = cm.examples.idlib_2020()
    >>> can_reach = reachable(ds, ds.agreements["idlib-ceasefire-2020"])
    >>> can_reach(["hts"], None, False), can_reach(["hts"], None, True)
    (False, True)
    >>> can_reach(["turkey"], None, False), can_reach([], None, False)
    (True, True)
    """
    return _resolved(ds, agreement).reachable


def _alive(dataset: weakref.ref[Dataset]) -> Dataset:
    """The dataset a :class:`_Resolved` is kept with (held weakly, so that keeping it makes no
    reference cycle: a dataset dropped is freed at once)."""
    ds = dataset()
    if ds is None:
        raise RuntimeError("an agreement's resolved sides outlived their dataset")
    return ds


def _by_time(event: Event) -> tuple[tuple[int, int], str]:
    return event.when.sort_key, event.id


def _resolved(ds: Dataset, agreement: Agreement) -> _Resolved:
    """The :class:`_Resolved` of ``agreement``, kept with the dataset."""
    kept: dict[Agreement, _Resolved] = ds.cached("violations.agreements", lambda _: {})
    found = kept.get(agreement)
    if found is None:
        found = kept[agreement] = _Resolved(ds, agreement)
    return found


class _Finder:
    """The violations of one agreement from one perspective."""

    def __init__(
        self,
        ds: Dataset,
        view: Perspective,
        agreement: Agreement,
        span: TimeSpan,
        period: TimeSpan | None,
    ) -> None:
        self.ds, self.view, self.agreement, self.period = ds, view, agreement, period
        self.effective = span
        self.resolved = resolved = _resolved(ds, agreement)
        self.side = resolved.side
        self.selection = resolved.selected(span, period)
        self.events: Mapping[str, Engagement] = self.selection.by_id
        if view.camp is not None:
            self.events = {e.id: e for e in self.selection.events if view.includes(e.id)}
        self.drafts: dict[tuple[str | None, str | None], _Draft] = {}
        self.unknown: list[tuple[Engagement, str]] = []
        self.observed_by_event: dict[str, list[str]] = defaultdict(list)
        self.denials: dict[str | None, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def draft(self, violator: str | None, event: Event | None) -> _Draft:
        key = (violator, None if event is None else event.id)
        if key not in self.drafts:
            self.drafts[key] = _Draft(violator, event, parties=_alone(violator))
        return self.drafts[key]

    def initiators(self, event: Event) -> tuple[tuple[str, ...], str | None]:
        """The initiators this account keeps, or those of the nearest larger event that has
        some (with its id)."""
        own = self.view.observed_initiators(event)
        if own or event.part_of is None:
            return own, None
        whole = event
        seen = {event.id}
        while not own and whole.part_of is not None and whole.part_of not in seen:
            whole = self.ds.events[whole.part_of]
            seen.add(whole.id)
            own = self.view.observed_initiators(whole)
        return own, None if whole is event else whole.id

    def observe(self) -> None:
        for event in self.selection.countrywide:
            if self.view.camp is None or self.view.includes(event.id):
                self.unknown.append((event, _COUNTRYWIDE))
        hit, draft_of, events = self.side.hit, self.draft, self.events
        keeps, observed_by_event = self.view.keeps_initiators, self.observed_by_event
        everything = events is self.selection.by_id
        for event, judged, known in self.selection.sides:
            if not (everything or event.id in events):
                continue
            initiators = event.initiators if keeps else self.view.observed_initiators(event)
            whole = None
            if not initiators and event.part_of is not None:
                initiators, whole = self.initiators(event)
            if not initiators:
                if judged.parties is not None:
                    draft = draft_of(None, event)
                    draft.observed, draft.parties = True, judged.parties
                elif judged.reason is not None:
                    self.unknown.append((event, judged.reason))
                continue
            for actor in initiators:
                opponents = known[actor] if actor in known else hit(actor, event)
                if opponents:
                    draft = draft_of(actor, event)
                    draft.observed, draft.inherited_from = True, whole
                    draft.opponents = opponents
                    observed_by_event[event.id].append(actor)

    def covered(self, violator: str, event: Event) -> list[str]:
        """The observed violators of ``event`` an allegation against ``violator`` covers."""
        return [
            actor
            for actor in self.observed_by_event.get(event.id, ())
            if self.ds.is_part_of(actor, violator)
        ]

    def allege(
        self, claim: Claim, violator: str, event: Event | None, how: str, *perpetrators: str
    ) -> None:
        counts = self.view.counts(claim)
        actors = [] if event is None else self.covered(violator, event)
        if not actors and self.side(violator) is None:
            return
        for actor in actors or [violator]:
            draft = self.draft(actor, event)
            draft.alleging.append((claim, Allegation(claim.id, how, perpetrators)))
            draft.counted = draft.counted or counts

    def deny(self, claimant: str, violator: str, event_ids: Iterable[str | None]) -> None:
        for event_id in event_ids:
            self.denials[event_id][violator].add(claimant)

    def read_violated_claims(self) -> None:
        covered_by, everything = self.selection.covered, self.events is self.selection.by_id
        for claim in self.resolved.violated:
            statement = claim.statement
            if not isinstance(statement, Violated):
                continue
            covered = covered_by.get(claim.id, [])
            if not everything:
                covered = [(event, how) for event, how in covered if event.id in self.events]
            if statement.events and not covered:
                continue
            if claim.stance is Stance.DENIES:
                ids: list[str | None] = [e.id for e, _ in covered] if statement.events else [None]
                for violator in statement.violators:
                    self.deny(claim.claimant_label, violator, ids)
                continue
            for violator in statement.violators:
                if not statement.events:
                    self.allege(claim, violator, None, "naming no event")
                for event, how in covered:
                    self.allege(claim, violator, event, how)

    def read_attributions(self) -> None:
        for event_id, pinned in self.selection.attributions.items():
            event = self.events.get(event_id)
            if event is None:
                continue
            for claim, actor in pinned:
                statement = claim.statement
                if claim.stance is Stance.DENIES:
                    self.deny(claim.claimant_label, actor, [event.id])
                elif isinstance(statement, Attribution):
                    how = "attributing the event to"
                    self.allege(claim, actor, event, how, *statement.perpetrators)

    def denied_by(self, violator: str | None, event: Event | None) -> tuple[str, ...]:
        deniers = () if event is None else self.selection.deniers.get(event.id, ())
        if violator is None or not self.denials:
            return deniers
        found: set[str] = set()
        for denied_event in (None,) if event is None else (None, event.id):
            against = self.denials.get(denied_event)
            for denied, who in against.items() if against else ():
                if self.ds.is_part_of(violator, denied):
                    found |= who
        return tuple(sorted(found.union(deniers))) if found else deniers

    def violations(self) -> tuple[list[Violation], list[Unassessed]]:
        """The violations found, and the engagements that could not be judged, by time
        (:meth:`_Resolved.selected` gives the events in that order)."""
        self.observe()
        self.read_violated_claims()
        self.read_attributions()
        own_account = {
            d.event.id
            for d in self.drafts.values()
            if d.event is not None and d.counted and self.view.camp is not None
        }
        found = []
        for draft in self.drafts.values():
            if not (draft.observed or draft.counted):
                continue
            if draft.violator is None and draft.event is not None and draft.event.id in own_account:
                continue
            violation = self.finish(draft)
            if violation is not None:
                found.append(violation)
        judged = {v.event for v in found}
        unassessed = [
            Unassessed(self.agreement.id, event.id, reason, event.when)
            for event, reason in self.unknown
            if event.id not in judged
        ]
        return self.linked(found), unassessed

    def linked(self, found: list[Violation]) -> list[Violation]:
        """``found`` with each violation linked to the violating events it is part of or
        holds."""
        events, selected, parts_of = self.ds.events, self.selection.by_id, self.selection.parts
        violating = {v.event for v in found if v.event is not None}
        linked = []
        for violation in found:
            if violation.event is None:
                linked.append(violation)
                continue
            parts = parts_of.get(violation.event, ())
            if parts:
                parts = tuple(p for p in parts if p in violating)
            whole = selected[violation.event].part_of
            while whole is not None and whole not in violating:
                whole = events[whole].part_of
            if parts or whole is not None:
                violation = attrs.evolve(violation, parts=parts, part_of=whole)
            linked.append(violation)
        return linked

    def finish(self, draft: _Draft) -> Violation | None:
        event, claims = draft.event, _alleging_claims(draft)
        denied_by = self.denied_by(draft.violator, event)
        if denied_by and self.view.speaks_for(denied_by):
            return None
        if event is not None:
            span: TimeSpan | None = event.when
            inside = event.id in self.selection.inside and event.id not in self.selection.coarse
        else:
            made = [c.made for c in claims]
            if self.period is not None and not any(m is None or m.meets(self.period) for m in made):
                return None
            span = _hull([m for m in made if m is not None])
            inside = False
        grounds = self.grounds(draft)
        return Violation(
            agreement=self.agreement.id,
            violator=draft.violator,
            event=None if event is None else event.id,
            basis=_BASES[(draft.observed, bool(claims))],
            certainty=(
                Certainty.DEFINITE if inside and not grounds.excluded_parts else Certainty.POSSIBLE
            ),
            alleged_by=claimants(claims) if claims else (),
            denied_by=denied_by,
            when=span,
            claims=tuple([c.id for c in claims]) if claims else (),
            parties=draft.parties,
            grounds=grounds,
            aggregate=event is not None and event.aggregate,
        )

    def grounds(self, draft: _Draft) -> Grounds:
        """The facts the explanation of ``draft``'s violation is worded from."""
        event, side = draft.event, None
        opponents: tuple[str, ...] = ()
        party_sides: tuple[int, ...] = ()
        if draft.observed and event is not None and draft.violator is not None:
            opponents = draft.opponents
            side = (self.side(draft.violator) or 0) + 1
        if draft.observed and draft.violator is None:
            party_sides = tuple([(self.side(p) or 0) + 1 for p in draft.parties])
        involved = (*_alone(draft.violator), *opponents, *draft.parties) if draft.observed else ()
        excluded_parts = tuple(
            (actor, parts)
            for actor in dict.fromkeys(involved)
            for parts in [self.side.excluded_parts(actor)]
            if parts
        )
        kind = None
        if event is not None:
            kind = event.kind.value if isinstance(event, Engagement) else type(event).__name__
        return Grounds(
            effective=self.effective,
            scope=self.agreement.scope,
            kind=kind,
            place=None if event is None else event.where,
            inside=event is not None and event.id in self.selection.inside,
            coarse=event is not None and event.id in self.selection.coarse,
            side=side,
            opponents=opponents,
            opponent_sides=tuple(
                None if (bound := self.side(o)) is None else bound + 1 for o in opponents
            ),
            allegations=_allegations(draft.alleging) if draft.alleging else (),
            party_sides=party_sides,
            inherited_from=draft.inherited_from if draft.observed else None,
            excluded_parts=excluded_parts,
        )


Namer = Callable[[str, str], str]
"""The text shown for a record: ``(collection, id)`` to its name, or the id itself."""


def _explain(violation: Violation, grounds: Grounds, name: Namer) -> str:
    """One sentence: which rule, which span, which scope, which claims; the actors, places
    and agreement as ``name`` gives them."""

    def actors(ids: Iterable[str]) -> str:
        return ", ".join(name("actors", actor) for actor in ids)

    if violation.event is None:
        made = "at an unknown time" if violation.when is None else str(violation.when)
        where = (
            f"through no named event (claims made {made}; the effective span is "
            f"{grounds.effective}, and nothing dates the breach itself)"
        )
    else:
        place = f" at {name('locations', grounds.place)}" if grounds.place else ""
        where = f"through {violation.event} ({grounds.kind}{place} on {violation.when}"
        if violation.aggregate:
            where += ", an aggregate of several incidents"
        relation = "inside" if grounds.inside else "overlapping"
        where += f", {relation} the effective span {grounds.effective}"
        scope = ", ".join(name("locations", area) for area in grounds.scope)
        if not scope:
            where += ", which has no limit in space)"
        elif grounds.coarse:
            where += f", placed too coarsely to tell whether within the scope {scope})"
        else:
            where += f", within the scope {scope})"
    reasons = []
    if grounds.party_sides:
        sides = zip(violation.parties, grounds.party_sides, strict=True)
        listed = "; ".join(f"{actors([party])} on side {side}" for party, side in sides)
        reasons.append(f"observed between parties bound on opposing sides ({listed})")
    if grounds.side is not None:
        hit = ", ".join(
            f"{actors([opponent])} ({'civilians' if side is None else f'side {side}'})"
            for opponent, side in zip(grounds.opponents, grounds.opponent_sides, strict=True)
        )
        inherited = (
            ""
            if grounds.inherited_from is None
            else f" (initiator of {grounds.inherited_from}, of which this is part)"
        )
        reasons.append(
            f"observed, as {actors(_alone(violation.violator))}{inherited} is bound on side "
            f"{grounds.side} and hit {hit}"
        )
    for group, parts in grounds.excluded_parts:
        verb = "is" if len(parts) == 1 else "are"
        reasons.append(
            f"possibly not a breach: {actors(parts)}, which the agreement leaves out, {verb} "
            f"part of {actors([group])}, and the fighting may have been theirs"
        )
    if grounds.allegations:
        reasons.append(
            f"alleged by {actors(violation.alleged_by)} "
            f"({'; '.join(allegation.words(name) for allegation in grounds.allegations)})"
        )
    if violation.denied_by:
        reasons.append(f"denied by {actors(violation.denied_by)}")
    possibly = "possibly " if violation.certainty is Certainty.POSSIBLE else ""
    who = actors(_alone(violation.violator)) or "an undetermined party"
    agreement = name("agreements", violation.agreement)
    return f"{who} {possibly}violated {agreement} {where}: {'; '.join(reasons)}."


def _allegations(alleging: list[tuple[Claim, Allegation]]) -> tuple[Allegation, ...]:
    """Each allegation once, sorted."""
    return tuple(sorted({allegation for _, allegation in alleging}))


def _id(claim: Claim) -> str:
    return claim.id


def _alleging_claims(draft: _Draft) -> list[Claim]:
    """The claims alleging ``draft``'s violation, each once, by id."""
    if not draft.alleging:
        return []
    return sorted({c.id: c for c, _ in draft.alleging}.values(), key=_id)


def _hull(spans: list[TimeSpan]) -> TimeSpan | None:
    if not spans:
        return None
    if all(span == spans[0] for span in spans):
        return spans[0]
    starts = [span.start for span in spans]
    ends = [span.end for span in spans]
    days = [day for day in (*starts, *ends) if day is not None]
    start = None if None in starts else min(days)
    end = None if None in ends else max(days)
    return TimeSpan(start, end, Precision.DAY)


_LAST = (2**64, 2**64)


def _order(violation: Violation) -> tuple[tuple[int, int], str, str, str]:
    when = _LAST if violation.when is None else violation.when.sort_key
    return (when, violation.agreement, violation.event or "", violation.violator or "")


def _unassessed_order(entry: Unassessed) -> tuple[tuple[int, int], str, str]:
    return (entry.when.sort_key, entry.agreement, entry.event)


def violations_over(
    ds: Dataset, view: Perspective, agreement: Agreement, span: TimeSpan
) -> list[Violation]:
    """The violations ``agreement`` would have had, were it in force over ``span``, sorted."""
    return sorted(_Finder(ds, view, agreement, span, None).violations()[0], key=_order)


def ceasefire_violations(
    ds: Dataset | Tables,
    agreement: str | Iterable[str] | None = None,
    *,
    according_to: str | Iterable[str] | None = None,
    period: TimeSpan | str | None = None,
    include_parts: bool = True,
    min_grade: Grade | str | None = None,
) -> Violations:
    """The violations of ``agreement`` (an id, or several: those of each; every ceasefire,
    truce and de-escalation if ``None``).

    ``according_to`` names the claimant (or claimants) whose account to follow, with the
    claims of their parts unless ``include_parts=False`` (see
    :mod:`conflictmodel.queries.perspective`); ``period`` (a span or its text) keeps the
    violations whose event meets it (for a violation with no event: a claim made in it, or
    at an unknown time); ``min_grade`` keeps the violations through an event whose grade
    meets it (see :mod:`conflictmodel.queries.grades`; ungraded events and violations naming
    no event are left out). Sorted by time; a violation with no known time comes last. The
    result is a :class:`Violations` list that also holds the engagements it could not judge.
    ``ds`` may also be tables opened with :func:`conflictmodel.tables.open`: the same answers,
    with the big tables in the engine.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> for v in ceasefire_violations(ds, "idlib-ceasefire-2020", period="2020-02-03"):
    ...     print(v.violator, v.event, [b.value for b in v.basis], v.certainty.value)
    syria idlib-offensive ['alleged'] possible
    turkey None ['alleged'] possible
    syrian-army attack-2020-02-03 ['observed'] definite
    turkish-army retaliation-2020-02-03 ['observed'] definite
    """
    minimum = grades.min_grade(_FUNCTION, min_grade)
    engine = _arguments.engine_tables(ds)
    # An answer is thousands of objects that stay alive: the cyclic collector would only
    # walk them again and again while they pile up.
    with paused_gc():
        if engine is not None:
            return _on_tables(engine, agreement, according_to, period, include_parts, minimum)
        ds = _arguments.dataset(_FUNCTION, ds)
        view = _arguments.perspective(_FUNCTION, ds, according_to, include_parts)
        span = _arguments.period(_FUNCTION, period)
        found = _check(_agreements(ds, agreement), ds, lambda _: (ds, view), span)
        return _graded(found, ds, minimum)


def _agreements(ds: Dataset, agreement: str | Iterable[str] | None) -> list[Agreement]:
    if agreement is None:
        return [a for a in ds.agreements.values() if a.kind.is_ceasefire_like]
    if isinstance(agreement, str) or not isinstance(agreement, Iterable):
        return [_arguments.agreement(_FUNCTION, ds, agreement)]
    return [_arguments.agreement(_FUNCTION, ds, each) for each in dict.fromkeys(agreement)]


def _check(
    agreements: list[Agreement],
    dimensions: Dataset,
    records_for: Callable[[Agreement], tuple[Dataset, Perspective]],
    period: TimeSpan | None,
) -> Violations:
    """Each agreement's violations, judged by the rules above on the records ``records_for``
    gives it (the whole dataset, or what an engine selected)."""
    found: list[Violation] = []
    unassessed: list[list[Unassessed]] = []
    for checked in agreements:
        effective = in_force(dimensions, checked)
        if effective is None:
            continue
        ds, view = records_for(checked)
        violations, unjudged = _Finder(ds, view, checked, effective, period).violations()
        found.extend(violations)
        unassessed.append(unjudged)
    return Violations(
        sorted(found, key=_order),
        unassessed=_merged(unassessed),
        agreements=[a.id for a in agreements],
        names=_names(dimensions, found, agreements),
    )


def _names(
    dimensions: Dataset, found: list[Violation], agreements: Iterable[Agreement]
) -> dict[str, str]:
    """The names of the actors, places and agreements ``found`` mentions, by id."""
    actors = {
        actor
        for v in found
        for actor in (v.violator, *v.parties, *v.alleged_by, *v.denied_by, *_mentioned(v.grounds))
        if actor is not None
    }
    places = {
        place
        for v in found
        if v.grounds is not None
        for place in (v.grounds.place, *v.grounds.scope)
        if place is not None
    }
    return (
        names_of(dimensions, "locations", places)
        | names_of(dimensions, "actors", actors)
        | {a.id: a.name for a in agreements}
    )


def _mentioned(grounds: Grounds | None) -> list[str]:
    """The actors a violation's grounds name: the opponents hit, the perpetrators alleged,
    the groups holding parts the agreement leaves out and those parts."""
    if grounds is None:
        return []
    return [
        *grounds.opponents,
        *(a for each in grounds.allegations for a in each.perpetrators),
        *(a for group, parts in grounds.excluded_parts for a in (group, *parts)),
    ]


def _merged(unassessed: list[list[Unassessed]]) -> list[Unassessed]:
    """The engagements each agreement could not judge, by time (each agreement's come in
    that order already)."""
    if len(unassessed) == 1:
        return unassessed[0]
    return sorted(itertools.chain.from_iterable(unassessed), key=_unassessed_order)


def graded(found: list[Violation], ds: Dataset | Tables, minimum: Grade | None) -> list[Violation]:
    """The violations of ``found`` through an event of ``ds`` graded ``minimum`` or better,
    each with its event's grade, as ``min_grade=`` keeps them (``None``: ``found`` itself)."""
    return found if minimum is None else _graded(Violations(found), ds, minimum)


def _graded(found: Violations, ds: Dataset | Tables, minimum: Grade | None) -> Violations:
    """``found`` with each violation's event grade (on the records, or as the engine reads
    them), keeping those meeting ``minimum``."""
    graded: Mapping[str, Grade]
    if isinstance(ds, Dataset):
        graded = grades.event_grades(ds)
    else:
        from conflictmodel.tables import queries

        graded = queries.event_grades(ds)
    kept = []
    for violation in found:
        grade = None if violation.event is None else graded.get(violation.event)
        if grades.meets(grade, minimum):
            kept.append(violation if grade is None else attrs.evolve(violation, grade=grade))
    return Violations(
        kept, unassessed=found.unassessed, agreements=found.agreements, names=found.names
    )


def _on_tables(
    tables: Tables,
    agreement: str | Iterable[str] | None,
    according_to: str | Iterable[str] | None,
    period: TimeSpan | str | None,
    include_parts: bool,
    minimum: Grade | None,
) -> Violations:
    """The violations over opened tables: the engine selects the records that can matter
    (:func:`conflictmodel.tables.queries.violation_subset`) and the rules above decide."""
    from conflictmodel.tables import queries

    asked = _arguments.perspective(
        _FUNCTION, tables.dimensions, according_to, include_parts, tables=tables
    )
    span = _arguments.period(_FUNCTION, period)
    members_claim = queries.has_claims(tables, asked.members)

    agreements = _agreements(tables.dimensions, agreement)
    checked = [a for a in agreements if in_force(tables.dimensions, a) is not None]
    subsets = dict(zip(checked, queries.violation_subsets(tables, checked, span), strict=True))

    def records_for(chosen: Agreement) -> tuple[Dataset, Perspective]:
        subset = subsets[chosen]
        view = Perspective(
            subset, asked.asked, include_parts=include_parts, members_claim=members_claim
        )
        return subset, view

    found = _check(agreements, tables.dimensions, records_for, span)
    return _graded(found, tables, minimum)
