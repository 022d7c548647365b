"""A plug-in event type with a field of each kind gets every derived feature with no extra code.

JSON round trip, JSON Schema validation of its dump, Hypothesis strategies (alone and inside
generated datasets), table columns (frames, CSV), bulk loading and reference checking.
"""

from __future__ import annotations

import csv
import datetime
import enum
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import registry, testing
from conflictmodel.fields import REFERENCE
from conflictmodel.io.csv_export import to_csv
from conflictmodel.io.schema import json_schema
from conflictmodel.records import referenced_id_sets, referenced_ids

TAG = "test.displacement"


class Severity(enum.StrEnum):
    LOW = "low"
    HIGH = "high"


@attrs.frozen(kw_only=True)
class Displacement(cm.Event):
    """People displaced from a place to camps, with a field of each kind."""

    camp_name: str
    host: str = attrs.field(metadata=cm.refers_to("actors"))
    camps: tuple[str, ...] = attrs.field(default=(), metadata=cm.refers_to("locations"))
    displaced: cm.Estimate
    period: cm.TimeSpan
    severity: Severity
    note: str | None = None


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    registry.event_type(TAG)(Displacement)
    yield
    registry.unregister(TAG)


def plugin_datasets() -> Any:
    return testing.datasets(max_events=4, event_types=(Displacement, cm.Engagement))


def displacement(**changes: Any) -> Displacement:
    values: dict[str, Any] = {
        "id": "flight",
        "when": "2020-02",
        "camp_name": "Atmeh",
        "host": "turkey",
        "camps": ("saraqeb",),
        "displaced": cm.Estimate(900_000, 950_000, 1_000_000),
        "period": cm.when("2019-12/2020-02"),
        "severity": Severity.HIGH,
        **changes,
    }
    return Displacement(**values)


def seed_with(*records: cm.Event) -> cm.Dataset:
    return cm.examples.idlib_2020().with_records(list(records))


many = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])


@many
@given(plugin_datasets())
def test_datasets_with_the_plugin_round_trip_and_match_the_schema(ds: cm.Dataset) -> None:
    text = cm.dumps(ds)
    assert cm.loads(text) == ds
    jsonschema.Draft202012Validator(json_schema()).validate(orjson.loads(text))


def test_generated_datasets_hold_the_plugin_with_its_references_resolved() -> None:
    ds = find(
        plugin_datasets(),
        lambda ds: any(isinstance(e, Displacement) and e.camps for e in ds.events.values()),
        settings=settings(database=None, phases=[Phase.generate]),
    )
    drawn = next(e for e in ds.events.values() if isinstance(e, Displacement))
    assert drawn.host in ds.actors
    assert set(drawn.camps) <= set(ds.locations)


@many
@given(testing.records_of(Displacement, within=cm.examples.idlib_2020()))
def test_drawn_records_join_a_dataset(record: Displacement) -> None:
    assert isinstance(record.severity, Severity)
    assert isinstance(record.period, cm.TimeSpan)
    if record.id not in cm.examples.idlib_2020().events:
        assert seed_with(record).events[record.id] == record


def _every_id(value: object, collection: str | None = None) -> set[tuple[str, str]]:
    """Every ``(collection, id)`` in ``value``, read from every field of every attrs value in it
    whatever the field's declared kind: what the walk over references must find."""
    if isinstance(value, tuple):
        return set().union(*(_every_id(item, collection) for item in value))
    if collection is not None:
        return {(collection, value)} if isinstance(value, str) else set()
    kind = type(value)
    if not attrs.has(kind):
        return set()
    return set().union(
        *(
            _every_id(getattr(value, field.name), field.metadata.get(REFERENCE))
            for field in attrs.fields(kind)
            if not isinstance(getattr(value, field.name), cm.Record)
        )
    )


@many
@given(st.data())
def test_the_walk_finds_every_reference_of_every_registered_type(data: st.DataObject) -> None:
    """The walk passes by fields of plain kinds (text, enums, numbers): no id is missed for
    any record or statement type, the plug-in included."""
    types = [*registry.record_types().values(), *registry.statement_types().values()]
    assert Displacement in types
    for cls in types:
        value = data.draw(testing.records_of(cls), label=cls.__name__)
        expected = _every_id(value)
        assert set(referenced_ids(value)) == expected
        assert {(collection, target) for _, collection, target in cm.references(value)} == expected
        found = referenced_id_sets([value])
        assert {(collection, i) for collection, ids in found.items() for i in ids} == expected


