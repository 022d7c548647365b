"""The rules of casualties_by_actor and the perspective behind it."""

from __future__ import annotations

import pytest
from tests.queries.world import claim, strike, world

import conflictmodel as cm
from conflictmodel.queries import FigureSource, span_of

KILLED_5 = [cm.Casualties("south-army", killed=5)]


def figure(event: str, actor: str | None, killed: int | str | None = None) -> cm.CasualtyFigure:
    return cm.CasualtyFigure(event, actor, killed=killed, injured=None if killed else 2)


def test_span_of_takes_lowest_low_highest_high_and_no_best_unless_a_rule_is_named() -> None:
    assert span_of([cm.Estimate(1, 2, 3)]) == cm.Estimate(1, 2, 3)
    assert span_of([cm.Estimate(1, 2, 3)] * 2) == cm.Estimate(1, 2, 3)
    assert span_of([cm.Estimate(4, 5, 9), cm.Estimate(1, 8, 8)]) == cm.Estimate(1, None, 9)
    assert span_of([cm.Estimate(4, 5, 9), cm.Estimate(1, 8, 8)], "median") == cm.Estimate(1, 6, 9)
    assert span_of([cm.Estimate(4, 5, 9), cm.Estimate(1, 8, 8)], "lowest") == cm.Estimate(1, 5, 9)
    assert span_of([cm.Estimate(4, 5, 9), cm.Estimate(1, 8, 8)], "highest") == cm.Estimate(1, 8, 9)
    assert span_of([cm.Estimate(4, 5, None), cm.Estimate.exact(1)]) == cm.Estimate(1, None, None)
    assert span_of([cm.Estimate.between(4, 9), cm.Estimate.exact(1)], "highest") == cm.Estimate(
        1, 1, 9
    )


def test_the_record_wins_by_default_and_claims_fill_its_gaps() -> None:
    ds = world(
        strike("e", casualties=KILLED_5),
        claim("c", "north", figure("e", "south-army", 2)),
        claim("d", "south", figure("e", "villagers", 10)),
        claim("f", "monitor", figure("e", "villagers", "about 20")),
    )
    table = cm.casualties_by_actor(ds)
    assert table == {"south-army": cm.Estimate.exact(5), "villagers": cm.Estimate(10, None, 22)}
    assert str(table).splitlines()[1] == "villagers          10 to 22 (alleged by monitor, south)"
    median = cm.casualties_by_actor(ds, best="median")
    assert median["villagers"] == cm.Estimate(10, 15, 22)
    assert table.alleged_by("south-army") == ("north",)
    assert table.alleged_by("villagers") == ("monitor", "south")
    assert [f.source for f in table.figures("villagers")] == [FigureSource.CLAIMS]
    assert table.figures("villagers")[0].claims == ("d", "f")


def test_a_claimants_view_replaces_the_record_and_ignores_others() -> None:
    ds = world(
        strike("e", casualties=KILLED_5),
        claim("c", "north", figure("e", "south-army", 2)),
        claim("d", "south", figure("e", "villagers", 10)),
    )
    assert cm.casualties_by_actor(ds, according_to="north") == {"south-army": cm.Estimate.exact(2)}
    assert cm.casualties_by_actor(ds, according_to="south") == {
        "south-army": cm.Estimate.exact(5),
        "villagers": cm.Estimate.exact(10),
    }
    assert cm.casualties_by_actor(ds, according_to="outsider") == cm.casualties_by_actor(ds)


def test_denials_drop_out_of_the_deniers_view_and_are_listed() -> None:
    ds = world(
        strike("e", casualties=KILLED_5),
        strike("g", "2021-04-02", casualties=KILLED_5),
        claim("c", "north", cm.Occurred("e"), "denies"),
        claim("d", "monitor", figure("g", "south-army", 5), "denies"),
    )
    assert cm.casualties_by_actor(ds)["south-army"] == cm.Estimate.exact(10)
    assert cm.casualties_by_actor(ds).denied_by("south-army") == ("monitor", "north")
    assert cm.casualties_by_actor(ds, according_to="north")["south-army"] == cm.Estimate.exact(5)
    assert cm.casualties_by_actor(ds, according_to="monitor")["south-army"] == cm.Estimate.exact(5)
    assert "denied by monitor, north" in str(cm.casualties_by_actor(ds))


def test_injured_unattributed_and_reported_totals() -> None:
    total_only = cm.Engagement(
        id="t",
        when="2021-04-05",
        where="town",
        kind="shelling",
        initiators=["south-army"],
        targets=["north"],
        reported_total="about 40",
    )
    ds = world(
        strike("e", casualties=[cm.Casualties(None, killed=3, injured=7)]),
        total_only,
        claim("c", "south", figure("e", "north-army")),
    )
    table = cm.casualties_by_actor(ds)
    assert table == {None: cm.Estimate.exact(3) + cm.Estimate.parse("about 40")}
    assert table.injured == {None: cm.Estimate.exact(7), "north-army": cm.Estimate.exact(2)}
    assert "unattributed" in str(table)


def test_roll_up_folds_members_into_their_top_actor() -> None:
    ds = world(
        strike(
            "e",
            on=["north-brigade", "north-army"],
            by=["south-army"],
            casualties=[
                cm.Casualties("north-brigade", killed=1),
                cm.Casualties("north-army", killed=2),
                cm.Casualties("villagers", killed=4),
            ],
        ),
    )
    assert cm.casualties_by_actor(ds, roll_up=True) == {"north": cm.Estimate.exact(7)}


def test_bad_arguments_name_the_argument() -> None:
    ds = world()
    with pytest.raises(cm.UnknownNameError, match="within='atlantis'"):
        cm.casualties_by_actor(ds, within="atlantis")
    with pytest.raises(cm.UnknownNameError, match="according_to='nobody'"):
        cm.casualties_by_actor(ds, according_to="nobody")
    with pytest.raises(cm.ValidationError, match="period='soon'"):
        cm.casualties_by_actor(ds, period="soon")
    with pytest.raises(cm.ValidationError, match="roll_up"):
        cm.casualties_by_actor(ds, roll_up="yes")  # type: ignore[call-overload]
