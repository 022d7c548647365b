"""The ACLED importer on the invented ACLED-format fixture and on edited copies of it."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import attrs
import pytest
from tests.io.ucdp_files import ACLED_SAMPLE, rows

import conflictmodel as cm
from conflictmodel.io.acled import read_acled, update
from conflictmodel.io.report import ImportFormatError, ImportResult, ImportRowError


@pytest.fixture(scope="module")
def result() -> cm.Dataset:
    return read_acled(ACLED_SAMPLE).dataset


def event(ds: cm.Dataset, number: int) -> cm.Event:
    return ds.events[f"acled-SYR9{number:05d}"]


def engagement(ds: cm.Dataset, number: int) -> cm.Engagement:
    found = event(ds, number)
    assert isinstance(found, cm.Engagement)
    return found


def test_report_counts_rows_and_lists_the_refused_ones() -> None:
    report = read_acled(ACLED_SAMPLE).report
    assert report.rows_read == 16
    assert report.rows_imported == 14
    assert [(r.line, r.reason.split(":")[0]) for r in report.refused] == [
        (16, "fatalities"),
        (17, "event_date"),
    ]
    assert report.records["events"] == 14


def test_violent_sub_event_types_become_engagements(result: cm.Dataset) -> None:
    kinds = {n: engagement(result, n).kind for n in (1, 3, 4, 5, 6, 7, 10, 12)}
    assert kinds == {
        1: cm.EngagementKind.ARMED_CLASH,
        3: cm.EngagementKind.SHELLING,
        4: cm.EngagementKind.AIRSTRIKE,
        5: cm.EngagementKind.ATTACK,
        6: cm.EngagementKind.ABDUCTION,
        7: cm.EngagementKind.EXPLOSIVE,
        10: cm.EngagementKind.ATTACK,
        12: cm.EngagementKind.INTERCEPTION,
    }
    clash = engagement(result, 1)
    assert clash.initiators == ()
    assert clash.targets == (
        "acled-actor-military-forces-of-syria-2000",
        "acled-actor-hts-hayat-tahrir-al-sham",
    )
    assert clash.associates == (
        cm.Associate(
            "acled-actor-nlf-national-liberation-front", of="acled-actor-hts-hayat-tahrir-al-sham"
        ),
    )
    strike = engagement(result, 4)
    assert strike.initiators == ("acled-actor-military-forces-of-russia-2000",)
    assert result.actors[strike.targets[0]].kind is cm.ActorKind.CIVILIANS


def test_territory_changes_are_captures(result: cm.Dataset) -> None:
    capture = engagement(result, 2)
    assert capture.kind is cm.EngagementKind.CAPTURE
    assert capture.captured is not None
    assert capture.captured.location == capture.where
    assert result.actors[capture.captured.gained_by].name == "Military Forces of Syria (2000-)"
    assert result.actors[capture.captured.lost_by or ""].name == "HTS: Hayat Tahrir al Sham"


def test_fatalities_are_unattributed_totals(result: cm.Dataset) -> None:
    for row in rows(ACLED_SAMPLE)[:14]:
        found = result.events[f"acled-{row['event_id_cnty']}"]
        if isinstance(found, cm.Engagement):
            assert found.casualties == (
                cm.Casualties(None, killed=cm.Estimate.best_only(int(row["fatalities"]))),
            )
        else:
            assert found.source_values["fatalities"] == row["fatalities"]


def test_protests_and_agreements_are_plain_events_keeping_their_columns(
    result: cm.Dataset,
) -> None:
    agreement = event(result, 11)
    assert type(agreement) is cm.Event
    assert not result.agreements
    assert agreement.source_values["sub_event_type"] == "Agreement"
    assert agreement.source_values["actor1"] == "Government of Russia (2000-)"
    assert type(event(result, 8)) is cm.Event
    assert type(event(result, 9)) is cm.Event


def test_numeric_and_text_inter_codes_give_actor_kinds(result: cm.Dataset) -> None:
    kinds = {actor.name: actor.kind for actor in result.actors.values()}
    assert kinds["Military Forces of Syria (2000-)"] is cm.ActorKind.STATE_FORCES
    assert kinds["HTS: Hayat Tahrir al Sham"] is cm.ActorKind.REBEL_GROUP
    assert kinds["Unidentified Armed Group (Syria)"] is cm.ActorKind.MILITIA
    assert kinds["Rioters (Syria)"] is cm.ActorKind.OTHER
    assert kinds["Military Forces of Turkey (2016-)"] is cm.ActorKind.STATE_FORCES
    assert kinds["Civilians (Syria)"] is cm.ActorKind.CIVILIANS


def test_time_precision_widens_the_span(result: cm.Dataset) -> None:
    assert event(result, 1).when == cm.when("2020-02-03")
    assert event(result, 13).when == cm.when("2020-02-09/2020-02-15")
    assert event(result, 14).when == cm.when("2020-01")


def test_locations_nest_country_admins_and_place(result: cm.Dataset) -> None:
    where = event(result, 1).where
    assert where is not None
    names = [result.locations[p].name for p in (where, *result.location_ancestors(where))]
    assert names == ["Saraqab", "Saraqab", "Ariha", "Idleb", "Syria"]
    country = result.location("Syria")
    assert country.codes["iso3166-1-alpha-3"] == "SYR"
    assert result.locations[where].point == cm.Point(35.8623, 36.8006)


def test_sources_are_split_and_notes_describe(result: cm.Dataset) -> None:
    first = event(result, 1)
    assert [result.sources[s].title for s in first.sources] == [
        "Syrian Observatory for Human Rights",
        "Enab Baladi",
    ]
    assert first.description.startswith("Invented fixture row")
    assert first.source_values["interaction"] == "12"


def _write(tmp_path: Path, edits: list[dict[str, str]]) -> Path:
    source = rows(ACLED_SAMPLE)
    path = tmp_path / "acled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(source[0]))
        writer.writeheader()
        for edit in edits:
            writer.writerow({**source[0], **edit})
    return path


@pytest.mark.parametrize("text", ["2020-02-03", "03-02-2020", "03 February 2020", "3 Feb 2020"])
def test_event_dates_in_every_export_style(tmp_path: Path, text: str) -> None:
    ds = read_acled(_write(tmp_path, [{"event_date": text}])).dataset
    assert next(iter(ds.events.values())).when.start == datetime.date(2020, 2, 3)


def test_the_timestamp_dates_the_record_and_the_event_stays_a_day(tmp_path: Path) -> None:
    """ACLED's ``timestamp`` is when the row was last changed, not when the event happened."""
    edits = {"event_date": "2020-02-03", "time_precision": "1", "timestamp": "1581465600"}
    ds = read_acled(_write(tmp_path, [edits])).dataset
    found = next(iter(ds.events.values()))
    assert found.when == cm.when("2020-02-03")
    assert found.when.start_time is None
    recorded = ds.versions("events", found.id)[-1].recorded
    assert recorded is not None
    assert recorded.timestamp() == 1581465600


