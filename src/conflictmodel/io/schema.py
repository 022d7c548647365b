"""A JSON Schema of the file format, generated from the record classes and the registry.

The schema checks the shape of a document: fields, their JSON types, enum values, tags.
Rules that span fields (``low <= best <= high``, references that resolve) are the loader's.

>>> from conflictmodel.io.schema import json_schema
>>> schema = json_schema()
>>> schema["properties"]["version"]
{'const': 4}
>>> sorted(schema["$defs"]["Estimate"]["required"])
['best', 'high', 'low']
>>> schema["$defs"]["Estimate"]["properties"]["low"]["anyOf"][0]
{'type': 'integer', 'minimum': 0, 'maximum': 9223372036854775807}
>>> schema["$defs"]["Estimate"]["properties"]["best"]["anyOf"][1]
{'type': 'null'}
"""

from __future__ import annotations

import copy
import enum
from typing import Any

import attrs
import orjson

from conflictmodel import registry
from conflictmodel._checks import MAX_COUNT, count
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.fields import BOUNDS, MAX_INTEGER, MIN_INTEGER
from conflictmodel.io._history import LINE_KEY
from conflictmodel.io._migrations import FORMAT, FORMAT_VERSION
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.timespans import Precision

_ZONE = r"((Z|[+-]\d{2}(:?\d{2})?)(\[[^\[\]\s]+\])?|\[[^\[\]\s]+\])"
_DATE = rf"\d{{4}}(-\d{{2}}(-\d{{2}}(T\d{{2}}(:\d{{2}}(:\d{{2}})?)?{_ZONE})?)?)?"
_MOMENT = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
SPAN_PATTERN = rf"^({_DATE}|({_DATE}|\.\.)/({_DATE}|\.\.))$"
"""The text of a :class:`~conflictmodel.TimeSpan`: a time of day with its offset or zone, a
day, month or year, or a range.

>>> import re
>>> [bool(re.match(SPAN_PATTERN, t)) for t in ("2020-10-10T12:00+03:00/..", "2020-10-10T8")]
[True, False]
"""

_STRING = {"type": "string"}
_SCALARS: dict[Kind, dict[str, Any]] = {
    Kind.ID: _STRING,
    Kind.TEXT: _STRING,
    Kind.REFERENCE: _STRING,
    Kind.REFERENCES: {"type": "array", "items": _STRING},
    Kind.TEXTS: {"type": "array", "items": _STRING},
    Kind.REFERENCE_GROUPS: {"type": "array", "items": {"type": "array", "items": _STRING}},
    Kind.TEXT_MAPPING: {"type": "object", "additionalProperties": _STRING},
    Kind.INT: {"type": "integer"},
    Kind.FLOAT: {"type": "number"},
    Kind.BOOL: {"type": "boolean"},
}


def _is_count(field: attrs.Attribute[Any]) -> bool:
    validator = field.validator
    return validator is count or getattr(validator, "validator", None) is count


