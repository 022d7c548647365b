"""Ceasefires, truces and other agreements: who signed, who is bound, where and when."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, cast

import attrs
from immutabledict import immutabledict

from conflictmodel._checks import (
    coerce_enum,
    describe,
    fail,
    instance,
    member,
    refers_to,
    text,
    text_mapping,
    texts,
    to_frozen_mapping,
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


class Purpose(enum.StrEnum):
    """What a ceasefire is for, as the ETH/PRIO Civil Conflict Ceasefire Dataset codes it."""

    HUMANITARIAN = "humanitarian"
    PEACE_PROCESS = "peace_process"
    HOLIDAY = "holiday"
    ELECTION = "election"
    OTHER = "other"


class CeasefireClass(enum.StrEnum):
    """How far a ceasefire goes (ETH/PRIO, after Clayton and Sticher's classes on PA-X).

    ``CESSATION_OF_HOSTILITIES``: a halt to fighting only. ``PRELIMINARY``: with a mechanism to
    monitor or enforce compliance. ``DEFINITIVE``: with provisions on demobilisation and the
    issues in dispute.
    """

    CESSATION_OF_HOSTILITIES = "cessation_of_hostilities"
    PRELIMINARY = "preliminary"
    DEFINITIVE = "definitive"


class EndingKind(enum.StrEnum):
    """How an agreement ended: it ran out, another replaced it, fighting broke it, or it
    turned into a settlement."""

    EXPIRED = "expired"
    REPLACED = "replaced"
    COLLAPSED = "collapsed"
    SETTLEMENT = "settlement"


def _to_ending_kind(value: EndingKind | str) -> EndingKind:
    return coerce_enum(EndingKind, value)


@attrs.frozen
class Ending:
    """How and when an agreement ended (``when=None``: the date is not known).

    >>> Ending("collapsed", when="2020-10-11").how
    <EndingKind.COLLAPSED: 'collapsed'>
    """

    how: EndingKind = attrs.field(converter=_to_ending_kind, validator=member(EndingKind))
    when: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )


def _to_purposes(value: Iterable[Purpose | str]) -> tuple[Purpose, ...]:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(dict.fromkeys(coerce_enum(Purpose, item) for item in value))
    return cast(tuple[Purpose, ...], value)


def _purposes(owner: Agreement, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        fail(owner, attribute, f"expected a sequence of purposes, got {describe(value)}")
    for item in value:
        member(Purpose)(owner, attribute, item)


def _to_optional_class(value: CeasefireClass | str | None) -> CeasefireClass | None:
    return None if value is None else coerce_enum(CeasefireClass, value)


def _optional_class(owner: Agreement, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        member(CeasefireClass)(owner, attribute, value)


def _optional_bool(owner: Agreement, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        fail(owner, attribute, f"expected True, False or None, got {describe(value)}")


def _not_itself(owner: Agreement, attribute: attrs.Attribute[Any], value: object) -> None:
    texts(owner, attribute, value)
    if owner.id in cast(tuple[str, ...], value):
        fail(owner, attribute, "an agreement cannot name itself")


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

    The fields ceasefire datasets record (ETH/PRIO, PA-X) are optional: ``declared`` (when it was
    announced) and ``declared_by`` (one side: unilateral), ``written``, ``purposes``,
    ``ceasefire_class``, ``ends`` (a planned end), ``ended`` (an :class:`Ending`), ``excluded``
    (actors it leaves out, never bound whatever side they are part of), ``supersedes`` (the
    agreements it replaces: each stops where this one begins) and ``external_ids`` (by
    dataset: ``pax``, ``ucdp_dyad``, ``ethprio``).

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
    declared: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )
    declared_by: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    written: bool | None = attrs.field(default=None, validator=_optional_bool)
    purposes: tuple[Purpose, ...] = attrs.field(
        default=(), converter=_to_purposes, validator=_purposes
    )
    ceasefire_class: CeasefireClass | None = attrs.field(
        default=None, converter=_to_optional_class, validator=_optional_class
    )
    ends: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )
    ended: Ending | None = attrs.field(default=None, validator=instance(Ending, optional=True))
    excluded: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    supersedes: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=_not_itself, metadata=refers_to("agreements")
    )
    external_ids: Mapping[str, str] = attrs.field(
        factory=immutabledict, converter=to_frozen_mapping, validator=text_mapping
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
