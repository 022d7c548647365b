"""Writing a dataset's tables as Parquet files, and opening them in DuckDB or Spark.

:func:`write` writes one Parquet file per table of the layout (:mod:`.layout`) into a folder,
atomically: the files go into a temporary folder beside it, renamed into place when all are
written, so a killed write leaves the old tables (or none), never half of them.
:func:`open` opens such a folder in an engine through Ibis: ``"duckdb"`` (in-process, the
default) or ``"spark"`` (with a ``SparkSession``). The big tables (events, claims, casualty
figures) stay in the engine; the small ones (actors, locations, agreements, sources,
relations) are read into a :class:`~conflictmodel.Dataset` of their own, which resolves names,
``part_of`` and ``within`` chains and agreement sides as the in-memory queries do.

>>> import tempfile, conflictmodel as cm
>>> from conflictmodel import tables
>>> folder = tempfile.mkdtemp() + "/idlib"
>>> _ = tables.write(cm.examples.idlib_2020(), folder)
>>> opened = tables.open(folder)
>>> opened.engine, len(opened.dimensions.actors)
('duckdb', 10)
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import itertools
import operator
import os
import shutil
import tempfile
import weakref
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar, get_args

from conflictmodel._problems import join
from conflictmodel.dataset import COLLECTIONS, Dataset
from conflictmodel.errors import (
    EngineError,
    LoadError,
    LoadProblem,
    UnknownNameError,
    ValidationError,
)
from conflictmodel.io._extras import require
from conflictmodel.quantities import (
    ESTIMATE_PARTS,
    Estimate,
    PartOperations,
    best_or_low_of,
    broken_rules,
)
from conflictmodel.tables import layout

DIMENSIONS = ("actors", "locations", "agreements", "sources", "relations")
"""The small collections, read into a :class:`~conflictmodel.Dataset` when tables are opened."""

Engine = Literal["duckdb", "spark"]
"""The name of an engine :func:`open` knows."""

ENGINES: tuple[Engine, ...] = get_args(Engine)
"""The engines :func:`open` knows."""

Settings = Mapping[str, str | int | bool]
"""DuckDB's configuration options by name (``{"memory_limit": "4GB", "threads": 2}``), as
``SET`` takes them; `the list is DuckDB's <https://duckdb.org/docs/stable/configuration/overview>`_."""

_T = TypeVar("_T")
_QUERY_THREADS = 8
"""Threads running the queries :meth:`Tables.read_together` runs at the same time."""
_TEMPORARY = ".conflictmodel-tmp-"
_views = itertools.count()


def _temporary_name(target: Path) -> str:
    return f".{target.name}{_TEMPORARY}"


def _clean_stale(target: Path) -> None:
    """Remove what killed writes into ``target`` left beside it."""
    for stale in target.parent.glob(f"{_glob_escape(_temporary_name(target))}*"):
        shutil.rmtree(stale, ignore_errors=True)


def _glob_escape(text: str) -> str:
    """``text`` with glob characters taken literally (for :meth:`Path.glob`)."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def write(ds: Dataset, path: str | os.PathLike[str]) -> dict[str, Path]:
    """Write every table of ``ds`` as ``<path>/<table>.parquet``; the path of each table.

    The folder is replaced as a whole: the tables are written into a temporary folder beside
    it and renamed into place. Each file holds row groups of :data:`ROW_GROUP_ROWS` rows; the
    child tables of events are sorted by their event's first day. A dataset with a history
    has it written too, as ``history.parquet`` (:func:`~conflictmodel.tables.layout.
    history_table`), which :func:`~conflictmodel.tables.load` reads back.
    """
    parquet: Any = require("pyarrow.parquet", "arrow", "tables.write()")
    if not isinstance(ds, Dataset):
        raise ValidationError(f"tables.write() takes a Dataset, got {type(ds).__name__}")
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise ValidationError(f"tables.write(): {str(target)!r} exists and is not a folder")
    if not target.parent.is_dir():
        raise ValidationError(f"tables.write(): no folder {str(target.parent)!r} to write into")
    _clean_stale(target)
    found = layout.arrow_tables(ds)
    if ds.history:
        found[layout.HISTORY] = layout.history_table(ds)
    staging = Path(tempfile.mkdtemp(prefix=_temporary_name(target), dir=target.parent))
    try:
        for name, table in found.items():
            parquet.write_table(
                _in_time_order(table), staging / f"{name}.parquet", row_group_size=ROW_GROUP_ROWS
            )
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=_temporary_name(target), dir=target.parent))
            target.rename(old / target.name)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: target / f"{name}.parquet" for name in found}


ROW_GROUP_ROWS = 1 << 17
"""The rows of one Parquet row group :func:`write` writes: each engine thread reads row groups
of its own, and skips those whose statistics rule out a query's filter."""


def _in_time_order(table: Any) -> Any:
    """A child table repeating its owner's time in :data:`~conflictmodel.tables.layout.
    CHILD_ORDER`; any other table as it is (a collection's rows keep the order of its
    records)."""
    if layout.CHILD_ORDER[0] not in table.column_names:
        return table
    return table.sort_by([(column, "ascending") for column in layout.CHILD_ORDER])


