"""A fast way from parsed JSON to engagements and claims, for files of a million records.

:class:`Structurer` checks a record's JSON value with plain type tests and builds the record
without going through cattrs and the per-field validators; equal spans, estimates, casualty
entries and id strings are built once and shared (they are frozen), which saves time and memory.
It accepts only what the converter would accept and build the same way; on anything else
(an unusual shape, a bad value, a type registered over a built-in tag) it returns ``None``
and the caller takes the converter's path, which reports the problem as usual. Every value it
builds passes the same checks: spans through :func:`~conflictmodel.when`, estimates and casualty
entries through their constructors, texts through the same tests as the field validators.

>>> import conflictmodel as cm
>>> structurer = Structurer()
>>> event = structurer({"type": "engagement", "id": "a", "when": "2020-02-03", "kind": "attack",
...     "initiators": ["syrian-army"], "targets": ["turkish-army"],
...     "casualties": [{"actor": "turkish-army", "killed": {"low": 8, "best": 8, "high": 8}}]})
>>> event == cm.Engagement(id="a", when="2020-02-03", kind="attack",
...     initiators=["syrian-army"], targets=["turkish-army"],
...     casualties=[cm.Casualties("turkish-army", killed=8)])
True
>>> structurer({"type": "engagement", "id": "a", "when": "2020-13"}) is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from immutabledict import immutabledict

from conflictmodel import registry
from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Claim,
    Controls,
    Occurred,
    Stance,
    Statement,
    Violated,
)
from conflictmodel.errors import ValidationError
from conflictmodel.events import Casualties, Engagement, EngagementKind
from conflictmodel.places import PlacePrecision
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.timespans import TimeSpan, when


class _Refused(Exception):
    """The value is not one this path builds; the converter's path decides."""


_REFUSED = _Refused()
_EMPTY_MAPPING: immutabledict[str, str] = immutabledict()
_ENGAGEMENT_KINDS = {member.value: member for member in EngagementKind}
_STANCES = {member.value: member for member in Stance}
_PLACE_PRECISIONS = {member.value: member for member in PlacePrecision}
_NO_ITEMS: list[Any] = []
_NO_FIELDS: dict[str, Any] = {}
_CASUALTY_KEYS = {"actor", "killed", "injured"}


def _keys(cls: type) -> tuple[frozenset[str], frozenset[str]]:
    """The keys a record of ``cls`` may have (with ``type``) and the keys it must have."""
    fields = attrs.fields(cls)
    allowed = frozenset({registry.TYPE_KEY, *(f.name for f in fields)})
    required = frozenset(
        {registry.TYPE_KEY, *(f.name for f in fields if f.default is attrs.NOTHING)}
    )
    return allowed, required


_ENGAGEMENT = _keys(Engagement)
_CLAIM = _keys(Claim)
_STATEMENTS: dict[str, tuple[type[Statement], frozenset[str], frozenset[str]]] = {
    tag: (cls, *_keys(cls))
    for tag, cls in (
        ("occurred", Occurred),
        ("attribution", Attribution),
        ("casualty_figure", CasualtyFigure),
        ("violated", Violated),
        ("controls", Controls),
    )
}


T = TypeVar("T", bound=attrs.AttrsInstance)


def _raw_builder(cls: type[T]) -> Callable[..., T]:
    """A function taking every field of ``cls`` by keyword, that sets them as is.

    It writes the slots through their descriptors, as the frozen class's own ``__init__`` does
    once its converters and validators have run; the caller has already checked the values.
    """
    names = [field.name for field in attrs.fields(cls)]
    setters = {}
    for name in names:
        owner = next(k for k in cls.__mro__ if name in vars(k))
        setters[f"set_{name}"] = vars(owner)[name].__set__
    body = "".join(f"    set_{name}(record, {name})\n" for name in names)
    source = f"def build(*, {', '.join(names)}):\n    record = new(cls)\n{body}    return record\n"
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls, **setters}
    exec(source, namespace)
    built: Callable[..., T] = namespace["build"]
    return built


_new_engagement = _raw_builder(Engagement)
_new_casualties = _raw_builder(Casualties)
_new_claim = _raw_builder(Claim)


