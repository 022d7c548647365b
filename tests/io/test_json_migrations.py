"""Files in older format versions load as the current version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.io._migrations import FORMAT_VERSION, MIGRATIONS

SPAN_FIELDS = {"when", "signed", "effective", "made", "published", "span", "since"}


def _span_object(text: str) -> dict[str, Any]:
    span = cm.when(text)
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
