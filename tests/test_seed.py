"""The Idlib report of 6 February 2020 as data: its facts, as the report states them."""

from __future__ import annotations

import pendulum
import pytest

import conflictmodel as cm
from conflictmodel.examples import idlib_2020


@pytest.fixture(scope="module")
def ds() -> cm.Dataset:
    return idlib_2020()


def _engagement(ds: cm.Dataset, event_id: str) -> cm.Engagement:
    event = ds.events[event_id]
    assert isinstance(event, cm.Engagement)
    return event


def test_the_seed_is_a_valid_dataset_that_rebuilds_equal(ds: cm.Dataset) -> None:
    assert cm.Dataset(ds.records()) == ds
    assert idlib_2020() is ds


def test_saraqeb_lies_in_idlib_governorate_15_to_20_km_from_idlib(ds: cm.Dataset) -> None:
    saraqeb = ds.location("saraqeb")
    assert saraqeb.kind is cm.LocationKind.TOWN
    assert saraqeb.within == "idlib-governorate"
    assert ds.is_within("saraqeb", "syria")
    assert 15 <= cm.distance_km(saraqeb, ds.location("idlib")) <= 20


def test_the_required_actors_and_their_hierarchy(ds: cm.Dataset) -> None:
    kinds = {actor_id: actor.kind for actor_id, actor in ds.actors.items()}
    assert kinds["syria"] is cm.ActorKind.STATE
    assert kinds["syrian-army"] is cm.ActorKind.STATE_FORCES
    assert kinds["russia"] is kinds["turkey"] is kinds["israel"] is cm.ActorKind.STATE
    assert kinds["hts"] is cm.ActorKind.REBEL_GROUP
    assert kinds["syrian-civilians"] is cm.ActorKind.CIVILIANS
    assert kinds["sana"] is cm.ActorKind.MEDIA
    assert "al-qaida" in kinds
    assert ds.actor_ancestors("syrian-army") == ("syria",)
    assert ds.top_actor("turkish-army") == "turkey"


@pytest.mark.parametrize(
    ("name", "actor_id"),
    [
        ("HTS", "hts"),
        ("hts", "hts"),
        ("Hayat Tahrir al-Sham", "hts"),
        ("hayat tahrir al-sham", "hts"),
        ("SAA", "syrian-army"),
        ("Syrian forces", "syrian-army"),
        ("SANA", "sana"),
        ("Syrian Arab News Agency", "sana"),
        ("Turkey", "turkey"),
    ],
)
def test_actors_by_name_and_alias(ds: cm.Dataset, name: str, actor_id: str) -> None:
    assert ds.actor(name).id == actor_id


@pytest.mark.parametrize(
    ("name", "location_id"),
    [
        ("Saraqib", "saraqeb"),
        ("saraqeb", "saraqeb"),
        ("Derra", "daraa-governorate"),
        ("M5", "damascus-aleppo-highway"),
        ("m5", "damascus-aleppo-highway"),
        ("Quneitra", "quneitra-governorate"),
        ("Idlib", "idlib"),
    ],
)
def test_locations_by_name_and_alias(ds: cm.Dataset, name: str, location_id: str) -> None:
    assert ds.location(name).id == location_id


def test_the_highway_is_a_road(ds: cm.Dataset) -> None:
    assert ds.location("M5").kind is cm.LocationKind.ROAD


def test_the_offensive_began_in_december_2019_and_goes_on(ds: cm.Dataset) -> None:
    offensive = _engagement(ds, "idlib-offensive")
    assert offensive.when.precision is cm.Precision.MONTH
    assert offensive.when.start == pendulum.Date(2019, 12, 1)
    assert offensive.when.end is None
    assert str(offensive.when) == "2019-12/.."
    assert offensive.initiators == ("syrian-army",)


def test_saraqeb_was_captured_on_thursday_6_february(ds: cm.Dataset) -> None:
    capture = _engagement(ds, "saraqeb-capture-2020-02-06")
    assert capture.when == cm.when("2020-02-06")
    assert capture.when.start is not None
    assert capture.when.start.isoweekday() == 4
    assert capture.captured == cm.ControlChange(
        location="saraqeb", gained_by="syrian-army", lost_by="hts"
    )
    assert capture.part_of == "idlib-offensive"
    highway = _engagement(ds, "highway-capture-2020-02-06")
    assert highway.captured is not None
    assert highway.captured.location == "saraqeb-aleppo-m5"
    assert ds.locations["saraqeb-aleppo-m5"].within == "damascus-aleppo-highway"
    assert ds.location("Saraqeb-Aleppo highway").id == "saraqeb-aleppo-m5"