class Tables:
    """A dataset's tables opened in an engine; what the query functions take besides a Dataset.

    ``engine`` is ``"duckdb"`` or ``"spark"``, ``backend`` the Ibis backend, ``dimensions``
    the small collections as a :class:`~conflictmodel.Dataset`. :meth:`table` gives one table
    as an Ibis expression. ``views_only``: every table is a view of the DuckDB database (not
    an object registered with one connection), so other connections to it can read them.
    """

    def __init__(
        self,
        path: Path | None,
        engine: Engine,
        backend: Any,
        names: dict[str, str],
        dimensions: Dataset | None = None,
        *,
        views_only: bool = False,
        repeats_stored: bool = True,
        held: bool = False,
    ) -> None:
        self.path, self.engine, self.backend = path, engine, backend
        """``path`` is the folder opened, ``None`` for tables held in memory."""
        self.held = held
        """Whether every file in ``path`` was copied into the engine's memory when opened
        (:func:`open`'s ``hold``; a file read through Arrow is not)."""
        self.repeats_stored = repeats_stored
        """Whether the child tables hold the owner's columns they repeat (files of format 3,
        or tables laid out here), rather than views joining them from the owner's table (an
        older format)."""
        self._names = names
        self._views_only = views_only and engine == "duckdb"
        self._building: dict[str, Future[None]] = {}
        self._builder: ThreadPoolExecutor | None = None
        self._queries: ThreadPoolExecutor | None = None
        self._prepare = backend._run_pre_execute_hooks
        """The backend's own pre-execute hooks: what a kept table being built runs, as it
        waits only for the kept tables it reads in the background."""
        if self._views_only:
            _waiting_backend(backend, self._building)
        self._prefix = names["events"].removesuffix("events")
        self._tables: dict[str, Any] = {}
        self.claimants: dict[str, bool] = {}
        """Whether each claimant asked about so far made any claim (tables never change)."""
        self._remembered: dict[Hashable, Any] = {}
        self._uncompressed = False
        """Whether kept tables were made since they were last compressed."""
        self._compiled: dict[Hashable, tuple[str, Any]] = {}
        self._dimensions = dimensions

    @property
    def dimensions(self) -> Dataset:
        """The small collections as a :class:`~conflictmodel.Dataset` (read when first used;
        :func:`open` reads them, so that their problems are refused there)."""
        if self._dimensions is None:
            self._dimensions = _dimensions(self)
        return self._dimensions

    def table(self, name: str) -> Any:
        """The table ``name`` of the layout, as an Ibis table expression.

        >>> import conflictmodel as cm
        >>> from conflictmodel import tables
        >>> tables.from_dataset(cm.examples.idlib_2020()).table("events_initiators")
        Traceback (most recent call last):
        ...
        conflictmodel.errors.UnknownNameError: no table 'events_initiators' in the layout; \
expected one of 'actors', ...
        """
        if name not in self._tables:
            stored = self._names.get(name)
            if stored is None:
                known = ", ".join(repr(n) for n in self._names)
                raise UnknownNameError(f"no table {name!r} in the layout; expected one of {known}")
            self._tables[name] = self.backend.table(stored)
        return self._tables[name]

    def rows(self, name: str) -> Any:
        """Every row of the (small) table ``name``, as an Arrow table. On Spark the driver
        reads the Parquet file itself, as :func:`open` reads its schema: a Spark job for each
        small table would cost more than reading it."""
        if self.engine == "duckdb" or self.path is None:
            return self.backend.con.table(self._names[name]).to_arrow_table()
        schema = layout.schemas()[name]
        path = self.path / f"{name}.parquet"
        if not path.is_file():
            return schema.empty_table()
        datasets: Any = require("pyarrow.dataset", "arrow", "tables.open()")
        return datasets.dataset(str(path), schema=schema, format="parquet").to_table()

    @property
    def periods_in_parts(self) -> bool:
        """Whether a query reads a period in parts DuckDB can skip row groups by
        (:func:`~conflictmodel.tables.queries.meeting_rows`): on DuckDB, over child tables that
        hold their owner's columns (each part would join an older format's again)."""
        return self.engine == "duckdb" and self.repeats_stored

    def has_null(self, name: str, column: str) -> bool:
        """Whether the column ``column`` of the table ``name`` holds a null (asked of the
        engine once: the tables never change)."""

        def ask() -> bool:
            table = self.table(name)
            return bool(self.run(table.filter(table[column].isnull()).select(column).limit(1)))

        return self.remembered(("has null", name, column), ask)

    def check_figures(self) -> None:
        """Refuse figures no :class:`~conflictmodel.Estimate` can hold (a negative count, a
        best below its low, a high below its best, a high with neither low nor best) in one
        :class:`~conflictmodel.LoadError` naming each record, table and cells
        (:func:`figure_problems`; the first of each figure's columns): asked of the engine the
        first time, before figures are summed. Tables laid out here from records hold none.

        >>> import conflictmodel as cm, tempfile
        >>> from conflictmodel import tables
        >>> folder = tempfile.mkdtemp() + "/idlib"
        >>> _ = tables.write(cm.examples.idlib_2020(), folder)
        >>> tables.open(folder).check_figures()
        """
        if self.path is not None:
            self.remembered("figures checked", lambda: _check_figures(self))

    def remembered(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """What ``compute`` gives, computed once per ``key``: the tables never change, so
        neither does anything worked out from them alone."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        found: _T = self._remembered[key]
        return found

    def remembered_all(
        self, keys: list[Hashable], compute: Callable[[list[Hashable]], list[_T]]
    ) -> list[_T]:
        """What :meth:`remembered` gives for each of ``keys``, those not computed yet computed
        together: ``compute`` takes their keys and gives their values in that order."""
        missing = list(dict.fromkeys(key for key in keys if key not in self._remembered))
        if missing:
            self._remembered.update(zip(missing, compute(missing), strict=True))
        return [self._remembered[key] for key in keys]

    def materialized(self, name: str, build: Callable[[], Any]) -> Any:
        """The table ``build`` makes, computed once by the engine and kept: a table of DuckDB's
        (in-memory) database, or on Spark a persisted view (computed by the first query that
        reads it, and unpersisted when these tables are dropped). For small tables the queries
        read several times over.

        On DuckDB over views the table is built on a connection of its own in the background
        (after the kept tables asked for before it, one at a time, each compressed once built)
        while Python goes on building and compiling the query: :meth:`run` waits for the kept
        tables the query reads."""

        def create() -> Any:
            expression = build()
            table = f"{self._prefix}{name}"
            self._prepare(expression)
            sql = self.backend.compile(expression)
            if self.engine == "duckdb":
                self._uncompressed = True
                statement = f'CREATE TABLE "{table}" AS {sql}'
                if self._views_only and not _reads_in_memory_tables(expression):
                    self._build_in_background(table, statement, expression)
                    ibis: Any = require("ibis", "arrow", "conflictmodel.tables")
                    schema = ibis.schema(
                        {
                            column: kind.copy(nullable=True)
                            for column, kind in expression.schema().items()
                        }
                    )
                    return ibis.expr.operations.DatabaseTable(
                        table, schema=schema, source=self.backend
                    ).to_expr()
                self.backend.con.execute(statement)
            else:
                frame = self.backend._session.sql(sql).persist()
                frame.createOrReplaceTempView(table)
                weakref.finalize(self, frame.unpersist).atexit = False
            return self.backend.table(table)

        return self.remembered(("materialized", name), create)

    def _build_in_background(self, table: str, statement: str, expression: Any) -> None:
        """Run ``statement`` (creating ``table``) on a cursor of its own, after the kept tables
        ``expression`` reads are built, then compress it (unless another statement is running:
        then :meth:`_compress_kept` does, after the query)."""
        after = [self._building[t] for t in _tables_read(expression) if t in self._building]
        connection = self.backend.con
        cursor = connection.cursor()

        def run() -> None:
            try:
                for earlier in after:
                    earlier.result()
                cursor.execute(statement)
            finally:
                cursor.close()
            _compress(connection)

        self._building[table] = self._builds().submit(run)

    def _builds(self) -> ThreadPoolExecutor:
        """The thread building kept tables, one at a time in the order they were asked for.

        One at a time, each is built and compressed before the next starts, so that their
        working memory and uncompressed rows never add up (at 10,000,000 events, building them
        all at once took 0.7 GiB at its peak). A build waits only for tables asked for before
        it, which the one thread has finished by then: no build ever waits for another to
        start, so none can wait forever."""
        if self._builder is None:
            self._builder = ThreadPoolExecutor(1, thread_name_prefix="conflictmodel-kept")
            weakref.finalize(self, self._builder.shutdown, wait=False)
        return self._builder

    def _background(self) -> ThreadPoolExecutor:
        """The threads running queries on cursors of their own."""
        if self._queries is None:
            self._queries = ThreadPoolExecutor(
                _QUERY_THREADS, thread_name_prefix="conflictmodel-tables"
            )
            weakref.finalize(self, self._queries.shutdown, wait=False)
        return self._queries

    def _built(self, expression: Any) -> None:
        """Wait until the kept tables ``expression`` reads are built (raising what failed)."""
        _wait_for(self._building, expression)

    def engine_failures(self) -> contextlib.AbstractContextManager[None]:
        """:func:`engine_failures` of queries on these tables (DuckDB's alone: every error of
        Spark's passes as it is)."""
        if self.engine != "duckdb":
            return contextlib.nullcontext()
        return engine_failures(self.backend.con, querying(self.path))

    def run(self, expression: Any) -> list[dict[str, Any]]:
        """The rows of an Ibis table expression over these tables, run by the engine."""
        return self.run_built(None, lambda: expression)

    def run_built(self, key: Hashable, build: Callable[[], Any]) -> list[dict[str, Any]]:
        """The rows of the expression ``build`` makes, built and compiled once per ``key``
        (``None``: every time)."""
        with self.engine_failures():
            sql = self._sql(key, build)
            if self.engine == "duckdb":
                rows = _rows(self._arrow(sql))
                self._compress_kept()
                return rows
            return self._spark_rows(sql)

    def _spark_rows(self, sql: str) -> list[dict[str, Any]]:
        # Ibis runs Spark queries through pandas; collecting the rows needs neither pandas nor
        # its conversions.
        return [row.asDict(recursive=True) for row in self.backend.raw_sql(sql).collect()]

    def run_table(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """What :meth:`run_built` gives, as an Arrow table (exact sums that fit in 64 bits as
        integers): on DuckDB no row becomes a dict."""
        with self.engine_failures():
            sql, expression = self._compile(key, build)
            if self.engine != "duckdb":
                arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
                rows = self._spark_rows(sql)
                return _narrowed(arrow.Table.from_pylist(rows, expression.schema().to_pyarrow()))
            table = _narrowed(self._arrow(sql))
            self._compress_kept()
            return table

    def _sql(self, key: Hashable, build: Callable[[], Any]) -> str:
        """The SQL of the expression ``build`` makes, compiled once per ``key`` (``None``:
        every time), once the kept tables it reads are built."""
        return self._compile(key, build)[0]

    def _compile(self, key: Hashable, build: Callable[[], Any]) -> tuple[str, Any]:
        """:meth:`_sql`, with the expression it was compiled from."""
        compiled = self._compiled.get(key) if key is not None else None
        if compiled is None:
            expression = build()
            # The in-memory tables an expression holds are registered with the engine and
            # stay registered while the expression lives: it is kept with its SQL.
            self.backend._run_pre_execute_hooks(expression)
            compiled = (self.backend.compile(expression), expression)
            if key is not None:
                self._compiled[key] = compiled
        if self._building:
            self._built(compiled[1])
        return compiled

    def _sql_of(self, expression: Any) -> str:
        """The SQL of ``expression``, once the kept tables it reads are built."""
        return self._sql(None, lambda: expression)

    def _arrow(self, sql: str) -> Any:
        """The Arrow table ``sql`` gives, run by DuckDB."""
        return self.backend.con.sql(sql).to_arrow_table()

    def read_together(self, expressions: list[Any]) -> list[Any]:
        """What each expression selects, as :func:`~conflictmodel.tables.layout.records_from`
        reads it: on DuckDB an Arrow table (no row becomes a dict), over views run at the same
        time, each on a cursor of its own (with the in-memory tables it reads registered
        there); on Spark the rows :meth:`run` gives."""
        if self.engine != "duckdb":
            return [self.run(expression) for expression in expressions]
        with self.engine_failures():
            if not self._views_only or len(expressions) < 2:
                found = [self._arrow(self._sql_of(expression)) for expression in expressions]
            else:
                ibis: Any = require("ibis", "arrow", "conflictmodel.tables")
                running = []
                for expression in expressions:
                    if self._building:
                        self._built(expression)
                    sql = self.backend.compile(expression)
                    cursor = self.backend.con.cursor()
                    for held in expression.op().find(ibis.expr.operations.InMemoryTable):
                        cursor.register(held.name, held.data.to_pyarrow(held.schema))
                    running.append(self._background().submit(_arrow_on, cursor, sql))
                found = [table.result() for table in running]
            self._compress_kept()
            return found

    def _compress_kept(self) -> None:
        """Compress the kept tables made for the query just run, in the background (DuckDB
        holds them uncompressed until it checkpoints its in-memory database; compressed they
        take about a tenth, and read as fast)."""
        if self._uncompressed and all(built.done() for built in self._building.values()):
            self._uncompressed = False
            self._builds().submit(_compress, self.backend.con)

    def __reduce__(self) -> NoReturn:
        where = "their folder, tables.path," if self.path is not None else "the dataset"
        raise ValidationError(
            f"{self!r} cannot be pickled: they hold an open {self.engine} connection; "
            f"send {where} and open it where it is needed"
        )

    def __repr__(self) -> str:
        where = "in memory" if self.path is None else repr(str(self.path))
        return f"<Tables {where} on {self.engine}{', held' if self.held else ''}>"


def _compress(connection: Any) -> None:
    """Checkpoint DuckDB's in-memory database, which compresses the tables in it; skipped
    while another statement runs (DuckDB refuses then; the query that made the table
    compresses it once it has run)."""
    duckdb: Any = require("duckdb", "arrow", "conflictmodel.tables")
    cursor = connection.cursor()
    try:
        with contextlib.suppress(duckdb.TransactionException):
            cursor.execute("CHECKPOINT")
    finally:
        cursor.close()


def _wait_for(building: dict[str, Future[None]], expression: Any) -> None:
    """Wait until the kept tables ``expression`` reads, of those ``building``, are built."""
    for table in _tables_read(expression):
        found = building.get(table)
        if found is not None:
            found.result()
            building.pop(table, None)


def _waiting_backend(backend: Any, building: dict[str, Future[None]]) -> None:
    """Make every expression ``backend`` runs (``to_pyarrow()``, ``execute()``, ...) wait for
    the kept tables it reads: Ibis runs its pre-execute hooks first, whoever runs it."""
    hooks = backend._run_pre_execute_hooks

    def wait_then_run_hooks(expression: Any) -> None:
        _wait_for(building, expression)
        hooks(expression)

    backend._run_pre_execute_hooks = wait_then_run_hooks


def _rows(table: Any) -> list[dict[str, Any]]:
    """The rows of an Arrow table, as dicts. A column of whole decimals (DuckDB's exact sums
    of counts, 128-bit) whose values all fit in 64 bits is read as integers: a Python
    ``Decimal`` per cell costs several times an ``int`` (at 1,000,000 events, 1 s of the
    sums per span :func:`~conflictmodel.tables.queries.killed_by_span` reads)."""
    columns = _narrowed(table).to_pydict()
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _narrowed(table: Any) -> Any:
    """``table`` with each column of whole decimals cast to 64-bit integers, when every value
    fits (a checked cast: one that does not stays as it is)."""
    arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
    columns = []
    for column in table.columns:
        if arrow.types.is_decimal(column.type) and column.type.scale == 0:
            with contextlib.suppress(arrow.ArrowInvalid):
                column = column.cast(arrow.int64())
        columns.append(column)
    return arrow.table(columns, names=table.column_names)


def _arrow_on(cursor: Any, sql: str) -> Any:
    """The Arrow table ``sql`` gives on a DuckDB cursor, which is closed after."""
    try:
        return cursor.sql(sql).to_arrow_table()
    finally:
        cursor.close()


def _tables_read(expression: Any) -> set[str]:
    """The names of the engine's tables an Ibis expression reads."""
    ibis: Any = require("ibis", "arrow", "conflictmodel.tables")
    return {table.name for table in expression.op().find(ibis.expr.operations.DatabaseTable)}


def _reads_in_memory_tables(expression: Any) -> bool:
    """Whether an Ibis expression reads tables held by Python (registered with one
    connection, so that no other connection sees them)."""
    ibis: Any = require("ibis", "arrow", "conflictmodel.tables")
    return bool(expression.op().find(ibis.expr.operations.InMemoryTable))


def _dimensions(opened: Tables) -> Dataset:
    records = []
    for collection in DIMENSIONS:
        children = {n: opened.rows(n) for n in layout.child_tables(collection)}
        records.extend(layout.records_from(collection, opened.rows(collection), children))
    return Dataset(records)


def _footers(folder: Path) -> dict[str, Any]:
    """The Parquet footer (``FileMetaData``) of each file of the layout in ``folder``."""
    parquet: Any = require("pyarrow.parquet", "arrow", "tables.open()")
    found = {}
    for name in layout.schemas():
        path = folder / f"{name}.parquet"
        if path.is_file():
            found[name] = parquet.read_metadata(path)
    return found


def _on_columns() -> PartOperations:
    """The operations of :func:`~conflictmodel.quantities.broken_rules` on Ibis columns."""
    ibis: Any = require("ibis", "arrow", "conflictmodel.tables")
    return PartOperations(
        below=operator.lt,
        either=ibis.coalesce,
        missing=lambda part: part.isnull(),
    )


def best_or_low(table: Any, prefix: str = "") -> Any:
    """Each row's :attr:`~conflictmodel.Estimate.best_or_low` of the estimate laid out in
    ``table``'s columns ``<prefix>low``, ``<prefix>best`` and ``<prefix>high`` (an Ibis
    column), null where there is none: an estimate states a low or a best, an absent one has
    every column null."""
    return best_or_low_of(table[f"{prefix}low"], table[f"{prefix}best"], _on_columns())


def figure_given(table: Any, prefix: str) -> Any:
    """Whether the estimate laid out in ``table``'s columns after ``prefix`` is there, as it
    states a low or a best (an Ibis boolean; see :func:`best_or_low`): asked of each column,
    which DuckDB counts faster than it takes the first of two (summed over 2,000,000 casualty
    entries, 5 ms less of about 60)."""
    return table[f"{prefix}low"].notnull() | table[f"{prefix}best"].notnull()


def refused_figure(table: Any, prefix: str = "") -> Any:
    """Whether :class:`~conflictmodel.Estimate` refuses the figure laid out in ``table``'s
    columns after ``prefix`` (an Ibis boolean; false where every column is null: no figure):
    a part is negative, or the parts break one of
    :func:`~conflictmodel.quantities.broken_rules`."""
    columns = [table[f"{prefix}{part}"] for part in ESTIMATE_PARTS]
    low, best, high = columns
    broken = [broken for _, broken in broken_rules(low, best, high, _on_columns())]
    given = functools.reduce(operator.or_, (column.notnull() for column in columns))
    negative = functools.reduce(operator.or_, (column < 0 for column in columns))
    return negative | (given & functools.reduce(operator.or_, broken))


def _check_figures(opened: Tables) -> bool:
    """:meth:`Tables.check_figures`: one query over every figure of the large tables."""
    ibis: Any = require("ibis", "arrow", "conflictmodel.tables")
    figures = [
        figure
        for collection in COLLECTIONS
        if collection not in DIMENSIONS
        for figure in layout.figure_columns(collection)
    ]
    parts = []
    for number, figure in enumerate(figures):
        table = opened.table(figure.table)
        low, best, high = (table[f"{figure.prefix}{part}"] for part in ESTIMATE_PARTS)
        child = _collection(figure.table) != figure.table
        parts.append(
            table.filter(refused_figure(table, figure.prefix))
            .select(
                figure=ibis.literal(number),
                id=table.id if not child else ibis.null("string"),
                owner=table.owner if child else ibis.null("string"),
                position=table.position if child else ibis.null("int64"),
                low=low,
                best=best,
                high=high,
            )
            .limit(_SHOWN_FIGURES)
        )
    rows = opened.run(ibis.union(*parts))
    problems = [
        problem
        for number, figure in enumerate(figures)
        for problem in figure_problems(figure, [row for row in rows if row["figure"] == number])
    ]
    if problems:
        raise LoadError(problems)
    return True


def _check_files(folder: Path, footers: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Refuse, from their footers alone (no row is read unless one is at fault), files that
    do not read as the layout: of a format this version does not read, with a column twice,
    a column of a type that does not read as the layout's, or lacking a column it requires
    (:func:`~conflictmodel.tables.layout.required_columns`; in an empty file none is), in one
    :class:`~conflictmodel.ValidationError`; then a negative count, which the row groups'
    statistics tell, as :class:`~conflictmodel.LoadError` (:func:`figure_problems`)."""
    problems = []
    for name, footer in footers.items():
        shown = repr(str(folder / f"{name}.parquet"))
        written = layout.read_metadata((footer.metadata or {}).get(layout.METADATA_KEY))
        if written not in layout.READABLE_VERSIONS:
            found = (
                "has no conflictmodel format metadata"
                if written is None
                else f"is in table format {written!r}"
            )
            problems.append(f"{shown} {found}; this version of conflictmodel reads {_formats()}")
            continue
        problems += [
            f"{shown} {problem}"
            for problem in _schema_problems(name, footer, schemas[name], written)
        ]
    if problems:
        raise ValidationError(f"tables.open(): {'; '.join(problems)}")
    for name, footer in footers.items():
        _refuse_negative_counts(folder / f"{name}.parquet", name, footer)


def _formats() -> str:
    """The table formats this version reads, in words."""
    versions = sorted(layout.READABLE_VERSIONS)
    if versions == list(range(versions[0], versions[-1] + 1)) and len(versions) > 1:
        return f"formats {versions[0]} to {versions[-1]}"
    return f"format{'s' if len(versions) > 1 else ''} {', '.join(map(str, versions))}"


def _schema_problems(name: str, footer: Any, expected: Any, version: int) -> list[str]:
    """What keeps the file of table ``name`` with this footer, in format ``version``, from
    reading as its schema in the layout, ``expected``."""
    written = footer.schema.to_arrow_schema()
    repeated = [name for name, count in Counter(written.names).items() if count > 1]
    problems = [f"has column {name!r} more than once" for name in repeated]
    problems += [
        f"has column {field.name!r} of type {field.type}, which does not read as the layout's "
        f"{expected.field(field.name).type}"
        for field in written
        if field.name in expected.names
        and not _reads_as(field.type, expected.field(field.name).type)
    ]
    if footer.num_rows:
        problems += [
            f"lacks column {column!r} (field {field}, required)"
            for column, field in layout.required_columns(name, _tags(footer), version).items()
            if column not in written.names
        ]
    return problems


def _reads_as(found: Any, expected: Any) -> bool:
    """Whether a column of Arrow type ``found`` reads as one of the layout's type ``expected``
    with no value lost: the type itself, a narrower integer or float, a string of another
    encoding, an instant of a coarser unit or another time zone, lists and maps of such.

    >>> import pyarrow as pa
    >>> _reads_as(pa.int32(), pa.int64()), _reads_as(pa.float64(), pa.int64())
    (True, False)
    >>> _reads_as(pa.large_list(pa.large_string()), pa.list_(pa.string()))
    True
    """
    arrow: Any = require("pyarrow", "arrow", "tables.open()")
    kinds = arrow.types
    if found.equals(expected):
        return True
    if kinds.is_dictionary(found):
        return _reads_as(found.value_type, expected)
    if kinds.is_integer(expected):
        return bool(kinds.is_signed_integer(found)) or (
            kinds.is_unsigned_integer(found) and found.bit_width < expected.bit_width
        )
    if kinds.is_floating(expected):
        return bool(kinds.is_floating(found)) or (kinds.is_integer(found) and found.bit_width <= 32)
    if kinds.is_string(expected):
        return any(
            test(found) for test in (kinds.is_string, kinds.is_large_string, kinds.is_string_view)
        )
    if kinds.is_timestamp(expected):
        return kinds.is_timestamp(found) and found.tz is not None and found.unit != "ns"
    if kinds.is_list(expected):
        listed = kinds.is_list(found) or kinds.is_large_list(found) or kinds.is_list_view(found)
        return listed and _reads_as(found.value_type, expected.value_type)
    if kinds.is_map(expected):
        return (
            kinds.is_map(found)
            and _reads_as(found.key_type, expected.key_type)
            and _reads_as(found.item_type, expected.item_type)
        )
    return False


def _leaves(footer: Any) -> dict[str, int]:
    """The index of each column of a Parquet footer's row groups, by its path."""
    return {footer.schema.column(i).path: i for i in range(footer.num_columns)}


def _tags(footer: Any) -> set[str]:
    """Tags the ``type`` column is known to hold: its least and greatest in each row group."""
    column = _leaves(footer).get("type")
    found: set[str] = set()
    for group in range(footer.num_row_groups) if column is not None else ():
        statistics = footer.row_group(group).column(column).statistics
        if statistics is not None and statistics.has_min_max:
            found.update((statistics.min, statistics.max))
    return found


def _refuse_negative_counts(path: Path, name: str, footer: Any) -> None:
    """Refuse the figures of the first row group whose statistics give a column of counts a
    negative least value, as :func:`figure_problems` finds them there."""
    leaves = _leaves(footer)
    for figure in layout.figure_columns(_collection(name)):
        columns = [f"{figure.prefix}{part}" for part in ESTIMATE_PARTS]
        if figure.table != name or not set(columns) <= set(leaves):
            continue
        for group in range(footer.num_row_groups):
            chunks = [footer.row_group(group).column(leaves[column]) for column in columns]
            if any(_least(chunk) < 0 for chunk in chunks):
                parquet: Any = require("pyarrow.parquet", "arrow", "tables.open()")
                keys = ["id"] if _collection(name) == name else ["owner", "position"]
                rows = parquet.ParquetFile(path).read_row_group(group, columns=keys + columns)
                renamed = rows.rename_columns([*keys, *ESTIMATE_PARTS])
                problems = figure_problems(figure, renamed.to_pylist())
                if problems:
                    raise LoadError(problems)


def _least(chunk: Any) -> Any:
    """The least value of a column chunk its statistics give (0 when they give none)."""
    statistics = chunk.statistics
    return statistics.min if statistics is not None and statistics.has_min_max else 0


"""The columns of a figure, after its prefix (:class:`~conflictmodel.tables.layout.
FigureColumns`)."""

_SHOWN_FIGURES = 25
"""How many rows of one figure's columns :meth:`Tables.check_figures` names at most."""


def figure_problems(figure: layout.FigureColumns, rows: list[dict[str, Any]]) -> list[LoadProblem]:
    """What :class:`~conflictmodel.Estimate` refuses in ``rows`` of ``figure.table``: each
    with ``low``, ``best``, ``high`` and the record's ``id`` (in a child table its ``owner``
    and ``position``), each problem at the figure's path in its record, naming the table and
    the cells. A row of nulls holds no figure.

    >>> figure = layout.figure_columns("events")[0]
    >>> row = {"owner": "e1", "position": 0, "low": 9, "best": 4, "high": 5}
    >>> print(figure_problems(figure, [row])[0])
    events.e1.casualties[0].killed.best: Estimate.best: 4 is below low 9 (table \
events_casualties: killed_low 9, killed_best 4, killed_high 5)
    """
    collection, _, field = figure.table.partition("_")
    problems = []
    for row in rows:
        if row["low"] is None and row["best"] is None and row["high"] is None:
            continue
        try:
            Estimate(row["low"], row["best"], row["high"])
        except ValidationError as error:
            where = (
                join(join(join(collection, row["owner"]), field), row["position"])
                if field
                else join(collection, row["id"])
            )
            cells = ", ".join(f"{figure.prefix}{part} {row[part]}" for part in ESTIMATE_PARTS)
            problems.append(
                LoadProblem(
                    f"{where}.{figure.path}.{error.field}",
                    f"{error} (table {figure.table}: {cells})",
                )
            )
    return problems


def open(
    path: str | os.PathLike[str],
    engine: Engine = "duckdb",
    *,
    spark: Any = None,
    settings: Settings | None = None,
    hold: bool = False,
) -> Tables:
    """Open the tables in ``path`` with ``engine`` (``"duckdb"``, or ``"spark"`` with ``spark=``).

    ``engine`` is typed :data:`Engine`, so a type checker refuses a misspelt name; at run time
    it is refused with a :class:`~conflictmodel.ValidationError` naming the engines.
    Paths are paths: a folder named ``data[1]`` or ``star*`` is that folder, not a pattern.

    ``settings`` configure DuckDB's database for these tables (:data:`Settings`): how much
    memory it may use, on how many threads, and where it spills what does not fit, as in
    ``{"memory_limit": "4GB", "threads": 2, "temp_directory": "/scratch/duckdb"}``. Spark
    takes its configuration from the session. A query that needs more memory than DuckDB may
    use raises :class:`~conflictmodel.EngineError`, which says how much that was.

    ``hold=True`` copies the tables into memory once, here, for the queries that follow:
    DuckDB holds them compressed in an in-memory database (:data:`HELD_AT_ONCE` rows at a
    time, compressed after each part), which it scans about twice as fast as it decodes
    Parquet; Spark caches each table (``CACHE TABLE``). Worth it for many queries over the
    same tables: at 1,000,000 events the copy takes about 4 s and DuckDB holds about 60 MB,
    and a warm ``casualties_by_actor`` takes 35 ms instead of 60. Files in an older
    layout, or in a folder whose path holds a glob character, are read through Arrow and
    stay where they are.

    >>> import conflictmodel as cm, tempfile
    >>> from conflictmodel import tables
    >>> folder = tempfile.mkdtemp() + "/idlib"
    >>> _ = tables.write(cm.examples.idlib_2020(), folder)
    >>> held = tables.open(folder, hold=True)
    >>> held  # doctest: +ELLIPSIS
    <Tables '...idlib' on duckdb, held>
    >>> cm.casualties_by_actor(held) == cm.casualties_by_actor(tables.open(folder))
    True
    """
    opened = opened_lazily(path, engine, spark=spark, settings=settings, hold=hold)
    with opened.engine_failures():
        _ = opened.dimensions  # read now, so that open() refuses their problems
    return opened


def _refuse_path(path: Path) -> NoReturn:
    """Refuse ``path``, which is no folder, naming what it is."""
    if not path.exists():
        raise ValidationError(f"tables.open(): no such folder {str(path)!r}")
    raise ValidationError(
        f"tables.open(): {str(path)!r} is not a folder; it expects a folder of tables, as "
        "conflictmodel.tables.write() writes them (a dataset file is read by conflictmodel.load())"
    )


def opened_lazily(
    path: str | os.PathLike[str],
    engine: Engine,
    *,
    spark: Any = None,
    settings: Settings | None = None,
    hold: bool = False,
) -> Tables:
    """:func:`open` without reading the small collections yet."""
    if engine not in ENGINES:
        raise ValidationError(
            f"tables.open(engine={engine!r}): expected one of {', '.join(map(repr, ENGINES))}"
        )
    if settings and engine != "duckdb":
        raise ValidationError(
            f"tables.open(engine={engine!r}, settings=...): the settings are DuckDB's; "
            "configure Spark on the SparkSession"
        )
    folder = Path(path)
    if not folder.is_dir():
        _refuse_path(folder)
    schemas = layout.schemas()
    missing = [c for c in COLLECTIONS if not (folder / f"{c}.parquet").is_file()]
    if missing:
        raise ValidationError(
            f"tables.open(): {str(folder)!r} lacks {', '.join(f'{m}.parquet' for m in missing)}; "
            "write the tables with conflictmodel.tables.write()"
        )
    footers = _footers(folder)
    _check_files(folder, footers, schemas)
    written = {name: footer.schema.to_arrow_schema() for name, footer in footers.items()}
    prefix = f"conflictmodel_{os.getpid()}_{next(_views)}_"
    names = {name: prefix + name for name in schemas}
    if engine == "duckdb":
        rows = {name: footer.num_rows for name, footer in footers.items()} if hold else None
        backend, views_only, joined, held = _duckdb(folder, schemas, names, written, settings, rows)
        return Tables(
            folder,
            engine,
            backend,
            names,
            views_only=views_only,
            repeats_stored=not joined,
            held=held,
        )
    if spark is None:
        raise ValidationError("tables.open(engine='spark') needs spark=<a SparkSession>")
    backend, joined = _spark(folder, schemas, names, spark, written)
    opened = Tables(folder, engine, backend, names, repeats_stored=not joined, held=hold)
    if hold:
        for name in names.values():
            spark.sql(f"CACHE TABLE {name}")
            weakref.finalize(opened, spark.catalog.uncacheTable, name).atexit = False
    return opened


def from_dataset(ds: Dataset, *, settings: Settings | None = None) -> Tables:
    """The tables of ``ds`` held in memory by DuckDB (a compressed in-memory database, no
    files: a :class:`Filling`), for the engine's speed on a dataset already loaded: build them
    once, then query them as often as needed with the same query functions. ``settings``
    configure DuckDB as :func:`open` takes them.

    >>> import conflictmodel as cm
    >>> from conflictmodel import tables
    >>> ds = cm.examples.idlib_2020()
    >>> in_memory = tables.from_dataset(ds)
    >>> in_memory
    <Tables in memory on duckdb>
    >>> dict(cm.casualties_by_actor(in_memory)) == dict(cm.casualties_by_actor(ds))
    True
    """
    require("ibis", "arrow", "tables.from_dataset()")
    if not isinstance(ds, Dataset):
        raise ValidationError(f"tables.from_dataset() takes a Dataset, got {type(ds).__name__}")
    dimensions = Dataset(
        record for collection in DIMENSIONS for record in getattr(ds, collection).values()
    )
    filling = Filling(settings)
    found = layout.arrow_tables(ds)
    with engine_failures(filling.connection, querying(None)):
        filling.add(
            {name: table for name, table in found.items() if _collection(name) not in DIMENSIONS}
        )
        del found
        return filling.opened(dimensions)


def sql_name(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_text(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


_RETURNING_MEMORY = (
    "SET allocator_flush_threshold = '16MB'",
    "SET allocator_bulk_deallocation_flush_threshold = '16MB'",
    "SET allocator_background_threads = true",
)
"""DuckDB settings of a database holding tables in memory (a :class:`Filling`'s, or one
:func:`open` holds files in): memory the filling used and freed (the file's text, staging
tables, a file's rows before they are compressed) goes back to the system instead of staying
cached (at 1,000,000 events, 1.0 instead of 1.7 GiB resident after a JSON Lines load)."""

_HELD = "conflictmodel_held"
"""The name of the compressed in-memory database a :class:`Filling` fills and :func:`open`
holds tables in (``hold=True``)."""


def _attach_held(connection: Any) -> None:
    """Attach the compressed in-memory database :data:`_HELD` to DuckDB's ``connection``, set
    to give back the memory filling it uses (:data:`_RETURNING_MEMORY`)."""
    for setting in _RETURNING_MEMORY:
        connection.execute(setting)
    connection.execute(f"ATTACH ':memory:' AS {_HELD} (COMPRESS)")


class Filling:
    """The tables of the layout in a compressed in-memory DuckDB database, filled by SQL or
    from Arrow, then opened as :class:`Tables` (each table a view of the database, readable
    from every connection). ``settings`` configure DuckDB as :func:`open` takes them; one it
    refuses is a :class:`~conflictmodel.ValidationError` naming the function ``called``.

    >>> import conflictmodel as cm
    >>> seed = cm.examples.idlib_2020()
    >>> found = layout.arrow_tables(seed)
    >>> filling = Filling()
    >>> filling.add({"events": found["events"], "claims": found["claims"]})
    >>> opened = filling.opened(cm.Dataset(seed.actors.values()))
    >>> opened.backend.con.execute(f"SELECT count(*) FROM {opened._names['events']}").fetchone()
    (14,)
    """

    def __init__(
        self, settings: Settings | None = None, called: str = "tables.from_dataset"
    ) -> None:
        prefix = f"conflictmodel_{os.getpid()}_{next(_views)}_"
        self._names = {name: prefix + name for name in layout.schemas()}
        self._backend = _connected("conflictmodel.tables")
        self.connection: Any = self._backend.con
        """The DuckDB connection holding the tables, for filling them by SQL (a query without
        ``ORDER BY`` keeps the order of the rows it reads)."""
        _attach_held(self.connection)
        _configure(self.connection, settings, called)
        self.connection.execute("SET preserve_insertion_order = true")
        with engine_failures(self.connection, querying(None)):
            for name, schema in layout.schemas().items():
                self.register("conflictmodel_source", schema.empty_table())
                self.connection.execute(
                    f"CREATE TABLE {self.table(name)} AS FROM conflictmodel_source"
                )
                self.connection.execute(
                    f'CREATE VIEW "{self._names[name]}" AS '
                    f"SELECT *{_maps_read(schema)} FROM {self.table(name)}"
                )
        self.connection.unregister("conflictmodel_source")
        self._inserts: Counter[str] = Counter()

    def table(self, name: str) -> str:
        """The SQL name of table ``name`` of the layout (its map columns held as their
        entries: see :meth:`register`)."""
        return f"{_HELD}.{sql_name(self._names[name])}"

    def register(self, name: str, rows: Any) -> None:
        """Register the Arrow table ``rows`` (in the layout) with the connection as ``name``,
        each map column as the list of its entries (structs of ``key`` and ``value``, the
        same buffers), as the tables hold them: DuckDB takes such a list about five times
        faster than a map (the source values of 300,000 ACLED events: 0.2 s against 1.07 s),
        and the views of the tables, which every query and record reads, read it as the map
        again."""
        arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
        for number, field in enumerate(rows.schema):
            if arrow.types.is_map(field.type):
                column = rows.column(number)
                entries = [_entries(chunk) for chunk in column.chunks]
                kind = _entries(arrow.array([], field.type)).type
                rows = rows.set_column(number, field.name, arrow.chunked_array(entries, kind))
        self.connection.register(name, rows)

    def add(self, found: Mapping[str, Any]) -> None:
        """Append ``found`` (Arrow tables by name, in the layout) to the tables."""
        for name, table in found.items():
            self.register("conflictmodel_source", table)
            self.insert(name, "FROM conflictmodel_source")
            self.connection.unregister("conflictmodel_source")

    def insert(self, name: str, rows: str, order: str = "") -> None:
        """Append the rows of the SQL query ``rows`` (the columns of table ``name``, by name)
        to table ``name``: a child table of events in the order it is held in (see
        :meth:`opened`; rows appended after the first insert are left for :meth:`opened` to
        sort with the rest), any other in the order ``order`` (an SQL ``ORDER BY`` list; the
        query's own when empty)."""
        held = _held_order(name)
        if held:
            order = "" if self._inserts[name] else held
        self.connection.execute(
            f"INSERT INTO {self.table(name)} BY NAME {rows}"
            + (f" ORDER BY {order}" if order else "")
        )
        self._inserts[name] += 1

    def compress(self) -> None:
        """Compress the tables filled so far (DuckDB compresses an in-memory database when
        it checkpoints it; see :meth:`opened`)."""
        self.connection.execute(f"CHECKPOINT {_HELD}")

    def opened(self, dimensions: Dataset) -> Tables:
        """The tables, with the small collections' records (``dimensions``) added, the child
        tables of events in order of their event's first day (as :func:`write` writes them;
        each insert keeps that order, and a table filled by several is sorted again), then
        compressed (DuckDB compresses an in-memory database when it checkpoints it: at
        1,000,000 events 700 MiB of tables become 48 MiB, for a few seconds' work). The memory
        Arrow's pool kept from filling them goes back to the system (at 1,000,000 events of a
        JSON Lines file, about 60 bytes per event held otherwise for a while)."""
        found = layout.arrow_tables(dimensions)
        self.add(
            {name: found[name] for name in layout.schemas() if _collection(name) in DIMENSIONS}
        )
        for name, inserts in self._inserts.items():
            order = _held_order(name)
            if inserts > 1 and order:
                table = self.table(name)
                self.connection.execute(
                    f"CREATE OR REPLACE TABLE {table} AS FROM {table} ORDER BY {order}"
                )
        self.compress()
        require("pyarrow", "arrow", "conflictmodel.tables").default_memory_pool().release_unused()
        return Tables(
            None,
            "duckdb",
            self._backend,
            self._names,
            dimensions,
            views_only=True,
        )


def _maps_read(schema: Any) -> str:
    """The SQL ``REPLACE`` clause reading each map column of a table of ``schema`` held as its
    entries (:meth:`Filling.register`) as the map (empty: the table has none)."""
    arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
    maps = [
        f"map_from_entries({sql_name(field.name)}) AS {sql_name(field.name)}"
        for field in schema
        if arrow.types.is_map(field.type)
    ]
    return f" REPLACE ({', '.join(maps)})" if maps else ""


def _entries(maps: Any) -> Any:
    """An Arrow map array as the list array of its entries (structs of ``key`` and
    ``value``), on the same buffers (copied first when a slice of an array holds a missing
    map: Arrow marks missing lists only on an array of its own): a missing map stays
    missing."""
    arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
    if maps.offset and maps.null_count:
        maps = arrow.concat_arrays([maps])
    pairs = arrow.StructArray.from_arrays([maps.keys, maps.items], ["key", "value"])
    missing = maps.is_null() if maps.null_count else None
    return arrow.ListArray.from_arrays(maps.offsets, pairs, mask=missing)


def _configure(connection: Any, settings: Settings | None, called: str) -> None:
    """Set DuckDB's ``settings`` on ``connection``; a name DuckDB does not know, or a value it
    refuses, is a :class:`~conflictmodel.ValidationError` naming the function ``called``."""
    if not settings:
        return
    duckdb: Any = require("duckdb", "arrow", "tables.open()")
    query = "SELECT name FROM duckdb_settings()"
    known = sorted(name for (name,) in connection.execute(query).fetchall())
    for name, value in settings.items():
        if name not in known:
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValidationError(f"{called}(settings=...): DuckDB has no setting {name!r}{hint}")
        try:
            connection.execute(f"SET {name} = ?", [value])
        except duckdb.Error as error:
            reason = str(error).splitlines()[0]
            raise ValidationError(
                f"{called}(settings=...): DuckDB refused {name} = {value!r}: {reason}"
            ) from error


def engine_failures(connection: Any, doing: str) -> contextlib.AbstractContextManager[None]:
    """Raise DuckDB running out of memory (:func:`_out_of_memory`), met while the block runs
    queries on ``connection`` (``doing`` what it says, as ``"reading 'events.jsonl'"`` or
    :func:`querying`'s words), as an :class:`~conflictmodel.EngineError` that says how much
    memory DuckDB had and how to give it more. Every other error passes as it is."""
    return _short_of_memory(
        connection,
        f"ran out of memory {doing}",
        "give it more, or fewer threads (settings={'memory_limit': '8GB', 'threads': 1} in "
        "Python, --memory-limit 8GB --threads 1 on the command line)",
    )


@contextlib.contextmanager
def _short_of_memory(connection: Any, failure: str, remedy: str) -> Iterator[None]:
    """Raise DuckDB running out of memory (:func:`_out_of_memory`) while the block runs as an
    :class:`~conflictmodel.EngineError`: DuckDB's ``failure``, how much memory it had on
    ``connection``, the ``remedy`` and DuckDB's own words. Every other error passes as it
    is."""
    try:
        yield
    except Exception as error:
        if not _out_of_memory(error):
            raise
        limit = _setting(connection, "memory_limit")
        raise EngineError(
            f"DuckDB {failure} (it may use {limit}): {remedy}; DuckDB said: "
            f"{str(error).splitlines()[0]}"
        ) from error


def _out_of_memory(error: BaseException) -> bool:
    """Whether ``error`` is DuckDB running out of memory: its out-of-memory error, or the IO
    error of a checkpoint that could not pin a block (compressing an in-memory database short
    of memory, DuckDB fails so: "Checkpoint failed ... failed to pin block of size 256.0 KiB
    (37.9 MiB/38.1 MiB used)")."""
    duckdb: Any = require("duckdb", "arrow", "conflictmodel.tables")
    return isinstance(error, duckdb.OutOfMemoryException) or (
        isinstance(error, duckdb.IOException) and "failed to pin block" in str(error)
    )


def querying(path: Path | None) -> str:
    """What :func:`engine_failures` says DuckDB was doing with the tables in folder ``path``
    (``None``: in memory)."""
    return f"running a query on the tables {'in memory' if path is None else f'in {str(path)!r}'}"


def _setting(connection: Any, name: str) -> str:
    """The value of DuckDB's setting ``name`` on ``connection``, as DuckDB words it."""
    cursor = connection.cursor()
    try:
        found = cursor.execute("SELECT current_setting(?)", [name]).fetchone()[0]
    finally:
        cursor.close()
    return str(found)


def _connected(needed_by: str) -> Any:
    """An Ibis backend over a new in-memory DuckDB database, which prints no progress bar:
    DuckDB draws one on standard output for a query running over two seconds, even when that
    output is a file or a pipe."""
    ibis: Any = require("ibis", "arrow", needed_by)
    backend = ibis.duckdb.connect()
    backend.con.execute("SET enable_progress_bar = false")
    return backend


def _held_order(name: str) -> str:
    """The SQL ``ORDER BY`` list of the order a :class:`Filling` holds table ``name`` in:
    :data:`~conflictmodel.tables.layout.CHILD_ORDER` for the child tables of events (as
    :func:`write` writes them), none for any other."""
    if layout.CHILD_ORDER[0] not in layout.schemas()[name].names:
        return ""
    return ", ".join(f"{sql_name(column)} NULLS LAST" for column in layout.CHILD_ORDER)


def _collection(table: str) -> str:
    """The collection a table of the layout belongs to (a child table's owner)."""
    return table.split("_")[0]


_GLOB = frozenset("*?[]{}")


def _duckdb(
    folder: Path,
    schemas: dict[str, Any],
    names: dict[str, str],
    written: dict[str, Any],
    settings: Settings | None,
    held_rows: dict[str, int] | None = None,
) -> tuple[Any, bool, bool, bool]:
    """DuckDB views over the Parquet files, read by DuckDB's own Parquet reader (which keeps
    no copy of the files' bytes: the system caches them already) or, given ``held_rows`` (the
    rows of each file), over their copies held in memory (:func:`_held`), whether
    every table is such a view, whether a child table lacks the owner's columns it repeats
    (a file of format 1 or 2: its view joins them from the owner's table), and whether every
    file was held. A file in an older
    layout (read into the current one) or on a path holding a glob character (which that
    reader would expand) is read through Arrow, and a missing file is an empty Arrow table
    (registered with the connection). ``written``: each file's Arrow schema, by table;
    ``settings``: DuckDB's, given to :func:`open`."""
    datasets: Any = require("pyarrow.dataset", "arrow", "tables.open()")
    backend = _connected("tables.open()")
    backend.con.execute("SET enable_external_file_cache = false")
    if held_rows is not None:
        _attach_held(backend.con)
    _configure(backend.con, settings, "tables.open")
    views_only, joined, held = True, False, held_rows is not None
    for name, schema in schemas.items():
        path = folder / f"{name}.parquet"
        owner = _unrepeated_owner(written.get(name), name)
        joined = joined or owner is not None
        stored = f"{names[name]}_stored" if owner else names[name]
        if owner:
            schema = _without_owner_columns(schema, owner)
        lacking = _lacking_added(name, written.get(name))
        if not path.is_file():
            views_only = False
            backend.con.register(stored, schema.empty_table())
        elif _GLOB.isdisjoint(str(path.absolute())) and written[name].equals(
            _without(schema, lacking), check_metadata=False
        ):
            literal = sql_text(str(path.absolute()))
            source = f"read_parquet({literal})"
            if held_rows is not None:
                with _holding_failures(backend.con, path):
                    source = _held(backend.con, stored, literal, held_rows[name])
            nulls = "".join(
                f", CAST(NULL AS {_duckdb_type(schema.field(column).type)}) AS {sql_name(column)}"
                for column in lacking
            )
            backend.con.execute(f"CREATE VIEW {sql_name(stored)} AS SELECT *{nulls} FROM {source}")
        else:
            views_only = held = False
            source = datasets.dataset(str(path), schema=schema, format="parquet")
            backend.con.register(stored, source)
        if owner:
            repeated = ", ".join(
                f"o.{sql_name(c)} AS {sql_name(name)}"
                for name, c in layout.repeated_columns(owner).items()
            )
            backend.con.execute(
                f"CREATE VIEW {sql_name(names[name])} AS SELECT s.*, {repeated} "
                f"FROM {sql_name(stored)} s LEFT JOIN {sql_name(names[owner])} o ON s.owner = o.id"
            )
    return backend, views_only, joined, held


HELD_AT_ONCE = 2 * ROW_GROUP_ROWS
"""How many rows of a file :func:`open` copies into memory at a time (``hold=True``), each
part compressed before the next: copied at once, the casualty entries of 1,000,000 events
(22 MB of Parquet, about 30 MB held) took the process to 840 MB; in parts of this size, to
300."""


def _held(connection: Any, name: str, literal: str, rows: int) -> str:
    """A table named ``name`` in DuckDB's compressed in-memory database holding the ``rows``
    rows of the Parquet file at ``literal`` (its path as an SQL string), in their order,
    copied :data:`HELD_AT_ONCE` rows at a time (DuckDB compresses an in-memory database when
    it checkpoints it); its SQL name."""
    table = f"{_HELD}.{sql_name(name)}"
    numbered = f"read_parquet({literal}, file_row_number = true)"
    connection.execute(f"CREATE TABLE {table} AS FROM read_parquet({literal}) LIMIT 0")
    for start in range(0, rows, HELD_AT_ONCE):
        connection.execute(
            f"INSERT INTO {table} SELECT * EXCLUDE (file_row_number) FROM {numbered} "
            f"WHERE file_row_number >= {start} AND file_row_number < {start + HELD_AT_ONCE}"
        )
        connection.execute(f"CHECKPOINT {_HELD}")
    return table


def _holding_failures(connection: Any, path: Path) -> contextlib.AbstractContextManager[None]:
    """:func:`_short_of_memory` while DuckDB holds the file ``path`` in memory (``hold=True``),
    saying what to do."""
    return _short_of_memory(
        connection,
        f"could not hold {str(path)!r} in memory",
        "give it more (settings={'memory_limit': '8GB'}), or open the tables without hold=True "
        "to read them from their files",
    )


def _without_owner_columns(schema: Any, collection: str) -> Any:
    """``schema`` (of a child table of ``collection``) without the owner's columns it repeats."""
    return _without(schema, layout.repeated_columns(collection))


def _without(schema: Any, columns: Iterable[str]) -> Any:
    """Arrow ``schema`` without ``columns``."""
    for name in columns:
        schema = schema.remove(schema.get_field_index(name))
    return schema


def _lacking_added(name: str, written: Any) -> list[str]:
    """The columns of table ``name`` a later format added
    (:data:`~conflictmodel.tables.layout.ADDED_COLUMNS`) that its file, of Arrow schema
    ``written`` (``None``: no file), lacks: DuckDB's view of an older file gives them as
    nulls, which read as their fields' defaults."""
    if written is None:
        return []
    return [column for column in layout.ADDED_COLUMNS.get(name, {}) if column not in written.names]


def _duckdb_type(arrow_type: Any) -> str:
    """DuckDB's name of the SQL type an Arrow type reads as (``BOOLEAN``, ``TEXT[]``)."""
    types: Any = require("ibis.backends.sql.datatypes", "arrow", "tables.open()")
    arrow: Any = require("ibis.formats.pyarrow", "arrow", "tables.open()")
    name: str = types.DuckDBType.to_string(arrow.PyArrowType.to_ibis(arrow_type))
    return name


def _unrepeated_owner(written: Any, name: str) -> str | None:
    """The collection whose columns the child table ``name`` repeats (:data:`~conflictmodel.
    tables.layout.OWNER_COLUMNS`), when its file (of Arrow schema ``written``; ``None``: no
    file), written in format 1 or 2, lacks them: they are then read from the owner's table.
    ``None`` for any other table."""
    collection = _collection(name)
    repeated = layout.repeated_columns(collection)
    if name == collection or not repeated or written is None:
        return None
    return None if set(repeated) <= set(written.names) else collection


def _spark(
    folder: Path,
    schemas: dict[str, Any],
    names: dict[str, str],
    session: Any,
    written: dict[str, Any],
) -> tuple[Any, bool]:
    """Spark views over the Parquet files (of Arrow schemas ``written``, by table), and
    whether a child table lacks the owner's columns it repeats (a file of format 1 or 2: its
    view joins them from the owner's)."""
    ibis: Any = require("ibis", "spark", "tables.open(engine='spark')")
    backend = ibis.pyspark.connect(session)
    frames: dict[str, Any] = {}
    joined = False
    for name, schema in schemas.items():
        path = folder / f"{name}.parquet"
        if path.is_file():
            frame = session.read.schema(_spark_schema(schema)).parquet(
                _hadoop_literal(str(path.absolute()))
            )
        else:
            frame = session.createDataFrame(schema.empty_table().to_pandas(), _spark_schema(schema))
        owner = _unrepeated_owner(written.get(name), name)
        joined = joined or owner is not None
        if owner:
            columns = layout.repeated_columns(owner)
            found = frames[owner].select(
                frames[owner].id.alias("conflictmodel_owner"),
                *(frames[owner][c].alias(name) for name, c in columns.items()),
            )
            stored = frame.drop(*columns)
            frame = stored.join(found, stored.owner == found.conflictmodel_owner, "left")
            frame = frame.select(*schema.names)
        frames[name] = frame
        frame.createOrReplaceTempView(names[name])
    return backend, joined


def _spark_schema(schema: Any) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def _hadoop_literal(path: str) -> str:
    """``path`` with Hadoop's glob characters escaped, so Spark reads that path only."""
    return "".join(f"\\{c}" if c in "\\*?[]{}" else c for c in path)
