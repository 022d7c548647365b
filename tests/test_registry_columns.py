"""A type whose field would fill a table column with another kind of value is refused when it
is registered, and the tables of every dataset keep working."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import conflictmodel as cm
from conflictmodel import registry, tables


@attrs.frozen(kw_only=True)
class Census(cm.Event):
    population: int = 0


@attrs.frozen(kw_only=True)
class Tally(cm.Event):
    killed_low: str = ""


@attrs.frozen(kw_only=True)
class Crowd(cm.Event):
    people: cm.Estimate | None = None
    people_low: str = ""


@attrs.frozen(kw_only=True)
class Numbered(cm.Statement):
    event: int = 0


@attrs.frozen(kw_only=True)
class Counted(cm.Event):
    killed: cm.Estimate | None = None
    population: str | None = None
    head_count: int = 0


@pytest.mark.parametrize(
    ("decorator", "cls", "words"),
    [
        (
            cm.event_type,
            Census,
            "on Census: field 'population' would fill column 'population' with int64, but field "
            "'population' of conflictmodel.events.Toll fills it with string; event types share "
            "the columns of the events table, so rename one of the fields",
        ),
        (
            cm.event_type,
            Tally,
            "field 'killed_low' would fill column 'killed_low' with string, but field 'killed' "
            "of conflictmodel.events.Toll fills it with int64",
        ),
        (
            cm.event_type,
            Crowd,
            "fields 'people' (int64) and 'people_low' (string) would both fill column 'people_low'",
        ),
        (
            cm.statement_type,
            Numbered,
            "on Numbered: field 'event' would fill column 'statement_event' with int64, but "
            "field 'event' of conflictmodel.claims.",
        ),
    ],
)
def test_a_field_filling_a_column_with_another_kind_is_refused_and_nothing_registered(
    decorator: object, cls: type, words: str
) -> None:
    assert callable(decorator)
    records, statements = registry.record_types(), registry.statement_types()
    with pytest.raises(cm.RegistrationError) as raised:
        decorator("test.clash")(cls)
    assert words in str(raised.value)
    assert (registry.record_types(), registry.statement_types()) == (records, statements)
    with pytest.raises(cm.RegistrationError, match="not a registered type"):
        registry.tag_of(cls)
    written = tables.from_dataset(cm.examples.idlib_2020())
    assert cm.casualties_by_actor(written) == cm.casualties_by_actor(cm.examples.idlib_2020())


def test_fields_named_and_typed_like_another_types_share_its_columns(tmp_path: Path) -> None:
    cm.event_type("test.counted")(Counted)
    try:
        event = Counted(
            id="c", when="2020-02", killed=cm.Estimate(30, 30, 30), population="x", head_count=4
        )
        ds = cm.examples.idlib_2020().with_records([event])
        tables.write(ds, tmp_path / "t")
        again = tables.load(tmp_path / "t")
        assert again.events["c"] == event
        assert again.events["syrian-war-toll"] == ds.events["syrian-war-toll"]
    finally:
        registry.unregister("test.counted")


def test_registering_a_type_sharing_no_column_name_does_not_lay_out_tables() -> None:
    script = """
import sys, attrs, conflictmodel as cm

@cm.event_type("test.sighting")
@attrs.frozen(kw_only=True)
class Sighting(cm.Event):
    witnesses: int = 0
    killed: cm.Estimate | None = None

print("conflictmodel.tables.layout" in sys.modules)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.stdout.strip() == "False", run.stderr