def test_the_capture_takes_a_stretch_of_the_highway_not_all_of_it(ds: cm.Dataset) -> None:
    assert cm.control_timeline(ds, "damascus-aleppo-highway") == []
    assert [s.holder for s in cm.control_timeline(ds, "saraqeb-aleppo-m5")] == [
        "hts",
        "syrian-army",
    ]


def test_the_attack_killed_eight_turkish_soldiers(ds: cm.Dataset) -> None:
    attack = _engagement(ds, "attack-2020-02-03")
    assert attack.when == cm.when("2020-02-03")
    assert attack.initiators == ("syrian-army",)
    assert attack.casualties == (cm.Casualties("turkish-army", killed=cm.Estimate.exact(8)),)


def test_the_retaliation_answers_the_attack_killing_almost_30(ds: cm.Dataset) -> None:
    retaliation = _engagement(ds, "retaliation-2020-02-03")
    assert retaliation.responds_to == "attack-2020-02-03"
    assert retaliation.initiators == ("turkish-army",)
    (syrian,) = retaliation.casualties
    assert syrian.actor == "syrian-army"
    assert syrian.killed == cm.Estimate(27, None, 29)
    assert 30 not in syrian.killed


def test_the_ceasefire(ds: cm.Dataset) -> None:
    ceasefire = ds.agreements["idlib-ceasefire-2020"]
    assert ceasefire.kind is cm.AgreementKind.CEASEFIRE
    assert ceasefire.signed == cm.when("2020-01-12")
    assert ceasefire.effective == cm.when("2020-01-12/..")
    assert set(ceasefire.signatories) == {"russia", "turkey"}
    assert [set(side) for side in ceasefire.sides] == [{"syria", "russia"}, {"turkey"}]
    assert ceasefire.scope == ("idlib-governorate",)
    assert ceasefire.extends == ()
    assert list(ds.agreements) == ["idlib-ceasefire-2020"]
    (cooperation,) = [r for r in ds.relations.values() if r.id == "russia-turkey-cooperation"]
    assert cooperation.span == cm.when("2019/..")


def test_the_invasion_and_the_missiles(ds: cm.Dataset) -> None:
    invasion = _engagement(ds, "turkish-invasion-2019")
    assert invasion.when == cm.when("2019")
    assert invasion.where == "north-east-syria"
    strikes = ds.event_parts("israeli-missiles-2020-02-06")
    assert {ds.events[e].where for e in strikes} == {
        "rif-dimashq-governorate",
        "daraa-governorate",
        "quneitra-governorate",
    }
    interception = _engagement(ds, "interception-2020-02-06")
    assert interception.kind is cm.EngagementKind.INTERCEPTION
    assert not interception.kind.is_hostile
    assert interception.responds_to == "israeli-missiles-2020-02-06"


def test_the_relations(ds: cm.Dataset) -> None:
    triples = {(r.source, r.kind, r.target) for r in ds.relations.values()}
    assert ("turkey", cm.RelationKind.SUPPORTS, "hts") in triples
    assert ("russia", cm.RelationKind.SUPPORTS, "syria") in triples
    former = [r for r in ds.relations.values() if r.target == "al-qaida"]
    assert [(r.source, r.kind) for r in former] == [("hts", cm.RelationKind.AFFILIATED_WITH)]
    assert former[0].span is not None
    assert former[0].span.end is not None
    assert former[0].span.end < pendulum.Date(2020, 1, 1)


def _claims(ds: cm.Dataset, claimant: str, kind: type[cm.Statement]) -> list[cm.Claim]:
    return [
        c for c in ds.claims.values() if c.claimant == claimant and isinstance(c.statement, kind)
    ]


def test_turkey_says_the_offensive_violates_the_ceasefire(ds: cm.Dataset) -> None:
    (claim,) = _claims(ds, "turkey", cm.Violated)
    assert isinstance(claim.statement, cm.Violated)
    assert claim.statement.agreement == "idlib-ceasefire-2020"
    assert claim.statement.events == ("idlib-offensive",)
    assert claim.stance is cm.Stance.ASSERTS


