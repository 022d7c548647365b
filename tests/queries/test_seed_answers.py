"""The answers issue 3 lists for the Idlib seed report, exactly."""

from __future__ import annotations

import conflictmodel as cm
from conflictmodel.queries import FigureSource

OBSERVED, ALLEGED = cm.Basis.OBSERVED, cm.Basis.ALLEGED
DEFINITE, POSSIBLE = cm.Certainty.DEFINITE, cm.Certainty.POSSIBLE
CEASEFIRE = "idlib-ceasefire-2020"


def _by_key(violations: list[cm.Violation]) -> dict[tuple[str | None, str | None], cm.Violation]:
    return {(v.violator, v.event): v for v in violations}


def test_seed_violations_of_the_idlib_ceasefire() -> None:
    found = _by_key(cm.ceasefire_violations(cm.examples.idlib_2020(), CEASEFIRE))
    expected = {
        ("syria", "idlib-offensive"): ((ALLEGED,), POSSIBLE, ("turkey",)),
        ("turkey", None): ((ALLEGED,), POSSIBLE, ("russia", "syria")),
        ("syrian-army", "attack-2020-02-03"): ((OBSERVED,), DEFINITE, ()),
        ("turkish-army", "retaliation-2020-02-03"): ((OBSERVED,), DEFINITE, ()),
        ("syria", "saraqeb-capture-2020-02-06"): ((ALLEGED,), DEFINITE, ("turkey",)),
        ("syria", "highway-capture-2020-02-06"): ((ALLEGED,), DEFINITE, ("turkey",)),
        ("turkey", "turkish-airstrike-2020-02-06"): ((ALLEGED,), DEFINITE, ("syria",)),
    }
    assert {key: (v.basis, v.certainty, v.alleged_by) for key, v in found.items()} == expected
    assert all(v.agreement == CEASEFIRE and v.denied_by == () for v in found.values())


def test_seed_violations_leave_out_israel_the_interception_and_earlier_events() -> None:
    found = cm.ceasefire_violations(cm.examples.idlib_2020())
    events = {v.event for v in found}
    assert "interception-2020-02-06" not in events
    assert not any(e and e.startswith(("israeli", "missiles")) for e in events)
    assert "turkish-invasion-2019" not in events
    assert "israel" not in {v.violator for v in found}
    assert {v.agreement for v in found} == {CEASEFIRE}


def test_seed_violations_are_sorted_by_time_and_explained() -> None:
    found = cm.ceasefire_violations(cm.examples.idlib_2020(), CEASEFIRE)
    starts = [v.when.sort_key for v in found if v.when is not None]
    assert starts == sorted(starts)
    capture = _by_key(found)[("syria", "saraqeb-capture-2020-02-06")]
    assert capture.explain() == (
        "syria violated idlib-ceasefire-2020 through saraqeb-capture-2020-02-06 "
        "(capture at saraqeb on 2020-02-06, inside the effective span 2020-01-12/.., within "
        "the scope idlib-governorate): alleged by turkey (claim turkey-offensive-violates, "
        "naming idlib-offensive, of which it is part)."
    )
    assert all(v.explanation.count(". ") == 0 and v.explanation.endswith(".") for v in found)


def test_seed_violations_print_by_name() -> None:
    seed = cm.examples.idlib_2020()
    found = cm.ceasefire_violations(seed, CEASEFIRE)
    lines = list(found.lines())
    assert lines == [v.explain(seed) for v in found]
    airstrike = lines[-1]
    assert airstrike == (
        "Turkey violated Idlib ceasefire through turkish-airstrike-2020-02-06 (airstrike at "
        "Idlib Governorate on 2020-02-06, inside the effective span 2020-01-12/.., within the "
        "scope Idlib Governorate): alleged by Syria (claim syria-airstrike-by-turkey, "
        "attributing the event to Turkey)."
    )
    words = str(found)
    assert words.splitlines() == [found.summary(), *lines]
    named = [*seed.actors, "idlib-governorate", "saraqeb", CEASEFIRE]
    assert [name for name in named if f" {name} " in words or f" {name})" in words] == []


def test_seed_violations_from_turkey_and_from_syria() -> None:
    ds = cm.examples.idlib_2020()
    turkey = _by_key(cm.ceasefire_violations(ds, CEASEFIRE, according_to="Turkey"))
    syria = _by_key(cm.ceasefire_violations(ds, CEASEFIRE, according_to="syria"))
    assert ("turkey", None) not in turkey
    assert ("turkey", "turkish-airstrike-2020-02-06") not in turkey
    assert ("syria", "saraqeb-capture-2020-02-06") in turkey
    assert ("syria", "saraqeb-capture-2020-02-06") not in syria
    assert syria[("turkey", None)].alleged_by == ("russia", "syria")
    assert ("turkey", "turkish-airstrike-2020-02-06") in syria


def test_seed_violations_in_a_period() -> None:
    ds = cm.examples.idlib_2020()
    found = cm.ceasefire_violations(ds, CEASEFIRE, period=cm.when("2020-02-06"))
    assert {v.event for v in found} == {
        "idlib-offensive",
        None,
        "saraqeb-capture-2020-02-06",
        "highway-capture-2020-02-06",
        "turkish-airstrike-2020-02-06",
    }
    assert cm.ceasefire_violations(ds, CEASEFIRE, period="2019-06/2019-11") == []


