"""The queries over opened tables answer as the in-memory queries do, on DuckDB and on Spark."""

from __future__ import annotations

import gc
import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.examples import share
from tests.io.ucdp_files import real_data
from tests.queries.strategies import conflicts
from tests.queries.world import strike, world

import conflictmodel as cm
from conflictmodel import tables, testing
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.io.ucdp import read_ged
from conflictmodel.queries import _arguments, over_time
from conflictmodel.queries.counts import event_counts
from conflictmodel.queries.perspective import BestRule
from conflictmodel.tables import queries as table_queries
from conflictmodel.tables import store
from conflictmodel.timespans import TimeSpan, when

pytest.importorskip("ibis")

spans = testing.time_spans(min_year=2020, max_year=2022, open_ends=True)
any_dataset = st.one_of(conflicts(), testing.datasets(max_events=10))
REAL_SYRIA = real_data() / "ged_syria_2016-2019.csv"


BEST_RULES: list[BestRule | None] = [None, "lowest", "highest", "median"]


def assert_same_answers(
    opened: tables.Tables,
    ds: cm.Dataset,
    period: TimeSpan | None,
    data: st.DataObject,
    perspectives: list[str | tuple[str, ...] | None],
) -> None:
    """Every query, from each perspective (with or without its parts), on the tables and on
    the dataset."""
    places = sorted(ds.locations)
    for claimant in perspectives:
        within = data.draw(st.none() | st.sampled_from(places)) if places else None
        roll_up = data.draw(st.booleans())
        parts = data.draw(st.booleans())
        min_grade = data.draw(st.none() | st.sampled_from(cm.Grade))
        options: dict[str, Any] = {
            "according_to": claimant,
            "period": period,
            "include_parts": parts,
            "min_grade": min_grade,
        }
        best = data.draw(st.sampled_from(BEST_RULES))
        found = cm.casualties_by_actor(opened, within=within, roll_up=roll_up, best=best, **options)
        expected = cm.casualties_by_actor(ds, within=within, roll_up=roll_up, best=best, **options)
        assert found == expected
        assert list(found) == list(expected)
        assert found.injured == expected.injured
        for actor in {*expected, *expected.injured}:
            assert found.claimants(actor) == expected.claimants(actor)
        violations = cm.ceasefire_violations(opened, **options)
        assert violations == cm.ceasefire_violations(ds, **options)
        assert str(violations) == str(cm.ceasefire_violations(ds, **options))


def camps(ds: cm.Dataset, data: st.DataObject) -> list[str | tuple[str, ...] | None]:
    """The default view, every actor's, and one camp of two actors."""
    actors = sorted(ds.actors)
    if len(actors) < 2:
        return [None, *actors]
    camp = data.draw(st.lists(st.sampled_from(actors), min_size=2, max_size=2, unique=True))
    return [None, *actors, tuple(camp)]


