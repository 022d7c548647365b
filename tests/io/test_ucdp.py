"""The UCDP GED importer on the shipped fixture, on broken files, and on the real releases."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.io.ucdp_files import FIXTURES, GED191_SAMPLE, GED231_SAMPLE, real_data, rows

import conflictmodel as cm
from conflictmodel.io import ucdp
from conflictmodel.io._csvfile import _count_records
from conflictmodel.io.report import (
    ImportFormatError,
    ImportResult,
    ImportRowError,
    Normalised,
    Refused,
)
from conflictmodel.io.ucdp import read_ged

DEATHS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
EDITED = FIXTURES / "ucdp" / "ged191_edited.csv"
BEST_RULE = "best is not the sum of the four deaths_* columns: both kept as given"
REFERENCE_RULE = (
    "the same reference quoted more than once: one source made, the cell kept in source_values"
)
DATE_PREC_RULE = (
    "date_prec does not fit the days from date_start to date_end "
    "(1: 1, 2: 2-6, 3: 7, 4: 8-31, 5: 32 or more): span kept as dated"
)


def check_faithful(result: ImportResult, path: Path) -> None:
    """Every row is an event whose figures, actors and span are the file's."""
    ds = result.dataset
    source_rows = rows(path)
    assert len(ds.events) == len(source_rows) == result.report.rows_read
    for row in source_rows:
        event = ds.events[f"ucdp-ged-{row['id']}"]
        assert isinstance(event, cm.Engagement)
        killed = {entry.actor: entry.killed for entry in event.casualties}
        best = {
            actor: figure.best
            for actor, figure in killed.items()
            if figure is not None and figure.best is not None
        }
        side_a, side_b = f"ucdp-actor-{row['side_a_new_id']}", f"ucdp-actor-{row['side_b_new_id']}"
        deaths = {column: int(row[column]) for column in DEATHS}
        assert sum(best.values()) == sum(deaths.values())
        if row["type_of_violence"] == "3" and not deaths["deaths_a"]:
            assert side_a not in killed
        else:
            assert best[side_a] == deaths["deaths_a"]
        assert best.get(None, 0) == deaths["deaths_unknown"]
        if row["side_b_new_id"] == "1":
            assert best[side_b] == deaths["deaths_b"] + deaths["deaths_civilians"]
        else:
            assert best[side_b] == deaths["deaths_b"]
            assert best.get("ucdp-actor-1", 0) == deaths["deaths_civilians"]
        assert event.reported_total is not None
        assert event.reported_total.best == int(row["best"])
        assert str(event.when.start) == row["date_start"][:10]
        assert str(event.when.end) == row["date_end"][:10]
        assert ds.actors[side_a].external_ids == {"ucdp": row["side_a_new_id"]}
        assert ds.actors[side_a].name == row["side_a"]
        assert event.source_values["type_of_violence"] == row["type_of_violence"]
        assert event.where is not None
        country = ds.locations[[event.where, *ds.location_ancestors(event.where)][-1]]
        assert country.codes == {"gleditsch-ward": row["country_id"]}
    assert result.report.kept["type_of_violence"] == len(source_rows)


@pytest.mark.parametrize(
    ("path", "layout", "events"), [(GED191_SAMPLE, "19.1", 37), (GED231_SAMPLE, "23.x", 39)]
)
def test_both_layouts_import_every_row_faithfully(path: Path, layout: str, events: int) -> None:
    result = read_ged(path)
    assert layout in result.report.format
    assert result.report.refused == ()
    assert len(result.dataset.events) == events
    assert {n.field for n in result.report.normalised} - {"source_article"} == {"low", "high"}
    check_faithful(result, path)


def test_actors_are_one_per_ucdp_id_and_civilians_are_civilians() -> None:
    ds = read_ged(GED191_SAMPLE).dataset
    source = rows(GED191_SAMPLE)
    ids = {r[f"side_{s}_new_id"] for r in source for s in "ab"}
    if any(r["deaths_civilians"] != "0" for r in source):
        ids.add("1")
    assert {a.external_ids["ucdp"] for a in ds.actors.values()} == ids
    assert ds.actor("Government of Syria").kind is cm.ActorKind.STATE
    assert ds.actors["ucdp-actor-1"].kind is cm.ActorKind.CIVILIANS
    assert ds.actor("IS").kind is cm.ActorKind.REBEL_GROUP


