"""The checked, indexed collection of records that every query runs on."""

from __future__ import annotations

import bisect
import difflib
import functools
from collections import defaultdict
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    ValuesView,
)
from types import MappingProxyType
from typing import Any, Literal, Protocol, TypeGuard, TypeVar, cast, overload, runtime_checkable

import attrs

from conflictmodel import vintages
from conflictmodel._checks import describe
from conflictmodel._words import counted, counted_records
from conflictmodel.actors import Actor, Relation, RelationKind
from conflictmodel.agreements import Agreement
from conflictmodel.assessments import Assessment
from conflictmodel.claims import Claim
from conflictmodel.errors import (
    AmbiguousNameError,
    CycleError,
    DatasetError,
    DuplicateIdError,
    Problem,
    UnknownNameError,
    UnresolvedReferenceError,
    ValidationError,
)
from conflictmodel.events import Event
from conflictmodel.places import Location, Placement, placement
from conflictmodel.records import Record, referenced_id_sets, referenced_ids, references
from conflictmodel.sources import Source
from conflictmodel.timespans import TimeSpan, when
from conflictmodel.vintages import Moment, RecordKey, Version, check_history

T = TypeVar("T")
R = TypeVar("R", bound=Record)

COLLECTIONS: dict[str, type[Record]] = {
    "actors": Actor,
    "locations": Location,
    "agreements": Agreement,
    "sources": Source,
    "events": Event,
    "claims": Claim,
    "relations": Relation,
    "assessments": Assessment,
}
"""Each collection and the base class its records derive from, in the order records are kept."""

_TWO_DAYS = 2 * 86400
"""More than two offsets (each under 18 hours) apart: how far a meeting event may sort after
a span it meets, in :attr:`TimeSpan.sort_key` seconds (a date is compared in another's zone)."""
_EPOCH_KEY = when("1970-01-01").sort_key[0]
""":attr:`TimeSpan.sort_key` of 1970-01-01 00:00 UTC: a key less this is seconds since 1970."""
_SUGGESTED = 3
"""How many names an unknown name's error suggests."""


def _words(text: str) -> list[str]:
    return text.casefold().replace("-", " ").split()


_PARENT_FIELD = {"actors": "part_of", "locations": "within", "events": "part_of"}


def find_cycles(
    parents: Mapping[str, str | None], field: str, label: Callable[[str], str]
) -> list[Problem]:
    """A problem for each cycle in ``parents`` (each id's parent through ``field``; an id
    without one may be left out), named by the ``label`` of its smallest id."""
    problems: list[Problem] = []
    state: dict[str, int] = {}
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parents and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            loop = path[path.index(node) :]
            chain = " -> ".join([*sorted(loop, key=loop.index), loop[0]])
            problems.append(Problem(label(min(loop)), field, f"forms a cycle: {chain}"))
        for visited in path:
            state[visited] = 2
    return problems


def _labeller(records: Mapping[str, Record]) -> Callable[[str], str]:
    return lambda record_id: records[record_id].label


@functools.cache
def _plain_fields(cls: type) -> frozenset[str]:
    """The fields of ``cls`` whose declared kind holds plain Python values
    (:data:`~conflictmodel.spec.PLAIN_KINDS`): the reference check passes them by unless they
    are marked as references. None of them when
    :func:`~conflictmodel.spec.fields_of` cannot read the class (every field is then read)."""
    from conflictmodel.spec import PLAIN_KINDS, fields_of

    try:
        specs = fields_of(cls)
    except ValidationError:
        return frozenset()
    return frozenset(spec.name for spec in specs if spec.kind in PLAIN_KINDS)


@runtime_checkable
class _Fetching(Protocol):
    """A collection that builds its records on demand and can build many at once
    (:class:`conflictmodel.tables.lazy.LazyRecords`)."""

    def fetch(self, ids: Iterable[str]) -> dict[str, Record]: ...

    def ids_by(self, column: str) -> dict[str, list[str]]: ...

    def ids_naming(
        self, target: str, ids: Iterable[str], field: str | None = None
    ) -> dict[str, list[str]]: ...

    def ids_meeting(self, first: int, last: int) -> list[str]: ...


def _fetching(held: Mapping[str, Record]) -> TypeGuard[_Fetching]:
    """Whether a collection builds its records on demand (a plain dict of records does not:
    told apart at once, where a protocol check takes microseconds)."""
    return type(held) is not dict and isinstance(held, _Fetching)


