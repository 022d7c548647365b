"""Datasets as JSON documents and JSON Lines files, losslessly; see :doc:`/file-format`.

Output is deterministic (sorted keys, records sorted by collection and id), so equal datasets
always give the same bytes, and files are written atomically. Loading checks everything and lists
every problem with its JSON path in one :class:`~conflictmodel.LoadError`.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020()
>>> text = dumps(ds)
>>> loads(text) == ds and dumps(loads(text)) == text
True
>>> loads('{"format": "conflictmodel", "version": 1, "events": [{"type": "event"}]}')
Traceback (most recent call last):
...
conflictmodel.errors.LoadError: 2 problems in the document:
  - events[0].id: required field is missing
  - events[0].when: required field is missing
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson

from conflictmodel import registry
from conflictmodel._bulk import Structurer
from conflictmodel._checks import describe
from conflictmodel._converter import converter, holds_unknown_tag, keeping_unknown
from conflictmodel._gc import paused_gc, settle
from conflictmodel._problems import problems_of, repeated_keys
from conflictmodel.dataset import COLLECTIONS, Dataset
from conflictmodel.errors import (
    ConflictModelError,
    DatasetError,
    LoadError,
    LoadProblem,
    MissingExtraError,
    Problem,
    ValidationError,
)
from conflictmodel.io._atomic import atomic_file
from conflictmodel.io._extras import require
from conflictmodel.io._history import (
    ENTRY_FIELDS,
    LINE_KEY,
    Entry,
    entry_from_json,
    history_json,
    versions_of,
)
from conflictmodel.io._migrations import (
    FORMAT,
    FORMAT_VERSION,
    check_header,
    upgrade_document,
    upgrade_record,
)
from conflictmodel.io._progress import Progress, ProgressCallback, progress_callback
from conflictmodel.opaque import exact_json
from conflictmodel.records import Record
from conflictmodel.vintages import RecordKey, Version, check_history

if TYPE_CHECKING:
    from conflictmodel.tables.lazy import HeldVersions, Stamps
    from conflictmodel.tables.store import Settings, Tables

Format = Literal["json", "jsonl"]

MAX_BYTES = 256 * 2**20
"""The largest ``.json`` document :func:`loads` and :func:`load` read unless told otherwise."""

MAX_LINE_BYTES = 16 * 2**20
"""The longest line of a ``.jsonl`` file the readers accept unless told otherwise."""

LAZY_FROM_BYTES = 48 * 2**20
"""The size from which :func:`load` reads a JSON Lines file columns first by default: about
50,000 imported ACLED events (80,000 of the benchmark's), from which a dataset of records
lays them out in DuckDB's tables at its first aggregate query anyway. From there the load and
that query take less time together (at 100,000 ACLED events 3.4 s against 6.2), and once it
has run the process holds no more (436 MB against 558)."""

MAX_PROBLEMS = 1000
"""The most problems a :class:`~conflictmodel.LoadError` lists; the rest are only counted."""

_RANK = {collection: rank for rank, collection in enumerate(COLLECTIONS)}
_SUFFIXES: dict[str, Format] = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_DOCUMENT = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
_LINE = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def _header() -> dict[str, Any]:
    return {"format": FORMAT, "version": FORMAT_VERSION}


def _encode(value: object, option: int, within: Dataset | Record | None = None) -> bytes:
    """``value`` as JSON; a refusal names the record of ``within`` and the field refused."""
    try:
        return orjson.dumps(value, option=option)
    except orjson.JSONEncodeError as error:
        records = (
            [within] if isinstance(within, Record) else [] if within is None else _ordered(within)
        )
        raise ValidationError(
            f"cannot write the dataset as JSON: {_culprit(records)}{error}"
        ) from None


def _culprit(records: Iterable[Record]) -> str:
    """``"<record>.<field>: "`` for the first of ``records`` orjson refuses, else ``""``
    (encodes each record and then each value again: for error messages only)."""
    for record in records:
        path = _refused(converter.unstructure(record), "")
        if path is not None:
            return f"{record.label}{path}: "
    return ""


def _refused(value: object, path: str) -> str | None:
    """The path within ``value`` of the innermost value orjson refuses, or ``None``."""
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        items: Iterable[tuple[object, object]] = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value)
            if isinstance(value, list | tuple)
            else ()
        )
        for key, item in items:
            step = f".{key}" if isinstance(key, str) else f"[{key}]"
            found = _refused(item, f"{path}{step}")
            if found is not None:
                return found
        return path
    return None


def _check_dataset(ds: object) -> Dataset:
    if not isinstance(ds, Dataset):
        raise ValidationError(f"expected a Dataset, got {describe(ds)}")
    return ds


def _ordered(ds: Dataset) -> list[Record]:
    """Records collection by collection, each by id: equal datasets give equal files."""
    return sorted(ds.records(), key=lambda record: (_RANK[record.collection], record.id))


def to_document(ds: Dataset) -> dict[str, Any]:
    """The dataset as a JSON value: format, version and a list of records per collection."""
    document = _header()
    for collection in COLLECTIONS:
        document[collection] = []
    for record in _ordered(_check_dataset(ds)):
        document[record.collection].append(converter.unstructure(record))
    if ds.history:
        document[LINE_KEY] = history_json(ds.history)
    return document


def dumps(ds: Dataset) -> str:
    """The dataset as a JSON document: sorted keys, two-space indent, a final newline."""
    return _encode(to_document(ds), _DOCUMENT, ds).decode()


def _named(problem: LoadProblem, item: Any) -> LoadProblem:
    record_id = item.get("id") if isinstance(item, dict) else None
    if not isinstance(record_id, str) or repr(record_id) in problem.message:
        return problem
    return LoadProblem(problem.path, f"{problem.message} (in record {record_id!r})")


def _structure(item: Any, base: type[Record], path: str) -> Record | list[LoadProblem]:
    try:
        record: Record = converter.structure(item, base)
    except Exception as error:
        return [_named(problem, item) for problem in problems_of(error, path)]
    return record


def _assemble(
    entries: Iterable[tuple[str, Record]],
    problems: list[LoadProblem],
    uncollected: int = 0,
    history: Iterable[Entry] = (),
) -> Dataset:
    seen: dict[tuple[str, str], str] = {}
    kept: list[tuple[str, Record]] = []
    for path, record in entries:
        key = (record.collection, record.id)
        if key in seen:
            if len(problems) < MAX_PROBLEMS:
                message = f"duplicate id {record.id!r}: {seen[key]} has it too"
                problems.append(LoadProblem(f"{path}.id", message))
            else:
                uncollected += 1
            continue
        seen[key] = path
        kept.append((path, record))
    versions, wrong = versions_of(history, {(r.collection, r.id): r for _, r in kept})
    problems.extend(wrong)
    if problems:
        raise LoadError(problems, uncollected=uncollected)
    paths = {record.label: path for path, record in kept}
    try:
        return Dataset((record for _, record in kept), history=versions)
    except DatasetError as error:
        raise LoadError(
            [
                LoadProblem(f"{paths.get(p.record, '$')}.{p.field}", f"{p.message} (in {p.record})")
                for p in error.problems[:MAX_PROBLEMS]
            ],
            uncollected=max(len(error.problems) - MAX_PROBLEMS, 0),
        ) from error
    except ConflictModelError as error:
        raise LoadError([LoadProblem("$", str(error))]) from error


Outcome = Record | Entry | list[LoadProblem]
"""What reading one record or history entry gives: it, or the problems that stop it."""


def _document_records(
    document: Any, text: str | bytes | bytearray
) -> Iterator[tuple[str, Outcome]]:
    """The records of ``document``, parsed from ``text``; records of unknown tags kept with
    ``strict=False`` are taken from a second, slower parse that keeps numbers as written."""
    document = upgrade_document(document)
    exact: dict[str, Any] = {}
    known = {"format", "version", *COLLECTIONS, LINE_KEY}
    extra = sorted(set(document) - known)
    if extra:
        names = ", ".join(map(repr, extra))
        yield "$", [LoadProblem("$", f"unexpected fields {names}; expected {', '.join(known)}")]
    with Structurer() as structurer:
        for collection, base in COLLECTIONS.items():
            items = document.get(collection, [])
            if not isinstance(items, list):
                expected = f"expected a list, got {describe(items)}"
                yield collection, [LoadProblem(collection, expected)]
                continue
            for index, item in enumerate(items):
                path = f"{collection}[{index}]"
                fast = structurer(item)
                if isinstance(fast, base):
                    yield path, fast
                    continue
                if holds_unknown_tag(item):
                    exact = exact or upgrade_document(exact_json(text))
                    item = exact[collection][index]
                yield path, _structure(item, base, path)
    history = document.get(LINE_KEY, [])
    if not isinstance(history, list):
        yield LINE_KEY, [LoadProblem(LINE_KEY, f"expected a list, got {describe(history)}")]
        return
    for index, item in enumerate(history):
        path = f"{LINE_KEY}[{index}]"
        yield path, entry_from_json(item, path)


def _too_large(path: str, max_bytes: int) -> LoadError:
    message = (
        f"the document is larger than {max_bytes} bytes; pass a larger max_bytes "
        "or write the dataset as JSON Lines"
    )
    return LoadError([LoadProblem(path, message)])


def _parse(data: object, max_bytes: int) -> Any:
    if not isinstance(data, str | bytes | bytearray):
        raise LoadError([LoadProblem("$", f"expected JSON text or bytes, got {describe(data)}")])
    if len(data) > max_bytes:
        raise _too_large("$", max_bytes)
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise LoadError([LoadProblem("$", f"not valid JSON: {error}")]) from None
    repeated = repeated_keys(data, parsed)
    if repeated:
        raise LoadError(repeated)
    return parsed


def _collect(entries: Iterable[tuple[str, Outcome]], strict: bool, freeze: bool) -> Dataset:
    problems: list[LoadProblem] = []
    uncollected = 0
    records: list[tuple[str, Record]] = []
    history: list[Entry] = []
    with keeping_unknown(not strict), paused_gc() as pause:
        try:
            for path, outcome in entries:
                if isinstance(outcome, list):
                    if not problems:
                        pause.resume()
                    room = MAX_PROBLEMS - len(problems)
                    problems.extend(outcome[:room])
                    uncollected += max(len(outcome) - room, 0)
                elif isinstance(outcome, Entry):
                    history.append(outcome)
                else:
                    records.append((path, outcome))
        except RecursionError:
            problems.append(LoadProblem("$", "the document is nested too deeply"))
    with paused_gc():
        dataset = _assemble(records, problems, uncollected, history)
    settle(freeze)
    return dataset


def loads(
    text: str | bytes,
    *,
    strict: bool = True,
    max_bytes: int = MAX_BYTES,
    gc_freeze: bool = False,
) -> Dataset:
    """The dataset in a JSON document (of this or an older format version).

    With ``strict=False`` events and statements of unregistered types are kept as
    :class:`~conflictmodel.UnknownEvent` and :class:`~conflictmodel.UnknownStatement` and
    written back unchanged; by default they are refused, naming the tag.

    ``gc_freeze=True`` calls :func:`gc.freeze` after loading, so that Python's cyclic garbage
    collector stops walking the loaded records (seconds per collection at a million events).
    It is off by default because it changes the whole process: the records are still freed
    when the dataset is dropped, but garbage in reference cycles that already existed in the
    process is kept until :func:`gc.unfreeze`.

    A :class:`~conflictmodel.LoadError` lists at most :data:`MAX_PROBLEMS` problems and counts
    the rest.
    """
    return _collect(_document_records(_parse(text, max_bytes), text), strict, gc_freeze)


def _format_of(path: Path, given: Format | None, *, reading: bool = False) -> Format:
    """The format ``given``, or the one ``path``'s suffix names. A ``.csv`` file to be read
    is refused with the importers to read it with: its format is not one a dataset file has."""
    if given in ("json", "jsonl"):
        return given
    if given is not None:
        raise ValidationError(f"format must be 'json' or 'jsonl', got {given!r}")
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None and reading and path.suffix.lower() == ".csv":
        raise ValidationError(
            f"{str(path)!r} is a CSV file, not a dataset (.json or .jsonl): "
            "to read a UCDP GED or ACLED export, use conflictmodel.io.ucdp.read_ged or "
            "conflictmodel.io.acled.read_acled, or import it first: "
            f"conflictmodel import ucdp|acled {path} -o {path.with_suffix('.jsonl')}"
        )
    if found is None:
        raise ValidationError(
            f"cannot tell the format of {str(path)!r} from its name: "
            "use .json or .jsonl, or pass format='json' or 'jsonl'"
        )
    return found


def _line_chunks(ds: Dataset) -> Iterator[bytes]:
    yield _encode(_header(), _LINE)
    for record in _ordered(ds):
        yield _encode(converter.unstructure(record), _LINE, record)
    for entry in history_json(ds.history):
        yield _encode({LINE_KEY: entry}, _LINE)


def dump(ds: Dataset, path: str | os.PathLike[str], *, format: Format | None = None) -> None:
    """Write ``ds`` to ``path`` as ``.json`` or ``.jsonl`` (by suffix, or ``format``).

    The file is written to a temporary file beside ``path`` and renamed over it, so a crash
    or an error part-way never leaves a truncated file where a good one was (see
    :doc:`/file-format` for the temporary files a killed write leaves).
    """
    ds = _check_dataset(ds)
    target = Path(path)
    if _format_of(target, format) == "json":
        chunks: Iterable[bytes] = [_encode(to_document(ds), _DOCUMENT, ds)]
    else:
        chunks = _line_chunks(ds)
    with atomic_file(target) as stream:
        for chunk in chunks:
            stream.write(chunk)


def _lines(path: Path, max_line_bytes: int) -> Iterator[tuple[int, bytes, Any, list[LoadProblem]]]:
    """``(line number, line, parsed value, problems)`` for each non-blank line."""
    with path.open("rb") as stream:
        number = 0
        while line := stream.readline(max_line_bytes + 1):
            number += 1
            if len(line) > max_line_bytes:
                while line and not line.endswith(b"\n"):
                    line = stream.readline(max_line_bytes + 1)
                message = f"the line is longer than {max_line_bytes} bytes"
                yield number, line, None, [LoadProblem(f"line {number}", message)]
                continue
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                yield (
                    number,
                    line,
                    None,
                    [LoadProblem(f"line {number}", f"not valid JSON: {error}")],
                )
                continue
            repeated = repeated_keys(line, value, f"line {number}")
            yield number, line, None if repeated else value, repeated


def _line_records(path: Path, max_line_bytes: int) -> Iterator[tuple[str, Outcome]]:
    version: int | None = None
    with Structurer() as structurer:
        for number, line, value, problems in _lines(path, max_line_bytes):
            where = f"line {number}"
            if problems:
                if version is None:
                    raise LoadError(problems)
                yield where, problems
            elif version is None:
                version = check_header(value, where)
                extra = sorted(set(value) - {"format", "version"})
                if extra:
                    yield where, [LoadProblem(where, f"unexpected header fields {extra}")]
            elif isinstance(value, dict) and LINE_KEY in value and registry.TYPE_KEY not in value:
                extra = sorted(set(value) - {LINE_KEY})
                if extra:
                    yield where, [LoadProblem(where, f"unexpected fields {extra} beside 'history'")]
                else:
                    yield where, entry_from_json(value[LINE_KEY], where)
            else:
                fast = structurer(value) if version == FORMAT_VERSION else None
                if fast is None and holds_unknown_tag(value):
                    value = exact_json(line)
                yield where, fast or _structure(upgrade_record(value, version), Record, where)
        if version is None:
            raise LoadError([LoadProblem("line 1", "the file is empty: expected a header line")])


def _columns_first(
    path: Path, max_line_bytes: int, reading: _Reading | None, settings: Settings | None
) -> Dataset | None:
    """The dataset in the JSON Lines file ``path`` as :func:`conflictmodel.tables.load` gives
    one: DuckDB (configured by ``settings``) reads the file, the small collections become
    records, and the events, claims and assessments are laid out in tables column by column
    (:mod:`conflictmodel.tables.columns`) and built when asked for. ``None`` when the file
    needs the record path, which says what is wrong or reads what this does not: a line DuckDB
    cannot read, a value a field refuses, an unknown tag, a bad history entry, an older format
    version, or a problem across records. DuckDB running out of memory is an
    :class:`~conflictmodel.EngineError`: the record path would need more."""
    from conflictmodel.tables import store

    duckdb: Any = require("duckdb", "arrow", "load(lazy=True)")
    filling = store.Filling(settings, "load")
    try:
        with store.engine_failures(filling.connection, f"reading {str(path)!r}"):
            filling.connection.execute(
                "CREATE TEMP TABLE conflictmodel_lines AS SELECT json, "
                "json_extract(json, '$.type')::VARCHAR AS tag FROM read_json_objects("
                f"{store.sql_text(str(path))}, format = 'newline_delimited', "
                f"maximum_object_size = {max_line_bytes})"
            )
            return _laid_out(filling, reading)
    except duckdb.Error:
        return None


def _laid_out(filling: Any, reading: _Reading | None) -> Dataset | None:
    """The dataset of the JSON objects in table ``conflictmodel_lines`` of ``filling``'s
    connection (see :func:`_columns_first`), telling ``reading`` how far it is."""
    from conflictmodel.tables import columns, lazy

    connection = filling.connection
    header = connection.execute("SELECT json FROM conflictmodel_lines WHERE rowid = 0").fetchall()
    if not header or _current_header(header[0][0]) is None:
        return None
    connection.execute("DELETE FROM conflictmodel_lines WHERE rowid = 0")
    history = _history_lines(connection)
    if history is None:
        return None
    stamps, entries, history_lines = history
    small: list[Record] = []
    classes: dict[str, dict[str, type[Record]]] = {collection: {} for collection in lazy.LAZY}
    found = connection.execute(
        "SELECT tag, (rowid - 1) // $1 AS part FROM conflictmodel_lines GROUP BY ALL "
        "ORDER BY min(rowid)",
        [LINES_AT_ONCE],
    ).fetchall()
    parts: dict[int, list[str]] = {}
    for tag, part in found:
        parts.setdefault(part, []).append(tag)
    with paused_gc(), Structurer() as structurer:
        for tag in dict.fromkeys(tag for tag, _ in found):
            name = None if tag is None else orjson.loads(tag)
            cls = registry.record_class(name) if type(name) is str else None
            if cls is None:
                return None
            if cls.collection in classes:
                classes[cls.collection][tag] = cls
                continue
            for (text,) in connection.execute(
                "SELECT json FROM conflictmodel_lines WHERE tag = $1 ORDER BY rowid", [tag]
            ).fetchall():
                value = orjson.loads(text)
                record = None if repeated_keys(text, value) else structurer(value)
                if record is None:
                    return None
                small.append(record)
        advanced = (lambda records: None) if reading is None else reading.advanced
        advanced(len(small))
        for part, present in sorted(parts.items()):
            start = 1 + part * LINES_AT_ONCE
            rowids = range(start, start + LINES_AT_ONCE)
            for collection, tags in classes.items():
                chosen = {tag: tags[tag] for tag in present if tag in tags}
                if not columns.lay_out(
                    filling, "conflictmodel_lines", collection, chosen, structurer, advanced, rowids
                ):
                    return None
            filling.compress()
    connection.execute("DROP TABLE conflictmodel_lines")
    try:
        opened = filling.opened(Dataset(small))
        versions = _held_versions(opened, stamps, entries)
        if versions is None:
            return None
        advanced(history_lines)
        return lazy.over(opened, versions)
    except DatasetError:
        return None


_ENTRY_PARTS = tuple(field for field in ENTRY_FIELDS if field not in ("id", "record"))
"""The parts of a history entry that, with its keys, tell its version's stamp."""


def _history_lines(connection: Any) -> tuple[Stamps, list[Entry], int] | None:
    """Move the history lines of table ``conflictmodel_lines`` (its lines without a type)
    into table :data:`~conflictmodel.tables.lazy.VERSIONS`, in file order, and give what they
    hold: the stamps of the records whose only version is current that a dataset's history
    keeps (dated, or in a release), the entries of the records revised since (several
    versions, or one that has ended), and the number of lines.

    The table holds each entry's record (``collection``, ``id``) and the number of its stamp
    (``NULL``: an undated current version, which a history leaves out;
    :data:`~conflictmodel.tables.lazy.REVISED`: an entry read whole). Each distinct stamp is
    read once as the record path reads an entry
    (:func:`~conflictmodel.io._history.entry_from_json`) and numbered
    (:meth:`~conflictmodel.tables.lazy.Stamps.number`); a revised record's entries are read
    whole.
    ``None`` when the history needs the record path (which says what is wrong): a line without
    a type that is not an entry (an object naming its record's collection and id in text),
    or an entry the record path refuses."""
    from conflictmodel.tables.lazy import REVISED, VERSIONS, Stamps

    entry = "json -> '$.history'"
    stamp = (
        f"json_array(to_json(json_keys({entry})), "
        + ", ".join(f"json -> '$.history.{part}'" for part in _ENTRY_PARTS)
        + ")::VARCHAR"
    )
    named, lines = connection.execute(
        "SELECT coalesce(bool_and(coalesce(json_keys(json) = ['history'] "
        "AND json_type(json, '$.history') = 'OBJECT' "
        "AND json_type(json, '$.history.id') = 'VARCHAR' "
        "AND json_type(json, '$.history.collection') = 'VARCHAR', false)), true), count(*) "
        "FROM conflictmodel_lines WHERE tag IS NULL"
    ).fetchone()
    if not named:
        return None
    texts = [
        text
        for (text,) in connection.execute(
            f"SELECT DISTINCT {stamp} FROM conflictmodel_lines WHERE tag IS NULL"
        ).fetchall()
    ]
    stamps = Stamps()
    numbers: list[int | None] = []
    for text in texts:
        number = _stamp_number(text, stamps)
        if number is False:
            return None
        numbers.append(number)
    connection.execute(
        f"CREATE TABLE {VERSIONS} AS SELECT "
        "json_extract_string(json, '$.history.collection') AS collection, "
        "json_extract_string(json, '$.history.id') AS id, number AS stamp, "
        "conflictmodel_lines.rowid AS line "
        f"FROM conflictmodel_lines JOIN (SELECT unnest($1) AS text, unnest($2)::INTEGER AS number) "
        f"ON {stamp} = text WHERE tag IS NULL ORDER BY line",
        [texts, numbers],
    )
    revised = (
        f"SELECT collection, id FROM {VERSIONS} GROUP BY ALL "
        f"HAVING count(*) > 1 OR min(stamp) = {REVISED}"
    )
    whole = connection.execute(
        f"SELECT ({entry})::VARCHAR FROM conflictmodel_lines JOIN {VERSIONS} "
        f"ON conflictmodel_lines.rowid = line WHERE (collection, id) IN ({revised}) ORDER BY line"
    ).fetchall()
    entries: list[Entry] = []
    for (text,) in whole:
        found = entry_from_json(orjson.loads(text), LINE_KEY)
        if not isinstance(found, Entry):
            return None
        entries.append(found)
    connection.execute(f"DELETE FROM {VERSIONS} WHERE (collection, id) IN ({revised})")
    connection.execute(f"ALTER TABLE {VERSIONS} DROP line")
    connection.execute("DELETE FROM conflictmodel_lines WHERE tag IS NULL")
    return stamps, entries, lines


def _stamp_number(text: str, stamps: Stamps) -> int | Literal[False] | None:
    """The number among ``stamps`` (:meth:`~conflictmodel.tables.lazy.Stamps.number`) of the
    stamp ``text`` of :func:`_history_lines`, read as the record path reads an entry; ``False``
    for one it refuses."""
    from conflictmodel.tables.lazy import REVISED

    keys, *values = orjson.loads(text)
    if len(set(keys)) != len(keys):
        return False
    if "record" in keys:
        return REVISED
    item = {key: value for key, value in zip(_ENTRY_PARTS, values, strict=True) if key in keys}
    found = entry_from_json({**dict.fromkeys(keys), **item, "id": ""}, LINE_KEY)
    if not isinstance(found, Entry):
        return False
    return stamps.number(found.stamp)


def _held_versions(opened: Tables, stamps: Stamps, entries: list[Entry]) -> HeldVersions | None:
    """The history in table :data:`~conflictmodel.tables.lazy.VERSIONS` and ``entries``
    (:func:`_history_lines`), once every record the table names is found among the records of
    ``opened`` (``None``: one is not, which the record path reports); the versions a history
    leaves out are let go."""
    from conflictmodel.tables.lazy import VERSIONS, HeldVersions, unknown_keys

    connection = opened.backend.con
    unknown_keys(opened, VERSIONS)
    (unknown,) = connection.execute("SELECT count(*) FROM conflictmodel_unknown").fetchone()
    connection.execute("DROP TABLE conflictmodel_unknown")
    if unknown:
        return None
    connection.execute(f"DELETE FROM {VERSIONS} WHERE stamp IS NULL")
    (count,) = connection.execute(f"SELECT count(*) FROM {VERSIONS}").fetchone()
    return HeldVersions(VERSIONS, stamps.kept, count, functools.partial(_revised_versions, entries))


def _revised_versions(
    entries: list[Entry], collections: Mapping[str, Mapping[str, Record]]
) -> dict[RecordKey, tuple[Version, ...]]:
    """The versions ``entries`` describe, their current records taken from ``collections``,
    as a :class:`~conflictmodel.Dataset` checks a history: a
    :class:`~conflictmodel.DatasetError` when they break a rule of it."""
    from conflictmodel.tables.lazy import current_records

    live = current_records(collections, (entry.key for entry in entries))
    keyed = {(c, i): record for c, records in live.items() for i, record in records.items()}
    versions, unread = versions_of(entries, keyed)
    history, wrong = check_history(live, versions)
    if unread or wrong:
        problems = [
            *wrong,
            *(Problem("history", problem.path, problem.message) for problem in unread),
        ]
        raise DatasetError(problems)
    return history


LINES_AT_ONCE = 250_000
"""How many lines of a JSON Lines file read columns first are laid out at once (the tables
laid out so far compressed before the next): what the load holds beside the file's lines
grows with this, not with the file."""


def _current_header(text: str) -> int | None:
    """The format version a header line declares, when it is the current one and the line
    holds nothing else."""
    try:
        value = orjson.loads(text)
        version = check_header(value)
    except (LoadError, orjson.JSONDecodeError):
        return None
    if version != FORMAT_VERSION or set(value) != {"format", "version"}:
        return None
    return version


def _records(path: Path, format: Format | None, max_bytes: int) -> Iterator[tuple[str, Outcome]]:
    if _format_of(path, format) == "jsonl":
        return _line_records(path, max_bytes)
    if path.stat().st_size > max_bytes:
        raise _too_large("$", max_bytes)
    text = path.read_bytes()
    return _document_records(_parse(text, max_bytes), text)


def load(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    format: Format | None = None,
    max_bytes: int | None = None,
    gc_freeze: bool = False,
    lazy: bool | None = None,
    progress: Progress = None,
    settings: Settings | None = None,
) -> Dataset:
    """The dataset in a ``.json`` or ``.jsonl`` file; :func:`loads` explains ``strict`` and
    ``gc_freeze``.

    ``max_bytes`` bounds the size of a ``.json`` document (default :data:`MAX_BYTES`) or of
    one line of a ``.jsonl`` file (default :data:`MAX_LINE_BYTES`). A folder of tables
    written by :func:`conflictmodel.tables.write` opens with :func:`conflictmodel.tables.load`
    (a dataset building its events and claims on demand; the options are for files).

    ``lazy=True`` reads a JSON Lines file columns first, into such a dataset (the ``arrow`` extra):
    DuckDB reads the file, the events, claims and assessments are checked field by field, each
    distinct value once, laid out in tables DuckDB holds (:data:`LINES_AT_ONCE` lines at a time),
    and built when asked for, as are the versions of its history (each record's one version,
    dated or in a release, as an import gives them; a record edited or withdrawn since has its
    versions read and checked at once). A file it cannot take so (one in an older format
    version, or with a problem, which is then reported as usual) is read record by record. By
    default (``lazy=None``) a JSON Lines file of :data:`LAZY_FROM_BYTES` or more is read so when the
    ``arrow`` extra is installed; ``lazy=False`` builds every record. ``settings`` configure
    DuckDB for such a load as :func:`conflictmodel.tables.open` takes them (its memory limit,
    threads and spill folder; a folder of tables takes them too, and a file read record by
    record needs none); DuckDB running out of the memory it may use raises
    :class:`~conflictmodel.EngineError`.

    ``progress`` shows how far a JSON Lines file is read, in records (its lines after the
    header): by default a bar on standard error when that is a terminal, once the load has
    taken a second; ``False`` shows none, ``True`` always one, and a callable is called as
    ``progress(records_done, records_in_file)``, from ``0`` to the count. A file read columns
    first that must be read record by record after all starts again from ``0``.

    >>> import tempfile, conflictmodel as cm
    >>> path = tempfile.mkdtemp() + "/idlib.jsonl"
    >>> cm.dump(cm.examples.idlib_2020(), path)
    >>> seen = []
    >>> ds = cm.load(path, progress=lambda done, total: seen.append((done, total)))
    >>> seen[0], seen[-1]
    ((0, 53), (53, 53))
    """
    target = Path(path)
    if target.is_dir():
        if format is not None or max_bytes is not None or not strict or gc_freeze or lazy:
            raise ValidationError(
                f"load({str(target)!r}): a folder of tables takes no format, max_bytes, "
                "strict, gc_freeze or lazy"
            )
        from conflictmodel.tables import load as load_tables

        return load_tables(target, settings=settings)
    lines = _format_of(target, format, reading=True) == "jsonl"
    limit = max_bytes or (MAX_LINE_BYTES if lines else MAX_BYTES)
    if lazy and not lines:
        raise ValidationError(f"load({str(target)!r}, lazy=True): only JSON Lines load lazily")
    if settings is not None and (lazy is False or not lines):
        raise ValidationError(
            f"load({str(target)!r}, settings=...): settings configure DuckDB, which reads "
            + ("a JSON Lines file only columns first (lazy=True)" if lines else "no .json file")
        )
    report = progress_callback(progress, f"loading {target.name}", " records", 1.0)
    reading = _Reading(report, _records_in(target)) if lines and report else None
    if lazy or (lazy is None and lines and target.stat().st_size >= LAZY_FROM_BYTES):
        try:
            found = _columns_first(target, limit, reading, settings)
        except MissingExtraError:
            if lazy:
                raise
            found = None
        if found is not None:
            if reading is not None:
                reading.finished()
            settle(gc_freeze)
            return found
    records = _records(target, format, limit)
    if reading is not None:
        records = reading.each(records)
    return _collect(records, strict, gc_freeze)


class _Reading:
    """How far a JSON Lines file of ``total`` records is read, told to ``report``."""

    def __init__(self, report: ProgressCallback, total: int) -> None:
        self.report, self.total, self.done = report, total, 0
        report(0, total)

    def advanced(self, records: int) -> None:
        """``records`` more are read."""
        if records:
            self.done += records
            self.report(min(self.done, self.total), self.total)

    def finished(self) -> None:
        """Every record is read."""
        self.done = self.total
        self.report(self.total, self.total)

    def each(self, entries: Iterator[tuple[str, Outcome]]) -> Iterator[tuple[str, Outcome]]:
        """``entries`` (one per line after the header, read record by record), told from the
        first as they are read, :data:`_REPORTED_EVERY` at a time."""
        if self.done:
            self.done = 0
            self.report(0, self.total)
        for number, entry in enumerate(entries, 1):
            yield entry
            if number % _REPORTED_EVERY == 0:
                self.advanced(_REPORTED_EVERY)
        self.finished()


_REPORTED_EVERY = 4096
"""How many records a record-by-record load reads between two reports of its progress."""


def _records_in(path: Path) -> int:
    """The lines of a JSON Lines file after its header line (a last line without a line end
    counted)."""
    ends, last = 0, b"\n"
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 24):
            ends, last = ends + chunk.count(b"\n"), chunk[-1:]
    return max(ends + (last != b"\n") - 1, 0)


def iter_records(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    format: Format | None = None,
    max_bytes: int | None = None,
) -> Iterator[Record]:
    """Each record of a file in turn, checked on its own (references are not resolved).

    A ``.jsonl`` file is read one line at a time, so it may be larger than memory; a
    ``.json`` document is parsed whole first. The first bad record raises a
    :class:`~conflictmodel.LoadError` listing its problems. These are the current records:
    the earlier versions in the file's history are not listed.
    """
    target = Path(path)
    lines = _format_of(target, format, reading=True) == "jsonl"
    limit = max_bytes or (MAX_LINE_BYTES if lines else MAX_BYTES)
    entries = _records(target, format, limit)
    while True:
        with keeping_unknown(not strict):
            try:
                _, outcome = next(entries)
            except StopIteration:
                return
            except RecursionError:
                raise LoadError([LoadProblem("$", "the document is nested too deeply")]) from None
        if isinstance(outcome, list):
            raise LoadError(outcome)
        if isinstance(outcome, Record):
            yield outcome
