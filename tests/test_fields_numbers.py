"""Plug-in fields of whole numbers, numbers and flags (fields.integer, fields.number,
fields.flag): refused at construction naming class, record, field and value; written and read
back equal through JSON, JSON Lines and tables; taken by the fast structurer; drawn by the
Hypothesis strategies within their bounds."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from pathlib import Path
from typing import Any, assert_type

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import fields, registry, tables, testing
from conflictmodel._bulk import Builder, Structurer
from conflictmodel._converter import converter
from conflictmodel.spec import Kind, field_of

TAG = "test.sortie"


@attrs.frozen(kw_only=True)
class Sortie(cm.Engagement):
    """A drone strike with counts, shares and flags of each shape."""

    drones: int = fields.integer(minimum=0)
    lost: int | None = fields.integer(optional=True)
    payload_kg: float | None = fields.number(minimum=0, optional=True)
    hit_share: float = fields.number(minimum=0, maximum=1, default=1.0)
    confirmed: bool = fields.flag()
    claimed: bool | None = fields.flag(optional=True)


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    registry.event_type(TAG)(Sortie)
    yield
    registry.unregister(TAG)


def sortie(**changes: Any) -> Sortie:
    values: dict[str, Any] = {
        "id": "sortie",
        "when": "2020-02-05",
        "where": "saraqeb",
        "kind": "drone_strike",
        "initiators": ["turkish-army"],
        "targets": ["syrian-army"],
        "casualties": [cm.Casualties("syrian-army", killed=3)],
        "drones": 2,
        **changes,
    }
    return Sortie(**values)


def test_mypy_sees_the_declared_types() -> None:
    strike = sortie()
    assert_type(strike.drones, int)
    assert_type(strike.payload_kg, float | None)
    assert_type(strike.confirmed, bool)
    assert (strike.drones, strike.lost, strike.payload_kg) == (2, None, None)
    assert (strike.hit_share, strike.confirmed, strike.claimed) == (1.0, False, None)


def test_the_spec_reads_their_kinds() -> None:
    kinds = {name: field_of(Sortie, name) for name in ("drones", "lost", "hit_share", "claimed")}
    assert [(spec.kind, spec.optional, spec.required) for spec in kinds.values()] == [
        (Kind.INT, False, True),
        (Kind.INT, True, False),
        (Kind.FLOAT, False, False),
        (Kind.BOOL, True, False),
    ]


class Rounds(enum.IntEnum):
    TWO = 2


def test_accepted_values_are_normalised() -> None:
    strike = sortie(drones=Rounds.TWO, payload_kg=25, hit_share=0, lost=-(2**63))
    assert [
        (type(value), value) for value in (strike.drones, strike.payload_kg, strike.hit_share)
    ] == [
        (int, 2),
        (float, 25.0),
        (float, 0.0),
    ]
    assert strike.lost == fields.MIN_INTEGER
    assert sortie(drones=fields.MAX_INTEGER, confirmed=True, claimed=False).drones == 2**63 - 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"drones": "two"}, "drones: expected a whole number, got str 'two'"),
        ({"drones": True}, "drones: expected a whole number, got bool True"),
        ({"drones": 2.0}, "drones: expected a whole number, got float 2.0"),
        ({"drones": None}, "drones: expected a whole number, got NoneType None"),
        ({"drones": -1}, "drones: must be at least 0, got -1"),
        (
            {"drones": 2**63},
            "drones: must lie in -2**63 to 2**63 - 1 (as files and tables hold it), "
            "got a number above 2**63 - 1",
        ),
        (
            {"lost": -(10**5000)},
            "lost: must lie in -2**63 to 2**63 - 1 (as files and tables hold it), "
            "got a number below -2**63",
        ),
        ({"payload_kg": float("nan")}, "payload_kg: expected a finite number, got nan"),
        ({"payload_kg": float("-inf")}, "payload_kg: expected a finite number, got -inf"),
        ({"payload_kg": "25"}, "payload_kg: expected a number, got str '25'"),
        ({"payload_kg": False}, "payload_kg: expected a number, got bool False"),
        (
            {"payload_kg": 10**400},
            "payload_kg: expected a number, got a whole number too large for a float",
        ),
        ({"payload_kg": -0.5}, "payload_kg: must be at least 0, got -0.5"),
        ({"hit_share": 1.25}, "hit_share: must be at most 1, got 1.25"),
        ({"hit_share": None}, "hit_share: expected a number, got NoneType None"),
        ({"confirmed": 1}, "confirmed: expected True or False, got int 1"),
        ({"confirmed": "true"}, "confirmed: expected True or False, got str 'true'"),
        ({"confirmed": None}, "confirmed: expected True or False, got NoneType None"),
        ({"claimed": 0}, "claimed: expected True or False, got int 0"),
    ],
)
def test_a_wrong_value_is_refused_at_construction(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(cm.ValidationError) as refused:
        sortie(**changes)
    assert str(refused.value) == f"Sortie 'sortie'.{message}"
    assert refused.value.field == next(iter(changes))


def test_the_fast_builder_refuses_as_the_constructor_does() -> None:
    build = Builder(Sortie).build
    arguments: dict[str, Any] = {"id": "b", "when": "2020-02", "kind": "drone_strike"}
    arguments |= {"initiators": (), "targets": ()}
    assert build(**arguments, drones=3, payload_kg=1) == Sortie(**arguments, drones=3, payload_kg=1)
    with pytest.raises(cm.ValidationError, match=r"Sortie 'b'\.drones: .* got bool True"):
        build(**arguments, drones=True)


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        (
            lambda: fields.integer(minimum=5, maximum=1),
            "fields.integer(minimum=5): outside minimum 5 and maximum 1",
        ),
        (
            lambda: fields.integer(minimum=0, default=-1),
            "fields.integer(default=-1): outside minimum 0 and maximum None",
        ),
        (
            lambda: fields.integer(default=None),
            "fields.integer(default=None): pass optional=True to allow None",
        ),
        (
            lambda: fields.integer(minimum=True),
            "fields.integer(minimum=...): expected a whole number, got bool True",
        ),
        (
            lambda: fields.integer(maximum=2**64),
            "fields.integer(maximum=...): expected a whole number, got int 18446744073709551616",
        ),
        (
            lambda: fields.integer(default=1.0),  # type: ignore[arg-type]
            "fields.integer(default=...): expected a whole number, got float 1.0",
        ),
        (
            lambda: fields.number(maximum=float("inf")),
            "fields.number(maximum=...): expected a finite number, got float inf",
        ),
        (
            lambda: fields.number(minimum=0, maximum=1, default=2.5),
            "fields.number(default=2.5): outside minimum 0 and maximum 1",
        ),
        (
            lambda: fields.flag(default=1),  # type: ignore[arg-type]
            "fields.flag(default=...): expected True or False, got int 1",
        ),
    ],
)
def test_a_declaration_no_value_could_meet_is_refused(declare: Any, message: str) -> None:
    with pytest.raises(cm.ValidationError) as refused:
        declare()
    assert str(refused.value) == message


def with_sorties() -> cm.Dataset:
    return cm.examples.idlib_2020().with_records(
        [
            sortie(),
            sortie(
                id="extremes",
                drones=fields.MAX_INTEGER,
                lost=fields.MIN_INTEGER,
                payload_kg=1e-300,
                hit_share=0.1 + 0.2,
                confirmed=True,
                claimed=False,
            ),
        ]
    )


def test_json_and_json_lines_read_back_equal(tmp_path: Path) -> None:
    ds = with_sorties()
    assert cm.loads(cm.dumps(ds)) == ds
    cm.dump(ds, tmp_path / "sorties.jsonl")
    again = cm.load(tmp_path / "sorties.jsonl")
    assert again == ds
    extremes = again.events["extremes"]
    assert isinstance(extremes, Sortie)
    assert (extremes.drones, extremes.lost, extremes.hit_share) == (
        2**63 - 1,
        -(2**63),
        0.30000000000000004,
    )
    assert (extremes.confirmed, extremes.claimed, type(extremes.payload_kg)) == (
        True,
        False,
        float,
    )


def test_tables_hold_them_in_columns_of_their_type_and_read_back_equal(tmp_path: Path) -> None:
    ds = with_sorties()
    tables.write(ds, tmp_path / "tables")
    assert tables.load(tmp_path / "tables") == ds
    opened = tables.open(tmp_path / "tables")
    events = opened.table("events")
    schema = events.schema()
    columns = ("drones", "lost", "payload_kg", "hit_share", "confirmed", "claimed")
    assert [str(schema[name]) for name in columns] == [
        "int64",
        "int64",
        "float64",
        "float64",
        "boolean",
        "boolean",
    ]
    rows = opened.run(events.filter(events.id == "extremes").select(*columns))
    assert rows == [
        {
            "drones": 2**63 - 1,
            "lost": -(2**63),
            "payload_kg": 1e-300,
            "hit_share": 0.30000000000000004,
            "confirmed": True,
            "claimed": False,
        }
    ]


def test_the_fast_structurer_takes_them_and_leaves_bad_values_to_the_converter() -> None:
    for record in with_sorties().events.values():
        if isinstance(record, Sortie):
            value = converter.unstructure(record)
            assert Structurer()(value) == record
    written = converter.unstructure(sortie())
    assert Structurer()({**written, "payload_kg": 25}) == sortie(payload_kg=25.0)
    for name, bad in (("drones", True), ("drones", 2.5), ("drones", -1), ("confirmed", 1)):
        assert Structurer()({**written, name: bad}) is None


@pytest.mark.parametrize(
    ("name", "bad", "message"),
    [
        ("drones", "two", "drones: expected a whole number, got str 'two' (in record 'sortie')"),
        ("drones", -3, "drones: Sortie 'sortie'.drones: must be at least 0, got -3"),
        ("hit_share", 2, "hit_share: Sortie 'sortie'.hit_share: must be at most 1, got 2.0"),
        ("confirmed", 0, "confirmed: expected true or false, got int 0 (in record 'sortie')"),
    ],
)
def test_a_file_with_a_wrong_value_is_refused_naming_the_field(
    name: str, bad: object, message: str
) -> None:
    document = orjson.loads(cm.dumps(cm.examples.idlib_2020().with_records([sortie()])))
    written = next(event for event in document["events"] if event["id"] == "sortie")
    written[name] = bad
    with pytest.raises(cm.LoadError) as refused:
        cm.loads(orjson.dumps(document))
    at = document["events"].index(written)
    assert str(refused.value) == (f"1 problem in the document:\n  - events[{at}].{message}")


many = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@many
@given(testing.records_of(Sortie, within=cm.examples.idlib_2020()))
def test_drawn_records_read_back_equal_through_json_and_the_structurer(record: Sortie) -> None:
    assert 0 <= record.drones <= fields.MAX_INTEGER
    assert 0 <= record.hit_share <= 1
    written = orjson.loads(orjson.dumps(converter.unstructure(record)))
    assert Structurer()(written) == record
    assert converter.structure(written, cm.Event) == record


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(testing.datasets(max_events=4, event_types=(Sortie, cm.Engagement)))
def test_drawn_datasets_read_back_equal(ds: cm.Dataset) -> None:
    assert cm.loads(cm.dumps(ds)) == ds


def test_drawn_datasets_read_back_equal_through_tables(tmp_path: Path) -> None:
    drawn = find(
        testing.datasets(min_events=3, max_events=4, event_types=(Sortie,)),
        lambda ds: len({event.drones for event in ds.events.values()}) >= 3,
        settings=settings(database=None, phases=[Phase.generate], deadline=None),
    )
    tables.write(drawn, tmp_path / "drawn")
    assert tables.load(tmp_path / "drawn") == drawn


@attrs.frozen
class Tally:
    """Number fields alone, drawn cheaply: bounds a draw outside them would never meet, and
    the 64-bit range."""

    serial: int = fields.integer(minimum=10**12, maximum=10**12 + 3)
    ratio: float = fields.number(minimum=-2.5, maximum=-2.25)
    drones: int = fields.integer(minimum=0)
    lost: int | None = fields.integer(optional=True)


def test_strategies_draw_within_the_bounds_and_reach_the_64_bit_edges() -> None:
    edge = settings(database=None, phases=[Phase.generate], max_examples=2000)
    tallies = testing.records_of(Tally)
    narrow = find(tallies, lambda tally: tally.serial == 10**12 + 3, settings=edge)
    assert -2.5 <= narrow.ratio <= -2.25
    assert find(tallies, lambda tally: tally.lost == fields.MIN_INTEGER, settings=edge)
    assert find(tallies, lambda tally: tally.drones == fields.MAX_INTEGER, settings=edge)


def test_records_of_still_takes_an_override() -> None:
    drawn = find(testing.records_of(Tally, drones=st.just(7)), lambda tally: True)
    assert drawn.drones == 7


def test_the_json_schema_states_the_bounds_and_refuses_what_the_fields_refuse() -> None:
    import jsonschema

    from conflictmodel.io.schema import json_schema

    schema = json_schema()
    sortie_schema = schema["$defs"][TAG]["properties"]
    assert sortie_schema["drones"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": fields.MAX_INTEGER,
    }
    assert sortie_schema["hit_share"] == {"type": "number", "minimum": 0, "maximum": 1}
    assert sortie_schema["lost"]["anyOf"][0]["minimum"] == fields.MIN_INTEGER
    validator = jsonschema.Draft202012Validator(schema)
    ds = cm.Dataset([*cm.examples.idlib_2020().records(), sortie()])
    document = orjson.loads(cm.dumps(ds))
    validator.validate(document)
    strike = next(e for e in document["events"] if e["type"] == TAG)
    strike["drones"], strike["hit_share"] = -1, 1.5
    (error,) = validator.iter_errors(document)
    messages = {e.message for e in error.context or ()}
    assert messages >= {
        "-1 is less than the minimum of 0",
        "1.5 is greater than the maximum of 1",
    }