def test_bad_codes_are_refused_or_raised(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"inter1": "9"},
            {"event_id_cnty": "X2", "time_precision": "4"},
            {"event_id_cnty": "X3", "latitude": "95"},
        ],
    )
    reasons = [r.reason for r in read_acled(path).report.refused]
    assert reasons[0].startswith("inter1: '9' is not an ACLED actor type")
    assert reasons[1].startswith("time_precision")
    assert "95.0 is outside" in reasons[2]
    with pytest.raises(ImportRowError, match="line 2: inter1"):
        read_acled(path, errors="raise")


def test_a_file_without_acled_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("event_id_cnty,event_date\nA,2020-01-01\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="missing columns event_type"):
        read_acled(path)


def test_source_scale_gives_a_kind_only_where_it_names_one(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"event_id_cnty": "SYR1", "source": "Step News; Qasioun", "source_scale": "New media"},
            {"event_id_cnty": "SYR2", "source": "Step News", "source_scale": "New media"},
            {"event_id_cnty": "SYR3", "source": "Qasioun", "source_scale": "National"},
            {"event_id_cnty": "SYR4", "source": "Horan League", "source_scale": "Local partner"},
            {"event_id_cnty": "SYR5", "source": "SANA", "source_scale": "New media-National"},
        ],
    )
    ds = read_acled(path).dataset
    kinds = {source.title: source.kind for source in ds.sources.values()}
    assert kinds == {
        "Step News": cm.SourceKind.SOCIAL_MEDIA,
        "Qasioun": None,
        "Horan League": cm.SourceKind.MONITOR,
        "SANA": None,
    }
    assert ds.events["acled-SYR5"].source_values["source_scale"] == "New media-National"


