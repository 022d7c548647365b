"""ceasefire_violations on the real UCDP Syria release, with the 2018 Sochi memorandum on Idlib."""

from __future__ import annotations

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
    # A clash of a bound party with HTS, whom the memorandum leaves out, breaks nothing.
    half_bound = {
        f"ucdp-ged-{r['id']}"
        for r in in_idlib
        if r["type_of_violence"] in "12"
        and [side(r["side_a_new_id"]), side(r["side_b_new_id"])].count(None) == 1
        and HTS not in (r["side_a_new_id"], r["side_b_new_id"])
    }
    # Placed only to Syria, possibly in Idlib: listed as not judged, with the reason.
    countrywide = {
        f"ucdp-ged-{r['id']}"
        for r in countrywide_rows
        if r["type_of_violence"] in "12" or side(r["side_a_new_id"]) is not None
    }
    assert len(countrywide) == 26
    assert {u.event for u in found.unassessed} == half_bound | countrywide
    reasons = {u.event: u.reason for u in found.unassessed}
    assert all(reasons[e].startswith("placed only to the country") for e in countrywide)
    assert all(f"ucdp-actor-{HTS}" not in v.parties for v in found)


def test_the_weekly_rates_on_the_real_file_say_how_many_violate_only_possibly(
    imported: cm.Dataset,
) -> None:
    """Of the events violating the memorandum week by week, those every violation of which is
    only possible (placed too coarsely, or dated across the start) are counted apart."""
    ds = imported.with_records([cm.Actor(id="russia", name="Russia", kind="state"), sochi()])
    found = cm.ceasefire_violations(ds, "sochi-2018")
    held = cm.ceasefire_durability(ds, "sochi-2018")
    definite = {v.event for v in found if v.certainty is cm.Certainty.DEFINITE}
    possible_only = {v.event for v in found if v.counted} - definite
    assert possible_only
    in_a_week = sum(held.possible_per_week.values())
    assert 0 < in_a_week <= len(possible_only)
    assert all(held.possible_per_week[w] <= n for w, n in held.per_week.items())
    assert held.possible_rate == in_a_week / len(held.per_week)
    assert f"(of which {held.possible_rate:.1f} only possibly)" in "\n".join(held.lines())