class Records(Mapping[str, R]):
    """One collection of a :class:`Dataset` (``ds.events``, ``ds.actors``, ...): its records
    by id, in the order of the dataset, read-only, as a dataset never changes. Its ``repr``
    counts them and names the first; in a notebook, a table shows the first.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> ds.agreements
    <1 agreement: 'idlib-ceasefire-2020'>
    >>> ds.actors["hts"].name, len(ds.events), "attack-2020-02-03" in ds.events
    ('Hayat Tahrir al-Sham', 14, True)
    """

    __slots__ = ("_collection", "_records", "_tables")

    _records: Mapping[str, R]
    _SHOWN = 3
    """How many ids the ``repr`` names."""

    def __init__(self, collection: str, tables: Mapping[str, Mapping[str, Record]]) -> None:
        self._records = cast(Mapping[str, R], tables[collection])
        self._collection = collection
        self._tables = tables

    def __getitem__(self, key: str) -> R:
        return self._records[key]

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def get(self, key: str, /) -> R | None: ...
    @overload
    def get(self, key: str, default: R | T, /) -> R | T: ...
    def get(self, key: str, default: object = None, /) -> object:
        return self._records.get(key, default)

    def keys(self) -> KeysView[str]:
        return self._records.keys()

    def values(self) -> ValuesView[R]:
        return self._records.values()

    def items(self) -> ItemsView[str, R]:
        return self._records.items()

    def __eq__(self, other: object) -> bool:
        return self._records == (other._records if isinstance(other, Records) else other)

    def __repr__(self) -> str:
        if not isinstance(self._records, dict):
            return repr(self._records)
        first = [repr(key) for _, key in zip(range(self._SHOWN), self._records, strict=False)]
        more = ", …" if len(self._records) > self._SHOWN else ""
        named = counted(len(self._records), COLLECTIONS[self._collection].kind_label)
        return f"<{named}{': ' if first else ''}{', '.join(first)}{more}>"

    def _repr_html_(self) -> str:
        from conflictmodel._html import records_html

        return records_html(self._tables, self._collection)