def test_each_row_coding_an_actor_otherwise_is_reported(tmp_path: Path) -> None:
    sides = {"actor1": "Militia X", "inter1": "3", "actor2": "Militia Y", "inter2": "3"}
    path = _write(
        tmp_path,
        [
            {"event_id_cnty": "SYR1", **sides, "inter1": "2"},
            {"event_id_cnty": "SYR2", **sides},
            {"event_id_cnty": "SYR3", **sides},
            {"event_id_cnty": "SYR4", **sides, "actor2": "Militia X", "inter2": "1"},
        ],
    )
    result = read_acled(path)
    militia_x = "'Militia X' is coded rebel_group on an earlier row: kept"
    assert [(n.line, n.record, n.field, n.original, n.rule) for n in result.report.normalised] == [
        (3, "acled-SYR2", "inter1", "militia", militia_x),
        (4, "acled-SYR3", "inter1", "militia", militia_x),
        (5, "acled-SYR4", "inter1", "militia", militia_x),
        (5, "acled-SYR4", "inter2", "state_forces", militia_x),
    ]
    kinds = {actor.name: actor.kind for actor in result.dataset.actors.values()}
    assert kinds["Militia X"] is cm.ActorKind.REBEL_GROUP
    assert kinds["Militia Y"] is cm.ActorKind.MILITIA


def _write_unnamed(tmp_path: Path, edits: list[dict[str, str]]) -> Path:
    """Rows of the first fixture row edited, with a last column that has no name (its cells
    under the key ``""``): a row with a value there keeps it under an empty name, which an
    event refuses (only once the event is built)."""
    source = rows(ACLED_SAMPLE)
    path = tmp_path / "unnamed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*source[0], ""])
        writer.writeheader()
        for edit in edits:
            writer.writerow({**source[0], "": "", **edit})
    return path


UNNAMED = "Engagement 'acled-X1'.source_values: keys must be non-empty text, got str ''"


@pytest.mark.parametrize("lazy", [False, True])
def test_a_row_whose_event_is_refused_keeps_its_line_and_frees_its_id(
    tmp_path: Path, lazy: bool
) -> None:
    path = _write_unnamed(
        tmp_path,
        [
            {"event_id_cnty": "X1", "": "kept"},
            {"event_id_cnty": "X2", "event_date": "2020-13-01"},
            {"event_id_cnty": "X1"},
            {"event_id_cnty": "X1", "notes": "Again."},
        ],
    )
    result = read_acled(path, lazy=lazy)
    assert [(r.line, r.reason.split(" (")[0]) for r in result.report.refused] == [
        (2, UNNAMED),
        (3, "event_date: '2020-13-01' is not a date"),
        (5, "event_id_cnty: 'X1' repeats the event on line 4"),
    ]
    assert list(result.dataset.events) == ["acled-X1"]
    assert result.dataset.events["acled-X1"].description == rows(ACLED_SAMPLE)[0]["notes"]
    with pytest.raises(ImportRowError, match=f"line 2: {UNNAMED}"):
        read_acled(path, errors="raise", lazy=lazy)


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize("later", ["date", "unreadable", "none"])
def test_with_errors_raise_a_refused_event_raises_before_later_rows(
    tmp_path: Path, later: str, lazy: bool
) -> None:
    path = _write_unnamed(
        tmp_path,
        [{"event_id_cnty": "X1", "": "kept"}, {"event_id_cnty": "X2", "event_date": "2020-13-01"}],
    )
    if later == "unreadable":
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([*lines[:2], "X3,2020-02-03"]) + "\n", encoding="utf-8")
    elif later == "none":
        path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]) + "\n")
    with pytest.raises(ImportRowError, match=f"line 2: {UNNAMED}"):
        read_acled(path, errors="raise", lazy=lazy)