@share(1 / 6, at_least=5)
@given(any_dataset, st.none() | spans, st.data())
def test_duckdb_answers_as_the_dataset_for_every_perspective(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        opened = tables.open(Path(folder) / "tables")
        assert_same_answers(opened, ds, period, data, camps(ds, data))


def claim_rules_world() -> cm.Dataset:
    """Revisions, a camp speaking through its parts, disagreeing and agreeing claims, a later
    denial of a figure and a later word that an event did happen after all."""

    def said(
        claim_id: str, who: str, statement: cm.Statement, made: str, stance: str = "asserts"
    ) -> cm.Claim:
        return cm.Claim(id=claim_id, claimant=who, statement=statement, made=made, stance=stance)

    def killed(event: str, actor: str | None, count: int | str) -> cm.CasualtyFigure:
        return cm.CasualtyFigure(event, actor, killed=count)

    return world(
        strike("e", by=[]),
        strike("g", "2021-04-02", casualties=[cm.Casualties("south-army", killed=5)]),
        strike("h", "2021-04-03", by=[]),
        said("s4", "south", killed("e", "south-army", 4), "2021-04-01"),
        said("s6", "south", killed("e", "south-army", 6), "2021-04-02"),
        said("s8", "south", killed("e", "south-army", 8), "2021-04-03"),
        said("n2", "north", killed("e", "south-army", "about 30"), "2021-04-01"),
        said("army", "north-army", killed("g", "south-army", 9), "2021-04-02"),
        said("army-no", "north-army", killed("g", "south-army", 9), "2021-04-05", "denies"),
        said("v1", "north", killed("h", "villagers", 12), "2021-04-04"),
        said("v2", "south", killed("h", "villagers", "more than 100"), "2021-04-04"),
        said("v3", "monitor", killed("h", "villagers", 40), "2021-04-04"),
        said("v4", "north-brigade", killed("h", "villagers", 12), "2021-04-04"),
        said("gone", "south", cm.Occurred("g"), "2021-04-03", "denies"),
        said("back", "south", cm.Occurred("g"), "2021-04-06"),
    )


@pytest.mark.parametrize("best", BEST_RULES)
def test_duckdb_follows_the_claim_rules_of_the_dataset(
    tmp_path: Path, best: BestRule | None
) -> None:
    ds = claim_rules_world()
    tables.write(ds, tmp_path / "tables")
    opened = tables.open(tmp_path / "tables")
    views: list[str | tuple[str, ...] | None] = [None, "north", "south", ("north", "monitor")]
    for according_to in views:
        for parts in (True, False):
            options: dict[str, Any] = {
                "according_to": according_to,
                "include_parts": parts,
                "best": best,
            }
            expected = cm.casualties_by_actor(ds, **options)
            found = cm.casualties_by_actor(opened, **options)
            assert found == expected, options
            assert found.injured == expected.injured, options
    if best is None:
        assert cm.casualties_by_actor(opened)["villagers"] == cm.Estimate(12, None, None)
        assert cm.casualties_by_actor(opened, according_to="south")["south-army"] == (
            cm.Estimate(13, 13, 13)
        )


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(testing.datasets(max_events=6))
def test_the_engine_says_which_day_columns_hold_a_null(ds: cm.Dataset) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        opened = tables.open(Path(folder) / "tables")
        spans = [e.when for e in ds.events.values() if getattr(e, "casualties", ())]
        assert opened.has_null("events_casualties", "owner_when_start") == any(
            span.start is None for span in spans
        )
        assert opened.has_null("events_casualties", "owner_when_end") == any(
            span.end is None for span in spans
        )


def test_kept_tables_are_compressed_after_the_query_that_made_them(tmp_path: Path) -> None:
    tables.write(claim_rules_world(), tmp_path / "tables")
    opened = tables.open(tmp_path / "tables")
    connection = opened.backend.con
    cm.casualties_by_actor(opened, according_to="north")
    opened._builds().shutdown(wait=True)
    kept = [name for (name,) in connection.sql("SELECT table_name FROM duckdb_tables()").fetchall()]
    assert kept
    for name in kept:
        segments = connection.sql(f"SELECT persistent FROM pragma_storage_info('{name}')")
        assert all(persistent for (persistent,) in segments.fetchall()), name


def test_kept_tables_are_built_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables.write(claim_rules_world(), tmp_path / "tables")
    opened = tables.open(tmp_path / "tables")
    thread = opened._builds()
    spans: list[tuple[float, float]] = []

    class Timed:
        """Notes when each build starts and ends, each taking long enough to overlap."""

        def submit(self, build: Any, *arguments: Any) -> Any:
            def timed() -> Any:
                start = time.perf_counter()
                time.sleep(0.05)
                try:
                    return build(*arguments)
                finally:
                    spans.append((start, time.perf_counter()))

            return thread.submit(timed)

    monkeypatch.setattr(opened, "_builds", Timed)
    cm.casualties_by_actor(opened, according_to="north")
    thread.shutdown(wait=True)
    assert len(spans) > 2
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(sorted(spans)))


def test_a_kept_table_is_compressed_once_built(tmp_path: Path) -> None:
    opened = tables.open(idlib_tables(tmp_path))
    events = opened.table("events")
    kept = opened.materialized("named", lambda: events.filter(events.id.notnull()))
    opened._built(kept)
    (name,) = store._tables_read(kept)
    segments = opened.backend.con.sql(f"SELECT persistent FROM pragma_storage_info('{name}')")
    persistent = [found for (found,) in segments.fetchall()]
    assert persistent
    assert all(persistent)


def test_the_claimed_figures_are_built_without_holding_the_claims_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tables.open(idlib_tables(tmp_path))
    statements: dict[str, str] = {}
    build = opened._build_in_background

    def recorded(table: str, statement: str, expression: Any) -> None:
        statements[table.removeprefix(opened._prefix)] = statement
        build(table, statement, expression)

    monkeypatch.setattr(opened, "_build_in_background", recorded)
    cm.casualties_by_actor(opened, according_to="turkey")
    assert "claims" in statements["claimed_figures"]
    assert " WITH " not in statements["claimed_figures"]


def test_read_together_gives_the_rows_run_gives_as_arrow_tables(tmp_path: Path) -> None:
    arrow: Any = pytest.importorskip("pyarrow")
    opened = tables.open(idlib_tables(tmp_path))
    expressions = [
        opened.table("events"),
        opened.table("claims"),
        opened.table("events_casualties"),
    ]
    found = opened.read_together(expressions)
    assert all(isinstance(table, arrow.Table) for table in found)
    assert [table.to_pylist() for table in found] == [opened.run(e) for e in expressions]
    assert found[0].num_rows == len(cm.examples.idlib_2020().events)


def test_duckdb_keeps_no_copy_of_the_files_it_reads(tmp_path: Path) -> None:
    opened = tables.open(idlib_tables(tmp_path))
    cm.casualties_by_actor(opened)
    cached = opened.backend.con.sql(
        "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'EXTERNAL_FILE_CACHE'"
    )
    assert cached.fetchone() == (0,)


@settings(max_examples=25)
@given(testing.datasets(max_events=6, max_claims=6))
def test_written_records_read_back_equal(ds: cm.Dataset) -> None:
    found = tables.layout.arrow_tables(ds)
    for collection in COLLECTIONS:
        children = {n: t for n, t in found.items() if n.startswith(f"{collection}_")}
        rows = {n: t.to_pylist() for n, t in children.items()}
        expected = list(getattr(ds, collection).values())
        assert tables.layout.records_from(collection, found[collection], children) == expected
        assert tables.layout.records_from(collection, found[collection].to_pylist(), rows) == (
            expected
        )


