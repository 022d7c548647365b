"""Round trips: every dataset the strategies make comes back equal, in identical bytes."""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel._converter import structure_span, unstructure_span
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.io._migrations import FORMAT_VERSION
from conflictmodel.io.json import to_document


@given(testing.datasets())
def test_loads_dumps_is_identity_and_bytes_are_stable(ds: cm.Dataset) -> None:
    text = cm.dumps(ds)
    again = cm.loads(text)
    assert again == ds
    assert cm.dumps(again) == text


@settings(max_examples=15)
@given(testing.datasets(max_events=6), testing.datasets(max_events=6))
def test_equal_datasets_give_equal_bytes_whatever_the_order(
    ds: cm.Dataset, other: cm.Dataset
) -> None:
    reordered = cm.Dataset(reversed(list(ds.records())))
    assert cm.dumps(reordered) == cm.dumps(ds)
    assert (cm.dumps(ds) == cm.dumps(other)) == (ds == other)


@settings(max_examples=20)
@given(testing.datasets(max_events=6))
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_files_round_trip(suffix: str, ds: cm.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"data{suffix}"
        cm.dump(ds, path)
        first = path.read_bytes()
        assert cm.load(path) == ds
        ranks = {name: rank for rank, name in enumerate(COLLECTIONS)}
        expected = sorted(ds.records(), key=lambda r: (ranks[r.collection], r.id))
        assert list(cm.iter_records(path)) == expected
        cm.dump(cm.load(path), path)
        assert path.read_bytes() == first


@given(testing.time_spans())
def test_span_text_reads_back_as_the_same_span(span: cm.TimeSpan) -> None:
    assert cm.when(str(span)) == span
    assert structure_span(unstructure_span(span)) == span


@pytest.mark.parametrize("precision", list(cm.Precision))
def test_fully_open_spans_keep_their_precision(precision: cm.Precision) -> None:
    span = cm.TimeSpan(None, None, precision)
    assert structure_span(orjson.loads(orjson.dumps(unstructure_span(span)))) == span


def test_seed_document_layout() -> None:
    ds = cm.examples.idlib_2020()
    document = to_document(ds)
    assert (document["format"], document["version"]) == ("conflictmodel", FORMAT_VERSION)
    retaliation = next(e for e in document["events"] if e["id"] == "retaliation-2020-02-03")
    assert retaliation["type"] == "engagement"
    assert retaliation["when"] == "2020-02-03"
    assert retaliation["casualties"][0]["killed"] == {"low": 27, "best": None, "high": 29}
    assert retaliation["kind"] == "attack"
    text = cm.dumps(ds)
    assert text.endswith("}\n")
    assert text == cm.dumps(cm.loads(text.encode()))


def test_jsonl_has_a_header_then_one_record_per_line(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    path = tmp_path / "seed.jsonl"
    cm.dump(ds, path)
    lines = path.read_bytes().splitlines()
    assert orjson.loads(lines[0]) == {"format": "conflictmodel", "version": FORMAT_VERSION}
    assert len(lines) == 1 + len(ds)
    assert all(orjson.loads(line)["type"] for line in lines[1:])


def test_format_can_be_forced_and_unknown_suffixes_are_refused(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    path = tmp_path / "seed.txt"
    with pytest.raises(cm.ValidationError, match=r"use \.json or \.jsonl"):
        cm.dump(ds, path)
    cm.dump(ds, path, format="jsonl")
    assert cm.load(path, format="jsonl") == ds
    with pytest.raises(cm.ValidationError, match="format must be"):
        cm.load(path, format="yaml")  # type: ignore[arg-type]


def test_dumps_refuses_what_is_not_a_dataset() -> None:
    with pytest.raises(cm.ValidationError, match="expected a Dataset"):
        cm.dumps([])  # type: ignore[arg-type]


@pytest.mark.parametrize(("freeze", "frozen"), [(True, True), (False, False), (None, False)])
def test_gc_freeze_moves_a_load_out_of_the_collectors_way_only_when_asked(
    freeze: bool | None, frozen: bool
) -> None:
    text = cm.dumps(cm.examples.idlib_2020())
    gc.unfreeze()
    try:
        cm.loads(text) if freeze is None else cm.loads(text, gc_freeze=freeze)
        assert (gc.get_freeze_count() > 0) is frozen
    finally:
        gc.unfreeze()
