"""Reading files written in older versions of the format.

Each :class:`Migration` lifts a document (and, for JSON Lines, each record) from one format
version to the next; loaders apply them in turn up to :data:`FORMAT_VERSION`.

Version 0 is the pre-release layout: one flat ``records`` list instead of a list per
collection, and time spans as ``{"start", "end", "precision"}`` objects with ISO dates.
Version 1 gave a claim one ``source``; version 2 gives it a list of ``sources``.
Version 3 adds the dataset's ``history`` (the versions of its records); older files have none.
Version 4 adds an event's ``aggregate`` flag; in older files every event is one incident.
A migration never overwrites what it does not understand: a version 0 document that also has
a list per collection is refused with the reason, not emptied.

>>> old = {"format": "conflictmodel", "version": 0, "records": [
...     {"type": "source", "id": "s", "title": "A report",
...      "published": {"start": "2020-02-06", "end": "2020-02-06", "precision": "day"}}]}
>>> upgrade_document(old)["sources"][0]["published"]
'2020-02-06'
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import attrs

from conflictmodel import registry
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.errors import ConflictModelError, LoadError, LoadProblem
from conflictmodel.timespans import TimeSpan

FORMAT = "conflictmodel"
"""The value of a document's ``format`` field."""

FORMAT_VERSION = 4
"""The version this library writes; it reads every version from 0 up to it."""


@attrs.frozen
class Migration:
    """How to lift version ``source`` to ``source + 1``: a JSON Lines record, or a document."""

    source: int
    record: Callable[[Any], Any]
    document: Callable[[dict[str, Any]], dict[str, Any]]


def _date(value: object) -> datetime.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def _spans_as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [_spans_as_text(item) for item in value]
    if not isinstance(value, dict):
        return value
    keys = value.keys() - {"end_precision"}
    if keys == {"start", "end", "precision"} and (value["start"], value["end"]) != (None, None):
        try:
            span = TimeSpan(
                _date(value["start"]),
                _date(value["end"]),
                value["precision"],
                value.get("end_precision"),
            )
            return str(span)
        except (ValueError, TypeError, ConflictModelError):
            return value
    return {key: _spans_as_text(item) for key, item in value.items()}


def _document_0(document: dict[str, Any]) -> dict[str, Any]:
    clashing = [name for name in COLLECTIONS if name in document]
    if clashing:
        names = ", ".join(map(repr, clashing))
        message = (
            f"a version 0 document keeps its records in one 'records' list, but this one has "
            f"{names}: refusing to guess (is it a version {FORMAT_VERSION} document labelled 0?)"
        )
        raise LoadError([LoadProblem(clashing[0], message)])
    records = document.get("records", [])
    if not isinstance(records, list):
        raise LoadError([LoadProblem("records", "expected a list of records")])
    grouped: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
    for index, record in enumerate(records):
        tag = record.get(registry.TYPE_KEY) if isinstance(record, dict) else None
        cls = registry.record_class(tag) if isinstance(tag, str) else None
        if not isinstance(record, dict) or not isinstance(tag, str):
            raise LoadError([LoadProblem(f"records[{index}]", "expected a record with a type")])
        grouped["events" if cls is None else cls.collection].append(_spans_as_text(record))
    rest = {key: value for key, value in document.items() if key != "records"}
    return {**rest, **grouped}


def _claim_sources(record: Any) -> Any:
    """A version 1 claim's ``"source": id`` as ``"sources": [id]``; anything else unchanged."""
    if not isinstance(record, dict) or record.get(registry.TYPE_KEY) != "claim":
        return record
    if "source" not in record or "sources" in record:
        return record
    upgraded = {key: value for key, value in record.items() if key != "source"}
    source = record["source"]
    upgraded["sources"] = [] if source is None else [source]
    return upgraded


def _document_1(document: dict[str, Any]) -> dict[str, Any]:
    claims = document.get("claims")
    if not isinstance(claims, list):
        return document
    return {**document, "claims": [_claim_sources(claim) for claim in claims]}


def _unchanged(value: Any) -> Any:
    """A record or document of a version whose successor only added fields with defaults
    (version 2: a dataset with no history; version 3: no event is an aggregate)."""
    return value


MIGRATIONS: dict[int, Migration] = {
    0: Migration(0, _spans_as_text, _document_0),
    1: Migration(1, _claim_sources, _document_1),
    2: Migration(2, _unchanged, _unchanged),
    3: Migration(3, _unchanged, _unchanged),
}
"""The migration out of each old version."""


def check_header(header: object, path: str = "$") -> int:
    """The format version ``header`` declares; a :class:`LoadError` if it is not readable."""
    if not isinstance(header, dict):
        raise LoadError([LoadProblem(path, "expected a JSON object with a 'format' field")])
    if header.get("format") != FORMAT:
        raise LoadError(
            [LoadProblem(path, f"not a conflictmodel document: 'format' must be {FORMAT!r}")]
        )
    version = header.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        message = f"'version' must be a format version from 0 to {FORMAT_VERSION}"
        raise LoadError([LoadProblem(path, f"{message}, got {version!r}")])
    if version > FORMAT_VERSION:
        raise LoadError(
            [
                LoadProblem(
                    path,
                    f"written in format version {version} by a newer conflictmodel; this one "
                    f"reads versions 0 to {FORMAT_VERSION}: upgrade conflictmodel to read it",
                )
            ]
        )
    return version


def upgrade_record(record: Any, version: int) -> Any:
    """One record (a JSON Lines line) of ``version`` in the current format."""
    for step in range(version, FORMAT_VERSION):
        record = MIGRATIONS[step].record(record)
    return record


def upgrade_document(document: dict[str, Any]) -> dict[str, Any]:
    """A whole document in the current format (checked with :func:`check_header` first)."""
    version = check_header(document)
    for step in range(version, FORMAT_VERSION):
        migration = MIGRATIONS[step]
        document = migration.document(document)
        document["version"] = step + 1
    return document
