"""The bulk structurer reads any registered type from its field spec, plug-ins included.

A plug-in event type here has a field of each kind the spec knows, with validators, a rule
between fields and a nested value with its own rule. What the structurer builds equals what
the converter builds; what it refuses, the converter reports, naming record, field and problem.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.io.test_bulk import change

import conflictmodel as cm
from conflictmodel import fields, registry, testing
from conflictmodel._bulk import Structurer
from conflictmodel._converter import converter
from conflictmodel.records import Record
from conflictmodel.spec import Kind, fields_of

TAG = "test.survey"


class Mood(enum.StrEnum):
    CALM = "calm"
    TENSE = "tense"


@attrs.frozen
class Checkpoint:
    """A nested value with a rule between its fields."""

    place: str = attrs.field(
        validator=attrs.validators.instance_of(str), metadata=cm.refers_to("locations")
    )
    opened: int = attrs.field(validator=attrs.validators.ge(0))
    closed: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.closed is not None and self.closed < self.opened:
            raise cm.ValidationError(f"Checkpoint.closed: {self.closed} is before {self.opened}")


@attrs.frozen(kw_only=True)
class Survey(cm.Event):
    """A plug-in event with a field of each kind."""

    title: str = fields.text()
    surveyor: str = fields.reference("actors")
    areas: tuple[str, ...] = fields.references("locations")
    sides: tuple[tuple[str, ...], ...] = attrs.field(default=(), metadata=cm.refers_to("actors"))
    tags: tuple[str, ...] = fields.texts()
    codes: Mapping[str, str] = fields.mapping()
    counted: cm.Estimate | None = fields.estimate()
    period: cm.TimeSpan = fields.span()
    point: cm.Point | None = None
    mood: Mood = fields.enum(Mood)
    moods: tuple[Mood, ...] = ()
    verified: bool = False
    teams: int = 0
    share: float = 0.0
    finding: cm.Statement | None = None
    checkpoint: Checkpoint | None = None
    checkpoints: tuple[Checkpoint, ...] = ()
    note: str | None = fields.optional_text()

    def __attrs_post_init__(self) -> None:
        if self.verified and not self.areas:
            raise cm.ValidationError(f"Survey {self.id!r}.verified: no areas were surveyed")


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    registry.event_type(TAG)(Survey)
    yield
    registry.unregister(TAG)


def test_the_plugin_has_a_field_of_each_kind_the_structurer_reads() -> None:
    kinds = {field.kind for field in fields_of(Survey)}
    assert kinds == set(Kind) - {Kind.DATE, Kind.OTHER}


SURVEY: dict[str, Any] = {
    "type": TAG,
    "id": "s",
    "when": "2020-02",
    "title": "Market count",
    "surveyor": "monitor",
    "areas": ["saraqeb", "idlib"],
    "sides": [["turkey"], ["syria", "russia"]],
    "tags": ["market"],
    "codes": {"ocha": "S-1"},
    "counted": {"low": 810, "best": 900, "high": 990},
    "period": "2020-01/2020-02",
    "point": {"lat": 35.86, "lon": 36.8},
    "mood": "tense",
    "moods": ["calm", "tense"],
    "verified": True,
    "teams": 3,
    "share": 0.25,
    "finding": {
        "type": "casualty_figure",
        "event": "attack",
        "actor": "syria",
        "killed": {"low": 3, "best": 3, "high": 3},
        "injured": None,
    },
    "checkpoint": {"place": "saraqeb", "opened": 2, "closed": 5},
    "checkpoints": [
        {"place": "idlib", "opened": 1, "closed": None},
        {"place": "saraqeb", "opened": 2, "closed": 5},
    ],
    "note": "partial",
}


def survey(**changes: Any) -> dict[str, Any]:
    """A valid survey's JSON, with ``changes``."""
    return {**SURVEY, **changes}


def outcome(value: object) -> Record | type[Exception]:
    try:
        record: Record = converter.structure(value, Record)
    except Exception as error:
        return type(error)
    return record


def assert_same_as_the_converter(value: dict[str, Any]) -> Record | None:
    fast = Structurer()(value)
    if fast is not None:
        expected = outcome(value)
        assert fast == expected
        assert type(fast) is type(expected)
        assert repr(fast) == repr(expected)
    return fast


def test_a_plugin_record_takes_the_fast_path() -> None:
    value = survey()
    built = assert_same_as_the_converter(value)
    assert isinstance(built, Survey)
    assert built.finding == cm.CasualtyFigure("attack", "syria", killed=3)
    assert built.checkpoints[1] is built.checkpoint


