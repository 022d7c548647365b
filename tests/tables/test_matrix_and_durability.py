"""casualty_matrix and ceasefire_durability over opened tables answer as on the dataset."""

from __future__ import annotations

import datetime
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.queries.world import CEASEFIRE, claim, strike, world
from tests.tables.test_engines import BEST_RULES, any_dataset, spans

import conflictmodel as cm
from conflictmodel import tables
from conflictmodel.timespans import TimeSpan

pytest.importorskip("ibis")

MOSCOW = "moscow-truce-2020-10-10"
D = datetime.date


def perspectives(ds: cm.Dataset, data: st.DataObject) -> list[str | tuple[str, ...] | None]:
    """The default view, one actor's and a camp of two."""
    actors = sorted(ds.actors)
    if not actors:
        return [None]
    one = data.draw(st.sampled_from(actors))
    if len(actors) < 2:
        return [None, one]
    camp = data.draw(st.lists(st.sampled_from(actors), min_size=2, max_size=2, unique=True))
    return [None, one, tuple(camp)]


def claimed(matrix: cm.CasualtyMatrix) -> dict[Any, Any]:
    """Who alleges and denies each pair of ``matrix``."""
    return {pair: matrix.claimants(pair) for pair in matrix}


def inferred(matrix: cm.CasualtyMatrix) -> dict[Any, Any]:
    """The part of each pair of ``matrix`` inferred from the sides."""
    return {pair: matrix.inferred(pair) for pair in matrix}


def assert_same_matrix(
    opened: tables.Tables,
    ds: cm.Dataset,
    period: TimeSpan | None,
    data: st.DataObject,
    views: list[str | tuple[str, ...] | None],
) -> None:
    places = sorted(ds.locations)
    for according_to in views:
        options: dict[str, Any] = {
            "according_to": according_to,
            "period": period,
            "within": data.draw(st.none() | st.sampled_from(places)) if places else None,
            "roll_up": data.draw(st.booleans()),
            "include_parts": data.draw(st.booleans()),
            "best": data.draw(st.sampled_from(BEST_RULES)),
            "min_grade": data.draw(st.none() | st.sampled_from(list(cm.Grade))),
            "infer_from_sides": data.draw(st.booleans()),
        }
        found = cm.casualty_matrix(opened, **options)
        expected = cm.casualty_matrix(ds, **options)
        assert found == expected, options
        assert list(found) == list(expected), options
        assert claimed(found) == claimed(expected), options
        assert inferred(found) == inferred(expected), options


