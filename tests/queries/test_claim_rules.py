"""Claims as analysts read them: revisions, camps, no invented best, disputes with the record,
control on a date, who killed whom (issue 11)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from tests.queries.strategies import conflicts
from tests.queries.world import claim, strike, world

import conflictmodel as cm
from conflictmodel.queries import Perspective
from conflictmodel.queries.casualties import FigureClaimants

KILLED_5 = [cm.Casualties("south-army", killed=5)]


def said(
    claim_id: str,
    claimant: str,
    statement: cm.Statement,
    made: str | None,
    stance: str = "asserts",
) -> cm.Claim:
    return cm.Claim(id=claim_id, claimant=claimant, statement=statement, made=made, stance=stance)


def killed(event: str, actor: str | None, count: int | str) -> cm.CasualtyFigure:
    return cm.CasualtyFigure(event, actor, killed=count)


def revised_world(*extra: cm.Record) -> cm.Dataset:
    return world(
        strike("e", by=[]),
        said("s4", "south", killed("e", "south-army", 4), "2021-04-01"),
        said("s6", "south", killed("e", "south-army", 6), "2021-04-02"),
        said("s8", "south", killed("e", "south-army", 8), "2021-04-03"),
        *extra,
    )


# Revisions ---------------------------------------------------------------------------------


def test_a_claimant_revising_itself_is_not_a_dispute_and_its_last_word_counts() -> None:
    ds = revised_world()
    assert cm.disputes(ds) == []
    assert cm.casualties_by_actor(ds) == {"south-army": cm.Estimate.exact(8)}
    assert cm.casualties_by_actor(ds, according_to="south") == {"south-army": cm.Estimate.exact(8)}
    (figure,) = cm.casualties_by_actor(ds).figures("south-army")
    assert figure.claims == ("s8",)
    assert figure.revises == ("s4", "s6")
    assert "revising s4, s6" in str(figure)


def test_a_revision_does_not_silence_another_claimant() -> None:
    ds = revised_world(said("n2", "north", killed("e", "south-army", 2), "2021-04-01"))
    (dispute,) = cm.disputes(ds)
    assert [p.claims for p in dispute.positions] == [("n2",), ("s8",)]
    assert cm.casualties_by_actor(ds) == {"south-army": cm.Estimate(2, None, 8)}


def test_claims_made_at_the_same_or_an_unknown_time_merge_as_before() -> None:
    ds = world(
        strike("e", by=[]),
        said("a", "south", killed("e", "south-army", 4), "2021-04"),
        said("b", "south", killed("e", "south-army", 6), "2021-04-02"),
        said("c", "south", killed("e", "south-army", 9), None),
    )
    assert cm.casualties_by_actor(ds, according_to="south") == {
        "south-army": cm.Estimate(4, None, 9)
    }


def test_a_later_attribution_and_a_later_denial_supersede() -> None:
    ds = world(
        strike("e", by=[]),
        said("a", "north", cm.Attribution("e", ["south"]), "2021-04-01"),
        said("b", "north", cm.Attribution("e", ["outsider"]), "2021-04-05"),
        said("c", "south", cm.Occurred("e"), "2021-04-01", "denies"),
        said("d", "south", cm.Occurred("e"), "2021-04-09"),
    )
    assert cm.disputes(ds) == []
    view = Perspective(ds, "north")
    assert view.perpetrators(ds.events["e"]) == ("outsider",)
    assert Perspective(ds, "south").includes("e")


def test_a_later_control_claim_on_the_same_date_supersedes_but_a_new_date_is_a_change() -> None:
    ds = world(
        said("a", "north", cm.Controls("town", "south-army", since="2021-04"), "2021-04-02"),
        said("b", "north", cm.Controls("town", "north-army", since="2021-04"), "2021-05-01"),
        said("c", "north", cm.Controls("town", "south-army", since="2021-06"), "2021-06-02"),
    )
    timeline = cm.control_timeline(ds, "town")
    assert [(h.holder, h.claims) for h in timeline] == [
        ("north-army", ("b",)),
        ("south-army", ("c",)),
    ]


# Camps --------------------------------------------------------------------------------------


def camp_world() -> cm.Dataset:
    return world(
        strike("e", casualties=KILLED_5),
        strike("g", "2021-04-02", casualties=KILLED_5),
        said("army", "north-army", killed("e", "south-army", 9), "2021-04-02"),
        said("south", "south", killed("g", "south-army", 1), "2021-04-03"),
    )


def test_a_camp_counts_its_parts_unless_told_not_to() -> None:
    ds = camp_world()
    north = cm.casualties_by_actor(ds, according_to="north")
    assert north == {"south-army": cm.Estimate(14, 14, 14)}
    assert cm.casualties_by_actor(ds, according_to="north", include_parts=False) == (
        cm.casualties_by_actor(ds)
    )
    both = cm.casualties_by_actor(ds, according_to=("north", "south"))
    assert both == {"south-army": cm.Estimate.exact(10)}
    violations = cm.ceasefire_violations(ds, according_to=["North", "south"])
    assert violations == cm.ceasefire_violations(ds, according_to=("north", "south"))


def test_a_camp_refuses_unknown_and_empty_names() -> None:
    ds = camp_world()
    with pytest.raises(cm.UnknownNameError, match="according_to='nobody'"):
        cm.casualties_by_actor(ds, according_to=("north", "nobody"))
    with pytest.raises(cm.ValidationError, match=r"according_to=\(\)"):
        cm.casualties_by_actor(ds, according_to=())
    with pytest.raises(cm.ValidationError, match="include_parts"):
        cm.control_timeline(ds, "town", include_parts="yes")  # type: ignore[arg-type]


@given(conflicts())
def test_include_parts_without_parts_is_the_single_claimants_view(ds: cm.Dataset) -> None:
    loners = [a for a in sorted(ds.actors) if not ds.actor_descendants(a)]
    assume(loners)
    for actor in loners[:3]:
        with_parts = cm.casualties_by_actor(ds, according_to=actor)
        without = cm.casualties_by_actor(ds, according_to=actor, include_parts=False)
        assert with_parts == without
        assert with_parts.by_event == without.by_event
        assert cm.ceasefire_violations(ds, according_to=actor) == cm.ceasefire_violations(
            ds, according_to=actor, include_parts=False
        )


# No figure nobody stated --------------------------------------------------------------------


def test_disagreeing_claims_give_a_range_and_a_named_rule_picks_a_best() -> None:
    ds = world(
        strike("e", by=[]),
        claim("a", "north", killed("e", "villagers", 12)),
        claim("b", "south", killed("e", "villagers", "at least 100")),
        claim("c", "monitor", killed("e", "villagers", 40)),
    )
    table = cm.casualties_by_actor(ds)
    assert table["villagers"] == cm.Estimate(12, None, None)
    assert "villagers          12 or more" in str(table)
    for rule, best in (("lowest", 12), ("highest", 100), ("median", 40)):
        assert cm.casualties_by_actor(ds, best=rule)["villagers"].best == best  # type: ignore[call-overload]
    with pytest.raises(cm.ValidationError, match="best='mean'"):
        cm.casualties_by_actor(ds, best="mean")  # type: ignore[call-overload]


def test_totals_are_exact_interval_sums_with_an_unknown_best() -> None:
    ds = world(
        strike("e", by=[], casualties=[cm.Casualties("villagers", killed=3)]),
        strike("g", "2021-04-02", by=[]),
        claim("a", "north", killed("g", "villagers", 12)),
        claim("b", "south", killed("g", "villagers", 20)),
    )
    assert cm.casualties_by_actor(ds)["villagers"] == cm.Estimate(15, None, 23)


# Disputes ----------------------------------------------------------------------------------


def test_claims_against_the_record_are_disputes() -> None:
    ds = world(
        strike("e", casualties=KILLED_5),
        claim("a", "south", killed("e", "south-army", 20)),
        claim("b", "south", cm.Attribution("e", ["outsider"])),
        claim("c", "north", cm.Attribution("e", ["north"])),
    )
    found = {str(d.subject): d for d in cm.disputes(ds)}
    assert set(found) == {"casualties(e, south-army, killed)", "attribution(e)"}
    assert str(found["casualties(e, south-army, killed)"]) == (
        "casualties(e, south-army, killed): record 5 vs south asserts 20 (a)"
    )
    attribution = found["attribution(e)"]
    assert attribution.positions[0].record
    assert attribution.claimants == ("north", "south")


def test_overlapping_figures_are_consistent_unless_strict() -> None:
    ds = world(
        strike("e", by=[]),
        claim("a", "north", killed("e", "villagers", "about 30")),
        claim("b", "south", killed("e", "villagers", 30)),
        claim("c", "north", cm.Attribution("e", ["north-army"])),
        claim("d", "south", cm.Attribution("e", ["north"])),
    )
    assert cm.disputes(ds) == []
    strict = {str(d.subject) for d in cm.disputes(ds, strict=True)}
    assert strict == {"casualties(e, villagers, killed)", "attribution(e)"}


@given(conflicts())
def test_a_supersede_never_increases_the_number_of_disputes(ds: cm.Dataset) -> None:
    undated = cm.Dataset(
        [
            cm.Claim(
                id=r.id,
                claimant=r.claimant,
                statement=r.statement,
                stance=r.stance,
                sources=r.sources,
            )
            if isinstance(r, cm.Claim)
            else r
            for r in ds.records()
        ]
    )
    assert len(cm.disputes(ds)) <= len(cm.disputes(undated))


# Control -----------------------------------------------------------------------------------


def capture(event_id: str, day: str, gained: str, lost: str | None) -> cm.Engagement:
    return cm.Engagement(
        id=event_id,
        when=day,
        where="town",
        kind="capture",
        initiators=[gained],
        targets=[lost] if lost else [],
        captured=cm.ControlChange(location="town", gained_by=gained, lost_by=lost),
    )


def test_before_the_first_change_the_holder_is_unknown_unless_a_claim_states_it() -> None:
    ds = world(capture("took", "2021-04-10", "north-army", "south-army"))
    assert cm.control_at(ds, "town", "2021-03").holder is None
    assert str(cm.control_at(ds, "town", "2021-03")) == "Town on 2021-03: unknown"
    stated = ds.with_records(
        [said("s", "monitor", cm.Controls("town", "south-army"), "2021-02-01")]
    )
    at = cm.control_at(stated, "town", "2021-03")
    assert (at.holder, at.certainty, at.claims) == ("south-army", cm.Certainty.DEFINITE, ("s",))
    assert [str(h.span) for h in cm.control_timeline(stated, "town")] == [
        "2021-02-01/2021-04-10",
        "2021-04-10/..",
    ]


def test_control_on_a_date_that_a_change_falls_in_is_contested_or_possible() -> None:
    ds = world(capture("took", "2021-04-10", "north-army", "south-army"))
    assert str(cm.control_at(ds, "town", "2021-04")) == (
        "Town on 2021-04: contested (South Army, North Army)"
    )
    later = cm.control_at(ds, "town", "2021-04-11/2021-05")
    assert (later.holder, later.certainty) == ("north-army", cm.Certainty.DEFINITE)


def test_control_per_perspective_follows_the_camps_claims_and_denials() -> None:
    ds = world(
        capture("took", "2021-04-10", "north-army", "south-army"),
        said("n", "north", cm.Controls("town", "north-army", since="2021-03"), "2021-04-11"),
        said("s", "south", cm.Occurred("took"), "2021-04-11", "denies"),
    )
    assert [h.holder for h in cm.control_timeline(ds, "town", according_to="north")] == [
        "north-army"
    ]
    assert cm.control_timeline(ds, "town", according_to="south") == []
    assert cm.control_at(ds, "town", "2021-03-15", according_to="north").holder == "north-army"


# Who killed whom ---------------------------------------------------------------------------


def test_the_matrix_puts_unattributed_dead_under_none_and_attributions_fill_gaps() -> None:
    ds = world(
        strike("e", casualties=KILLED_5),
        strike("g", "2021-04-02", by=[], casualties=[cm.Casualties("villagers", killed=3)]),
        strike("h", "2021-04-03", by=[], casualties=[cm.Casualties("villagers", killed=2)]),
        claim("a", "south", cm.Attribution("g", ["north-army"])),
        claim("b", "north", cm.Attribution("h", ["south-army"])),
    )
    assert dict(cm.casualty_matrix(ds)) == {
        ("north-army", "south-army"): cm.Estimate.exact(5),
        ("north-army", "villagers"): cm.Estimate.exact(3),
        ("south-army", "villagers"): cm.Estimate.exact(2),
    }
    assert dict(cm.casualty_matrix(ds, according_to="north")) == {
        ("north-army", "south-army"): cm.Estimate.exact(5),
        ("south-army", "villagers"): cm.Estimate.exact(2),
        (None, "villagers"): cm.Estimate.exact(3),
    }
    frame = cm.casualty_matrix(ds, according_to="north").to_frame()
    assert frame.shape == (3, 13)
    assert list(frame["perpetrator_names"]) == ["North Army", "South Army", "unknown"]
    assert list(frame["alleged_by"].fillna("")) == ["", "north", ""]
    assert list(frame["rests_on_claims"]) == [False, True, False]


def test_no_actor_is_said_to_kill_its_own_in_the_matrix() -> None:
    ds = world(
        strike("raid", by=["north-army", "outsider"], casualties=[cm.Casualties("north-army", 2)]),
        strike("sortie", "2021-04-02", casualties=[cm.Casualties("north-army", 1)]),
        strike("blame", "2021-04-03", by=[], casualties=[cm.Casualties("north", 4)]),
        strike("group", "2021-04-04", casualties=[cm.Casualties("north", 6)]),
        claim("said", "south", cm.Attribution("blame", ["north"])),
    )
    assert dict(cm.casualty_matrix(ds)) == {
        (None, "north-army"): cm.Estimate.exact(3),
        (None, "north"): cm.Estimate.exact(10),
    }
    assert dict(cm.casualty_matrix(ds, roll_up=True)) == {(None, "north"): cm.Estimate.exact(13)}
    unknown = cm.casualty_matrix(ds).claimants((None, "north"))
    assert unknown == FigureClaimants((), (), False)
    inferring = cm.casualty_matrix(ds, infer_from_sides=True)
    assert dict(inferring) == {
        ("south-army", "north-army"): cm.Estimate.exact(3),
        ("south-army", "north"): cm.Estimate.exact(6),
        (None, "north"): cm.Estimate.exact(4),
    }


def test_the_matrix_never_infers_civilians_killed_anyone() -> None:
    massacre = strike(
        "massacre",
        on=["villagers"],
        casualties=[cm.Casualties("villagers", 9), cm.Casualties("north-army", 1)],
    )
    inferring = cm.casualty_matrix(world(massacre), infer_from_sides=True)
    assert dict(inferring) == {
        (None, "north-army"): cm.Estimate.exact(1),
        ("north-army", "villagers"): cm.Estimate.exact(9),
    }
    assert inferring.inferred((None, "north-army")) is None


def test_the_matrix_infers_from_the_sides_only_when_asked_and_says_so() -> None:
    clash = strike(
        "clash",
        by=[],
        on=["north-army", "south-army"],
        casualties=[
            cm.Casualties("north-army", killed=2),
            cm.Casualties("south-army", killed=cm.Estimate(3, 4, 6)),
            cm.Casualties("villagers", killed=1),
        ],
    )
    raid = strike("raid", "2021-04-02", casualties=[cm.Casualties("north-army", killed=1)])
    shot = strike("shot", "2021-04-03", casualties=[cm.Casualties("south-army", killed=5)])
    ds = world(clash, raid, shot)
    assert dict(cm.casualty_matrix(ds)) == {
        (None, "north-army"): cm.Estimate.exact(3),
        ("north-army", "south-army"): cm.Estimate.exact(5),
        (None, "south-army"): cm.Estimate(3, 4, 6),
        (None, "villagers"): cm.Estimate.exact(1),
    }
    inferring = cm.casualty_matrix(ds, infer_from_sides=True)
    assert dict(inferring) == {
        ("south-army", "north-army"): cm.Estimate.exact(3),
        ("north-army", "south-army"): cm.Estimate(8, 9, 11),
        (None, "villagers"): cm.Estimate.exact(1),
    }
    assert inferring.inferred(("north-army", "south-army")) == cm.Estimate(3, 4, 6)
    assert inferring.inferred((None, "villagers")) is None
    assert list(inferring.lines()) == [
        "South Army killed 3 of North Army (inferred from the sides)",
        "North Army killed 9 (8–11) of South Army (4 (3–6) of them inferred from the sides)",
        "An unknown perpetrator killed 1 of Villagers",
    ]
    frame = inferring.to_frame()
    assert list(frame["inferred_best"].fillna(-1)) == [3, 4, -1]
    assert "inferred from the sides" in inferring._repr_html_()
    assert "inferred" not in cm.casualty_matrix(ds)._repr_html_()


@given(conflicts())
def test_matrix_rows_sum_to_casualties_by_actor(ds: cm.Dataset) -> None:
    for according_to in (None, "north", "south"):
        for roll_up in (False, True):
            table = cm.casualties_by_actor(ds, according_to=according_to, roll_up=roll_up)
            matrix = cm.casualty_matrix(ds, according_to=according_to, roll_up=roll_up)
            assert {victim: matrix.row(victim) for _, victim in matrix} == dict(table)
            inferring = cm.casualty_matrix(
                ds, according_to=according_to, roll_up=roll_up, infer_from_sides=True
            )
            assert {victim: inferring.row(victim) for _, victim in inferring} == dict(table)
            for pair, killed in inferring.items():
                part = inferring.inferred(pair)
                assert part is None or pair[0] is not None
                if part is not None and part.has_floor and killed.has_floor:
                    assert part.low is not None
                    assert killed.low is not None
                    assert part.low <= killed.low
                assert pair[0] is None or pair[1] not in pair[0].split(", ")


def test_the_matrix_counts_the_graded_events_the_totals_count() -> None:
    graded = cm.examples.idlib_2020().with_records(
        [
            cm.Assessment(id="g-attack", grade="confirmed", event="attack-2020-02-03"),
            cm.Assessment(id="g-retaliation", grade="weak", event="retaliation-2020-02-03"),
        ]
    )
    for grade in cm.Grade:
        matrix = cm.casualty_matrix(graded, min_grade=grade)
        by_victim: dict[str | None, list[cm.Estimate]] = {}
        for (_, victim), killed in matrix.items():
            by_victim.setdefault(victim, []).append(killed)
        totals = cm.casualties_by_actor(graded, min_grade=grade)
        assert {v: cm.total(k) for v, k in by_victim.items()} == dict(totals)
    assert dict(cm.casualty_matrix(graded, min_grade="confirmed")) == {
        ("syrian-army", "turkish-army"): cm.Estimate.exact(8)
    }


def test_control_at_shows_as_a_table_of_its_spans_by_name() -> None:
    ds = world(capture("took", "2021-04-10", "north-army", "south-army"))
    denial = said("d", "south", cm.Controls("town", "north-army"), "2021-04-12", "denies")
    at = cm.control_at(ds.with_records([denial]), "town", "2021-05")
    shown = at._repr_html_()
    assert "<caption>Town on 2021-05: North Army, definite</caption>" in shown
    assert "<td>North Army</td><td>2021-04-10/..</td><td>took</td>" in shown
    assert "<td>South</td></tr>" in shown


def test_a_matrix_says_its_pairs_by_name() -> None:
    unclaimed = cm.Engagement(
        id="unclaimed",
        when="2021-05-01",
        where="town",
        kind="shelling",
        initiators=[],
        targets=[],
        reported_total=cm.Estimate.exact(3),
    )
    dead = [cm.Casualties("south-army", killed=4)]
    ds = world(strike("hit", casualties=dead), unclaimed)
    assert list(cm.casualty_matrix(ds).lines()) == [
        "North Army killed 4 of South Army",
        "An unknown perpetrator killed 3 whose side is unattributed",
    ]
