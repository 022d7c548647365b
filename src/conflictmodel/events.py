"""What happened: events, and engagements between actors with their casualties."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, cast

import attrs
from immutabledict import immutabledict

from conflictmodel._checks import (
    coerce_enum,
    fail,
    instance,
    instances,
    member,
    optional_text,
    plain_text,
    refers_to,
    text,
    text_mapping,
    texts,
    to_frozen_mapping,
    to_texts,
)
from conflictmodel.places import PlacePrecision, optional_place_precision, to_place_precision
from conflictmodel.quantities import Estimate, estimate_field, to_estimate, total
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan, span_field, to_span


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


def _to_engagement_kind(value: EngagementKind | str) -> EngagementKind:
    return coerce_enum(EngagementKind, value)


@attrs.frozen
class Casualties:
    """People of one actor killed or injured in an event; ``actor=None`` is unattributed.

    Counts may be given as numbers or hedged phrases:

    >>> Casualties("syrian-army", killed="almost 30").killed
    Estimate(low=27, best=None, high=29)
    """

    actor: str | None = attrs.field(validator=optional_text, metadata=refers_to("actors"))
    killed: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )
    injured: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )

    def __attrs_post_init__(self) -> None:
        if self.killed is None and self.injured is None:
            fail(self, attrs.fields(Casualties).killed, "give killed, injured or both")


@attrs.frozen(kw_only=True)
class ControlChange:
    """Control of ``location`` passed to ``gained_by`` (from ``lost_by``, when known).

    >>> ControlChange(location="saraqeb", gained_by="syrian-army", lost_by="hts").gained_by
    'syrian-army'
    """

    location: str = attrs.field(validator=text, metadata=refers_to("locations"))
    gained_by: str = attrs.field(validator=text, metadata=refers_to("actors"))
    lost_by: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("actors")
    )

    def __attrs_post_init__(self) -> None:
        if self.lost_by == self.gained_by:
            fail(
                self, attrs.fields(ControlChange).lost_by, "the same actor gains and loses control"
            )


@attrs.frozen
class Associate:
    """``actor`` took part alongside ``of`` without leading the act (ACLED's associated actors).

    >>> Associate("local-militia", of="north-army").of
    'north-army'
    """

    actor: str = attrs.field(validator=text, metadata=refers_to("actors"))
    of: str = attrs.field(validator=text, metadata=refers_to("actors"))


def _to_associates(value: Iterable[Associate]) -> tuple[Associate, ...]:
    if type(value) is tuple:
        return value
    if isinstance(value, list):
        return tuple(value)
    return cast(tuple[Associate, ...], value)


def _to_casualties(value: Iterable[Casualties]) -> tuple[Casualties, ...]:
    if type(value) is tuple:
        return value
    if isinstance(value, list):
        return tuple(value)
    return cast(tuple[Casualties, ...], value)


_casualty_items = instances(Casualties)


def _casualty_list(owner: Engagement, attribute: attrs.Attribute[Any], value: object) -> None:
    _casualty_items(owner, attribute, value)
    entries = cast("tuple[Casualties, ...]", value)
    if len(entries) < 2 or len({entry.actor for entry in entries}) == len(entries):
        return
    actors = [entry.actor for entry in entries]
    repeated = {actor for actor in actors if actors.count(actor) > 1}
    names = ", ".join(sorted(repr(actor) for actor in repeated))
    fail(owner, attribute, f"more than one entry for {names}; give one entry per actor")


@attrs.frozen(kw_only=True)
class Event(Record):
    """Something that happened at a time, perhaps at a place. Base of every event type.

    ``part_of`` names a larger event (a capture within an offensive); an ``aggregate``
    stands for several incidents reported together, not one.

    >>> Event(id="e", when="2020-02-06", where="saraqeb").when
    when('2020-02-06')
    """

    collection: ClassVar[str] = "events"
    kind_label: ClassVar[str] = "event"

    when: TimeSpan = attrs.field(converter=to_span, validator=span_field)
    where: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("locations")
    )
    description: str = attrs.field(default="", validator=plain_text)
    sources: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("sources")
    )
    part_of: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("events")
    )
    source_values: Mapping[str, str] = attrs.field(
        factory=immutabledict, converter=to_frozen_mapping, validator=text_mapping
    )
    """The values of an imported row, by column name."""
    where_precision: PlacePrecision | None = attrs.field(
        default=None, converter=to_place_precision, validator=optional_place_precision
    )
    """How closely the place is known (``None``: as closely as ``where`` names it)."""
    aggregate: bool = attrs.field(default=False, validator=instance(bool))
    """Whether the record sums several incidents its source reports together over its span
    or area (UCDP's ``event_clarity`` 2), rather than one incident."""


@attrs.frozen(kw_only=True)
class Engagement(Event):
    """A hostile (or defensive) act by ``initiators`` against ``targets``.

    ``initiators`` may be empty when the perpetrator is unknown; claims may attribute it. A
    clash whose sources do not say who started it keeps ``initiators`` empty and lists every
    party in ``targets``. ``associates`` are actors that took part alongside one of them
    without being an initiator or target themselves. ``captured`` records a change of control;
    ``responds_to`` the event this one answers.

    >>> attack = Engagement(id="attack", when="2020-02-03", kind="attack",
    ...     initiators=["syrian-army"], targets=["turkish-army"],
    ...     casualties=[Casualties("turkish-army", killed=8)])
    >>> attack.kind.is_hostile, attack.killed_total
    (True, Estimate(low=8, best=8, high=8))
    """

    kind: EngagementKind = attrs.field(
        converter=_to_engagement_kind, validator=member(EngagementKind)
    )
    initiators: tuple[str, ...] = attrs.field(
        converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    targets: tuple[str, ...] = attrs.field(
        converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    casualties: tuple[Casualties, ...] = attrs.field(
        default=(), converter=_to_casualties, validator=_casualty_list
    )
    captured: ControlChange | None = attrs.field(
        default=None, validator=instance(ControlChange, optional=True)
    )
    responds_to: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("events")
    )
    reported_total: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )
    """The source's own figure for everyone killed (UCDP's low/best/high), kept beside the
    per-actor ``casualties``."""
    associates: tuple[Associate, ...] = attrs.field(
        default=(), converter=_to_associates, validator=instances(Associate)
    )

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
    Estimate(low=100000, best=None, high=999999)
    """

    killed: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )
    displaced: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )
    population: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("actors")
    )
