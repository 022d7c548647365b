"""Stand-ins for records and statements of types this program does not know.

``load(path, strict=False)`` keeps an event or a statement whose ``type`` tag is not
registered (written with a plug-in that is not installed here) as one of these: the fields
every event has are read as usual, so the event still has a time and a place, joins the
dataset and can be referred to; the rest is kept as canonical JSON text and written back
unchanged, numbers as written (``123456789012345678901234567890`` and ``1e2`` stay so).

>>> import conflictmodel as cm
>>> event = UnknownEvent(id="d1", when="2020-02", tag="displacement",
...                      payload={"people": {"low": 1, "best": 2, "high": 3}})
>>> event.payload
'{"people":{"best":2,"high":3,"low":1}}'
>>> event.fields["people"]["best"]
2
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs
import orjson

from conflictmodel._checks import describe, fail, text
from conflictmodel.claims import Statement
from conflictmodel.events import Event


def _exact_int(text: str) -> int | orjson.Fragment:
    if len(text) <= 20:
        value = int(text)
        if -(2**63) <= value < 2**64 and str(value) == text:
            return value
    return orjson.Fragment(text)


def _exact_float(text: str) -> float | orjson.Fragment:
    value = float(text)
    if math.isfinite(value) and orjson.dumps(value).decode() == text:
        return value
    return orjson.Fragment(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        repeated = [key for key, count in Counter(key for key, _ in pairs).items() if count > 1]
        raise ValueError(f"the key {repeated[0]!r} appears more than once in one object")
    return result


def exact_json(text: str | bytes | bytearray) -> Any:
    """JSON text parsed with every number kept as written.

    A number that orjson would write back differently (past 64 bits, ``1e2``, ``-0``) is
    an :class:`orjson.Fragment` of its text, which orjson writes back unchanged; a key that
    appears twice in one object raises :class:`ValueError`.

    >>> exact_json('{"n": 123456789012345678901234567890, "m": 1e2, "k": 7}')["k"]
    7
    >>> orjson.dumps(exact_json('[123456789012345678901234567890, 1e2, 0.5]'))
    b'[123456789012345678901234567890,1e2,0.5]'
    """
    return json.loads(
        text, parse_int=_exact_int, parse_float=_exact_float, object_pairs_hook=_unique_keys
    )


def canonical_json(value: object) -> str:
    """``value`` as compact JSON with sorted keys; text is parsed (numbers as written) first."""
    try:
        parsed = exact_json(value) if isinstance(value, str | bytes) else value
        return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS).decode()
    except (ValueError, RecursionError, orjson.JSONEncodeError, TypeError):
        return value if isinstance(value, str) else repr(value)


def _to_payload(value: Mapping[str, Any] | str) -> str:
    return canonical_json(value)


def _payload(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    try:
        parsed = exact_json(value) if isinstance(value, str) else None
    except RecursionError:
        fail(owner, attribute, "is not JSON: nested too deeply")
    except ValueError as error:
        fail(owner, attribute, f"is not JSON: {error}")
    if not isinstance(parsed, dict):
        found = describe(value) if isinstance(value, str) else type(value).__name__
        fail(
            owner,
            attribute,
            f"expected JSON text of an object (nested at most 254 deep), got {found}",
        )


def _fields_of(payload: str) -> dict[str, Any]:
    fields: dict[str, Any] = json.loads(payload)
    return fields


@attrs.frozen(kw_only=True)
class UnknownEvent(Event):
    """An event of unregistered type :attr:`tag`."""

    tag: str = attrs.field(validator=text)
    """The ``type`` tag, which no registered class has."""
    payload: str = attrs.field(default="{}", converter=_to_payload, validator=_payload)
    """The event's other fields, as JSON."""

    @property
    def fields(self) -> dict[str, Any]:
        """The fields this program does not know, parsed from :attr:`payload`."""
        return _fields_of(self.payload)


@attrs.frozen(kw_only=True)
class UnknownStatement(Statement):
    """A statement of unregistered type :attr:`tag`."""

    tag: str = attrs.field(validator=text)
    """The ``type`` tag, which no registered class has."""
    payload: str = attrs.field(default="{}", converter=_to_payload, validator=_payload)
    """The statement's fields, as JSON."""

    @property
    def fields(self) -> dict[str, Any]:
        """The statement's fields, parsed from :attr:`payload`."""
        return _fields_of(self.payload)


OPAQUE = (UnknownEvent, UnknownStatement)
"""The stand-ins' classes, which no tag is registered for: each record carries its own."""

REGISTER_THEM = (
    "install the plug-in that provides them (a package naming its module in the "
    "conflictmodel.types entry point) or register their classes with "
    "@conflictmodel.event_type / @conflictmodel.statement_type, then load the file again"
)
"""How to make the tags of opaque records known."""


def counted_tags(found: list[UnknownEvent | UnknownStatement]) -> str:
    """How many of ``found`` are events and statements, with their tags, in words.

    >>> counted_tags([UnknownEvent(id="a", when="2020", tag="acme.shelling"),
    ...     UnknownEvent(id="b", when="2020", tag="acme.drone"), UnknownStatement(tag="acme.used")])
    "2 events of types 'acme.drone', 'acme.shelling' and 1 statement of type 'acme.used'"
    """
    parts = []
    for noun, cls in (("event", UnknownEvent), ("statement", UnknownStatement)):
        tags = Counter(record.tag for record in found if isinstance(record, cls))
        if tags:
            number = sum(tags.values())
            kinds = "types" if len(tags) > 1 else "type"
            parts.append(
                f"{number:,} {noun}{'' if number == 1 else 's'} of {kinds} "
                + ", ".join(map(repr, sorted(tags)))
            )
    return " and ".join(parts)
