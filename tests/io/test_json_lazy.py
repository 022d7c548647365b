"""JSON Lines loaded columns first (``cm.load(..., lazy=True)``): the dataset the records give,
checked as the record path checks it, with the same problems reported."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.io.test_bulk import change
from tests.io.ucdp_files import real_data

import conflictmodel as cm
from conflictmodel import registry, testing
from conflictmodel._bulk import ABSENT
from conflictmodel._converter import converter
from conflictmodel.errors import MissingExtraError
from conflictmodel.io import json
from conflictmodel.io._migrations import FORMAT_VERSION
from conflictmodel.io.ucdp import read_ged
from conflictmodel.tables import columns, layout
from conflictmodel.tables.lazy import LAZY, LazyHistory, LazyRecords
from conflictmodel.tables.store import Tables
from conflictmodel.testing.datasets import MOMENTS

pytest.importorskip("ibis")

REAL_SYRIA = real_data() / "ged_syria_2016-2019.csv"


def lines(path: Path, *values: Any) -> Path:
    """``path`` holding a header line and ``values``, one per line."""
    import orjson

    header = {"format": "conflictmodel", "version": FORMAT_VERSION}
    path.write_bytes(b"".join(orjson.dumps(v) + b"\n" for v in (header, *values)))
    return path


def both_ways(path: Path) -> tuple[Any, Any]:
    """What ``load`` gives or raises for ``path``, columns first and record by record."""
    found: list[Any] = []
    for lazy in (True, False):
        try:
            found.append(cm.load(path, lazy=lazy))
        except cm.LoadError as error:
            found.append(str(error))
    return found[0], found[1]


def test_the_seed_loads_columns_first_equal_to_itself(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    cm.dump(seed, tmp_path / "seed.jsonl")
    ds = cm.load(tmp_path / "seed.jsonl", lazy=True)
    assert isinstance(ds._tables["events"], LazyRecords)
    assert ds == seed
    assert cm.casualties_by_actor(ds, according_to="turkey") == cm.casualties_by_actor(
        seed, according_to="turkey"
    )
    assert cm.ceasefire_violations(ds) == cm.ceasefire_violations(seed)
    assert cm.dumps(ds) == cm.dumps(seed)


def test_a_large_json_lines_file_or_a_lazy_load_reads_columns_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = cm.examples.idlib_2020()
    path, document = tmp_path / "seed.jsonl", tmp_path / "seed.json"
    cm.dump(seed, path)
    cm.dump(seed, document)
    size = path.stat().st_size

    def columns_first(**options: Any) -> list[bool]:
        return [
            isinstance(cm.load(file, **options)._tables["events"], LazyRecords)
            for file in (path, document)
        ]

    monkeypatch.setattr(json, "LAZY_FROM_BYTES", size + 1)
    assert columns_first() == [False, False]
    assert isinstance(cm.load(path, lazy=True)._tables["events"], LazyRecords)
    monkeypatch.setattr(json, "LAZY_FROM_BYTES", size)
    assert columns_first() == [True, False]
    assert columns_first(lazy=False) == [False, False]
    with pytest.raises(cm.ValidationError, match="only JSON Lines load lazily"):
        cm.load(document, lazy=True)

    def without_duckdb(module: str, extra: str, feature: str) -> Any:
        raise MissingExtraError(f"{feature} needs {module}")

    monkeypatch.setattr(json, "require", without_duckdb)
    assert columns_first() == [False, False]
    with pytest.raises(MissingExtraError, match=r"load\(lazy=True\) needs duckdb"):
        cm.load(path, lazy=True)


CHUNKS = st.sampled_from([1, 3, json.LINES_AT_ONCE])
"""How many lines a columns-first load lays out at once: every line alone, a few (so that a
collection's classes and a record's references spread over several), or the whole file."""


@settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow])
@given(testing.datasets(max_events=8, max_claims=8), CHUNKS)
def test_the_tables_laid_out_by_column_are_the_records_tables(ds: cm.Dataset, chunk: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ds.jsonl"
        cm.dump(ds, path)
        with mock.patch.object(json, "LINES_AT_ONCE", chunk):
            loaded = cm.load(path, lazy=True)
        if ds.history:
            return
        assert isinstance(loaded._tables["assessments"], LazyRecords)
        assert loaded == ds
        assert cm.casualties_by_actor(loaded) == cm.casualties_by_actor(ds)
        found = layout.arrow_tables(loaded)
        expected = layout.arrow_tables(cm.load(path, lazy=False))
    for name, table in expected.items():
        keys = ["owner", "position"] if "owner" in table.column_names else ["id"]
        order = [(key, "ascending") for key in keys]
        assert found[name].sort_by(order).equals(table.sort_by(order)), name
    held = loaded._engine
    assert isinstance(held, Tables)
    for name in ("events_casualties", "events_associates"):
        rows = held.backend.con.execute(
            f"SELECT {', '.join(layout.CHILD_ORDER)} FROM {held._names[name]}"
        ).fetchall()
        assert rows == sorted(rows, key=lambda row: (row[0] is None, row)), name


def test_texts_that_are_not_one_json_value_each_are_refused() -> None:
    """The distinct texts of a field are parsed as one array: a text holding two values, or
    a value split over two texts, cannot shift the others."""
    assert columns._read(['"a"', "1, 2"], str) is None
    assert columns._read(["[1", "2]"], str) is None
    assert columns._read(['"a"', "", "[1, 2]"], repr) == ["'a'", repr(ABSENT), "[1, 2]"]


@st.composite
def changed_files(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The records of a dataset as JSON, some events and claims with a field changed, added
    or removed."""
    ds = draw(testing.datasets(max_events=4, max_claims=4))
    values: list[dict[str, Any]] = [converter.unstructure(r) for r in ds.records()]
    changeable = [i for i, r in enumerate(ds.records()) if r.collection in LAZY]
    for _ in range(draw(st.integers(0, 2)) if changeable else 0):
        change(draw, values[draw(st.sampled_from(changeable))])
    return values


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(changed_files(), CHUNKS)
def test_columns_take_only_what_the_records_take(values: list[dict[str, Any]], chunk: int) -> None:
    """A file with changed fields loads columns first as record by record: to an equal dataset,
    or refused with the same problems."""
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(json, "LINES_AT_ONCE", chunk):
        lazy, records = both_ways(lines(Path(folder) / "changed.jsonl", *values))
    assert lazy == records