@pytest.mark.parametrize("claimant", ["russia", "syria"])
def test_russia_and_syria_say_turkey_and_the_rebels_violate_it(
    ds: cm.Dataset, claimant: str
) -> None:
    (claim,) = _claims(ds, claimant, cm.Violated)
    assert isinstance(claim.statement, cm.Violated)
    assert claim.statement.agreement == "idlib-ceasefire-2020"
    assert set(claim.statement.violators) == {"turkey", "hts"}


def test_syria_blames_turkey_for_the_airstrike_that_killed_15_civilians(ds: cm.Dataset) -> None:
    airstrike = _engagement(ds, "turkish-airstrike-2020-02-06")
    assert airstrike.initiators == ()
    about = ds.claims_about("events", airstrike.id)
    statements = {type(c.statement): c for c in about}
    assert {c.claimant for c in about} == {"syria"}
    attribution = statements[cm.Attribution].statement
    assert isinstance(attribution, cm.Attribution)
    assert attribution.perpetrators == ("turkey",)
    figure = statements[cm.CasualtyFigure].statement
    assert isinstance(figure, cm.CasualtyFigure)
    assert (figure.actor, figure.killed) == ("syrian-civilians", cm.Estimate.exact(15))


def test_syria_attributes_the_missiles_to_israel(ds: cm.Dataset) -> None:
    claims = {
        type(c.statement): c for c in ds.claims_about("events", "israeli-missiles-2020-02-06")
    }
    assert set(claims) == {cm.Attribution, cm.Occurred}
    assert {c.claimant for c in claims.values()} == {"syria"}
    attribution = claims[cm.Attribution].statement
    assert isinstance(attribution, cm.Attribution)
    assert attribution.perpetrators == ("israel",)
    assert "two rounds" in ds.events["israeli-missiles-2020-02-06"].description


@pytest.mark.parametrize("event", ["turkish-airstrike-2020-02-06", "israeli-missiles-2020-02-06"])
def test_the_strikes_happened_as_syria_tells_it(ds: cm.Dataset, event: str) -> None:
    (occurred,) = [
        c for c in ds.claims_about("events", event) if isinstance(c.statement, cm.Occurred)
    ]
    assert occurred.claimant == "syria"
    engagement = _engagement(ds, event)
    assert engagement.initiators == ()
    assert engagement.description.startswith("Syria's account")


def test_sana_is_syrian_state_media_and_a_source(ds: cm.Dataset) -> None:
    assert ds.actors["sana"].part_of == "syria"
    assert ds.sources["sana"].title == "Syrian Arab News Agency"
    assert ds.actor("Syrian soldiers").id == "syrian-army"


def test_sana_reports_government_control_of_saraqeb(ds: cm.Dataset) -> None:
    (claim,) = _claims(ds, "sana", cm.Controls)
    assert claim.statement == cm.Controls("saraqeb", "syrian-army", since=cm.when("2020-02-06"))


def test_every_claim_is_sourced_to_the_report(ds: cm.Dataset) -> None:
    assert ds.claims
    for claim in ds.claims.values():
        assert claim.sources
        assert set(claim.sources) <= ds.sources.keys()
        assert claim.made is not None


def test_war_level_figures(ds: cm.Dataset) -> None:
    tolls = {e.id: e for e in ds.events.values() if isinstance(e, cm.Toll)}
    killed, displaced = tolls["syrian-war-toll"], tolls["syrian-war-displacement"]
    assert isinstance(killed, cm.Toll)
    assert isinstance(displaced, cm.Toll)
    assert killed.killed == cm.Estimate.between(100_000, 999_999)
    assert (killed.population, killed.displaced) == (None, None)
    assert displaced.displaced == cm.Estimate.parse("almost seven million")
    assert displaced.displaced is not None
    assert displaced.displaced.high == 6_999_999
    assert (displaced.population, displaced.killed) == ("syrian-civilians", None)
    assert str(killed.killed) == "100000 to 999999"


def test_the_report_says_hts_holds_idlib_on_its_own_day() -> None:
    ds = cm.examples.idlib_2020()
    claim = ds.claims["report-hts-controls-idlib"]
    assert claim.claimant is None
    assert claim.sources == ("report-2020-02-06",)
    held = cm.control_at(ds, "Idlib Governorate", "2020-02-06")
    assert (held.holder, held.certainty) == ("hts", cm.Certainty.DEFINITE)
    assert cm.control_at(ds, "Idlib Governorate", "2020-03").holder is None
    assert list(cm.control_timeline(ds, "idlib-governorate", according_to="syria")) == []
