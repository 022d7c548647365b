"""Query results are plain values: they pickle without the dataset and explain themselves."""

from __future__ import annotations

import pickle

from tests.queries.world import claim, strike, world

import conflictmodel as cm

CEASEFIRE = "idlib-ceasefire-2020"


def test_violations_pickle_and_keep_their_explanation() -> None:
    violations = cm.ceasefire_violations(cm.examples.idlib_2020(), CEASEFIRE)
    assert violations
    for violation in violations:
        payload = pickle.dumps(violation)
        assert b"Dataset" not in payload
        copy = pickle.loads(payload)
        assert copy == violation
        assert copy.explain() == violation.explain()
        assert copy.explain().startswith(f"{violation.violator} ")


def test_casualty_tables_pickle_with_their_figures() -> None:
    table = cm.casualties_by_actor(cm.examples.idlib_2020(), roll_up=True)
    payload = pickle.dumps(table)
    assert b"Dataset" not in payload
    copy = pickle.loads(payload)
    assert dict(copy) == dict(table)
    assert str(copy) == str(table)
    assert all(copy.figures(actor) == table.figures(actor) for actor in table)


def test_disputes_and_control_spans_pickle() -> None:
    ds = world(
        strike("e", by=[]),
        claim("a", "north", cm.CasualtyFigure("e", "north-army", killed=3)),
        claim("c", "south", cm.CasualtyFigure("e", "north-army", killed="dozens")),
        claim("g", "north", cm.Controls("town", "north-army", since="2021-04")),
    )
    disputes = cm.disputes(ds)
    spans = cm.control_timeline(ds, "town")
    assert disputes
    assert spans
    assert pickle.loads(pickle.dumps(disputes)) == disputes
    assert pickle.loads(pickle.dumps(spans)) == spans
