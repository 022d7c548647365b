"""DuckDB's settings given to ``tables.open`` and ``tables.load``, and its out-of-memory error
raised as an ``EngineError`` that says how much memory it had."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tables.test_engines import REAL_SYRIA
from tests.tables.test_lazy import written

import conflictmodel as cm
from conflictmodel import tables
from conflictmodel.io.ucdp import read_ged
from conflictmodel.tables import store
from conflictmodel.tables.lazy import LazyRecords

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("ibis")


def _setting(opened: tables.Tables, name: str) -> object:
    found: object = opened.backend.con.execute("SELECT current_setting(?)", [name]).fetchone()[0]
    return found


def test_settings_configure_the_database_and_leave_the_answers_alone(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    folder = written(seed, tmp_path / "tables")
    opened = tables.open(folder, settings={"memory_limit": "1GB", "threads": 1})
    assert (_setting(opened, "memory_limit"), _setting(opened, "threads")) == ("953.6 MiB", 1)
    assert cm.casualties_by_actor(opened, according_to="turkey") == cm.casualties_by_actor(
        seed, according_to="turkey"
    )
    loaded = tables.load(folder, settings={"threads": 1})
    assert loaded == seed
    held = tables.from_dataset(seed, settings={"threads": 1})
    assert (_setting(held, "threads"), cm.casualty_matrix(held)) == (1, cm.casualty_matrix(seed))


def test_a_setting_duckdb_lacks_or_a_value_it_refuses_is_named(tmp_path: Path) -> None:
    folder = written(cm.examples.idlib_2020(), tmp_path / "tables")
    with pytest.raises(
        cm.ValidationError,
        match=r"^tables\.open\(settings=\.\.\.\): DuckDB has no setting 'memory_limt' "
        r"\(did you mean 'memory_limit'\?\)$",
    ):
        tables.open(folder, settings={"memory_limt": "1GB"})
    with pytest.raises(
        cm.ValidationError,
        match=r"^tables\.open\(settings=\.\.\.\): DuckDB refused memory_limit = 'lots': "
        r"Parser Error: Memory must have a number",
    ):
        tables.load(folder, settings={"memory_limit": "lots"})
    with pytest.raises(cm.ValidationError, match=r"the settings are DuckDB's; configure Spark"):
        tables.open(folder, engine="spark", settings={"threads": 1})
    with pytest.raises(
        cm.ValidationError,
        match=r"^tables\.from_dataset\(settings=\.\.\.\): DuckDB has no setting 'thread' ",
    ):
        tables.from_dataset(cm.examples.idlib_2020(), settings={"thread": 1})


def test_running_out_of_memory_is_an_engine_error_saying_how_much_duckdb_had(
    tmp_path: Path,
) -> None:
    folder = written(cm.examples.idlib_2020(), tmp_path / "tables")
    with pytest.raises(cm.EngineError) as caught:
        tables.open(folder, settings={"memory_limit": "128KB"})
    assert str(caught.value).startswith(
        f"DuckDB ran out of memory running a query on the tables in {str(folder)!r} "
        "(it may use 125.0 KiB): give it more, or fewer threads (settings={'memory_limit': "
        "'8GB', 'threads': 1} in Python, --memory-limit 8GB --threads 1 on the command line); "
        "DuckDB said: Out of Memory Error: "
    )
    assert isinstance(caught.value.__cause__, duckdb.OutOfMemoryException)
    with pytest.raises(cm.EngineError, match=r"\(it may use 125\.0 KiB\)"):
        tables.load(folder, settings={"memory_limit": "128KB"})
    with pytest.raises(cm.EngineError, match=r"^DuckDB ran out of memory .* tables in memory "):
        tables.from_dataset(cm.examples.idlib_2020(), settings={"memory_limit": "128KB"})


def test_a_checkpoint_that_cannot_pin_a_block_is_running_out_of_memory() -> None:
    """Short of memory while it compresses an in-memory database, DuckDB fails the checkpoint
    with an IO error (measured holding 1,000,000 events' tables in 40 MB): it says so as its
    out-of-memory error does; any other IO error passes as it is."""
    connection = duckdb.connect()
    said = (
        'IO Error: Checkpoint failed for database "conflictmodel_held". The database has been '
        "invalidated. Original error: failed to pin block of size 256.0 KiB "
        "(37.9 MiB/38.1 MiB used)"
    )
    out = r"^DuckDB ran out of memory compressing .*pin"
    with pytest.raises(cm.EngineError, match=out), store.engine_failures(connection, "compressing"):
        raise duckdb.IOException(said)
    other = "IO Error: No files found that match the pattern"
    with pytest.raises(duckdb.IOException, match=other), store.engine_failures(connection, "x"):
        raise duckdb.IOException(other)


def test_the_real_syria_file_answers_alike_in_32_mb_spilling_to_disk(tmp_path: Path) -> None:
    if not REAL_SYRIA.exists():
        pytest.skip("real UCDP files not present")
    ds = read_ged(REAL_SYRIA, progress=False).dataset
    folder = written(ds, tmp_path / "tables")
    one_thread: tables.Settings = {"threads": 1, "temp_directory": str(tmp_path / "spill")}
    cramped = tables.open(folder, settings={"memory_limit": "6MB", **one_thread})
    with pytest.raises(cm.EngineError, match=r"\(it may use 5\.7 MiB\)"):
        cm.casualties_by_actor(cramped)
    opened = tables.open(folder, settings={"memory_limit": "32MB", **one_thread})
    assert cm.casualties_by_actor(opened) == cm.casualties_by_actor(ds)
    assert cm.casualty_matrix(opened) == cm.casualty_matrix(ds)


def test_a_json_lines_load_takes_settings_and_says_when_duckdb_runs_out(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    path = tmp_path / "seed.jsonl"
    cm.dump(seed, path)
    ds = cm.load(path, lazy=True, settings={"memory_limit": "64MB", "threads": 1})
    assert isinstance(ds._tables["events"], LazyRecords)
    assert ds == seed
    assert cm.casualties_by_actor(ds, according_to="turkey") == cm.casualties_by_actor(
        seed, according_to="turkey"
    )
    small = cm.load(path, settings={"memory_limit": "4MB"})
    assert not isinstance(small._tables["events"], LazyRecords)
    assert small == seed
    with pytest.raises(cm.EngineError) as caught:
        cm.load(path, lazy=True, settings={"memory_limit": "4MB", "threads": 1})
    assert str(caught.value).startswith(
        f"DuckDB ran out of memory reading {str(path)!r} (it may use 3.8 MiB): give it more"
    )
    with pytest.raises(
        cm.ValidationError, match=r"^load\(settings=\.\.\.\): DuckDB has no setting 'thread' "
    ):
        cm.load(path, lazy=True, settings={"thread": 1})
    with pytest.raises(cm.ValidationError, match=r"reads a JSON Lines file only columns first"):
        cm.load(path, lazy=False, settings={"threads": 1})
    cm.dump(seed, tmp_path / "seed.json")
    with pytest.raises(cm.ValidationError, match=r"settings configure DuckDB, which reads no "):
        cm.load(tmp_path / "seed.json", settings={"threads": 1})
    folder = written(seed, tmp_path / "tables")
    with pytest.raises(cm.EngineError, match=r"\(it may use 125\.0 KiB\)"):
        cm.load(folder, settings={"memory_limit": "128KB"})
