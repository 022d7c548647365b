"""The rules of ceasefire_violations, one hand-built case each."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from tests.queries.world import CEASEFIRE, claim, strike, world

import conflictmodel as cm


def keys(ds: cm.Dataset, **options: Any) -> set[tuple[str | None, str | None]]:
    return {(v.violator, v.event) for v in cm.ceasefire_violations(ds, CEASEFIRE, **options)}


def test_a_bound_initiator_attacking_the_other_side_in_scope_and_time_violates() -> None:
    (violation,) = cm.ceasefire_violations(world(strike("e")), CEASEFIRE)
    assert (violation.violator, violation.event, violation.basis) == (
        "north-army",
        "e",
        (cm.Basis.OBSERVED,),
    )
    assert violation.certainty is cm.Certainty.DEFINITE


@pytest.mark.parametrize(
    ("engagement", "why"),
    [
        (strike("e", kind="interception"), "defensive"),
        (strike("e", by=["outsider"]), "initiator not bound"),
        (strike("e", on=["north-brigade"]), "target on the initiator's side"),
        (strike("e", on=[]), "no target"),
        (strike("e", where="elsewhere"), "outside the scope"),
        (strike("e", where=None), "no place, so not in a limited scope"),
        (strike("e", day="2021-02-28"), "before the effective span"),
        (strike("e", day="2021-07"), "after the effective span"),
        (strike("e", by=[]), "unknown initiator"),
    ],
)
def test_what_does_not_violate(engagement: cm.Engagement, why: str) -> None:
    assert cm.ceasefire_violations(world(engagement), CEASEFIRE) == [], why


def test_a_toll_never_violates() -> None:
    toll = cm.Toll(id="t", when="2021-04", where="town", killed=100)
    accusation = claim("c", "south", cm.Violated(CEASEFIRE, ["north"], events=["t"]))
    assert cm.ceasefire_violations(world(toll, accusation), CEASEFIRE) == []


def test_civilians_are_on_no_side_and_parts_of_sides_are_bound() -> None:
    ds = world(strike("e", by=["north-brigade"], on=["villagers"]))
    assert keys(ds) == {("north-brigade", "e")}


def test_a_span_overlapping_the_effective_span_is_possible() -> None:
    (violation,) = cm.ceasefire_violations(world(strike("e", day="2021-06")), CEASEFIRE)
    assert violation.certainty is cm.Certainty.DEFINITE
    (violation,) = cm.ceasefire_violations(world(strike("e", day="2021-06/2021-07")), CEASEFIRE)
    assert violation.certainty is cm.Certainty.POSSIBLE
    assert "overlapping the effective span" in violation.explain()


def test_an_attribution_pins_an_unknown_initiator_on_a_bound_actor() -> None:
    ds = world(
        strike("e", by=[]),
        claim("c", "south", cm.Attribution("e", ["north"])),
        claim("d", "north", cm.Attribution("e", ["north"]), "denies"),
    )
    (violation,) = cm.ceasefire_violations(ds, CEASEFIRE)
    assert (violation.violator, violation.basis) == ("north", (cm.Basis.ALLEGED,))
    assert (violation.alleged_by, violation.denied_by) == (("south",), ("north",))
    assert keys(ds, according_to="north") == set()


def test_an_allegation_covers_named_events_their_parts_and_the_actors_part_of_the_accused() -> None:
    ds = world(
        strike("campaign", "2021-04/2021-05"),
        strike("raid", "2021-04-02", by=["north-brigade"], part_of="campaign"),
        strike("unclaimed", "2021-04-03", by=[], part_of="campaign"),
        claim("c", "south", cm.Violated(CEASEFIRE, ["north"], events=["campaign"])),
    )
    found = {(v.violator, v.event): v for v in cm.ceasefire_violations(ds, CEASEFIRE)}
    both = (cm.Basis.OBSERVED, cm.Basis.ALLEGED)
    assert found[("north-army", "campaign")].basis == both
    assert found[("north-brigade", "raid")].basis == both
    assert found[("north-army", "unclaimed")].basis == both
    assert found[("north-army", "unclaimed")].part_of == "campaign"
    assert found[("north-army", "campaign")].parts == ("raid", "unclaimed")
    assert not found[("north-army", "campaign")].counted
    assert len(found) == 3


def test_a_violated_claim_without_events_is_its_own_violation() -> None:
    made = cm.Claim(
        id="c",
        claimant="south",
        statement=cm.Violated(CEASEFIRE, ["north"]),
        made="2021-05-01",
    )
    ds = world(strike("e"), made)
    found = {(v.violator, v.event): v for v in cm.ceasefire_violations(ds, CEASEFIRE)}
    assert set(found) == {("north-army", "e"), ("north", None)}
    assert found[("north", None)].when == cm.when("2021-05-01")
    assert keys(ds, period="2021-04-01") == {("north-army", "e")}
    assert keys(ds, period="2021-05") == {("north", None)}


def test_allegations_about_events_outside_the_agreement_yield_nothing() -> None:
    ds = world(
        strike("far", where="elsewhere"),
        claim("c", "south", cm.Violated(CEASEFIRE, ["north"], events=["far"])),
    )
    assert cm.ceasefire_violations(ds, CEASEFIRE) == []


def test_allegations_against_actors_outside_the_agreement_yield_nothing() -> None:
    ds = world(
        strike("e", by=["outsider"]),
        claim("c", "north", cm.Violated(CEASEFIRE, ["outsider"], events=["e"])),
        claim("d", "south", cm.Violated(CEASEFIRE, ["outsider"])),
    )
    assert cm.ceasefire_violations(ds, CEASEFIRE) == []
    assert [
        v.violator
        for v in cm.ceasefire_violations(
            ds.with_records(
                [
                    claim("f", "south", cm.Violated(CEASEFIRE, ["north"], events=["e"])),
                ]
            ),
            CEASEFIRE,
        )
    ] == ["north"]


def test_denials_are_listed_and_drop_out_of_the_deniers_view() -> None:
    ds = world(
        strike("e"),
        claim("c", "north", cm.Occurred("e"), "denies"),
        claim("d", "monitor", cm.Violated(CEASEFIRE, ["north-army"]), "denies"),
    )
    (violation,) = cm.ceasefire_violations(ds, CEASEFIRE)
    assert violation.denied_by == ("monitor", "north")
    assert "denied by monitor, north" in violation.explain()
    assert keys(ds, according_to="north") == set()
    assert keys(ds, according_to="monitor") == set()
    assert keys(ds, according_to="south") == {("north-army", "e")}


def test_a_claimants_attribution_replaces_the_record_in_its_view() -> None:
    ds = world(strike("e"), claim("c", "north", cm.Attribution("e", ["south"])))
    assert keys(ds) == {("north-army", "e")}
    assert keys(ds, according_to="north") == set()
    agrees = world(strike("e"), claim("c", "north", cm.Attribution("e", ["north"])))
    (violation,) = cm.ceasefire_violations(agrees, CEASEFIRE, according_to="north")
    assert violation.basis == (cm.Basis.OBSERVED, cm.Basis.ALLEGED)


def test_agreement_none_means_every_ceasefire_like_agreement() -> None:
    memorandum = cm.Agreement(
        id="memo",
        name="Memo",
        kind="memorandum",
        signed=None,
        effective="2021",
        signatories=["north", "south"],
        sides=[["north"], ["south"]],
    )
    ds = world(strike("e"), memorandum)
    assert {v.agreement for v in cm.ceasefire_violations(ds)} == {CEASEFIRE}
    assert {v.agreement for v in cm.ceasefire_violations(ds, "memo")} == {"memo"}


def test_bad_arguments_name_the_argument() -> None:
    ds = world()
    with pytest.raises(cm.UnknownNameError, match="agreement='nope'"):
        cm.ceasefire_violations(ds, "nope")
    with pytest.raises(cm.UnknownNameError, match="according_to='nobody'"):
        cm.ceasefire_violations(ds, according_to="nobody")
    with pytest.raises(cm.ValidationError, match="period='2021-13'"):
        cm.ceasefire_violations(ds, period="2021-13")
    with pytest.raises(cm.ValidationError, match=r"period=.*got int 2021"):
        cm.ceasefire_violations(ds, period=2021)  # type: ignore[arg-type]
    with pytest.raises(cm.ValidationError, match="expected a Dataset"):
        cm.ceasefire_violations([])  # type: ignore[arg-type]


def clash(event_id: str, day: str = "2021-04-01", *parties: str) -> cm.Engagement:
    return strike(
        event_id, day, by=[], on=parties or ("north-army", "south-army"), kind="armed_clash"
    )


def truce(agreement_id: str, effective: str, **fields: object) -> cm.Agreement:
    return cm.Agreement(
        id=agreement_id,
        name=agreement_id,
        kind="truce",
        signed=None,
        effective=effective,
        signatories=["north", "south"],
        sides=[["north"], ["south"]],
        **{"scope": ["province"], **fields},  # type: ignore[arg-type]
    )


def test_a_clash_of_bound_opposing_parties_with_no_initiator_is_one_undetermined_violation() -> (
    None
):
    (violation,) = cm.ceasefire_violations(world(clash("e")), CEASEFIRE)
    assert (violation.violator, violation.parties) == (None, ("north-army", "south-army"))
    assert (violation.basis, violation.who) == ((cm.Basis.OBSERVED,), cm.Who.UNDETERMINED)
    assert violation.certainty is cm.Certainty.DEFINITE
    assert "opposing sides" in violation.explain()


def test_a_known_initiator_is_the_only_party() -> None:
    (violation,) = cm.ceasefire_violations(world(strike("e")), CEASEFIRE)
    assert (violation.parties, violation.who) == (("north-army",), cm.Who.KNOWN)


def test_an_attribution_adds_an_alleged_violation_next_to_the_undetermined_one() -> None:
    ds = world(clash("e"), claim("c", "south", cm.Attribution("e", ["north"])))
    found = cm.ceasefire_violations(ds, CEASEFIRE)
    assert [(v.violator, v.who) for v in found] == [
        (None, cm.Who.UNDETERMINED),
        ("north", cm.Who.ALLEGED),
    ]
    assert found[1].alleged_by == ("south",)
    (south_view,) = cm.ceasefire_violations(ds, CEASEFIRE, according_to="south")
    assert (south_view.violator, south_view.basis) == ("north", (cm.Basis.ALLEGED,))


@pytest.mark.parametrize(
    ("engagement", "reason"),
    [
        (strike("e", by=[], on=[]), "no actors"),
        (clash("e", "2021-04-01", "south-army", "villagers"), "who started the clash is unknown"),
        (strike("e", by=[], on=["villagers"]), "it hit civilians (villagers)"),
        (strike("e", by=[], on=["south-army"]), "the targets bound are on side 2"),
    ],
)
def test_engagements_that_cannot_be_judged_are_listed_with_the_reason(
    engagement: cm.Engagement, reason: str
) -> None:
    found = cm.ceasefire_violations(world(engagement), CEASEFIRE)
    assert found == []
    (unassessed,) = found.unassessed
    assert (unassessed.agreement, unassessed.event) == (CEASEFIRE, "e")
    assert reason in unassessed.reason
    assert "1 engagement in scope could not be assessed" in found.summary()


@pytest.mark.parametrize(
    "engagement",
    [
        clash("e", "2021-04-01", "outsider", "villagers"),
        clash("e", "2021-04-01", "north-army", "north-brigade"),
        strike("e", by=[], kind="armed_clash", where="elsewhere"),
    ],
)
def test_clashes_that_break_nothing_whoever_started_them_are_neither_found_nor_unassessed(
    engagement: cm.Engagement,
) -> None:
    found = cm.ceasefire_violations(world(engagement), CEASEFIRE)
    assert (found, found.unassessed) == ([], ())


def test_a_dataset_without_agreements_says_so() -> None:
    found = cm.ceasefire_violations(cm.Dataset([cm.Actor(id="a", name="A", kind="state")]))
    assert (found, found.agreements) == ([], ())
    assert found.summary() == "no ceasefire, truce or de-escalation agreement to check"


def test_excluded_actors_are_never_bound() -> None:
    excluding = truce("t2", "2021-03-01/2021-06-30", excluded=["north-brigade"])
    ds = world(strike("e", by=["north-brigade"]), excluding)
    assert {v.violator for v in cm.ceasefire_violations(ds, "t2")} == set()
    assert {v.violator for v in cm.ceasefire_violations(ds, CEASEFIRE)} == {"north-brigade"}


def test_hitting_an_excluded_actor_breaks_nothing() -> None:
    """The Syrian ceasefire of December 2016 left out the Islamic State, whom both sides went on
    fighting: an actor the agreement excludes is not bound even where a side holds it, so
    neither a strike on it, nor a clash with it, nor one hitting only its fighters is a
    violation or left unjudged; a strike also hitting civilians still is."""
    excluding = truce("t2", "2021-03-01/2021-06-30", excluded=["south-army"])
    ds = world(
        excluding,
        strike("on-it"),
        clash("clash", "2021-04-02", "north-army", "south-army"),
        strike("unknown", by=[]),
        strike("both", on=["south-army", "villagers"]),
    )
    found = cm.ceasefire_violations(ds, "t2")
    assert [(v.violator, v.event) for v in found] == [("north-army", "both")]
    assert found[0].grounds is not None
    assert found[0].grounds.opponents == ("villagers",)
    assert found.unassessed == ()
    unexcluded = cm.ceasefire_violations(ds, CEASEFIRE)
    assert {v.event for v in unexcluded} == {"on-it", "clash", "both"}
    assert {u.event for u in unexcluded.unassessed} == {"unknown"}


def test_hostilities_with_an_actor_outside_the_agreement_break_nothing() -> None:
    """A ceasefire binds its sides towards each other and towards civilians (ETH/PRIO: a
    commitment among the conflict actors it names): fighting an actor on no side, whoever
    started it, is no breach and nothing to judge; a strike hitting the other side too is."""
    ds = world(
        strike("on-it", on=["outsider"]),
        clash("clash", "2021-04-02", "north-army", "outsider"),
        strike("unknown", by=[], on=["outsider"]),
        strike("by-it", by=["outsider"], on=["north-army"]),
        strike("both", on=["outsider", "south-army"]),
    )
    found = cm.ceasefire_violations(ds, CEASEFIRE)
    assert [(v.violator, v.event) for v in found] == [("north-army", "both")]
    assert found[0].grounds is not None
    assert found[0].grounds.opponents == ("south-army",)
    assert found.unassessed == ()


def test_fighting_ascribed_to_a_group_holding_a_part_left_out_is_only_possible() -> None:
    """UCDP records the Syrian government's fight with HTS under "Syrian insurgents": where
    the dataset says a bound group holds a part the agreement leaves out, fighting by or
    against the group may have been that part's, so it is only a possible violation, and the
    explanation says why; fighting that does not involve the group stays definite."""
    excluding = truce("t2", "2021-03-01/2021-06-30", excluded=["north-brigade"])
    ds = world(
        excluding,
        strike("by-it"),
        strike("on-it", by=["south-army"], on=["north-army"]),
        clash("clash", "2021-04-02", "north-army", "south-army"),
        strike("on-civilians", by=["south-army"], on=["villagers"]),
        strike("by-the-part", by=["north-brigade"]),
    )
    found = {v.event: v for v in cm.ceasefire_violations(ds, "t2")}
    assert {event: v.certainty.value for event, v in found.items()} == {
        "by-it": "possible",
        "on-it": "possible",
        "clash": "possible",
        "on-civilians": "definite",
    }
    for event in ("by-it", "on-it", "clash"):
        grounds = found[event].grounds
        assert grounds is not None
        assert grounds.excluded_parts == (("north-army", ("north-brigade",)),)
    assert found["on-it"].explain(ds) == (
        "South Army possibly violated t2 through on-it (attack at Town on 2021-04-01, inside "
        "the effective span 2021-03-01/2021-06-30, within the scope Province): observed, as "
        "South Army is bound on side 2 and hit North Army (side 1); possibly not a "
        "breach: Brigade 1, which the agreement leaves out, is part of North Army, and the "
        "fighting may have been theirs."
    )
    listed = cm.ceasefire_violations(ds, "t2")
    lines = dict(zip([v.event for v in listed], listed.lines(), strict=True))
    assert lines["on-it"].endswith(
        "possibly not a breach: Brigade 1, which the agreement leaves out, is part of North "
        "Army, and the fighting may have been theirs."
    )
    unexcluded = cm.ceasefire_violations(ds, CEASEFIRE)
    assert {v.certainty.value for v in unexcluded} == {"definite"}


def test_an_event_placed_too_coarsely_to_tell_is_a_possible_violation() -> None:
    """A district's truce: a strike known only to its province (UCDP ``where_prec`` 4)
    possibly lies in it, and one geocoded near a village of it (``where_prec`` 2) surely does,
    though only possibly in the village; one at the province with no precision stated is an
    event of the whole province, in no district of it; one placed only to the country (a
    national tally) is left unjudged."""
    district = cm.Location(id="district", name="District", kind="district", within="province")
    village = cm.Location(id="village", name="Village", kind="village", within="district")
    local = truce("local", "2021-03-01/2021-06-30", scope=["district"])
    at_village = truce("at-village", "2021-03-01/2021-06-30", scope=["village"])
    ds = world(
        district,
        village,
        local,
        at_village,
        attrs.evolve(strike("exact", where="village"), where_precision="exact"),
        attrs.evolve(strike("near", where="village"), where_precision="near"),
        attrs.evolve(strike("province", where="province"), where_precision="region"),
        strike("unstated", where="province"),
        attrs.evolve(strike("country", where="land"), where_precision="country"),
        attrs.evolve(strike("other", where="elsewhere"), where_precision="region"),
    )
    found = cm.ceasefire_violations(ds, "local")
    by_event = {v.event: v for v in found}
    assert {event: v.certainty.value for event, v in by_event.items()} == {
        "exact": "definite",
        "near": "definite",
        "province": "possible",
    }
    assert "placed too coarsely to tell whether within the scope district" in str(
        by_event["province"]
    )
    assert "inside the effective span" in str(by_event["province"])
    assert "within the scope district)" in str(by_event["exact"])
    (unjudged,) = found.unassessed
    assert (unjudged.event, unjudged.reason) == (
        "country",
        "placed only to the country, too coarsely to tell whether within the scope",
    )
    village_truce = {v.event: v.certainty.value for v in cm.ceasefire_violations(ds, "at-village")}
    assert village_truce == {"exact": "definite", "near": "possible", "province": "possible"}
    wide = cm.ceasefire_violations(ds, CEASEFIRE)
    assert {v.event: v.certainty.value for v in wide} == {
        "exact": "definite",
        "near": "definite",
        "province": "definite",
        "unstated": "definite",
    }
    assert [u.event for u in wide.unassessed] == ["country"]


def test_one_strike_during_three_successive_truces_is_one_violation_of_the_truce_in_force() -> None:
    first = truce("first", "2022-01-01/..")
    second = truce("second", "2022-01-10/..", supersedes=["first"])
    third = truce("third", "2022-01-20/..", supersedes=["second"])
    ds = world(first, second, third, strike("e", "2022-01-25"), strike("early", "2022-01-05"))
    found = cm.ceasefire_violations(ds)
    assert [(v.agreement, v.event) for v in found] == [("first", "early"), ("third", "e")]
    assert cm.in_force(ds, "first") == cm.when("2022-01-01/2022-01-09")
    assert cm.in_force(ds, "third") == third.effective


def test_an_ended_agreement_stops_at_its_end() -> None:
    ended = truce("gone", "2021-03-01/..", ended=cm.Ending("collapsed", when="2021-03-31"))
    ds = world(ended, strike("e", "2021-04-01"), strike("d", "2021-03-15"))
    assert [v.event for v in cm.ceasefire_violations(ds, "gone")] == ["d"]
    assert cm.in_force(ds, "gone") == cm.when("2021-03-01/2021-03-31")


def test_parts_after_the_truce_of_an_ongoing_offensive_are_definite_and_counted_once() -> None:
    ds = world(
        strike("offensive", "2021-01/.."),
        strike("capture", "2021-04-02", by=[], kind="capture", part_of="offensive"),
    )
    found = {v.event: v for v in cm.ceasefire_violations(ds, CEASEFIRE)}
    assert found["offensive"].certainty is cm.Certainty.POSSIBLE
    assert (found["capture"].violator, found["capture"].certainty) == (
        "north-army",
        cm.Certainty.DEFINITE,
    )
    assert (found["capture"].part_of, found["offensive"].parts) == ("offensive", ("capture",))
    assert [v.counted for v in found.values()] == [False, True]


def test_a_bare_allegation_with_no_event_is_never_definite() -> None:
    made = cm.Claim(
        id="c", claimant="south", statement=cm.Violated(CEASEFIRE, ["north"]), made="2021-04-01"
    )
    (violation,) = cm.ceasefire_violations(world(made), CEASEFIRE)
    assert (violation.event, violation.certainty) == (None, cm.Certainty.POSSIBLE)
    assert "nothing dates the breach itself" in violation.explain()


def test_several_agreements_give_the_violations_of_each() -> None:
    seed = cm.examples.idlib_2020()
    truce = cm.Agreement(
        id="later-truce",
        name="A later truce",
        kind="truce",
        signatories=("turkey", "syria"),
        sides=(("turkey",), ("syria",)),
        signed="2020-02-04",
        effective="2020-02-04/..",
    )
    ds = seed.with_records([truce])
    both = cm.ceasefire_violations(ds, ["idlib-ceasefire-2020", "later-truce", "later-truce"])
    each = [
        *cm.ceasefire_violations(ds, "idlib-ceasefire-2020"),
        *cm.ceasefire_violations(ds, "later-truce"),
    ]
    assert sorted(map(repr, both)) == sorted(map(repr, each))
    assert {v.agreement for v in both} == {"idlib-ceasefire-2020", "later-truce"}
    assert both.agreements == ("idlib-ceasefire-2020", "later-truce")
    assert not cm.ceasefire_violations(ds, [])
    with pytest.raises(cm.UnknownNameError, match=r"agreement='nowhere'.*no agreement has"):
        cm.ceasefire_violations(ds, ["later-truce", "nowhere"])


def test_a_violation_through_an_aggregate_of_several_incidents_says_so() -> None:
    """An aggregate (UCDP's lower clarity) breaks the agreement as a single incident would,
    and every output says that it stands for one breach or more."""
    ds = world(
        attrs.evolve(strike("weekly", "2021-04-05/2021-04-09"), aggregate=True),
        strike("single"),
    )
    found = cm.ceasefire_violations(ds, CEASEFIRE)
    assert [(v.event, v.aggregate, v.certainty) for v in found] == [
        ("single", False, cm.Certainty.DEFINITE),
        ("weekly", True, cm.Certainty.DEFINITE),
    ]
    assert found.summary() == (
        "2 violations of 1 agreement (1 through aggregates of several incidents each)"
    )
    weekly = found[1].explanation
    assert "(attack at town on 2021-04-05/2021-04-09, an aggregate of several incidents, " in (
        weekly
    )
    assert ", an aggregate" not in found[0].explanation
    assert found.to_frame()["aggregate"].tolist() == [False, True]
    per_week = cm.violations_over_time(ds, CEASEFIRE, "W")
    assert per_week["aggregates"].sum() == 1
    assert per_week.loc[per_week["aggregates"] == 1, "observed"].tolist() == [1]
