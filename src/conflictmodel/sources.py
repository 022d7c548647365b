"""Where a claim or an event was reported."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

import attrs

from conflictmodel._checks import fail, optional_text, text
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan, optional_span_field, to_optional_span


def _url(owner: Source, attribute: attrs.Attribute[Any], value: object) -> None:
    optional_text(owner, attribute, value)
    if isinstance(value, str):
        parts = urlsplit(value)
        if not parts.scheme or not parts.netloc:
            fail(owner, attribute, f"{value!r} is not an absolute URL")


@attrs.frozen(kw_only=True)
class Source(Record):
    """A report, article or statement: the provenance of events and claims.

    >>> Source(id="report", title="Syrian forces capture Saraqeb", published="2020-02-06")
    ... # doctest: +ELLIPSIS
    Source(id='report', title='Syrian forces capture Saraqeb', publisher=None, url=None, ...)
    """

    collection: ClassVar[str] = "sources"
    kind_label: ClassVar[str] = "source"

    title: str = attrs.field(validator=text)
    publisher: str | None = attrs.field(default=None, validator=optional_text)
    url: str | None = attrs.field(default=None, validator=_url)
    published: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )
