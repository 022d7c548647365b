"""Ceasefires, truces and other agreements: who signed, who is bound, where and when."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, ClassVar, cast

import attrs

from conflictmodel._checks import (
    coerce_enum,
    describe,
    fail,
    member,
    refers_to,
    text,
    texts,
    to_texts,
)
from conflictmodel.records import Record
from conflictmodel.timespans import (
    TimeSpan,
    optional_span_field,
    span_field,
    to_optional_span,
    to_span,
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


def _to_agreement_kind(value: AgreementKind | str) -> AgreementKind:
    return coerce_enum(AgreementKind, value)


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

    name: str = attrs.field(validator=text)
    kind: AgreementKind = attrs.field(converter=_to_agreement_kind, validator=member(AgreementKind))
    signed: TimeSpan | None = attrs.field(converter=to_optional_span, validator=optional_span_field)
    effective: TimeSpan = attrs.field(converter=to_span, validator=span_field)
    signatories: tuple[str, ...] = attrs.field(
        converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    sides: tuple[tuple[str, ...], ...] = attrs.field(
        converter=_to_sides, validator=_sides, metadata=refers_to("actors")
    )
    guarantors: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    mediators: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    scope: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("locations")
    )
    extends: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("agreements")
    )

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
