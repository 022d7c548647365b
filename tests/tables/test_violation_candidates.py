"""The engine's pre-filter of violation candidates never leaves out an event the rules judge."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.queries.strategies import conflicts
from tests.tables.test_engines import camps, claim_rules_world, spans

import conflictmodel as cm
from conflictmodel import registry, tables, testing
from conflictmodel.tables import queries as table_queries
from conflictmodel.timespans import TimeSpan

pytest.importorskip("ibis")


def judged_events_outside_the_candidates(
    ds: cm.Dataset, period: TimeSpan | None, perspectives: list[str | tuple[str, ...] | None]
) -> tuple[set[str], set[str]]:
    """The events the in-memory rules name in a violation or as unassessed, from each of
    ``perspectives``, and those of them :func:`violation_candidates` leaves out."""
    opened = tables.from_dataset(ds)
    judged: set[str] = set()
    missed: set[str] = set()
    agreements = list(ds.agreements.values())
    every_kept = table_queries.violation_candidates(
        opened, [(agreement, agreement.effective) for agreement in agreements], period
    )
    for agreement, kept in zip(agreements, every_kept, strict=True):
        for claimant in perspectives:
            found = cm.ceasefire_violations(ds, agreement.id, according_to=claimant, period=period)
            named = {v.event for v in found if v.event is not None}
            named |= {part for v in found for part in v.parts}
            named |= {u.event for u in found.unassessed}
            judged |= named
            missed |= named - kept
    return judged, missed


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(conflicts(), testing.datasets(max_events=10)), st.none() | spans, st.data())
def test_the_candidates_hold_every_event_the_rules_judge(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    _, missed = judged_events_outside_the_candidates(ds, period, camps(ds, data))
    assert missed == set()


@pytest.mark.parametrize("ds", [cm.examples.idlib_2020(), claim_rules_world()])
def test_the_candidates_hold_the_seeds_violations(ds: cm.Dataset) -> None:
    judged, missed = judged_events_outside_the_candidates(ds, None, [None, *sorted(ds.actors)])
    assert missed == set()
    if ds.agreements:
        assert judged


@attrs.frozen(kw_only=True)
class Condemned(cm.Statement):
    """That ``incident`` was condemned, and the ``related`` events with it."""

    incident: str = attrs.field(metadata=cm.refers_to("events"))
    related: tuple[str, ...] = attrs.field(default=(), metadata=cm.refers_to("events"))


@pytest.fixture
def condemned() -> Iterator[type[Condemned]]:
    registry.statement_type("test.condemned")(Condemned)
    yield Condemned
    registry.unregister("test.condemned")


def test_the_engine_reads_the_events_a_plug_in_statement_names(
    condemned: type[Condemned],
) -> None:
    seed = cm.examples.idlib_2020()
    first, second, third = sorted(seed.events)[:3]
    statements = [condemned(incident=first, related=(second, third)), condemned(incident=third)]
    ds = seed.with_records(
        [
            cm.Claim(id=f"condemns-{number}", claimant="turkey", statement=statement)
            for number, statement in enumerate(statements)
        ]
    )
    opened = tables.from_dataset(ds)
    read = opened.run(table_queries._naming(opened.table("claims")))
    named = {(c.id, event) for c in ds.claims.values() for event in table_queries._events_named(c)}
    assert {(row["claim"], row["event"]) for row in read} == named
    assert {
        ("condemns-0", first),
        ("condemns-0", second),
        ("condemns-0", third),
        ("condemns-1", third),
    } <= named


@pytest.mark.xdist_group("spark")
def test_many_agreements_on_spark_give_the_records_violations(
    spark: object, tmp_path: Path
) -> None:
    """Ten agreements in one call, scoped and not, over spans that meet the seed's events
    or not: the engine reads their events in one pass, on Spark as on the records."""
    seed = cm.examples.idlib_2020()
    base = seed.agreements["idlib-ceasefire-2020"]
    starts = ["2019-06-01", "2020-01-12", "2020-02-04", "2020-02-07", "2020-03-06"]
    variants = [
        attrs.evolve(
            base,
            id=f"variant-{number}",
            signed=None,
            effective=f"{start}/..",
            scope=() if number % 2 else base.scope,
        )
        for number, start in enumerate(starts * 2)
    ]
    ds = seed.with_records(variants)
    folder = tmp_path / "many"
    tables.write(ds, folder)
    opened = tables.open(folder, engine="spark", spark=spark)
    every = sorted(ds.agreements)
    found = cm.ceasefire_violations(opened, every, period="2020-02")
    expected = cm.ceasefire_violations(ds, every, period="2020-02")
    assert found == expected
    assert found.unassessed == expected.unassessed
    assert len({v.agreement for v in expected}) > 5
