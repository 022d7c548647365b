"""Files in older format versions load as the current version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.io._migrations import FORMAT_VERSION, MIGRATIONS

SPAN_FIELDS = {"when", "signed", "effective", "made", "published", "span", "since"}


def _span_object(text: str) -> dict[str, Any] | str:
    """A span as version 0 wrote it; version 0 had no times of day, so those stay text."""
    span = cm.when(text)
    if span.start_time is not None or span.end_time is not None:
        return text
    return {
        "start": None if span.start is None else span.start.isoformat(),
        "end": None if span.end is None else span.end.isoformat(),
        "precision": span.precision.value,
        **({} if span.end_precision is None else {"end_precision": span.end_precision.value}),
    }


def _to_version_0(value: Any) -> Any:
    if isinstance(value, list):
        return [_to_version_0(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _span_object(item)
            if key in SPAN_FIELDS and isinstance(item, str)
            else _to_version_0(item)
            for key, item in value.items()
        }
    return value


def _version_0(ds: cm.Dataset) -> dict[str, Any]:
    document = orjson.loads(cm.dumps(ds))
    records = [
        record for name, items in document.items() if isinstance(items, list) for record in items
    ]
    return {"format": "conflictmodel", "version": 0, "records": _to_version_0(records)}


def test_every_old_version_has_a_migration() -> None:
    assert sorted(MIGRATIONS) == list(range(FORMAT_VERSION))


def test_version_0_documents_load_as_the_same_dataset() -> None:
    seed = cm.examples.idlib_2020()
    old = _version_0(seed)
    assert old["records"][0]["type"] == "actor"
    assert any(isinstance(r.get("when"), dict) for r in old["records"])
    assert cm.loads(orjson.dumps(old)) == seed


@settings(max_examples=15)
@given(testing.datasets(max_events=6))
def test_version_0_of_any_dataset_migrates(ds: cm.Dataset) -> None:
    assert cm.loads(orjson.dumps(_version_0(ds))) == ds


def test_version_0_json_lines(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    path = tmp_path / "old.jsonl"
    lines = [{"format": "conflictmodel", "version": 0}, *_version_0(seed)["records"]]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    assert cm.load(path) == seed


@pytest.mark.parametrize(
    ("records", "words"),
    [
        ({"type": "actor"}, "expected a list of records"),
        (["actor"], "expected a record with a type"),
        ([{"id": "x"}], "expected a record with a type"),
    ],
)
def test_malformed_version_0_documents(records: object, words: str) -> None:
    document = {"format": "conflictmodel", "version": 0, "records": records}
    with pytest.raises(cm.LoadError, match=words):
        cm.loads(orjson.dumps(document))


def test_a_bad_old_span_is_reported_at_its_path() -> None:
    span = {"start": "2020-02-31", "end": None, "precision": "day"}
    record = {"type": "source", "id": "s", "title": "t", "published": span}
    document = {"format": "conflictmodel", "version": 0, "records": [record]}
    with pytest.raises(cm.LoadError, match=r"sources\[0\]\.published: expected a time span"):
        cm.loads(orjson.dumps(document))


@pytest.mark.parametrize("records", [None, []])
def test_a_version_0_document_with_current_collections_is_refused_not_emptied(
    records: object,
) -> None:
    document = orjson.loads(cm.dumps(cm.examples.idlib_2020()))
    document["version"] = 0
    if records is not None:
        document["records"] = records
    with pytest.raises(cm.LoadError, match=r"actors: a version 0 document keeps its records"):
        cm.loads(orjson.dumps(document))


def _without_aggregate(record: Any) -> Any:
    assert record.get("aggregate") is not True
    return {key: value for key, value in record.items() if key != "aggregate"}


def _down_to_3(document: dict[str, Any]) -> dict[str, Any]:
    """A version 4 document as version 3 wrote it: no event is marked an aggregate."""
    events = [_without_aggregate(event) for event in document.get("events", [])]
    history = [
        {**entry, "record": _without_aggregate(entry["record"])} if "record" in entry else entry
        for entry in document.get("history", [])
    ]
    return {**document, "version": 3, "events": events, "history": history}


def _down_to_2(document: dict[str, Any]) -> dict[str, Any]:
    """A version 3 document as version 2 wrote it: no history, only the current records."""
    assert "history" not in document or all(
        "record" in e or e["until"] is None for e in document["history"]
    )
    return {**{k: v for k, v in document.items() if k != "history"}, "version": 2}


def _down_to_1(document: dict[str, Any]) -> dict[str, Any]:
    """A version 2 document as version 1 wrote it: a claim has one ``source``."""
    claims = []
    for claim in document.get("claims", []):
        older = {key: value for key, value in claim.items() if key != "sources"}
        older["source"] = claim["sources"][0] if claim["sources"] else None
        claims.append(older)
    return {**document, "version": 1, "claims": claims}


def _down_to_0(document: dict[str, Any]) -> dict[str, Any]:
    """A version 1 document as version 0 wrote it: one ``records`` list, spans as objects."""
    records = [record for name in COLLECTIONS for record in document.get(name, [])]
    return {"format": "conflictmodel", "version": 0, "records": _to_version_0(records)}


DOWNGRADES = {3: _down_to_3, 2: _down_to_2, 1: _down_to_1, 0: _down_to_0}
"""How each older version wrote what the version after it writes."""


def _every_version(ds: cm.Dataset) -> dict[int, dict[str, Any]]:
    documents = {FORMAT_VERSION: orjson.loads(cm.dumps(ds))}
    for version in reversed(range(FORMAT_VERSION)):
        documents[version] = DOWNGRADES[version](documents[version + 1])
    return documents


def test_every_old_version_has_a_writer_in_these_tests() -> None:
    assert sorted(DOWNGRADES) == list(range(FORMAT_VERSION))


@pytest.mark.parametrize("version", range(FORMAT_VERSION + 1))
def test_a_file_of_every_version_loads_as_the_same_dataset(tmp_path: Path, version: int) -> None:
    seed = cm.examples.idlib_2020()
    old = _every_version(seed)[version]
    assert old["version"] == version
    assert cm.loads(orjson.dumps(old)) == seed
    listed = old["records"] if version == 0 else [r for n in COLLECTIONS for r in old.get(n, [])]
    lines = [{"format": "conflictmodel", "version": version}, *listed]
    path = tmp_path / f"version-{version}.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    assert cm.load(path) == seed


def test_a_version_2_file_of_a_dataset_with_history_loads_its_current_records() -> None:
    seed = cm.examples.idlib_2020()
    dated = seed.updated([cm.Event(id="rumour", when="2020-02")], recorded="2020-03-01")
    edited = dated.updated([cm.Event(id="rumour", when="2020-02-07")], recorded="2020-03-02")
    documents = _every_version(edited)
    assert len(documents[FORMAT_VERSION]["history"]) == 2
    assert "history" not in documents[2]
    for version in range(FORMAT_VERSION):
        expected = edited if version >= 3 else cm.Dataset(edited.records())
        assert cm.loads(orjson.dumps(documents[version])) == expected


def test_the_old_versions_written_here_have_the_old_shapes() -> None:
    documents = _every_version(cm.examples.idlib_2020())
    assert all("source" in c and "sources" not in c for c in documents[1]["claims"])
    assert "claims" not in documents[0]
    assert all("aggregate" not in event for event in documents[3]["events"])
    assert any(isinstance(r.get("made"), dict) for r in documents[0]["records"])
