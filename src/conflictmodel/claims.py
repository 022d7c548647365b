"""Who says what: claims by an actor, reported by a source, about a statement."""

from __future__ import annotations

import enum
from typing import ClassVar

import attrs

from conflictmodel import fields
from conflictmodel._checks import (
    fail,
)
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan


class Stance(enum.StrEnum):
    """Whether the claimant asserts the statement or denies it."""

    ASSERTS = "asserts"
    DENIES = "denies"


@attrs.frozen
class Statement:
    """What a claim is about. Subclass it (and register the subclass) for new statement types."""


@attrs.frozen
class Occurred(Statement):
    """That ``event`` took place."""

    event: str = fields.reference("events")


@attrs.frozen
class Attribution(Statement):
    """That ``perpetrators`` carried out ``event``.

    >>> Attribution("airstrike", ["turkey"]).perpetrators
    ('turkey',)
    """

    event: str = fields.reference("events")
    perpetrators: tuple[str, ...] = fields.references("actors")

    def __attrs_post_init__(self) -> None:
        if not self.perpetrators:
            fail(self, attrs.fields(Attribution).perpetrators, "name at least one perpetrator")


@attrs.frozen
class CasualtyFigure(Statement):
    """That ``actor`` (``None``: unattributed) lost this many in ``event``.

    >>> CasualtyFigure("airstrike", "syrian-civilians", killed=15).killed
    Estimate(low=15, best=15, high=15)
    """

    event: str = fields.reference("events")
    actor: str | None = fields.reference("actors", optional=True, default=attrs.NOTHING)
    killed: Estimate | None = fields.estimate()
    injured: Estimate | None = fields.estimate()

    def __attrs_post_init__(self) -> None:
        if self.killed is None and self.injured is None:
            fail(self, attrs.fields(CasualtyFigure).killed, "give killed, injured or both")


@attrs.frozen
class Violated(Statement):
    """That ``violators`` broke ``agreement``, through ``events`` when named."""

    agreement: str = fields.reference("agreements")
    violators: tuple[str, ...] = fields.references("actors")
    events: tuple[str, ...] = fields.references("events", default=())

    def __attrs_post_init__(self) -> None:
        if not self.violators:
            fail(self, attrs.fields(Violated).violators, "name at least one violator")


@attrs.frozen
class Controls(Statement):
    """That ``actor`` controls ``location``, since ``since`` when known."""

    location: str = fields.reference("locations")
    actor: str = fields.reference("actors")
    since: TimeSpan | None = fields.span(optional=True)


@attrs.frozen(kw_only=True)
class Claim(Record):
    """``claimant`` asserts (or denies) ``statement``, as reported by ``source``.

    >>> claim = Claim(id="c", claimant="syria", statement=Attribution("airstrike", ["turkey"]),
    ...               made="2020-02-06", source="report")
    >>> claim.stance
    <Stance.ASSERTS: 'asserts'>
    """

    collection: ClassVar[str] = "claims"
    kind_label: ClassVar[str] = "claim"

    claimant: str = fields.reference("actors")
    statement: Statement = fields.value(Statement)
    stance: Stance = fields.enum(Stance, default=Stance.ASSERTS)
    made: TimeSpan | None = fields.span(optional=True)
    source: str | None = fields.reference("sources", optional=True)
