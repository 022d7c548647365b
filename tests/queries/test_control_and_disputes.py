"""control_timeline and disputes on hand-built cases."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from tests.queries.world import claim, strike, world

import conflictmodel as cm


def capture(event_id: str, day: str, gained: str, lost: str | None) -> cm.Engagement:
    taken = cm.ControlChange(location="town", gained_by=gained, lost_by=lost)
    by, on = [gained], [lost] if lost else []
    return cm.Engagement(
        id=event_id,
        when=day,
        where="town",
        kind="capture",
        initiators=by,
        targets=on,
        captured=taken,
    )


def test_a_timeline_follows_captures_and_claims_in_order() -> None:
    ds = world(
        capture("first", "2021-04", "north-army", "south-army"),
        capture("second", "2021-05-10", "south-army", "north-army"),
        cm.Claim(
            id="c", claimant="south", statement=cm.Controls("town", "south-army"), made="2021-06-01"
        ),
        claim("d", "north", cm.Controls("town", "south-army"), "denies"),
        claim("u", "monitor", cm.Controls("town", "north-army")),
    )
    timeline = cm.control_timeline(ds, "Town")
    assert [(h.holder, str(h.span)) for h in timeline] == [
        ("south-army", "2021-04"),
        ("north-army", "2021-04/2021-05-10"),
        ("south-army", "2021-05-10/.."),
    ]
    assert timeline[1].claims == ("u",)
    assert timeline[2].claims == ("c",)
    assert timeline[2].denied_by == ("north",)
    assert timeline[0].denied_by == ("north",)


def test_a_place_nobody_took_has_an_empty_timeline_and_unknown_places_are_refused() -> None:
    assert cm.control_timeline(world(), "province") == []
    with pytest.raises(cm.UnknownNameError, match="location='atlantis'"):
        cm.control_timeline(world(), "atlantis")


def test_disputes_find_figures_attributions_holders_and_denials() -> None:
    ds = world(
        strike("e", by=[]),
        claim("a", "north", cm.CasualtyFigure("e", "north-army", killed=3)),
        claim("b", "monitor", cm.CasualtyFigure("e", "north-army", killed=3, injured=1)),
        claim("c", "south", cm.CasualtyFigure("e", "north-army", killed="dozens")),
        claim("d", "north", cm.Attribution("e", ["south"])),
        claim("f", "south", cm.Occurred("e"), "denies"),
        claim("g", "north", cm.Controls("town", "north-army", since="2021-04")),
        claim("h", "south", cm.Controls("town", "south-army", since="2021-04")),
        claim("i", "monitor", cm.Controls("town", "south-army", since="2021-05")),
    )
    found = {str(d.subject): d for d in cm.disputes(ds)}
    assert set(found) == {
        "casualties(e, north-army, killed)",
        "occurred(e)",
        "controls(town, 2021-04)",
    }
    killed = found["casualties(e, north-army, killed)"]
    assert [(p.claimants, p.claims) for p in killed.positions] == [
        (("south",), ("c",)),
        (("monitor", "north"), ("a", "b")),
    ]
    occurred = found["occurred(e)"]
    assert [p.stance for p in occurred.positions] == [cm.Stance.ASSERTS, cm.Stance.DENIES]
    assert occurred.claimants == ("monitor", "north", "south")
    assert str(found["controls(town, 2021-04)"]) == (
        "controls(town, 2021-04): north asserts north-army (g) vs south asserts south-army (h)"
    )


def test_agreement_on_a_subject_is_no_dispute() -> None:
    ds = world(
        strike("e", by=[]),
        claim("a", "north", cm.Attribution("e", ["south"])),
        claim("b", "monitor", cm.Attribution("e", ["south"])),
        claim("c", "monitor", cm.Violated("truce", ["south"])),
        claim("d", "north", cm.Violated("truce", ["south"])),
    )
    assert cm.disputes(ds) == []


def test_one_group_under_two_datasets_records_is_the_same_hands() -> None:
    """Two records linked ``same_as`` (a crosswalk's link, as merge records it) name one
    group: attributing an event to either is no dispute; a part of either is the same hands
    too, and a group not linked still disputes."""
    records = (
        cm.Actor(id="south-as-monitor-names-it", name="The South", kind="state"),
        cm.Relation(id="same", source="south-as-monitor-names-it", kind="same_as", target="south"),
        strike("e", by=[]),
        claim("a", "north", cm.Attribution("e", ["south-army"])),
        claim("b", "monitor", cm.Attribution("e", ["south-as-monitor-names-it"])),
    )
    assert cm.disputes(world(*records)) == []
    unlinked = world(*records[:1], *records[2:])
    assert [str(d.subject) for d in cm.disputes(unlinked)] == ["attribution(e)"]
    assert world(*records).same_as("south") == ("south", "south-as-monitor-names-it")
    assert world(*records).same_as("north") == ("north",)


def test_a_claimants_own_claims_made_together_are_one_account_not_a_dispute() -> None:
    """Claims made at the same time (or at unknown times) revise nothing: north's 3 and 10
    on one day are its account, given as a range, not north against north; asserting and
    denying the same thing is no dispute either. A second voice disputes as before, and
    then north's two figures are shown apart."""
    north = (
        claim("a", "north", cm.CasualtyFigure("e", "north-army", killed=3)),
        claim("b", "north", cm.CasualtyFigure("e", "north-army", killed=10)),
        claim("c", "north", cm.Attribution("e", ["south"])),
        claim("d", "north", cm.Attribution("e", ["south"]), "denies"),
    )
    alone = world(strike("e", by=[]), *north)
    assert cm.disputes(alone) == []
    assert str(cm.casualties_by_actor(alone, according_to="north")["north-army"]) == "3 to 10"
    answered = world(
        strike("e", by=[]),
        *north,
        claim("f", "south", cm.CasualtyFigure("e", "north-army", killed=3)),
        claim("g", "south", cm.Attribution("e", ["south"]), "denies"),
    )
    found = {str(d.subject): d for d in cm.disputes(answered)}
    assert set(found) == {"casualties(e, north-army, killed)", "attribution(e)"}
    assert [
        (p.claimants, p.claims) for p in found["casualties(e, north-army, killed)"].positions
    ] == [
        (("north",), ("b",)),
        (("north", "south"), ("a", "f")),
    ]
    unattributed = world(
        strike("e", by=[]),
        cm.Claim(id="x", claimant=None, statement=cm.CasualtyFigure("e", "north-army", killed=3)),
        cm.Claim(id="y", claimant=None, statement=cm.CasualtyFigure("e", "north-army", killed=10)),
    )
    assert [str(d.subject) for d in cm.disputes(unattributed)] == [
        "casualties(e, north-army, killed)"
    ]


def test_disputes_pause_the_cyclic_collector_and_restore_it() -> None:
    ds = world(
        strike("e", by=[]),
        claim("a", "north", cm.Attribution("e", ["south"])),
        claim("b", "south", cm.Attribution("e", ["north"])),
    )
    seen: list[bool] = []
    original = cm.Dataset.get_many

    def watching(self: cm.Dataset, *arguments: Any) -> Any:
        seen.append(gc.isenabled())
        return original(self, *arguments)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cm.Dataset, "get_many", watching)
        assert len(cm.disputes(ds)) == 1
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        cm.disputes(ds)
        assert not gc.isenabled()
    finally:
        gc.enable()
