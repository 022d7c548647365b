"""ceasefire_durability on the October 2020 Nagorno-Karabakh truces and on hand-built cases."""

from __future__ import annotations

import datetime
from pathlib import Path

import attrs
import pytest
from tests.queries.world import CEASEFIRE, claim, strike, world

import conflictmodel as cm
from conflictmodel.io.frames import durability_frame
from conflictmodel.plots import durability_chart

MOSCOW = "moscow-truce-2020-10-10"
D = datetime.date


def test_the_moscow_truce_was_possibly_broken_on_its_first_day_and_surely_on_its_fifth() -> None:
    """It took effect at noon on 10 October; the fighting reported that day may have come
    before noon."""
    held = cm.ceasefire_durability(cm.examples.karabakh_2020(), MOSCOW)
    assert (held.start, held.end, held.days_held) == (D(2020, 10, 10), D(2020, 10, 17), 4)
    assert held.first_violation is not None
    assert held.first_violation.event == "front-clashes-2020-10-14"
    assert held.first_violation.certainty is cm.Certainty.DEFINITE
    assert held.first_possible is not None
    assert held.first_possible.event == "front-clashes-2020-10-10"
    assert held.attributed == 5
    assert held.shares == {"armenia": 0.6, "azerbaijan": 0.4}


def test_the_moscow_truces_rates_count_definite_violations_and_the_possible_one_apart() -> None:
    """The fighting of its first day only possibly broke it: counted apart, the truce was
    broken as often as the two weeks before were fought in (2.0 a week), not more (2.5)."""
    held = cm.ceasefire_durability(cm.examples.karabakh_2020(), MOSCOW)
    assert held.per_week == {D(2020, 10, 10): 3, D(2020, 10, 17): 1}
    assert held.possible_per_week == {D(2020, 10, 10): 1, D(2020, 10, 17): 0}
    assert held.before == {D(2020, 9, 26): 3, D(2020, 10, 3): 1}
    assert held.possible_before == {D(2020, 9, 26): 0, D(2020, 10, 3): 0}
    assert (held.rate, held.rate_before) == (2.0, 2.0)
    assert (held.possible_rate, held.possible_rate_before) == (0.5, 0.0)
    lines = list(held.lines())
    assert "definitely violating events per week: 2.0 in force, 2.0 in the 2 weeks before" in lines
    assert (
        "only possibly violating events per week, left out of those rates: 0.5 in force "
        "(1 in all), 0.0 in the 2 weeks before (0 in all)"
    ) in lines
    found = cm.ceasefire_violations(cm.examples.karabakh_2020(), MOSCOW)
    counted = {v.event for v in found if v.counted and v.event}
    assert held.spread == 0
    assert sum(held.per_week.values()) + sum(held.possible_per_week.values()) == len(counted)


def test_alleged_only_violations_count_in_the_rates_by_their_certainty() -> None:
    """The Ganja strikes Azerbaijan alleges (Armenia denies; the record names no initiator)
    count among the definite violations in force, as on the record's own account they may;
    as Armenia tells it they drop out."""
    kb = cm.examples.karabakh_2020()
    held = cm.ceasefire_durability(kb, MOSCOW)
    alleged = {
        v.event
        for v in cm.ceasefire_violations(kb, MOSCOW)
        if v.certainty is cm.Certainty.DEFINITE and not v.observed
    }
    assert alleged == {"ganja-strike-2020-10-11", "ganja-strike-2020-10-17"}
    armenian = cm.ceasefire_durability(kb, MOSCOW, according_to="armenia")
    assert armenian.per_week == {D(2020, 10, 10): 2, D(2020, 10, 17): 0}
    assert armenian.possible_per_week == held.possible_per_week
    assert sum(held.per_week.values()) - sum(armenian.per_week.values()) == len(alleged)