ROWS_FOR_BOTH_WAYS = {
    "actors coded otherwise": [
        {"event_id_cnty": "SYR1", "actor1": "Militia X", "inter1": "2"},
        {"event_id_cnty": "SYR2", "actor1": "Militia X", "inter1": "3"},
        {"event_id_cnty": "SYR3", "actor2": "Militia X", "inter2": "1", "actor1": "Y"},
        {"event_id_cnty": "SYR4", "actor1": "Militia X", "inter1": "3", "latitude": "x"},
        {"event_id_cnty": "SYR5", "actor1": "Militia X", "inter1": "3"},
    ],
    "places, points and sources": [
        {"event_id_cnty": "SYR1", "latitude": "35.9"},
        {"event_id_cnty": "SYR2"},
        {"event_id_cnty": "SYR3", "location": "", "geo_precision": "3"},
        {"event_id_cnty": "SYR4", "admin2": "", "source": "A; B;; A"},
        {"event_id_cnty": "SYR5", "sub_event_type": "Peaceful protest", "source": "B"},
        {"event_id_cnty": "SYR6", "sub_event_type": "Government regains territory"},
        {"event_id_cnty": "", "notes": "no id"},
    ],
}


@pytest.mark.parametrize("edits", ROWS_FOR_BOTH_WAYS.values(), ids=ROWS_FOR_BOTH_WAYS.keys())
def test_rows_are_taken_alike_whether_or_not_ids_repeat(
    tmp_path: Path, edits: list[dict[str, str]]
) -> None:
    """Ids that do not repeat let the importer take the rows column by column; a repeated id
    makes it take them one by one. Both give the same events and report."""
    by_columns = read_acled(_write(tmp_path, edits))
    repeated = [*edits, {**edits[0], "notes": "A repeat."}]
    by_rows = read_acled(_write(tmp_path, repeated))
    assert by_rows.dataset == by_columns.dataset
    report, other = by_columns.report, by_rows.report
    assert other.normalised == report.normalised
    assert other.refused[:-1] == report.refused
    assert other.refused[-1].reason.endswith("repeats the event on line 2")
    assert (other.kept, other.records) == (report.kept, report.records)


ONE_CELL_CHANGED = [
    ("notes", "Other notes.", {"description"}),
    ("fatalities", "3", {"casualties"}),
    ("event_date", "2020-02-04", {"when"}),
    ("time_precision", "3", {"when", "source_values"}),
    ("latitude", "35.9", {"where"}),
    ("geo_precision", "2", {"where_precision", "source_values"}),
    ("source", "Other Source", {"sources"}),
    ("tags", "tagged", {"source_values"}),
    ("actor2", "Other Group", {"targets", "associates"}),
    ("assoc_actor_2", "Other Group", {"associates"}),
    ("sub_event_type", "Attack", {"kind", "initiators", "targets", "source_values"}),
]


@pytest.mark.parametrize(("column", "text", "fields"), ONE_CELL_CHANGED)
def test_rows_differing_in_one_cell_differ_in_the_fields_made_of_it(
    tmp_path: Path, column: str, text: str, fields: set[str]
) -> None:
    path = _write(tmp_path, [{"event_id_cnty": "A"}, {"event_id_cnty": "B", column: text}])
    events = read_acled(path).dataset.events
    first, second = events["acled-A"], events["acled-B"]
    differ = {
        f.name
        for f in attrs.fields(type(first))
        if getattr(first, f.name) != getattr(second, f.name)
    }
    assert differ == {"id", *fields}


