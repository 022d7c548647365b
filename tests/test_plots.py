"""Charts, tested by the data they draw: figures per period, bands, claims apart, credit."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from matplotlib.collections import LineCollection
from tests.io.ucdp_files import GED191_SAMPLE

import conflictmodel as cm
from conflictmodel import plots
from conflictmodel.io.ucdp import read_ged
from conflictmodel.plots.casualties import ALL_OTHERS


@pytest.fixture(scope="module")
def ged() -> cm.Dataset:
    return read_ged(GED191_SAMPLE, progress=False).dataset


def _panel(figure: Any, title: str) -> Any:
    return next(axes for axes in figure.axes if axes.get_title(loc="left") == title)


def _line(axes: Any, label: str) -> list[float]:
    line = next(line for line in axes.get_lines() if line.get_label().startswith(label))
    return [float(y) for y in line.get_ydata()[:-1]]


def test_casualty_chart_draws_the_frame_with_long_events_apart(ged: cm.Dataset) -> None:
    figure = plots.casualties_figure(ged, top=3)
    data = plots.casualties_chart_data(ged, top=3)
    government = "Government of Syria"
    panel = _panel(figure, government)
    assert _line(panel, "best") == [float(v) for v in data[government]["best"]]
    assert _line(panel, "not dated") == pytest.approx(list(data[government]["spread"]))
    month = list(data.index).index(data.index[data.index.astype(str) == "2016-07"][0])
    own = sum(
        entry.killed.best_or_low
        for event in ged.events.values()
        if isinstance(event, cm.Engagement)
        and str(event.when.start)[:7] == str(event.when.end)[:7] == "2016-07"
        for entry in event.casualties
        if entry.actor == ged.actor(government).id and entry.killed is not None
    )
    assert _line(panel, "best")[month] == own
    assert panel.get_ylim()[0] == 0
    assert "CC BY 4.0" in " ".join(text.get_text() for text in figure.texts)
    assert "UCDP" in plots.credit(ged)


def test_the_map_data_gives_each_events_first_and_last_day(ged: cm.Dataset) -> None:
    data = plots.events_map_data(ged).set_index("id")
    for event_id, row in data.iterrows():
        when = ged.events[str(event_id)].when
        assert (row["first_day"].date(), row["last_day"].date()) == (when.start, when.end)


def test_the_low_high_band_is_drawn_only_where_a_range_is_stated(ged: cm.Dataset) -> None:
    def labels(figure: Any, actor: str) -> list[str]:
        return [str(c.get_label()) for c in _panel(figure, actor).collections]

    assert "low–high" not in labels(plots.casualties_figure(ged, top=3), "Government of Syria")
    seed = plots.casualties_figure(cm.examples.idlib_2020())
    assert "low–high" in labels(seed, "Syrian Arab Army")
    assert "low–high" not in labels(seed, "Turkish Armed Forces")


def test_all_others_have_no_low_or_high_where_one_of_them_has_none(ged: cm.Dataset) -> None:
    """UCDP's figures state no range: summed into "all others" they state none either (a low
    or high nobody stated is not 0), and every panel's axis holds its best line."""
    data = plots.casualties_chart_data(ged, top=1)
    others = data[ALL_OTHERS]
    counted = others[others["best"] > 0]
    assert len(counted)
    assert counted["low"].isna().all()
    assert counted["high"].isna().all()
    figure = plots.casualties_figure(ged, top=1)
    axes = _panel(figure, ALL_OTHERS)
    assert max(_line(axes, "best")) <= axes.get_ylim()[1]


