"""A :class:`~conflictmodel.Dataset` over opened tables: columns first, records on demand.

:func:`load` opens a folder written by :func:`conflictmodel.tables.write` (or by any tool
following the layout of :mod:`.layout`) as a dataset. The small collections (actors, places,
agreements, sources, relations) are read into records at once; events, claims and
assessments stay in DuckDB over the Parquet files, and each record is built from its row the
first time it is asked for and kept, so asking twice gives the same object. Opening checks
the tables column by column as :class:`~conflictmodel.Dataset` checks records: duplicate
ids, ids that resolve to no record (a child table's ``owner`` included), ``part_of`` cycles
and child tables repeating other values than their event's
(:data:`~conflictmodel.tables.layout.OWNER_COLUMNS`) are refused in one
:class:`~conflictmodel.DatasetError` that names each record, field and id. A record's own
fields are checked when it is built, by its constructor. The history written beside the tables
(:func:`written_history`) is read as a :class:`LazyHistory`: a version whose record is current
and its only one is built when asked for, the versions of records edited or withdrawn since
are checked at once.

:func:`~conflictmodel.casualties_by_actor`, :func:`~conflictmodel.casualty_matrix`,
:func:`~conflictmodel.ceasefire_violations` and :func:`~conflictmodel.ceasefire_durability`
run on such a dataset in the engine; every other query, and what a total is made of, visits
the records, building them the first time.

>>> import tempfile, conflictmodel as cm
>>> from conflictmodel import tables
>>> seed = cm.examples.idlib_2020()
>>> folder = tempfile.mkdtemp() + "/idlib"
>>> _ = tables.write(seed, folder)
>>> ds = tables.load(folder)
>>> ds
<Dataset: 10 actors, 12 locations, 1 agreement, 2 sources, 14 events, 10 claims, 4 relations>
>>> ds.events["attack-2020-02-03"] is ds.events["attack-2020-02-03"]
True
>>> ds == seed, cm.casualties_by_actor(ds) == cm.casualties_by_actor(seed)
(True, True)
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import orjson

from conflictmodel import registry
from conflictmodel._bulk import Structurer
from conflictmodel._converter import converter, unknown_never_kept
from conflictmodel._gc import paused_gc
from conflictmodel._problems import problems_of
from conflictmodel.dataset import COLLECTIONS, Dataset, find_cycles
from conflictmodel.errors import (
    ConflictModelError,
    CycleError,
    DatasetError,
    DuplicateIdError,
    Problem,
    UnresolvedReferenceError,
    ValidationError,
)
from conflictmodel.io._extras import require
from conflictmodel.records import Record, references
from conflictmodel.sources import Source
from conflictmodel.tables import layout
from conflictmodel.tables.store import (
    DIMENSIONS,
    Settings,
    Tables,
    opened_lazily,
    sql_name,
    sql_text,
)
from conflictmodel.vintages import Moment, RecordKey, Version, check_history, misfiled, recordless

__all__ = [
    "REVISED",
    "HeldVersions",
    "LazyHistory",
    "LazyRecords",
    "Stamps",
    "current_records",
    "load",
    "over",
    "unknown_keys",
    "written_history",
]

BATCH = 50_000
"""How many ids one look-up sends to the engine."""

_FIRST_INSTANT = "coalesce(epoch(when_from), epoch(CAST(when_start AS TIMESTAMP)))"
"""The SQL of a record's first possible instant (seconds since 1970), from its ``when``
columns; null when the span has no start."""


_FURTHEST = 2**62
"""Seconds beyond any instant a span holds: an open end's bound, kept within DuckDB's
64-bit integers."""


def _view(opened: Tables, name: str) -> str:
    """The quoted name of the view holding table ``name`` of ``opened``."""
    return sql_name(opened._names[name])


def _arrow_rows(opened: Tables, query: str, *parameters: object) -> Any:
    """The rows of the SQL ``query`` (with ``parameters``) on ``opened``'s connection, as an
    Arrow table."""
    with opened.engine_failures():
        return opened.backend.con.execute(query, list(parameters)).to_arrow_table()


class LazyRecords(Mapping[str, Record]):
    """The records of one collection of opened tables, by id, in the order of the table.

    A record is built from its row (and its child tables' rows) when first asked for, and
    kept (an id the table turned out not to hold is remembered too, and not asked for
    again); :meth:`values` and :meth:`items` build every record not built yet, in batches of
    :data:`BATCH`.
    """

    def __init__(self, opened: Tables, collection: str, count: int) -> None:
        self._opened = opened
        self._collection = collection
        self._count = count
        self._built: dict[str, Record] = {}
        self._absent: set[str] = set()
        self._complete = count == 0
        self._children = layout.child_tables(collection)
        self._structurer = Structurer()
        self._naming_indexes: dict[tuple[str, str | None], dict[str, list[str]]] = {}

    def _sql(self, query: str, *parameters: object) -> Any:
        return _arrow_rows(self._opened, query, *parameters)

    def _view(self, name: str) -> str:
        return _view(self._opened, name)

    def _build(self, ids: list[str]) -> list[Record]:
        """The records of these ids (in no particular order)."""

        def rows(table: str, key: str) -> Any:
            query = f"SELECT * FROM {self._view(table)} WHERE {key} IN (SELECT unnest($1))"
            return self._sql(query, ids)

        children = {name: rows(name, "owner") for name in self._children}
        with unknown_never_kept():
            return layout.records_from(
                self._collection, rows(self._collection, "id"), children, self._structurer
            )

    def fetch(self, ids: Iterable[str]) -> dict[str, Record]:
        """The records with these ids that the table holds (building those not built yet)."""
        asked = list(dict.fromkeys(i for i in ids if isinstance(i, str)))
        missing = [i for i in asked if i not in self._built and i not in self._absent]
        if missing and not self._complete:
            for start in range(0, len(missing), BATCH):
                for record in self._build(missing[start : start + BATCH]):
                    self._built.setdefault(record.id, record)
            self._absent.update(i for i in missing if i not in self._built)
        return {i: self._built[i] for i in asked if i in self._built}

    def ids_by(self, column: str) -> dict[str, list[str]]:
        """The ids of the records by their value in ``column`` of the collection's table
        (rows where it is null left out), each in the order of the table: asked of the
        engine, building no record."""
        table = self._sql(
            f"SELECT id, {sql_name(column)} FROM {self._view(self._collection)} "
            f"WHERE {sql_name(column)} IS NOT NULL"
        )
        found: dict[str, list[str]] = {}
        for record_id, value in zip(
            table.column(0).to_pylist(), table.column(1).to_pylist(), strict=True
        ):
            found.setdefault(value, []).append(record_id)
        return found

    def ids_naming(
        self, target: str, ids: Iterable[str], field: str | None = None
    ) -> dict[str, list[str]]:
        """For each of ``ids`` (of records of the collection ``target``) that a record names,
        the ids of the records naming it in any column (only in the columns of the record
        field ``field``, if given), each in the order of the table: asked of the engine,
        building no record."""
        columns = [
            column
            for column in layout.reference_columns(self._collection)
            if column.target == target and field in (None, column.field)
        ]
        asked = list(dict.fromkeys(ids))
        if not columns or not asked:
            return {}
        if self._collection == "claims":
            key = (target, field)
            if key not in self._naming_indexes:
                self._naming_indexes[key] = self._naming(columns, None)
            index = self._naming_indexes[key]
            return {record_id: index[record_id] for record_id in asked if record_id in index}
        return self._naming(columns, asked)

    def _naming(
        self, columns: list[layout.ReferenceColumn], asked: list[str] | None
    ) -> dict[str, list[str]]:
        """For each id of ``asked`` (``None``: any) named in ``columns`` of the collection's
        tables, the ids of the records naming it, each in the order of the table. DuckDB
        keeps a table's order through a scan and a filter, not through a join; a row number
        taken as the table is scanned (an empty ``OVER`` clause) tells it.
        :meth:`ids_naming` asks the claims for every id once and keeps the answer: claims are
        few beside the events they name (an import has none), and a caller visiting every
        event asks for the claims naming each, which one query apiece made take minutes."""
        pairs = " UNION ".join(
            _naming_rows(self._collection, column, self._view(column.table), every=asked is None)
            for column in columns
        )
        numbered = f"SELECT id, row_number() OVER () AS n FROM {self._view(self._collection)}"
        query = (
            f"SELECT p.owner, p.v FROM ({pairs}) AS p JOIN ({numbered}) AS t "
            "ON p.owner = t.id ORDER BY t.n"
        )
        found = self._sql(query) if asked is None else self._sql(query, asked)
        naming: dict[str, list[str]] = {}
        for owner, value in zip(
            found.column(0).to_pylist(), found.column(1).to_pylist(), strict=True
        ):
            naming.setdefault(value, []).append(owner)
        return naming

    def _build_all(self) -> dict[str, Record]:
        """Every record, in the order of the table (:meth:`_each_built` to the end)."""
        for _ in self._each_built():
            pass
        return self._built

    def _each_built(self) -> Iterator[tuple[str, Record]]:
        """Every ``(id, record)``, in the order of the table, those not built yet built
        :data:`BATCH` at a time as the iteration reaches them: the rows read for a batch are
        let go before the next, so building a million records holds the records and one
        batch's rows, not every row at once; taking the first few builds one batch."""
        if self._complete:
            yield from self._built.items()
            return
        ids = self._sql(f"SELECT id FROM {self._view(self._collection)}").column(0)
        ordered: dict[str, Record] = {}
        for start in range(0, len(ids), BATCH):
            part = ids.slice(start, BATCH).to_pylist()
            missing = [record_id for record_id in part if record_id not in self._built]
            if missing:
                with paused_gc():
                    for record in self._build(missing):
                        self._built.setdefault(record.id, record)
            found = [(record_id, self._built[record_id]) for record_id in part]
            ordered.update(found)
            yield from found
        if not self._complete:
            self._built = ordered
            self._complete = True

    def arrow_tables(self) -> dict[str, Any]:
        """The collection's table and its child tables as they are held, by name (no record
        is built)."""
        schemas = layout.schemas()
        return {
            name: self._sql(f"SELECT * FROM {self._view(name)}").cast(schemas[name])
            for name in (self._collection, *self._children)
        }

    def ids_meeting(self, first: int, last: int) -> list[str]:
        """The ids of the records, in the order of the table, whose ``when`` may share a moment
        with the instants from ``first`` to ``last`` (seconds since 1970, UTC), as the engine
        reads its columns: every record that does, and some that do not (a day counts whole,
        an open or unknown end meets anything), for :meth:`~conflictmodel.TimeSpan.meets` to
        decide. Building no record."""
        starts = _FIRST_INSTANT
        ends = "coalesce(epoch(when_until), epoch(CAST(when_end AS TIMESTAMP)) + 86400)"
        found = self._sql(
            f"SELECT id FROM {self._view(self._collection)} "
            f"WHERE ({starts} IS NULL OR {starts} <= $1) AND ({ends} IS NULL OR {ends} >= $2)",
            min(last, _FURTHEST),
            max(first, -_FURTHEST),
        )
        ids: list[str] = found.column(0).to_pylist()
        return ids

    def earliest(self, count: int) -> list[Record]:
        """Built records including the ``count`` first in time (by
        :attr:`~conflictmodel.TimeSpan.sort_key` of ``when``; the caller sorts them): those
        whose first possible instant is open or at most two days after the ``count``-th
        smallest, the engine choosing them from the ``when_from``/``when_start`` columns."""
        if self._complete:
            return list(self._built.values())
        view = self._view(self._collection)
        chosen = self._sql(
            f"WITH keyed AS (SELECT id, {_FIRST_INSTANT} AS first FROM {view}) "
            "SELECT id FROM keyed WHERE first IS NULL OR first <= "
            "(SELECT max(first) FROM (SELECT first FROM keyed WHERE first IS NOT NULL "
            f"ORDER BY first LIMIT $1)) + {2 * 86400}",
            count,
        )
        return list(self.fetch(chosen.column(0).to_pylist()).values())

    def __getitem__(self, key: str) -> Record:
        found = self._built.get(key) if isinstance(key, str) else None
        if found is None:
            found = self.fetch([key]).get(key)
            if found is None:
                raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self._built or key in self._absent or self._complete:
            return key in self._built
        query = f"SELECT count(*) FROM {self._view(self._collection)} WHERE id = $1"
        if self._sql(query, key).column(0)[0].as_py():
            return True
        self._absent.add(key)
        return False

    def __iter__(self) -> Iterator[str]:
        if self._complete:
            return iter(list(self._built))
        ids = self._sql(f"SELECT id FROM {self._view(self._collection)}").column(0)
        return iter(ids.to_pylist())

    def __len__(self) -> int:
        return self._count

    def values(self) -> ValuesView[Record]:
        """Every record, in the order of the table (building those not built yet as the
        iteration reaches them)."""
        return _BuiltValues(self)

    def items(self) -> ItemsView[str, Record]:
        """Every ``(id, record)``, in the order of the table (building those not built yet as
        the iteration reaches them)."""
        return _BuiltItems(self)

    def __repr__(self) -> str:
        return f"<{self._count:,} {self._collection}, {len(self._built):,} built>"


class _BuiltValues(ValuesView[Record]):
    """The records of a :class:`LazyRecords`, built a batch at a time as they are reached."""

    _mapping: LazyRecords

    def __iter__(self) -> Iterator[Record]:
        return (record for _, record in self._mapping._each_built())

    def __contains__(self, value: object) -> bool:
        return any(record is value or record == value for record in self)

    def __reversed__(self) -> Iterator[Record]:
        return reversed(self._mapping._build_all().values())


class _BuiltItems(ItemsView[str, Record]):
    """The ``(id, record)`` pairs of a :class:`LazyRecords`, built a batch at a time."""

    _mapping: LazyRecords

    def __iter__(self) -> Iterator[tuple[str, Record]]:
        return self._mapping._each_built()

    def __reversed__(self) -> Iterator[tuple[str, Record]]:
        return reversed(self._mapping._build_all().items())


@attrs.frozen
class HeldVersions:
    """The history of a dataset over tables: the engine's table ``table`` holds a row per
    record whose one version is current (dated or in a release, as an import gives them):
    ``collection``, ``id`` and ``stamp``, the number of its stamp in ``stamps`` (the keyword
    arguments of its :class:`~conflictmodel.Version` beside the record), ``count`` rows in
    all; the few records with versions that have ended are given by ``revised``."""

    table: str
    stamps: list[dict[str, Any]]
    count: int
    revised: Callable[[Mapping[str, Mapping[str, Record]]], dict[RecordKey, tuple[Version, ...]]]
    """The versions of the records the table leaves out (edited or withdrawn since: several
    versions, or one that has ended), worked out from the dataset's collections by the rules
    of a history; a :class:`~conflictmodel.DatasetError` when they break one."""


class LazyHistory(Mapping[RecordKey, tuple[Version, ...]]):
    """:attr:`Dataset.history <conflictmodel.Dataset.history>` of a dataset over tables
    (:class:`HeldVersions`): the versions of records edited or withdrawn since are built at
    once; the version of a record whose only one is current is built when asked for, from its
    stamp and its record in ``collections`` (built then too), and kept. Iterating over it,
    :meth:`values` and :meth:`items` build every version not built yet (the records of each
    collection asked for together)."""

    def __init__(
        self,
        opened: Tables,
        held: HeldVersions,
        collections: Mapping[str, Mapping[str, Record]],
    ) -> None:
        self._opened = opened
        self._held = held
        self._collections = collections
        self._revised = held.revised(collections)
        self._built: dict[RecordKey, tuple[Version, ...]] = {}
        self._complete = held.count == 0

    def _sql(self, query: str, *parameters: object) -> Any:
        return _arrow_rows(self._opened, query, *parameters)

    def _versions(self, record: Record, stamp: int) -> tuple[Version, ...]:
        return (Version(record=record, **self._held.stamps[stamp]),)

    def _build_all(self) -> dict[RecordKey, tuple[Version, ...]]:
        if not self._complete:
            rows = self._sql(f"SELECT collection, id, stamp FROM {self._held.table}")
            collections, ids = (rows.column(name).to_pylist() for name in ("collection", "id"))
            keys = list(zip(collections, ids, strict=True))
            stamps = rows.column("stamp").to_pylist()
            records = current_records(self._collections, keys)
            self._built = {
                key: self._built.get(key) or self._versions(records[key[0]][key[1]], stamp)
                for key, stamp in zip(keys, stamps, strict=True)
            }
            self._complete = True
        return self._built

    def _every(self) -> dict[RecordKey, tuple[Version, ...]]:
        return {**self._build_all(), **self._revised}

    def __getitem__(self, key: RecordKey) -> tuple[Version, ...]:
        found = self._revised.get(key) or self._built.get(key)
        if found is None and not self._complete and _is_key(key):
            collection, record_id = key
            rows = self._sql(
                f"SELECT stamp FROM {self._held.table} WHERE collection = $1 AND id = $2",
                collection,
                record_id,
            )
            if rows.num_rows:
                record = self._collections[collection][record_id]
                found = self._built[key] = self._versions(record, rows.column(0)[0].as_py())
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[RecordKey]:
        return iter(self._every())

    def __len__(self) -> int:
        return self._held.count + len(self._revised)

    def values(self) -> Any:
        """Every record's versions, in the order of the table, then the records revised
        (building those not built)."""
        return self._every().values()

    def items(self) -> Any:
        """Every ``((collection, id), versions)``, in the order of :meth:`values`."""
        return self._every().items()

    def history_table(self) -> Any:
        """Every version as a row of :func:`~conflictmodel.tables.layout.history_table`: the
        current versions' rows read from the engine, building no record."""
        arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
        rows = self._sql(f"SELECT collection, id, stamp FROM {self._held.table}")
        stamps = [self._held.stamps[number] for number in rows.column("stamp").to_pylist()]
        schema = layout.history_schema()
        moment = schema.field("recorded").type
        current = arrow.table(
            {
                "collection": rows.column("collection"),
                "id": rows.column("id"),
                "recorded": arrow.array([s["recorded"] for s in stamps], moment),
                "release": arrow.array([s["release"] for s in stamps], arrow.string()),
                "until": arrow.nulls(rows.num_rows, moment),
                "withdrawn": arrow.array([False] * rows.num_rows),
                "record": arrow.nulls(rows.num_rows, arrow.string()),
            },
            schema=schema,
        )
        revised = layout.versions_table(self._revised)
        return layout.in_history_order(arrow.concat_tables([current, revised]))

    def __repr__(self) -> str:
        built = len(self._built) + len(self._revised)
        return f"<history of {len(self):,} records, {built:,} built>"


def _is_key(key: object) -> bool:
    return (
        isinstance(key, tuple)
        and len(key) == 2
        and key[0] in COLLECTIONS
        and isinstance(key[1], str)
    )


LAZY = tuple(c for c in COLLECTIONS if c not in DIMENSIONS)
"""The collections a dataset over tables builds on demand."""


def load(
    path: str | os.PathLike[str], *, settings: Settings | None = None, hold: bool = False
) -> Dataset:
    """The tables in ``path`` as a :class:`~conflictmodel.Dataset` that builds its events,
    claims and assessments when they are asked for (DuckDB holds them; see above), with
    DuckDB configured by ``settings`` and the files copied into memory first with ``hold``,
    as :func:`~conflictmodel.tables.open` takes them."""
    opened = opened_lazily(path, "duckdb", settings=settings, hold=hold)
    with opened.engine_failures():
        return over(opened, written_history(opened))


def over(opened: Tables, versions: HeldVersions | None = None) -> Dataset:
    """A :class:`~conflictmodel.Dataset` over tables opened in DuckDB as views (see
    :func:`load`), once they are checked as :class:`~conflictmodel.Dataset` checks records;
    its history is ``versions`` (checked by the caller), or none."""
    if opened._views_only:
        with ThreadPoolExecutor(1) as engine:
            checking = engine.submit(_checks, opened, opened.backend.con.cursor())
            dimensions = opened.dimensions
            found = checking.result()
    else:
        found = _checks(opened, opened.backend.con)
        dimensions = opened.dimensions
    collections: dict[str, Mapping[str, Record]] = {c: dimensions._tables[c] for c in DIMENSIONS}
    for check, collection, count, _ in found:
        if check == "count":
            collections[collection] = LazyRecords(opened, collection, int(count))
    problems, kinds = _problems(opened, collections, found)
    if problems:
        raise DatasetError.of(problems, kinds)
    history = None if versions is None else LazyHistory(opened, versions, collections)
    return Dataset._assembled(collections, engine=opened, history=history or None)


_STAND_IN = Source(id="stand-in", title="stand-in")
"""A record for checking a version's stamp, which a version checks whatever its record."""

REVISED = -1
"""The stamp number of a version read whole: one that has ended, holds the record it was, or
breaks a rule (:meth:`Stamps.number`)."""


class Stamps:
    """The distinct stamps (the keyword arguments of a :class:`~conflictmodel.Version` beside
    its record) of the current versions a history holds in a table, numbered (``kept``)."""

    def __init__(self) -> None:
        self.kept: list[dict[str, Any]] = []
        self._numbers: dict[tuple[Any, Any], int] = {}

    def number(self, stamp: dict[str, Any], whole: bool = False) -> int | None:
        """The number of ``stamp`` (kept if new) when it is one of a current version, dated
        and allowed as a version checks it; ``None`` when undated (a history leaves such a
        version out); :data:`REVISED` for a version read whole (``whole``: one holding the
        record it was)."""
        if whole or stamp["until"] is not None or stamp["withdrawn"]:
            return REVISED
        try:
            version = Version(record=_STAND_IN, **stamp)
        except ConflictModelError:
            return REVISED
        if version.bare:
            return None
        key = (stamp["recorded"], stamp["release"])
        if key not in self._numbers:
            self._numbers[key] = len(self.kept)
            self.kept.append(stamp)
        return self._numbers[key]

    def current(self, recorded: Moment | None, release: str | None) -> int | None:
        """The number of the stamp of a current version recorded at ``recorded`` in
        ``release`` (as :meth:`number` gives it), or the error a
        :class:`~conflictmodel.Version` raises for them."""
        version = Version(record=_STAND_IN, recorded=recorded, release=release)
        return self.number(
            {
                "recorded": version.recorded,
                "release": version.release,
                "until": None,
                "withdrawn": False,
            }
        )


VERSIONS = "conflictmodel_held.conflictmodel_versions"
"""The table holding the history of a dataset whose tables a :class:`~conflictmodel.tables.
store.Filling` holds (a JSON Lines file loaded columns first, an import): see
:class:`HeldVersions`."""


def current_versions(
    connection: Any, collections: Any, ids: Any, numbers: Any, stamps: Stamps
) -> HeldVersions | None:
    """The history of records whose one version is current, each dated by a stamp of
    ``stamps``: for each record, in the history's order, its collection (of ``collections``),
    its id (of ``ids``) and the number of its stamp (of ``numbers``), each given as anything
    Arrow reads as an array; the table :data:`VERSIONS` of ``connection`` (a
    :class:`~conflictmodel.tables.store.Filling`'s) then holds them. ``None`` for none."""
    arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
    rows = arrow.table(
        {
            "collection": arrow.array(collections, arrow.string()),
            "id": arrow.array(ids, arrow.string()),
            "stamp": arrow.array(numbers, arrow.int32()),
        }
    )
    if not rows.num_rows:
        return None
    connection.register("conflictmodel_source", rows)
    connection.execute(f"CREATE TABLE {VERSIONS} AS FROM conflictmodel_source")
    connection.unregister("conflictmodel_source")
    return HeldVersions(VERSIONS, stamps.kept, rows.num_rows, _none_revised)


def _none_revised(
    collections: Mapping[str, Mapping[str, Record]],
) -> dict[RecordKey, tuple[Version, ...]]:
    return {}


def current_records(
    collections: Mapping[str, Mapping[str, Record]], keys: Iterable[RecordKey]
) -> dict[str, dict[str, Record]]:
    """The records of ``collections`` named by ``keys``, by collection and id (those of a
    collection built together; keys naming no record left out)."""
    listed = list(keys)
    found: dict[str, dict[str, Record]] = {collection: {} for collection in COLLECTIONS}
    for collection in dict.fromkeys(c for c, _ in listed if c in COLLECTIONS):
        ids = [i for c, i in listed if c == collection]
        held = collections[collection]
        fetched = held.fetch(ids) if isinstance(held, LazyRecords) else held
        found[collection] = {i: fetched[i] for i in ids if i in fetched}
    return found


def written_history(opened: Tables) -> HeldVersions | None:
    """The history :func:`~conflictmodel.tables.write` wrote beside the tables opened
    (:func:`~conflictmodel.tables.layout.history_table`), if it did: the rows of records whose
    one version is current and dated stay in DuckDB, each distinct stamp checked once as a
    :class:`~conflictmodel.Version` checks it; the rows of every other record (edited or
    withdrawn since, or whose row a rule refuses) are read whole, and checked as a
    :class:`~conflictmodel.Dataset` checks a history when the dataset is made."""
    path = None if opened.path is None else opened.path / f"{layout.HISTORY}.parquet"
    if path is None or not path.is_file():
        return None
    _check_history_file(path)
    connection = opened.backend.con
    table = sql_name(f"{opened._prefix}{layout.HISTORY}")
    source = f"read_parquet({sql_text(str(path))}, file_row_number = true)"
    missing = connection.execute(
        f"SELECT file_row_number, collection IS NULL, id IS NULL FROM {source} "
        "WHERE collection IS NULL OR id IS NULL OR withdrawn IS NULL "
        "ORDER BY file_row_number LIMIT 1"
    ).fetchall()
    if missing:
        line, no_collection, no_id = missing[0]
        column = "collection" if no_collection else "id" if no_id else "withdrawn"
        raise ValidationError(f"tables.load(): {str(path)!r} row {line}: {column} is missing")
    parts = f"{_STAMP_COLUMNS}, record IS NOT NULL"
    found = connection.execute(f"SELECT DISTINCT {parts} FROM {source}").fetchall()
    stamps = Stamps()
    numbers = [stamps.number(_stamp(*row[:4]), row[4]) for row in found]
    columns = list(zip(*found, strict=True)) if found else [()] * 5
    kinds = ("BIGINT", "VARCHAR", "BIGINT", "BOOLEAN", "BOOLEAN")
    same = " AND ".join(
        f"{part} IS NOT DISTINCT FROM p{number}" for number, part in enumerate(parts.split(", "))
    )
    connection.execute(
        f"CREATE TABLE {table} AS SELECT collection, id, number AS stamp, file_row_number AS line "
        f"FROM {source} JOIN (SELECT "
        + ", ".join(f"unnest(${n + 1}::{kind}[]) AS p{n}" for n, kind in enumerate(kinds))
        + f", unnest($6::INTEGER[]) AS number) ON {same}",
        [*map(list, columns), numbers],
    )
    unknown_keys(opened, table)
    connection.execute(
        "CREATE TEMP TABLE conflictmodel_revised AS "
        f"SELECT collection, id FROM {table} GROUP BY ALL "
        f"HAVING count(*) > 1 OR bool_or(stamp = {REVISED}) "
        "UNION SELECT collection, id FROM conflictmodel_unknown"
    )
    revised = "(collection, id) IN (SELECT collection, id FROM conflictmodel_revised)"
    rows = connection.execute(
        f"SELECT collection, id, {_STAMP_COLUMNS}, record FROM {source} "
        f"WHERE {revised} ORDER BY file_row_number"
    ).fetchall()
    connection.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT collection, id, stamp FROM {table} "
        f"WHERE stamp IS NOT NULL AND NOT {revised} ORDER BY line"
    )
    connection.execute("DROP TABLE conflictmodel_unknown")
    connection.execute("DROP TABLE conflictmodel_revised")
    (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    return HeldVersions(table, stamps.kept, count, functools.partial(_versions_of_rows, rows))


def unknown_keys(opened: Tables, table: str) -> None:
    """Fill the temporary table ``conflictmodel_unknown`` with the ``(collection, id)`` rows of
    table ``table`` that name no record of ``opened``'s collections, each collection's ids
    checked against that collection alone (the caller drops it)."""
    connection = opened.backend.con
    small = [(c, i) for c in DIMENSIONS for i in opened.dimensions._tables[c]]
    connection.execute(
        "CREATE TEMP TABLE conflictmodel_known AS "
        "SELECT unnest($1::VARCHAR[]) AS collection, unnest($2::VARCHAR[]) AS id",
        [[c for c, _ in small], [i for _, i in small]],
    )
    unknown = ["SELECT NULL::VARCHAR AS collection, NULL::VARCHAR AS id WHERE false"]
    for (collection,) in connection.execute(f"SELECT DISTINCT collection FROM {table}").fetchall():
        name = sql_text(collection)
        held = (
            f"SELECT id FROM {_view(opened, collection)}"
            if collection in LAZY
            else f"SELECT id FROM conflictmodel_known WHERE collection = {name}"
        )
        ids = f"SELECT id FROM {table} WHERE collection = {name}"
        unknown.append(f"SELECT {name}, id FROM ({ids}) ANTI JOIN ({held}) USING (id)")
    connection.execute(f"CREATE TEMP TABLE conflictmodel_unknown AS {' UNION ALL '.join(unknown)}")
    connection.execute("DROP TABLE conflictmodel_known")


_STAMP_COLUMNS = "epoch_us(recorded), release, epoch_us(until), withdrawn"
"""The columns of the history table telling a version's stamp, as SQL (read by
:func:`_stamp`)."""


def _stamp(
    recorded: int | None, release: str | None, until: int | None, withdrawn: bool
) -> dict[str, Any]:
    """A version's stamp from the values of :data:`_STAMP_COLUMNS`."""
    return {
        "recorded": _moment(recorded),
        "release": release,
        "until": _moment(until),
        "withdrawn": withdrawn,
    }


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _moment(microseconds: int | None) -> datetime.datetime | None:
    """The instant ``microseconds`` after the Unix epoch (DuckDB's ``epoch_us``), in UTC."""
    return None if microseconds is None else _EPOCH + datetime.timedelta(microseconds=microseconds)


def _check_history_file(path: Any) -> None:
    """Refuse a history file whose columns do not read as the layout's."""
    parquet: Any = require("pyarrow.parquet", "arrow", "tables.load()")
    written = parquet.read_schema(path)
    expected = layout.history_schema()
    wrong = [
        f"{field.name} ({field.type})"
        for field in expected
        if written.get_field_index(field.name) < 0
        or not written.field(field.name).type.equals(field.type)
    ]
    if wrong:
        raise ValidationError(
            f"tables.load(): {str(path)!r} lacks, or holds as another type, the history "
            f"columns {', '.join(wrong)}"
        )


def _versions_of_rows(
    rows: list[tuple[Any, ...]], collections: Mapping[str, Mapping[str, Record]]
) -> dict[RecordKey, tuple[Version, ...]]:
    """The versions the history ``rows`` (every column but the stamp, in order) describe, a
    current one's record taken from ``collections``, checked as a
    :class:`~conflictmodel.Dataset` checks a history: a :class:`~conflictmodel.DatasetError`
    naming each record whose versions break a rule."""
    live = current_records(collections, ((row[0], row[1]) for row in rows))
    versions: list[Version] = []
    problems: list[Problem] = []
    for collection, record_id, *parts, text in rows:
        if collection not in COLLECTIONS:
            message = f"expected one of {', '.join(COLLECTIONS)}, got {collection!r}"
            problems.append(Problem(f"history of {record_id!r}", "collection", message))
            continue
        label = f"{COLLECTIONS[collection].kind_label} {record_id!r}"
        record = live[collection].get(record_id)
        if text is not None:
            try:
                record = converter.structure(orjson.loads(text), COLLECTIONS[collection])
            except Exception as error:
                problems.extend(
                    Problem(label, f"history.{problem.path}", problem.message)
                    for problem in problems_of(error, "record")
                )
                continue
            other = misfiled((collection, record_id), record)
            if other is not None:
                problems.append(Problem(label, "history.record", other))
                continue
        if record is None:
            problems.append(Problem(label, "history", recordless((collection, record_id))))
            continue
        try:
            versions.append(Version(record=record, **_stamp(*parts)))
        except ConflictModelError as error:
            problems.append(Problem(label, "history", str(error)))
    history, wrong = check_history(live, versions)
    if problems or wrong:
        raise DatasetError([*problems, *wrong])
    return history


Check = tuple[str, str, str, str | None]
"""``(check, collection, value, detail)``: one row of :func:`_checks`."""


def _checks(opened: Tables, connection: Any) -> list[Check]:
    """One DuckDB query on ``connection`` (a cursor of its own when every table is a view, so
    it runs while Python reads the small collections; the connection itself when a table is
    an Arrow object registered with it, which no cursor sees): each lazy collection's row
    count, its duplicate ids (with their tag), the ids its columns hold that no record of
    their collection has, and the events' ``part_of``."""

    def view(name: str) -> str:
        return _view(opened, name)

    checks = [f"SELECT 'count', '{c}', count(*)::VARCHAR, NULL FROM {view(c)}" for c in LAZY]
    checks += [
        f"SELECT 'duplicate', '{collection}', id, min(type) FROM {view(collection)} "
        "GROUP BY id HAVING count(*) > 1"
        for collection in LAZY
    ]
    for target, columns in _by_target().items():
        values = " UNION ALL ".join(
            f"SELECT {_ids(c)} AS v FROM {view(c.table)}" for _, c in columns
        )
        checks.append(
            f"SELECT DISTINCT 'missing', '{target}', v, NULL FROM ({values}) "
            f"WHERE v IS NOT NULL AND v NOT IN (SELECT id FROM {view(target)})"
        )
    checks.append(
        f"SELECT 'parent', 'events', id, part_of FROM {view('events')} WHERE part_of IS NOT NULL"
    )
    repeated = _repeated_checks(opened)
    checks += [probe for probe, _ in repeated.values()]
    orphans = _orphan_checks(opened)
    checks += [check for child, check in orphans.items() if child not in repeated]
    query = " UNION ALL ".join(f"({check})" for check in checks)
    found: list[Check] = connection.execute(query).fetchall()
    differing = [child for check, child, _, _ in found if check == _DIFFERS]
    found = [row for row in found if row[0] != _DIFFERS]
    for child in differing:
        found += connection.execute(repeated[child][1]).fetchall()
        found += connection.execute(orphans[child]).fetchall()
    return found


def _orphan_checks(opened: Tables) -> dict[str, str]:
    """Per child table of the lazy collections, the query of its first rows (numbered from 0)
    whose owner no record of the collection has, with that owner. Run with the other checks,
    or where the child table repeats its owner's columns only once :data:`_DIFFERS` found a
    row without an owner holding the same cells (which every such row is). None for tables
    laid out here from records."""
    if opened.path is None:
        return {}
    checks = {}
    for collection in LAZY:
        for child in layout.child_tables(collection):
            rows, owners = _view(opened, child), _view(opened, collection)
            numbered = f"SELECT owner, row_number() OVER () - 1 AS n FROM {rows}"
            checks[child] = (
                f"SELECT * FROM (SELECT 'orphan', '{child}', n::VARCHAR, owner FROM ({numbered}) "
                f"WHERE owner IS NULL OR owner NOT IN (SELECT id FROM {owners}) "
                f"ORDER BY n LIMIT {_SHOWN})"
            )
    return checks


_DIFFERS = "repeated?"
"""The check that finds a child table whose repeated cells may differ from its owner's."""


def _repeated_checks(opened: Tables) -> dict[str, tuple[str, str]]:
    """Per child table repeating its owner's columns (:data:`~conflictmodel.tables.layout.
    OWNER_COLUMNS`), two queries: whether a row has no owner holding the same cells (one row,
    :data:`_DIFFERS`, when one has: a cheaper anti-join), and the owners of the first rows
    where a repeated cell differs from the owner's, with the first column that differs (run
    only then). None for tables that took those columns from their owners here (laid out in
    memory, or an older format's views joining them)."""
    if opened.path is None or not opened.repeats_stored:
        return {}
    checks = {}
    for collection in LAZY:
        repeated = layout.repeated_columns(collection)
        for child in layout.child_tables(collection) if repeated else []:
            pairs = [(f"c.{sql_name(name)}", f"o.{sql_name(c)}") for name, c in repeated.items()]
            differ = [f"{mine} IS DISTINCT FROM {owners}" for mine, owners in pairs]
            same = " AND ".join(f"{mine} IS NOT DISTINCT FROM {owners}" for mine, owners in pairs)
            first = " ".join(
                f"WHEN {test} THEN {sql_text(c)}"
                for test, c in zip(differ, repeated.values(), strict=True)
            )
            rows, owners = _view(opened, child), _view(opened, collection)
            checks[child] = (
                f"SELECT '{_DIFFERS}', '{child}', NULL, NULL FROM (SELECT 1 FROM {rows} c "
                f"ANTI JOIN {owners} o ON c.owner = o.id AND {same} LIMIT 1)",
                f"SELECT * FROM (SELECT DISTINCT 'repeated', '{child}', c.owner, CASE {first} END "
                f"FROM {rows} c JOIN {owners} o "
                f"ON c.owner = o.id WHERE {' OR '.join(differ)} ORDER BY 3 LIMIT {_SHOWN})",
            )
    return checks


_SHOWN = 5
"""How many records a check of repeated cells names at most."""


def _problems(
    opened: Tables, collections: Mapping[str, Mapping[str, Record]], found: list[Check]
) -> tuple[list[Problem], list[type[DatasetError]]]:
    """What :class:`~conflictmodel.Dataset` would refuse in the lazy collections, from what
    :func:`_checks` found: duplicate ids, ids no record has (the rows holding them are
    confirmed on their records, whose references give the messages) and ``part_of`` cycles."""
    connection = opened.backend.con
    by_target = _by_target()

    def view(name: str) -> str:
        return _view(opened, name)

    problems: list[Problem] = []
    kinds: list[type[DatasetError]] = []
    for check, collection, record_id, tag in sorted(found, key=lambda row: row[:3]):
        if check == "duplicate":
            noun = (registry.record_class(str(tag)) or COLLECTIONS[collection]).kind_label
            problems.append(
                Problem(f"{noun} {record_id!r}", "id", f"duplicate id: another {noun} has it")
            )
            kinds.append(DuplicateIdError)
        elif check == "repeated":
            table, field = collection.split("_", 1)
            noun = COLLECTIONS[table].kind_label
            problems.append(
                Problem(
                    f"{noun} {record_id!r}",
                    field,
                    f"table {collection} repeats its {tag} (column "
                    f"{layout.REPEATED_PREFIX}{tag}) as another value than table {table} "
                    "holds; write the tables again with tables.write()",
                )
            )
            kinds.append(DatasetError)
        elif check == "orphan":
            noun = COLLECTIONS[collection.split("_")[0]].kind_label
            problems.append(
                Problem(
                    f"{collection} row {record_id}",
                    "owner",
                    f"no {noun} has id {tag!r}"
                    if tag is not None
                    else "null: the row has no owner",
                )
            )
            kinds.append(UnresolvedReferenceError)
    if problems:
        return problems, kinds
    missing: dict[str, list[str]] = {}
    for check, target, value, _ in found:
        if check == "missing":
            missing.setdefault(target, []).append(value)
    suspects: dict[str, dict[str, None]] = {c: {} for c in LAZY}
    for target, absent in missing.items():
        for collection, column in by_target[target]:
            naming = _naming_rows(collection, column, view(column.table))
            rows = connection.execute(f"SELECT DISTINCT owner FROM ({naming})", [absent]).fetchall()
            suspects[collection].update(dict.fromkeys(row[0] for row in rows))
    for collection, ids in suspects.items():
        lazy = collections[collection]
        assert isinstance(lazy, LazyRecords)
        for record in lazy.fetch(ids).values():
            for field, target_collection, target in references(record):
                if target not in collections[target_collection]:
                    noun = COLLECTIONS[target_collection].kind_label
                    problems.append(Problem(record.label, field, f"no {noun} has id {target!r}"))
                    kinds.append(UnresolvedReferenceError)
    parents = {row[2]: row[3] for row in found if row[0] == "parent"}
    events = collections["events"]
    cycles = find_cycles(parents, "part_of", lambda event_id: events[event_id].label)
    problems.extend(cycles)
    kinds.extend(CycleError for _ in cycles)
    return problems, kinds


def _by_target() -> dict[str, list[tuple[str, layout.ReferenceColumn]]]:
    """The columns of the lazy collections holding ids, by the collection they refer to."""
    found: dict[str, list[tuple[str, layout.ReferenceColumn]]] = {}
    for collection in LAZY:
        for column in layout.reference_columns(collection):
            found.setdefault(column.target, []).append((collection, column))
    return found


def _naming_rows(
    collection: str, column: layout.ReferenceColumn, view: str, every: bool = False
) -> str:
    """The SQL of the (``owner``, ``v``) pairs in which a record of ``collection`` names an
    id of the list ``$1`` in ``column`` (``every``: any id), held in ``view``: ``owner`` is
    the record's id."""
    owner = "id" if column.table == collection else "owner"
    pairs = f"SELECT {owner}, {_ids(column)} AS v FROM {view}"
    condition = "v IS NOT NULL" if every else "v IN (SELECT unnest($1))"
    return f"SELECT {owner} AS owner, v FROM ({pairs}) WHERE {condition}"


def _ids(column: layout.ReferenceColumn) -> str:
    """The SQL giving one row per id the column holds."""
    name = sql_name(column.column)
    return [name, f"unnest({name})", f"unnest(flatten({name}))"][column.depth]