class Structurer:
    """Builds engagements and claims from their JSON values; ``None`` for anything else.

    One structurer serves one load: it keeps every span, estimate, casualty entry and text it
    has checked, so that equal values are checked once and shared.
    """

    def __init__(self) -> None:
        self._known_texts: dict[str, str] = {}
        self._spans: dict[str, TimeSpan] = {}
        self._estimates: dict[tuple[int, int, int | None], Estimate] = {}
        self._casualties: dict[tuple[str | None, int, int], Casualties] = {}
        self._known_tuples: dict[tuple[object, ...], tuple[str, ...]] = {(): ()}
        self._shapes: set[tuple[object, ...]] = set()
        self._builders: dict[str, Callable[[dict[str, Any]], Record]] = {}
        self._statements: dict[str, tuple[type[Statement], frozenset[str], frozenset[str]]] = {}
        if registry.record_class("engagement") is Engagement:
            self._builders["engagement"] = self._engagement
        if registry.record_class("claim") is Claim:
            self._builders["claim"] = self._claim
        for tag, entry in _STATEMENTS.items():
            if registry.statement_class(tag) is entry[0]:
                self._statements[tag] = entry

    def __call__(self, value: object) -> Record | None:
        """The record ``value`` describes, or ``None`` when the converter must decide."""
        if not isinstance(value, dict):
            return None
        tag = value.get(registry.TYPE_KEY)
        builder = self._builders.get(tag) if type(tag) is str else None
        if builder is None:
            return None
        try:
            return builder(value)
        except (_Refused, ValidationError, KeyError, TypeError):
            return None

    # Values ------------------------------------------------------------------------------

    def _shape(self, value: dict[str, Any], keys: tuple[frozenset[str], frozenset[str]]) -> None:
        """Refuse ``value`` unless its keys are allowed ones and include the required ones."""
        names = (keys, *value)
        if names in self._shapes:
            return
        allowed, required = keys
        present = value.keys()
        if not (present <= allowed and required <= present):
            raise _REFUSED
        self._shapes.add(names)

    def _text(self, value: object) -> str:
        """A non-blank string (the ``text`` validator), shared with its earlier copies."""
        if type(value) is not str:
            raise _REFUSED
        known = self._known_texts.get(value)
        if known is not None:
            return known
        if not value.strip():
            raise _REFUSED
        self._known_texts[value] = value
        return value

    def _optional_text(self, value: object) -> str | None:
        return None if value is None else self._text(value)

    def _texts(self, value: object) -> tuple[str, ...]:
        """A list of distinct non-blank strings (the ``texts`` validator), as a tuple."""
        if type(value) is not list:
            raise _REFUSED
        items = tuple(value)
        known = self._known_tuples.get(items)
        if known is not None:
            return known
        checked = tuple(self._text(item) for item in items)
        if len(set(checked)) != len(checked):
            raise _REFUSED
        self._known_tuples[checked] = checked
        return checked

    def _span(self, value: object) -> TimeSpan:
        if type(value) is not str:
            raise _REFUSED
        span = self._spans.get(value)
        if span is None:
            span = self._spans[value] = when(value)
        return span

    def _optional_span(self, value: object) -> TimeSpan | None:
        return None if value is None else self._span(value)

    def _estimate(self, value: object) -> Estimate | None:
        if value is None:
            return None
        if type(value) is not dict or len(value) != 3:
            raise _REFUSED
        key = low, best, high = value["low"], value["best"], value["high"]
        if type(low) is not int or not all(n is None or type(n) is int for n in (best, high)):
            raise _REFUSED
        estimate = self._estimates.get(key)
        if estimate is None:
            estimate = self._estimates[key] = Estimate(low, best, high)
        return estimate

    def _casualty_list(self, value: object) -> tuple[Casualties, ...]:
        if type(value) is not list:
            raise _REFUSED
        entries = []
        actors = set()
        for item in value:
            if type(item) is not dict or not ("actor" in item and item.keys() <= _CASUALTY_KEYS):
                raise _REFUSED
            actor = self._optional_text(item["actor"])
            killed = self._estimate(item.get("killed"))
            injured = self._estimate(item.get("injured"))
            key = (actor, id(killed), id(injured))
            entry = self._casualties.get(key)
            if entry is None:
                if killed is None and injured is None:
                    raise _REFUSED
                entry = self._casualties[key] = _new_casualties(
                    actor=actor, killed=killed, injured=injured
                )
            entries.append(entry)
            actors.add(actor)
        if len(actors) != len(entries):
            raise _REFUSED
        return tuple(entries)

    def _mapping(self, value: object) -> immutabledict[str, str]:
        if type(value) is not dict:
            raise _REFUSED
        if not value:
            return _EMPTY_MAPPING
        return immutabledict({self._text(k): self._text(v) for k, v in value.items()})

    def _read(self, field: FieldSpec, value: object) -> object:
        """A statement's field value as its kind reads it; refused for kinds not read here."""
        if value is None and field.optional:
            return None
        if field.kind is Kind.ESTIMATE:
            return self._estimate(value)
        if field.kind is Kind.SPAN:
            return self._span(value)
        if field.kind is Kind.REFERENCES:
            return self._texts(value)
        if field.kind in (Kind.REFERENCE, Kind.TEXT):
            return self._text(value)
        raise _REFUSED

    # Records -----------------------------------------------------------------------------

    def _engagement(self, value: dict[str, Any]) -> Engagement:
        # The hot path of a large load: look-ups of checked values first, checks on a miss.
        self._shape(value, _ENGAGEMENT)
        get = value.get
        known, tuples = self._known_texts, self._known_tuples
        record_id, description, kind = value["id"], get("description", ""), value["kind"]
        kind = _ENGAGEMENT_KINDS.get(kind) if type(kind) is str else None
        if (
            type(record_id) is not str
            or not record_id.strip()
            or type(description) is not str
            or kind is None
            or get("captured") is not None
            or get("associates", []) != []
        ):
            raise _REFUSED
        span = self._spans.get(value["when"]) or self._span(value["when"])
        where, part_of, responds_to = get("where"), get("part_of"), get("responds_to")
        if where is not None:
            where = known.get(where) or self._text(where)
        if part_of is not None:
            part_of = known.get(part_of) or self._text(part_of)
        if responds_to is not None:
            responds_to = known.get(responds_to) or self._text(responds_to)
        lists = [get("sources", _NO_ITEMS), value["initiators"], value["targets"]]
        for index, items in enumerate(lists):
            if type(items) is not list:
                raise _REFUSED
            lists[index] = tuples.get(tuple(items)) or self._texts(items)
        source_values = get("source_values", _NO_FIELDS)
        casualties = get("casualties", _NO_ITEMS)
        total = get("reported_total")
        precision = get("where_precision")
        if precision is not None:
            precision = _PLACE_PRECISIONS.get(precision) if type(precision) is str else None
            if precision is None:
                raise _REFUSED
        return _new_engagement(
            id=record_id,
            when=span,
            where=where,
            description=description,
            sources=lists[0],
            part_of=part_of,
            source_values=(
                _EMPTY_MAPPING if source_values == _NO_FIELDS else self._mapping(source_values)
            ),
            kind=kind,
            initiators=lists[1],
            targets=lists[2],
            casualties=self._casualty_list(casualties),
            captured=None,
            responds_to=responds_to,
            reported_total=None if total is None else self._estimate(total),
            associates=(),
            where_precision=precision,
        )

    def _statement(self, value: object) -> Statement:
        if type(value) is not dict:
            raise _REFUSED
        tag = value.get(registry.TYPE_KEY)
        entry = self._statements.get(tag) if type(tag) is str else None
        if entry is None:
            raise _REFUSED
        cls, allowed, required = entry
        self._shape(value, (allowed, required))
        fields: dict[str, Any] = {}
        for field in fields_of(cls):
            if field.name in value:
                fields[field.name] = self._read(field, value[field.name])
        return cls(**fields)

    def _claim(self, value: dict[str, Any]) -> Claim:
        self._shape(value, _CLAIM)
        get = value.get
        stance = _STANCES.get(get("stance", "asserts")) if type(get("stance", "")) is str else None
        if stance is None:
            raise _REFUSED
        record_id = value["id"]
        if type(record_id) is not str or not record_id.strip():
            raise _REFUSED
        return _new_claim(
            id=record_id,
            claimant=self._optional_text(value["claimant"]),
            statement=self._statement(value["statement"]),
            stance=stance,
            made=self._optional_span(get("made")),
            sources=self._texts(get("sources", _NO_ITEMS)),
        )