def test_one_sided_violence_targets_civilians_and_clashes_name_no_initiator() -> None:
    ds = read_ged(GED191_SAMPLE).dataset
    engagements = [e for e in ds.events.values() if isinstance(e, cm.Engagement)]
    one_sided = [e for e in engagements if e.kind is cm.EngagementKind.ONE_SIDED_VIOLENCE]
    assert len(one_sided) == sum(r["type_of_violence"] == "3" for r in rows(GED191_SAMPLE))
    for event in one_sided:
        assert event.targets == ("ucdp-actor-1",)
        assert len(event.initiators) == 1
    for event in engagements:
        if event.kind is cm.EngagementKind.ARMED_CLASH:
            assert event.initiators == ()
            assert len(event.targets) == 2


def test_inconsistent_rows_are_kept_reported_and_widened() -> None:
    result = read_ged(GED191_SAMPLE)
    by_field: dict[str, int] = {}
    for entry in result.report.normalised:
        by_field[entry.field] = by_field.get(entry.field, 0) + 1
        event = result.dataset.events[entry.record]
        assert isinstance(event, cm.Engagement)
        assert event.source_values[entry.field] == entry.original
        assert event.reported_total is not None
        assert str(getattr(event.reported_total, entry.field)) == entry.new
    high_below = sum(int(r["high"]) < int(r["best"]) for r in rows(GED191_SAMPLE))
    low_above = sum(int(r["low"]) > int(r["best"]) for r in rows(GED191_SAMPLE))
    assert by_field == {"high": high_below, "low": low_above}
    assert high_below
    assert low_above


def test_coalitions_link_their_members() -> None:
    ds = read_ged(GED191_SAMPLE).dataset
    coalition = ds.actor("Ahrar al-Sham, Jabhat Fateh al-Sham")
    members = {r.source for r in ds.relations.values() if r.target == coalition.id}
    assert ds.actor("Ahrar al-Sham").id in members
    assert all(r.kind is cm.RelationKind.AFFILIATED_WITH for r in ds.relations.values())


def test_locations_nest_under_the_country_even_when_admin_names_are_missing() -> None:
    ds = read_ged(GED231_SAMPLE).dataset
    for row in rows(GED231_SAMPLE):
        event = ds.events[f"ucdp-ged-{row['id']}"]
        assert event.where is not None
        chain = [event.where, *ds.location_ancestors(event.where)]
        names = [ds.locations[place].name for place in chain]
        assert names[-1] == row["country"]
        assert ds.locations[chain[-1]].kind is cm.LocationKind.COUNTRY
        for column in ("adm_1", "adm_2"):
            if row[column]:
                assert row[column] in names
        assert len(chain) == 1 + bool(row["adm_1"]) + bool(row["adm_2"]) + (
            row["where_coordinates"] not in (row["country"], row["adm_1"], row["adm_2"])
        )


def test_sources_are_split_and_every_other_column_is_kept() -> None:
    result = read_ged(GED231_SAMPLE)
    ds = result.dataset
    row = next(r for r in rows(GED231_SAMPLE) if r["source_article"].count('";"') == 1)
    event = ds.events[f"ucdp-ged-{row['id']}"]
    articles = [s for s in event.sources if s.startswith("ucdp-source-")]
    assert len(articles) == 2
    offices = {office.strip() for office in row["source_office"].split(";")}
    originals = [ds.sources[s].title for s in event.sources if s.startswith("ucdp-original-")]
    expected = [o.strip() for o in row["source_original"].split(";") if o.strip() not in offices]
    assert originals == expected
    assert event.sources == (*articles, *(f"ucdp-original-{o.lower()}" for o in expected))
    assert event.source_values["source_original"] == row["source_original"]
    first = ds.sources[event.sources[0]]
    assert first.publisher
    assert first.published is not None
    assert event.source_values["relid"] == row["relid"]
    assert event.source_values["where_prec"] == row["where_prec"]
    assert "side_a" not in event.source_values
    assert result.report.kept["relid"] == len(ds.events)


def _broken_copy(tmp_path: Path, edits: dict[int, dict[str, str]]) -> Path:
    lines = GED191_SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    source = rows(GED191_SAMPLE)
    out = [lines[0]]
    for index, row in enumerate(source[:6]):
        row = {**row, **edits.get(index, {})}
        buffer = io.StringIO()
        csv.DictWriter(buffer, header, lineterminator="\n").writerow(row)
        out.append(buffer.getvalue())
    out.append("1,2,3\n")
    path = tmp_path / "broken.csv"
    path.write_text("".join(out), encoding="utf-8")
    return path


def test_bad_rows_are_refused_with_line_and_reason(tmp_path: Path) -> None:
    path = _broken_copy(
        tmp_path,
        {
            1: {"deaths_a": "two"},
            2: {"date_start": "2016-02-30"},
            3: {"type_of_violence": "4"},
            4: {"id": rows(GED191_SAMPLE)[0]["id"]},
        },
    )
    result = read_ged(path)
    refused = {r.line: r.reason for r in result.report.refused}
    assert sorted(refused) == [3, 4, 5, 6, 8]
    assert "deaths_a" in refused[3]
    assert "date_start" in refused[4]
    assert "type_of_violence" in refused[5]
    assert "line 2" in refused[6]
    assert "fields" in refused[8]
    assert result.report.rows_read == 7
    assert len(result.dataset.events) == 2
    assert "refused line 3" in str(result.report)