def test_dates_at_the_calendars_ends_cost_their_row_only(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"event_id_cnty": "X1", "event_date": "9999-12-31", "time_precision": "2"},
            {"event_id_cnty": "X2", "event_date": "0001-01-02", "time_precision": "2"},
            {"event_id_cnty": "X3", "event_date": "9999-12-31", "time_precision": "3"},
            {"event_id_cnty": "X4", "event_date": "0001-01-01", "time_precision": "3"},
            {"event_id_cnty": "X5"},
        ],
    )
    result = read_acled(path)
    refused = {r.line: r.reason for r in result.report.refused}
    assert refused == {
        2: "event_date: the week around 9999-12-31 (time_precision 2) runs past the calendar",
        3: "event_date: the week around 0001-01-02 (time_precision 2) runs past the calendar",
    }
    assert result.dataset.events["acled-X3"].when == cm.when("9999-12")
    assert result.dataset.events["acled-X4"].when == cm.when("0001-01")


@pytest.mark.parametrize(
    ("fatalities", "reason"),
    [
        ("²", "fatalities: '²' is not a whole number of people"),
        ("①", "fatalities: '①' is not a whole number of people"),
        ("٣", "fatalities: '٣' is not a whole number of people"),
        ("9" * 5000, "fatalities: a number of 5000 digits is more than 2**63 - 1"),
        (str(2**63), "fatalities: a number of 19 digits is more than 2**63 - 1"),
    ],
)
def test_counts_that_are_not_plain_numbers_cost_their_row_only(
    tmp_path: Path, fatalities: str, reason: str
) -> None:
    path = _write(tmp_path, [{"event_id_cnty": "X1", "fatalities": fatalities}, {}])
    result = read_acled(path)
    assert [(r.line, r.reason) for r in result.report.refused] == [(2, reason)]
    assert len(result.dataset.events) == 1


def test_a_count_of_2_63_minus_1_is_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"fatalities": "0" * 30 + str(2**63 - 1)}])
    (event,) = read_acled(path).dataset.events.values()
    assert isinstance(event, cm.Engagement)
    assert event.casualties[0].killed == cm.Estimate.best_only(2**63 - 1)


def test_a_non_violent_transfer_of_territory_is_a_capture(tmp_path: Path) -> None:
    header, *lines = ACLED_SAMPLE.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if "regains territory" in line)
    moved = row.replace("Government regains territory", "Non-violent transfer of territory")
    path = tmp_path / "acled.csv"
    path.write_text(f"{header}\n{moved}\n", encoding="utf-8")
    (event,) = read_acled(path).dataset.events.values()
    assert isinstance(event, cm.Engagement)
    assert event.kind is cm.EngagementKind.CAPTURE
    assert event.captured is not None
    assert event.source_values["sub_event_type"] == "Non-violent transfer of territory"


# Vintages: timestamps, newer exports and deletions ------------------------------------------

NEWER = ACLED_SAMPLE.with_name("acled_sample_newer.csv")
DELETIONS = ACLED_SAMPLE.with_name("acled_sample_deletions.csv")


def _utc(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


def test_the_timestamp_dates_each_event(result: cm.Dataset) -> None:
    for row in rows(ACLED_SAMPLE)[:14]:
        event_id = f"acled-{row['event_id_cnty']}"
        (version,) = result.versions("events", event_id)
        assert version.recorded == _utc(int(row["timestamp"]))
        assert "timestamp" not in result.events[event_id].source_values
    assert result.versions("actors", "acled-actor-civilians-syria")[0].recorded is None


def test_a_bad_timestamp_is_refused(tmp_path: Path) -> None:
    lines = ACLED_SAMPLE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([lines[0], lines[1].replace(",1581003600", ",yesterday")]) + "\n")
    report = read_acled(path).report
    assert [r.reason for r in report.refused] == [
        "timestamp: 'yesterday' is not a Unix time (whole seconds since 1970)"
    ]


@pytest.fixture(scope="module")
def updated(result: cm.Dataset) -> ImportResult:
    return update(result, NEWER, deletions=DELETIONS)


def test_an_update_edits_adds_and_withdraws(updated: ImportResult) -> None:
    report = updated.report
    assert report.edited == (("events", "acled-SYR900003"), ("events", "acled-SYR900004"))
    assert report.added == (("events", "acled-SYR900017"),)
    assert report.withdrawn == (("events", "acled-SYR900007"),)
    assert "update: 2 edited, 1 added, 1 withdrawn" in str(report)
    ds = updated.dataset
    assert "acled-SYR900007" not in ds.events
    assert ds.history[("events", "acled-SYR900007")][-1].until == _utc(1581900000)
    edited = engagement(ds, 3)
    assert edited.casualties == (cm.Casualties(None, killed=cm.Estimate.best_only(31)),)
    old, new = ds.versions("events", "acled-SYR900003")
    assert (old.recorded, old.until, new.recorded) == (
        _utc(1581010800),
        _utc(1581610800),
        _utc(1581610800),
    )
    assert str(event(ds, 4).when) == "2020-02-05"


