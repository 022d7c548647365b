"""Results in notebooks: HTML tables with names, escaped, and frames."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

import conflictmodel as cm
from conflictmodel import tables


def test_html_of_datasets_records_and_results_names_and_escapes() -> None:
    ds = cm.examples.idlib_2020()
    marked = ds.with_records([cm.Actor(id="x", name="<b>Bad & co</b>", kind="militia")])
    page = marked._repr_html_()
    assert "<td>actors</td><td>11</td>" in page
    assert "Events, by time" in page
    assert "&lt;b&gt;Bad &amp; co&lt;/b&gt;" in marked.actors["x"]._repr_html_()
    casualties = cm.casualties_by_actor(ds)._repr_html_()
    assert casualties.index("Syrian Arab Army") < casualties.index("Turkish Armed Forces")
    assert "<td>Syria</td>" in casualties
    violations = cm.ceasefire_violations(ds)
    assert f"{len(violations)} violations" in violations._repr_html_()
    held = cm.control_timeline(ds, "saraqeb")._repr_html_()
    assert "Who held Saraqeb" in held
    assert "<td>Syrian Arab Army</td>" in held
    assert "<td>Syrian Arab Army</td>" in violations._repr_html_()
    assert "<td>Idlib ceasefire</td>" in violations._repr_html_()
    matrix = cm.casualty_matrix(ds)._repr_html_()
    assert "<td>Turkish Armed Forces</td><td>Syrian Arab Army</td><td>27 to 29</td>" in matrix
    retaliation = ds.events["retaliation-2020-02-03"]
    fields = retaliation._repr_html_()
    assert fields.count("<tr>") == 1 + len(attrs.fields(type(retaliation))) > 10
    assert "<td>reported_total</td>" in fields
    assert "more</td>" not in fields


def test_results_become_frames() -> None:
    ds = cm.examples.idlib_2020()
    violations = cm.ceasefire_violations(ds)
    assert isinstance(violations, list)
    assert list(violations.to_frame()["violator"]) == [v.violator for v in violations]
    assert set(cm.casualties_by_actor(ds).to_frame()["actor"]) == set(cm.casualties_by_actor(ds))
    frame = violations.to_frame()
    assert list(frame["violator_name"]) == [
        None if v.violator is None else ds.actors[v.violator].name for v in violations
    ]
    assert set(frame["agreement_name"]) == {"Idlib ceasefire"}
    assert list(frame["explanation"]) == list(violations.lines())
    assert frame["explanation"][0].startswith("Syria possibly violated Idlib ceasefire")
    timeline = cm.control_timeline(ds, "saraqeb").to_frame()
    assert list(timeline["holder"]) == ["hts", "syrian-army"]
    assert list(timeline["holder_name"]) == ["Hayat Tahrir al-Sham", "Syrian Arab Army"]
    assert set(timeline["location_name"]) == {"Saraqeb"}
    matrix = cm.casualty_matrix(ds, roll_up=True).to_frame()
    assert list(matrix["perpetrator_names"]) == ["Turkey", "Turkey", "Syria"]
    assert list(matrix["victim_name"]) == ["Syria", "Syrian civilians", "Turkey"]
    assert str(timeline["end"][0].date()) == "2020-02-06"
    assert str(timeline["start"].dtype) == str(timeline["end"].dtype) == "datetime64[s]"
    table = cm.casualties_by_actor(ds).to_frame()
    assert {
        str(table[f"{m}_{p}"].dtype) for m in ("killed", "injured") for p in ("low", "best", "high")
    } == {"Int64"}


def test_engine_totals_give_the_frame_and_table_of_the_datasets(tmp_path: Path) -> None:
    pytest.importorskip("ibis")
    ds = cm.examples.idlib_2020()
    tables.write(ds, tmp_path / "seed")
    opened = tables.open(tmp_path / "seed")
    every: list[dict[str, Any]] = [{}, {"according_to": "turkey", "roll_up": True}]
    for options in every:
        found = cm.casualties_by_actor(opened, **options)
        expected = cm.casualties_by_actor(ds, **options)
        assert found.to_frame().equals(expected.to_frame())
        assert found._repr_html_() == expected._repr_html_()
        assert pickle.loads(pickle.dumps(found)).to_frame().equals(expected.to_frame())
    assert "<td>Syrian Arab Army</td>" in cm.casualties_by_actor(opened)._repr_html_()


def test_an_import_report_shows_short_in_a_notebook_and_keeps_every_refusal() -> None:
    builder = cm.io.report.ReportBuilder("events.csv", "demo format")
    builder.row_read(12_000)
    for line in range(2, 14):
        builder.refuse(line, f"line {line} has <no> date")
    builder.normalise(2, "e1", "high", 1, 2, "high below best: set to best")
    report = builder.finish({"events": 11_988, "agreements": 1})
    assert repr(report) == (
        "<ImportReport events.csv (demo format): 12,000 rows read, 11,988 imported, "
        "12 refused, 1 values normalised>"
    )
    assert "records made: 11,988 events, 1 agreement" in str(report)
    page = report._repr_html_()
    assert "<td>normalised 1 × high</td><td>high below best: set to best</td>" in page
    assert "line 11 has &lt;no&gt; date" in page
    assert "line 12 has" not in page
    assert "… 2 more" in page
    seed = repr(cm.examples.idlib_2020())
    assert seed.startswith("<Dataset: 10 actors, 12 locations, 1 agreement,")


def test_a_durability_reads_as_the_command_prints_it_and_shows_as_a_table() -> None:
    held = cm.ceasefire_durability(cm.examples.karabakh_2020(), "moscow-truce-2020-10-10")
    lines = list(held.lines())
    assert lines[0] == "Moscow humanitarian truce: in force from 2020-10-10, until 2020-10-17"
    assert "held: 4 days" in lines
    assert lines[-1] == (
        "shares of the 5 of 7 violations with a known or alleged violator (2 undetermined, left "
        "out): Armenia 60%, Azerbaijan 40%"
    )
    page = held._repr_html_()
    assert "<caption>Moscow humanitarian truce: in force from 2020-10-10" in page
    assert "<td>possibly broken before</td><td>2020-10-10 by undetermined: Armenian" in page
    assert pickle.loads(pickle.dumps(held)).names == held.names


def test_totals_for_a_period_say_that_events_meeting_it_count_in_full(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    tables.write(ds, tmp_path / "idlib")
    opened = tables.open(tmp_path / "idlib")
    note = "Every event meeting 2020-02 counts in full, also one that lasts longer"
    for source in (ds, opened):
        found = cm.casualties_by_actor(source, period="2020-02")
        assert str(found.period) == "2020-02"
        assert list(found.lines())[-1].startswith(note)
        assert "casualties_over_time() shares those out" in list(found.lines())[-1]
        assert str(found).splitlines()[-1].startswith(note)
        assert note in found._repr_html_()
        assert pickle.loads(pickle.dumps(found)).period == found.period
        plain = cm.casualties_by_actor(source)
        assert plain.period is None
        assert "counts in full" not in "\n".join([*plain.lines(), str(plain), plain._repr_html_()])
