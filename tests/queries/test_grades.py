"""Assessments on Airwars' scale and the min_grade of the queries that sum or list."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs
import orjson
import pytest
from hypothesis import given, settings

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.cli import main

AIRSTRIKE = "turkish-airstrike-2020-02-06"
ATTACK = "attack-2020-02-03"
RETALIATION = "retaliation-2020-02-03"


def graded(*assessments: cm.Assessment) -> cm.Dataset:
    return cm.examples.idlib_2020().with_records(assessments)


def test_an_assessment_grades_exactly_one_record() -> None:
    with pytest.raises(cm.ValidationError, match=r"Assessment 'a'\.event: .*given both"):
        cm.Assessment(id="a", grade="fair", event="e", claim="c")
    with pytest.raises(
        cm.ValidationError, match=r"Assessment 'a'\.grade: 'likely' is not a valid Grade"
    ):
        cm.Assessment(id="a", grade="likely", event="e")


def test_the_latest_assessment_is_the_grade() -> None:
    ds = graded(
        cm.Assessment(id="z-undated", grade="confirmed", event=AIRSTRIKE),
        cm.Assessment(id="b", grade="weak", event=AIRSTRIKE, made="2020-02-10"),
        cm.Assessment(id="a", grade="contested", event=AIRSTRIKE, made="2020-02-07"),
        cm.Assessment(id="c", grade="fair", claim="syria-airstrike-by-turkey", made="2020-02-08"),
    )
    assert cm.grade_of(ds, "events", AIRSTRIKE) is cm.Grade.WEAK
    assert cm.grade_of(ds, "claims", "syria-airstrike-by-turkey") is cm.Grade.FAIR
    assert cm.grade_of(ds, "events", ATTACK) is None
    assert cm.loads(cm.dumps(ds)) == ds


def test_min_grade_keeps_events_graded_as_well_and_leaves_ungraded_ones_out() -> None:
    ds = graded(
        cm.Assessment(id="a", grade="confirmed", event=ATTACK, assessor="turkey"),
        cm.Assessment(id="b", grade="contested", event=AIRSTRIKE, reason="Turkey denies it"),
    )
    everything = cm.casualties_by_actor(ds)
    assert dict(everything.grades) == {cm.Grade.CONFIRMED: 1, cm.Grade.CONTESTED: 1, None: 1}
    assert everything == cm.casualties_by_actor(cm.examples.idlib_2020())
    fair = cm.casualties_by_actor(ds, min_grade="fair")
    assert dict(fair) == {"turkish-army": cm.Estimate.exact(8)}
    assert dict(fair.grades) == {cm.Grade.CONFIRMED: 1}
    contested = cm.casualties_by_actor(ds, min_grade=cm.Grade.CONTESTED)
    assert set(contested.by_event) == {ATTACK, AIRSTRIKE}
    assert dict(contested.grades) == {cm.Grade.CONFIRMED: 1, cm.Grade.CONTESTED: 1}


def test_violations_carry_their_grade_and_min_grade_filters_them() -> None:
    ds = graded(
        cm.Assessment(id="a", grade="fair", event=ATTACK),
        cm.Assessment(id="b", grade="weak", event=RETALIATION),
    )
    every = cm.ceasefire_violations(ds)
    by_event = {v.event: v.grade for v in every}
    assert by_event[ATTACK] is cm.Grade.FAIR
    assert by_event[RETALIATION] is cm.Grade.WEAK
    assert by_event[None] is None
    assert len(every) == len(cm.ceasefire_violations(cm.examples.idlib_2020()))
    fair = cm.ceasefire_violations(ds, min_grade="fair")
    assert [(v.violator, v.event) for v in fair] == [("syrian-army", ATTACK)]


def test_a_bad_min_grade_names_the_argument_and_the_grades() -> None:
    with pytest.raises(cm.ValidationError, match=r"casualties_by_actor\(min_grade=...\): .*'fair'"):
        cm.casualties_by_actor(cm.examples.idlib_2020(), min_grade="likely")
    with pytest.raises(cm.ValidationError, match=r"ceasefire_violations\(min_grade=...\)"):
        cm.ceasefire_violations(cm.examples.idlib_2020(), min_grade=3)  # type: ignore[arg-type]


@settings(max_examples=20)
@given(testing.datasets(max_events=6, max_claims=6))
def test_when_every_event_is_graded_the_lowest_grade_keeps_everything(ds: cm.Dataset) -> None:
    ungraded = cm.Dataset(r for r in ds.records() if not isinstance(r, cm.Assessment))
    grades = [
        cm.Assessment(id=f"grade-{index}", grade="discounted", event=event_id)
        for index, event_id in enumerate(ungraded.events)
    ]
    all_graded = ungraded.with_records(grades)
    assert cm.casualties_by_actor(all_graded, min_grade="discounted") == cm.casualties_by_actor(
        ungraded
    )
    kept = cm.ceasefire_violations(all_graded, min_grade="discounted")
    assert [v for v in cm.ceasefire_violations(ungraded) if v.event is not None] == [
        attrs.evolve(v, grade=None) for v in kept
    ]
    assert not cm.casualties_by_actor(all_graded, min_grade="weak")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_the_diff_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = cm.examples.idlib_2020()
    new = graded(cm.Assessment(id="a", grade="fair", event=ATTACK))
    cm.dump(old, tmp_path / "old.json")
    cm.dump(new, tmp_path / "new.jsonl")
    status, out = _run(capsys, "diff", str(tmp_path / "old.json"), str(tmp_path / "new.jsonl"))
    assert status == 0
    assert out.splitlines() == ["0 changed, 1 added, 0 removed", "  added assessment 'a'"]
    status, out = _run(
        capsys, "diff", str(tmp_path / "new.jsonl"), str(tmp_path / "old.json"), "--json"
    )
    assert orjson.loads(out) == [{"change": "removed", "collection": "assessments", "id": "a"}]
    _, out = _run(capsys, "diff", str(tmp_path / "old.json"), str(tmp_path / "new.jsonl"), "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["change"], r["collection"], r["id"]) for r in rows] == [
        ("added", "assessments", "a")
    ]


def test_min_grade_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cm.dump(graded(cm.Assessment(id="a", grade="fair", event=ATTACK)), tmp_path / "g.json")
    status, out = _run(
        capsys, "casualties", str(tmp_path / "g.json"), "--min-grade", "fair", "--json"
    )
    assert status == 0
    assert [row["actor"] for row in orjson.loads(out)] == ["turkish-army"]
    _, out = _run(capsys, "violations", str(tmp_path / "g.json"), "--min-grade", "fair", "--json")
    assert [(row["violator"], row["event"]) for row in orjson.loads(out)] == [
        ("syrian-army", ATTACK)
    ]
