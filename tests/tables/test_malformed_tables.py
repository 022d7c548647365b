"""Malformed tables are refused by ``tables.open`` / ``tables.load`` naming file, column and row."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import conflictmodel as cm
from conflictmodel import tables
from conflictmodel.tables import store

arrow: Any = pytest.importorskip("pyarrow")
parquet: Any = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("ibis")
pytest.importorskip("duckdb")


def written(folder: Path) -> Path:
    tables.write(cm.examples.idlib_2020(), folder)
    return folder


def rewrite(
    folder: Path, name: str, change: Callable[[Any], Any], *, keep_metadata: bool = True
) -> None:
    """Write table ``name`` of ``folder`` again as ``change`` makes it (with the original
    file's metadata where ``change`` leaves none, unless ``keep_metadata`` is false)."""
    path = folder / f"{name}.parquet"
    table = parquet.read_table(path)
    changed = change(table)
    metadata = (changed.schema.metadata or table.schema.metadata) if keep_metadata else None
    parquet.write_table(changed.replace_schema_metadata(metadata), path)


def column_set(name: str, values: list[Any], kind: Any = None) -> Callable[[Any], Any]:
    def change(table: Any) -> Any:
        index = table.column_names.index(name)
        return table.set_column(index, name, arrow.array(values, kind))

    return change


def cell_set(name: str, row: int, value: Any) -> Callable[[Any], Any]:
    def change(table: Any) -> Any:
        values = table.column(name).to_pylist()
        values[row] = value
        index = table.column_names.index(name)
        return table.set_column(index, name, arrow.array(values, table.schema.field(name).type))

    return change


def selected(columns: list[str]) -> Callable[[Any], Any]:
    return lambda table: table.select(columns)


def metadata_of(name: str, version: int) -> Callable[[Any], Any]:
    value = f'{{"format": {version}, "table": "{name}"}}'.encode()
    return lambda table: table.replace_schema_metadata({b"conflictmodel": value})


def test_open_refuses_a_missing_folder_and_a_file(tmp_path: Path) -> None:
    with pytest.raises(cm.ValidationError, match=r"no such folder '.*nope'$"):
        tables.open(tmp_path / "nope")
    dataset = tmp_path / "idlib.jsonl"
    cm.dump(cm.examples.idlib_2020(), dataset)
    with pytest.raises(cm.ValidationError) as refused:
        tables.load(dataset)
    assert "is not a folder; it expects a folder of tables" in str(refused.value)
    assert str(refused.value).endswith("(a dataset file is read by conflictmodel.load())")


@pytest.mark.parametrize("name", ["events_casualties", "events_associates", "events", "claims"])
@pytest.mark.parametrize("version", [0, 5, None])
def test_every_file_has_a_format_this_version_reads(
    tmp_path: Path, name: str, version: int | None
) -> None:
    folder = written(tmp_path / "t")
    if version is None:
        rewrite(folder, name, lambda table: table, keep_metadata=False)
        found = "has no conflictmodel format metadata"
    else:
        rewrite(folder, name, metadata_of(name, version))
        found = f"is in table format {version}"
    with pytest.raises(cm.ValidationError) as refused:
        tables.open(folder)
    assert str(refused.value) == (
        f"tables.open(): {str(folder / f'{name}.parquet')!r} {found}; this version of "
        "conflictmodel reads formats 1 to 4"
    )


@pytest.mark.parametrize(
    ("name", "column", "values", "kind", "expected"),
    [
        ("events_casualties", "killed_best", [4.5, 1.0], arrow.float64(), "int64"),
        ("events_casualties", "killed_low", ["4", "1"], arrow.string(), "int64"),
        ("events_casualties", "actor", [1, 2], arrow.int64(), "string"),
        ("events", "initiators", None, arrow.string(), "list<item: string>"),
        ("events", "when_start", None, arrow.string(), "date32[day]"),
    ],
)
def test_a_column_of_another_type_is_refused_at_open(
    tmp_path: Path, name: str, column: str, values: list[Any] | None, kind: Any, expected: str
) -> None:
    folder = written(tmp_path / "t")
    if values is None:
        rewrite(
            folder,
            name,
            lambda table: table.set_column(
                table.column_names.index(column), column, arrow.array(["x"] * table.num_rows, kind)
            ),
        )
    else:
        rewrite(folder, name, column_set(column, values, kind))
    with pytest.raises(cm.ValidationError) as refused:
        tables.open(folder)
    assert str(refused.value) == (
        f"tables.open(): {str(folder / f'{name}.parquet')!r} has column {column!r} of type "
        f"{kind}, which does not read as the layout's {expected}"
    )


@pytest.mark.parametrize(
    ("name", "column", "field"),
    [
        ("events", "when_start", "when"),
        ("events", "id", "id"),
        ("events", "type", "type"),
        ("events", "initiators", "initiators"),
        ("events_casualties", "owner", "owner"),
        ("events_casualties", "position", "position"),
        ("actors", "name", "name"),
        ("claims", "stance", "stance"),
    ],
)
def test_a_missing_required_column_is_refused_at_open(
    tmp_path: Path, name: str, column: str, field: str
) -> None:
    folder = written(tmp_path / "t")
    rewrite(folder, name, lambda table: table.drop_columns([column]))
    with pytest.raises(cm.ValidationError) as refused:
        tables.load(folder)
    assert str(refused.value) == (
        f"tables.open(): {str(folder / f'{name}.parquet')!r} lacks column {column!r} "
        f"(field {field}, required)"
    )


def test_every_problem_of_the_files_is_named_at_once(tmp_path: Path) -> None:
    folder = written(tmp_path / "t")
    rewrite(folder, "events", lambda table: table.drop_columns(["when", "when_end"]))
    rewrite(folder, "events_associates", metadata_of("events_associates", 9))
    with pytest.raises(cm.ValidationError) as refused:
        tables.open(folder)
    message = str(refused.value)
    assert re.findall(r"([a-z_]+)\.parquet' (\w+)", message) == [
        ("events", "lacks"),
        ("events", "lacks"),
        ("events_associates", "is"),
    ]
    assert "lacks column 'when' (field when, required)" in message
    assert "lacks column 'when_end' (field when, required)" in message


def test_a_column_twice_is_refused_at_open(tmp_path: Path) -> None:
    folder = written(tmp_path / "t")
    rewrite(folder, "claims", lambda table: table.append_column("stance", table.column("stance")))
    with pytest.raises(
        cm.ValidationError, match=r"claims\.parquet' has column 'stance' more than once$"
    ):
        tables.open(folder)


def test_a_negative_count_is_refused_at_open(tmp_path: Path) -> None:
    folder = written(tmp_path / "t")
    rewrite(folder, "events_casualties", cell_set("killed_best", 1, -4))
    owner = parquet.read_table(folder / "events_casualties.parquet").column("owner")[1]
    with pytest.raises(cm.LoadError) as refused:
        tables.open(folder)
    assert [str(problem) for problem in refused.value.problems] == [
        f'events["{owner}"].casualties[0].killed.best: Estimate.best: must not be negative, '
        "got -4 (table events_casualties: killed_low 27, killed_best -4, killed_high 29)"
    ]


def test_a_negative_reported_total_is_refused_at_open(tmp_path: Path) -> None:
    folder = written(tmp_path / "t")
    events = parquet.read_table(folder / "events.parquet")
    row = events.column("reported_total_low").to_pylist().index(None)
    event = events.column("id")[row]
    for column, value in (("reported_total_low", -1), ("reported_total_best", 3)):
        rewrite(folder, "events", cell_set(column, row, value))
    with pytest.raises(cm.LoadError) as refused:
        tables.open(folder)
    assert [str(problem) for problem in refused.value.problems] == [
        f'events["{event}"].reported_total.low: Estimate.low: must not be negative, got -1 '
        "(table events: reported_total_low -1, reported_total_best 3, reported_total_high None)"
    ]


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"killed_best": 29, "killed_low": 30}, "best: Estimate.best: 29 is below low 30"),
        ({"killed_best": 29, "killed_high": 28}, "high: Estimate.high: 28 is below best 29"),
        ({"killed_high": 26}, "high: Estimate.high: 26 is below low 27"),
    ],
)
def test_figures_that_cannot_be_true_are_refused_before_they_are_summed(
    tmp_path: Path, cells: dict[str, int | None], problem: str
) -> None:
    folder = written(tmp_path / "t")
    for column, value in cells.items():
        rewrite(folder, "events_casualties", cell_set(column, 1, value))
    opened = tables.open(folder)
    owner = parquet.read_table(folder / "events_casualties.parquet").column("owner")[1]
    with pytest.raises(cm.LoadError) as refused:
        opened.check_figures()
    assert len(refused.value.problems) == 1
    assert str(refused.value.problems[0]).startswith(
        f'events["{owner}"].casualties[0].killed.{problem} (table events_casualties: killed_low'
    )
    with pytest.raises(cm.LoadError):
        opened.check_figures()


