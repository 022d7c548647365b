"""Matching, crosswalks, merging and comparing sources, on real UCDP events as two sources."""

from __future__ import annotations

import csv
import itertools
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.io.ucdp_files import GED191_SAMPLE, real_data

import conflictmodel as cm
from conflictmodel.io.acled import read_acled
from conflictmodel.io.ucdp import read_ged
from conflictmodel.linkage import evaluate, match_fixed_window, source_of
from conflictmodel.linkage.examples import two_sources
from conflictmodel.linkage.synthetic import acled_from_ged

SYRIA = real_data() / "ged_syria_2016-2019.csv"
needs_real = pytest.mark.skipif(not SYRIA.exists(), reason="real UCDP files not present")


def _head(source: Path, target: Path, rows: int) -> Path:
    with open(source, encoding="utf-8") as file:
        target.write_text("".join(itertools.islice(file, rows + 1)), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def two_codings(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[cm.Dataset, cm.Dataset, dict[str, str]]:
    folder = tmp_path_factory.mktemp("linkage")
    ucdp = _head(SYRIA, folder / "ucdp.csv", 3000)
    truth = acled_from_ged(ucdp, folder / "acled.csv", seed=7)
    return read_ged(ucdp).dataset, read_acled(folder / "acled.csv").dataset, truth


@needs_real
def test_match_finds_the_true_pairs_where_fixed_windows_do_not(
    two_codings: tuple[cm.Dataset, cm.Dataset, dict[str, str]],
) -> None:
    a, b, truth = two_codings
    started = time.perf_counter()
    found = cm.match(a, b)
    assert time.perf_counter() - started < 60
    score = evaluate(found, truth)
    assert score.f1 >= 0.85, score
    assert score.precision >= 0.8
    assert score.recall >= 0.8
    baseline = evaluate(match_fixed_window(a, b), truth)
    assert baseline.f1 < 0.6, baseline
    assert len({p.b for p in found.pairs}) == len(found.pairs)
    assert len(found.pairs) + len(found.unmatched_a) == len(a.events)


@needs_real
def test_a_merge_counts_few_deaths_of_true_pairs_twice(
    two_codings: tuple[cm.Dataset, cm.Dataset, dict[str, str]],
) -> None:
    a, b, truth = two_codings

    def dead(ds: cm.Dataset, event_id: str) -> int:
        event = ds.events[event_id]
        figure = event.killed_total if isinstance(event, cm.Engagement) else None
        return 0 if figure is None or figure.best is None else figure.best

    def total(ds: cm.Dataset) -> int:
        return sum(e.best for e in cm.casualties_by_actor(ds).values() if e.best is not None)

    found = cm.match(a, b)
    missed = [y for x, y in truth.items() if x in found.unmatched_a and y in found.unmatched_b]
    # Among them were year-long, country-level UCDP rows of 1,306 and 643 dead.
    assert sum(dead(b, y) for y in missed) < 200, missed
    merged = cm.merge({"ucdp": a, "acled": b}, found)
    added = total(merged) - total(a)
    assert added == sum(dead(b, y) for y in found.unmatched_b)
    assert added < 0.02 * total(a)


def test_the_generator_is_deterministic_and_keeps_the_truth(tmp_path: Path) -> None:
    first = acled_from_ged(GED191_SAMPLE, tmp_path / "one.csv", seed=3)
    second = acled_from_ged(GED191_SAMPLE, tmp_path / "two.csv", seed=3)
    assert first == second
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    ds = read_acled(tmp_path / "one.csv").dataset
    assert set(first.values()) <= set(ds.events)
    assert set(first) <= set(read_ged(GED191_SAMPLE).dataset.events)


def test_pairs_say_why_and_frames_list_the_unmatched() -> None:
    ucdp, acled = two_sources()
    found = cm.match(ucdp, acled)
    assert [(p.a, p.b) for p in found.pairs] == [("ucdp-ged-1", "acled-SYR1")]
    assert "Government of Syria = Military Forces of Syria (2000-)" in found.pairs[0].why
    frame = found.to_frame()
    assert list(frame["a"]) == ["ucdp-ged-1", "ucdp-ged-2"]
    assert frame["b"].isna().tolist() == [False, True]


def test_an_event_of_no_known_time_stays_unmatched_in_its_place() -> None:
    ucdp, acled = two_sources()
    first = next(iter(ucdp.events.values()))
    undated = attrs.evolve(first, id="ucdp-undated", when="../..")
    with_undated = ucdp.with_records([undated])
    for found in (cm.match(with_undated, acled), match_fixed_window(with_undated, acled)):
        assert "ucdp-undated" in found.unmatched_a
        assert all(pair.a != "ucdp-undated" for pair in found.pairs)
    assert cm.match(with_undated, acled).pairs == cm.match(ucdp, acled).pairs


def test_one_to_many_lets_a_month_long_event_take_several_daily_ones() -> None:
    ucdp, acled = two_sources()
    month = attrs.evolve(ucdp.events["ucdp-ged-1"], when="2020-02")
    daily = [
        attrs.evolve(acled.events["acled-SYR1"], id=f"acled-SYR{n}", when=f"2020-02-0{n}")
        for n in (1, 2)
    ]
    a = cm.Dataset([month if r.id == month.id else r for r in ucdp.records()])
    b = cm.Dataset([*(r for r in acled.records() if r.collection != "events"), *daily])
    assert len(cm.match(a, b, min_score=0.3).pairs) == 1
    grouped = cm.match(a, b, aggregate="a", min_score=0.3)
    assert grouped.groups() == {"ucdp-ged-1": ("acled-SYR1", "acled-SYR2")}
    merged = cm.merge({"ucdp": a, "acled": b}, grouped)
    assert dict(cm.casualties_by_actor(merged, according_to="acled")) == {
        None: cm.Estimate.exact(16)
    }


def test_bad_windows_are_refused_naming_the_argument() -> None:
    ucdp, acled = two_sources()
    with pytest.raises(cm.ValidationError, match=r"match\(km=...\)"):
        cm.match(ucdp, acled, km=-1)
    with pytest.raises(cm.ValidationError, match=r"match\(b=...\)"):
        cm.match(ucdp, "acled.csv")  # type: ignore[arg-type]


def test_crosswalk_round_trips_through_an_edited_csv(tmp_path: Path) -> None:
    ucdp, acled = two_sources()
    walk = cm.crosswalk(ucdp, acled)
    assert [(link.a, link.b) for link in walk] == [("ucdp-actor-118", "acled-actor-msf")]
    walk.to_csv(tmp_path / "actors.csv", ucdp, acled)
    text = (tmp_path / "actors.csv").read_text(encoding="utf-8")
    assert "Government of Syria" in text
    edited = text + "ucdp-actor-4456,,acled-actor-hts,,analyst,yes\n"
    (tmp_path / "actors.csv").write_text(edited, encoding="utf-8")
    loaded = cm.Crosswalk.read_csv(tmp_path / "actors.csv")
    assert [(link.a, link.b, link.confirmed) for link in loaded] == [
        ("ucdp-actor-118", "acled-actor-msf", False),
        ("ucdp-actor-4456", "acled-actor-hts", True),
    ]
    again = cm.crosswalk(ucdp, acled, confirmed=[loaded.links[1]])
    assert ("ucdp-actor-4456", "acled-actor-hts") in {(link.a, link.b) for link in again}
    (tmp_path / "bad.csv").write_text("a,b\nucdp-actor-1,\n", encoding="utf-8")
    with pytest.raises(cm.ValidationError, match="line 2"):
        cm.Crosswalk.read_csv(tmp_path / "bad.csv")


def test_queries_can_follow_a_group_back_through_its_predecessors() -> None:
    from conflictmodel.linkage import successions

    groups = [
        cm.Actor(id=i, name=n, kind="rebel_group")
        for i, n in (("nusra", "Jabhat al-Nusra"), ("jfs", "Jabhat Fateh al-Sham"), ("hts", "HTS"))
    ]
    events = [
        cm.Engagement(
            id=f"e-{g.id}", when="2016-01-01", kind="attack", initiators=[g.id], targets=[]
        )
        for g in groups
    ]
    ds = cm.Dataset([*groups, *events])
    ds = ds.with_records(successions(ds))
    assert ds.predecessors("hts") == ("jfs", "nusra")
    assert [e.id for e in ds.events_involving("hts")] == ["e-hts"]
    found = ds.events_involving("hts", include_predecessors=True)
    assert sorted(e.id for e in found) == ["e-hts", "e-jfs", "e-nusra"]


def test_union_joins_identical_records_and_names_conflicting_fields() -> None:
    ucdp, _ = two_sources()
    assert (ucdp | ucdp) == ucdp
    changed = attrs.evolve(ucdp.events["ucdp-ged-1"], description="other words")
    other = cm.Dataset([changed if r.id == changed.id else r for r in ucdp.records()])
    with pytest.raises(cm.DatasetError, match=r"event 'ucdp-ged-1'\.description: differs"):
        ucdp | other
    assert cm.merge({"x": ucdp, "y": ucdp}) == ucdp


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**16), drop=st.sampled_from([0.0, 0.2, 0.5]))
def test_a_merge_split_by_claimant_gives_each_source_its_own_answers(
    seed: int, drop: float, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path_factory.mktemp("merge") / "acled.csv"
    acled_from_ged(GED191_SAMPLE, target, seed=seed, drop=drop, add=0.3)
    a, b = read_ged(GED191_SAMPLE).dataset, read_acled(target).dataset
    merged = cm.merge({"ucdp": a, "acled": b}, cm.match(a, b, days=400, km=500))
    for key, ds in (("ucdp", a), ("acled", b)):
        assert dict(cm.casualties_by_actor(merged, according_to=key)) == dict(
            cm.casualties_by_actor(ds)
        )
        reported = {
            claim.statement.record
            for claim in merged.claims_by(key)
            if isinstance(claim.statement, cm.linkage.Reported)
        }
        assert reported == set(ds.events)
    assert all(source_of(merged, e) for e in merged.events)
    once = sum(len(source_of(merged, e)) == 2 for e in merged.events)
    assert len(merged.events) == len(a.events) + len(b.events) - once


def test_source_agreement_compares_the_shared_events(tmp_path: Path) -> None:
    from conflictmodel.plots import source_agreement_chart

    ucdp, acled = two_sources()
    merged = cm.merge({"ucdp": ucdp, "acled": acled}, cm.match(ucdp, acled))
    (row,) = cm.source_agreement(merged).rows
    assert (row.first, row.second, row.matched) == ("ucdp", "acled", 1)
    assert (row.share_matched_first, row.share_matched_second) == (0.5, 1.0)
    assert (row.median_days_apart, row.toll_ratio) == (1.0, 0.8)
    assert row.share_same_actor == 1.0
    frame = cm.source_agreement(merged).to_frame()
    assert frame.loc[0, "matched"] == 1
    assert source_agreement_chart(cm.source_agreement(merged), tmp_path / "a.png").stat().st_size
    assert dict(cm.casualties_by_actor(merged)) == dict(cm.casualties_by_actor(ucdp))
    disputed = {str(d.subject): d.claimants for d in cm.disputes(merged)}
    assert disputed["date(ucdp-ged-1+acled-SYR1)"] == ("acled", "ucdp")
    assert disputed["toll(ucdp-ged-1+acled-SYR1)"] == ("acled", "ucdp")


def test_a_source_whose_figures_add_up_to_no_statable_toll_still_merges() -> None:
    """A best with no range beside a range with no best add up to neither a low nor a best,
    which no statement holds: the merged event's claims leave that toll out and keep each
    actor's own figure."""
    ucdp, acled = two_sources()
    event = ucdp.events["ucdp-ged-1"]
    assert isinstance(event, cm.Engagement)
    entries = (event.casualties[0], cm.Casualties("ucdp-actor-4456", killed="dozens"))
    mixed = _replaced(ucdp, attrs.evolve(event, casualties=entries))
    merged = cm.merge({"ucdp": mixed, "acled": acled}, cm.match(mixed, acled))
    statements = [claim.statement for claim in merged.claims_by("ucdp")]
    (reported,) = [
        s for s in statements if isinstance(s, cm.linkage.Reported) and s.record == event.id
    ]
    assert reported.killed is None
    figures = {
        s.actor: s.killed
        for s in statements
        if isinstance(s, cm.CasualtyFigure) and s.event == reported.event
    }
    assert figures == {
        "ucdp-actor-118": cm.Estimate.best_only(8),
        "ucdp-actor-4456": cm.Estimate.between(12, 99),
    }


def _replaced(ds: cm.Dataset, record: cm.Record) -> cm.Dataset:
    """``ds`` with ``record`` in place of the record of its id."""
    return cm.Dataset([record if r.id == record.id else r for r in ds.records()])


def _tolls_disputed(ucdp: cm.Dataset, acled: cm.Dataset) -> list[cm.Dispute]:
    merged = cm.merge({"ucdp": ucdp, "acled": acled}, cm.match(ucdp, acled))
    return [d for d in cm.disputes(merged) if d.subject.kind == "toll"]


def test_a_best_with_no_range_disagrees_with_another_number_and_agrees_with_its_own() -> None:
    """UCDP's best figures with no range are the numbers it states: a toll of 10 so given
    disputes ACLED's 8, and agrees with ACLED's 10 or its "about 10"."""
    ucdp, acled = two_sources()
    assert len(_tolls_disputed(ucdp, acled)) == 1
    event = acled.events["acled-SYR1"]
    assert isinstance(event, cm.Engagement)
    for killed in (10, "about 10"):
        said = attrs.evolve(event, casualties=[cm.Casualties(None, killed=killed)])
        assert _tolls_disputed(ucdp, _replaced(acled, said)) == []


def test_ten_thousand_against_ten_thousand_invented_events_match_in_seconds() -> None:
    from conflictmodel.linkage.synthetic import random_pair

    a, b, truth = random_pair(10_000, seed=1)
    started = time.perf_counter()
    found = cm.match(a, b)
    assert time.perf_counter() - started < 60
    assert evaluate(found, truth).f1 > 0.95


def test_match_and_merge_commands_read_ucdp_and_acled_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conflictmodel.cli import main

    acled = tmp_path / "acled.csv"
    truth = acled_from_ged(GED191_SAMPLE, acled, seed=5, add=0.0)
    assert main(["match", str(GED191_SAMPLE), str(acled), "-o", str(tmp_path / "m.csv")]) == 0
    rows = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()
    found = {tuple(row.split(",")[:2]) for row in rows[1:]}
    assert len(found & set(truth.items())) >= 0.6 * len(truth)
    assert main(["merge", str(GED191_SAMPLE), str(acled), "-o", str(tmp_path / "m.jsonl")]) == 0
    merged = cm.load(tmp_path / "m.jsonl")
    assert {"ucdp", "acled"} <= set(merged.actors)
    assert "pairs" in capsys.readouterr().out


def test_a_key_that_is_already_an_id_in_a_source_is_refused_by_name() -> None:
    seed, other = cm.examples.idlib_2020(), two_sources()[0]
    with pytest.raises(
        cm.ValidationError,
        match=r"key 'syria' .* but actor 'syria' \(Syria\) of 'seed' has it; give the sources",
    ):
        cm.merge({"seed": seed, "syria": other}, cm.match(seed, other))


def test_the_merge_command_numbers_on_a_key_from_a_file_name_that_is_taken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conflictmodel.cli import main

    seed, other = tmp_path / "seed.jsonl", tmp_path / "syria.jsonl"
    cm.dump(cm.examples.idlib_2020(), seed)
    cm.dump(two_sources()[0], other)
    assert main(["merge", str(seed), str(other), "-o", str(tmp_path / "m.jsonl")]) == 0
    merged = cm.load(tmp_path / "m.jsonl")
    assert merged.actors["syria"].name == "Syria"
    assert merged.actors["syria-2"].kind is cm.ActorKind.DATASET
    assert {c.claimant for c in merged.claims.values()} >= {"seed", "syria-2"}
    capsys.readouterr()


def test_a_merge_of_real_events_disputes_no_attribution_to_one_group_under_two_names(
    tmp_path: Path,
) -> None:
    """The crosswalk links UCDP's "IS" and ACLED's "Islamic State (Syria)" (and the SDF, the
    government, ...): attributions to the two records of one group are no dispute."""
    truth = tmp_path / "acled.csv"
    acled_from_ged(GED191_SAMPLE, truth, seed=11, drop=0.2, add=0.3)
    a, b = read_ged(GED191_SAMPLE).dataset, read_acled(truth).dataset
    merged = cm.merge({"ucdp": a, "acled": b}, cm.match(a, b))
    names = {merged.actors[actor].name for actor in merged.same_as("ucdp-actor-234")}
    assert names == {"IS", "Islamic State (Syria)"}
    with_the_crosswalk = [line for line in cm.disputes(merged).lines() if "attribution" in line]
    assert len(with_the_crosswalk) == 1
    assert "record Syrian insurgents vs acled asserts Faylaq al Rahman" in with_the_crosswalk[0]
    unlinked = cm.Dataset(
        r for r in merged.records() if not (isinstance(r, cm.Relation) and r.kind == "same_as")
    )
    assert len([d for d in cm.disputes(unlinked) if d.subject.kind == "attribution"]) == 5


def _week_and_days() -> tuple[cm.Dataset, cm.Dataset, cm.Dataset, cm.Engagement]:
    """The two sources, the first with a week of clashes it reports together (an aggregate),
    the second with three days of them reported apart; and the first without the week."""
    ucdp, acled = two_sources()
    week = cm.Engagement(
        id="ucdp-ged-9",
        when="2020-02-10/2020-02-16",
        where="u-saraqeb",
        where_precision="exact",
        kind="armed_clash",
        initiators=[],
        targets=["ucdp-actor-118", "ucdp-actor-4456"],
        casualties=[cm.Casualties("ucdp-actor-118", killed=12)],
        aggregate=True,
    )
    days = [
        cm.Engagement(
            id=f"acled-SYR{n}",
            when=day,
            where="a-saraqab",
            where_precision="exact",
            kind="armed_clash",
            initiators=[],
            targets=["acled-actor-msf", "acled-actor-hts"],
            casualties=[cm.Casualties(None, killed=killed)],
        )
        for n, day, killed in [(2, "2020-02-11", 5), (3, "2020-02-12", 7), (4, "2020-02-14", 3)]
    ]
    return ucdp.with_records([week]), acled.with_records(days), ucdp, week


def test_a_flagged_aggregate_of_several_incidents_takes_each_of_them() -> None:
    """With ``aggregate="flagged"``, a week of clashes one source reports together is matched
    with each day the other reports apart (each a part of its toll); by default, or without
    the flag, one event takes one: the day whose toll is closest to the week's."""
    a, b, ucdp, week = _week_and_days()
    found = cm.linkage.match(a, b, aggregate="flagged")
    assert sorted((p.a, p.b) for p in found.pairs) == [
        ("ucdp-ged-1", "acled-SYR1"),
        ("ucdp-ged-9", "acled-SYR2"),
        ("ucdp-ged-9", "acled-SYR3"),
        ("ucdp-ged-9", "acled-SYR4"),
    ]
    (second_day,) = [p for p in found.pairs if p.b == "acled-SYR2"]
    assert second_day.why.endswith(
        "killed 12 vs 5; ucdp-ged-9 is an aggregate of several incidents, this one among them"
    )
    merged = cm.linkage.merge({"ucdp": a, "acled": b}, found)
    (whole,) = [e for e in merged.events.values() if e.id.startswith("ucdp-ged-9+")]
    assert sorted(whole.id.split("+")) == ["acled-SYR2", "acled-SYR3", "acled-SYR4", "ucdp-ged-9"]
    assert whole.aggregate
    single = ucdp.with_records([attrs.evolve(week, aggregate=False)])
    for one_to_one in (cm.linkage.match(a, b), cm.linkage.match(single, b, aggregate="flagged")):
        assert [(p.a, p.b) for p in one_to_one.pairs] == [
            ("ucdp-ged-1", "acled-SYR1"),
            ("ucdp-ged-9", "acled-SYR3"),
        ]
    backwards = cm.linkage.match(b, a, aggregate="flagged")
    assert sorted((p.a, p.b) for p in backwards.pairs) == sorted((p.b, p.a) for p in found.pairs)


def test_the_match_command_takes_the_aggregate_option(tmp_path: Path) -> None:
    from conflictmodel.cli import main

    a, b, _, _ = _week_and_days()
    cm.dump(a, tmp_path / "a.json")
    cm.dump(b, tmp_path / "b.json")
    files = [str(tmp_path / "a.json"), str(tmp_path / "b.json"), "-o", str(tmp_path / "m.csv")]
    for option, partners in (
        ([], ["acled-SYR3"]),
        (["--aggregate", "flagged"], ["acled-SYR2", "acled-SYR3", "acled-SYR4"]),
    ):
        assert main(["match", *files, *option]) == 0
        with (tmp_path / "m.csv").open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        assert sorted(row["b"] for row in rows if row["a"] == "ucdp-ged-9") == partners