class Dataset:
    """Records of every kind, checked and indexed.

    Construction refuses, in one :class:`~conflictmodel.DatasetError` that lists every problem,
    duplicate ids within a kind, references that do not resolve and cycles in ``part_of`` or
    ``within``. ``history`` holds the :class:`~conflictmodel.Version` of each record that has
    several or carries a date (see :doc:`/provenance`). Two datasets holding the same records
    and history are equal, whatever the order.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> ds.actor("Hayat Tahrir al-Sham").id
    'hts'
    >>> ds.location("Saraqib").within
    'idlib-governorate'
    """

    def __init__(self, records: Iterable[Record] = (), *, history: Iterable[Version] = ()) -> None:
        tables: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}
        problems: list[Problem] = []
        kinds: list[type[DatasetError]] = []
        if isinstance(records, Record | str | bytes) or not isinstance(records, Iterable):
            raise ValidationError(
                f"Dataset() takes an iterable of records, got {describe(records)}"
            )
        for position, record in enumerate(records):
            if not isinstance(record, Record) or record.collection not in tables:
                raise ValidationError(
                    f"Dataset() item {position}: expected a record (Actor, Event, ...), "
                    f"got {describe(record)}"
                )
            table = tables[record.collection]
            if record.id in table:
                same = "an identical" if table[record.id] == record else "another"
                problems.append(
                    Problem(record.label, "id", f"duplicate id: {same} {record.kind_label} has it")
                )
                kinds.append(DuplicateIdError)
                continue
            table[record.id] = record
        wanted = referenced_id_sets(
            (r for table in tables.values() for r in table.values()), _plain_fields
        )
        unresolved = any(not ids <= tables[c].keys() for c, ids in wanted.items())
        for table in tables.values() if unresolved else ():
            for record in table.values():
                if all(target in tables[c] for c, target in referenced_ids(record)):
                    continue
                for path, collection, target in references(record):
                    if target not in tables[collection]:
                        noun = COLLECTIONS[collection].kind_label
                        problems.append(Problem(record.label, path, f"no {noun} has id {target!r}"))
                        kinds.append(UnresolvedReferenceError)
        for collection, field in _PARENT_FIELD.items():
            parents = {
                i: parent
                for i, r in tables[collection].items()
                if (parent := getattr(r, field)) is not None
            }
            cycles = find_cycles(parents, field, _labeller(tables[collection]))
            problems.extend(cycles)
            kinds.extend(CycleError for _ in cycles)
        if isinstance(history, Version) or not isinstance(history, Iterable):
            raise ValidationError(f"Dataset() history: expected versions, got {describe(history)}")
        versions, wrong = check_history(tables, history)
        problems.extend(wrong)
        kinds.extend(DatasetError for _ in wrong)
        if problems:
            raise DatasetError.of(problems, kinds)
        self._tables: dict[str, Mapping[str, Record]] = dict(tables)
        self._history: Mapping[RecordKey, tuple[Version, ...]] = versions
        self._engine: object = None
        self._views = self._records_views()

    @classmethod
    def _assembled(
        cls,
        collections: Mapping[str, Mapping[str, Record]],
        engine: object,
        history: Mapping[RecordKey, tuple[Version, ...]] | None = None,
    ) -> Dataset:
        """A dataset of collections (and a ``history``) already checked (by an engine, over
        its tables), which the aggregate queries run on in ``engine``; see
        :mod:`conflictmodel.tables.lazy`."""
        ds = cls.__new__(cls)
        ds._tables = {name: collections[name] for name in COLLECTIONS}
        ds._history = {} if history is None else history
        ds._engine = engine
        ds._views = ds._records_views()
        return ds

    @property
    def actors(self) -> Records[Actor]:
        """Actors by id."""
        return self._view("actors", Actor)

    @property
    def locations(self) -> Records[Location]:
        """Locations by id."""
        return self._view("locations", Location)

    @property
    def agreements(self) -> Records[Agreement]:
        """Agreements by id."""
        return self._view("agreements", Agreement)

    @property
    def sources(self) -> Records[Source]:
        """Sources by id."""
        return self._view("sources", Source)

    @property
    def events(self) -> Records[Event]:
        """Events (of every event type) by id."""
        return self._view("events", Event)

    @property
    def claims(self) -> Records[Claim]:
        """Claims by id."""
        return self._view("claims", Claim)

    @property
    def relations(self) -> Records[Relation]:
        """Relations by id."""
        return self._view("relations", Relation)

    @property
    def assessments(self) -> Records[Assessment]:
        """Assessments (grades of events and claims) by id."""
        return self._view("assessments", Assessment)

    def cached(self, key: str, build: Callable[[Dataset], T]) -> T:
        """``build(self)``, made on the first call with ``key`` and kept with the dataset.

        Engines keep their indexes here (a dataset never changes, so they never go stale);
        they are not pickled.

        >>> ds = Dataset()
        >>> ds.cached("size", len), ds.cached("size", lambda ds: -1)
        (0, 0)
        """
        store: dict[str, Any] = self.__dict__.setdefault("_cache", {})
        if key not in store:
            store[key] = build(self)
        return cast(T, store[key])

    def __getstate__(self) -> dict[str, Any]:
        """Every record (a dataset over tables builds them all), not the engine."""
        tables = {name: dict(table.items()) for name, table in self._tables.items()}
        return {"_tables": tables, "_history": dict(self._history.items())}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._tables = state["_tables"]
        self._history = state.get("_history", {})
        self._engine = None
        self._views = self._records_views()

    def _records_views(self) -> dict[str, Records[Record]]:
        return {name: Records(name, self._tables) for name in self._tables}

    def _view(self, collection: str, kind: type[R]) -> Records[R]:
        return cast(Records[R], self._views[collection])

    def records(self) -> Iterator[Record]:
        """Every record, collection by collection, each in the order given."""
        for table in self._tables.values():
            yield from table.values()

    @overload
    def get(self, collection: Literal["actors"], record_id: str) -> Actor: ...
    @overload
    def get(self, collection: Literal["locations"], record_id: str) -> Location: ...
    @overload
    def get(self, collection: Literal["agreements"], record_id: str) -> Agreement: ...
    @overload
    def get(self, collection: Literal["sources"], record_id: str) -> Source: ...
    @overload
    def get(self, collection: Literal["events"], record_id: str) -> Event: ...
    @overload
    def get(self, collection: Literal["claims"], record_id: str) -> Claim: ...
    @overload
    def get(self, collection: Literal["relations"], record_id: str) -> Relation: ...
    @overload
    def get(self, collection: Literal["assessments"], record_id: str) -> Assessment: ...
    @overload
    def get(self, collection: str, record_id: str) -> Record: ...

    def get(self, collection: str, record_id: str) -> Record:
        """The record with ``record_id`` in ``collection`` ("actors", "events", ...), typed as
        that collection's records are (an ``Event`` from "events").

        >>> import conflictmodel as cm
        >>> cm.examples.idlib_2020().get("actors", "turkey").name
        'Turkey'
        """
        table = self._tables.get(collection)
        if table is None:
            raise UnknownNameError(
                f"no collection {collection!r}; expected one of {', '.join(COLLECTIONS)}"
            )
        try:
            return table[record_id]
        except (KeyError, TypeError):
            noun = COLLECTIONS[collection].kind_label
            raise UnknownNameError(f"no {noun} has id {record_id!r}") from None

    def get_many(self, collection: str, record_ids: Iterable[str]) -> dict[str, Record]:
        """The records of ``collection`` with these ids that it holds, by id (ids it does not
        hold are left out). A dataset over tables (:func:`conflictmodel.tables.load`, or a
        large JSON Lines file) builds those not built yet together, in a few engine queries
        instead of one per record.

        >>> import conflictmodel as cm
        >>> ds = cm.examples.idlib_2020()
        >>> sorted(ds.get_many("actors", ["turkey", "syria", "nobody"]))
        ['syria', 'turkey']
        """
        table = self._tables.get(collection)
        if table is None:
            raise UnknownNameError(
                f"no collection {collection!r}; expected one of {', '.join(COLLECTIONS)}"
            )
        if _fetching(table):
            return table.fetch(record_ids)
        return {i: table[i] for i in record_ids if isinstance(i, str) and i in table}

    def with_records(self, records: Iterable[Record]) -> Dataset:
        """A new dataset holding these records as well (checked like any other)."""
        if isinstance(records, Record | str | bytes) or not isinstance(records, Iterable):
            raise ValidationError(
                f"with_records() takes an iterable of records, got {describe(records)}"
            )
        history = [version for listed in self._history.values() for version in listed]
        return Dataset([*self.records(), *records], history=history)

    # Versions ----------------------------------------------------------------------------

    @property
    def history(self) -> Mapping[RecordKey, tuple[Version, ...]]:
        """The versions of each record that has several or carries a date, oldest first, by
        ``(collection, id)``; withdrawn records are here only."""
        return MappingProxyType(self._history)

    def versions(self, collection: str, record_id: str) -> tuple[Version, ...]:
        """Every version of a record, oldest first (a record without history has one, undated).

        >>> import conflictmodel as cm
        >>> cm.examples.idlib_2020().versions("actors", "hts")[0].recorded is None
        True
        """
        listed = self._history.get((collection, record_id))
        if listed is not None:
            return listed
        return (Version(record=self.get(collection, record_id)),)

    def as_of(self, moment: Moment) -> Dataset:
        """The dataset as known at ``moment`` (a day counts whole; a datetime is an instant).

        It holds the records recorded by then, each in the version current then, and not the
        ones withdrawn by then. A recorded date always wins; a record without one counts from
        the earliest moment the record itself shows it could be known
        (:func:`~conflictmodel.vintages.known_from`): an event from the first ``published``
        date of its sources, and never before its ``when`` begins (from that start when no
        source is dated); an agreement from its ``signed`` date, else the start of its
        ``effective`` span; a source from its ``published`` date; a claim or assessment from
        its ``made`` day; actors, relations and places, and records with none of these dates,
        from the start. A record referring to one not known then is left out too (an event
        citing several sources waits for the last of them), so the result is a valid dataset
        that every query takes. Its history is the part known then.

        >>> import conflictmodel as cm
        >>> ds = cm.examples.idlib_2020()
        >>> early = ds.as_of("2020-01-12")
        >>> len(early.events), list(early.agreements), list(early.sources)
        (0, ['idlib-ceasefire-2020'], ['sana'])
        >>> ds.as_of("2020-02-06") == ds
        True
        """
        return vintages.as_of(self, moment)

    def updated(
        self,
        newer: Dataset | Iterable[Record | Version],
        *,
        recorded: Moment | None = None,
        release: str | None = None,
    ) -> Dataset:
        """This dataset with ``newer``'s records added, or replacing the record with their id.

        A replaced record's version stays in the history, ending when the new one was
        ``recorded``. Records equal to the ones held change nothing. The records of a
        ``newer`` dataset keep the dates and releases of its history, and a
        :class:`~conflictmodel.Version` its own; other records get ``recorded`` and ``release``.
        """
        return vintages.updated(self, newer, recorded=recorded, release=release)[0]

    def withdraw(self, keys: Iterable[RecordKey], *, at: Moment) -> Dataset:
        """This dataset without the records named by ``(collection, id)``, which stay in the
        history as withdrawn ``at`` that moment."""
        return vintages.withdraw(self, keys, at=at)

    def __or__(self, other: Dataset) -> Dataset:
        """The records of both datasets; a record both hold must be the same in both.

        Records sharing an id but differing are refused, each with the fields that differ;
        so is a record whose :attr:`history` differs between the two.

        >>> import conflictmodel as cm
        >>> ds = cm.examples.idlib_2020()
        >>> (ds | ds) == ds
        True
        """
        if not isinstance(other, Dataset):
            return NotImplemented
        problems: list[Problem] = []
        extra: list[Record] = []
        for record in other.records():
            known = self._tables[record.collection].get(record.id)
            if known is None:
                extra.append(record)
            elif type(known) is not type(record):
                kinds = f"{type(known).__name__} here, {type(record).__name__} there"
                problems.append(Problem(record.label, "type", f"differs: {kinds}"))
            elif known != record:
                for field in attrs.fields(type(record)):
                    mine, theirs = getattr(known, field.name), getattr(record, field.name)
                    if mine != theirs:
                        problems.append(
                            Problem(record.label, field.name, f"differs: {mine!r} vs {theirs!r}")
                        )
        versions = [version for listed in self._history.values() for version in listed]
        for key, listed in other.history.items():
            held = self._history.get(key)
            if held is None:
                versions.extend(listed)
            elif held != listed:
                label = listed[-1].record.label
                problems.append(Problem(label, "history", "differs between the two datasets"))
        if problems:
            raise DatasetError(problems)
        return Dataset([*self.records(), *extra], history=versions)

    def __len__(self) -> int:
        return sum(len(table) for table in self._tables.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._tables == other._tables and self._history == other._history

    def __repr__(self) -> str:
        counts = counted_records({name: len(table) for name, table in self._tables.items()})
        return f"<Dataset: {counts or 'empty'}>"

    def _repr_html_(self) -> str:
        from conflictmodel._html import dataset_html

        return dataset_html(self)

    # Names and aliases -------------------------------------------------------------------

    @functools.cached_property
    def _names(self) -> dict[str, dict[str, list[str]]]:
        index: dict[str, dict[str, list[str]]] = {"actors": {}, "locations": {}}
        for collection, names in index.items():
            for record in self._tables[collection].values():
                for name in {record.id, *getattr(record, "names", ())}:
                    ids = names.setdefault(name.casefold(), [])
                    if record.id not in ids:
                        ids.append(record.id)
        return index

    def _resolve(self, collection: str, name: str) -> Record:
        if not isinstance(name, str):
            raise UnknownNameError(f"look-up needs a name, alias or id, got {describe(name)}")
        table = self._tables[collection]
        if name in table:
            return table[name]
        noun = COLLECTIONS[collection].kind_label
        matches = self._names[collection].get(name.casefold(), [])
        if not matches:
            near = self._names_near(collection, name)
            hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
            raise UnknownNameError(f"no {noun} is named {name!r}{hint}")
        if len(matches) > 1:
            listed = ", ".join(
                f"{table[m].id!r} ({getattr(table[m], 'name', '')})" for m in matches
            )
            raise AmbiguousNameError(f"{name!r} names several {collection}: {listed}")
        return table[matches[0]]

    def _names_near(self, collection: str, name: str) -> list[str]:
        """The names (ids where they have none) of up to :data:`_SUGGESTED` records of
        ``collection`` whose name holds every word of ``name`` (case-insensitive), the shortest
        first, then of those whose name or id is spelled much like it."""
        wanted = set(_words(name))
        shown: dict[str, str] = {}
        for record in self._tables[collection].values():
            label = getattr(record, "name", None)
            shown[record.id] = label if isinstance(label, str) and label else record.id
        texts = {record_id.casefold(): record_id for record_id in shown}
        texts.update((label.casefold(), record_id) for record_id, label in shown.items())
        holding = sorted(
            {label for label in shown.values() if wanted <= set(_words(label))},
            key=lambda label: (len(label), label),
        )
        close = difflib.get_close_matches(name.casefold(), texts, n=_SUGGESTED, cutoff=0.75)
        found = [*holding, *(shown[texts[text]] for text in close)]
        return list(dict.fromkeys(found))[:_SUGGESTED]

    def actor(self, name: str) -> Actor:
        """The actor with this id, name or alias (case-insensitive).

        Raises :class:`~conflictmodel.UnknownNameError` when none matches and
        :class:`~conflictmodel.AmbiguousNameError`, listing the candidates, when several do.
        """
        record = self._resolve("actors", name)
        assert isinstance(record, Actor)
        return record

    def location(self, name: str) -> Location:
        """The location with this id, name or alias (case-insensitive)."""
        record = self._resolve("locations", name)
        assert isinstance(record, Location)
        return record

    # Hierarchies -------------------------------------------------------------------------

    @functools.cached_property
    def _children(self) -> dict[str, dict[str, list[str]]]:
        """Each record's children, by id, per collection as it is first asked for (of a
        collection held in an engine, asked of it): the order of the records does not show
        in any answer (equal datasets answer alike, and an engine returns rows in any order)."""
        return {}

    def _children_in(self, collection: str) -> dict[str, list[str]]:
        found = self._children.get(collection)
        if found is None:
            held, field = self._tables[collection], _PARENT_FIELD[collection]
            children: dict[str, list[str]] = defaultdict(list)
            if _fetching(held):
                children.update(held.ids_by(field))
            else:
                for record in held.values():
                    parent = getattr(record, field)
                    if parent is not None:
                        children[parent].append(record.id)
            found = {parent: sorted(ids) for parent, ids in children.items()}
            self._children[collection] = found
        return found

    def _ancestors(self, collection: str, record_id: str) -> tuple[str, ...]:
        field = _PARENT_FIELD[collection]
        chain: list[str] = []
        parent = getattr(self.get(collection, record_id), field)
        while parent is not None:
            chain.append(parent)
            parent = getattr(self._tables[collection][parent], field)
        return tuple(chain)

    def _descendants(self, collection: str, record_id: str) -> tuple[str, ...]:
        self.get(collection, record_id)
        children = self._children_in(collection)
        found: list[str] = []
        stack = list(reversed(children.get(record_id, [])))
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(reversed(children.get(child, [])))
        return tuple(found)

    def actor_ancestors(self, actor_id: str) -> tuple[str, ...]:
        """The actors ``actor_id`` is ``part_of``, nearest first.

        >>> import conflictmodel as cm
        >>> cm.examples.idlib_2020().actor_ancestors("syrian-army")
        ('syria',)
        """
        return self._ancestors("actors", actor_id)

    def actor_descendants(self, actor_id: str) -> tuple[str, ...]:
        """Every actor ``part_of`` ``actor_id``, directly or not, depth first (siblings by id)."""
        return self._descendants("actors", actor_id)

    def top_actor(self, actor_id: str) -> str:
        """The outermost actor ``actor_id`` belongs to (itself when it belongs to none)."""
        self.get("actors", actor_id)
        return self._top_actors[actor_id]

    @functools.cached_property
    def _top_actors(self) -> dict[str, str]:
        """Each actor's outermost actor, each chain walked once (linear in the actors)."""
        actors = self.actors
        tops: dict[str, str] = {}
        for actor_id in actors:
            chain: list[str] = []
            current: str | None = actor_id
            while current is not None and current not in tops:
                chain.append(current)
                current = actors[current].part_of
            top = chain[-1] if current is None else tops[current]
            for member in chain:
                tops[member] = top
        return tops

    def location_ancestors(self, location_id: str) -> tuple[str, ...]:
        """The locations ``location_id`` lies ``within``, nearest first.

        >>> import conflictmodel as cm
        >>> cm.examples.idlib_2020().location_ancestors("saraqeb")
        ('idlib-governorate', 'syria')
        """
        return self._ancestors("locations", location_id)

    def location_descendants(self, location_id: str) -> tuple[str, ...]:
        """Every location ``within`` ``location_id``, directly or not, depth first (siblings by
        id)."""
        return self._descendants("locations", location_id)

    def event_parts(self, event_id: str) -> tuple[str, ...]:
        """Every event ``part_of`` ``event_id``, directly or not, depth first (siblings by id)."""
        return self._descendants("events", event_id)

    def is_within(self, location_id: str, area_id: str) -> bool:
        """Whether ``location_id`` is ``area_id`` or lies within it."""
        return location_id == area_id or area_id in self.location_ancestors(location_id)

    def placement(self, event_id: str, area_id: str) -> Placement:
        """Whether the event lies within the area: inside, possibly, or outside.

        An event known only to its province is possibly in each of the province's districts;
        one geocoded near a village (UCDP ``where_prec`` 2) is in the village's district, but
        only possibly in the village. See :attr:`~conflictmodel.Event.where_precision`.

        >>> import conflictmodel as cm
        >>> cm.examples.idlib_2020().placement("saraqeb-capture-2020-02-06", "idlib-governorate")
        <Placement.INSIDE: 'inside'>
        """
        event = self.get("events", event_id)
        area = self.get("locations", area_id)
        if event.where is None:
            return Placement.POSSIBLY
        return placement(
            event.where_precision,
            self.is_within(event.where, area_id),
            event.where in self.location_ancestors(area_id),
            area.kind,
        )

    def is_part_of(self, actor_id: str, group_id: str) -> bool:
        """Whether ``actor_id`` is ``group_id`` or belongs to it."""
        return actor_id == group_id or group_id in self.actor_ancestors(actor_id)

    # Events by actor, place and time -----------------------------------------------------

    @functools.cached_property
    def _events_at(self) -> dict[str, list[str]]:
        held = self._tables["events"]
        if _fetching(held):
            return held.ids_by("where")
        by_location: dict[str, list[str]] = defaultdict(list)
        for event in self.events.values():
            if event.where is not None:
                by_location[event.where].append(event.id)
        return dict(by_location)

    def _events(self, ids: Iterable[str]) -> list[Event]:
        found = self.get_many("events", ids).values()
        return sorted((e for e in found if isinstance(e, Event)), key=lambda e: e.when.sort_key)

    def predecessors(self, actor_id: str) -> tuple[str, ...]:
        """The actors ``actor_id`` carries on (through ``succeeded_by``, ``split_from`` or
        ``merged_into`` relations), nearest first.

        >>> import conflictmodel as cm
        >>> groups = [cm.Actor(id=i, name=i, kind="rebel_group") for i in ("nusra", "jfs", "hts")]
        >>> ds = cm.Dataset(groups
        ...     + [cm.Relation(id="r1", source="nusra", kind="succeeded_by", target="jfs"),
        ...        cm.Relation(id="r2", source="jfs", kind="merged_into", target="hts")])
        >>> ds.predecessors("hts")
        ('jfs', 'nusra')
        """
        self.get("actors", actor_id)
        found: list[str] = []
        frontier = [actor_id]
        while frontier:
            current = frontier.pop(0)
            for relation in self._relations_to.get(current, ()):
                if relation.source not in found and relation.source != actor_id:
                    found.append(relation.source)
                    frontier.append(relation.source)
        return tuple(found)

    def same_as(self, actor_id: str) -> tuple[str, ...]:
        """The actors recorded as one group with ``actor_id`` (through ``same_as`` relations,
        either way and in turn, as :func:`~conflictmodel.merge` records a crosswalk's links):
        ``actor_id`` first, then the others by id.

        >>> import conflictmodel as cm
        >>> ds = cm.Dataset([cm.Actor(id="ucdp-is", name="IS", kind="rebel_group"),
        ...     cm.Actor(id="acled-is", name="Islamic State (Syria)", kind="rebel_group"),
        ...     cm.Relation(id="r", source="acled-is", kind="same_as", target="ucdp-is")])
        >>> ds.same_as("ucdp-is"), ds.same_as("acled-is")
        (('ucdp-is', 'acled-is'), ('acled-is', 'ucdp-is'))
        """
        self.get("actors", actor_id)
        group = self._same_as_groups.get(actor_id, frozenset())
        return (actor_id, *sorted(group - {actor_id}))

    @functools.cached_property
    def _same_as_groups(self) -> dict[str, frozenset[str]]:
        """Each actor in a ``same_as`` relation, to every actor of its group."""
        linked: dict[str, set[str]] = defaultdict(set)
        for relation in self.relations.values():
            if relation.kind is RelationKind.SAME_AS:
                linked[relation.source].add(relation.target)
                linked[relation.target].add(relation.source)
        groups: dict[str, frozenset[str]] = {}
        for start in linked:
            if start in groups:
                continue
            found, frontier = {start}, [start]
            while frontier:
                for other in linked[frontier.pop()] - found:
                    found.add(other)
                    frontier.append(other)
            group = frozenset(found)
            groups.update(dict.fromkeys(group, group))
        return groups

    @functools.cached_property
    def _relations_to(self) -> dict[str, list[Relation]]:
        index: dict[str, list[Relation]] = defaultdict(list)
        for relation in self.relations.values():
            if relation.kind.is_succession:
                index[relation.target].append(relation)
        return dict(index)

    def events_involving(
        self, actor_id: str, *, include_parts: bool = False, include_predecessors: bool = False
    ) -> list[Event]:
        """Events naming the actor ``actor_id`` (an id, name or alias) in any role (with its
        parts' events when asked, and its predecessors' with ``include_predecessors``: HTS
        with Jabhat al-Nusra), by time.

        >>> import conflictmodel as cm
        >>> [e.id for e in cm.examples.idlib_2020().events_involving("turkish-army")]
        ['turkish-invasion-2019', 'attack-2020-02-03', 'retaliation-2020-02-03']
        """
        actor_id = self.actor(actor_id).id
        roots = [actor_id, *self.predecessors(actor_id)] if include_predecessors else [actor_id]
        actors = [
            a for r in roots for a in (r, *(self.actor_descendants(r) if include_parts else ()))
        ]
        naming = self._naming("events", "actors", actors)
        return self._events(e for a in actors for e in naming.get(a, ()))

    def events_within(self, location_id: str) -> list[Event]:
        """Events at the location ``location_id`` (an id, name or alias) or anywhere within it,
        by time.

        >>> import conflictmodel as cm
        >>> [e.id for e in cm.examples.idlib_2020().events_within("Saraqeb")]
        ['saraqeb-capture-2020-02-06', 'highway-capture-2020-02-06']
        """
        location_id = self.location(location_id).id
        places = [location_id, *self.location_descendants(location_id)]
        events_at = self._events_at
        return self._events(e for p in places for e in events_at.get(p, ()))

    def events_at(self, places: Iterable[str]) -> list[Event]:
        """Events recorded at one of ``places`` itself (not at a place within it), by time.

        >>> import conflictmodel as cm
        >>> [e.id for e in cm.examples.idlib_2020().events_at(["saraqeb", "syria"])]
        ['syrian-war-toll', 'syrian-war-displacement', 'saraqeb-capture-2020-02-06', \
'highway-capture-2020-02-06', 'israeli-missiles-2020-02-06']
        """
        events_at = self._events_at
        return self._events(e for p in dict.fromkeys(places) for e in events_at.get(p, ()))

    @functools.cached_property
    def _timeline(self) -> tuple[list[Any], list[Event]]:
        ordered = sorted(self.events.values(), key=lambda e: e.when.sort_key)
        return [e.when.sort_key[0] for e in ordered], ordered

    def events_by_time(self) -> list[Event]:
        """Every event, by time (:attr:`TimeSpan.sort_key`)."""
        return list(self._timeline[1])

    def events_during(self, span: TimeSpan | str) -> list[Event]:
        """Events whose span meets ``span`` (a span or its text: shares at least one possible
        moment with it), by time.

        >>> import conflictmodel as cm
        >>> len(cm.examples.idlib_2020().events_during("2020-02-06"))
        11
        """
        if isinstance(span, str):
            try:
                span = when(span)
            except ValidationError as error:
                raise ValidationError(f"events_during({span!r}): {error}") from None
        if not isinstance(span, TimeSpan):
            raise ValidationError(
                f"events_during() takes a TimeSpan or its text, got {describe(span)}"
            )
        held = self._tables["events"]
        if _fetching(held):
            first, last = (key - _EPOCH_KEY for key in span.sort_key)
            found = self._events(held.ids_meeting(first - _TWO_DAYS, last + _TWO_DAYS))
            return [event for event in found if event.when.meets(span)]
        starts, ordered = self._timeline
        last = span.sort_key[1] + _TWO_DAYS
        stop = len(ordered) if span.end is None else bisect.bisect_left(starts, last)
        return [event for event in ordered[:stop] if event.when.meets(span)]

    def events_near(
        self, place: Any, km: float, *, period: Any = None, coarse: bool = False
    ) -> list[Event]:
        """Events at most ``km`` km from a place, its name, or a point, meeting ``period``, by
        time, those placed only to a wide area with ``coarse=True``; see
        :func:`conflictmodel.nearby.events_near`."""
        from conflictmodel.nearby import events_near

        return events_near(self, place, km, period=period, coarse=coarse)

    @functools.cached_property
    def _claims_about(self) -> dict[tuple[str, str], list[str]]:
        index: dict[tuple[str, str], list[str]] = defaultdict(list)
        for claim in self._tables["claims"].values():
            for key in dict.fromkeys(referenced_ids(cast(Claim, claim).statement)):
                index[key].append(claim.id)
        return dict(index)

    def claims_about(self, collection: str, record_id: str) -> list[Claim]:
        """Claims whose statement names this record (an event, an agreement, a place, ...)."""
        ids = self._naming("claims", collection, [record_id]).get(record_id)
        if ids is None:
            self.get(collection, record_id)
            return []
        return [cast(Claim, claim) for claim in self.get_many("claims", ids).values()]

    def _naming(self, collection: str, target: str, ids: list[str]) -> dict[str, list[str]]:
        """For each of ``ids`` (of ``target`` records) that a record names, the ids of the
        ``collection`` records naming it (events in any field, claims in their statement), in
        the order given; asked of the engine for a collection held in tables."""
        held = self._tables[collection]
        if _fetching(held):
            return held.ids_naming(target, ids, "statement" if collection == "claims" else None)
        index = self._events_naming if collection == "events" else self._claims_about
        return {i: index[(target, i)] for i in ids if (target, i) in index}

    @functools.cached_property
    def _claims_by(self) -> dict[str, list[str]]:
        held = self._tables["claims"]
        if _fetching(held):
            return held.ids_by("claimant")
        index: dict[str, list[str]] = defaultdict(list)
        for claim in held.values():
            claimant = cast(Claim, claim).claimant
            if claimant is not None:
                index[claimant].append(claim.id)
        return dict(index)

    def claims_by(self, actor_id: str) -> list[Claim]:
        """Claims made by the actor ``actor_id`` (an id, name or alias), in the order given.

        >>> import conflictmodel as cm
        >>> [c.id for c in cm.examples.idlib_2020().claims_by("russia")]
        ['russia-turkey-violates']
        """
        actor_id = self.actor(actor_id).id
        found = self.get_many("claims", self._claims_by.get(actor_id, ()))
        return [cast(Claim, claim) for claim in found.values()]

    @functools.cached_property
    def _events_naming(self) -> dict[tuple[str, str], list[str]]:
        index: dict[tuple[str, str], list[str]] = defaultdict(list)
        for event in self._tables["events"].values():
            for key in dict.fromkeys(referenced_ids(event)):
                index[key].append(event.id)
        return dict(index)

    def events_naming(self, collection: str, record_id: str) -> list[Event]:
        """Events with any field naming this record (a captured place, an answered event), by time.

        >>> import conflictmodel as cm
        >>> ds = cm.examples.idlib_2020()
        >>> [e.id for e in ds.events_naming("locations", "saraqeb-aleppo-m5")]
        ['highway-capture-2020-02-06']
        """
        self.get(collection, record_id)
        return self._events(self._naming("events", collection, [record_id]).get(record_id, ()))