def test_claims_are_drawn_apart_and_named(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    figure = plots.casualties_figure(ds)
    civilians = _panel(figure, "Syrian civilians")
    labels = [line.get_label() for line in civilians.get_lines()]
    assert "claimed by Syria, not in the record" in labels
    assert _line(civilians, "best") == [0.0]
    written = plots.casualties_chart(ds, tmp_path / "c.png")
    assert written.read_bytes().startswith(b"\x89PNG")


def test_a_legend_names_the_first_claimants_and_counts_the_rest() -> None:
    seed = cm.examples.idlib_2020()
    (claim,) = [c for c in seed.claims.values() if isinstance(c.statement, cm.CasualtyFigure)]
    names = [f"Monitor {n}" for n in range(5)]
    monitors = [
        cm.Actor(id=f"monitor-{n}", name=name, kind="media") for n, name in enumerate(names)
    ]
    echoes = [
        cm.Claim(id=f"echo-{m.id}", claimant=m.id, statement=claim.statement) for m in monitors
    ]
    ds = seed.with_records([*monitors, *echoes])
    labels = [
        line.get_label()
        for line in _panel(plots.casualties_figure(ds), "Syrian civilians").get_lines()
    ]
    assert "claimed by Monitor 0, Monitor 1, Monitor 2, 3 others, not in the record" in labels


def test_names_with_dollars_are_drawn_as_written(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    renamed = cm.Dataset(
        cm.Location(**{**_fields(r), "name": "Sara$q^$eb"}) if r.id == "saraqeb" else r
        for r in ds.records()
    )
    path = plots.place_timeline(renamed, "saraqeb", tmp_path / "p.png")
    assert path.stat().st_size > 0
    figure = plots.place_figure(renamed, "saraqeb")
    assert figure.axes[0].get_title(loc="left") == "Sara$q^$eb: events and who held it"


def _fields(record: cm.Record) -> dict[str, Any]:
    import attrs

    return {field.name: getattr(record, field.name) for field in attrs.fields(type(record))}


def test_events_in_year_one_and_wrong_targets_give_errors_not_tracebacks(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    ancient = cm.Engagement(
        id="ancient",
        when="0001-01-01",
        kind="attack",
        initiators=["syria"],
        targets=["turkey"],
        casualties=[cm.Casualties("turkey", killed=3)],
        where="saraqeb",
    )
    old = ds.with_records([ancient])
    draws: list[Callable[[Path], Path]] = [
        lambda path: plots.casualties_chart(old, path, freq="Y"),
        lambda path: plots.place_timeline(old, "saraqeb", path),
        lambda path: plots.events_map(old, path),
        lambda path: plots.violations_chart(old, "idlib-ceasefire-2020", path),
    ]
    for draw in draws:
        assert draw(tmp_path / "old.png").exists()
    with pytest.raises(plots.ChartError, match=r"\.txt"):
        plots.casualties_chart(ds, tmp_path / "p.txt")
    with pytest.raises(plots.ChartError, match="folder"):
        plots.casualties_chart(ds, tmp_path / "missing" / "p.png")
    assert not list(tmp_path.glob(".*.tmp"))


def test_violations_chart_marks_the_signing_and_counts_per_week() -> None:
    ds = cm.examples.idlib_2020()
    figure = plots.violations_figure(ds, "idlib-ceasefire-2020")
    data = cm.violations_over_time(ds, "idlib-ceasefire-2020")
    axes = figure.axes[0]
    assert _line(axes, "alleged") == [float(v) for v in data["alleged"]]
    assert any("signed 2020-01-12" in text.get_text() for text in axes.texts)


def test_map_sizes_points_by_killed_without_tolls() -> None:
    ds = cm.examples.idlib_2020()
    data = plots.events_map_data(ds)
    assert not any(isinstance(ds.events[i], cm.Toll) for i in data["id"])
    figure = plots.events_map_figure(ds)
    sizes = [size for c in figure.axes[0].collections for size in c.get_sizes()]
    assert max(sizes) > min(sizes)


def test_the_map_draws_a_dot_per_place_and_kind_and_an_image_of_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ds = cm.examples.idlib_2020()
    data = plots.events_map_data(ds)
    figure = plots.events_map_figure(ds)
    axes = figure.axes[0]
    dots = [c for c in axes.collections if len(c.get_offsets())]
    assert (
        sum(len(c.get_offsets()) for c in dots)
        == len(data.drop_duplicates(["place", "kind"]))
        < len(data)
    )
    assert axes.get_title(loc="left").startswith("11 events at 7 places")
    assert not any(c.get_rasterized() for c in dots)
    for module in ("events_map", "place"):
        monkeypatch.setattr(sys.modules[f"conflictmodel.plots.{module}"], "RASTERIZED_FROM", 1)
    assert all(c.get_rasterized() for c in plots.events_map_figure(ds).axes[0].collections[:1])
    drawn = plots.place_figure(ds, "idlib-governorate").axes[0].collections
    lines = [c for c in drawn if isinstance(c, LineCollection)]
    assert lines
    assert all(c.get_rasterized() for c in lines)


def test_the_map_leaves_out_events_placed_only_to_a_region_and_says_so() -> None:
    ds = read_ged(GED191_SAMPLE).dataset
    data = plots.events_map_data(ds)
    coarse = data[data["precision"].isin(["region", "wide_area", "country", "international"])]
    assert len(coarse)
    figure = plots.events_map_figure(ds)
    drawn = sum(len(c.get_offsets()) for c in figure.axes[0].collections)
    kept = data.drop(coarse.index)
    assert drawn == len(kept.drop_duplicates(["place", "kind"]))
    notes = [t.get_text() for t in figure.texts if t.get_text().startswith("Not drawn")]
    dead = int(coarse["killed"].sum())
    assert notes == [
        f"Not drawn: {len(coarse):,} events ({dead:,} killed) placed only to a region, "
        "a wide area or a country."
    ]


def test_the_charts_count_as_the_queries_with_the_same_options(tmp_path: Path) -> None:
    """The time series and the charts take every option of the query they draw, so a chart
    of graded events counts what the table of graded events counts, and says whose account
    it is."""
    graded = {
        "attack-2020-02-03": "confirmed",
        "retaliation-2020-02-03": "fair",
        "turkish-airstrike-2020-02-06": "weak",
    }
    ds = cm.examples.idlib_2020().with_records(
        [cm.Assessment(id=f"g-{e}", grade=g, event=e) for e, g in graded.items()]
    )
    for grade in (None, "confirmed", "fair", "weak"):
        frame = cm.casualties_over_time(ds, "Y", min_grade=grade, according_to="turkey")
        table = cm.casualties_by_actor(ds, min_grade=grade, according_to="turkey")
        summed = sum(int(frame[c].sum()) for c in frame.columns if c[1] in ("best", "claimed"))
        assert summed == sum(e.best_or_low for e in table.values())
        found = cm.violations_over_time(ds, "idlib-ceasefire-2020", "Y", min_grade=grade)
        violations = cm.ceasefire_violations(ds, "idlib-ceasefire-2020", min_grade=grade)
        within_a_year = [
            v
            for v in violations
            if v.when and v.when.start and v.when.end and v.when.start.year == v.when.end.year
        ]
        assert int(found["observed"].sum()) == sum(v.observed for v in within_a_year)
    fair = cm.casualties_over_time(ds, "Y", min_grade="fair")
    best = {c[0]: int(fair[c].sum()) for c in fair.columns if c[1] == "best"}
    assert best == {"Syrian Arab Army": 27, "Turkish Armed Forces": 8}
    assert len(cm.violations_over_time(ds, "idlib-ceasefire-2020", min_grade="fair")) > 0
    figure = plots.violations_figure(ds, "idlib-ceasefire-2020", according_to=["turkey", "russia"])
    assert figure.axes[0].get_title(loc="left").endswith(", as Turkey and Russia tell it")
    with pytest.raises(cm.ValidationError, match=r"casualties_chart\(min_grad=\.\.\.\): not an"):
        plots.casualties_chart(ds, tmp_path / "c.png", min_grad="fair")  # type: ignore[call-arg]


def test_the_map_says_how_many_of_its_events_are_aggregates() -> None:
    seed = cm.examples.idlib_2020()
    attack = seed.events["attack-2020-02-03"]
    ds = cm.Dataset(attrs.evolve(r, aggregate=True) if r is attack else r for r in seed.records())
    data = plots.events_map_data(ds).set_index("id")
    assert data["aggregate"].to_dict() == {
        event: event == "attack-2020-02-03" for event in data.index
    }
    title = plots.events_map_figure(ds).axes[0].get_title(loc="left")
    assert title.startswith("11 events (1 of them aggregates of several incidents) at 7 places")
    plain = plots.events_map_figure(seed).axes[0].get_title(loc="left")
    assert plain.startswith("11 events at 7 places")


def test_the_durability_chart_notes_the_aggregates_it_counts() -> None:
    seed = cm.examples.idlib_2020()
    attack = seed.events["attack-2020-02-03"]
    ds = cm.Dataset(attrs.evolve(r, aggregate=True) if r is attack else r for r in seed.records())

    def notes(data: cm.Dataset) -> list[str]:
        held = cm.ceasefire_durability(data, "idlib-ceasefire-2020")
        figure = plots.durability_figure(data, held)
        return [t.get_text() for t in figure.texts if "aggregate" in t.get_text()]

    assert notes(ds) == [
        "1 violating event in force is an aggregate of several incidents, each counted once."
    ]
    assert notes(seed) == []
