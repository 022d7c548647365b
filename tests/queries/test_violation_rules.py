"""The rules of ceasefire_violations, one hand-built case each."""

from __future__ import annotations

from typing import Any

import pytest
from tests.queries.world import CEASEFIRE, claim, strike, world

import conflictmodel as cm


def keys(ds: cm.Dataset, **options: Any) -> set[tuple[str, str | None]]:
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
    assert found[("north", "unclaimed")].basis == (cm.Basis.ALLEGED,)
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