def test_fields_left_out_take_their_defaults() -> None:
    value = survey()
    for name in ("sides", "codes", "point", "moods", "finding", "checkpoints", "note"):
        del value[name]
    built = assert_same_as_the_converter(value)
    assert isinstance(built, Survey)
    assert (built.point, built.moods, built.codes) == (None, (), {})


def plugin_datasets() -> st.SearchStrategy[cm.Dataset]:
    return testing.datasets(max_events=4, max_claims=3, event_types=(Survey, cm.Engagement))


few = settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])


@few
@given(plugin_datasets())
def test_every_valid_record_of_every_type_takes_the_fast_path(ds: cm.Dataset) -> None:
    structurer = Structurer()
    for record in ds.records():
        built = structurer(converter.unstructure(record))
        assert built == record
        assert type(built) is type(record)


JUNK: list[Any] = [
    None,
    "",
    " ",
    "x",
    "2020-13",
    0,
    -1,
    2.5,
    -0.0,
    True,
    2**64,
    [],
    ["a", "a"],
    [1],
    [[]],
    [["a"], ["a"]],
    {},
    {"low": 3, "best": 2, "high": 1},
    {"low": 1, "best": 1},
    {"start": None, "end": None, "precision": "year"},
    {"lat": 91, "lon": 0},
    {"place": "p", "opened": 5, "closed": 1},
    {"type": "occurred", "event": "e"},
    {"type": "attribution", "event": "e", "perpetrators": []},
    {"type": "nonsense"},
    [{"place": "p", "opened": 1, "closed": None}] * 2,
    [{"place": "p", "opened": -1, "closed": None}],
    "calm",
    ["calm", "tense"],
]


@st.composite
def changed_records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid record of any type as JSON, with a field replaced, removed or added."""
    ds = draw(plugin_datasets())
    values = [converter.unstructure(record) for record in ds.records()]
    value: dict[str, Any] = dict(draw(st.sampled_from(values or [SURVEY])))
    for _ in range(draw(st.integers(1, 2))):
        change(draw, value, JUNK, (["extra", "verified", "kind", "stance"], True))
    return value


@few
@given(changed_records())
def test_the_structurer_builds_what_the_converter_builds_or_leaves_it(
    value: dict[str, Any],
) -> None:
    assert_same_as_the_converter(value)


def test_each_plugin_field_with_each_bad_value_is_read_as_the_converter_reads_it() -> None:
    for field in fields_of(Survey):
        for junk in JUNK:
            assert_same_as_the_converter(survey(**{field.name: junk}))


def load_problems(value: dict[str, Any]) -> str:
    """The message of loading a document with the seed's records and ``value``."""
    document = orjson.loads(cm.dumps(cm.examples.idlib_2020()))
    document["events"].append(value)
    with pytest.raises(cm.LoadError) as raised:
        cm.loads(orjson.dumps(document))
    return str(raised.value)


ATTACK = {
    "type": "engagement",
    "id": "strike",
    "when": "2020-02-27",
    "kind": "airstrike",
    "initiators": ["syrian-army"],
    "targets": ["turkish-army"],
}
EIGHT = {"low": 8, "best": 8, "high": 8}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {**ATTACK, "casualties": [{"actor": "turkish-army", "killed": EIGHT}] * 2},
            ["Engagement 'strike'.casualties", "more than one entry for 'turkish-army'"],
        ),
        (
            {**ATTACK, "casualties": [{"actor": "turkish-army"}]},
            ["Casualties.killed", "give killed, injured or both", "'strike'"],
        ),
        (
            {**ATTACK, "reported_total": {"low": 9, "best": 8, "high": 10}},
            ["reported_total", "Estimate.best: 8 is below low 9", "'strike'"],
        ),
        (
            {**ATTACK, "initiators": ["syrian-army", "syrian-army"]},
            ["Engagement 'strike'.initiators", "repeats 'syrian-army'"],
        ),
        ({**ATTACK, "when": "2020-02-30"}, ["events[", ".when", "2020-02-30"]),
        (survey(id="blank", title=" "), ["Survey 'blank'.title", "must not be empty"]),
        (survey(id="none", areas=[]), ["Survey 'none'.verified", "no areas were surveyed"]),
        (
            survey(id="shut", checkpoint={"place": "idlib", "opened": 5, "closed": 1}),
            ["checkpoint", "Checkpoint.closed: 1 is before 5", "'shut'"],
        ),
        (survey(id="moody", mood="angry"), ["mood", "'angry' is not a valid Mood"]),
        (survey(id="many", teams=True), ["teams", "expected a whole number, got bool True"]),
    ],
)
def test_a_bad_value_is_left_to_the_converter_which_reports_it(
    value: dict[str, Any], expected: list[str]
) -> None:
    assert Structurer()(value) is None
    message = load_problems(value)
    for part in expected:
        assert part in message