def test_seed_casualties_by_actor() -> None:
    ds = cm.examples.idlib_2020()
    table = cm.casualties_by_actor(ds)
    assert table == {
        "turkish-army": cm.Estimate.exact(8),
        "syrian-army": cm.Estimate.parse("almost 30"),
        "syrian-civilians": cm.Estimate.exact(15),
    }
    assert table.alleged_by("syrian-civilians") == ("syria",)
    (figure,) = table.by_event["turkish-airstrike-2020-02-06"]
    assert figure.source is FigureSource.CLAIMS
    assert figure.claims == ("syria-airstrike-killed-15",)
    assert table.figures("turkish-army")[0].source is FigureSource.RECORD
    assert table.injured == {}


def test_seed_casualties_according_to_turkey_and_rolled_up() -> None:
    ds = cm.examples.idlib_2020()
    assert "syrian-civilians" not in cm.casualties_by_actor(ds, according_to="turkey")
    assert set(cm.casualties_by_actor(ds, roll_up=True)) == {"turkey", "syria", "syrian-civilians"}
    assert cm.casualties_by_actor(ds, according_to="syria") == cm.casualties_by_actor(ds)


def test_seed_casualties_by_place_and_period() -> None:
    ds = cm.examples.idlib_2020()
    assert cm.casualties_by_actor(ds, period="2020-02-06") == {
        "syrian-civilians": cm.Estimate.exact(15)
    }
    assert cm.casualties_by_actor(ds, within="Idlib province") == cm.casualties_by_actor(ds)
    assert cm.casualties_by_actor(ds, within="damascus") == {}


def test_seed_war_toll_is_not_a_casualty_figure() -> None:
    table = cm.casualties_by_actor(cm.examples.idlib_2020(), period="2011")
    assert table == {}


def test_seed_control_of_saraqeb() -> None:
    timeline = cm.control_timeline(cm.examples.idlib_2020(), "Saraqeb")
    assert [(held.holder, str(held.span)) for held in timeline] == [
        ("hts", "2020-02-06"),
        ("syrian-army", "2020-02-06/.."),
    ]
    assert timeline[1].claims == ("sana-saraqeb-control",)
    assert timeline[1].events == ("saraqeb-capture-2020-02-06",)


def test_seed_has_no_disputes() -> None:
    assert cm.disputes(cm.examples.idlib_2020()) == []


def test_seed_control_of_saraqeb_on_a_date() -> None:
    ds = cm.examples.idlib_2020()
    after = cm.control_at(ds, "Saraqeb", "2020-02-10")
    assert (after.holder, after.certainty) == ("syrian-army", DEFINITE)
    assert after.claims == ("sana-saraqeb-control",)
    assert cm.control_at(ds, "Saraqeb", "2019-12").holder is None
    assert cm.control_at(ds, "Saraqeb", "2020-02-06").holder is None
    assert cm.control_at(ds, "Saraqeb", "2020-02").spans == tuple(
        cm.control_timeline(ds, "Saraqeb")
    )


def test_seed_who_killed_whom() -> None:
    ds = cm.examples.idlib_2020()
    matrix = cm.casualty_matrix(ds)
    assert dict(matrix) == {
        ("turkish-army", "syrian-army"): cm.Estimate(27, None, 29),
        ("turkey", "syrian-civilians"): cm.Estimate.exact(15),
        ("syrian-army", "turkish-army"): cm.Estimate.exact(8),
    }
    assert dict(cm.casualty_matrix(ds, according_to="turkey", roll_up=True)) == {
        ("turkey", "syria"): cm.Estimate(27, None, 29),
        ("syria", "turkey"): cm.Estimate.exact(8),
    }
    frame = matrix.to_frame()
    assert list(frame.columns) == [
        "perpetrator",
        "victim",
        "perpetrator_names",
        "victim_name",
        "low",
        "best",
        "high",
        "alleged_by",
        "denied_by",
        "rests_on_claims",
        "inferred_low",
        "inferred_best",
        "inferred_high",
    ]
    assert frame["inferred_best"].isna().all()
    assert list(frame["perpetrator_names"]) == [
        "Turkish Armed Forces",
        "Turkey",
        "Syrian Arab Army",
    ]
    assert list(frame["alleged_by"].fillna("")) == ["", "syria", ""]
    assert frame["low"].sum() == 50


def test_seed_syria_speaks_with_sana() -> None:
    ds = cm.examples.idlib_2020()
    with_sana = cm.control_timeline(ds, "Saraqeb", according_to="syria")
    without = cm.control_timeline(ds, "Saraqeb", according_to="syria", include_parts=False)
    assert with_sana[1].claims == ("sana-saraqeb-control",)
    assert without[1].claims == ()


def test_casualty_totals_say_themselves_by_name_on_records_and_engine() -> None:
    from conflictmodel import tables

    ds = cm.examples.idlib_2020()
    on_records = list(cm.casualties_by_actor(ds, according_to="syria").lines())
    on_engine = list(cm.casualties_by_actor(tables.from_dataset(ds), according_to="syria").lines())
    assert on_records == on_engine
    assert "Syrian civilians: 15 (alleged by Syria)" in on_records
