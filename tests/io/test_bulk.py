"""The bulk structurer of the JSON loader against the converter, on generated records."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel._converter import converter
from conflictmodel.records import Record

# The bulk structurer -------------------------------------------------------------------------

JUNK: list[Any] = [
    None,
    "",
    " ",
    "x",
    "2020-13",
    "2020-02-30",
    0,
    -1,
    5,
    2.5,
    True,
    [],
    ["a", "a"],
    ["a", ""],
    [1],
    {},
    {"low": 1, "best": 2, "high": 3},
    {"low": 3, "best": 2, "high": 1},
    {"low": True, "best": 1, "high": 1},
    {"low": 1.0, "best": 1, "high": 1},
    {"low": 1, "best": 1},
    {"low": 1, "best": 1, "high": None, "x": 1},
    [{"actor": "a", "killed": None, "injured": None}],
    [{"actor": "a", "killed": {"low": 1, "best": 1, "high": 1}}] * 2,
    [{"actor": None, "killed": {"low": 1, "best": 1, "high": None}}],
    [{"killed": {"low": 1, "best": 1, "high": 1}}],
    {"type": "occurred", "event": "e"},
    {"type": "attribution", "event": "e", "perpetrators": []},
    {"type": "casualty_figure", "event": "e", "actor": None, "killed": None},
    {"type": "casualty_figure", "event": "e", "actor": None},
    {"type": "violated", "agreement": "g", "violators": ["a"], "events": ["e", "e"]},
    {"type": "controls", "location": "p", "actor": "a", "since": "2020-02"},
    {"type": "nonsense"},
    "denies",
    "attack",
    "engagement",
    "claim",
    "toll",
]


def outcome(value: object) -> Record | type[Exception]:
    try:
        record: Record = converter.structure(value, Record)
    except Exception as error:
        return type(error)
    return record


def change(
    draw: st.DrawFn,
    value: dict[str, Any],
    junk: list[Any] = JUNK,
    added: tuple[list[str], object] = (["extra", "tag", "kind", "stance"], "attack"),
) -> None:
    """Change one field of a record's JSON ``value``: replace it with ``junk``, remove it, add
    a key (one of ``added``'s names, with its value) or change a field of a nested object."""
    action = draw(st.sampled_from(["replace", "remove", "add", "nested"]))
    key = draw(st.sampled_from(sorted(value)))
    if action == "replace":
        value[key] = draw(st.sampled_from(junk))
    elif action == "remove":
        del value[key]
    elif action == "add":
        value[draw(st.sampled_from(added[0]))] = added[1]
    elif isinstance(value[key], dict) and value[key]:
        inner = dict(value[key])
        inner[draw(st.sampled_from(sorted(inner)))] = draw(st.sampled_from(junk))
        value[key] = inner


@st.composite
def json_records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid record as JSON, sometimes with a field changed, added or removed."""
    ds = draw(testing.datasets(max_events=4, max_claims=4))
    records = list(ds.records())
    fallback = cm.Engagement(id="e", when="2020", kind="attack", initiators=[], targets=[])
    value: dict[str, Any] = converter.unstructure(draw(st.sampled_from(records or [fallback])))
    for _ in range(draw(st.integers(0, 2))):
        change(draw, value)
    return value


@given(json_records())
def test_the_structurer_builds_what_the_converter_builds_or_leaves_it_to_it(
    value: dict[str, Any],
) -> None:
    fast = _bulk_structurer()(value)
    expected = outcome(value)
    if fast is not None:
        assert fast == expected
        assert type(fast) is type(expected)
        assert repr(fast) == repr(expected)


@given(testing.datasets(max_events=6, max_claims=6))
def test_the_structurer_takes_every_valid_record(ds: cm.Dataset) -> None:
    structurer = _bulk_structurer()
    for record in ds.records():
        built = structurer(converter.unstructure(record))
        assert built == record
        assert type(built) is type(record)


def _bulk_structurer() -> Any:
    from conflictmodel._bulk import Structurer

    return Structurer()


def test_a_loaded_file_shares_equal_values_and_equals_the_dataset(tmp_path: Any) -> None:
    records: list[cm.Record] = [
        cm.Actor(id="a", name="A", kind="state"),
        cm.Actor(id="b", name="B", kind="state"),
    ]
    for index in range(3):
        records.append(
            cm.Engagement(
                id=f"e{index}",
                when="2020-02-03",
                kind="attack",
                initiators=["a"],
                targets=["b"],
                casualties=[cm.Casualties("b", killed=8)],
            )
        )
    ds = cm.Dataset(records)
    cm.dump(ds, tmp_path / "ds.jsonl")
    loaded = cm.load(tmp_path / "ds.jsonl")
    assert loaded == ds
    events = [e for e in loaded.events.values() if isinstance(e, cm.Engagement)]
    assert len({id(e.when) for e in events}) == 1
    assert len({id(e.casualties[0]) for e in events}) == 1


def _plans() -> int:
    from conflictmodel._bulk import _Plan

    return sum(isinstance(kept, _Plan) for kept in gc.get_objects())


@pytest.mark.parametrize("name", ["seed.json", "seed.jsonl"])
def test_a_load_leaves_nothing_it_read_to_the_cyclic_collector(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    cm.dump(cm.examples.idlib_2020(), path)
    gc.collect()
    gc.disable()
    try:
        before = _plans()
        loaded = [cm.load(path), *([cm.load(path, lazy=True)] if name.endswith("l") else [])]
        assert _plans() == before
    finally:
        gc.enable()
    assert all(ds == cm.examples.idlib_2020() for ds in loaded)


def test_a_fields_distinct_values_are_built_anew_and_their_parts_shared() -> None:
    """The readers of a field's distinct values (the columns-first load) keep no value for
    sharing: each is read once. What they are made of still is shared."""
    from conflictmodel._bulk import Structurer

    figures = {"low": 1, "best": 2, "high": 3}
    entry = {"actor": "a", "killed": figures, "injured": dict(figures)}
    claim = {"type": "casualty_figure", "event": "e", "actor": "a", "killed": figures}
    with Structurer() as structurer:
        items = structurer.field_items(cm.Engagement, "casualties")
        assert items is not None
        read_entry, read_statement = items[0], structurer.field_reader(cm.Claim, "statement")
        first, again = read_entry(entry), read_entry(dict(entry))
        estimate = cm.Estimate(low=1, best=2, high=3)
        assert first == again == cm.Casualties("a", killed=estimate, injured=estimate)
        assert first is not again
        assert first.killed is first.injured is again.killed
        assert read_statement(claim) is not read_statement(dict(claim))
        assert structurer._plans[cm.Casualties].built == {}
