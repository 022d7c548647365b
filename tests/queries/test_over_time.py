"""Figures per period: dated figures stay in their period, longer events are spread apart."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.io.ucdp_files import GED191_SAMPLE

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.io.ucdp import read_ged
from conflictmodel.queries import over_time
from conflictmodel.queries.over_time import undated_killed
from conflictmodel.queries.results import actor_label


@given(testing.datasets(max_events=8), st.sampled_from(["W", "M", "Q", "Y"]))
def test_dated_claimed_and_spread_add_up_to_the_totals(ds: cm.Dataset, freq: str) -> None:
    try:
        frame = cm.casualties_over_time(ds, freq)
    except cm.ValidationError as error:
        message = str(error)
        assert "more than 100,000" in message
        return
    table = cm.casualties_by_actor(ds)
    by_actor: dict[str | None, float] = defaultdict(float)
    for event_id, figures in table.by_event.items():
        if ds.events[event_id].when.is_open:
            continue
        for figure in figures:
            if figure.measure == "killed":
                by_actor[figure.actor] += figure.estimate.best_or_low
    labels = over_time._labels(ds, by_actor)
    expected = {labels[actor]: value for actor, value in by_actor.items()}
    drawn = {
        actor: float(frame[actor][["best", "claimed", "spread"]].astype(float).to_numpy().sum())
        for actor in frame.columns.get_level_values("actor").unique()
    }
    assert all(label in expected or value == 0 for label, value in drawn.items())
    for label, value in expected.items():
        assert math.isclose(drawn.get(label, 0.0), value, rel_tol=1e-9, abs_tol=1e-6)
    undated = undated_killed(ds)
    drawn_killed = sum(
        f.estimate.best_or_low
        for figures in table.by_event.values()
        for f in figures
        if f.measure == "killed"
    )
    assert drawn_killed == sum(expected.values()) + undated
    assert list(frame.index) == sorted(frame.index)
    if len(frame.index) > 1:
        assert all(b.ordinal - a.ordinal == 1 for a, b in itertools.pairwise(frame.index))


def test_ucdp_month_holds_its_own_events_and_year_rows_are_spread() -> None:
    ds = read_ged(GED191_SAMPLE, progress=False).dataset
    frame = cm.casualties_over_time(ds, "M")
    government = ds.actor("Government of Syria")
    own = sum(
        entry.killed.best_or_low
        for event in ds.events.values()
        if isinstance(event, cm.Engagement)
        and str(event.when.start)[:7] == str(event.when.end)[:7] == "2016-01"
        for entry in event.casualties
        if entry.actor == government.id and entry.killed is not None
    )
    assert frame.loc["2016-01", (government.name, "best")] == own
    year_row = ds.events["ucdp-ged-233200"]
    assert isinstance(year_row, cm.Engagement)
    assert str(year_row.when) == "2016"
    actor, killed = next((e.actor, e.killed) for e in year_row.casualties if e.killed is not None)
    july = [str(p) for p in frame.index].index("2016-07")
    label = actor_label(ds, actor)
    spread = frame[(label, "spread")].to_numpy(dtype=float)[july]
    assert spread >= killed.best_or_low * 31 / 366 - 1e-9
    assert frame[(label, "best")].to_numpy(dtype=float)[july] < killed.best_or_low


def test_claims_are_a_column_of_their_own() -> None:
    frame = cm.casualties_over_time(cm.examples.idlib_2020())
    assert frame.loc["2020-02", ("Syrian civilians", "claimed")] == 15
    assert frame.loc["2020-02", ("Syrian civilians", "best")] == 0
    assert frame.loc["2020-02", ("Syrian Arab Army", "low")] == 27


def test_frequency_and_span_limits_are_named() -> None:
    ds = cm.examples.idlib_2020()
    with pytest.raises(cm.ValidationError, match="freq"):
        cm.casualties_over_time(ds, "fortnight")
    odd = cm.Engagement(
        id="ancient",
        when="0001-01-01/2020-01-01",
        kind="attack",
        initiators=["syria"],
        targets=["turkey"],
        casualties=[cm.Casualties("turkey", killed=1)],
    )
    with pytest.raises(cm.ValidationError, match="more than 100,000"):
        cm.casualties_over_time(ds.with_records([odd]), "D")


def test_violations_per_week_start_before_signing() -> None:
    frame = cm.violations_over_time(cm.examples.idlib_2020(), "idlib-ceasefire-2020")
    assert str(frame.index[0]) == "2019-12-30/2020-01-05"  # the week before the signing's
    assert frame["observed"].sum() == sum(
        1
        for v in cm.ceasefire_violations(cm.examples.idlib_2020(), "idlib-ceasefire-2020")
        if v.observed and v.when is not None and not v.when.is_range
    )


def test_a_period_keeps_its_own_rows_and_the_share_of_longer_events_inside_it() -> None:
    actors = [cm.Actor(id=i, name=i.title(), kind="state_forces") for i in ("north", "south")]

    def shelling(event_id: str, when: str, killed: int) -> cm.Engagement:
        return cm.Engagement(
            id=event_id,
            when=when,
            kind="shelling",
            initiators=["north"],
            targets=["south"],
            casualties=[cm.Casualties("south", killed=killed)],
        )

    ds = cm.Dataset(
        [*actors, shelling("year", "2020-01-01/2020-12-31", 366), shelling("day", "2020-03-05", 4)]
    )
    whole = cm.casualties_over_time(ds, "M")
    assert len(whole) == 12
    assert whole[("South", "spread")].sum() == pytest.approx(366)
    march = cm.casualties_over_time(ds, "M", period="2020-03")
    assert [str(p) for p in march.index] == ["2020-03"]
    assert march.loc["2020-03", ("South", "best")] == 4
    assert march.loc["2020-03", ("South", "spread")] == pytest.approx(31)
    assert cm.casualties_by_actor(ds, period="2020-03")["south"].best == 370


def _weekly_counts(violations: cm.Violations) -> dict[str, dict[str, int]]:
    """Observed, alleged and definite violations per week, counted from the list itself."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for v in violations:
        if v.when is None or v.when.start is None or v.when.end is None or v.when.is_range:
            continue
        week = counts[str(pd.Period(v.when.start, freq="W"))]
        week["observed"] += v.observed
        week["alleged"] += v.alleged
        week["definite"] += v.certainty is cm.Certainty.DEFINITE
    return counts