def test_a_value_under_an_unnamed_column_refuses_its_row(tmp_path: Path) -> None:
    """Source values need named columns: rows with a value under a nameless one are refused
    (the kept cells are checked once per distinct cell, with the rule of every event's)."""
    with GED191_SAMPLE.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))[:5]
    for number, cells in enumerate(table):
        cells.append("" if number == 0 else "x" if number % 2 else " ")
    path = tmp_path / "unnamed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    result = read_ged(path)
    assert [(r.line, r.reason.split(".")[-1]) for r in result.report.refused] == [
        (line, "source_values: keys must be non-empty text, got str ''") for line in (2, 4)
    ]
    assert len(result.dataset.events) == 2


def test_a_second_name_of_a_side_is_an_alias_reported_at_its_first_row(tmp_path: Path) -> None:
    renamed = {"side_a": "Syrian government"}
    path = _broken_copy(tmp_path, {1: renamed, 2: renamed, 3: {"side_b": "insurgents"}})
    result = read_ged(path)
    assert [(n.line, n.record, n.field, n.original, n.new) for n in result.report.normalised] == [
        (3, "ucdp-ged-214804", "side_a", "Syrian government", "Government of Syria"),
        (5, "ucdp-ged-214811", "side_b", "insurgents", "Syrian insurgents"),
    ]
    assert result.dataset.actors["ucdp-actor-118"].aliases == ("Syrian government",)


def test_errors_raise_stops_at_the_first_bad_row(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, {1: {"latitude": "north"}})
    with pytest.raises(ImportRowError, match=r"line 3: latitude"):
        read_ged(path, errors="raise")
    with pytest.raises(cm.ValidationError, match="errors must be"):
        read_ged(path, errors="ignore")  # type: ignore[arg-type]


def test_a_file_without_ucdp_columns_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="missing columns type_of_violence"):
        read_ged(path)
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="empty file"):
        read_ged(tmp_path / "empty.csv")


def test_progress_callback_sees_every_row() -> None:
    calls: list[tuple[int, int]] = []
    read_ged(GED191_SAMPLE, progress=lambda done, expected: calls.append((done, expected)))
    assert calls[-1] == (37, 37)


def test_progress_is_heard_before_the_rows_are_taken_and_once_they_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heard: list[object] = []
    prepare = ucdp._GedImport.prepare

    def preparing(importer: ucdp._GedImport, table: Any) -> dict[int, str]:
        heard.append("taking the rows")
        return prepare(importer, table)

    monkeypatch.setattr(ucdp._GedImport, "prepare", preparing)
    read_ged(GED191_SAMPLE, progress=lambda done, expected: heard.append((done, expected)))
    assert heard == [(0, 37), "taking the rows", (37, 37)]


