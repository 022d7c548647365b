"""How match weighs its evidence: a shared id, a day against a toll, actors far apart, spans."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest
from tests.io.ucdp_files import real_data

import conflictmodel as cm
from conflictmodel.io.ucdp import read_ged

SYRIA = real_data() / "ged_syria_2016-2019.csv"
SAMPLE_231 = real_data() / "ged231_sample_1000.csv"
needs_real = pytest.mark.skipif(
    not (SYRIA.exists() and SAMPLE_231.exists()), reason="real UCDP files not present"
)


@pytest.fixture(scope="module")
def releases() -> tuple[cm.Dataset, cm.Dataset]:
    """GED 23.1 (a sample) and the GED 19.1 Syria file: two releases of one dataset."""
    return read_ged(SAMPLE_231).dataset, read_ged(SYRIA).dataset


def _partners(found: cm.linkage.Matches) -> dict[str, str]:
    return {pair.a: pair.b for pair in found.pairs}


@needs_real
def test_an_event_kept_under_its_id_in_a_later_release_pairs_with_itself(
    releases: tuple[cm.Dataset, cm.Dataset],
) -> None:
    new, old = releases
    kept = sorted(new.events.keys() & old.events.keys())
    assert len(kept) == 42
    found = cm.match(new, old)
    partners = _partners(found)
    assert {event: partners.get(event) for event in kept} == {event: event for event in kept}
    # Revised to another place 63 km away, outside every window: the id still decides.
    (moved,) = [pair for pair in found.pairs if pair.a == "ucdp-ged-308867"]
    assert moved.score == 1.0
    assert moved.why.startswith("same id ucdp-ged-308867; same day; 62.7 km apart")


@needs_real
def test_without_ids_a_day_apart_outweighs_one_dead_more(
    releases: tuple[cm.Dataset, cm.Dataset],
) -> None:
    new, old = releases
    found = cm.match(new, old, same_id=False)
    partners = _partners(found)
    # Same day, town and dyad, 2 dead against 1; not 218201, a day earlier with 2 dead.
    assert partners["ucdp-ged-218691"] == "ucdp-ged-218691"
    kept = new.events.keys() & old.events.keys()
    assert sum(partners.get(event) == event for event in kept) >= 39
    assert all(not pair.why.startswith("same id") for pair in found.pairs)


@needs_real
def test_events_sharing_no_actor_far_apart_are_not_one_event(
    releases: tuple[cm.Dataset, cm.Dataset],
) -> None:
    new, old = releases
    found = cm.match(new, old)
    # Fatah Halab and JFS against the SDF is not Government against insurgents 73 km away.
    assert "ucdp-ged-378078" in found.unmatched_a
    assert [pair for pair in found.pairs if "no shared actors" in pair.why] == []


def _world(
    prefix: str, actors: Sequence[tuple[str, str, str]], events: Sequence[cm.Engagement]
) -> cm.Dataset:
    syria = cm.Location(id=f"{prefix}-syria", name="Syria", kind="country", point=cm.Point(35, 38))
    places = [
        cm.Location(
            id=f"{prefix}-{name}",
            name=name.title(),
            kind="town",
            within=syria.id,
            point=cm.Point(lat, lon),
        )
        for name, lat, lon in (
            ("aleppo", 36.2021, 37.1343),
            ("manbij", 36.5281, 37.9549),
            ("harbinafsah", 35.2436, 36.5131),
        )
    ]
    people = [cm.Actor(id=i, name=name, kind=kind) for i, name, kind in actors]
    return cm.Dataset([syria, *places, *people, *events])


def _clash(
    event_id: str,
    when: str,
    where: str,
    sides: tuple[str, ...],
    killed: int,
    *,
    precision: str = "exact",
    kind: str = "armed_clash",
) -> cm.Engagement:
    return cm.Engagement(
        id=event_id,
        when=when,
        where=where,
        where_precision=precision,
        kind=kind,
        initiators=[],
        targets=list(sides),
        casualties=[cm.Casualties(None, killed=killed)],
    )


UCDP_ACTORS = (
    ("u-gov", "Government of Syria", "state"),
    ("u-rebels", "Syrian insurgents", "rebel_group"),
    ("u-fatah", "Fatah Halab", "rebel_group"),
    ("u-sdf", "SDF", "rebel_group"),
)
ACLED_ACTORS = (
    ("a-msf", "Military Forces of Syria (2000-)", "state_forces"),
    ("a-fsa", "Free Syrian Army", "rebel_group"),
    ("a-sdf", "QSD: Syrian Democratic Forces", "rebel_group"),
)


def test_the_same_day_beats_the_same_toll_a_day_away() -> None:
    a = _world(
        "u",
        UCDP_ACTORS,
        [_clash("u-1", "2016-01-16", "u-harbinafsah", ("u-gov", "u-rebels"), 2)],
    )
    b = _world(
        "a",
        ACLED_ACTORS,
        [
            _clash("a-1", "2016-01-15", "a-harbinafsah", ("a-msf", "a-fsa"), 2),
            _clash("a-2", "2016-01-16", "a-harbinafsah", ("a-msf", "a-fsa"), 1),
        ],
    )
    assert [(p.a, p.b) for p in cm.match(a, b).pairs] == [("u-1", "a-2")]


def test_no_shared_actor_rules_a_pair_out_only_beyond_the_base_window() -> None:
    a = _world(
        "u",
        UCDP_ACTORS,
        [_clash("u-1", "2016-04-30", "u-aleppo", ("u-fatah", "u-sdf"), 1, precision="region")],
    )
    b = _world(
        "a",
        ACLED_ACTORS,
        [_clash("a-1", "2016-04-30", "a-manbij", ("a-msf", "a-fsa"), 1)],
    )
    assert cm.match(a, b).pairs == ()
    sdf = _world("a", ACLED_ACTORS, [_clash("a-1", "2016-04-30", "a-manbij", ("a-sdf",), 1)])
    assert [(p.a, p.b) for p in cm.match(a, sdf).pairs] == [("u-1", "a-1")]
    near = _world(
        "a", ACLED_ACTORS, [_clash("a-1", "2016-04-30", "a-aleppo", ("a-msf", "a-fsa"), 1)]
    )
    (pair,) = cm.match(a, near).pairs
    assert "no shared actors" in pair.why


def test_a_year_long_country_row_takes_a_large_toll_inside_it() -> None:
    a = _world(
        "u",
        UCDP_ACTORS,
        [_clash("u-1", "2016", "u-syria", ("u-gov", "u-rebels"), 1306, precision="country")],
    )
    month = _clash(
        "a-1", "2016-12", "a-aleppo", ("a-msf", "a-fsa"), 1641, precision="region", kind="shelling"
    )
    small = _clash("a-2", "2016-12-03", "a-aleppo", ("a-msf", "a-fsa"), 3, kind="shelling")
    (pair,) = cm.match(a, _world("a", ACLED_ACTORS, [month, small])).pairs
    assert (pair.a, pair.b) == ("u-1", "a-1")
    assert cm.match(a, _world("a", ACLED_ACTORS, [small])).pairs == ()


def test_events_in_two_countries_are_not_one_event() -> None:
    """A month-long row placed only to Syria (radius 500 km) is not a battle in Mosul, the
    same day and the same toll: Iraq is another country. A country whose name ISO does not
    know rules nothing out."""
    a = _world(
        "u",
        UCDP_ACTORS,
        [_clash("u-1", "2017-03", "u-syria", ("u-gov", "u-rebels"), 50, precision="country")],
    )
    iraq = cm.Location(id="a-iraq", name="Iraq", kind="country", point=cm.Point(33, 44))
    mosul = cm.Location(
        id="a-mosul", name="Mosul", kind="city", within="a-iraq", point=cm.Point(36.34, 43.13)
    )
    battle = _clash("a-1", "2017-03-10", "a-mosul", ("a-msf", "a-fsa"), 50, precision="exact")
    b = _world("a", ACLED_ACTORS, []).with_records([iraq, mosul, battle])
    assert cm.match(a, b).pairs == ()
    elsewhere = attrs.evolve(iraq, name="Mesopotamia")
    renamed = _world("a", ACLED_ACTORS, []).with_records([elsewhere, mosul, battle])
    assert [(pair.a, pair.b) for pair in cm.match(a, renamed).pairs] == [("u-1", "a-1")]


def test_a_merged_dataset_matches_a_source_by_the_records_it_reports() -> None:
    from conflictmodel.linkage.examples import two_sources

    ucdp, acled = two_sources()
    merged = cm.merge({"ucdp": ucdp, "acled": acled}, cm.match(ucdp, acled))
    found = cm.match(merged, ucdp)
    assert {(p.a, p.b) for p in found.pairs} == {
        ("ucdp-ged-1+acled-SYR1", "ucdp-ged-1"),
        ("ucdp-ged-2", "ucdp-ged-2"),
    }
    assert all(p.why.startswith("same id ucdp-ged-") for p in found.pairs)


@needs_real
def test_a_non_state_clash_is_not_a_state_based_one_at_the_same_place(
    releases: tuple[cm.Dataset, cm.Dataset],
) -> None:
    new, old = releases
    found = cm.match(new, old)
    # IS against the SDF (type 2) in As Sukhnah on 7 July 2017 is not the government against
    # IS there from 4 to 7 July (type 1), though they met in time and place and share IS.
    assert new.events["ucdp-ged-393041"].source_values["type_of_violence"] == "2"
    assert old.events["ucdp-ged-244069"].source_values["type_of_violence"] == "1"
    assert "ucdp-ged-393041" in found.unmatched_a
    assert "ucdp-ged-393041" in cm.match(new, old, same_id=False).unmatched_a


def _typed(event: cm.Engagement, code: str) -> cm.Engagement:
    return attrs.evolve(event, source_values={"type_of_violence": code})


def test_two_stated_types_of_violence_that_differ_rule_a_pair_out() -> None:
    """Same day, place, dyad and toll: a state-based clash (1) and a non-state one (2) are
    still two events. A side that states no type (ACLED), or a code that is not 1-3, rules
    nothing out, and a shared id still decides."""
    clash = _clash("u-1", "2016-04-30", "u-aleppo", ("u-gov", "u-rebels"), 4)
    same = _clash("a-1", "2016-04-30", "a-aleppo", ("a-msf", "a-fsa"), 4)

    def pairs(first: cm.Engagement, second: cm.Engagement) -> list[tuple[str, str]]:
        found = cm.match(_world("u", UCDP_ACTORS, [first]), _world("a", ACLED_ACTORS, [second]))
        return [(pair.a, pair.b) for pair in found.pairs]

    assert pairs(_typed(clash, "1"), _typed(same, "1")) == [("u-1", "a-1")]
    assert pairs(_typed(clash, "1"), _typed(same, "2")) == []
    assert pairs(_typed(clash, "1"), same) == [("u-1", "a-1")]
    assert pairs(_typed(clash, "1"), _typed(same, "9")) == [("u-1", "a-1")]
    recoded = attrs.evolve(_typed(same, "2"), id="u-1")
    a, b = _world("u", UCDP_ACTORS, [_typed(clash, "1")]), _world("a", ACLED_ACTORS, [recoded])
    (pair,) = cm.match(a, b).pairs
    assert pair.why.startswith("same id u-1")
    assert "type_of_violence 1 vs 2" in pair.why
