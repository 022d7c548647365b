"""What happened: events, and engagements between actors with their casualties."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, cast

import attrs

from conflictmodel import fields
from conflictmodel._checks import (
    fail,
    instances,
)
from conflictmodel.quantities import Estimate, total
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan


class EngagementKind(enum.StrEnum):
    """What sort of engagement an event is; see :attr:`is_hostile`."""

    ARMED_CLASH = "armed_clash"
    ATTACK = "attack"
    AIRSTRIKE = "airstrike"
    MISSILE_STRIKE = "missile_strike"
    SHELLING = "shelling"
    DRONE_STRIKE = "drone_strike"
    BOMBING = "bombing"
    EXPLOSIVE = "explosive"
    SUICIDE_BOMBING = "suicide_bombing"
    CHEMICAL_ATTACK = "chemical_attack"
    OFFENSIVE = "offensive"
    INVASION = "invasion"
    CAPTURE = "capture"
    RAID = "raid"
    AMBUSH = "ambush"
    ABDUCTION = "abduction"
    SEXUAL_VIOLENCE = "sexual_violence"
    ONE_SIDED_VIOLENCE = "one_sided_violence"
    INTERCEPTION = "interception"
    OTHER = "other"

    @property
    def is_hostile(self) -> bool:
        """Whether the act is aggressive; defensive acts (interceptions) violate nothing."""
        return self is not EngagementKind.INTERCEPTION


@attrs.frozen
class Casualties:
    """People of one actor killed or injured in an event; ``actor=None`` is unattributed.

    Counts may be given as numbers or hedged phrases:

    >>> Casualties("syrian-army", killed="almost 30").killed
    Estimate(low=27, best=29, high=29)
    """

    actor: str | None = fields.reference("actors", optional=True, default=attrs.NOTHING)
    killed: Estimate | None = fields.estimate()
    injured: Estimate | None = fields.estimate()

    def __attrs_post_init__(self) -> None:
        if self.killed is None and self.injured is None:
            fail(self, attrs.fields(Casualties).killed, "give killed, injured or both")


@attrs.frozen(kw_only=True)
class ControlChange:
    """Control of ``location`` passed to ``gained_by`` (from ``lost_by``, when known).

    >>> ControlChange(location="saraqeb", gained_by="syrian-army", lost_by="hts").gained_by
    'syrian-army'
    """

    location: str = fields.reference("locations")
    gained_by: str = fields.reference("actors")
    lost_by: str | None = fields.reference("actors", optional=True)

    def __attrs_post_init__(self) -> None:
        if self.lost_by == self.gained_by:
            fail(
                self, attrs.fields(ControlChange).lost_by, "the same actor gains and loses control"
            )


def _to_casualties(value: Iterable[Casualties]) -> tuple[Casualties, ...]:
    if isinstance(value, list):
        return tuple(value)
    return cast(tuple[Casualties, ...], value)


def _casualty_list(owner: Engagement, attribute: attrs.Attribute[Any], value: object) -> None:
    instances(Casualties)(owner, attribute, value)
    actors = [entry.actor for entry in cast(tuple[Casualties, ...], value)]
    repeated = {actor for actor in actors if actors.count(actor) > 1}
    if repeated:
        names = ", ".join(sorted(repr(actor) for actor in repeated))
        fail(owner, attribute, f"more than one entry for {names}; give one entry per actor")


@attrs.frozen(kw_only=True)
class Event(Record):
    """Something that happened at a time, perhaps at a place. Base of every event type.

    ``part_of`` names a larger event (a capture within an offensive). ``source_values`` keeps,
    by column name, the values of an imported row that no field holds.

    >>> Event(id="e", when="2020-02-06", where="saraqeb").when
    when('2020-02-06')
    """

    collection: ClassVar[str] = "events"
    kind_label: ClassVar[str] = "event"

    when: TimeSpan = fields.span()
    where: str | None = fields.reference("locations", optional=True)
    description: str = fields.text(blank=True)
    sources: tuple[str, ...] = fields.references("sources", default=())
    part_of: str | None = fields.reference("events", optional=True)
    source_values: Mapping[str, str] = fields.mapping()


@attrs.frozen(kw_only=True)
class Engagement(Event):
    """A hostile (or defensive) act by ``initiators`` against ``targets``.

    ``initiators`` may be empty when the perpetrator is unknown; claims may attribute it.
    ``captured`` records a change of control; ``responds_to`` the event this one answers.
    ``reported_total`` is the source's own figure for everyone killed (UCDP's low/best/high),
    kept beside the per-actor ``casualties``.

    >>> attack = Engagement(id="attack", when="2020-02-03", kind="attack",
    ...     initiators=["syrian-army"], targets=["turkish-army"],
    ...     casualties=[Casualties("turkish-army", killed=8)])
    >>> attack.kind.is_hostile, attack.killed_total
    (True, Estimate(low=8, best=8, high=8))
    """

    kind: EngagementKind = fields.enum(EngagementKind)
    initiators: tuple[str, ...] = fields.references("actors")
    targets: tuple[str, ...] = fields.references("actors")
    casualties: tuple[Casualties, ...] = attrs.field(
        default=(), converter=_to_casualties, validator=_casualty_list
    )
    captured: ControlChange | None = fields.value(ControlChange, optional=True)
    responds_to: str | None = fields.reference("events", optional=True)
    reported_total: Estimate | None = fields.estimate()

    @property
    def killed_total(self) -> Estimate | None:
        """The sum of the killed figures, or ``None`` when no entry gives one."""
        figures = [entry.killed for entry in self.casualties if entry.killed is not None]
        return total(figures) if figures else None


@attrs.frozen(kw_only=True)
class Toll(Event):
    """The cumulative cost of a war or campaign over its span, as reported.

    Reports give war-level figures ("hundreds of thousands killed") that overlap the incidents
    they summarise, so queries over incidents (such as casualty totals) leave tolls out.

    >>> Toll(id="war", when="2011/2020-02-06", killed="hundreds of thousands").killed
    Estimate(low=100000, best=200000, high=999999)
    """

    killed: Estimate | None = fields.estimate()
    displaced: Estimate | None = fields.estimate()
    population: str | None = fields.reference("actors", optional=True)