def test_a_claimed_figure_that_cannot_be_true_is_refused(tmp_path: Path) -> None:
    folder = written(tmp_path / "t")
    claims = parquet.read_table(folder / "claims.parquet")
    row = next(n for n, low in enumerate(claims.column("statement_killed_low").to_pylist()) if low)
    best = claims.column("statement_killed_best")[row].as_py()
    rewrite(folder, "claims", cell_set("statement_killed_low", row, best + 1))
    with pytest.raises(cm.LoadError) as refused:
        tables.open(folder).check_figures()
    assert [str(problem) for problem in refused.value.problems] == [
        f'claims["{claims.column("id")[row]}"].statement.killed.best: Estimate.best: {best} is '
        f"below low {best + 1} (table claims: statement_killed_low {best + 1}, "
        f"statement_killed_best {best}, statement_killed_high {best})"
    ]


def test_good_figures_pass_a_best_without_a_low_is_one_and_a_high_alone_is_refused(
    tmp_path: Path,
) -> None:
    folder = written(tmp_path / "t")
    tables.open(folder).check_figures()
    entries = parquet.read_table(folder / "events_casualties.parquet")
    bests = entries.column("killed_best").to_pylist()
    with_best = next(n for n, best in enumerate(bests) if best is not None)
    rewrite(folder, "events_casualties", cell_set("killed_low", with_best, None))
    tables.open(folder).check_figures()
    without_best = next(n for n, best in enumerate(bests) if best is None)
    rewrite(folder, "events_casualties", cell_set("killed_low", without_best, None))
    with pytest.raises(cm.LoadError) as refused:
        tables.open(folder).check_figures()
    owner, high = (entries.column(c)[without_best].as_py() for c in ("owner", "killed_high"))
    assert [str(problem) for problem in refused.value.problems] == [
        f'events["{owner}"].casualties[0].killed.low: Estimate.low: give a low or a best figure '
        f"(None is neither) (table events_casualties: killed_low None, killed_best None, "
        f"killed_high {high})"
    ]
    tables.from_dataset(cm.examples.idlib_2020()).check_figures()


