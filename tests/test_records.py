"""Records on their own: actors, places, agreements, events, claims and sources."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given

import conflictmodel as cm
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.testing import (
    actors,
    agreements,
    claims,
    engagements,
    events,
    locations,
    points,
    relations,
    sources,
    statements,
)

KINDS = {
    "actors": actors(),
    "relations": relations(),
    "locations": locations(),
    "agreements": agreements(),
    "sources": sources(),
    "events": events(),
    "claims": claims(),
}


def _walk_path(record: object, path: str) -> object:
    value = record
    for part in path.replace("]", "").replace("[", ".").split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)  # type: ignore[index]
    return value


@pytest.mark.parametrize("collection", KINDS)
def test_generated_records_rebuild_from_their_own_fields(collection: str) -> None:
    @given(KINDS[collection])
    def check(record: cm.Record) -> None:
        assert record.collection == collection
        assert isinstance(record, COLLECTIONS[collection])
        assert attrs.evolve(record) == record
        assert record.label == f"{record.kind_label} {record.id!r}"

    check()


@pytest.mark.parametrize("collection", KINDS)
def test_references_name_the_ids_at_their_paths(collection: str) -> None:
    @given(KINDS[collection])
    def check(record: cm.Record) -> None:
        for path, target_collection, target in cm.references(record):
            assert target_collection in COLLECTIONS
            value = _walk_path(record, path)
            assert value == target

    check()


@given(actors())
def test_actor_names_are_the_name_then_distinct_aliases(actor: cm.Actor) -> None:
    assert actor.names == (actor.name, *actor.aliases)
    assert len(set(actor.aliases)) == len(actor.aliases)


@given(relations())
def test_a_relation_joins_two_actors(relation: cm.Relation) -> None:
    assert relation.source != relation.target
    assert [target for _, _, target in cm.references(relation)] == [
        relation.source,
        relation.target,
    ]


@given(points(), points())
def test_distance_is_symmetric_and_non_negative(a: cm.Point, b: cm.Point) -> None:
    there, back = cm.distance_km(a, b), cm.distance_km(b, a)
    assert there >= 0
    assert math.isclose(there, back, rel_tol=1e-9, abs_tol=1e-6)
    assert cm.distance_km(a, a) == 0


@given(locations())
def test_locations_measure_from_their_points(location: cm.Location) -> None:
    if location.point is not None:
        assert cm.distance_km(location, location.point) == 0


@given(agreements())
def test_agreement_sides_are_disjoint_and_name_their_members(agreement: cm.Agreement) -> None:
    bound = agreement.bound_actors
    assert len(bound) == len(set(bound))
    for index, side in enumerate(agreement.sides):
        assert side
        for actor in side:
            assert agreement.side_of(actor) == index


@given(engagements())
def test_engagement_casualties_are_one_entry_per_actor(engagement: cm.Engagement) -> None:
    actors_hit = [entry.actor for entry in engagement.casualties]
    assert len(actors_hit) == len(set(actors_hit))
    killed = [entry.killed for entry in engagement.casualties if entry.killed is not None]
    assert engagement.killed_total == (cm.total(killed) if killed else None)
    for entry in engagement.casualties:
        assert entry.killed is not None or entry.injured is not None
    if engagement.captured is not None:
        assert engagement.captured.lost_by != engagement.captured.gained_by


@given(statements())
def test_statements_hold_their_references(statement: cm.Statement) -> None:
    claim = cm.Claim(id="c", claimant="someone", statement=statement)
    paths = [path for path, _, _ in cm.references(claim)]
    assert paths[0] == "claimant"
    assert all(path.startswith("statement.") for path in paths[1:])
    assert len(paths) > 1


@given(sources())
def test_source_urls_are_absolute(source: cm.Source) -> None:
    assert source.url is None or source.url.startswith("https://")


# Bad input -------------------------------------------------------------------------------


def _agreement(**changes: Any) -> cm.Agreement:
    fields: dict[str, Any] = {
        "id": "deal",
        "name": "Deal",
        "kind": "ceasefire",
        "signed": "2020-01-12",
        "effective": "2020-01-12/..",
        "signatories": ["russia", "turkey"],
        "sides": [["syria"], ["turkey"]],
    }
    return cm.Agreement(**{**fields, **changes})


def _engagement(**changes: Any) -> cm.Engagement:
    fields: dict[str, Any] = {
        "id": "strike",
        "when": "2020-02-06",
        "kind": "airstrike",
        "initiators": [],
        "targets": ["syrian-civilians"],
    }
    return cm.Engagement(**{**fields, **changes})


BAD = [
    pytest.param(
        cm.Actor,
        {"id": 5, "name": "X", "kind": "state"},
        "Actor.id: expected text, got int 5",
        id="id of wrong type",
    ),
    pytest.param(
        cm.Location,
        {"id": "", "name": "X", "kind": "town"},
        "Location ''.id: must not be empty",
        id="empty id",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "  ", "kind": "state"},
        "Actor 'a'.name: must not be empty",
        id="blank name",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "A", "kind": "army"},
        "Actor 'a'.kind: 'army' is not a valid ActorKind; expected one of 'state'",
        id="unknown actor kind",
    ),
    pytest.param(
        cm.Location,
        {"id": "l", "name": "L", "kind": None},
        "Location 'l'.kind: None is not a valid LocationKind",
        id="enum kind None",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "A", "kind": "state", "aliases": "HTS"},
        "Actor 'a'.aliases: expected a sequence of texts, got str 'HTS'",
        id="lone alias string",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "A", "kind": "state", "aliases": ["B", "B"]},
        "Actor 'a'.aliases: repeats 'B'",
        id="repeated alias",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "A", "kind": "state", "aliases": [""]},
        "Actor 'a'.aliases: expected non-empty texts",
        id="empty alias",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "A", "kind": "state", "country": "XX"},
        "Actor 'a'.country: 'XX' is not an ISO 3166-1 alpha-3 country code",
        id="bad country",
    ),
    pytest.param(
        cm.Actor,
        {"id": "a", "name": "A", "kind": "state", "external_ids": [("u", "1")]},
        "Actor 'a'.external_ids: expected a mapping of text to text",
        id="external ids not a mapping",
    ),
    pytest.param(
        cm.Location,
        {"id": "l", "name": "L", "kind": "town", "codes": {"iso": 1}},
        "Location 'l'.codes: value of 'iso' must be non-empty text, got int 1",
        id="code value not text",
    ),
    pytest.param(
        cm.Relation,
        {"id": "r", "source": "a", "kind": "supports", "target": "a"},
        "Relation 'r'.target: an actor cannot relate to itself ('a')",
        id="relation to itself",
    ),
    pytest.param(
        cm.Relation,
        {"id": "r", "source": "a", "kind": "hates", "target": "b"},
        "Relation 'r'.kind: 'hates' is not a valid RelationKind",
        id="unknown relation kind",
    ),
    pytest.param(
        cm.Relation,
        {"id": "r", "source": "a", "kind": "opposes", "target": "b", "span": "once"},
        "Relation 'r'.span: cannot read 'once' as a time span",
        id="unreadable relation span",
    ),
    pytest.param(
        cm.Point,
        {"lat": math.nan, "lon": 0},
        "Point.lat: expected a finite number of degrees, got float nan",
        id="latitude NaN",
    ),
    pytest.param(
        cm.Point,
        {"lat": 0, "lon": math.inf},
        "Point.lon: expected a finite number of degrees, got float inf",
        id="longitude infinite",
    ),
    pytest.param(
        cm.Point,
        {"lat": 95, "lon": 0},
        "Point.lat: 95.0 is outside -90..90",
        id="latitude out of range",
    ),
    pytest.param(
        cm.Point,
        {"lat": "35", "lon": 0},
        "Point.lat: expected a finite number of degrees, got str '35'",
        id="latitude as text",
    ),
    pytest.param(
        cm.Point,
        {"lat": True, "lon": 0},
        "Point.lat: expected a finite number of degrees, got bool True",
        id="latitude as bool",
    ),
    pytest.param(
        cm.Location,
        {"id": "l", "name": "L", "kind": "town", "point": (35.0, 36.0)},
        "Location 'l'.point: expected Point, got tuple (35.0, 36.0)",
        id="point as tuple",
    ),
    pytest.param(
        _agreement,
        {"signatories": "russia"},
        "Agreement 'deal'.signatories: expected a sequence of texts, got str 'russia'",
        id="lone signatory string",
    ),
    pytest.param(
        _agreement,
        {"sides": ["syria", "turkey"]},
        "Agreement 'deal'.sides: expected a sequence of texts, got str 'syria'",
        id="sides of strings",
    ),
    pytest.param(
        _agreement,
        {"sides": []},
        "Agreement 'deal'.sides: expected one or more sides of actor ids",
        id="no sides",
    ),
    pytest.param(
        _agreement,
        {"sides": [["syria"], []]},
        "Agreement 'deal'.sides: a side must name at least one actor",
        id="empty side",
    ),
    pytest.param(
        _agreement,
        {"sides": [["syria"], ["syria"]]},
        "Agreement 'deal'.sides: 'syria' is on two sides",
        id="actor on two sides",
    ),
    pytest.param(
        _agreement,
        {"effective": None},
        "Agreement 'deal'.effective: expected a TimeSpan or its text, got NoneType None",
        id="no effective span",
    ),
    pytest.param(
        _agreement,
        {"effective": "2020-02/2020-01"},
        "Agreement 'deal'.effective: cannot read '2020-02/2020-01' as a time span: the end is",
        id="reversed effective span",
    ),
    pytest.param(
        _agreement,
        {"kind": "handshake"},
        "Agreement 'deal'.kind: 'handshake' is not a valid AgreementKind",
        id="unknown agreement kind",
    ),
    pytest.param(
        cm.Event,
        {"id": "e", "when": 2020},
        "Event 'e'.when: expected a TimeSpan or its text, got int 2020",
        id="event time as int",
    ),
    pytest.param(
        cm.Event,
        {"id": "e", "when": "2020", "sources": "report"},
        "Event 'e'.sources: expected a sequence of texts, got str 'report'",
        id="lone source string",
    ),
    pytest.param(
        cm.Event,
        {"id": "e", "when": "2020", "description": None},
        "Event 'e'.description: expected text, got NoneType None",
        id="description None",
    ),
    pytest.param(
        _engagement,
        {"initiators": "syria"},
        "Engagement 'strike'.initiators: expected a sequence of texts, got str 'syria'",
        id="lone initiator string",
    ),
    pytest.param(
        _engagement,
        {"kind": "war"},
        "Engagement 'strike'.kind: 'war' is not a valid EngagementKind",
        id="unknown engagement kind",
    ),
    pytest.param(
        _engagement,
        {"casualties": {"syria": 3}},
        "Engagement 'strike'.casualties: expected a sequence of Casualties, got dict",
        id="casualties as mapping",
    ),
    pytest.param(
        _engagement,
        {"casualties": [("syria", 3)]},
        "Engagement 'strike'.casualties: expected Casualties items, got tuple ('syria', 3)",
        id="casualties as tuples",
    ),
    pytest.param(
        _engagement,
        {"casualties": [cm.Casualties("a", killed=1), cm.Casualties("a", killed=2)]},
        "Engagement 'strike'.casualties: more than one entry for 'a'",
        id="two entries for one actor",
    ),
    pytest.param(
        _engagement,
        {"captured": "saraqeb"},
        "Engagement 'strike'.captured: expected ControlChange, got str 'saraqeb'",
        id="captured as text",
    ),
    pytest.param(
        _engagement,
        {"reported_total": -4},
        "Engagement 'strike'.reported_total: expected an Estimate, a count or a phrase, got int -4",
        id="reported total negative",
    ),
    pytest.param(
        cm.Casualties,
        {"actor": "a", "killed": -3},
        "Casualties.killed: expected an Estimate, a count or a phrase, got int -3",
        id="negative killed",
    ),
    pytest.param(
        cm.Casualties,
        {"actor": "a", "killed": math.nan},
        "Casualties.killed: expected an Estimate, a count or a phrase, got float nan",
        id="killed NaN",
    ),
    pytest.param(
        cm.Casualties,
        {"actor": "a", "injured": math.inf},
        "Casualties.injured: expected an Estimate, a count or a phrase, got float inf",
        id="killed infinite",
    ),
    pytest.param(
        cm.Casualties,
        {"actor": "a", "killed": True},
        "Casualties.killed: expected an Estimate, a count or a phrase, got bool True",
        id="killed as bool",
    ),
    pytest.param(
        cm.Casualties,
        {"actor": "a", "killed": "lots"},
        "Casualties.killed: cannot read 'lots' as a count",
        id="killed unreadable",
    ),
    pytest.param(
        cm.Casualties,
        {"actor": "a"},
        "Casualties.killed: give killed, injured or both",
        id="no counts",
    ),
    pytest.param(
        cm.ControlChange,
        {"location": "l", "gained_by": "a", "lost_by": "a"},
        "ControlChange.lost_by: the same actor gains and loses control",
        id="gains from itself",
    ),
    pytest.param(
        cm.Toll,
        {"id": "t", "when": "2019", "killed": -1},
        "Toll 't'.killed: expected an Estimate, a count or a phrase, got int -1",
        id="toll killed negative",
    ),
    pytest.param(
        cm.Claim,
        {"id": "c", "claimant": "a", "statement": "it happened"},
        "Claim 'c'.statement: expected Statement, got str 'it happened'",
        id="statement as text",
    ),
    pytest.param(
        cm.Claim,
        {"id": "c", "claimant": "a", "statement": cm.Occurred("e"), "stance": "maybe"},
        "Claim 'c'.stance: 'maybe' is not a valid Stance; expected one of 'asserts', 'denies'",
        id="unknown stance",
    ),
    pytest.param(
        cm.Claim,
        {"id": "c", "claimant": "a", "statement": cm.Occurred("e"), "made": "then"},
        "Claim 'c'.made: cannot read 'then' as a time span",
        id="claim made unreadable",
    ),
    pytest.param(
        cm.Attribution,
        {"event": "e", "perpetrators": "turkey"},
        "Attribution.perpetrators: expected a sequence of texts, got str 'turkey'",
        id="lone perpetrator string",
    ),
    pytest.param(
        cm.Attribution,
        {"event": "e", "perpetrators": []},
        "Attribution.perpetrators: name at least one perpetrator",
        id="no perpetrators",
    ),
    pytest.param(
        cm.Violated,
        {"agreement": "deal", "violators": []},
        "Violated.violators: name at least one violator",
        id="no violators",
    ),
    pytest.param(
        cm.CasualtyFigure,
        {"event": "e", "actor": "a"},
        "CasualtyFigure.killed: give killed, injured or both",
        id="no casualty figure",
    ),
    pytest.param(
        cm.Occurred,
        {"event": None},
        "Occurred.event: expected text, got NoneType None",
        id="event id None",
    ),
    pytest.param(
        cm.Controls,
        {"location": "l", "actor": "a", "since": "2020/2019"},
        "Controls.since: cannot read '2020/2019' as a time span: the end is before the start",
        id="controls since reversed",
    ),
    pytest.param(
        cm.Source,
        {"id": "s", "title": "T", "url": "example.com/x"},
        "Source 's'.url: 'example.com/x' is not an absolute URL",
        id="relative URL",
    ),
    pytest.param(
        cm.Source,
        {"id": "s", "title": "T", "url": 5},
        "Source 's'.url: expected text, got int 5",
        id="URL as int",
    ),
    pytest.param(
        cm.Source, {"id": "s", "title": ""}, "Source 's'.title: must not be empty", id="empty title"
    ),
]


@pytest.mark.parametrize(("make", "fields", "message"), BAD)
def test_bad_input_is_refused_naming_class_field_and_record(
    make: Callable[..., object], fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        make(**fields)
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, cm.ConflictModelError)
    assert raised.value.field == message.split(":")[0].rsplit(".", 1)[1]


@pytest.mark.parametrize(
    ("make", "fields", "message"),
    [
        (cm.Engagement, {"id": "e", "when": "2020"}, "missing 3 required keyword-only"),
        (cm.Actor, {"id": "a", "name": "A", "kind": "state", "side": 1}, "got an unexpected"),
        (cm.Casualties, {}, "missing 1 required positional argument: 'actor'"),
        (cm.Occurred, {}, "missing 1 required positional argument: 'event'"),
        (cm.TimeSpan, {"start": None}, "missing 1 required positional argument: 'end'"),
    ],
)
def test_a_wrong_call_is_pythons_own_type_error(
    make: Callable[..., object], fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message) as raised:
        make(**fields)
    assert not isinstance(raised.value, cm.ConflictModelError)


def test_records_are_plain_attrs_classes() -> None:
    assert type(cm.Actor) is type
    assert type(cm.Engagement) is type


def test_distance_needs_coordinates() -> None:
    bare = cm.Location(id="l", name="L", kind="town")
    with pytest.raises(cm.ValidationError, match=r"^location 'l'\.point: has no coordinates"):
        cm.distance_km(bare, cm.Point(0, 0))
    with pytest.raises(cm.ValidationError, match=r"distance_km\(\) takes points or located"):
        cm.distance_km("idlib", "saraqeb")  # type: ignore[arg-type]


def test_lists_and_sets_become_tuples() -> None:
    actor = cm.Actor(id="a", name="A", kind="state", aliases=["B", "C"])
    deal = _agreement(signatories={"turkey", "russia"})
    assert actor.aliases == ("B", "C")
    assert deal.signatories == ("russia", "turkey")
    assert deal.sides == (("syria",), ("turkey",))


def test_records_are_frozen() -> None:
    actor = cm.Actor(id="a", name="A", kind="state")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        actor.name = "B"  # type: ignore[misc]


def test_classes_show_the_signature_of_their_fields() -> None:
    assert list(inspect.signature(cm.Estimate).parameters) == ["low", "best", "high"]
    assert list(inspect.signature(cm.Actor).parameters)[:3] == ["id", "name", "kind"]


def test_negative_zero_degrees_are_written_as_zero() -> None:
    points = [cm.Point(0.0, 0.0), cm.Point(-0.0, -0.0), cm.Point(-0.0, 0)]
    places = [cm.Location(id="p", name="P", kind="site", point=point) for point in points]
    texts = {cm.dumps(cm.Dataset([place])) for place in places}
    assert len(texts) == 1
    assert '"lat": -0.0' not in texts.pop()
