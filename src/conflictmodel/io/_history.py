"""A dataset's history in the file format: one entry per version of a record.

An entry names the record by ``collection`` and ``id`` and gives ``recorded``, ``release``,
``until`` and ``withdrawn``; an ended version carries its ``record`` as it was, while the
current version's record is the one in its collection, so no record is written twice.
Times are ISO 8601 in UTC (``2020-02-06T13:00:00Z``).

>>> import conflictmodel as cm
>>> v = cm.Version(record=cm.Event(id="e", when="2020"), recorded="2020-03-01", until="2020-04-01")
>>> entry = version_json(v)
>>> entry["recorded"], entry["until"], entry["record"]["when"]
('2020-03-01T00:00:00Z', '2020-04-01T00:00:00Z', '2020')
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from conflictmodel._checks import describe
from conflictmodel._converter import converter
from conflictmodel._problems import join, problems_of
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.errors import ConflictModelError, LoadProblem
from conflictmodel.records import Record
from conflictmodel.vintages import RecordKey, Version, misfiled, recordless

ENTRY_FIELDS = ("collection", "id", "recorded", "release", "until", "withdrawn", "record")
"""The fields of a history entry, ``collection`` and ``id`` required."""

LINE_KEY = "history"
"""A JSON Lines line holding a history entry is ``{"history": entry}``."""


def _time(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def version_json(version: Version) -> dict[str, Any]:
    """One version as a history entry (its record only when the version has ended)."""
    entry: dict[str, Any] = {
        "collection": version.record.collection,
        "id": version.record.id,
        "recorded": _time(version.recorded),
        "release": version.release,
        "until": _time(version.until),
        "withdrawn": version.withdrawn,
    }
    if not version.current:
        entry["record"] = converter.unstructure(version.record)
    return entry


def history_json(history: Mapping[RecordKey, tuple[Version, ...]]) -> list[dict[str, Any]]:
    """Every version, record by record in file order, oldest first."""
    rank = {collection: position for position, collection in enumerate(COLLECTIONS)}
    keys = sorted(history, key=lambda key: (rank[key[0]], key[1]))
    return [version_json(version) for key in keys for version in history[key]]


@attrs.frozen
class Entry:
    """A history entry read from a file, its current record still to be found."""

    path: str
    key: RecordKey
    record: Record | None
    stamp: dict[str, Any]


def _moment(item: dict[str, Any], name: str, path: str) -> datetime.datetime | None:
    value = item.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(join(path, name), f"expected an ISO date and time, got {describe(value)}")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(join(path, name), f"{value!r} is not an ISO date and time") from None
    if moment.tzinfo is None:
        raise _Bad(join(path, name), f"{value!r} has no time zone (write it in UTC, with Z)")
    return moment


class _Bad(Exception):
    def __init__(self, path: str, message: str) -> None:
        self.problem = LoadProblem(path, message)


def entry_from_json(item: object, path: str) -> Entry | list[LoadProblem]:
    """A history entry, or the problems that stop it being read."""
    if not isinstance(item, dict):
        return [LoadProblem(path, f"expected a history entry (an object), got {describe(item)}")]
    extra = sorted(set(item) - set(ENTRY_FIELDS))
    if extra:
        accepted = ", ".join(ENTRY_FIELDS)
        return [LoadProblem(path, f"unexpected fields {extra}; a history entry has {accepted}")]
    collection, record_id = item.get("collection"), item.get("id")
    if collection not in COLLECTIONS:
        shown = ", ".join(COLLECTIONS)
        message = f"expected one of {shown}, got {describe(collection)}"
        return [LoadProblem(join(path, "collection"), message)]
    if not isinstance(record_id, str):
        return [LoadProblem(join(path, "id"), f"expected a record id, got {describe(record_id)}")]
    try:
        stamp = {
            "recorded": _moment(item, "recorded", path),
            "until": _moment(item, "until", path),
            "release": item.get("release"),
            "withdrawn": item.get("withdrawn", False),
        }
    except _Bad as bad:
        return [bad.problem]
    record: Record | None = None
    if "record" in item:
        try:
            record = converter.structure(item["record"], COLLECTIONS[collection])
        except Exception as error:
            return list(problems_of(error, join(path, "record")))
        wrong = misfiled((collection, record_id), record)
        if wrong is not None:
            return [LoadProblem(join(path, "record"), wrong)]
    return Entry(path, (collection, record_id), record, stamp)


def versions_of(
    entries: Iterable[Entry], records: Mapping[RecordKey, Record]
) -> tuple[list[Version], list[LoadProblem]]:
    """The versions the entries describe; a current one takes the record of its collection."""
    versions: list[Version] = []
    problems: list[LoadProblem] = []
    for entry in entries:
        record = entry.record or records.get(entry.key)
        if record is None:
            problems.append(LoadProblem(entry.path, recordless(entry.key)))
            continue
        try:
            versions.append(Version(record=record, **entry.stamp))
        except ConflictModelError as error:
            problems.append(LoadProblem(entry.path, str(error)))
    return versions, problems
