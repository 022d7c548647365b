"""Records' JSON objects laid out as tables column by column, no record built.

:func:`collection_tables` turns the JSON objects of one collection's records (as a JSON Lines
file holds them) into the tables of :mod:`.layout`, equal to the tables of the records the
objects describe. It reads each field as a column: each distinct JSON value of the column is
read, converted and checked once, by that field's own converter and validator
(:meth:`~conflictmodel._bulk.Structurer.field_reader`), laid out in cells once
(:mod:`.layout`), and the cells are repeated for the rows holding it by Arrow. A class with
rules across its fields, or with a child table in a child table, is built record by record
instead. Anything the fields refuse, or an object giving a key its class does not have, gives
``None``: the caller builds the records, which says what is wrong.

>>> from conflictmodel._bulk import Structurer
>>> objects = [
...     {"type": "engagement", "id": "a", "when": "2020-02-03", "kind": "attack",
...      "initiators": ["syrian-army"], "targets": ["turkish-army"],
...      "casualties": [{"actor": "turkish-army", "killed": {"low": 8, "best": 8, "high": 8}}]},
...     {"type": "engagement", "id": "b", "when": "2020-02-03", "kind": "shelling",
...      "initiators": [], "targets": ["turkish-army"]},
... ]
>>> found = collection_tables("events", objects, Structurer())
>>> found["events"].column("kind").to_pylist(), found["events_casualties"].num_rows
(['attack', 'shelling'], 1)
>>> records = [Structurer()(o) for o in objects]
>>> all(found[name].equals(table) for name, table in layout._collection_tables(
...     "events", records).items())
True
>>> collection_tables("events", [{**objects[0], "when": "2020-13"}], Structurer()) is None
True
"""

from __future__ import annotations

import itertools
import marshal
import operator
import types
from typing import Any

from conflictmodel import registry
from conflictmodel._bulk import ABSENT, Structurer
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.io._extras import require
from conflictmodel.records import Record
from conflictmodel.tables import layout

__all__ = ["collection_tables"]


def _arrow() -> Any:
    return require("pyarrow", "arrow", "conflictmodel.tables")


def _numpy() -> Any:
    return require("numpy", "arrow", "conflictmodel.tables")


def collection_tables(
    collection: str, objects: list[dict[str, Any]], structurer: Structurer
) -> dict[str, Any] | None:
    """The table of ``collection`` and its child tables holding the records ``objects``
    describe, in their order (each object a JSON object with a registered tag of the
    collection); ``None`` when a record must be built to say what is wrong with one."""
    arrow = _arrow()
    groups = layout._by_tag([obj.get(registry.TYPE_KEY) for obj in objects])
    parts: dict[str, list[Any]] = {}
    order: list[int] = []
    for tag, positions in groups.items():
        cls = registry.record_class(tag) if type(tag) is str else None
        if cls is None or not issubclass(cls, COLLECTIONS[collection]):
            return None
        group = objects if len(groups) == 1 else [objects[p] for p in positions]
        tables = _class_tables(collection, cls, tag, group, structurer)
        if tables is None:
            records = [structurer(obj) for obj in group]
            if any(record is None for record in records):
                return None
            tables = layout._collection_tables(collection, records)  # type: ignore[arg-type]
        for name, table in tables.items():
            parts.setdefault(name, []).append(table)
        order.extend(positions)
    found = {name: arrow.concat_tables(tables) for name, tables in parts.items()}
    if len(groups) > 1:
        found[collection] = found[collection].take(_numpy().argsort(order, kind="stable"))
    return found


def _rows(objects: list[dict[str, Any]], names: list[str]) -> list[tuple[Any, ...]] | None:
    """Each object's values of ``names`` (:data:`ABSENT` for a key it leaves out); ``None``
    when an object gives a key that is not a field."""
    if len(names) > 1 and all(len(obj) == len(names) + 1 for obj in objects):
        try:
            return list(map(operator.itemgetter(*names), objects))
        except KeyError:
            pass
    allowed = {*names, registry.TYPE_KEY}
    rows = []
    for obj in objects:
        if not obj.keys() <= allowed:
            return None
        rows.append(tuple([obj.get(name, ABSENT) for name in names]))
    return rows