@st.composite
def changed_entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The records of a dataset as JSON, some casualty entries with a field changed, added
    or removed (an unknown key, a figure given twice over, junk in an estimate)."""
    ds = draw(testing.datasets(min_events=1, max_events=5, max_claims=2))
    values: list[dict[str, Any]] = [converter.unstructure(r) for r in ds.records()]
    entries = [entry for value in values for entry in value.get("casualties") or []]
    added = (["colour", "killed", "injured"], {"low": 1, "best": 1, "high": 1})
    for _ in range(draw(st.integers(1, 3)) if entries else 0):
        change(draw, draw(st.sampled_from(entries)), added=added)
    return values


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(changed_entries(), CHUNKS)
def test_changed_entries_load_columns_first_as_record_by_record(
    values: list[dict[str, Any]], chunk: int
) -> None:
    """A file with changed casualty entries loads columns first as record by record: to an
    equal dataset with equal tables, or refused with the same problems."""
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(json, "LINES_AT_ONCE", chunk):
        lazy, records = both_ways(lines(Path(folder) / "entries.jsonl", *values))
    assert lazy == records
    if isinstance(records, cm.Dataset):
        found, expected = layout.arrow_tables(lazy), layout.arrow_tables(records)
        assert found["events_casualties"] == expected["events_casualties"]


GOOD = {
    "type": "engagement",
    "id": "e1",
    "when": "2020-02-03",
    "kind": "attack",
    "initiators": ["a"],
    "targets": ["b"],
}
KILLED_B = {"actor": "b", "killed": {"low": 1, "best": 1, "high": 1}}
ACTORS = [
    {"type": "actor", "id": "a", "name": "A", "kind": "state"},
    {"type": "actor", "id": "b", "name": "B", "kind": "state"},
]


@pytest.mark.parametrize(
    "bad",
    [
        [{**GOOD, "when": "2020-13"}],
        [{**GOOD, "kind": "party"}],
        [{**GOOD, "initiators": ["a", "a"]}],
        [{**GOOD, "colour": "red"}],
        [{key: value for key, value in GOOD.items() if key != "when"}],
        [GOOD, GOOD],
        [{**GOOD, "targets": ["nobody"]}],
        [{**GOOD, "part_of": "e2"}, {**GOOD, "id": "e2", "part_of": "e1"}],
        [{**GOOD, "casualties": [{"actor": "b"}]}],
        [{**GOOD, "type": "skirmish"}],
        [{**GOOD, "casualties": [KILLED_B, KILLED_B]}, {**GOOD, "id": "e2", "casualties": []}],
        [{**GOOD, "casualties": KILLED_B}],
        [{**GOOD, "casualties": None}],
        [{**GOOD, "casualties": [{**KILLED_B, "colour": "red"}]}],
        [{**GOOD, "casualties": [KILLED_B, ["b"]]}],
        [{**GOOD, "casualties": [{"actor": "b", "killed": {"low": 2, "best": 1, "high": 1}}]}],
        [{**GOOD, "casualties": [{"killed": {"low": 1, "best": 1, "high": 1}}]}],
        [{**GOOD, "casualties": [{"actor": "b", "killed": None, "injured": None}]}],
    ],
    ids=[
        "bad-span",
        "bad-kind",
        "repeated-initiator",
        "unknown-key",
        "missing-field",
        "duplicate-id",
        "unknown-actor",
        "part-of-cycle",
        "entry-without-figures",
        "unknown-tag",
        "entries-for-one-actor",
        "entries-not-a-list",
        "entries-null",
        "entry-unknown-key",
        "entry-not-an-object",
        "entry-bad-estimate",
        "entry-without-actor",
        "entry-with-null-figures",
    ],
)
def test_a_bad_file_is_refused_as_record_by_record(tmp_path: Path, bad: list[Any]) -> None:
    path = lines(tmp_path / "bad.jsonl", *ACTORS, *bad)
    lazy, records = both_ways(path)
    assert isinstance(records, str)
    assert lazy == records
    with mock.patch.object(json, "LINES_AT_ONCE", 1):
        assert both_ways(path) == (records, records)


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b'{"type": "engagement", "id": "e1", "id": "e2", "when": "2020", "kind": "attack", '
        b'"initiators": [], "targets": ["b"]}',
        b'{"type": "engagement", "id": "e1", "when": "2020", "kind": "attack", '
        b'"initiators": [], "targets": ["b"], '
        b'"casualties": [{"actor": "b", "actor": "a", '
        b'"killed": {"low": 1, "best": 1, "high": 1}}]}',
        b"[1, 2]",
    ],
    ids=["not-json", "repeated-key", "repeated-nested-key", "not-an-object"],
)
def test_a_line_duckdb_reads_otherwise_is_refused_as_record_by_record(
    tmp_path: Path, line: bytes
) -> None:
    path = lines(tmp_path / "bad.jsonl", *ACTORS)
    path.write_bytes(path.read_bytes() + line + b"\n")
    lazy, records = both_ways(path)
    assert isinstance(records, str)
    assert lazy == records


def test_texts_with_escapes_and_other_scripts_load_alike(tmp_path: Path) -> None:
    odd = {
        **GOOD,
        "id": "é-1 «ḥamā»",
        "description": 'line one\nline "two"\t\\ and \u0007',
        "where_precision": None,
    }
    lazy, records = both_ways(lines(tmp_path / "odd.jsonl", *ACTORS, odd, {**GOOD, "id": "e2"}))
    assert isinstance(lazy._tables["events"], LazyRecords)
    assert lazy == records
    assert [e.description for e in lazy.events.values()] == [odd["description"], ""]


def dated(ds: cm.Dataset, **stamp: Any) -> cm.Dataset:
    """``ds`` with every record's one version dated by ``stamp`` (as an import dates them)."""
    return cm.Dataset(ds.records(), history=[cm.Version(record=r, **stamp) for r in ds.records()])