def test_an_update_refuses_edits_and_deletions_older_than_the_version_held(
    updated: ImportResult,
) -> None:
    refused = [(r.line, r.reason.split(":")[0]) for r in updated.report.refused]
    assert refused == [
        (16, "fatalities"),
        (17, "event_date"),
        (2, "timestamp"),
        (4, "acled_sample_deletions.csv"),
    ]
    assert (
        "deleted_timestamp: deleted 2020-02-06T14:40:00+00:00" in updated.report.refused[-1].reason
    )
    assert engagement(updated.dataset, 1).casualties == (
        cm.Casualties(None, killed=cm.Estimate.best_only(12)),
    )
    assert "acled-SYR900005" in updated.dataset.events


@pytest.mark.parametrize("first", ["none", "refused", "refused as an event"])
def test_an_update_refuses_a_stale_row_on_the_line_of_the_row_taken(
    result: cm.Dataset, tmp_path: Path, first: str
) -> None:
    """The newer export's first row is older than the version held. An earlier copy of it,
    refused (the id repeats: the rows are taken one by one), moves it a line down."""
    table = rows(NEWER)
    copies = {
        "none": [],
        "refused": [{**table[0], "event_date": "soon", "": ""}],
        "refused as an event": [{**table[0], "": "kept"}],
    }[first]
    path = tmp_path / "newer.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*table[0], ""])
        writer.writeheader()
        writer.writerows([*copies, *({**row, "": ""} for row in table)])
    refused = update(result, path).report.refused
    assert [r.line for r in refused if r.reason.startswith("timestamp")] == [2 + len(copies)]


def test_before_the_update_the_dataset_is_the_older_one(
    result: cm.Dataset, updated: ImportResult
) -> None:
    assert updated.dataset.as_of("2020-02-10") == result
    assert cm.loads(cm.dumps(updated.dataset)) == updated.dataset


def test_an_update_applied_twice_changes_nothing(updated: ImportResult) -> None:
    again = update(updated.dataset, NEWER, deletions=DELETIONS)
    assert again.dataset == updated.dataset
    assert (again.report.added, again.report.edited, again.report.withdrawn) == ((), (), ())


def test_a_deletions_file_without_its_columns_is_refused(result: cm.Dataset) -> None:
    with pytest.raises(ImportFormatError, match="deleted_timestamp"):
        update(result, NEWER, deletions=ACLED_SAMPLE)


