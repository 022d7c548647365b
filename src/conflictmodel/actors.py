"""Who acts: states, their forces, rebel groups, civilians, media; and how they relate."""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
from immutabledict import immutabledict

from conflictmodel._checks import (
    coerce_enum,
    fail,
    member,
    optional_text,
    refers_to,
    text,
    text_mapping,
    texts,
    to_frozen_mapping,
    to_texts,
)
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan, optional_span_field, to_optional_span


class ActorKind(enum.StrEnum):
    """What sort of actor a record is."""

    STATE = "state"
    STATE_FORCES = "state_forces"
    REBEL_GROUP = "rebel_group"
    MILITIA = "militia"
    CIVILIANS = "civilians"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    MEDIA = "media"
    PERSON = "person"
    DATASET = "dataset"
    OTHER = "other"


class RelationKind(enum.StrEnum):
    """How one actor stands to another.

    ``same_as``: two records of one group (from different datasets); ``succeeded_by``: the
    source became the target (Jabhat al-Nusra → Jabhat Fateh al-Sham); ``split_from``: the
    source broke away from the target; ``merged_into``: the source joined the target.
    """

    SUPPORTS = "supports"
    ALLIED_WITH = "allied_with"
    OPPOSES = "opposes"
    AFFILIATED_WITH = "affiliated_with"
    SAME_AS = "same_as"
    SUCCEEDED_BY = "succeeded_by"
    SPLIT_FROM = "split_from"
    MERGED_INTO = "merged_into"

    @property
    def is_succession(self) -> bool:
        """Whether the target carries on the source (succession, split or merger)."""
        return self in (
            RelationKind.SUCCEEDED_BY,
            RelationKind.SPLIT_FROM,
            RelationKind.MERGED_INTO,
        )


def _to_actor_kind(value: ActorKind | str) -> ActorKind:
    return coerce_enum(ActorKind, value)


def _to_relation_kind(value: RelationKind | str) -> RelationKind:
    return coerce_enum(RelationKind, value)


@functools.cache
def _is_country_code(code: str) -> bool:
    import pycountry  # its tables load with the first country checked

    return pycountry.countries.get(alpha_3=code) is not None


def _country(owner: Actor, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _is_country_code(value):
        fail(owner, attribute, f"{value!r} is not an ISO 3166-1 alpha-3 country code (e.g. 'SYR')")


@attrs.frozen(kw_only=True)
class Actor(Record):
    """A party to conflict or to its reporting.

    ``part_of`` names the actor this one belongs to (an army to its state); ``country`` is an
    ISO 3166-1 alpha-3 code; ``external_ids`` keeps ids from other datasets (``{"ucdp": "118"}``).

    >>> Actor(id="syrian-army", name="Syrian Arab Army", kind="state_forces", part_of="syria")
    ... # doctest: +ELLIPSIS
    Actor(id='syrian-army', name='Syrian Arab Army', kind=<ActorKind.STATE_FORCES: ...>, ...)
    """

    collection: ClassVar[str] = "actors"
    kind_label: ClassVar[str] = "actor"

    name: str = attrs.field(validator=text)
    kind: ActorKind = attrs.field(converter=_to_actor_kind, validator=member(ActorKind))
    aliases: tuple[str, ...] = attrs.field(default=(), converter=to_texts, validator=texts)
    part_of: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("actors")
    )
    country: str | None = attrs.field(default=None, validator=_country)
    external_ids: Mapping[str, str] = attrs.field(
        factory=immutabledict, converter=to_frozen_mapping, validator=text_mapping
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)


@attrs.frozen(kw_only=True)
class Relation(Record):
    """``source`` stands in ``kind`` to ``target``, optionally only during ``span``.

    >>> Relation(id="r", source="turkey", kind="supports", target="hts").kind
    <RelationKind.SUPPORTS: 'supports'>
    """

    collection: ClassVar[str] = "relations"
    kind_label: ClassVar[str] = "relation"

    source: str = attrs.field(validator=text, metadata=refers_to("actors"))
    kind: RelationKind = attrs.field(converter=_to_relation_kind, validator=member(RelationKind))
    target: str = attrs.field(validator=text, metadata=refers_to("actors"))
    span: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            fail(
                self,
                attrs.fields(Relation).target,
                f"an actor cannot relate to itself ({self.source!r})",
            )