def test_current_versions_load_columns_first(tmp_path: Path) -> None:
    seed = dated(cm.examples.idlib_2020(), recorded="2020-03-01T10:00:00Z", release="r1")
    cm.dump(seed, tmp_path / "dated.jsonl")
    seen: list[tuple[int, int]] = []
    ds = cm.load(tmp_path / "dated.jsonl", lazy=True, progress=lambda *done: seen.append(done))
    assert isinstance(ds._tables["events"], LazyRecords)
    assert isinstance(ds._history, LazyHistory)
    assert seen[-1] == (106, 106)
    assert len(ds.history) == 53
    assert ("events", "nowhere") not in ds.history
    first = ds.history[("events", "attack-2020-02-03")]
    assert first == seed.history[("events", "attack-2020-02-03")]
    assert first[0].record is ds.events["attack-2020-02-03"]
    assert repr(ds._tables["events"]) == "<14 events, 1 built>"
    assert ds == seed
    assert ds.history == seed.history
    assert cm.casualties_by_actor(ds) == cm.casualties_by_actor(seed)
    assert len(ds.as_of("2020-02-29")) == 0
    assert ds.as_of("2020-03-01") == seed.as_of("2020-03-01")
    assert cm.dumps(ds) == cm.dumps(seed)
    assert pickle.loads(pickle.dumps(ds)) == seed