@pytest.mark.parametrize(
    ("owner", "problem"), [("e9", "no event has id 'e9'"), (None, "null: the row has no owner")]
)
@pytest.mark.parametrize("format_2", [False, True])
def test_load_refuses_child_rows_whose_owner_no_record_has(
    tmp_path: Path, owner: str | None, problem: str, format_2: bool
) -> None:
    folder = written(tmp_path / "t")
    rewrite(folder, "events_casualties", cell_set("owner", 1, owner))
    if format_2:
        rewrite(
            folder,
            "events_casualties",
            lambda table: metadata_of("events_casualties", 2)(
                table.drop_columns([c for c in table.column_names if c.startswith("owner_")])
            ),
        )
    with pytest.raises(cm.UnresolvedReferenceError) as refused:
        tables.load(folder)
    assert [str(p) for p in refused.value.problems] == [f"events_casualties row 1.owner: {problem}"]


def seed_totals() -> Any:
    return cm.casualties_by_actor(cm.examples.idlib_2020())


def test_safely_widened_columns_open_and_give_the_same_totals(tmp_path: Path) -> None:
    folder = written(tmp_path / "t")

    def widened(table: Any) -> Any:
        for index, field in enumerate(table.schema):
            column = table.column(index)
            if arrow.types.is_int64(field.type):
                column = column.cast(arrow.int32())
            elif field.name == "actor":
                column = column.cast(arrow.large_string()).dictionary_encode()
            elif arrow.types.is_timestamp(field.type):
                column = column.cast(arrow.timestamp("ms", tz="Europe/Paris"))
            table = table.set_column(index, field.name, column)
        return table

    rewrite(folder, "events_casualties", widened)
    rewrite(folder, "events", widened)
    written_types = parquet.read_schema(folder / "events_casualties.parquet")
    assert str(written_types.field("killed_best").type) == "int32"
    opened = tables.open(folder)
    opened.check_figures()
    assert cm.casualties_by_actor(opened) == seed_totals()
    assert tables.load(folder) == cm.examples.idlib_2020()