def assert_same_durability(
    opened: tables.Tables,
    ds: cm.Dataset,
    data: st.DataObject,
    views: list[str | tuple[str, ...] | None],
) -> None:
    for agreement in sorted(ds.agreements):
        for according_to in views:
            options: dict[str, Any] = {
                "according_to": according_to,
                "include_parts": data.draw(st.booleans()),
                "min_grade": data.draw(st.none() | st.sampled_from(list(cm.Grade))),
            }
            try:
                expected = cm.ceasefire_durability(ds, agreement, **options)
            except cm.ValidationError as error:
                with pytest.raises(cm.ValidationError, match=re.escape(str(error))):
                    cm.ceasefire_durability(opened, agreement, **options)
                continue
            assert cm.ceasefire_durability(opened, agreement, **options) == expected, options


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(any_dataset, st.none() | spans, st.data())
def test_the_matrix_on_duckdb_is_the_datasets(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        opened = tables.open(Path(folder) / "tables")
        assert_same_matrix(opened, ds, period, data, perspectives(ds, data))


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(any_dataset, st.data())
def test_durability_on_duckdb_is_the_datasets(ds: cm.Dataset, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        opened = tables.open(Path(folder) / "tables")
        assert_same_durability(opened, ds, data, perspectives(ds, data))


def test_the_seed_matrix_on_duckdb(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    tables.write(ds, tmp_path / "idlib")
    opened = tables.open(tmp_path / "idlib")
    plain = cm.casualty_matrix(opened)
    assert dict(plain) == {
        ("turkish-army", "syrian-army"): cm.Estimate(27, None, 29),
        ("turkey", "syrian-civilians"): cm.Estimate.exact(15),
        ("syrian-army", "turkish-army"): cm.Estimate.exact(8),
    }
    variants: list[dict[str, Any]] = [
        {"roll_up": True},
        {"according_to": "turkey"},
        {"according_to": "syria", "roll_up": True},
        {"according_to": ("syria", "turkey"), "include_parts": False},
        {"period": "2020-02-06", "within": "Idlib Governorate"},
    ]
    for options in variants:
        found = cm.casualty_matrix(opened, **options)
        assert found == cm.casualty_matrix(ds, **options), options
        assert list(found) == list(cm.casualty_matrix(ds, **options)), options
        assert claimed(found) == claimed(cm.casualty_matrix(ds, **options)), options
    totals = cm.casualties_by_actor(opened)
    assert {victim: plain.row(victim) for victim in totals} == dict(totals)


def attributed_world() -> cm.Dataset:
    """Strikes by two initiators, one attributed by a camp, one denied, one with no
    initiator that claims attribute, one where an initiator loses men, and a clash no one is
    said to have started."""
    dead = [cm.Casualties("south-army", killed=3)]
    own_losses = [cm.Casualties("north-army", killed=2), cm.Casualties("south-army", killed=1)]
    clash = [cm.Casualties("north-army", killed=1), cm.Casualties("south-army", killed=2)]
    return world(
        strike("both", by=["north-army", "outsider"], casualties=dead),
        strike("own-losses", "2021-04-05", by=["north-army", "outsider"], casualties=own_losses),
        strike("clash", "2021-04-06", by=[], on=["north-army", "south-army"], casualties=clash),
        strike("denied", by=["north-army", "outsider"], casualties=dead),
        strike("nobody", by=[], casualties=dead),
        claim("named", "south", cm.Attribution("both", ["north"])),
        claim("not-north", "south-army", cm.Attribution("denied", ["north-army"]), "denies"),
        claim("who", "north", cm.Attribution("nobody", ["south", "outsider"])),
    )


def test_perpetrators_follow_the_camps_attributions_and_denials_on_duckdb(
    tmp_path: Path,
) -> None:
    """A camp's attribution keeps the initiators part of the actors it names, its denial
    removes the actor denied, and an event with no initiator takes the attributed ones. An
    initiator's own dead have no known perpetrator: no actor kills its own."""
    ds = attributed_world()
    tables.write(ds, tmp_path / "world")
    opened = tables.open(tmp_path / "world")
    killed = cm.Estimate.exact(3)
    assert dict(cm.casualty_matrix(opened, according_to="south")) == {
        ("north-army", "south-army"): killed,
        ("outsider", "south-army"): killed,
        (None, "south-army"): cm.Estimate.exact(5),
        ("north-army, outsider", "south-army"): cm.Estimate.exact(1),
        (None, "north-army"): cm.Estimate.exact(3),
    }
    assert dict(cm.casualty_matrix(opened, according_to="south", roll_up=True)) == {
        ("north", "south"): killed,
        ("outsider", "south"): killed,
        (None, "south"): cm.Estimate.exact(5),
        ("north, outsider", "south"): cm.Estimate.exact(1),
        (None, "north"): cm.Estimate.exact(3),
    }
    inferring = cm.casualty_matrix(opened, according_to="south", infer_from_sides=True)
    assert inferring[("south-army", "north-army")] == cm.Estimate.exact(3)
    assert inferring[(None, "south-army")] == killed
    assert inferring.inferred(("north-army", "south-army")) == cm.Estimate.exact(2)
    assert inferring[("north-army", "south-army")] == cm.Estimate.exact(5)
    assert ("outsider, south", "south-army") not in cm.casualty_matrix(opened)
    assert cm.casualty_matrix(opened) == cm.casualty_matrix(ds)
    for according_to in ("north", ("north", "south")):
        options: dict[str, Any] = {"according_to": according_to}
        assert cm.casualty_matrix(opened, **options) == cm.casualty_matrix(ds, **options)


def test_the_karabakh_durability_on_duckdb(tmp_path: Path) -> None:
    ds = cm.examples.karabakh_2020()
    tables.write(ds, tmp_path / "karabakh")
    opened = tables.open(tmp_path / "karabakh")
    held = cm.ceasefire_durability(opened, MOSCOW)
    assert (held.start, held.end, held.days_held) == (D(2020, 10, 10), D(2020, 10, 17), 4)
    assert held.per_week == {D(2020, 10, 10): 3, D(2020, 10, 17): 1}
    assert held.possible_per_week == {D(2020, 10, 10): 1, D(2020, 10, 17): 0}
    assert held.before == {D(2020, 9, 26): 3, D(2020, 10, 3): 1}
    assert held.shares == {"armenia": 0.6, "azerbaijan": 0.4}
    for agreement in sorted(ds.agreements):
        for according_to in (None, "armenia", "azerbaijan"):
            options: dict[str, Any] = {"according_to": according_to}
            expected = cm.ceasefire_durability(ds, agreement, **options)
            assert cm.ceasefire_durability(opened, agreement, **options) == expected


def test_durability_still_in_force_counts_weeks_to_the_engines_last_event(
    tmp_path: Path,
) -> None:
    """An agreement with no end runs its weeks to the last day of any event; a strike long
    before the window is left out of the rate before."""
    ds = world(
        strike("first", "2021-03-03"),
        strike("later", "2021-03-20", by=["south-army"], on=["north-army"]),
        strike("before", "2021-02-20"),
        strike("long-before", "2020-01-01"),
        cm.Toll(id="last", when="2021-04-05/2021-04-09", where="land", killed=9),
    )
    open_ended = cm.Agreement(
        id="open-truce",
        name="Open truce",
        kind="truce",
        signed="2021-03-01",
        effective="2021-03-01/..",
        signatories=["north", "south"],
        sides=[["north"], ["south"]],
        scope=["province"],
    )
    ds = ds.with_records([open_ended])
    tables.write(ds, tmp_path / "world")
    opened = tables.open(tmp_path / "world")
    held = cm.ceasefire_durability(opened, "open-truce")
    assert held == cm.ceasefire_durability(ds, "open-truce")
    assert list(held.per_week) == [D(2021, 3, 1) + datetime.timedelta(weeks=w) for w in range(6)]
    assert sum(held.per_week.values()) == 2
    assert sum(held.before.values()) == 1
    assert cm.ceasefire_durability(opened, CEASEFIRE) == cm.ceasefire_durability(ds, CEASEFIRE)


def test_a_datasets_claim_of_any_kind_puts_an_event_in_its_account_on_duckdb(
    tmp_path: Path,
) -> None:
    """A merged source's ``Violated`` claim about another truce names a clash: the clash is
    in that source's account, so it breaks this truce too, on the tables as on the dataset."""
    other = cm.Agreement(
        id="other",
        name="Other",
        kind="truce",
        signed="2021-03-01",
        effective="2021-03-01/2021-06-30",
        signatories=["north", "south"],
        sides=[["north"], ["south"]],
    )
    ds = world(
        cm.Actor(id="ucdp", name="UCDP", kind="dataset"),
        other,
        strike("clash", by=[], on=["north-army", "south-army"], kind="armed_clash"),
        claim("v", "ucdp", cm.Violated("other", ["north"], events=["clash"])),
    )
    tables.write(ds, tmp_path / "world")
    opened = tables.open(tmp_path / "world")
    found = cm.ceasefire_violations(opened, CEASEFIRE, according_to="ucdp")
    assert found == cm.ceasefire_violations(ds, CEASEFIRE, according_to="ucdp")
    assert [(v.event, v.parties) for v in found] == [("clash", ("north-army", "south-army"))]
    held = cm.ceasefire_durability(opened, CEASEFIRE, according_to="ucdp")
    assert held == cm.ceasefire_durability(ds, CEASEFIRE, according_to="ucdp")


def test_tables_held_in_memory_give_the_same_matrix_and_durability() -> None:
    seed, karabakh = cm.examples.idlib_2020(), cm.examples.karabakh_2020()
    in_memory = tables.from_dataset(seed)
    for according_to in (None, "syria"):
        found = cm.casualty_matrix(in_memory, according_to=according_to)
        assert found == cm.casualty_matrix(seed, according_to=according_to)
    held = cm.ceasefire_durability(tables.from_dataset(karabakh), MOSCOW, according_to="armenia")
    assert held == cm.ceasefire_durability(karabakh, MOSCOW, according_to="armenia")


def test_unknown_agreements_and_arguments_are_refused_on_tables(tmp_path: Path) -> None:
    tables.write(cm.examples.idlib_2020(), tmp_path / "idlib")
    opened = tables.open(tmp_path / "idlib")
    with pytest.raises(cm.UnknownNameError, match="agreement='none'"):
        cm.ceasefire_durability(opened, "none")
    with pytest.raises(cm.UnknownNameError, match="within='nowhere'"):
        cm.casualty_matrix(opened, within="nowhere")
    with pytest.raises(cm.ValidationError, match=r"roll_up=\.\.\."):
        cm.casualty_matrix(opened, roll_up="yes")  # type: ignore[arg-type]
    with pytest.raises(cm.UnknownNameError, match="according_to='nobody'"):
        cm.ceasefire_durability(opened, "idlib-ceasefire-2020", according_to="nobody")
    options: list[dict[str, Any]] = [{"within": "nowhere"}, {"period": "2020-W06"}]
    for option in options:
        with pytest.raises(cm.ConflictModelError) as on_records:
            cm.casualty_matrix(cm.examples.idlib_2020(), **option)
        with pytest.raises(cm.ConflictModelError) as on_tables:
            cm.casualty_matrix(opened, **option)
        assert str(on_records.value) == str(on_tables.value)
        assert str(on_records.value).startswith("casualty_matrix(")


# Spark: the shared session and xdist group of tests/tables/test_engines.py.


@pytest.mark.xdist_group("spark")
def test_the_matrix_on_spark_is_the_datasets(spark: Any, tmp_path: Path) -> None:
    """Every way :func:`~conflictmodel.tables.queries.perpetrators` decides, on Spark."""
    ds = graded_half(attributed_world())
    tables.write(ds, tmp_path / "world")
    opened = tables.open(tmp_path / "world", engine="spark", spark=spark)
    for according_to, grade in ((None, None), ("south", None), (None, "fair")):
        options: dict[str, Any] = {
            "according_to": according_to,
            "roll_up": according_to is None,
            "min_grade": grade,
            "infer_from_sides": grade is None,
        }
        found = cm.casualty_matrix(opened, **options)
        expected = cm.casualty_matrix(ds, **options)
        assert found == expected
        assert list(found) == list(expected)
        assert claimed(found) == claimed(expected)
        assert inferred(found) == inferred(expected)
        if options["infer_from_sides"]:
            assert any(inferred(found).values())


@pytest.mark.xdist_group("spark")
def test_durability_on_spark_is_the_datasets(spark: Any, tmp_path: Path) -> None:
    ds = graded_half(cm.examples.karabakh_2020())
    tables.write(ds, tmp_path / "karabakh")
    opened = tables.open(tmp_path / "karabakh", engine="spark", spark=spark)
    for according_to, grade in ((None, None), ("armenia", None), (None, "fair")):
        options: dict[str, Any] = {"according_to": according_to, "min_grade": grade}
        expected = cm.ceasefire_durability(ds, MOSCOW, **options)
        assert cm.ceasefire_durability(opened, MOSCOW, **options) == expected
    fair = cm.ceasefire_durability(ds, MOSCOW, min_grade="fair")
    every = cm.ceasefire_durability(ds, MOSCOW)
    assert sum(fair.per_week.values()) < sum(every.per_week.values())


def graded_half(ds: cm.Dataset) -> cm.Dataset:
    """``ds`` with every other event (by id) graded confirmed, the rest weak."""
    return ds.with_records(
        [
            cm.Assessment(id=f"g-{event}", grade="confirmed" if i % 2 else "weak", event=event)
            for i, event in enumerate(sorted(ds.events))
        ]
    )