def test_undated_versions_leave_no_history(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    path = tmp_path / "undated.jsonl"
    cm.dump(seed, path)
    with path.open("a") as file:
        file.write('{"history": {"collection": "actors", "id": "hts", "recorded": null}}\n')
    ds = cm.load(path, lazy=True)
    assert isinstance(ds._tables["events"], LazyRecords)
    assert ds == seed
    assert ds.history == {}
    assert ds._history == {}


def test_edited_and_withdrawn_records_load_columns_first(tmp_path: Path) -> None:
    ds = dated(cm.examples.idlib_2020(), recorded="2020-02-07T00:00:00Z")
    revised = ds.updated(
        [cm.Actor(id="syria", name="Syrian Arab Republic", kind="state")], recorded="2020-03-01"
    ).withdraw([("claims", "syria-turkey-violates")], at="2020-03-02")
    cm.dump(revised, tmp_path / "revised.jsonl")
    loaded = cm.load(tmp_path / "revised.jsonl", lazy=True)
    assert isinstance(loaded._tables["events"], LazyRecords)
    assert len(loaded.history) == 53
    assert [v.record for v in loaded.versions("actors", "syria")] == [
        ds.actors["syria"],
        cm.Actor(id="syria", name="Syrian Arab Republic", kind="state"),
    ]
    assert loaded.history[("claims", "syria-turkey-violates")][-1].withdrawn
    assert repr(loaded._tables["events"]) == "<14 events, 0 built>"
    assert loaded == revised
    assert loaded.history == revised.history
    assert loaded.as_of("2020-03-01") == revised.as_of("2020-03-01")


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(testing.histories(max_events=4), st.data())
def test_a_history_loads_columns_first_as_record_by_record(ds: cm.Dataset, data: Any) -> None:
    """Whatever its history (dated, edited, withdrawn records), a file loads columns first,
    equal to the dataset it was dumped from, as it was known at any moment."""
    if data.draw(st.booleans(), label="only current versions"):
        ds = cm.Dataset(ds.records(), history=[v[-1] for v in ds.history.values() if v[-1].current])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.jsonl"
        cm.dump(ds, path)
        with mock.patch.object(json, "LINES_AT_ONCE", data.draw(CHUNKS, label="chunk")):
            loaded = cm.load(path, lazy=True)
    assert isinstance(loaded._tables["events"], LazyRecords)
    assert loaded == ds
    assert loaded.history == ds.history
    moment = data.draw(MOMENTS, label="moment")
    assert loaded.as_of(moment) == ds.as_of(moment)


MOMENT_JUNK = [
    None,
    5,
    "",
    "r2",
    "2020-03-01T00:00:00Z",
    "2031-01-01T00:00:00+02:00",
    "2020-03-01T00:00:00",
    "yesterday",
    True,
    "events",
    "nowhere",
]
"""Values a history entry's fields may be changed to: of every kind, right and wrong."""


@st.composite
def changed_histories(draw: st.DrawFn) -> list[Any]:
    """The lines of a dataset with a history (after the header), some history entries with a
    field changed, added or removed."""
    ds = draw(testing.histories(max_events=3))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.jsonl"
        cm.dump(ds, path)
        import orjson

        values = [orjson.loads(line) for line in path.read_bytes().splitlines()[1:]]
    entries = [value["history"] for value in values if "history" in value]
    for _ in range(draw(st.integers(0, 2)) if entries else 0):
        change(draw, draw(st.sampled_from(entries)), MOMENT_JUNK, (["until", "note"], None))
    return values


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(changed_histories())
def test_a_changed_history_loads_columns_first_as_record_by_record(values: list[Any]) -> None:
    """A history with changed entries loads columns first as record by record: to an equal
    dataset and history, or refused with the same problems."""
    with tempfile.TemporaryDirectory() as folder:
        lazy, records = both_ways(lines(Path(folder) / "changed.jsonl", *values))
    assert lazy == records
    if isinstance(records, cm.Dataset):
        assert lazy.history == records.history


HTS = {"collection": "actors", "id": "a", "recorded": "2020-03-01T00:00:00Z"}


@pytest.mark.parametrize(
    "entries",
    [
        [{**HTS, "id": "nobody"}],
        [{**HTS, "collection": "events", "id": "e2"}],
        [{**HTS, "release": 5}],
        [{**HTS, "release": ""}],
        [{**HTS, "recorded": "2020-03-01T00:00:00"}],
        [{**HTS, "colour": "red"}],
        [{**HTS, "collection": "people"}],
        [{**HTS, "id": 5}],
        [HTS, {**HTS, "recorded": "2020-04-01T00:00:00Z"}],
        [{**HTS, "until": "2020-04-01T00:00:00Z"}],
        [{**HTS, "withdrawn": True}],
        [3],
        [{key: value for key, value in HTS.items() if key != "collection"}],
        [{key: value for key, value in HTS.items() if key != "id"}],
        [
            {
                **{key: value for key, value in HTS.items() if key != "collection"},
                "until": "2020-04-01T00:00:00Z",
                "withdrawn": True,
                "record": ACTORS[0],
            }
        ],
    ],
    ids=[
        "unknown-actor",
        "unknown-event",
        "release-not-text",
        "release-empty",
        "no-time-zone",
        "unknown-key",
        "unknown-collection",
        "id-not-text",
        "two-versions-no-end",
        "ended-and-held",
        "withdrawn-and-held",
        "not-an-entry",
        "no-collection",
        "no-id",
        "withdrawn-no-collection",
    ],
)
def test_a_bad_history_is_refused_as_record_by_record(tmp_path: Path, entries: list[Any]) -> None:
    history = [{"history": entry} for entry in entries]
    path = lines(tmp_path / "bad.jsonl", *ACTORS, GOOD, *history)
    lazy, records = both_ways(path)
    assert isinstance(records, str)
    assert lazy == records


def test_a_history_line_holding_more_is_refused_as_record_by_record(tmp_path: Path) -> None:
    path = lines(tmp_path / "bad.jsonl", *ACTORS, GOOD, {"history": HTS, "note": "x"})
    lazy, records = both_ways(path)
    assert isinstance(records, str)
    assert "beside 'history'" in records
    assert lazy == records


def test_the_real_syria_file_loads_columns_first_alike(tmp_path: Path) -> None:
    if not REAL_SYRIA.exists():
        pytest.skip("real UCDP files not present")
    ds = read_ged(REAL_SYRIA).dataset
    cm.dump(ds, tmp_path / "syria.jsonl")
    loaded = cm.load(tmp_path / "syria.jsonl", lazy=True)
    with mock.patch.object(json, "LINES_AT_ONCE", 5_000):
        seen: list[tuple[int, int]] = []
        in_parts = cm.load(
            tmp_path / "syria.jsonl", lazy=True, progress=lambda *done: seen.append(done)
        )
    assert seen[-1] == (len(ds), len(ds))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert in_parts == loaded
    assert cm.casualty_matrix(in_parts) == cm.casualty_matrix(ds)
    assert isinstance(loaded._tables["events"], LazyRecords)
    assert len(loaded.events) == 16566
    assert cm.casualties_by_actor(loaded, period="2018") == cm.casualties_by_actor(
        ds, period="2018"
    )
    some = sorted(ds.events)[::1000]
    assert [loaded.events[i] for i in some] == [ds.events[i] for i in some]
    assert len(loaded.claims) == len(ds.claims)


def test_a_dated_release_of_the_real_syria_file_loads_columns_first(tmp_path: Path) -> None:
    if not REAL_SYRIA.exists():
        pytest.skip("real UCDP files not present")
    ds = read_ged(REAL_SYRIA, release="GED 19.1", released="2019-06-14").dataset
    cm.dump(ds, tmp_path / "syria.jsonl")
    loaded = cm.load(tmp_path / "syria.jsonl", lazy=True)
    assert isinstance(loaded._tables["events"], LazyRecords)
    assert len(loaded.history) == len(ds.history) == len(ds)
    some = sorted(ds.events)[::2000]
    assert [loaded.history[("events", i)] for i in some] == [
        ds.history[("events", i)] for i in some
    ]
    assert repr(loaded._tables["events"]).endswith(f", {len(some)} built>")
    assert cm.casualties_by_actor(loaded) == cm.casualties_by_actor(ds)
    assert loaded == ds
    assert loaded.history == ds.history
    assert len(loaded.as_of("2019-06-13")) == 0


def _by_actor(entries: Iterable[cm.Casualties]) -> tuple[cm.Casualties, ...]:
    return tuple(sorted(entries, key=lambda entry: entry.actor or ""))


@attrs.frozen(kw_only=True)
class Tally(cm.Event):
    """An event whose field puts its casualty entries in order of actor."""

    casualties: tuple[cm.Casualties, ...] = attrs.field(default=(), converter=_by_actor)


def test_entries_a_field_puts_in_order_are_laid_out_in_its_order(tmp_path: Path) -> None:
    registry.event_type("test.tally")(Tally)
    try:
        entries = [{**KILLED_B, "actor": actor} for actor in "ba"]
        tally = {"type": "test.tally", "id": "t", "when": "2020", "casualties": entries}
        other = {**tally, "id": "u", "casualties": entries[:1]}
        path = lines(
            tmp_path / "tally.jsonl", *ACTORS, tally, other, {**GOOD, "casualties": entries}
        )
        lazy, records = both_ways(path)
        assert isinstance(lazy._tables["events"], LazyRecords)
        assert lazy == records
        assert [entry.actor for entry in lazy.events["t"].casualties] == ["a", "b"]
        found = layout.arrow_tables(lazy)["events_casualties"].sort_by("owner")
        assert found.select(["owner", "position", "actor"]).to_pylist() == [
            {"owner": "e1", "position": 0, "actor": "b"},
            {"owner": "e1", "position": 1, "actor": "a"},
            {"owner": "t", "position": 0, "actor": "a"},
            {"owner": "t", "position": 1, "actor": "b"},
            {"owner": "u", "position": 0, "actor": "b"},
        ]
    finally:
        registry.unregister("test.tally")


def _items_read(path: Path) -> tuple[cm.Dataset, dict[str, bool | None]]:
    """The dataset ``load`` reads columns first from ``path``, and for each child table whose
    items it read whether they were read field by field with their cells laid out field by
    field (``True``), read field by field but laid out whole (``False``), or read whole
    (``None``)."""
    ways: dict[str, bool | None] = {}
    read = columns._items_by_fields

    def noted(filling: Any, items: str, child: str, *arguments: Any) -> Any:
        found = read(filling, items, child, *arguments)
        ways[child] = None if found is None else found[2] is not None
        return found

    with mock.patch.object(columns, "_items_by_fields", noted):
        return cm.load(path, lazy=True), ways


def test_casualty_entries_are_read_field_by_field_as_the_records_read_them(
    tmp_path: Path,
) -> None:
    """Entries giving killed, injured or both, with a key left out or null, read field by
    field to the records' entries and the records' tables."""
    injured = {"actor": "a", "injured": {"low": 2, "best": 3, "high": 4}}
    both = {**KILLED_B, "injured": {"low": 1, "best": None, "high": 9}, "actor": None}
    events = [
        {**GOOD, "casualties": [KILLED_B, injured]},
        {**GOOD, "id": "e2", "casualties": [both, {**KILLED_B, "injured": None}]},
        {**GOOD, "id": "e3", "casualties": [injured]},
    ]
    path = lines(tmp_path / "entries.jsonl", *ACTORS, *events)
    lazy, ways = _items_read(path)
    assert ways["events_casualties"] is True
    records = cm.load(path, lazy=False)
    assert lazy == records
    second = lazy.events["e2"]
    assert isinstance(second, cm.Engagement)
    assert second.casualties == (
        cm.Casualties(None, killed=1, injured=cm.Estimate(1, None, 9)),
        cm.Casualties("b", killed=1),
    )
    found, expected = layout.arrow_tables(lazy), layout.arrow_tables(records)
    assert found["events_casualties"] == expected["events_casualties"]


def _lower(value: str) -> str:
    return value.lower()


@attrs.frozen
class Sighting:
    """An item whose converter makes a new string of each value."""

    unit: str = attrs.field(converter=_lower)
    seen: int = 0


@attrs.frozen(kw_only=True)
class Patrol(cm.Event):
    sightings: tuple[Sighting, ...] = ()


def test_items_a_converter_remakes_are_laid_out_whole(tmp_path: Path) -> None:
    """Items read field by field whose values the class does not keep as read (each unit a
    new string) are laid out item by item, to the records' tables."""
    registry.event_type("test.patrol")(Patrol)
    try:
        patrols = [
            {
                "type": "test.patrol",
                "id": f"p{number}",
                "when": "2020",
                "sightings": [{"unit": "AB", "seen": number % 2}, {"unit": "cd"}],
            }
            for number in range(4)
        ]
        path = lines(tmp_path / "patrols.jsonl", *patrols)
        lazy, ways = _items_read(path)
        assert ways["events_sightings"] is False
        records = cm.load(path, lazy=False)
        assert lazy == records
        found = layout.arrow_tables(lazy)["events_sightings"]
        assert found == layout.arrow_tables(records)["events_sightings"]
        assert found.column("unit").to_pylist() == ["ab", "cd"] * 4
    finally:
        registry.unregister("test.patrol")
