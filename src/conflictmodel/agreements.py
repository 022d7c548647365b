"""Ceasefires, truces and other agreements: who signed, who is bound, where and when."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, ClassVar, cast

import attrs

from conflictmodel import fields
from conflictmodel._checks import (
    describe,
    fail,
    refers_to,
    texts,
    to_texts,
)
from conflictmodel.records import Record
from conflictmodel.timespans import (
    TimeSpan,
)


class AgreementKind(enum.StrEnum):
    """What sort of agreement a record is."""

    CEASEFIRE = "ceasefire"
    TRUCE = "truce"
    DE_ESCALATION = "de_escalation"
    PEACE_AGREEMENT = "peace_agreement"
    MEMORANDUM = "memorandum"
    OTHER = "other"

    @property
    def is_ceasefire_like(self) -> bool:
        """Whether the agreement stops fighting (ceasefire, truce, de-escalation)."""
        return self in (AgreementKind.CEASEFIRE, AgreementKind.TRUCE, AgreementKind.DE_ESCALATION)


def _to_sides(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    if isinstance(value, list | tuple):
        return tuple(to_texts(side) for side in value)
    return cast(tuple[tuple[str, ...], ...], value)


def _sides(owner: Agreement, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not value:
        fail(owner, attribute, f"expected one or more sides of actor ids, got {describe(value)}")
    seen: set[str] = set()
    for side in value:
        texts(owner, attribute, side)
        if not side:
            fail(owner, attribute, "a side must name at least one actor")
        repeated = seen.intersection(side)
        if repeated:
            fail(owner, attribute, f"{', '.join(sorted(map(repr, repeated)))} is on two sides")
        seen.update(side)


@attrs.frozen(kw_only=True)
class Agreement(Record):
    """An agreement between parties.

    ``sides`` lists the parties it binds, side by side (each side a tuple of actor ids; an
    actor binds everything ``part_of`` it). ``scope`` holds the locations it covers (with
    everything ``within`` them; empty means everywhere); ``extends`` the agreements it continues.

    >>> deal = Agreement(id="d", name="Idlib ceasefire", kind="ceasefire",
    ...     signed="2020-01-12", effective="2020-01-12/..", signatories=["russia", "turkey"],
    ...     sides=[["syria", "russia"], ["turkey", "hts"]], scope=["idlib-governorate"])
    >>> deal.side_of("hts"), deal.bound_actors
    (1, ('syria', 'russia', 'turkey', 'hts'))
    """

    collection: ClassVar[str] = "agreements"
    kind_label: ClassVar[str] = "agreement"

    name: str = fields.text()
    kind: AgreementKind = fields.enum(AgreementKind)
    signed: TimeSpan | None = fields.span(optional=True, default=attrs.NOTHING)
    effective: TimeSpan = fields.span()
    signatories: tuple[str, ...] = fields.references("actors")
    sides: tuple[tuple[str, ...], ...] = attrs.field(
        converter=_to_sides, validator=_sides, metadata=refers_to("actors")
    )
    guarantors: tuple[str, ...] = fields.references("actors", default=())
    mediators: tuple[str, ...] = fields.references("actors", default=())
    scope: tuple[str, ...] = fields.references("locations", default=())
    extends: tuple[str, ...] = fields.references("agreements", default=())

    @property
    def bound_actors(self) -> tuple[str, ...]:
        """Every actor named on a side, in order."""
        return tuple(actor for side in self.sides for actor in side)

    def side_of(self, actor: str) -> int | None:
        """The index of the side naming ``actor`` itself (not its parents), or ``None``."""
        for index, side in enumerate(self.sides):
            if actor in side:
                return index
        return None
