"""Stand-ins for records and statements of types this program does not know.

``load(path, strict=False)`` keeps an event or a statement whose ``type`` tag is not
registered (written with a plug-in that is not installed here) as one of these: the fields
every event has are read as usual, so the event still has a time and a place, joins the
dataset and can be referred to; the rest is kept as canonical JSON text and written back
unchanged.

>>> import conflictmodel as cm
>>> event = UnknownEvent(id="d1", when="2020-02", tag="displacement",
...                      payload={"people": {"low": 1, "best": 2, "high": 3}})
>>> event.payload
'{"people":{"best":2,"high":3,"low":1}}'
>>> event.fields["people"]["best"]
2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import orjson

from conflictmodel._checks import describe, fail, text
from conflictmodel.claims import Statement
from conflictmodel.events import Event


def canonical_json(value: object) -> str:
    """``value`` as compact JSON with sorted keys; text is parsed and re-written first."""
    try:
        parsed = orjson.loads(value) if isinstance(value, str | bytes) else value
        return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS).decode()
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, TypeError):
        return value if isinstance(value, str) else repr(value)


def _to_payload(value: Mapping[str, Any] | str) -> str:
    return canonical_json(value)


def _payload(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    try:
        parsed = orjson.loads(value) if isinstance(value, str) else None
    except orjson.JSONDecodeError as error:
        fail(owner, attribute, f"is not JSON: {error}")
    if not isinstance(parsed, dict):
        found = describe(value) if isinstance(value, str) else type(value).__name__
        fail(
            owner,
            attribute,
            f"expected JSON text of an object (nested at most 254 deep), got {found}",
        )


def _fields_of(payload: str) -> dict[str, Any]:
    fields: dict[str, Any] = orjson.loads(payload)
    return fields


@attrs.frozen(kw_only=True)
class UnknownEvent(Event):
    """An event of unregistered type ``tag``; ``payload`` holds its other fields as JSON."""

    tag: str = attrs.field(validator=text)
    payload: str = attrs.field(default="{}", converter=_to_payload, validator=_payload)

    @property
    def fields(self) -> dict[str, Any]:
        """The fields this program does not know, parsed from :attr:`payload`."""
        return _fields_of(self.payload)


@attrs.frozen(kw_only=True)
class UnknownStatement(Statement):
    """A statement of unregistered type ``tag``; ``payload`` holds its fields as JSON."""

    tag: str = attrs.field(validator=text)
    payload: str = attrs.field(default="{}", converter=_to_payload, validator=_payload)

    @property
    def fields(self) -> dict[str, Any]:
        """The statement's fields, parsed from :attr:`payload`."""
        return _fields_of(self.payload)
