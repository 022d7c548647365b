"""Where a claim or an event was reported."""

from __future__ import annotations

import enum
from typing import Any, ClassVar
from urllib.parse import urlsplit

import attrs

from conflictmodel._checks import coerce_enum, fail, member, optional_text, refers_to, text
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan, optional_span_field, to_optional_span


def _url(owner: Source, attribute: attrs.Attribute[Any], value: object) -> None:
    optional_text(owner, attribute, value)
    if isinstance(value, str):
        parts = urlsplit(value)
        if not parts.scheme or not parts.netloc:
            fail(owner, attribute, f"{value!r} is not an absolute URL")


class SourceKind(enum.StrEnum):
    """What kind of outlet a source is, which tells a reader how far to trust it."""

    NEWS_AGENCY = "news_agency"
    """An independent news agency or outlet (Reuters, AFP, a local newspaper)."""
    STATE_MEDIA = "state_media"
    """Media run by a state (SANA, RT, Anadolu): name the state as the ``affiliation``."""
    PARTY_STATEMENT = "party_statement"
    """A statement by a party to the conflict (a ministry, an armed group's channel)."""
    MONITOR = "monitor"
    """A monitor or NGO documenting the conflict (SOHR, Airwars, a human rights group)."""
    UN = "un"
    """A United Nations body (OCHA, OHCHR, a UN mission)."""
    SOCIAL_MEDIA = "social_media"
    """A post on social media."""
    DATASET = "dataset"
    """Another conflict dataset (UCDP, ACLED)."""
    OTHER = "other"
    """Any other kind of source."""


def _to_kind(value: SourceKind | str | None) -> SourceKind | None:
    return None if value is None else coerce_enum(SourceKind, value)


def _kind(owner: Source, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        member(SourceKind)(owner, attribute, value)


@attrs.frozen(kw_only=True)
class Source(Record):
    """A report, article or statement: the provenance of events and claims.

    ``kind`` says what the outlet is and ``affiliation`` (an actor id) whom it speaks for:
    SANA is Syrian state media.

    >>> Source(id="report", title="Syrian forces capture Saraqeb", published="2020-02-06")
    ... # doctest: +ELLIPSIS
    Source(id='report', title='Syrian forces capture Saraqeb', publisher=None, url=None, ...)
    >>> sana = Source(id="sana", title="SANA", kind="state_media", affiliation="syria")
    >>> sana.kind
    <SourceKind.STATE_MEDIA: 'state_media'>
    """

    collection: ClassVar[str] = "sources"
    kind_label: ClassVar[str] = "source"

    title: str = attrs.field(validator=text)
    publisher: str | None = attrs.field(default=None, validator=optional_text)
    url: str | None = attrs.field(default=None, validator=_url)
    published: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )
    kind: SourceKind | None = attrs.field(default=None, converter=_to_kind, validator=_kind)
    affiliation: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("actors")
    )
