"""JSON objects of records laid out in the tables of :mod:`.layout` column by column, in
DuckDB, no record built.

:func:`lay_out` reads the records of one collection from a DuckDB table of JSON objects (as
``read_json_objects`` reads a JSON Lines file) into the tables of a
:class:`~conflictmodel.tables.store.Filling`, equal to the tables of the records the objects
describe. It takes each field as a column: DuckDB extracts the field's JSON from every object
and finds its distinct values; each distinct value is read, converted and checked once, in
Python, by the field's own converter and validator
(:meth:`~conflictmodel._bulk.Structurer.field_reader`), and laid out in cells once
(:mod:`.layout`); DuckDB then joins every row to the cells of its values. So the work per
row is DuckDB's, and Python's grows with the distinct values only.

A class with rules across its fields (an ``__attrs_post_init__``), whose fields cannot be
checked one by one, is built record by record and its records laid out. Anything a record
would not take gives ``False`` and the caller builds the records, which say what is wrong: a
key that is not a field or appears twice, a missing field, a value the field refuses, or a
child table in a child table.

>>> import conflictmodel as cm, orjson, tempfile
>>> from conflictmodel._bulk import Structurer
>>> from conflictmodel.tables.store import Filling
>>> objects = [
...     {"type": "engagement", "id": "a", "when": "2020-02-03", "kind": "attack",
...      "initiators": ["syrian-army"], "targets": ["turkish-army"],
...      "casualties": [{"actor": "turkish-army", "killed": {"low": 8, "best": 8, "high": 8}}]},
...     {"type": "engagement", "id": "b", "when": "2020-02-03", "kind": "shelling",
...      "initiators": [], "targets": ["turkish-army"]},
... ]
>>> path = tempfile.mkdtemp() + "/events.jsonl"
>>> with open(path, "wb") as file:
...     _ = file.write(b"".join(orjson.dumps(o) + b"\\n" for o in objects))
>>> filling = Filling()
>>> filling.connection.execute(f"CREATE TEMP TABLE lines AS SELECT json, "
...     f"json_extract(json, '$.type')::VARCHAR AS tag FROM read_json_objects('{path}')")
... # doctest: +ELLIPSIS
<...>
>>> lay_out(filling, "lines", "events", {'"engagement"': cm.Engagement}, Structurer())
True
>>> filling.connection.execute(f"SELECT id, kind FROM {filling.table('events')}").fetchall()
[('a', 'attack'), ('b', 'shelling')]
>>> filling.connection.execute(f"SELECT owner, killed_best FROM "
...     f"{filling.table('events_casualties')}").fetchall()
[('a', 8)]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import orjson

from conflictmodel import registry
from conflictmodel._bulk import ABSENT, Structurer
from conflictmodel._problems import repeated_keys
from conflictmodel.io._extras import require
from conflictmodel.records import Record
from conflictmodel.tables import layout
from conflictmodel.tables.store import Filling, sql_name, sql_text

__all__ = ["lay_out"]

_counter = itertools.count()


def _arrow() -> Any:
    return require("pyarrow", "arrow", "conflictmodel.tables")


def lay_out(
    filling: Filling,
    lines: str,
    collection: str,
    classes: Mapping[str, type[Record]],
    structurer: Structurer,
) -> bool:
    """Append the records of ``collection`` that the JSON objects of table ``lines`` (columns
    ``json``, and ``tag``: the JSON text of each object's tag) describe to ``filling``'s
    tables, in the order of the table; ``classes`` are the collection's classes by the JSON
    text of the tags the lines hold. ``False`` when a record must be built to say what is
    wrong with one (nothing is appended then)."""
    connection = filling.connection
    if not classes:
        return True
    staged: dict[str, str] | None = {} if len(classes) > 1 else None
    try:
        for tag, cls in classes.items():
            if not _stage(filling, lines, collection, tag, cls, structurer, staged):
                return False
        for table, stage in (staged or {}).items():
            connection.execute(
                f"INSERT INTO {filling.table(table)} BY NAME SELECT * EXCLUDE "
                f"(conflictmodel_line, conflictmodel_position) FROM {stage} "
                "ORDER BY conflictmodel_line, conflictmodel_position"
            )
    finally:
        for stage in (staged or {}).values():
            connection.execute(f"DROP TABLE IF EXISTS {stage}")
    return True


def _stage(
    filling: Filling,
    lines: str,
    collection: str,
    tag: str,
    cls: type[Record],
    structurer: Structurer,
    staged: dict[str, str] | None,
) -> bool:
    """Lay the records of one class out in staging tables (by table name in ``staged``), or
    straight in ``filling``'s (``staged`` is ``None``: the collection's only class)."""
    arrow, connection = _arrow(), filling.connection
    schemas = layout.schemas()
    fields = layout.fields_of(cls)
    try:
        readers = [structurer.field_reader(cls, field.name) for field in fields]
    except Exception:
        return _stage_records(filling, lines, collection, tag, structurer, staged)
    number = next(_counter)
    rows = f"conflictmodel_rows_{number}"
    paths = ", ".join(sql_text(f"$.{sql_name(field.name)}") for field in fields)
    values = ", ".join(
        f"coalesce(v[{index}], '') AS v{index}" for index in range(1, len(fields) + 1)
    )
    connection.execute(
        f"CREATE TEMP TABLE {rows} AS SELECT conflictmodel_line, keys, {values} FROM ("
        "SELECT rowid AS conflictmodel_line, to_json(json_keys(json))::VARCHAR AS keys, "
        f"json_extract(json, [{paths}])::VARCHAR[] AS v FROM {lines} "
        f"WHERE tag = {sql_text(tag)})"
    )
    registered: list[str] = []
    dropped = [("TABLE", rows)]
    try:
        allowed = {field.name for field in fields} | {registry.TYPE_KEY}
        for (text,) in connection.execute(f"SELECT DISTINCT keys FROM {rows}").fetchall():
            keys = orjson.loads(text)
            if len(set(keys)) < len(keys) or not set(keys) <= allowed:
                return False
        selects = [f"{sql_text(orjson.loads(tag))} AS type", "r.conflictmodel_line"]
        joins: list[str] = []
        children: list[tuple[str, str, str]] = []
        repeated = set(layout.owner_columns(collection))
        owner_joins: dict[str, str] = {}
        owner_selects = (
            [f"{sql_text(orjson.loads(tag))} AS {layout.REPEATED_PREFIX}type"]
            if "type" in repeated
            else []
        )
        for index, (field, read) in enumerate(zip(fields, readers, strict=True), start=1):
            value = f"r.v{index}"
            texts = [
                text
                for (text,) in connection.execute(
                    f"SELECT DISTINCT v{index} FROM {rows}"
                ).fetchall()
            ]
            if field.kind is layout.Kind.CHILDREN:
                parts = structurer.field_items(cls, field.name)
                child = f"{collection}_{field.name}"
                items = f"conflictmodel_items_{number}_{index}"
                registered.append(f"{items}_cells")
                dropped += [("TABLE", f"{items}_all"), ("VIEW", items)]
                found = parts and _items_laid_out(filling, items, texts, read, *parts, child)
                if found is False:
                    return False
                if found:
                    children.append((child, items, value))
                    continue
            read_values = _read(texts, read)
            if read_values is None:
                return False
            cells: layout.Cells = {}
            held: dict[str, layout._ChildItems] = {}
            layout._field_cells(read_values, field, "", list(range(len(read_values))), cells, held)
            cell_table = f"conflictmodel_cells_{number}_{index}"
            main = schemas[collection]
            registered.append(cell_table)
            connection.register(
                cell_table,
                arrow.table(
                    {
                        "conflictmodel_key": arrow.array(texts, arrow.string()),
                        **{
                            name: arrow.array(column, main.field(name).type)
                            for name, column in cells.items()
                        },
                    }
                ),
            )
            alias = f"f{index}"
            join = f"JOIN {cell_table} {alias} ON {value} = {alias}.conflictmodel_key"
            if cells:
                joins.append(join)
            selects += [f"{alias}.{sql_name(name)}" for name in cells]
            if field.name == "id":
                owner_joins[alias] = join
                owner_selects.insert(0, f"{alias}.id AS owner")
            for name in repeated.intersection(cells):
                owner_joins[alias] = join
                owner_selects.append(
                    f"{alias}.{sql_name(name)} AS {sql_name(layout.REPEATED_PREFIX + name)}"
                )
            for name, child_items in held.items():
                child = f"{collection}_{name}"
                table = _child_cells(child, child_items, texts)
                if table is None:
                    return False
                child_table = f"conflictmodel_children_{number}_{index}_{name}"
                registered.append(child_table)
                connection.register(child_table, table)
                children.append((child, child_table, value))
        body = f"FROM {rows} r " + " ".join(joins)
        _append(
            filling,
            staged,
            collection,
            f"SELECT {', '.join(selects)}, 0 AS conflictmodel_position {body}",
        )
        for child, child_table, value in children:
            _append(
                filling,
                staged,
                child,
                f"SELECT {', '.join(owner_selects)}, c.* EXCLUDE (conflictmodel_key), "
                "r.conflictmodel_line, c.position AS conflictmodel_position "
                f"FROM {rows} r {' '.join(owner_joins.values())} "
                f"JOIN {child_table} c ON {value} = c.conflictmodel_key",
            )
    finally:
        for kind, name in reversed(dropped):
            connection.execute(f"DROP {kind} IF EXISTS {name}")
        for name in registered:
            connection.unregister(name)
    return True


def _items_laid_out(
    filling: Filling,
    items: str,
    texts: list[str],
    read: Any,
    read_item: Any,
    check: Any,
    child: str,
) -> bool | None:
    """Lay out the child table ``child`` of a field whose distinct JSON texts are ``texts``
    and whose tuples are read item by item (``read_item`` and the field's ``check``, from
    :meth:`~conflictmodel._bulk.Structurer.field_items`; ``read``: the whole value): each
    distinct item is read and laid out once, and each distinct tuple checked once on the items
    read. Creates the view ``items`` of the child table keyed by the field's text (as
    :func:`_child_cells` gives it), over the table ``<items>_all`` of the items and the
    registered ``<items>_cells`` of their cells. ``False`` when a value is refused or holds a
    child table; ``None`` when a value is not an array and reads to a tuple of items, or the
    field's check makes another tuple of the items read (then the values are laid out whole)."""
    arrow, connection = _arrow(), filling.connection
    arrays = [text for text in texts if text.startswith("[")]
    others = _read([text for text in texts if not text.startswith("[")], read)
    if others is None:
        return False
    if any(type(value) is not tuple or value for value in others):
        return None
    keys = f"{items}_keys"
    connection.register(
        keys,
        arrow.table(
            {
                "conflictmodel_key": arrow.array(arrays, arrow.string()),
                "conflictmodel_number": arrow.array(range(len(arrays)), arrow.int64()),
            }
        ),
    )
    try:
        connection.execute(
            f"CREATE TEMP TABLE {items}_all AS SELECT conflictmodel_key, conflictmodel_number, "
            "unnest(range(len(a))) AS position, unnest(a) AS conflictmodel_item FROM ("
            "SELECT conflictmodel_key, conflictmodel_number, "
            f"json_extract(conflictmodel_key, '$[*]')::VARCHAR[] AS a FROM {keys})"
        )
    finally:
        connection.unregister(keys)
    distinct = [
        text
        for (text,) in connection.execute(
            f"SELECT DISTINCT conflictmodel_item FROM {items}_all"
        ).fetchall()
    ]
    values = _read(distinct, read_item)
    if values is None:
        return False
    cells: layout.Cells = {}
    grandchildren: dict[str, layout._ChildItems] = {}
    if values:
        layout._lay_out(values, list(range(len(values))), "", cells, grandchildren)
    if grandchildren:
        return False
    schema = layout.schemas()[child]
    table = f"{items}_cells"
    connection.register(
        table,
        arrow.table(
            {
                "conflictmodel_item": arrow.array(distinct, arrow.string()),
                "conflictmodel_code": arrow.array(range(len(distinct)), arrow.int64()),
                **{
                    column: arrow.array(cells_of, schema.field(column).type)
                    for column, cells_of in cells.items()
                },
            }
        ),
    )
    found = connection.execute(
        "SELECT i.conflictmodel_number, list(c.conflictmodel_code ORDER BY i.position) "
        f"FROM {items}_all i JOIN {table} c USING (conflictmodel_item) GROUP BY 1"
    ).fetch_arrow_table()
    tuples: list[tuple[Any, ...]] = [()] * len(arrays)
    for number, codes in zip(found.column(0).to_pylist(), found.column(1).to_pylist(), strict=True):
        tuples[number] = tuple(map(values.__getitem__, codes))
    for given in tuples:
        try:
            if check(given) is not given:
                return None
        except Exception:
            return False
    connection.execute(
        f"CREATE TEMP VIEW {items} AS SELECT i.conflictmodel_key, i.position, "
        f"c.* EXCLUDE (conflictmodel_item, conflictmodel_code) FROM {items}_all i "
        f"JOIN {table} c USING (conflictmodel_item)"
    )
    return True


