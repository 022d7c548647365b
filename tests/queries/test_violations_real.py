"""ceasefire_violations on the real UCDP Syria release, with the 2018 Sochi memorandum on Idlib."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

import attrs
import pytest
from tests.io.ucdp_files import real_data, rows

import conflictmodel as cm
from conflictmodel.io.ucdp import read_ged

PATH = real_data() / "ged_syria_2016-2019.csv"
GOVERNMENT, INSURGENTS, NFL, TURKEY, HTS = "118", "4456", "7128", "115", "6815"
SIDES = ({GOVERNMENT}, {INSURGENTS, NFL, TURKEY})


def sochi() -> cm.Agreement:
    """The memorandum of 17 September 2018: Russia and Turkey guarantee a demilitarised zone in
    Idlib; the government (with Russia) on one side, the opposition Turkey backs on the other;
    HTS, listed as terrorist, is left out."""
    return cm.Agreement(
        id="sochi-2018",
        name="Sochi memorandum on the stabilisation of the Idlib de-escalation area",
        kind="de_escalation",
        signed="2018-09-17",
        declared="2018-09-17",
        declared_by=["russia", "ucdp-actor-115"],
        written=True,
        purposes=["peace_process"],
        ceasefire_class="preliminary",
        effective="2018-09-17/..",
        signatories=["russia", "ucdp-actor-115"],
        guarantors=["russia", "ucdp-actor-115"],
        sides=[
            [f"ucdp-actor-{GOVERNMENT}", "russia"],
            [f"ucdp-actor-{u}" for u in (INSURGENTS, NFL, TURKEY)],
        ],
        excluded=[f"ucdp-actor-{HTS}"],
        scope=["ucdp-syria/idlib-governorate"],
    )


@pytest.fixture(scope="module")
def imported() -> cm.Dataset:
    """The real Syria file, imported once for the module."""
    if not PATH.exists():
        pytest.skip("real UCDP files not present")
    return read_ged(PATH).dataset


def test_clashes_between_bound_opposing_parties_come_out_on_the_real_syria_file(
    imported: cm.Dataset,
) -> None:
    russia = cm.Actor(id="russia", name="Russia", kind="state")
    ds = imported.with_records([russia, sochi()])
    found = cm.ceasefire_violations(ds, "sochi-2018")

    def side(ucdp_id: str) -> int | None:
        return next((i for i, s in enumerate(SIDES) if ucdp_id in s), None)

    after = [r for r in rows(PATH) if r["date_end"][:10] >= "2018-09-17"]
    in_idlib = [r for r in after if r["adm_1"] == "Idlib Governorate"]
    countrywide_rows = [r for r in after if r["where_prec"] == "6"]

    def opposed(r: dict[str, str]) -> bool:
        return r["type_of_violence"] in "12" and {
            side(r["side_a_new_id"]),
            side(r["side_b_new_id"]),
        } == {0, 1}

    clashes = {f"ucdp-ged-{r['id']}" for r in in_idlib if opposed(r)}
    one_sided = {
        f"ucdp-ged-{r['id']}"
        for r in in_idlib
        if r["type_of_violence"] == "3" and side(r["side_a_new_id"]) is not None
    }
    undetermined = {v.event for v in found if v.violator is None}
    assert len(clashes) == 605
    assert undetermined == clashes
    assert {v.event for v in found if v.violator is not None} == one_sided
    unknown = [v for v in found if v.violator is None]
    assert all(v.who is cm.Who.UNDETERMINED and len(v.parties) == 2 for v in unknown)
    # A clash of a bound party with an actor on no side (HTS, whom the memorandum leaves
    # out, IS, ...) breaks nothing, and is not left unjudged.
    half_bound = {
        f"ucdp-ged-{r['id']}"
        for r in in_idlib
        if r["type_of_violence"] in "12"
        and [side(r["side_a_new_id"]), side(r["side_b_new_id"])].count(None) == 1
    }
    assert len(half_bound) == 19
    assert not half_bound & ({v.event for v in found} | {u.event for u in found.unassessed})
    # Placed only to Syria, possibly in Idlib: listed as not judged, with the reason.
    countrywide = {
        f"ucdp-ged-{r['id']}"
        for r in countrywide_rows
        if r["type_of_violence"] in "12" or side(r["side_a_new_id"]) is not None
    }
    assert len(countrywide) == 26
    assert {u.event for u in found.unassessed} == countrywide
    reasons = {u.event: u.reason for u in found.unassessed}
    assert all(reasons[e].startswith("placed only to the country") for e in countrywide)
    assert all(f"ucdp-actor-{HTS}" not in v.parties for v in found)


def test_a_clash_with_syrian_insurgents_holding_hts_is_only_possible_on_the_real_file(
    imported: cm.Dataset,
) -> None:
    """UCDP records the government's fight with HTS under "Syrian insurgents" (HTS appears only
    in non-state rows of the file). Said to be part of the insurgents, HTS, which the memorandum
    leaves out, makes every violation involving them only possible, with the reason; the others
    keep their certainty. DuckDB gives the same."""
    russia = cm.Actor(id="russia", name="Russia", kind="state")
    hts, insurgents = f"ucdp-actor-{HTS}", f"ucdp-actor-{INSURGENTS}"
    ds = imported.with_records([russia, sochi()])
    before = {(v.event, v.violator): v for v in cm.ceasefire_violations(ds, "sochi-2018")}
    declared = cm.Dataset(
        attrs.evolve(r, part_of=insurgents) if isinstance(r, cm.Actor) and r.id == hts else r
        for r in ds.records()
    )
    after = cm.ceasefire_violations(declared, "sochi-2018")
    assert {(v.event, v.violator) for v in after} == set(before)
    involving = [v for v in after if insurgents in v.parties or insurgents in _hit(v)]
    rows_of_insurgents = {
        f"ucdp-ged-{r['id']}"
        for r in rows(PATH)
        if r["date_end"][:10] >= "2018-09-17"
        and r["adm_1"] == "Idlib Governorate"
        and INSURGENTS in (r["side_a_new_id"], r["side_b_new_id"])
    }
    assert {v.event for v in involving} == rows_of_insurgents
    assert len(involving) == 620
    assert all(v.certainty is cm.Certainty.POSSIBLE for v in involving)
    assert all(
        v.grounds is not None and v.grounds.excluded_parts == ((insurgents, (hts,)),)
        for v in involving
    )
    assert "possibly not a breach: HTS, which the agreement leaves out, is part of Syrian " in (
        involving[0].explain(declared)
    )
    others = [v for v in after if v not in involving]
    assert [v.certainty for v in others] == [before[v.event, v.violator].certainty for v in others]
    definite = Counter(v.certainty for v in before.values())[cm.Certainty.DEFINITE]
    assert (definite, Counter(v.certainty for v in after)[cm.Certainty.DEFINITE]) == (612, 2)
    pytest.importorskip("duckdb")
    from conflictmodel import tables

    assert list(cm.ceasefire_violations(tables.from_dataset(declared), "sochi-2018")) == after


def test_violations_through_aggregates_of_the_real_file_are_marked(imported: cm.Dataset) -> None:
    """The violations through rows UCDP codes as of lower clarity (several incidents it could
    not tell apart) are marked and counted apart; DuckDB gives the same."""
    ds = imported.with_records([cm.Actor(id="russia", name="Russia", kind="state"), sochi()])
    found = cm.ceasefire_violations(ds, "sochi-2018")
    lower = {f"ucdp-ged-{r['id']}" for r in rows(PATH) if r["event_clarity"] == "2"}
    marked = [v for v in found if v.aggregate]
    assert [v.event for v in marked] == [v.event for v in found if v.event in lower]
    assert [(v.event, str(v.when)) for v in marked] == [
        ("ucdp-ged-318289", "2019-02-25/2019-02-26"),
        ("ucdp-ged-294819", "2019-04-30/2019-05-05"),
    ]
    assert found.summary() == (
        "622 violations of 1 agreement (2 through aggregates of several incidents each); "
        "26 engagements in scope could not be assessed"
    )
    held = cm.ceasefire_durability(ds, "sochi-2018")
    assert held.aggregates == 2
    assert "violating events that are aggregates of several incidents, each counted once: 2" in (
        list(held.lines())
    )
    pytest.importorskip("duckdb")
    from conflictmodel import tables

    assert list(cm.ceasefire_violations(tables.from_dataset(ds), "sochi-2018")) == list(found)


def _hit(violation: cm.Violation) -> tuple[str, ...]:
    """The actors a violation with a known violator hit (none otherwise)."""
    return () if violation.grounds is None else violation.grounds.opponents


def weekly(
    found: Iterable[cm.Violation], first: datetime.date, weeks: int
) -> dict[cm.Certainty, Counter[datetime.date]]:
    """The counted violating events dated within a week, by week from ``first``, apart by
    whether any violation of the event is definite."""
    definite = {v.event for v in found if v.certainty is cm.Certainty.DEFINITE}
    counts: dict[cm.Certainty, Counter[datetime.date]] = {c: Counter() for c in cm.Certainty}
    for violation in {v.event: v for v in found if v.counted and v.event}.values():
        when = violation.when
        if when is None or when.start is None or when.end is None:
            continue
        start, end = when.start, when.end
        index = max(0, start.toordinal() - first.toordinal()) // 7
        if end.toordinal() - start.toordinal() < 7 and index < weeks:
            sure = violation.event in definite
            certainty = cm.Certainty.DEFINITE if sure else cm.Certainty.POSSIBLE
            counts[certainty][first + datetime.timedelta(weeks=index)] += 1
    return counts


def test_the_weekly_rates_on_the_real_file_count_the_possible_violations_apart(
    imported: cm.Dataset,
) -> None:
    """Of the events violating the memorandum, those every violation of which is only
    possible (placed too coarsely, or dated across the start) are left out of the rates and
    counted apart: with the definite ones they make every violating event dated in a week."""
    ds = imported.with_records([cm.Actor(id="russia", name="Russia", kind="state"), sochi()])
    found = cm.ceasefire_violations(ds, "sochi-2018")
    held = cm.ceasefire_durability(ds, "sochi-2018")
    counts = weekly(found, held.start, len(held.per_week))
    assert held.per_week == {w: counts[cm.Certainty.DEFINITE][w] for w in held.per_week}
    assert held.possible_per_week == {w: counts[cm.Certainty.POSSIBLE][w] for w in held.per_week}
    in_weeks = sum(held.per_week.values()) + sum(held.possible_per_week.values())
    assert in_weeks + held.spread == len({v.event for v in found if v.counted})
    assert 0 < sum(held.possible_per_week.values()) < sum(held.per_week.values())
    assert held.rate == sum(held.per_week.values()) / len(held.per_week)


def test_a_district_truces_rates_are_not_driven_by_events_placed_only_to_the_province(
    imported: cm.Dataset,
) -> None:
    """The memorandum's terms over Ariha district alone: UCDP places some clashes only to Idlib
    Governorate (where_prec 4), so they possibly lie in the district. Half the violations of
    the weeks before are such; the definite rate rose from 0.3 to 0.9 a week, where counting
    both it seemed to rise from 0.6 to 1.1."""
    ariha = attrs.evolve(
        sochi(),
        id="ariha-truce",
        name="Ariha truce",
        scope=["ucdp-syria/idlib-governorate/ariha-district"],
    )
    ds = imported.with_records([cm.Actor(id="russia", name="Russia", kind="state"), ariha])
    held = cm.ceasefire_durability(ds, "ariha-truce")
    weeks = len(held.per_week)
    assert (held.start, weeks, held.spread) == (datetime.date(2018, 9, 17), 63, 0)
    found = cm.ceasefire_violations(ds, "ariha-truce")
    counts = weekly(found, held.start, weeks)
    assert held.per_week == {w: counts[cm.Certainty.DEFINITE][w] for w in held.per_week}
    assert held.possible_per_week == {w: counts[cm.Certainty.POSSIBLE][w] for w in held.per_week}
    totals = [sum(held.per_week.values()), sum(held.possible_per_week.values())]
    assert totals == [55, 12]
    assert sum(totals) == len({v.event for v in found if v.counted})
    assert (sum(held.before.values()), sum(held.possible_before.values())) == (19, 18)
    by_id = {f"ucdp-ged-{r['id']}": r for r in rows(PATH)}
    possible = {v.event for v in found if v.event} - {
        v.event for v in found if v.certainty is cm.Certainty.DEFINITE
    }
    placed = {(by_id[e]["adm_1"], by_id[e]["adm_2"], by_id[e]["where_prec"]) for e in possible}
    assert placed == {("Idlib Governorate", "", "4")}
    # The weeks before, judged as ceasefire_violations judges an agreement in force then.
    first = held.start - datetime.timedelta(weeks=weeks)
    earlier = attrs.evolve(
        ariha, id="earlier", effective=f"{first}/{held.start - datetime.timedelta(days=1)}"
    )
    counts = weekly(cm.ceasefire_violations(ds.with_records([earlier]), "earlier"), first, weeks)
    assert held.before == {w: counts[cm.Certainty.DEFINITE][w] for w in held.before}
    assert held.possible_before == {w: counts[cm.Certainty.POSSIBLE][w] for w in held.before}
    lines = list(held.lines())
    assert "definitely violating events per week: 0.9 in force, 0.3 in the 63 weeks before" in lines
    assert (
        "only possibly violating events per week, left out of those rates: 0.2 in force "
        "(12 in all), 0.3 in the 63 weeks before (18 in all)"
    ) in lines