def truce_at_noon() -> cm.Dataset:
    """A truce beginning at 12:00 (UTC+3) on 2020-10-10, and strikes that day at 02:00 (none),
    known only to the day (a possible one), at 13:00 and at 09:30Z (12:30 in UTC+3)."""
    actors = [cm.Actor(id=i, name=i, kind="state_forces") for i in ("north", "south")]
    truce = cm.Agreement(
        id="truce",
        name="Truce",
        kind="truce",
        signed="2020-10-09",
        effective="2020-10-10T12:00+03:00/..",
        signatories=["north", "south"],
        sides=[["north"], ["south"]],
    )
    times = ["2020-10-10T02:00+03:00", "2020-10-10", "2020-10-10T13:00+03:00", "2020-10-10T09:30Z"]
    strikes = [
        cm.Engagement(
            id=f"strike-{n}",
            when=at,
            kind="shelling",
            initiators=["north"],
            targets=["south"],
            casualties=[cm.Casualties("south", killed=1)],
        )
        for n, at in enumerate(times)
    ]
    return cm.Dataset([*actors, truce, *strikes])


def assert_times_of_day_answer_as_the_dataset(opened: tables.Tables, ds: cm.Dataset) -> None:
    found = cm.ceasefire_violations(opened)
    assert found == cm.ceasefire_violations(ds)
    assert [(v.event, v.certainty.value) for v in found] == [
        ("strike-1", "possible"),
        ("strike-3", "definite"),
        ("strike-2", "definite"),
    ]
    for period in ("2020-10-10T12:00+03:00/..", "../2020-10-10T09:29Z", "2020-10-10T10:00Z"):
        options: dict[str, Any] = {"period": period}
        expected = cm.casualties_by_actor(ds, **options)
        assert cm.casualties_by_actor(opened, **options) == expected
        assert cm.ceasefire_violations(opened, **options) == cm.ceasefire_violations(ds, **options)


def test_times_of_day_answer_as_the_dataset_on_duckdb(tmp_path: Path) -> None:
    ds = truce_at_noon()
    tables.write(ds, tmp_path / "tables")
    assert_times_of_day_answer_as_the_dataset(tables.open(tmp_path / "tables"), ds)


def written_in_format(path: Path, version: int, dropped: Callable[[str], bool]) -> None:
    """Rewrite the tables in ``path`` as an older format wrote them: without the columns
    ``dropped`` picks or a later format added, and with ``version`` in their metadata."""
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    for file in path.glob("*.parquet"):
        table = parquet.read_table(file)
        added = tables.layout.ADDED_COLUMNS.get(file.stem, {})
        later = {column for column, since in added.items() if since > version}
        old = table.drop_columns([n for n in table.column_names if dropped(n) or n in later])
        metadata = dict(table.schema.metadata)
        written = orjson.loads(metadata[tables.layout.METADATA_KEY])
        metadata[tables.layout.METADATA_KEY] = orjson.dumps({**written, "format": version})
        parquet.write_table(old.replace_schema_metadata(metadata), file)


def without_aggregates(ds: cm.Dataset) -> cm.Dataset:
    """``ds`` as a format before 4 holds it: every event a single incident."""
    return cm.Dataset(
        attrs.evolve(r, aggregate=False) if isinstance(r, cm.Event) else r for r in ds.records()
    )


def repeated_owner_column(name: str) -> bool:
    return name.startswith("owner_")


def test_tables_of_format_1_open_with_no_instants(tmp_path: Path) -> None:
    """Format 1 had no ``_from``/``_until`` columns and no times of day; it still opens."""
    ds = cm.examples.idlib_2020()
    path = idlib_tables(tmp_path)
    assert tables.open(path).periods_in_parts
    written_in_format(
        path, 1, lambda n: repeated_owner_column(n) or n.endswith(("_from", "_until"))
    )
    opened = tables.open(path)
    assert not opened.periods_in_parts
    assert cm.ceasefire_violations(opened) == cm.ceasefire_violations(ds)
    assert cm.casualties_by_actor(opened, period="2020-02") == cm.casualties_by_actor(
        ds, period="2020-02"
    )


def test_tables_of_format_3_open_with_no_aggregate_events(tmp_path: Path) -> None:
    """Format 3 had no ``aggregate`` column: its events read as single incidents, DuckDB
    still reading each file with its own Parquet reader (the column added as nulls)."""
    ds = cm.examples.idlib_2020()
    written_in_format(idlib_tables(tmp_path), 3, lambda n: False)
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    assert "aggregate" not in parquet.read_schema(tmp_path / "idlib" / "events.parquet").names
    opened = tables.open(tmp_path / "idlib")
    views = opened.backend.con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal"
    ).fetchall()
    assert len(views) == len(tables.schemas())
    assert all("read_parquet" in sql for _, sql in views), "DuckDB reads each file itself"
    assert [name for name, sql in views if "NULL" in sql] == [opened.table("events").get_name()]
    assert cm.ceasefire_violations(opened) == cm.ceasefire_violations(ds)
    assert cm.casualties_by_actor(opened, according_to="turkey") == cm.casualties_by_actor(
        ds, according_to="turkey"
    )
    assert tables.load(tmp_path / "idlib") == ds