@pytest.mark.parametrize(
    ("dropped", "said"),
    [
        (("latitude",), "no latitude column"),
        (("longitude",), "no longitude column"),
        (("latitude", "longitude"), "no latitude or longitude column"),
    ],
)
def test_a_file_without_coordinates_says_so_in_its_report(
    tmp_path: Path, dropped: tuple[str, ...], said: str
) -> None:
    with ACLED_SAMPLE.open(encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    kept = [column for column in table[0] if column not in dropped]
    path = tmp_path / "no-coordinates.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    result = read_acled(path)
    headline = str(result.report).splitlines()[0]
    assert headline == (
        f"{path} (ACLED export, {31 - len(dropped)} columns): 16 rows read, 14 imported, 2 refused"
    )
    note = f"{said}, so no coordinates were given and no event has a point"
    assert result.report.notes == (note,)
    assert f"  note: {note}" in str(result.report).splitlines()
    assert read_acled(ACLED_SAMPLE).report.notes == ()
    assert all(place.point is None for place in result.dataset.locations.values())


def test_a_file_with_coordinates_says_nothing_of_them() -> None:
    result = read_acled(ACLED_SAMPLE)
    assert result.report.format == "ACLED export, 31 columns"
    assert any(place.point is not None for place in result.dataset.locations.values())


def test_an_import_and_its_update_saved_load_back_columns_first(
    result: cm.Dataset, updated: ImportResult, tmp_path: Path
) -> None:
    """The ACLED workflow on files: import, save, load (columns first), update, save, load."""
    pytest.importorskip("ibis")
    from conflictmodel.tables.lazy import LazyRecords

    cm.dump(result, tmp_path / "acled.jsonl")
    loaded = cm.load(tmp_path / "acled.jsonl", lazy=True)
    assert isinstance(loaded._tables["events"], LazyRecords)
    assert loaded.history == result.history
    again = update(loaded, NEWER, deletions=DELETIONS)
    assert again.report.edited == updated.report.edited
    assert again.dataset == updated.dataset
    cm.dump(again.dataset, tmp_path / "updated.jsonl")
    reloaded = cm.load(tmp_path / "updated.jsonl", lazy=True)
    assert isinstance(reloaded._tables["events"], LazyRecords)
    assert reloaded == updated.dataset
    assert reloaded.history == updated.dataset.history
    moment = _utc(1581610800)
    assert reloaded.as_of(moment) == updated.dataset.as_of(moment)


def test_an_import_columns_first_holds_its_events_in_tables(
    result: cm.Dataset, updated: ImportResult, tmp_path: Path
) -> None:
    """``lazy=True`` gives a dataset over tables equal to the one made record by record:
    queries run on the tables, an event is built when asked for, and the dataset saves as a
    JSON Lines file and as tables that read back equal, with the history."""
    pytest.importorskip("ibis")
    from conflictmodel import tables
    from conflictmodel.tables.lazy import LazyHistory, LazyRecords

    imported = read_acled(ACLED_SAMPLE, lazy=True)
    ds = imported.dataset
    assert isinstance(ds._tables["events"], LazyRecords)
    assert isinstance(ds._history, LazyHistory)
    assert imported.report == read_acled(ACLED_SAMPLE, lazy=False).report
    assert cm.casualties_by_actor(ds) == cm.casualties_by_actor(result)
    assert engagement(ds, 1) == engagement(result, 1)
    assert ds.versions("events", "acled-SYR900001") == result.versions("events", "acled-SYR900001")
    assert ds == result
    assert ds.history == result.history
    cm.dump(ds, tmp_path / "acled.jsonl")
    assert cm.load(tmp_path / "acled.jsonl", lazy=False) == result
    tables.write(ds, tmp_path / "tables")
    loaded = tables.load(tmp_path / "tables")
    assert loaded == result
    assert loaded.history == result.history
    again = update(ds, NEWER, deletions=DELETIONS)
    assert (again.report.edited, again.report.withdrawn) == (
        updated.report.edited,
        updated.report.withdrawn,
    )
    assert again.dataset == updated.dataset
    assert again.dataset.history == updated.dataset.history


def test_an_import_is_read_columns_first_from_a_number_of_rows(
    result: cm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default, an import of :data:`LAZY_FROM_ROWS` rows or more is read columns first
    when the ``arrow`` extra is installed, and record by record without it (``lazy=True``
    then says what to install)."""
    pytest.importorskip("ibis")
    from conflictmodel.io import _csvfile
    from conflictmodel.tables.lazy import LazyRecords

    assert not isinstance(read_acled(ACLED_SAMPLE).dataset._tables["events"], LazyRecords)
    monkeypatch.setattr(_csvfile, "LAZY_FROM_ROWS", 14)
    imported = read_acled(ACLED_SAMPLE).dataset
    assert isinstance(imported._tables["events"], LazyRecords)
    assert imported == result

    def missing(module: str, extra: str, needed_by: str) -> None:
        raise cm.MissingExtraError(f"{needed_by} needs the {extra!r} extra")

    monkeypatch.setattr(_csvfile, "require", missing)
    without = read_acled(ACLED_SAMPLE).dataset
    assert not isinstance(without._tables["events"], LazyRecords)
    assert without == result
    with pytest.raises(cm.MissingExtraError, match="'arrow' extra"):
        read_acled(ACLED_SAMPLE, lazy=True)
