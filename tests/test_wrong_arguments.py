"""Wrong arguments to the public functions end in a ConflictModelError naming the function,
the argument and what it got, never in a stray AttributeError or TypeError."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import conflictmodel as cm
from conflictmodel import plots, tables
from conflictmodel.io import acled, frames, ucdp
from conflictmodel.nearby import events_near, point_of_place
from conflictmodel.queries.counts import event_counts

# Typed Any: each goes where the annotations say it must not.
FRAME: Any = pd.DataFrame({"a": [1, 2]})
NONE: Any = None
FIVE: Any = 5

WRONG: list[tuple[Callable[[], object], str]] = [
    (lambda: acled.read_acled(NONE), "ACLED import: expected the path of a CSV file, got NoneType"),
    (lambda: ucdp.read_ged(FIVE), "UCDP GED import: expected the path of a CSV file, got int 5"),
    (lambda: acled.update(cm.Dataset(), NONE), "expected the path of a CSV file, got NoneType"),
    (lambda: acled.update(FRAME, "x.csv"), "update(ds=...): expected the Dataset of an earlier"),
    (lambda: event_counts(NONE), "event_counts(ds=...): expected a Dataset, got NoneType None"),
    (lambda: cm.casualties_over_time(FRAME), "casualties_over_time(ds=...): expected a Dataset"),
    (lambda: frames.casualties_frame(NONE), "casualties_frame(result=...): expected CasualtyTable"),
    (
        lambda: frames.violations_frame([FIVE]),
        "violations_frame(violations=...): expected Violation, got int 5",
    ),
    (lambda: frames.durability_frame(FRAME), "durability_frame(held=...): expected Durability"),
    (
        lambda: cm.casualties_over_time(cm.examples.idlib_2020(), period="2018-13"),
        "casualties_over_time(period='2018-13'): cannot read '2018-13' as a time span",
    ),
    (
        lambda: cm.control_at(cm.examples.idlib_2020(), "Saraqeb", "2018-13"),
        "control_at(date='2018-13'): cannot read",
    ),
    (
        lambda: cm.control_at(cm.examples.idlib_2020(), "Sarakeb", "2020"),
        "control_at(location='Sarakeb'): no location is named 'Sarakeb'; did you mean 'Saraqeb'?",
    ),
    (
        lambda: cm.in_force(cm.examples.idlib_2020(), "nope"),
        "in_force(agreement='nope'): no agreement has this id (known: 'idlib-ceasefire-2020')",
    ),
    (lambda: cm.in_force(FRAME, "x"), "in_force(ds=...): expected a Dataset, got DataFrame"),
    (
        lambda: events_near(NONE, "Saraqeb", 5),
        "events_near(ds=...): expected a Dataset, got NoneType",
    ),
]


@pytest.mark.parametrize(("call", "message"), WRONG)
def test_wrong_arguments_are_named(call: Callable[[], object], message: str) -> None:
    with pytest.raises(cm.ConflictModelError) as raised:
        call()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_tables_where_a_dataset_is_needed_point_to_tables_load(tmp_path: Path) -> None:
    pytest.importorskip("ibis")
    tables.write(cm.examples.idlib_2020(), tmp_path / "seed")
    opened: Any = tables.open(tmp_path / "seed")
    calls: list[Callable[[], object]] = [
        lambda: cm.casualties_over_time(opened),
        lambda: cm.violations_over_time(opened, "idlib-ceasefire-2020"),
        lambda: plots.events_map_data(opened),
        lambda: plots.place_figure(opened, "Saraqeb"),
        lambda: plots.violations_figure(opened, "idlib-ceasefire-2020"),
        lambda: cm.grade_of(opened, "events", "attack-2020-02-03"),
        lambda: events_near(opened, "saraqeb", 5),
        lambda: point_of_place(opened, "saraqeb"),
    ]
    for call in calls:
        with pytest.raises(cm.ValidationError, match=r"with conflictmodel\.tables\.load\(\)"):
            call()
    assert event_counts(tables.load(tmp_path / "seed")) == event_counts(cm.examples.idlib_2020())
    assert cm.in_force(opened, "idlib-ceasefire-2020") == cm.when("2020-01-12/..")
    with pytest.raises(cm.ValidationError, match="cannot be pickled: they hold an open duckdb"):
        pickle.dumps(opened)


def test_a_durability_chart_of_another_datasets_agreement_is_refused() -> None:
    pytest.importorskip("matplotlib")
    karabakh = cm.examples.karabakh_2020()
    held = cm.ceasefire_durability(karabakh, "moscow-truce-2020-10-10")
    with pytest.raises(cm.UnknownNameError, match=r"durability_chart\(agreement='moscow-truce"):
        plots.durability_figure(cm.examples.idlib_2020(), held)
    with pytest.raises(cm.ValidationError, match=r"durability_chart\(held=...\): expected a"):
        plots.durability_figure(karabakh, NONE)


def test_a_name_that_is_no_text_is_refused_with_its_article() -> None:
    ds = cm.examples.idlib_2020()
    with pytest.raises(cm.UnknownNameError) as raised:
        cm.casualties_by_actor(ds, within=FIVE)
    assert str(raised.value) == (
        "casualties_by_actor(within=...): expected a location id or name, got int 5"
    )
    with pytest.raises(cm.UnknownNameError) as raised:
        cm.casualties_by_actor(ds, according_to=[FIVE])
    assert str(raised.value) == (
        "casualties_by_actor(according_to=...): expected an actor id or name, got int 5"
    )