def _stage_records(
    filling: Filling,
    lines: str,
    collection: str,
    tag: str,
    structurer: Structurer,
    staged: dict[str, str] | None,
) -> bool:
    """Lay the records of a class whose fields cannot be checked one by one out record by
    record: each built from its line, its tables laid out from the records."""
    arrow, connection = _arrow(), filling.connection
    found = connection.execute(
        f"SELECT rowid, json FROM {lines} WHERE tag = {sql_text(tag)} ORDER BY rowid"
    ).fetchall()
    records = []
    for _, text in found:
        value = orjson.loads(text)
        record = None if repeated_keys(text, value) else structurer(value)
        if record is None:
            return False
        records.append(record)
    line_of = {record.id: line for record, (line, _) in zip(records, found, strict=True)}
    for table, held in layout._collection_tables(collection, records).items():
        owners = held.column("owner" if table != collection else "id").to_pylist()
        positions = held.column("position") if table != collection else arrow.nulls(len(owners))
        name = f"conflictmodel_records_{next(_counter)}"
        connection.register(
            name,
            held.append_column(
                "conflictmodel_line", arrow.array([line_of[o] for o in owners], arrow.int64())
            ).append_column("conflictmodel_position", positions.cast(arrow.int64())),
        )
        try:
            _append(filling, staged, table, f"SELECT * FROM {name}")
        finally:
            connection.unregister(name)
    return True