def test_first_violation_and_first_alleged_are_apart_and_days_held_count_from_the_start() -> None:
    ds = world(
        strike("late", "2021-03-20"),
        strike("unknown", "2021-03-05", by=[]),
        claim("c", "south", cm.Attribution("unknown", ["north"])),
    )
    held = cm.ceasefire_durability(ds, CEASEFIRE)
    assert held.first_violation is not None
    assert held.first_alleged is not None
    assert (held.first_violation.event, held.days_held) == ("late", 19)
    assert held.first_alleged.event == "unknown"
    assert sum(held.per_week.values()) == 2


def test_a_long_event_overlapping_the_start_is_only_a_possible_first_violation() -> None:
    """A monitor's two-month summary that began before the truce does not make it break on
    its first day; a violation only possible after the first sure one is not shown."""
    ds = world(
        strike("summary", "2021-02/2021-03"),
        strike("raid", "2021-03-17"),
        strike("late", "2021-06-20/2021-07-05"),
    )
    held = cm.ceasefire_durability(ds, CEASEFIRE)
    assert held.first_violation is not None
    assert held.first_possible is not None
    assert (held.first_violation.event, held.days_held) == ("raid", 16)
    assert held.first_possible.event == "summary"
    later = cm.ceasefire_durability(
        world(strike("raid", "2021-03-17"), strike("late", "2021-06-20/2021-07-05")), CEASEFIRE
    )
    assert later.first_possible is None
    same_day = world(strike("year", "2021"), strike("raid", "2021-03-01"))
    held = cm.ceasefire_durability(same_day, CEASEFIRE)
    assert held.first_violation is not None
    assert (held.first_violation.event, held.days_held, held.first_possible) == ("raid", 0, None)


def test_an_agreement_never_broken_held_without_a_first_violation() -> None:
    held = cm.ceasefire_durability(world(), CEASEFIRE)
    assert (held.first_violation, held.days_held, held.shares) == (None, None, {})
    assert set(held.per_week.values()) == {0}
    assert len(held.per_week) == len(held.before) == 18


def test_the_frame_has_a_row_per_week_before_and_in_force() -> None:
    pytest.importorskip("pandas")
    frame = durability_frame(cm.ceasefire_durability(cm.examples.karabakh_2020(), MOSCOW))
    assert list(frame.columns) == ["week", "period", "violations", "only_possible"]
    assert list(frame["period"]) == ["before", "before", "in force", "in force"]
    assert list(frame["violations"]) == [3, 1, 3, 1]
    assert list(frame["only_possible"]) == [0, 0, 1, 0]


def test_the_chart_is_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    ds = cm.examples.karabakh_2020()
    held = cm.ceasefire_durability(ds, MOSCOW)
    assert durability_chart(ds, held, tmp_path / "chart.png").stat().st_size > 1000


def test_the_chart_hatches_the_events_that_only_possibly_violate() -> None:
    pytest.importorskip("matplotlib")
    from conflictmodel.plots.durability import durability_figure

    ds = cm.examples.karabakh_2020()
    figure = durability_figure(ds, cm.ceasefire_durability(ds, MOSCOW))
    (axes,) = figure.axes
    hatched = [c for c in axes.collections if c.get_hatch()]
    assert len(hatched) == 1
    labels = axes.get_legend_handles_labels()[1]
    assert labels[-1] == "in force: only possibly (placed or dated too coarsely to tell)"
    sure = cm.ceasefire_durability(cm.examples.idlib_2020(), "idlib-ceasefire-2020")
    plain = durability_figure(cm.examples.idlib_2020(), sure)
    assert not [c for c in plain.axes[0].collections if c.get_hatch()]
    pyplot = pytest.importorskip("matplotlib.pyplot")
    pyplot.close(figure)
    pyplot.close(plain)