def _bound_numbers(schema: dict[str, Any], minimum: float | None, maximum: float | None) -> None:
    """Give the number and integer branches of ``schema`` the range ``minimum`` to ``maximum``
    (``None``: unbounded on that side)."""
    if schema.get("type") in ("integer", "number"):
        bounds = {"minimum": minimum, "maximum": maximum}
        schema.update({key: bound for key, bound in bounds.items() if bound is not None})
    for branch in schema.get("anyOf", ()):
        _bound_numbers(branch, minimum, maximum)


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}
        self.names: dict[type, str] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    def name_of(self, cls: type) -> str:
        if cls not in self.names:
            name = cls.__qualname__
            while name in self.defs or name in self.names.values():
                name += "_"
            self.names[cls] = name
        return self.names[cls]

    def of(self, field: FieldSpec) -> dict[str, Any]:
        schema = self.of_kind(field)
        return {"anyOf": [schema, {"type": "null"}]} if field.optional else schema

    def of_kind(self, field: FieldSpec) -> dict[str, Any]:
        if field.kind in _SCALARS:
            return copy.deepcopy(_SCALARS[field.kind])
        if field.kind is Kind.SPAN:
            return self.ref("TimeSpan")
        if field.kind is Kind.STATEMENT:
            return self.ref("Statement")
        if field.kind is Kind.ENUM and field.value_type is not None:
            return self.enum(field.value_type)
        if field.kind is Kind.ENUMS and field.value_type is not None:
            return {"type": "array", "items": self.enum(field.value_type)}
        if field.kind in (Kind.ESTIMATE, Kind.POINT, Kind.VALUE) and field.value_type is not None:
            return self.value_class(field.value_type)
        if field.kind is Kind.VALUES and field.value_type is not None:
            return {"type": "array", "items": self.value_class(field.value_type)}
        return {}

    def enum(self, kind: type[enum.Enum]) -> dict[str, Any]:
        name = self.name_of(kind)
        self.defs.setdefault(name, {"enum": [member.value for member in kind]})
        return self.ref(name)

    def fields(self, cls: type, tag: str | None) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        if tag is not None:
            properties[registry.TYPE_KEY] = {"const": tag}
            required.append(registry.TYPE_KEY)
        attributes = attrs.fields_dict(cls)
        for field in fields_of(cls):
            properties[field.name] = self.of(field)
            if _is_count(attributes[field.name]):
                _bound_numbers(properties[field.name], 0, MAX_COUNT)
            bounds = attributes[field.name].metadata.get(BOUNDS)
            if bounds is not None:
                low, high = bounds
                if field.kind is Kind.INT:
                    low = MIN_INTEGER if low is None else low
                    high = MAX_INTEGER if high is None else high
                _bound_numbers(properties[field.name], low, high)
            if field.required:
                required.append(field.name)
        return {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }

    def value_class(self, cls: type) -> dict[str, Any]:
        name = self.name_of(cls)
        if name not in self.defs:
            self.defs[name] = {}
            self.defs[name] = self.fields(cls, None)
        return self.ref(name)

    def tagged(self, tag: str, cls: type) -> dict[str, Any]:
        if tag not in self.defs:
            self.defs[tag] = {}
            self.defs[tag] = {"title": cls.__qualname__, **self.fields(cls, tag)}
        return self.ref(tag)


def _version(builder: _Builder, records: dict[str, type]) -> dict[str, Any]:
    """A history entry: the record it versions, when, and (once ended) the record as it was."""
    return {
        "type": "object",
        "properties": {
            "collection": {"enum": list(COLLECTIONS)},
            "id": _STRING,
            "recorded": _MOMENT,
            "release": {"anyOf": [_STRING, {"type": "null"}]},
            "until": _MOMENT,
            "withdrawn": {"type": "boolean"},
            "record": {"oneOf": [builder.tagged(tag, cls) for tag, cls in sorted(records.items())]},
        },
        "required": ["collection", "id"],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``.json`` document of every registered type.

    Each line after the header of a ``.jsonl`` file matches one of the ``$defs`` named by
    its tag (``"actor"``, ``"engagement"``, ...), or is ``{"history": ...}`` holding a
    ``Version``.
    """
    builder = _Builder()
    builder.defs["TimeSpan"] = {
        "anyOf": [
            {"type": "string", "pattern": SPAN_PATTERN},
            {
                "type": "object",
                "properties": {
                    "start": {"type": "null"},
                    "end": {"type": "null"},
                    "precision": {"enum": [precision.value for precision in Precision]},
                },
                "required": ["start", "end", "precision"],
                "additionalProperties": False,
            },
        ]
    }
    statements = registry.statement_types()
    builder.defs["Statement"] = {
        "oneOf": [builder.tagged(tag, cls) for tag, cls in sorted(statements.items())]
    }
    records = registry.record_types()
    properties: dict[str, Any] = {
        "format": {"const": FORMAT},
        "version": {"const": FORMAT_VERSION},
    }
    for collection, base in COLLECTIONS.items():
        kinds = [
            builder.tagged(tag, cls)
            for tag, cls in sorted(records.items())
            if issubclass(cls, base)
        ]
        properties[collection] = {"type": "array", "items": {"oneOf": kinds}}
    builder.defs["Version"] = _version(builder, records)
    properties[LINE_KEY] = {"type": "array", "items": builder.ref("Version")}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "conflictmodel dataset",
        "type": "object",
        "properties": properties,
        "required": ["format", "version"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


if __name__ == "__main__":
    print(orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2).decode())
