"""JSON objects of records laid out in the tables of :mod:`.layout` column by column, in
DuckDB, no record built.

:func:`lay_out` reads the records of one collection from a DuckDB table of JSON objects (as
``read_json_objects`` reads a JSON Lines file) into the tables of a
:class:`~conflictmodel.tables.store.Filling`, equal to the tables of the records the objects
describe. It takes each field as a column: DuckDB extracts the field's JSON from every object
and finds its distinct values and the rows of each; each distinct value is read, converted and
checked once, in Python, by the field's own converter and validator
(:meth:`~conflictmodel._bulk.Structurer.field_reader`), and laid out in cells once
(:mod:`.layout`); each row then takes the cells of its value (an Arrow take) and DuckDB
appends the columns. A field holding a tuple of nested values (an engagement's casualty
entries, a child table) is read item by item
(:meth:`~conflictmodel._bulk.Structurer.field_items`): DuckDB takes the items out of the
distinct tuples, each distinct item is read and laid out once (items of one plain class
field by field, :meth:`~conflictmodel._bulk.Structurer.item_fields`: each distinct value of
a field read and laid out once, and each distinct item built by its class from them), and
each distinct tuple is checked once, by the field's converter and validator, on the items
read. So the work per row
is DuckDB's and Arrow's, and Python's grows with the distinct values only.

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
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal

import orjson

from conflictmodel import registry
from conflictmodel._bulk import ABSENT, Coded, ItemFields, Structurer, arrow_integers
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
    advanced: Callable[[int], object] = lambda lines: None,
    rowids: range | None = None,
) -> bool:
    """Append the records of ``collection`` that the JSON objects of table ``lines`` (columns
    ``json``, and ``tag``: the JSON text of each object's tag; only those whose ``rowid`` is
    in ``rowids``, when given) describe to ``filling``'s tables, in the order of the table;
    ``classes`` are the collection's classes by the JSON text of the tags the lines hold.
    ``False`` when a record must be built to say what is wrong with one (nothing is appended
    then). ``advanced`` hears of the work done as it goes, in lines: each class's lines in
    shares as its fields are laid out."""
    connection = filling.connection
    if not classes:
        return True
    staged: dict[str, str] | None = {} if len(classes) > 1 else None
    chosen = _lines_in(rowids)
    try:
        for tag, cls in classes.items():
            if not _stage(
                filling, lines, chosen, collection, tag, cls, structurer, staged, advanced
            ):
                return False
        for table, stage in (staged or {}).items():
            filling.insert(
                table,
                f"SELECT * EXCLUDE (conflictmodel_line, conflictmodel_position) FROM {stage}",
                "conflictmodel_line, conflictmodel_position",
            )
    finally:
        for stage in (staged or {}).values():
            connection.execute(f"DROP TABLE IF EXISTS {stage}")
    return True


def _lines_in(rowids: range | None) -> str:
    """The SQL condition keeping the lines whose ``rowid`` is in ``rowids`` (a step of 1;
    ``None``: every line)."""
    if rowids is None:
        return "TRUE"
    return f"rowid >= {rowids.start} AND rowid < {rowids.stop}"


def _stage(
    filling: Filling,
    lines: str,
    chosen: str,
    collection: str,
    tag: str,
    cls: type[Record],
    structurer: Structurer,
    staged: dict[str, str] | None,
    advanced: Callable[[int], object],
) -> bool:
    """Lay the records of one class out in staging tables (by table name in ``staged``), or
    straight in ``filling``'s (``staged`` is ``None``: the collection's only class), telling
    ``advanced`` of a share of its lines as each field is laid out; ``chosen`` is the SQL
    condition (from :func:`_lines_in`) on the lines to read."""
    arrow, connection = _arrow(), filling.connection
    fields = layout.fields_of(cls)
    try:
        readers = [structurer.field_reader(cls, field.name) for field in fields]
    except Exception:
        laid = _stage_records(filling, lines, chosen, collection, tag, structurer, staged)
        if laid is None:
            return False
        advanced(laid)
        return True
    rows = f"conflictmodel_rows_{next(_counter)}"
    names = [field.name for field in fields]
    objects = (
        f"SELECT rowid AS conflictmodel_line, json AS conflictmodel_json FROM {lines} "
        f"WHERE tag = {sql_text(tag)} AND {chosen}"
    )
    try:
        if not _fields_taken_out(filling, rows, objects, names, {*names, registry.TYPE_KEY}):
            return False
        line = connection.execute(f"SELECT conflictmodel_line FROM {rows}").to_arrow_table()
        schema = layout.schemas()[collection]
        columns: dict[str, Any] = {}
        children: list[tuple[str, Any, Any]] = []
        size, done = len(line), 0
        for index, (field, read) in enumerate(zip(fields, readers, strict=True)):
            parts = (
                structurer.field_items(cls, field.name)
                if field.kind is layout.Kind.CHILDREN
                else None
            )
            found: tuple[Any, Any] | Literal[False] | None = None
            if parts is None:
                texts, codes = _distinct(filling, rows, f"v{index}", size)
            else:
                child = layout.child_table(collection, field.name)
                distinct, codes = _distinct_held(filling, rows, f"v{index}", size)
                try:
                    found = _items_laid_out(
                        filling,
                        distinct,
                        read,
                        *parts,
                        child,
                        structurer.item_fields(cls, field.name),
                    )
                    if found is None:
                        texts = _held_texts(filling, distinct)
                finally:
                    connection.execute(f"DROP TABLE IF EXISTS {distinct}")
                if found is False:
                    return False
            if isinstance(found, tuple):
                children.append((child, *_expanded(codes, *found)))
            else:
                read_values = _read(texts, read)
                if read_values is None:
                    return False
                cells: layout.Cells = {}
                held: dict[str, layout._ChildItems] = {}
                numbers = list(range(len(read_values)))
                layout._field_cells(read_values, field, "", numbers, cells, held)
                taken = arrow_integers(codes)
                for name, column in cells.items():
                    columns[name] = arrow.array(column, schema.field(name).type).take(taken)
                for name, items in held.items():
                    child = layout.child_table(collection, name)
                    flat = _child_cells(child, items)
                    if flat is None:
                        return False
                    children.append((child, *_expanded(codes, *flat)))
            share = size * (index + 1) // len(fields) - done
            done += share
            advanced(share)
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {rows}")
    kind = sql_text(orjson.loads(tag))
    columns["conflictmodel_line"] = line.column(0)
    _append(
        filling,
        staged,
        collection,
        arrow.table(columns),
        [f"{kind} AS type", "0 AS conflictmodel_position"],
    )
    repeated = layout.repeated_columns(collection)
    given = ["position AS conflictmodel_position"] + [
        f"{kind} AS {sql_name(name)}" for name, column in repeated.items() if column == "type"
    ]
    owned = {"owner": "id", "conflictmodel_line": "conflictmodel_line"} | repeated
    for child, owners, table in children:
        taken = arrow_integers(owners)
        for target, source in owned.items():
            if source in columns:
                table = table.append_column(target, columns[source].take(taken))
        _append(filling, staged, child, table, given)
    return True


def _distinct(filling: Filling, rows: str, column: str, size: int) -> tuple[list[str], Any]:
    """The distinct texts of ``column`` of the table ``rows`` (of ``size`` rows), and for each
    row the number of its text among them (a numpy array, in the table's order)."""
    import numpy as np

    connection = filling.connection
    first, last = connection.execute(f"SELECT min({column}), max({column}) FROM {rows}").fetchone()
    if first == last:
        return ([] if first is None else [first]), np.zeros(size, np.int64)
    found = connection.execute(
        f"SELECT {column}, list(rowid) FROM {rows} GROUP BY ALL"
    ).to_arrow_table()
    lists = found.column(1)
    texts: list[str] = found.column(0).to_pylist()
    return texts, _row_codes(np.arange(len(lists), dtype=np.int64), lists, size)


def _row_codes(numbers: Any, lists: Any, size: int) -> Any:
    """For each of ``size`` rows, the number of its value, from each distinct value's number
    (``numbers``) and the list of its rows (``lists``, an Arrow column of lists of row ids)."""
    import numpy as np

    lists = lists.combine_chunks()
    codes = np.empty(size, np.int64)
    codes[lists.flatten().to_numpy()] = np.repeat(numbers, np.diff(lists.offsets.to_numpy()))
    return codes


def _distinct_held(filling: Filling, rows: str, column: str, size: int) -> tuple[str, Any]:
    """As :func:`_distinct`, but the distinct texts stay in DuckDB: the name of a temporary
    table holding them (column ``conflictmodel_text``, each numbered by its ``rowid``; the
    caller drops it), and for each row of ``rows`` the number of its text."""
    connection = filling.connection
    name = f"conflictmodel_distinct_{next(_counter)}"
    connection.execute(
        f"CREATE TEMP TABLE {name} AS SELECT {column} AS conflictmodel_text, "
        f"list(rowid) AS conflictmodel_rows FROM {rows} GROUP BY ALL"
    )
    found = connection.execute(f"SELECT rowid, conflictmodel_rows FROM {name}").to_arrow_table()
    return name, _row_codes(found.column(0).to_numpy(), found.column(1), size)


def _held_texts(filling: Filling, distinct: str) -> list[str]:
    """The texts of a table made by :func:`_distinct_held`, in the order of their numbers."""
    query = f"SELECT conflictmodel_text FROM {distinct} ORDER BY rowid"
    return [text for (text,) in filling.connection.execute(query).fetchall()]


def _expanded(codes: Any, table: Any, numbers: Any) -> tuple[Any, Any]:
    """The rows of a child table of records whose values are numbered ``codes``, from the
    ``table`` of the items of each distinct value in turn by position (``numbers``: the number
    of each item's value): each row's record, and the rows, in the order of records."""
    import numpy as np

    starts, sizes = _extents(numbers, int(codes.max(initial=-1)) + 1)
    counts = sizes[codes]
    owners = np.repeat(np.arange(len(codes), dtype=np.int64), counts)
    within = np.arange(len(owners), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return owners, table.take(arrow_integers(np.repeat(starts[codes], counts) + within))


def _extents(numbers: Any, count: int) -> tuple[Any, Any]:
    """Where the items of each of ``count`` values start, and how many there are, among
    items listed value by value (``numbers``: each item's value)."""
    import numpy as np

    sizes = np.bincount(numbers, minlength=count)
    return np.cumsum(sizes) - sizes, sizes


def _items_laid_out(
    filling: Filling,
    distinct: str,
    read: Any,
    read_item: Any,
    check: Any,
    child: str,
    fields: ItemFields | None,
) -> tuple[Any, Any] | Literal[False] | None:
    """The child table ``child`` of a field whose distinct JSON texts are held in table
    ``distinct`` (made by :func:`_distinct_held`) and whose tuples are read item by item
    (``read_item`` and the field's ``check``, from
    :meth:`~conflictmodel._bulk.Structurer.field_items`; ``read`` reads a whole value): DuckDB
    takes the items out of the arrays, each distinct item is read and laid out once (field by
    field when ``fields`` tell how: :func:`_items_by_fields`), and each distinct tuple checked
    once, on the items read. Gives the items of each text in turn as :func:`_child_cells`
    does; ``False`` when a value is refused or holds a child table; ``None`` when a value that
    is not an array reads to items, or the check makes another tuple of the items it is given
    (the values are then laid out whole)."""

    arrow, connection = _arrow(), filling.connection
    array = "starts_with(conflictmodel_text, '[')"
    others = _read(
        [
            text
            for (text,) in connection.execute(
                f"SELECT conflictmodel_text FROM {distinct} WHERE NOT {array}"
            ).fetchall()
        ],
        read,
    )
    if others is None:
        return False
    if any(type(value) is not tuple or value for value in others):
        return None
    name = f"conflictmodel_items_{next(_counter)}"
    try:
        connection.execute(
            f"CREATE TEMP TABLE {name} AS SELECT conflictmodel_number, "
            "unnest(range(len(a))) AS position, unnest(a) AS conflictmodel_item FROM ("
            "SELECT rowid AS conflictmodel_number, "
            f"json_extract(conflictmodel_text, '$[*]')::VARCHAR[] AS a FROM {distinct} "
            f"WHERE {array})"
        )
        found = connection.execute(
            f"SELECT conflictmodel_number, position FROM {name}"
        ).to_arrow_table()
        by_fields = (
            None if fields is None else _items_by_fields(filling, name, child, fields, len(found))
        )
        if by_fields is None:
            texts, codes = _distinct(filling, name, "conflictmodel_item", len(found))
        arrays = connection.execute(f"SELECT rowid FROM {distinct} WHERE {array}").fetchnumpy()
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {name}")
    columns: dict[str, Any] | None = None
    if by_fields is None:
        values = _read(texts, read_item)
        if values is None:
            return False
    else:
        values, codes, columns = by_fields
    numbers, checked = found.column(0).to_numpy(), arrays["rowid"]
    first, sizes = _extents(numbers, int(checked.max(initial=-1)) + 1)
    starts, ends = first.tolist(), (first + sizes).tolist()
    items = [values[code] for code in codes.tolist()]
    for number in checked.tolist():
        given = tuple(items[starts[number] : ends[number]])
        try:
            if check(given) is not given:
                return None
        except Exception:
            return False
    if columns is None:
        columns = _child_columns(child, values)
        if columns is None:
            return False
    taken = arrow_integers(codes)
    table = arrow.table(
        {
            "position": found.column(1),
            **{name: cells.take(taken) for name, cells in columns.items()},
        }
    )
    return table, numbers


def _fields_taken_out(
    filling: Filling, table: str, objects: str, names: Sequence[str], allowed: Collection[str]
) -> bool:
    """Create the temporary table ``table`` holding, for each row of the SQL query
    ``objects`` in its order (column ``conflictmodel_json`` a JSON text), the query's other
    columns and the JSON text of the value of each of ``names`` in the object (``v0``,
    ``v1``, …; ``''`` where it leaves the key out). ``False`` when a text is not an object,
    or has a key twice or a key not ``allowed`` (the caller drops the table all the same)."""
    connection = filling.connection
    paths = ", ".join(sql_text(f"$.{sql_name(name)}") for name in names)
    values = ", ".join(
        f"coalesce(v[{number + 1}], '') AS v{number}" for number in range(len(names))
    )
    connection.execute(
        f"CREATE TEMP TABLE {table} AS SELECT * EXCLUDE (conflictmodel_json, v), {values} FROM ("
        "SELECT *, CASE WHEN starts_with(conflictmodel_json, '{') THEN "
        "to_json(json_keys(conflictmodel_json))::VARCHAR END AS conflictmodel_keys, "
        f"json_extract(conflictmodel_json, [{paths}])::VARCHAR[] AS v FROM ({objects}))"
    )
    for (text,) in connection.execute(
        f"SELECT DISTINCT conflictmodel_keys FROM {table}"
    ).fetchall():
        keys = None if text is None else orjson.loads(text)
        if keys is None or len(set(keys)) < len(keys) or not set(keys) <= set(allowed):
            return False
    return True


def _items_by_fields(
    filling: Filling, items: str, child: str, fields: ItemFields, size: int
) -> tuple[list[Any], Any, dict[str, Any] | None] | None:
    """The distinct items of column ``conflictmodel_item`` of table ``items`` (``size`` rows,
    each a JSON object of one class, read as ``fields`` say: the items of child table
    ``child``), read field by field: DuckDB takes each field's JSON out of the distinct
    objects, each distinct value of a field is read once, and the class builds each distinct
    item from its fields' values. Gives the items built, for each row of ``items`` the number
    of its item, and the items' cells (:func:`_item_columns`). ``None`` when an item is not an
    object with the keys ``fields`` allow, or a value or an item is refused: the caller reads
    the items whole, which tells what is wrong."""
    connection = filling.connection
    if not size or layout._holds_children(fields.cls):
        return None
    distinct, codes = _distinct_held(filling, items, "conflictmodel_item", size)
    table = f"conflictmodel_item_fields_{next(_counter)}"
    objects = f"SELECT conflictmodel_text AS conflictmodel_json FROM {distinct}"
    try:
        if not _fields_taken_out(filling, table, objects, fields.names, fields.allowed):
            return None
        count = int(codes.max(initial=-1)) + 1
        read_fields = []
        for number, read in enumerate(fields.readers):
            texts, field_codes = _distinct(filling, table, f"v{number}", count)
            read_values = _read(texts, read)
            if read_values is None:
                return None
            read_fields.append((read_values, field_codes))
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"DROP TABLE IF EXISTS {distinct}")
    try:
        built = fields.build(
            zip(
                *(
                    map(read_values.__getitem__, field_codes.tolist())
                    for read_values, field_codes in read_fields
                ),
                strict=True,
            )
        )
    except Exception:
        return None
    return built, codes, _item_columns(child, fields, built, read_fields)


def _stage_records(
    filling: Filling,
    lines: str,
    chosen: str,
    collection: str,
    tag: str,
    structurer: Structurer,
    staged: dict[str, str] | None,
) -> int | None:
    """Lay the records of a class whose fields cannot be checked one by one out record by
    record: each built from its line, its tables laid out from the records. How many;
    ``None`` when a record must be built to say what is wrong with one."""
    arrow, connection = _arrow(), filling.connection
    query = f"SELECT rowid, json FROM {lines} WHERE tag = {sql_text(tag)} AND {chosen}"
    found = connection.execute(query + " ORDER BY rowid").fetchall()
    records = []
    for _, text in found:
        value = orjson.loads(text)
        record = None if repeated_keys(text, value) else structurer(value)
        if record is None:
            return None
        records.append(record)
    line_of = {record.id: line for record, (line, _) in zip(records, found, strict=True)}
    for table, held in layout._collection_tables(collection, records).items():
        owners = held.column("owner" if table != collection else "id").to_pylist()
        positions = held.column("position") if table != collection else arrow.nulls(len(owners))
        laid = held.append_column(
            "conflictmodel_line", arrow.array([line_of[o] for o in owners], arrow.int64())
        ).append_column("conflictmodel_position", positions.cast(arrow.int64()))
        _append(filling, staged, table, laid, [], ordered=False)
    return len(records)


def _append(
    filling: Filling,
    staged: dict[str, str] | None,
    table: str,
    rows: Any,
    given: list[str],
    ordered: bool = True,
) -> None:
    """Add ``rows`` (an Arrow table with ``conflictmodel_line``, and the columns the SQL
    expressions ``given`` add, which give ``conflictmodel_position``) to the staging table of
    ``table`` (``staged`` is ``None``: to the table itself, in order; ``ordered``: the rows
    are in order already)."""
    connection = filling.connection
    name = f"conflictmodel_laid_{next(_counter)}"
    select = f"SELECT {', '.join([*given, '*'])} FROM {name}"
    filling.register(name, rows)
    try:
        if staged is None:
            filling.insert(
                table,
                f"SELECT * EXCLUDE (conflictmodel_line, conflictmodel_position) FROM ({select})",
                "" if ordered else "conflictmodel_line, conflictmodel_position",
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
    finally:
        connection.unregister(name)


def _read(texts: list[str], read: Any) -> list[Any] | None:
    """Each distinct JSON text of a field (``""``: the object leaves the field out) read as
    the field holds it; ``None`` when one is refused or has a key twice. The texts are
    parsed, and checked for repeated keys, :data:`_PARSED_TOGETHER` at a time as one JSON
    array."""
    values: list[Any] = []
    for start in range(0, len(texts), _PARSED_TOGETHER):
        chunk = texts[start : start + _PARSED_TOGETHER]
        given = [text for text in chunk if text]
        joined = f"[{','.join(given)}]"
        try:
            parsed = orjson.loads(joined)
        except orjson.JSONDecodeError:
            return None
        if len(parsed) != len(given) or (
            any("{" in text for text in given) and repeated_keys(joined, parsed)
        ):
            return None
        each = iter(parsed)
        try:
            values.extend([read(next(each) if text else ABSENT) for text in chunk])
        except Exception:
            return None
    return values


_PARSED_TOGETHER = 4096
"""How many texts :func:`_read` parses as one array: few enough that their parsed values
take little memory at once."""


def _child_cells(name: str, items: layout._ChildItems) -> tuple[Any, Any] | None:
    """The rows of child table ``name`` of the values whose items are ``items``: the items of
    each value in turn by position, and the number of each item's value (as
    :func:`_expanded` takes them); ``None`` for a child table in a child table."""
    import numpy as np

    arrow = _arrow()
    items.in_row_order()
    columns = _child_columns(name, items.values)
    if columns is None:
        return None
    position = arrow.array(items.positions, layout.schemas()[name].field("position").type)
    table = arrow.table({"position": position, **columns})
    return table, np.array(items.rows, dtype=np.int64)


def _child_columns(name: str, items: list[Any]) -> dict[str, Any] | None:
    """The cells of ``items`` in the columns of child table ``name`` (Arrow arrays by column
    name, one cell per item; a column no item fills is left out); ``None`` when an item holds
    a child table itself."""
    cells: layout.Cells = {}
    grandchildren: dict[str, layout._ChildItems] = {}
    if items:
        layout._lay_out(items, list(range(len(items))), "", cells, grandchildren)
    if grandchildren:
        return None
    return _arrow_columns(name, cells)


def _item_columns(
    name: str, fields: ItemFields, items: list[Any], read_fields: list[tuple[list[Any], Any]]
) -> dict[str, Any] | None:
    """:func:`_child_columns` of ``items`` built from ``read_fields`` (for each field of
    ``fields``, its distinct values read and the number of each item's among them), each
    field's distinct values laid out once; ``None`` when two items built from one value of a
    field keep different values (a converter made each its own)."""
    import numpy as np

    cells: layout.Cells = {}
    laid = {field.name: field for field in layout.fields_of(fields.cls)}
    every = np.arange(len(items), dtype=np.int64)
    for field, (read_values, codes) in zip(fields.names, read_fields, strict=True):
        first = np.empty(len(read_values), np.int64)
        first[codes[::-1]] = every[::-1]
        kept = list(map(operator.attrgetter(field), map(items.__getitem__, first.tolist())))
        each = map(operator.attrgetter(field), items)
        if not all(map(operator.is_, each, map(kept.__getitem__, codes.tolist()))):
            return None
        layout._field_cells(Coded(kept, codes), laid[field], "", [], cells, {})
    return _arrow_columns(name, cells)


def _arrow_columns(name: str, cells: layout.Cells) -> dict[str, Any]:
    """The ``cells`` of child table ``name`` as Arrow arrays of its columns' types."""
    arrow = _arrow()
    schema = layout.schemas()[name]
    return {
        column: arrow.array(values, schema.field(column).type) for column, values in cells.items()
    }