def test_violations_per_week_follow_a_camp_of_claimants() -> None:
    ds = cm.examples.idlib_2020()
    agreement = "idlib-ceasefire-2020"
    turkey = cm.violations_over_time(ds, agreement, according_to="turkey")
    camp = cm.violations_over_time(ds, agreement, according_to=["turkey", "russia"])
    # Russia alleges that Turkey broke the ceasefire from 12 January to 6 February; Turkey does not.
    assert list(turkey["ongoing"]) == [0, 0, 0, 0, 0, 0]
    assert list(camp["ongoing"]) == [0, 1, 1, 1, 1, 1]
    assert camp.iloc[-1].to_dict() == {
        "observed": 2,
        "alleged": 2,
        "definite": 4,
        "ongoing": 1,
        "aggregates": 0,
    }
    expected = _weekly_counts(
        cm.ceasefire_violations(ds, agreement, according_to=["turkey", "russia"])
    )
    for period, row in camp.iterrows():
        for column in ("observed", "alleged", "definite"):
            assert row[column] == expected.get(str(period), {}).get(column, 0)
    for same in (("Turkey", "Russia"), iter(["russia", "turkey"]), {"turkey", "russia"}):
        assert cm.violations_over_time(ds, agreement, according_to=same).equals(camp)


def test_violations_over_time_names_itself_in_its_errors() -> None:
    ds = cm.examples.idlib_2020()
    agreement = "idlib-ceasefire-2020"
    with pytest.raises(
        cm.UnknownNameError, match=r"^violations_over_time\(according_to='nobody'\)"
    ):
        cm.violations_over_time(ds, agreement, according_to=["turkey", "nobody"])
    with pytest.raises(cm.ValidationError, match=r"^violations_over_time\(according_to=\(\)\)"):
        cm.violations_over_time(ds, agreement, according_to=[])
    with pytest.raises(cm.UnknownNameError, match=r"^violations_over_time\(agreement='none'\)"):
        cm.violations_over_time(ds, "none")
    with pytest.raises(
        cm.UnknownNameError, match=r"^casualties_over_time\(according_to='nobody'\)"
    ):
        cm.casualties_over_time(ds, according_to="nobody")


def test_claimants_given_once_count_for_a_dataset_loaded_from_tables(tmp_path: Path) -> None:
    pytest.importorskip("ibis")
    from conflictmodel import tables

    ds = cm.examples.idlib_2020()
    tables.write(ds, tmp_path / "idlib")
    loaded = tables.load(tmp_path / "idlib")
    camp = ("turkey", "syria")
    assert cm.casualties_over_time(loaded, according_to=iter(camp)).equals(
        cm.casualties_over_time(ds, according_to=camp)
    )
    assert cm.violations_over_time(loaded, "idlib-ceasefire-2020", according_to=iter(camp)).equals(
        cm.violations_over_time(ds, "idlib-ceasefire-2020", according_to=camp)
    )