def test_progress_bar_goes_to_stderr_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    read_ged(GED191_SAMPLE, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "importing" in captured.err
    assert "37/37" in captured.err


def test_each_import_makes_its_own_sources() -> None:
    """Sources are shared by the rows of one import, not kept for the next: a second import
    of the same file does all the work again."""
    first, second = (read_ged(GED191_SAMPLE).dataset for _ in range(2))
    assert first == second
    assert all(first.sources[key] is not second.sources[key] for key in first.sources)


def test_reading_a_file_imports_no_pandas() -> None:
    """pandas is not needed to read a file, and importing it would take 0.3 s."""
    code = (
        "import sys\nfrom conflictmodel.io.ucdp import read_ged\n"
        f"read_ged({str(GED191_SAMPLE)!r})\nprint('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_small_file_is_read_by_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyarrow import csv as arrow_csv

    threads: list[bool] = []
    read_csv = arrow_csv.read_csv

    def reading(*args: Any, **kwargs: Any) -> Any:
        threads.append(kwargs["read_options"].use_threads)
        return read_csv(*args, **kwargs)

    monkeypatch.setattr(arrow_csv, "read_csv", reading)
    assert len(read_ged(GED191_SAMPLE).dataset.events) == 37
    assert threads == [False]


REAL = real_data()
needs_real = pytest.mark.skipif(
    not (REAL / "ged_syria_2016-2019.csv").exists(), reason="real UCDP files not present"
)


@needs_real
def test_real_syria_release_imports_faithfully() -> None:
    path = REAL / "ged_syria_2016-2019.csv"
    result = read_ged(path)
    assert result.report.rows_read == len(result.dataset.events) == 16566
    assert result.report.normalised_counts() == {
        ("high", "high below best: set to best"): 71,
        ("low", "low above best: set to best"): 30,
        ("source_article", REFERENCE_RULE): 46,
    }
    check_faithful(result, path)
    codes = Counter(e.source_values["type_of_violence"] for e in result.dataset.events.values())
    assert codes == {"1": 11507, "2": 4577, "3": 482}
    (note,) = result.report.notes
    assert note.startswith("15 members of coalition sides are never a side of their own")
    assert note.endswith(
        ": 23rd Division, Ajnad al-Kavkaz, Ajnad al-Sham, Aknaf Bait al-Maqdis, "
        "ETIM, FSA, Jaysh al Nasr, Jaysh al-Sunna, Liwa al-Haq Idlib, Martyr Lieutenant Ahmed "
        "Abdou Brigades, Mujahideen Army, PFLP-GC, PLO, Sons of Yarmouk Movement, Suqour al-Sham "
        "Brigades"
    )
    assert result.report.to_dict()["notes"] == [note]
    assert f"  note: {note}" in list(result.report.lines())
    named = {name for actor in result.dataset.actors.values() for name in actor.names}
    assert not named & {"FSA", "ETIM", "PLO"}


@needs_real
@pytest.mark.parametrize(
    ("name", "aggregates"), [("ged_syria_2016-2019.csv", 622), ("ged231_sample_1000.csv", None)]
)
def test_rows_of_lower_clarity_are_aggregates(name: str, aggregates: int | None) -> None:
    """UCDP's ``event_clarity`` 2 (several incidents it could not tell apart) makes an
    aggregate event, 1 a single incident: row for row, as the file codes them."""
    path = REAL / name
    events = read_ged(path).dataset.events
    lower = {f"ucdp-ged-{row['id']}" for row in rows(path) if row["event_clarity"] == "2"}
    assert {event.id for event in events.values() if event.aggregate} == lower
    assert aggregates is None or len(lower) == aggregates
    assert len(lower) > 0
    yearly = events["ucdp-ged-233200"] if "syria" in name else None
    assert yearly is None or (str(yearly.when), yearly.aggregate) == ("2016", True)


@needs_real
def test_real_ged231_sample_imports_faithfully() -> None:
    path = REAL / "ged231_sample_1000.csv"
    result = read_ged(path)
    assert result.report.refused == ()
    assert result.report.normalised_counts() == {
        ("high", "high below best: set to best"): 5,
        ("low", "low above best: set to best"): 8,
        ("source_article", REFERENCE_RULE): 6,
    }
    check_faithful(result, path)


def test_progress_estimate_counts_records_not_lines(tmp_path: Path) -> None:
    text = GED191_SAMPLE.read_text(encoding="utf-8")
    header, first, *rest = text.splitlines(keepends=True)
    cells = next(csv.reader([first]))
    cells[next(csv.reader([header])).index("source_headline")] += '\na "quoted", second line'
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    path = tmp_path / "multi.csv"
    path.write_text(header + buffer.getvalue() + "".join(rest), encoding="utf-8")
    calls: list[tuple[int, int]] = []
    read_ged(path, progress=lambda done, expected: calls.append((done, expected)))
    assert calls[-1] == (37, 37)
    assert _count_records(path) == 38 < len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("lazy", [False, True])
def test_a_release_tag_dates_every_record(lazy: bool) -> None:
    tagged = read_ged(GED191_SAMPLE, release="GED 19.1", released="2019-06-01", lazy=lazy).dataset
    assert tagged.history.keys() == {(r.collection, r.id) for r in tagged.records()}
    assert {(v.release, str(v.recorded)) for (v,) in tagged.history.values()} == {
        ("GED 19.1", "2019-06-01 00:00:00+00:00")
    }
    assert cm.Dataset(tagged.records()) == read_ged(GED191_SAMPLE).dataset
    assert len(tagged.as_of("2019-05-31")) == 0
    assert tagged.as_of("2019-06-01") == tagged
    with pytest.raises(cm.ValidationError, match="not an ISO date"):
        read_ged(GED191_SAMPLE, released="June 2019", lazy=lazy)
    with pytest.raises(cm.ValidationError, match=r"Version\.release: must not be empty"):
        read_ged(GED191_SAMPLE, release="", lazy=lazy)


def test_a_coalition_naming_one_actor_twice_links_it_once(tmp_path: Path) -> None:
    path = _broken_copy(
        tmp_path,
        {
            1: {"side_a": "Syrian government"},
            2: {"side_b_new_id": "9999", "side_b": "Government of Syria, Syrian government"},
        },
    )
    ds = read_ged(path).dataset
    links = [r for r in ds.relations.values() if r.target == "ucdp-actor-9999"]
    assert [(r.source, r.kind) for r in links] == [
        ("ucdp-actor-118", cm.RelationKind.AFFILIATED_WITH)
    ]


def _variants(tmp_path: Path, changes: list[dict[str, str]]) -> Path:
    """The fixture's first row, then a copy of it for each of ``changes`` (ids 1, 2, ...)."""
    with GED191_SAMPLE.open(encoding="utf-8", newline="") as handle:
        header, first = list(csv.reader(handle))[:2]
    table = [header, first]
    for number, change in enumerate(changes, start=1):
        cells = dict(zip(header, first, strict=True)) | {"id": str(number)} | change
        table.append([cells[name] for name in header])
    path = tmp_path / "variants.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    return path


CHANGED_FIELDS = [
    ({"deaths_civilians": "3"}, {"casualties"}),
    ({"low": "9", "best": "9", "high": "9"}, {"reported_total"}),
    ({"high": "2"}, {"source_values"}),
    ({"source_article": '"AFP,2016-01-02,Shelling"'}, {"sources"}),
    ({"source_original": "Local Coordination Committees"}, {"sources", "source_values"}),
    ({"date_end": "2016-01-02"}, {"when"}),
    ({"where_coordinates": "Ariha town"}, {"where"}),
    ({"source_headline": "Another headline"}, {"source_values"}),
    ({"type_of_violence": "3"}, {"kind", "initiators", "targets", "source_values"}),
    ({"type_of_violence": "2"}, {"source_values"}),
    ({"date_prec": "4"}, {"source_values"}),
    ({"deaths_unknown": "1"}, {"casualties"}),
    ({"dyad_name": "Another dyad"}, {"description", "source_values"}),
]


@pytest.mark.parametrize(("change", "fields"), CHANGED_FIELDS)
def test_rows_differing_in_one_cell_differ_in_what_it_makes(
    tmp_path: Path, change: dict[str, str], fields: set[str]
) -> None:
    """Rows share what equal cells make; a row with one cell changed gets its own value for
    each field made from that cell, and equal values for the others."""
    events = read_ged(_variants(tmp_path, [{}, change])).dataset.events
    base, same, changed = (events[f"ucdp-ged-{key}"] for key in ("214797", "1", "2"))
    names = [field.name for field in attrs.fields(type(base)) if field.name != "id"]
    assert all(getattr(same, name) is getattr(base, name) for name in names)
    assert {name for name in names if getattr(changed, name) != getattr(base, name)} == fields


def test_sources_are_those_of_the_rows_taken_in_the_order_first_cited(tmp_path: Path) -> None:
    """A row refused before its sources are read adds none; a source is placed at the first
    row taken that cites it, a row's references before its original sources."""
    refused = {"source_article": '"AFP,2016-01-03,Refused"', "date_start": "2016-02-30"}
    cited = {"source_article": '"AFP,2016-01-04,Second"', "source_original": "LCC"}
    again = {"source_article": '"AFP,2016-01-03,Refused";"AFP,2016-01-04,Second"'}
    result = read_ged(_variants(tmp_path, [refused, cited, again]))
    assert [r.line for r in result.report.refused] == [3]
    sources = {source.title: source.id for source in result.dataset.sources.values()}
    assert list(sources)[1:] == ["Second", "LCC", "Refused"]
    assert result.dataset.events["ucdp-ged-2"].sources == (sources["Second"], sources["LCC"])
    assert result.dataset.events["ucdp-ged-3"].sources == (sources["Refused"], sources["Second"])


TAKEN_EDITS: dict[int, dict[str, str]] = {
    1: {"side_a": "Syrian government"},
    2: {"date_start": "2016-02-30"},
    3: {"side_a": "Syrian government"},
    4: {"id": " "},
    6: {"low": "9"},
    12: {"latitude": "35.5"},
    14: {"deaths_b": "9223372036854775807"},
    15: {"side_b": "civilians"},
    20: {"source_article": ""},
    22: {"source_original": "Local Coordination Committees"},
    23: {"deaths_b": "9223372036854775807", "deaths_civilians": "2", "low": "5"},
    24: {"best": "0"},
    25: {"date_prec": "4"},
    26: {"event_clarity": "0"},
    28: {"date_prec": "1"},
    30: {"id": " "},
}
"""Edits of the fixture's rows (from 0) that refuse rows at each step of taking them (cells,
empty ids, casualties over 2**63 - 1), report aliases, widened totals, a best that is not the
sum of the deaths and a date_prec that does not fit the span, and keep points."""


def _taken_files(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture with :data:`TAKEN_EDITS`, and the same with its first row again at its end
    (an id that repeats: every row is then taken one by one, as its fate may hang on others')."""
    with GED191_SAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *table = list(csv.reader(handle))
    for number, cells in TAKEN_EDITS.items():
        for column, value in cells.items():
            table[number][header.index(column)] = value
    paths = tmp_path / "edited.csv", tmp_path / "repeated.csv"
    for path, extra in zip(paths, ([], [table[0]]), strict=True):
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *table, *extra])
    return paths


@pytest.mark.parametrize("refusing", ["cells", "sources", "events"])
def test_rows_taken_column_by_column_are_taken_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusing: str
) -> None:
    """A file whose ids do not repeat is taken column by column; it gives the records and the
    report that taking its rows one by one gives, also where the classes refuse the sources
    or the events of some rows."""
    if refusing == "sources":
        pattern = re.compile(r"(?P<publisher>\s*)(?P<date>)(?P<title>SOHR,.*)", re.S)
        monkeypatch.setattr(ucdp, "_REFERENCE", pattern)
    elif refusing == "events":
        monkeypatch.setattr(ucdp, "_ids", lambda sources: tuple(s.id for s in sources) * 2)
    by_columns: list[int] = []
    take_columns = ucdp._GedImport._take_columns

    def spy(importer: ucdp._GedImport) -> dict[int, str]:
        by_columns.append(1)
        return take_columns(importer)

    monkeypatch.setattr(ucdp._GedImport, "_take_columns", spy)
    edited, repeated = _taken_files(tmp_path)
    columns, each = read_ged(edited), read_ged(repeated)
    assert by_columns == [1]
    assert cm.dumps(columns.dataset) == cm.dumps(each.dataset)
    assert columns.report.normalised == each.report.normalised
    assert columns.report.kept == each.report.kept
    again = f"id: '{rows(GED191_SAMPLE)[0]['id']}' repeats the event on line 2"
    first = {r.line: r.reason for r in columns.report.refused}.get(2, again)
    assert each.report.refused == (*columns.report.refused, Refused(39, first))
    by_class = {"cells": (), "sources": ("Source 'ucdp-",), "events": ("Engagement 'ucdp-",)}
    reasons = [r.reason for r in columns.report.refused]
    starts = ("id: empty", "date_start:", "event_clarity:", "Estimate.best:", *by_class[refusing])
    for start in starts:
        assert any(reason.startswith(start) for reason in reasons), start
    noted = {n.field for n in columns.report.normalised}
    assert {"best", "date_prec"} <= noted


def test_state_based_and_non_state_clashes_differ_in_their_kept_code() -> None:
    result = read_ged(EDITED)
    state, non_state = (result.dataset.events[f"ucdp-ged-{i}"] for i in ("214797", "214814"))
    assert isinstance(state, cm.Engagement)
    assert isinstance(non_state, cm.Engagement)
    assert state.kind is non_state.kind is cm.EngagementKind.ARMED_CLASH
    assert state.source_values["type_of_violence"] == "1"
    assert non_state.source_values["type_of_violence"] == "2"
    kept = next(line for line in result.report.lines() if "source values kept" in line)
    assert "type_of_violence" in kept.split(": ", 1)[1].split(", ")


def test_an_edited_file_keeps_what_contradicts_and_refuses_what_is_no_code() -> None:
    result = read_ged(EDITED)
    assert list(result.report.normalised) == [
        Normalised(4, "ucdp-ged-214804", "best", "2", "2", BEST_RULE),
        Normalised(5, "ucdp-ged-214808", "date_prec", "4", "2016-01-01", DATE_PREC_RULE),
    ]
    assert [(r.line, r.reason) for r in result.report.refused] == [
        (6, "event_clarity: '3' is not 1 (high clarity) or 2 (lower clarity)"),
        (7, "active_year: 'yes' is not 0 or 1"),
    ]
    events = result.dataset.events
    unsummed = events["ucdp-ged-214804"]
    assert isinstance(unsummed, cm.Engagement)
    assert unsummed.reported_total == cm.Estimate(2, 2, 2)
    assert [(c.actor, c.killed and c.killed.best) for c in unsummed.casualties] == [
        ("ucdp-actor-118", 0),
        ("ucdp-actor-4456", 0),
        ("ucdp-actor-1", 1),
    ]
    one_day = events["ucdp-ged-214808"]
    assert one_day.when == cm.when("2016-01-01")
    assert one_day.source_values["date_prec"] == "4"
    with pytest.raises(ImportRowError, match="line 6: event_clarity"):
        read_ged(EDITED, errors="raise")


def test_a_best_that_is_not_the_sum_of_the_deaths_is_kept_beside_them(tmp_path: Path) -> None:
    """The first row's deaths are 2 + 2 + 0 + 0 and its low, best and high 4."""
    changes = [{"best": "5", "high": "5"}, {"deaths_unknown": "1"}, {"best": "3", "high": "9"}]
    path = _variants(tmp_path, changes)
    result = read_ged(path, errors="raise")
    assert list(result.report.normalised) == [
        Normalised(3, "ucdp-ged-1", "best", "5", "5", BEST_RULE),
        Normalised(4, "ucdp-ged-2", "best", "4", "4", BEST_RULE),
        Normalised(5, "ucdp-ged-3", "low", "4", "3", "low above best: set to best"),
        Normalised(5, "ucdp-ged-3", "best", "3", "3", BEST_RULE),
    ]
    figures = []
    for number in (1, 2, 3):
        event = result.dataset.events[f"ucdp-ged-{number}"]
        assert isinstance(event, cm.Engagement)
        figures.append((event.reported_total, event.killed_total))
    assert figures == [
        (cm.Estimate(4, 5, 5), cm.Estimate.best_only(4)),
        (cm.Estimate(4, 4, 4), cm.Estimate.best_only(5)),
        (cm.Estimate(3, 3, 9), cm.Estimate.best_only(4)),
    ]
    check_faithful(result, path)


DATE_PREC_CASES = [
    ({"date_prec": "4"}, "2016-01-01"),
    ({"date_prec": "2"}, "2016-01-01"),
    ({"date_prec": "1", "date_end": "2016-01-02"}, "2016-01-01/2016-01-02"),
    ({"date_prec": "3", "date_end": "2016-01-08"}, "2016-01-01/2016-01-08"),
    ({"date_prec": "4", "date_end": "2016-02-01"}, "2016-01-01/2016-02-01"),
    ({"date_prec": "5", "date_end": "2016-01-31"}, "2016-01"),
    ({"date_prec": " 1 "}, None),
    ({"date_prec": "2", "date_end": "2016-01-06"}, None),
    ({"date_prec": "3", "date_end": "2016-01-07"}, None),
    ({"date_prec": "4", "date_end": "2016-01-08"}, None),
    ({"date_prec": "4", "date_end": "2016-01-31"}, None),
    ({"date_prec": "5", "date_end": "2016-02-01"}, None),
    ({"date_prec": "5", "date_end": "2016-12-31"}, None),
    ({"date_prec": ""}, None),
]


@pytest.mark.parametrize(("change", "noted"), DATE_PREC_CASES)
def test_a_date_prec_that_does_not_fit_the_span_is_reported_and_the_span_kept(
    tmp_path: Path, change: dict[str, str], noted: str | None
) -> None:
    """date_prec classes the days from date_start to date_end: 1 one, 2 two to six, 3 seven,
    4 eight to 31, 5 more (the first row is dated 2016-01-01 with date_prec 1)."""
    result = read_ged(_variants(tmp_path, [change]))
    event = result.dataset.events["ucdp-ged-1"]
    assert (str(event.when.start), str(event.when.end)) == (
        "2016-01-01",
        change.get("date_end", "2016-01-01"),
    )
    assert event.source_values.get("date_prec") == (change["date_prec"] or None)
    code = change["date_prec"].strip()
    expected = [] if noted is None else [(3, "ucdp-ged-1", "date_prec", code, noted)]
    assert [(n.line, n.record, n.field, n.original, n.new) for n in result.report.normalised] == (
        expected
    )
    assert noted is None or str(event.when) == noted


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"event_clarity": "3"}, "event_clarity: '3' is not 1 (high clarity) or 2 (lower clarity)"),
        (
            {"event_clarity": "1.0"},
            "event_clarity: '1.0' is not 1 (high clarity) or 2 (lower clarity)",
        ),
        ({"active_year": "2"}, "active_year: '2' is not 0 or 1"),
        ({"active_year": "True"}, "active_year: 'True' is not 0 or 1"),
        ({"date_prec": "6"}, "date_prec: '6' is not a precision code 1-5"),
        (
            {"date_prec": "0", "date_end": "2016-01-05"},
            "date_prec: '0' is not a precision code 1-5",
        ),
    ],
)
def test_a_code_out_of_its_range_refuses_its_row(
    tmp_path: Path, change: dict[str, str], reason: str
) -> None:
    fine = [{"event_clarity": " 2 ", "active_year": "0"}, {"event_clarity": "", "active_year": ""}]
    path = _variants(tmp_path, [change, *fine])
    result = read_ged(path)
    assert [(r.line, r.reason) for r in result.report.refused] == [(3, reason)]
    assert set(result.dataset.events) == {"ucdp-ged-214797", "ucdp-ged-2", "ucdp-ged-3"}
    assert result.dataset.events["ucdp-ged-2"].source_values["event_clarity"] == " 2 "
    assert "event_clarity" not in result.dataset.events["ucdp-ged-3"].source_values
    assert result.dataset.events["ucdp-ged-2"].aggregate
    assert not result.dataset.events["ucdp-ged-3"].aggregate
    with pytest.raises(ImportRowError, match=f"line 3: {re.escape(reason)}"):
        read_ged(path, errors="raise")