def _append(filling: Filling, staged: dict[str, str] | None, table: str, select: str) -> None:
    """Add the rows ``select`` gives to the staging table of ``table`` (``staged`` is
    ``None``: to the table itself, in order)."""
    connection = filling.connection
    if staged is None:
        connection.execute(
            f"INSERT INTO {filling.table(table)} BY NAME SELECT * EXCLUDE (conflictmodel_line, "
            f"conflictmodel_position) FROM ({select}) "
            "ORDER BY conflictmodel_line, conflictmodel_position"
        )
        return
    stage = staged.get(table)
    if stage is None:
        stage = staged[table] = f"conflictmodel_stage_{next(_counter)}"
        connection.execute(
            f"CREATE TEMP TABLE {stage} AS SELECT *, 0::BIGINT AS conflictmodel_line, "
            f"0::BIGINT AS conflictmodel_position FROM {filling.table(table)} LIMIT 0"
        )
    connection.execute(f"INSERT INTO {stage} BY NAME {select}")


def _read(texts: list[str], read: Any) -> list[Any] | None:
    """Each distinct JSON text of a field (``""``: the object leaves the field out) read as
    the field holds it; ``None`` when one is refused or has a key twice."""
    values = []
    for text in texts:
        try:
            raw = ABSENT if text == "" else orjson.loads(text)
            if "{" in text and repeated_keys(text, raw):
                return None
            values.append(read(raw))
        except Exception:
            return None
    return values


def _child_cells(name: str, items: layout._ChildItems, texts: list[str]) -> Any | None:
    """The child table ``name`` of the distinct values ``texts`` (their rows in ``items``),
    keyed by the value's text; ``None`` for a child table in a child table."""
    arrow = _arrow()
    schema = layout.schemas()[name]
    cells: layout.Cells = {}
    grandchildren: dict[str, layout._ChildItems] = {}
    if items.values:
        layout._lay_out(items.values, items.rows, "", cells, grandchildren)
    if grandchildren:
        return None
    return arrow.table(
        {
            "conflictmodel_key": arrow.array([texts[row] for row in items.rows], arrow.string()),
            "position": arrow.array(items.positions, schema.field("position").type),
            **{
                column: arrow.array(values, schema.field(column).type)
                for column, values in cells.items()
            },
        }
    )