def _distinct(raws: tuple[Any, ...]) -> tuple[list[Any], list[int]]:
    """The distinct JSON values of a column (``1``, ``1.0`` and ``true`` apart), and the
    position of each row's among them."""
    kinds = set(map(type, raws))
    raw_of: dict[Any, Any] | None = None
    if kinds <= {str, types.NoneType}:
        keys: Any = raws
    elif kinds == {list} and set(map(type, itertools.chain.from_iterable(raws))) <= {str}:
        keys = list(map(tuple, raws))
        raw_of = dict(zip(keys, raws, strict=True))
    else:
        keys = [b"" if raw is ABSENT else marshal.dumps(raw) for raw in raws]
        raw_of = dict(zip(keys, raws, strict=True))
    index: dict[Any, int] = {}
    codes = [index.setdefault(key, len(index)) for key in keys]
    distinct = list(index) if raw_of is None else [raw_of[key] for key in index]
    return distinct, codes


def _class_tables(
    collection: str,
    cls: type[Record],
    tag: str,
    objects: list[dict[str, Any]],
    structurer: Structurer,
) -> dict[str, Any] | None:
    """The tables of the records of one class, column by column; ``None`` when this class is
    built record by record, or a value is refused."""
    arrow = _arrow()
    schemas = layout.schemas()
    fields = layout.fields_of(cls)
    try:
        readers = [structurer.field_reader(cls, field.name) for field in fields]
    except Exception:
        return None
    rows = _rows(objects, [field.name for field in fields])
    if rows is None:
        return None
    size = len(objects)
    columns: dict[str, Any] = {"type": arrow.repeat(arrow.scalar(tag), size)}
    children: dict[str, tuple[layout._ChildItems, list[int]]] = {}
    for field, read, raws in zip(fields, readers, zip(*rows, strict=True), strict=True):
        distinct, positions = _distinct(raws)
        codes = arrow.array(positions, arrow.int32())
        try:
            values = [read(raw) for raw in distinct]
        except Exception:
            return None
        cells: layout.Cells = {}
        held: dict[str, layout._ChildItems] = {}
        layout._field_cells(values, field, "", list(range(len(values))), cells, held)
        for name, column in cells.items():
            kind = schemas[collection].field(name).type
            columns[name] = arrow.array(column, kind).take(codes)
        for name, items in held.items():
            children[name] = (items, positions)
    main = schemas[collection]
    found = {
        collection: arrow.table(
            [columns.get(f.name, arrow.nulls(size, f.type)) for f in main], schema=main
        )
    }
    for name, (items, codes) in children.items():
        table = _child_table(f"{collection}_{name}", items, codes, columns["id"])
        if table is None:
            return None
        found[f"{collection}_{name}"] = table
    return found


def _child_table(name: str, items: layout._ChildItems, codes: list[int], ids: Any) -> Any | None:
    """The child table ``name`` of rows whose distinct values (by ``codes``) own ``items``
    (their rows being distinct values' positions, in order)."""
    arrow, numpy = _arrow(), _numpy()
    schema = layout.schemas()[name]
    cells: layout.Cells = {}
    grandchildren: dict[str, layout._ChildItems] = {}
    if items.values:
        layout._lay_out(items.values, items.rows, "", cells, grandchildren)
    if grandchildren:
        return None
    distinct = numpy.asarray(codes, dtype=numpy.int64)
    owners_of = numpy.asarray(items.rows, dtype=numpy.int64)
    counts = numpy.bincount(owners_of, minlength=int(distinct.max(initial=-1)) + 1)
    starts = numpy.cumsum(counts) - counts
    lengths = counts[distinct]
    total = int(lengths.sum())
    firsts = numpy.cumsum(lengths) - lengths
    picked = numpy.repeat(starts[distinct] - firsts, lengths) + numpy.arange(total)
    owners = numpy.repeat(numpy.arange(len(distinct)), lengths)
    columns = {
        "owner": ids.take(owners),
        "position": arrow.array(items.positions, schema.field("position").type).take(picked),
    }
    for column, values in cells.items():
        columns[column] = arrow.array(values, schema.field(column).type).take(picked)
    return arrow.table(
        [columns.get(f.name, arrow.nulls(total, f.type)) for f in schema], schema=schema
    )