def test_the_schema_names_each_field_with_its_json_type() -> None:
    schema = json_schema()["$defs"][TAG]
    assert schema["properties"]["severity"] == {"$ref": "#/$defs/Severity"}
    assert schema["properties"]["camps"] == {"type": "array", "items": {"type": "string"}}
    assert schema["properties"]["note"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert {"camp_name", "host", "displaced", "period", "severity"} <= set(schema["required"])
    document = orjson.loads(cm.dumps(seed_with(displacement())))
    document["events"][-1]["severity"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_schema()).validate(document)


def test_the_events_table_has_the_plugin_columns(tmp_path: Path) -> None:
    ds = seed_with(displacement(note="from Maarat al-Numan"))
    to_csv(ds, tmp_path, kinds=["events"])
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    row = rows["flight"]
    assert row["type"] == TAG
    assert (row["camp_name"], row["host"], row["camps"]) == ("Atmeh", "turkey", "saraqeb")
    assert (row["displaced_low"], row["displaced_best"], row["displaced_high"]) == (
        "900000",
        "950000",
        "1000000",
    )
    assert (row["period"], row["period_start"], row["period_end"]) == (
        "2019-12/2020-02",
        "2019-12-01",
        "2020-02-29",
    )
    assert (row["severity"], row["note"]) == ("high", "from Maarat al-Numan")
    assert rows["attack-2020-02-03"]["severity"] == ""


def test_the_frame_types_the_plugin_columns() -> None:
    pytest.importorskip("pandas")
    from conflictmodel.io.frames import to_frame

    frame = to_frame(seed_with(displacement()), "events").set_index("id")
    assert frame.loc["flight", "displaced_best"] == 950_000
    assert str(frame["displaced_best"].dtype) == "Int64"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_bulk_loading_reads_the_plugin(tmp_path: Path, suffix: str) -> None:
    ds = seed_with(displacement(), displacement(id="second", camps=(), note="n"))
    path = tmp_path / f"world{suffix}"
    cm.dump(ds, path)
    assert cm.load(path) == ds


def test_the_dataset_checks_the_plugin_references() -> None:
    with pytest.raises(cm.UnresolvedReferenceError) as raised:
        seed_with(displacement(host="nobody", camps=("saraqeb", "nowhere")))
    message = str(raised.value)
    assert "'nobody'" in message
    assert "'nowhere'" in message
    assert "camps" in message


@settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow])
@given(plugin_datasets())
def test_tables_of_the_plugin_load_back_equal(ds: cm.Dataset) -> None:
    pytest.importorskip("ibis")
    import tempfile

    from conflictmodel import tables

    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        assert tables.load(Path(folder) / "tables") == ds


def test_tables_check_the_plugin_references_by_column(tmp_path: Path) -> None:
    pytest.importorskip("ibis")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from conflictmodel import tables

    tables.write(seed_with(displacement()), tmp_path / "tables")
    path = tmp_path / "tables" / "events.parquet"
    table = pq.read_table(path)
    index = table.schema.get_field_index("camps")
    camps = [["saraqeb", "nowhere"] if c else c for c in table.column("camps").to_pylist()]
    field = table.schema.field(index)
    pq.write_table(table.set_column(index, field, pa.array(camps, field.type)), path)
    with pytest.raises(
        cm.UnresolvedReferenceError,
        match=r"event 'flight'\.camps\[1\]: no location has id 'nowhere'",
    ):
        tables.load(tmp_path / "tables")


@attrs.frozen(kw_only=True)
class Survey(cm.Event):
    """A field survey with the day it was fielded: a plain ``datetime.date`` field."""

    fielded: datetime.date | None = None


def test_a_date_field_reads_back_and_a_bad_one_is_named(tmp_path: Path) -> None:
    registry.event_type("test.survey")(Survey)
    try:
        survey = Survey(id="survey", when="2020-02", fielded=datetime.date(2020, 2, 1))
        ds = seed_with(survey)
        text = cm.dumps(ds)
        assert '"fielded": "2020-02-01"' in text
        assert cm.loads(text) == ds
        cm.dump(ds, tmp_path / "survey.jsonl")
        assert cm.load(tmp_path / "survey.jsonl") == ds
        assert cm.load(tmp_path / "survey.jsonl", lazy=True) == ds
        with pytest.raises(cm.LoadError, match=r"fielded: expected a date such as '2020-02-06'"):
            cm.loads(text.replace('"fielded": "2020-02-01"', '"fielded": "1 Feb"'))
    finally:
        registry.unregister("test.survey")