@share(1 / 6, at_least=5)
@given(any_dataset, st.none() | spans, st.data())
def test_tables_of_format_2_read_the_events_columns_from_the_events_table(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    """Format 2 had no ``owner_<column>`` columns in child tables: opened or loaded, the
    queries read them from the events table and answer as the dataset does (whose events
    are single incidents: format 2 had no aggregates either)."""
    ds = without_aggregates(ds)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tables"
        tables.write(ds, path)
        written_in_format(path, 2, repeated_owner_column)
        assert_same_answers(tables.open(path), ds, period, data, camps(ds, data)[:2])
        loaded = tables.load(path)
        assert loaded == ds
        assert cm.casualties_by_actor(loaded, period=period) == cm.casualties_by_actor(
            ds, period=period
        )


@given(any_dataset)
def test_child_tables_repeat_their_events_columns_in_time_order(ds: cm.Dataset) -> None:
    """Every casualty entry and associate row repeats its event's type, time and place, and
    the written file holds them sorted by the event's first day."""
    arrow: Any = pytest.importorskip("pyarrow")
    found = tables.layout.arrow_tables(ds)
    columns = tables.layout.owner_columns("events")
    events = {row["id"]: row for row in found["events"].to_pylist()}
    for name in ("events_casualties", "events_associates"):
        for row in found[name].to_pylist():
            event = events[row["owner"]]
            assert [row[f"owner_{c}"] for c in columns] == [event[c] for c in columns]
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        parquet: Any = pytest.importorskip("pyarrow.parquet")
        written = parquet.read_table(Path(folder) / "tables" / "events_casualties.parquet")
        starts = written.column("owner_when_start").drop_null().to_pylist()
        assert starts == sorted(starts)
        assert arrow.compute.sum(written.column("owner_when_start").is_null()).as_py() in (
            None,
            written.num_rows - len(starts),
        )
        tail = written.column("owner_when_start").slice(len(starts))
        assert tail.null_count == len(tail)


def test_a_child_table_repeating_other_event_columns_is_refused_naming_event_and_column(
    tmp_path: Path,
) -> None:
    """Another tool's tables whose casualty entries repeat another time or place than their
    event's would choose the wrong entries: ``tables.load`` refuses them (``tables.open``
    trusts the large tables, as it trusts their ids)."""
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    arrow: Any = pytest.importorskip("pyarrow")
    path = idlib_tables(tmp_path)
    file = path / "events_casualties.parquet"
    entries = parquet.read_table(file)
    where = entries.schema.get_field_index("owner_where")
    moved = arrow.array(["saraqeb"] * entries.num_rows, arrow.string())
    parquet.write_table(entries.set_column(where, "owner_where", moved), file)
    with pytest.raises(cm.DatasetError) as refused:
        tables.load(path)
    assert str(refused.value).splitlines()[1:] == [
        "  - event 'attack-2020-02-03'.casualties: table events_casualties repeats its where "
        "(column owner_where) as another value than table events holds; write the tables "
        "again with tables.write()",
        "  - event 'retaliation-2020-02-03'.casualties: table events_casualties repeats its "
        "where (column owner_where) as another value than table events holds; write the "
        "tables again with tables.write()",
    ]


def graded_seed_with_unattributed_figures() -> cm.Dataset:
    """The seed with graded events and unattributed casualty figures (one on an event whose
    record has none)."""
    said = [
        cm.Claim(
            id=f"reports-{event}",
            claimant=None,
            statement=cm.CasualtyFigure(event, "syrian-army", killed=40),
        )
        for event in ("turkish-airstrike-2020-02-06", "interception-2020-02-06")
    ]
    grades = [
        cm.Assessment(id="a", grade="confirmed", event="attack-2020-02-03", made="2020-02-04"),
        cm.Assessment(id="b", grade="weak", event="attack-2020-02-03"),
        cm.Assessment(id="c", grade="contested", event="turkish-airstrike-2020-02-06"),
        cm.Assessment(id="d", grade="fair", event="retaliation-2020-02-03", made="2020-02-05"),
        cm.Assessment(id="e", grade="discounted", event="retaliation-2020-02-03", made="2020-03"),
    ]
    return cm.examples.idlib_2020().with_records([*said, *grades])


@pytest.mark.parametrize("min_grade", [None, *cm.Grade])
@pytest.mark.parametrize("claimant", [None, "syria", "turkey"])
def test_grades_and_unattributed_claims_answer_as_the_dataset_on_duckdb(
    tmp_path: Path, min_grade: cm.Grade | None, claimant: str | None
) -> None:
    ds = graded_seed_with_unattributed_figures()
    tables.write(ds, tmp_path / "graded")
    opened = tables.open(tmp_path / "graded")
    options: dict[str, Any] = {"according_to": claimant, "min_grade": min_grade}
    found = cm.casualties_by_actor(opened, **options)
    expected = cm.casualties_by_actor(ds, **options)
    assert found == expected
    assert found.injured == expected.injured
    assert cm.ceasefire_violations(opened, **options) == cm.ceasefire_violations(ds, **options)


def test_the_engine_grades_an_event_by_its_latest_assessment(tmp_path: Path) -> None:
    tables.write(graded_seed_with_unattributed_figures(), tmp_path / "graded")
    opened = tables.open(tmp_path / "graded")
    assert table_queries.event_grades(opened) == {
        "attack-2020-02-03": cm.Grade.CONFIRMED,
        "turkish-airstrike-2020-02-06": cm.Grade.CONTESTED,
        "retaliation-2020-02-03": cm.Grade.DISCOUNTED,
    }
    assert cm.casualties_by_actor(opened, min_grade="fair") == {
        "turkish-army": cm.Estimate.exact(8)
    }
    assert "unattributed" not in cm.casualties_by_actor(opened)
    assert cm.casualties_by_actor(opened) == cm.casualties_by_actor(cm.examples.idlib_2020())


def replaced(ds: cm.Dataset, event: cm.Event) -> cm.Dataset:
    """``ds`` with ``event`` in place of the event of its id."""
    return cm.Dataset(
        [event if record is ds.events.get(event.id) else record for record in ds.records()]
    )


def idlib_tables(folder: Path) -> Path:
    path = folder / "idlib"
    tables.write(cm.examples.idlib_2020(), path)
    return path


def test_a_folder_name_is_a_path_not_a_pattern(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    lone = cm.Dataset([ds.actors["syria"]])
    tables.write(ds, tmp_path / "data1")
    tables.write(lone, tmp_path / "data[1]")
    tables.write(ds, tmp_path / "star-b")
    tables.write(lone, tmp_path / "star*")
    assert dict(cm.casualties_by_actor(tables.open(tmp_path / "data[1]"))) == {}
    assert dict(cm.casualties_by_actor(tables.open(tmp_path / "star*"))) == {}
    assert len(tables.open(tmp_path / "star*").dimensions.actors) == 1


def test_a_failed_write_leaves_the_old_tables_and_no_temporary_folder(tmp_path: Path) -> None:
    path = idlib_tables(tmp_path)
    before = sorted(p.name for p in path.iterdir())
    calls = 0
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    original = parquet.write_table

    def failing(table: Any, where: Any, **options: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        original(table, where, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parquet, "write_table", failing)
        with pytest.raises(OSError, match="disk full"):
            tables.write(cm.Dataset(), path)
    assert sorted(p.name for p in path.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["idlib"]
    assert len(tables.open(path).dimensions.actors) == 10


def test_a_killed_write_leaves_a_folder_the_next_write_removes(tmp_path: Path) -> None:
    stale = tmp_path / ".idlib.conflictmodel-tmp-abc123"
    stale.mkdir()
    (stale / "events.parquet").write_bytes(b"half")
    idlib_tables(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["idlib"]


def test_missing_tables_other_formats_and_unknown_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(cm.ValidationError, match=r"lacks actors\.parquet"):
        tables.open(tmp_path)
    path = idlib_tables(tmp_path)
    opened = tables.open(path)
    with pytest.raises(cm.UnknownNameError, match="within='nowhere'"):
        cm.casualties_by_actor(opened, within="nowhere")
    with pytest.raises(cm.UnknownNameError, match="agreement='none'"):
        cm.ceasefire_violations(opened, "none")
    with pytest.raises(cm.ValidationError, match="period='2020-13'"):
        cm.casualties_by_actor(opened, period="2020-13")
    with pytest.raises(cm.ValidationError, match="engine='polars'"):
        tables.open(path, engine="polars")  # type: ignore[arg-type]  # mypy refuses it too
    with pytest.raises(cm.ValidationError, match="needs spark="):
        tables.open(path, engine="spark")
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    events = parquet.read_table(path / "events.parquet")
    parquet.write_table(
        events.replace_schema_metadata({b"conflictmodel": b'{"format": 99}'}),
        path / "events.parquet",
    )
    with pytest.raises(cm.ValidationError, match="table format 99"):
        tables.open(path)


def test_answers_cannot_be_changed_in_place(tmp_path: Path) -> None:
    opened = tables.open(idlib_tables(tmp_path))
    totals = cm.casualties_by_actor(opened)
    with pytest.raises(TypeError):
        totals["syrian-army"] = cm.Estimate.exact(0)  # type: ignore[index]
    with pytest.raises(TypeError):
        totals.injured["syrian-army"] = cm.Estimate.exact(0)  # type: ignore[index]
    events = opened.table("events").to_pyarrow()
    with pytest.raises(TypeError):
        events.column("id")[0] = "x"
    ds = cm.examples.idlib_2020()
    table = cm.casualties_by_actor(ds)
    with pytest.raises(TypeError):
        table.by_event["attack-2020-02-03"] = ()  # type: ignore[index]
    with pytest.raises(TypeError):
        table.injured[None] = cm.Estimate.exact(0)  # type: ignore[index]
    assert cm.casualties_by_actor(opened) == cm.casualties_by_actor(ds)


def huge_counts() -> cm.Dataset:
    """Four events of 2⁶² killed each: their sum needs more than 64 bits."""
    big = cm.Estimate.exact(2**62)
    actors = [cm.Actor(id=a, name=a, kind="state") for a in ("a", "b")]
    events = [
        cm.Engagement(
            id=f"e{n}",
            when="2020-01-01",
            kind="attack",
            initiators=["a"],
            targets=["b"],
            casualties=[cm.Casualties("b", killed=big)],
        )
        for n in range(4)
    ]
    return cm.Dataset([*actors, *events])


def test_sums_past_64_bits_are_exact_on_duckdb(tmp_path: Path) -> None:
    tables.write(huge_counts(), tmp_path / "big")
    assert cm.casualties_by_actor(tables.open(tmp_path / "big")) == {
        "b": cm.total([cm.Estimate.exact(2**62)] * 4)
    }
    frame = cm.casualties_over_time(tables.load(tmp_path / "big"), "M")
    assert frame.equals(cm.casualties_over_time(huge_counts(), "M"))
    assert [frame[("b", measure)].tolist() for measure in ("best", "low", "high")] == [[2**64]] * 3


def test_a_best_without_a_low_counts_as_one_with_no_floor_on_duckdb(tmp_path: Path) -> None:
    """Written by another tool, a casualty entry may hold a best but no low: the engine
    counts a best with no floor there (its sum has none), as the dataset does; a high alone
    is refused, naming the cells."""
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    arrow: Any = pytest.importorskip("pyarrow")

    def first_killed_without(columns: list[str], name: str) -> tables.Tables:
        tables.write(huge_counts(), tmp_path / name)
        file = tmp_path / name / "events_casualties.parquet"
        table = parquet.read_table(file)
        for column in columns:
            values = table.column(column).to_pylist()
            values[0] = None
            index = table.column_names.index(column)
            typed = arrow.array(values, table.schema.field(column).type)
            table = table.set_column(index, column, typed)
        parquet.write_table(table, file)
        return tables.open(tmp_path / name)

    floorless = first_killed_without(["killed_low"], "floorless")
    absent = first_killed_without(["killed_low", "killed_best", "killed_high"], "absent")
    stray = first_killed_without(["killed_low", "killed_best"], "stray")
    ds = tables.load(tmp_path / "floorless")
    first = ds.events["e0"]
    assert isinstance(first, cm.Engagement)
    assert first.casualties[0].killed == cm.Estimate(None, 2**62, 2**62)
    assert cm.casualties_by_actor(floorless) == cm.casualties_by_actor(ds)
    summed = cm.casualties_by_actor(floorless)["b"]
    assert (summed.low, summed.best, summed.high) == (None, 2**64, 2**64)
    assert cm.casualties_by_actor(absent) == {"b": cm.total([cm.Estimate.exact(2**62)] * 3)}
    with pytest.raises(cm.LoadError, match=r"give a low or a best figure.*killed_high 4611"):
        cm.casualties_by_actor(stray)


@pytest.fixture(scope="module")
def syria(tmp_path_factory: pytest.TempPathFactory) -> tuple[cm.Dataset, Path]:
    """The real UCDP Syria file as a dataset, and its tables."""
    if not REAL_SYRIA.exists():
        pytest.skip("real UCDP files not present")
    ds = read_ged(REAL_SYRIA).dataset
    folder = tmp_path_factory.mktemp("syria") / "tables"
    tables.write(ds, folder)
    return ds, folder


@pytest.mark.xdist_group("spark")
def test_the_real_syria_file_gives_the_same_totals_on_duckdb(
    syria: tuple[cm.Dataset, Path],
) -> None:
    ds, folder = syria
    opened = tables.open(folder)
    found, expected = cm.casualties_by_actor(opened), cm.casualties_by_actor(ds)
    assert found == expected
    assert [found.claimants(a) for a in expected] == [expected.claimants(a) for a in expected]
    assert cm.casualties_by_actor(opened, roll_up=True, period="2018") == cm.casualties_by_actor(
        ds, roll_up=True, period="2018"
    )
    assert cm.casualty_matrix(opened, period="2018") == cm.casualty_matrix(ds, period="2018")


def test_a_large_dataset_in_memory_counts_in_duckdb_as_its_records_do(
    syria: tuple[cm.Dataset, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ds, _ = syria
    options: dict[str, Any] = {"roll_up": True, "period": "2018", "according_to": "ucdp-actor-118"}
    expected, matrix = cm.casualties_by_actor(ds, **options), cm.casualty_matrix(ds, **options)
    weekly = cm.casualties_over_time(ds, "W", **options)
    assert ds.cached("tables.from_dataset", lambda _: None) is None
    monkeypatch.setattr(_arguments, "HELD_IN_ENGINE_FROM", len(ds.events))
    held = cm.Dataset(ds.records())
    found = cm.casualties_by_actor(held, **options)
    assert isinstance(held.cached("tables.from_dataset", lambda _: None), tables.Tables)
    assert isinstance(found, cm.CasualtyTable)
    assert found == expected
    assert str(found) == str(expected)
    assert found.by_event == expected.by_event
    assert cm.casualty_matrix(held, **options) == matrix
    assert cm.casualties_over_time(held, "W", **options).equals(weekly)
    monkeypatch.setattr(_arguments, "HELD_IN_ENGINE_FROM", len(ds.events) + 1)
    below = cm.Dataset(ds.records())
    assert cm.casualties_by_actor(below, **options) == expected
    assert below.cached("tables.from_dataset", lambda _: None) is None


# Spark: one session for the run (tests/tables/conftest.py), every test in one xdist group.


@pytest.mark.xdist_group("spark")
@settings(max_examples=2, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conflicts(), st.none() | spans, st.data())
def test_spark_answers_as_the_dataset_for_every_perspective(
    spark: Any, ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        opened = tables.open(Path(folder) / "tables", engine="spark", spark=spark)
        claimant = data.draw(st.sampled_from(sorted(ds.actors)))
        assert_same_answers(opened, ds, period, data, [None, claimant])


@pytest.mark.xdist_group("spark")
def test_spark_in_another_time_zone_reads_times_of_day_as_the_dataset(
    spark: Any, tmp_path: Path
) -> None:
    """A session whose time zone is not UTC (a user's, or ``--engine spark`` on a machine
    outside UTC) compares and reads the instants as the records do."""
    ds = truce_at_noon()
    tables.write(ds, tmp_path / "tables")
    zone = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    try:
        opened = tables.open(tmp_path / "tables", engine="spark", spark=spark)
        assert_times_of_day_answer_as_the_dataset(opened, ds)
        assert cm.ceasefire_durability(opened, "truce") == cm.ceasefire_durability(ds, "truce")
    finally:
        spark.conf.set("spark.sql.session.timeZone", zone)


@pytest.mark.xdist_group("spark")
def test_spark_answers_the_seed_sums_past_64_bits_and_reads_odd_folder_names(
    spark: Any, tmp_path: Path
) -> None:
    ds = cm.examples.idlib_2020()
    opened = tables.open(idlib_tables(tmp_path), engine="spark", spark=spark)
    assert cm.casualties_by_actor(opened, according_to="turkey") == cm.casualties_by_actor(
        ds, according_to="turkey"
    )
    violations = cm.ceasefire_violations(opened)
    assert violations == cm.ceasefire_violations(ds)
    assert str(violations) == str(cm.ceasefire_violations(ds))
    tables.write(huge_counts(), tmp_path / "big[1]")
    tables.write(ds, tmp_path / "big1")
    big = tables.open(tmp_path / "big[1]", engine="spark", spark=spark)
    assert cm.casualties_by_actor(big) == {"b": cm.total([cm.Estimate.exact(2**62)] * 4)}


@pytest.mark.xdist_group("spark")
def test_spark_counts_bins_and_places_the_seed_as_duckdb_and_the_records(
    spark: Any, tmp_path: Path
) -> None:
    ds = cm.examples.idlib_2020()
    path = idlib_tables(tmp_path)
    on_spark = tables.open(path, engine="spark", spark=spark)
    on_duckdb = tables.open(path)
    assert table_queries.event_counts(on_spark) == event_counts(ds)
    offensive = ds.events["idlib-offensive"]
    assert isinstance(offensive, cm.Engagement)
    both = replaced(ds, attrs.evolve(offensive, targets=(*offensive.targets, "syrian-army")))
    tables.write(both, tmp_path / "both")
    on_both_sides = tables.open(tmp_path / "both", engine="spark", spark=spark)
    assert table_queries.event_counts(on_both_sides) == event_counts(both)
    for claimant in (None, "syria"):
        for opened in (on_spark, on_duckdb):
            scope = _arguments.table_scope("test", opened, claimant, None, None, True, True, None)
            found = table_queries.killed_by_span(opened, scope)
            assert found == over_time.killed_by_span(ds, according_to=claimant, roll_up=True)
    points = [place.id for place in ds.locations.values() if place.point is not None]
    period = when("2020-02")
    assert sorted(table_queries.placed_killed(on_spark, period, points)) == sorted(
        table_queries.placed_killed(on_duckdb, period, points)
    )


@pytest.mark.xdist_group("spark")
def test_spark_reads_the_events_columns_of_format_2_tables_from_the_events_table(
    spark: Any, tmp_path: Path
) -> None:
    ds = cm.examples.idlib_2020()
    path = idlib_tables(tmp_path)
    written_in_format(path, 2, repeated_owner_column)
    opened = tables.open(path, engine="spark", spark=spark)
    choices: list[dict[str, Any]] = [
        {"period": "2020-02-03"},
        {"within": "idlib", "according_to": "turkey"},
    ]
    for options in choices:
        assert cm.casualties_by_actor(opened, **options) == cm.casualties_by_actor(ds, **options)


@pytest.mark.xdist_group("spark")
def test_spark_reads_tables_of_format_3_as_single_incidents(spark: Any, tmp_path: Path) -> None:
    week = cm.Engagement(
        id="week",
        when="2020-02-10/2020-02-14",
        where="idlib-governorate",
        kind="armed_clash",
        initiators=[],
        targets=["syrian-army", "turkish-army"],
        aggregate=True,
    )
    ds = cm.examples.idlib_2020().with_records([week])
    tables.write(ds, tmp_path / "now")
    now = tables.open(tmp_path / "now", engine="spark", spark=spark)
    assert table_queries.event_counts(now).aggregates == 1
    assert [v.aggregate for v in cm.ceasefire_violations(now)] == [
        v.aggregate for v in cm.ceasefire_violations(ds)
    ]
    tables.write(ds, tmp_path / "old")
    written_in_format(tmp_path / "old", 3, lambda n: False)
    old = tables.open(tmp_path / "old", engine="spark", spark=spark)
    assert table_queries.event_counts(old) == event_counts(without_aggregates(ds))
    assert cm.ceasefire_violations(old) == cm.ceasefire_violations(without_aggregates(ds))


@pytest.mark.xdist_group("spark")
def test_the_real_syria_file_gives_the_same_totals_on_spark(
    spark: Any, syria: tuple[cm.Dataset, Path]
) -> None:
    ds, folder = syria
    opened = tables.open(folder, engine="spark", spark=spark)
    assert cm.casualties_by_actor(opened, roll_up=True) == cm.casualties_by_actor(ds, roll_up=True)


def test_an_expression_ibis_runs_waits_for_the_kept_tables_it_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tables.open(idlib_tables(tmp_path))
    threads = opened._builds()

    class Slow:
        """Builds each kept table after a pause, so a query that does not wait misses it."""

        def submit(self, build: Any, *arguments: Any) -> Any:
            def later() -> Any:
                time.sleep(0.5)
                return build(*arguments)

            return threads.submit(later)

    monkeypatch.setattr(opened, "_builds", Slow)
    chosen = table_queries.chosen_events(opened, None, None, None)
    figures = table_queries.visible_figures(opened, chosen, None)
    rows = figures.to_pyarrow().to_pylist()
    assert rows
    assert sorted(map(str, rows)) == sorted(map(str, opened.run(figures)))


def test_held_tables_are_the_files_rows_in_order_and_need_the_files_no_more(
    syria: tuple[cm.Dataset, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hold=True`` copies every table, in parts, into DuckDB's memory: the rows and their
    order are the files', and the queries answer once the files are gone."""
    ds, written = syria
    folder = tmp_path / "tables"
    folder.symlink_to(written)
    monkeypatch.setattr(store, "HELD_AT_ONCE", 4_000)
    held = tables.open(folder, hold=True)
    read = tables.open(folder)
    assert (held.held, read.held) == (True, False)
    assert repr(held) == f"<Tables {str(folder)!r} on duckdb, held>"
    for name in tables.schemas():
        assert held.rows(name).equals(read.rows(name)), name
    folder.unlink()
    options: dict[str, Any] = {"roll_up": True, "period": "2018"}
    assert cm.casualties_by_actor(held, **options) == cm.casualties_by_actor(ds, **options)
    assert cm.casualty_matrix(held) == cm.casualty_matrix(ds)
    assert cm.ceasefire_violations(held) == cm.ceasefire_violations(ds)
    with pytest.raises(pytest.importorskip("duckdb").IOException, match="No files found"):
        cm.casualties_by_actor(read, period="2017")


def test_tables_read_through_arrow_are_not_held_and_say_so(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    folder = tmp_path / "data[1]"
    tables.write(ds, folder)
    opened = tables.open(folder, hold=True)
    assert not opened.held
    assert repr(opened) == f"<Tables {str(folder)!r} on duckdb>"
    assert cm.casualties_by_actor(opened) == cm.casualties_by_actor(ds)


def test_a_dataset_over_held_tables_builds_the_records_written(
    syria: tuple[cm.Dataset, Path],
) -> None:
    ds, folder = syria
    loaded = tables.load(folder, hold=True)
    some = sorted(ds.events)[::3000]
    assert [loaded.events[i] for i in some] == [ds.events[i] for i in some]
    assert cm.casualties_by_actor(loaded, period="2018") == cm.casualties_by_actor(
        ds, period="2018"
    )


@pytest.mark.xdist_group("spark")
def test_spark_caches_held_tables_until_they_are_dropped(spark: Any, tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    opened = tables.open(idlib_tables(tmp_path), engine="spark", spark=spark, hold=True)
    names = list(opened._names.values())
    assert opened.held
    assert all(spark.catalog.isCached(name) for name in names)
    assert cm.casualties_by_actor(opened, according_to="turkey") == cm.casualties_by_actor(
        ds, according_to="turkey"
    )
    assert cm.ceasefire_violations(opened) == cm.ceasefire_violations(ds)
    del opened
    gc.collect()
    assert not any(spark.catalog.isCached(name) for name in names)


def test_tables_too_large_to_hold_in_the_memory_given_are_refused_saying_what_to_do(
    syria: tuple[cm.Dataset, Path],
) -> None:
    _, folder = syria
    with pytest.raises(cm.EngineError, match=r"could not hold '.*\.parquet' in memory \(it may"):
        tables.open(folder, hold=True, settings={"memory_limit": "8MB"})