def test_country_id_is_the_gleditsch_ward_number_and_older_files_still_load() -> None:
    ds = read_ged(GED231_SAMPLE).dataset
    countries = {
        place.name: dict(place.codes)
        for place in ds.locations.values()
        if place.kind is cm.LocationKind.COUNTRY
    }
    assert countries == {
        row["country"]: {ucdp.COUNTRY_SCHEME: row["country_id"]} for row in rows(GED231_SAMPLE)
    }
    assert countries["Syria"] == {"gleditsch-ward": "652"}
    text = cm.dumps(ds)
    older = cm.loads(text.replace('"gleditsch-ward"', '"ucdp-country-id"'))
    assert older.location("Syria").codes == {"ucdp-country-id": "652"}
    assert older != ds


def _repeated_references(tmp_path: Path, *, repeat_id: bool) -> Path:
    """The fixture with the first row's reference quoted twice and the second's three times
    (with a blank between), and, when ``repeat_id``, the third row's id made the first's."""
    with GED191_SAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *table = list(csv.reader(handle))
    column = header.index("source_article")
    for number, times in ((0, 2), (1, 3)):
        quoted = table[number][column].strip().strip('"')
        table[number][column] = ";".join([f'"{quoted}"'] * times + (['" "'] if times == 3 else []))
    if repeat_id:
        table[2][header.index("id")] = table[0][header.index("id")]
    path = tmp_path / ("repeated-id.csv" if repeat_id else "repeated.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *table])
    return path


@pytest.mark.parametrize("repeat_id", [False, True])
def test_a_reference_quoted_twice_is_one_source_reported_and_its_cell_kept(
    tmp_path: Path, repeat_id: bool
) -> None:
    """Taken column by column or row by row (an id that repeats), a cell quoting a reference
    more than once makes one source, is listed in the report and stays in source_values."""
    path = _repeated_references(tmp_path, repeat_id=repeat_id)
    table = rows(path)
    plain = read_ged(GED191_SAMPLE).dataset
    result = read_ged(path)
    assert [r.line for r in result.report.refused] == ([4] if repeat_id else [])
    events = result.dataset.events
    noted = [n for n in result.report.normalised if n.field == "source_article"]
    first, second = (f"ucdp-ged-{row['id']}" for row in table[:2])
    assert [(n.line, n.record, n.rule) for n in noted] == [
        (2, first, REFERENCE_RULE),
        (3, second, REFERENCE_RULE),
    ]
    for note, event_id, row in zip(noted, (first, second), table, strict=False):
        assert note.original == row["source_article"]
        assert note.new.count('"') == 2
        assert events[event_id].source_values["source_article"] == note.original
        assert events[event_id].sources == plain.events[event_id].sources
    untouched = [e for e in events.values() if e.id not in (first, second)]
    assert untouched
    assert all("source_article" not in e.source_values for e in untouched)
    assert result.report.kept["source_article"] == 2
    assert any(
        line == f"  normalised 2 × source_article: {REFERENCE_RULE}"
        for line in result.report.lines()
    )


@needs_real
def test_the_real_release_keeps_the_cells_whose_references_repeat() -> None:
    path = REAL / "ged_syria_2016-2019.csv"
    result = read_ged(path, progress=False)
    events = result.dataset.events
    raw = {f"ucdp-ged-{row['id']}": row["source_article"] for row in rows(path)}
    event = events["ucdp-ged-217569"]
    reference = '"SOHR,2016-01-12,Human losses in Reef Dimashq and Tartous"'
    assert event.source_values["source_article"] == raw["ucdp-ged-217569"]
    assert raw["ucdp-ged-217569"] == f"{reference};{reference}"
    assert len(event.sources) == 1
    assert event.source_values["number_of_sources"] == "2"
    noted = [n for n in result.report.normalised if n.field == "source_article"]
    assert len(noted) == 46
    assert result.report.normalised_counts()[("source_article", REFERENCE_RULE)] == 46
    assert f"  normalised 46 × source_article: {REFERENCE_RULE}" in list(result.report.lines())
    kept = {e.id for e in events.values() if "source_article" in e.source_values}
    assert kept == {n.record for n in noted}
    assert all(events[e].source_values["source_article"] == raw[e] for e in kept)
    fewer = {
        e.id
        for e in events.values()
        if len({s for s in e.sources if s in result.dataset.sources})
        < int(e.source_values["number_of_sources"])
    }
    assert fewer <= kept