def test_a_durability_of_graded_events_counts_them_only_in_force_and_before() -> None:
    """min_grade keeps the violating events graded that well or better, in the weeks before
    as in force, and the headline says so; with every event graded, nothing changes."""
    kb = cm.examples.karabakh_2020()
    every = cm.ceasefire_durability(kb, "moscow-truce-2020-10-10")
    confirmed = [
        cm.Assessment(id=f"g-{event}", grade="confirmed", event=event) for event in kb.events
    ]
    graded = kb.with_records(confirmed)
    alike = cm.ceasefire_durability(graded, "moscow-truce-2020-10-10", min_grade="confirmed")
    assert (alike.per_week, alike.before, alike.days_held) == (
        every.per_week,
        every.before,
        every.days_held,
    )
    assert alike.min_grade is cm.Grade.CONFIRMED
    assert next(alike.lines()).endswith("(events graded confirmed or better)")
    first = every.first_violation
    assert first is not None
    assert first.event is not None
    weak = kb.with_records(
        [attrs.evolve(a, grade="weak") if a.event == first.event else a for a in confirmed]
    )
    fewer = cm.ceasefire_durability(weak, "moscow-truce-2020-10-10", min_grade="fair")
    assert sum(fewer.per_week.values()) == sum(every.per_week.values()) - 1
    assert fewer.first_violation is None or fewer.first_violation.event != first.event
    ungraded = cm.ceasefire_durability(kb, "moscow-truce-2020-10-10", min_grade="weak")
    assert sum(ungraded.per_week.values()) + sum(ungraded.before.values()) == 0


def test_a_durability_says_whose_account_it_is() -> None:
    kb = cm.examples.karabakh_2020()
    told = cm.ceasefire_durability(kb, "moscow-truce-2020-10-10", according_to="armenia")
    assert told.according_to == ("armenia",)
    assert next(told.lines()) == (
        "Moscow humanitarian truce: in force from 2020-10-10, until 2020-10-17, as Armenia tells it"
    )
    plain = cm.ceasefire_durability(kb, "moscow-truce-2020-10-10")
    assert (plain.according_to, plain.account) == ((), "")


def test_the_shares_say_how_many_violations_they_leave_out_as_undetermined() -> None:
    """The Moscow truce's two clashes no one is said to have started have no violator: left
    out of the shares, and the line says so; where every violation has one, it says nothing."""
    kb = cm.examples.karabakh_2020()
    held = cm.ceasefire_durability(kb, MOSCOW)
    counted = [v for v in cm.ceasefire_violations(kb, MOSCOW) if v.counted]
    assert (held.attributed, held.undetermined) == (5, 2)
    assert held.attributed + held.undetermined == len(counted)
    assert held.undetermined == sum(v.violator is None for v in counted)
    assert list(held.lines())[-1] == (
        "shares of the 5 of 7 violations with a known or alleged violator "
        "(2 undetermined, left out): Armenia 60%, Azerbaijan 40%"
    )
    idlib = cm.ceasefire_durability(cm.examples.idlib_2020(), "idlib-ceasefire-2020")
    assert idlib.undetermined == 0
    assert list(idlib.lines())[-1] == (
        "shares of the 6 violations with a known or alleged violator: Syria 50%, Turkey 50%"
    )


def test_the_shares_on_the_real_file_name_the_undetermined_majority() -> None:
    """On UCDP's Syria file the memorandum of Sochi has 620 violations, 605 of them clashes
    with no known violator: the 15 one-sided ones do not say who broke it, and the line says
    on how few its shares rest."""
    from tests.queries.test_violations_real import PATH, sochi

    from conflictmodel.io.ucdp import read_ged

    if not PATH.exists():
        pytest.skip("real UCDP files not present")
    russia = cm.Actor(id="russia", name="Russia", kind="state")
    ds = read_ged(PATH, progress=False).dataset.with_records([russia, sochi()])
    held = cm.ceasefire_durability(ds, "sochi-2018")
    counted = [v for v in cm.ceasefire_violations(ds, "sochi-2018") if v.counted]
    assert held.attributed + held.undetermined == len(counted)
    assert held.undetermined > 10 * held.attributed > 0
    line = list(held.lines())[-1]
    total = held.attributed + held.undetermined
    assert line.startswith(
        f"shares of the {held.attributed:,} of {total:,} violations with a known or alleged "
        f"violator ({held.undetermined:,} undetermined, left out): "
    )