def test_a_folder_of_only_the_required_columns_opens(tmp_path: Path) -> None:
    """The required columns and the figures (with a claimed figure's event and actor); the
    tables of no row with ``type`` and ``id`` (or ``owner``) only; the repeated owner columns
    left out (as in format 2)."""
    folder = written(tmp_path / "t")
    kept: dict[str, list[str]] = {"claims": ["statement_event", "statement_actor"]}
    for figure in tables.layout.figure_columns("events") + tables.layout.figure_columns("claims"):
        kept.setdefault(figure.table, []).extend(
            f"{figure.prefix}{p}" for p in ("low", "best", "high")
        )
    for name in tables.schemas():
        table = parquet.read_table(folder / f"{name}.parquet")
        tags = set(table.column("type").to_pylist()) if "type" in table.column_names else set()
        needed = [*tables.layout.required_columns(name, tags), *kept.get(name, [])]
        if not table.num_rows:
            needed = ["type", "id"] if "_" not in name else ["owner"]
        rewrite(folder, name, selected(needed))
    assert "when_from" not in parquet.read_schema(folder / "events.parquet").names
    assert cm.casualties_by_actor(tables.open(folder)) == seed_totals()
    assert cm.casualties_by_actor(tables.load(folder)) == seed_totals()


PARTS = [None, -1, 0, 1, 2]
"""Each part of the figures below: missing, negative, and counts in every order."""


@pytest.mark.parametrize(
    "engine", ["duckdb", pytest.param("spark", marks=pytest.mark.xdist_group("spark"))]
)
def test_the_engines_refuse_the_figures_an_estimate_refuses(
    engine: str, request: pytest.FixtureRequest
) -> None:
    ibis: Any = pytest.importorskip("ibis")
    rows = [
        {"n": n, "low": low, "best": best, "high": high}
        for n, (low, best, high) in enumerate(itertools.product(PARTS, repeat=3))
    ]
    if engine == "duckdb":
        backend = ibis.duckdb.connect()
        backend.con.register("figures", arrow.Table.from_pylist(rows))
    else:
        spark = request.getfixturevalue("spark")
        schema = "n INT, low BIGINT, best BIGINT, high BIGINT"
        spark.createDataFrame(rows, schema).createOrReplaceTempView("figures")
        backend = ibis.pyspark.connect(spark)
    figures = backend.table("figures")
    sql = backend.compile(figures.filter(store.refused_figure(figures)).select("n"))
    found = (
        backend.con.sql(sql).fetchall()
        if engine == "duckdb"
        else request.getfixturevalue("spark").sql(sql).collect()
    )

    def refused(row: dict[str, Any]) -> bool:
        parts = (row["low"], row["best"], row["high"])
        if parts == (None, None, None):
            return False
        try:
            cm.Estimate(*parts)
        except cm.ValidationError:
            return True
        return False

    assert sorted(n for (n,) in found) == [row["n"] for row in rows if refused(row)]
