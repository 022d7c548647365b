"""Custom event and statement types: they dump, load, keep opaque without their plug-in,
and flow through the queries like built-in types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import registry, testing


@attrs.frozen(kw_only=True)
class DroneStrike(cm.Engagement):
    drones: int = attrs.field(default=1)
    operator: str | None = attrs.field(default=None, metadata=cm.refers_to("actors"))


@attrs.frozen(kw_only=True)
class Proposed(cm.Statement):
    agreement: str = attrs.field(metadata=cm.refers_to("agreements"))
    terms: tuple[str, ...] = ()


STRIKE = DroneStrike(
    id="drone-2020-02-05",
    when="2020-02-05",
    where="saraqeb",
    kind="drone_strike",
    initiators=["turkish-army"],
    targets=["syrian-army"],
    casualties=[cm.Casualties("syrian-army", killed=3)],
    drones=2,
    operator="turkish-army",
)
PROPOSAL = cm.Claim(
    id="russia-proposes",
    claimant="russia",
    statement=Proposed(agreement="idlib-ceasefire-2020", terms=("patrols", "withdrawal")),
    made="2020-02",
)
OCCURRED = cm.Claim(id="turkey-confirms", claimant="turkey", statement=cm.Occurred(STRIKE.id))


@pytest.fixture
def registered() -> Iterator[cm.Dataset]:
    cm.event_type("test.drone_strike")(DroneStrike)
    cm.statement_type("test.proposed")(Proposed)
    try:
        yield cm.examples.idlib_2020().with_records([STRIKE, PROPOSAL, OCCURRED])
    finally:
        registry.unregister("test.drone_strike")
        registry.unregister("test.proposed")


def test_custom_types_round_trip(registered: cm.Dataset, tmp_path: Path) -> None:
    text = cm.dumps(registered)
    assert '"type": "test.drone_strike"' in text
    assert '"drones": 2' in text
    assert cm.loads(text) == registered
    assert cm.loads(text).events[STRIKE.id] == STRIKE
    for name in ("data.json", "data.jsonl"):
        cm.dump(registered, tmp_path / name)
        assert cm.load(tmp_path / name) == registered


def test_custom_engagements_count_in_the_queries(registered: cm.Dataset) -> None:
    ds = cm.loads(cm.dumps(registered))
    seed = cm.examples.idlib_2020()
    killed = cm.casualties_by_actor(ds)["syrian-army"]
    assert killed == cm.casualties_by_actor(seed)["syrian-army"] + cm.Estimate.exact(3)
    strikes = [v for v in cm.ceasefire_violations(ds) if v.event == STRIKE.id]
    assert [(v.violator, cm.Basis.OBSERVED in v.basis) for v in strikes] == [("turkish-army", True)]


def test_custom_references_are_checked(registered: cm.Dataset) -> None:
    text = cm.dumps(registered).replace('"operator": "turkish-army"', '"operator": "nobody"')
    with pytest.raises(cm.LoadError, match=r"events\[\d+\]\.operator: no actor has id 'nobody'"):
        cm.loads(text)


def test_without_the_types_strict_loading_names_the_tag(registered: cm.Dataset) -> None:
    text = cm.dumps(registered)
    registry.unregister("test.drone_strike")
    registry.unregister("test.proposed")
    try:
        with pytest.raises(cm.LoadError) as raised:
            cm.loads(text)
        message = str(raised.value)
        assert "unknown event type 'test.drone_strike'" in message
        assert "@conflictmodel.event_type('test.drone_strike')" in message
        assert "unknown statement type 'test.proposed'" in message
        assert "strict=False" in message
    finally:
        cm.event_type("test.drone_strike")(DroneStrike)
        cm.statement_type("test.proposed")(Proposed)


def test_unknown_types_are_kept_opaque_and_written_back_byte_for_byte(
    registered: cm.Dataset, tmp_path: Path
) -> None:
    text = cm.dumps(registered)
    registry.unregister("test.drone_strike")
    registry.unregister("test.proposed")
    try:
        ds = cm.loads(text, strict=False)
        strike = ds.events[STRIKE.id]
        assert isinstance(strike, cm.UnknownEvent)
        assert (strike.tag, strike.when, strike.where) == (
            "test.drone_strike",
            STRIKE.when,
            "saraqeb",
        )
        assert strike.fields["drones"] == 2
        statement = ds.claims[PROPOSAL.id].statement
        assert isinstance(statement, cm.UnknownStatement)
        assert statement.fields == {
            "agreement": "idlib-ceasefire-2020",
            "terms": ["patrols", "withdrawal"],
        }
        assert cm.dumps(ds) == text
        edited = ds.with_records(
            [cm.Actor(id="un", name="United Nations", kind="international_organisation")]
        )
        cm.dump(edited, tmp_path / "edited.jsonl")
        assert cm.load(tmp_path / "edited.jsonl", strict=False) == edited
        saved = cm.dumps(edited)
    finally:
        cm.event_type("test.drone_strike")(DroneStrike)
        cm.statement_type("test.proposed")(Proposed)
    assert cm.loads(saved) == registered.with_records(
        [cm.Actor(id="un", name="United Nations", kind="international_organisation")]
    )


def test_an_unregistered_subclass_is_refused_on_dump_and_the_old_file_survives(
    tmp_path: Path,
) -> None:
    seed = cm.examples.idlib_2020()
    ds = seed.with_records([STRIKE])
    for name in ("seed.json", "seed.jsonl"):
        path = tmp_path / name
        cm.dump(seed, path)
        before = path.read_bytes()
        with pytest.raises(cm.RegistrationError, match=r"DroneStrike is not a registered type"):
            cm.dump(ds, path)
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.json", "seed.jsonl"]


def test_dump_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text("old")
    path.chmod(0o640)
    cm.dump(cm.examples.idlib_2020(), path)
    assert path.stat().st_mode & 0o777 == 0o640


@settings(max_examples=40)
@given(st.data())
def test_events_of_every_registered_type_round_trip(data: st.DataObject) -> None:
    seed = cm.examples.idlib_2020()
    cm.event_type("test.drone_strike")(DroneStrike)
    try:
        event = data.draw(testing.registered_events(within=seed))
        assume(event.id not in seed.events)
        ds = seed.with_records([event])
        assert cm.loads(cm.dumps(ds)) == ds
    finally:
        registry.unregister("test.drone_strike")


NUMBERS = "123456789012345678901234567890, 1e2, -0, 2E-3, 0.5, 18446744073709551615, 7"
UNKNOWN_EVENT = (
    '{"description": "", "id": "d", "n": [NUMBERS], "part_of": null, "source_values": {}, '
    '"sources": [], "type": "displacement", "when": "2020", "where": null}'
).replace("NUMBERS", NUMBERS)
UNKNOWN_CLAIM = (
    '{"claimant": "x", "id": "c", "made": null, "source": null, "stance": "asserts", '
    '"statement": {"n": [NUMBERS], "type": "rumour"}, "type": "claim"}'
).replace("NUMBERS", NUMBERS)


def test_unknown_records_keep_their_numbers_as_written_in_documents() -> None:
    text = (
        '{"format": "conflictmodel", "version": 1, "actors": [{"type": "actor", "id": "x", '
        f'"name": "X", "kind": "state"}}], "claims": [{UNKNOWN_CLAIM}], '
        f'"events": [{UNKNOWN_EVENT}]}}'
    )
    ds = cm.loads(text, strict=False)
    written = cm.dumps(ds)
    compact = "".join(written.split())
    assert compact.count("".join(f"[{NUMBERS}]".split())) == 2
    assert cm.dumps(cm.loads(written, strict=False)) == written
    event = ds.events["d"]
    assert isinstance(event, cm.UnknownEvent)
    assert event.fields["n"][0] == 123456789012345678901234567890


def test_unknown_records_keep_their_numbers_as_written_in_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "unknown.jsonl"
    path.write_text(
        '{"format": "conflictmodel", "version": 1}\n'
        '{"type": "actor", "id": "x", "name": "X", "kind": "state"}\n'
        f"{UNKNOWN_CLAIM}\n{UNKNOWN_EVENT}\n",
        encoding="utf-8",
    )
    ds = cm.load(path, strict=False)
    cm.dump(ds, tmp_path / "again.jsonl")
    lines = (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()
    assert sum(f"[{NUMBERS.replace(', ', ',')}]" in line for line in lines) == 2
    assert cm.load(tmp_path / "again.jsonl", strict=False) == ds


def test_a_payload_with_a_repeated_key_is_refused() -> None:
    with pytest.raises(cm.ValidationError, match="'a' appears more than once"):
        cm.UnknownEvent(id="d", when="2020", tag="t", payload='{"a": 1, "a": 2}')
