"""The base of every record kind, and the walk over the ids a record refers to."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import chain
from operator import attrgetter
from types import NoneType
from typing import Any, ClassVar, TypeVar

import attrs

from conflictmodel._checks import REFERENCE, text


@attrs.frozen(kw_only=True)
class Record:
    """A record with an ``id`` unique within its kind (its ``collection``).

    Subclasses are frozen, slotted, keyword-only ``attrs`` classes. A field whose metadata
    comes from :func:`~conflictmodel.refers_to` holds ids of records in another collection;
    the :class:`~conflictmodel.Dataset` checks that each of them resolves.
    """

    collection: ClassVar[str] = ""
    kind_label: ClassVar[str] = "record"

    id: str = attrs.field(validator=text)

    @property
    def label(self) -> str:
        """``"<kind> '<id>'"``, as error messages name a record."""
        return f"{self.kind_label} {self.id!r}"

    def _repr_html_(self) -> str:
        from conflictmodel._html import record_html

        return record_html(self)


Reference = tuple[str, str, str]
"""``(field path, collection, id)``: one id that a record refers to."""


_PLANS: dict[type, tuple[tuple[str, str | None], ...]] = {}

C = TypeVar("C", bound=type)


def holds_no_references(cls: C) -> C:
    """Mark a value class (a span, an estimate) whose fields never hold ids, so walks skip it."""
    _PLANS[cls] = ()
    return cls


def _plan(cls: type) -> tuple[tuple[str, str | None], ...]:
    """For each field that may hold references: its name and collection (None: nested values)."""
    known = _PLANS.get(cls)
    if known is not None:
        return known
    steps: list[tuple[str, str | None]] = []
    for field in attrs.fields(cls):
        collection = field.metadata.get(REFERENCE)
        if collection is not None:
            steps.append((field.name, collection))
        elif field.name != "id":
            steps.append((field.name, None))
    _PLANS[cls] = tuple(steps)
    return _PLANS[cls]


def _walk(value: object, path: str, collection: str | None) -> Iterator[Reference]:
    if value is None:
        return
    if collection is not None and isinstance(value, str):
        yield (path, collection, value)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", collection)
    elif collection is None and attrs.has(type(value)) and not isinstance(value, Record):
        for name, nested in _plan(type(value)):
            yield from _walk(getattr(value, name), f"{path}.{name}", nested)


_NESTED: dict[type, bool] = {}


def _is_nested(kind: type) -> bool:
    """Whether values of ``kind`` are attrs values (not records) that may hold references."""
    known = _NESTED.get(kind)
    if known is None:
        known = _NESTED[kind] = (
            attrs.has(kind) and not issubclass(kind, Record) and bool(_plan(kind))
        )
    return known


def _collect(value: object, found: list[tuple[str, str]]) -> None:
    for name, collection in _plan(type(value)):
        item = getattr(value, name)
        if item is None:
            continue
        if collection is not None:
            if isinstance(item, str):
                found.append((collection, item))
            elif isinstance(item, tuple):
                for entry in item:
                    if isinstance(entry, str):
                        found.append((collection, entry))
                    elif isinstance(entry, tuple):
                        found.extend((collection, nested) for nested in entry)
        elif isinstance(item, tuple):
            for entry in item:
                if _is_nested(type(entry)):
                    _collect(entry, found)
        elif _is_nested(type(item)):
            _collect(item, found)


def referenced_ids(record: Any) -> list[tuple[str, str]]:
    """``(collection, id)`` for every id in a record: :func:`references` without the paths.

    >>> import conflictmodel as cm
    >>> referenced_ids(cm.Relation(id="r", source="turkey", kind="supports", target="hts"))
    [('actors', 'turkey'), ('actors', 'hts')]
    """
    found: list[tuple[str, str]] = []
    _collect(record, found)
    return found


def _entries(column: list[Any]) -> tuple[list[Any], set[type]]:
    """The values of a field, with the items of tuples in place of the tuples (one level), and
    their types."""
    kinds = set(map(type, column))
    if tuple in kinds:
        if kinds == {tuple}:
            column = list(chain.from_iterable(column))
        else:
            column = [e for item in column for e in (item if type(item) is tuple else (item,))]
        kinds = set(map(type, column))
    return column, kinds


def _by_type(values: list[Any], kinds: set[type]) -> dict[type, list[Any]]:
    if len(kinds) == 1:
        return {kinds.pop(): values}
    groups: dict[type, list[Any]] = {kind: [] for kind in kinds}
    for value in values:
        groups[type(value)].append(value)
    return groups


def _gather(
    values: list[Any],
    kinds: set[type],
    found: dict[str, set[str]],
    plain: Callable[[type], Collection[str]],
) -> None:
    for kind, group in _by_type(values, kinds).items():
        passed = plain(kind)
        for name, collection in _plan(kind):
            if collection is None and name in passed:
                continue
            column, kinds = _entries(list(map(attrgetter(name), group)))
            if collection is not None:
                if tuple in kinds:
                    column, kinds = _entries(column)
                ids = found.setdefault(collection, set())
                if kinds <= {str, NoneType}:
                    ids.update(column)
                    ids.discard(None)
                else:
                    ids.update(e for e in column if isinstance(e, str))
                continue
            nested = {k for k in kinds if _is_nested(k)}
            if nested:
                if nested != kinds:
                    column = [e for e in column if type(e) in nested]
                _gather(column, nested, found, plain)


def _no_fields(cls: type) -> tuple[str, ...]:
    return ()


def referenced_id_sets(
    records: Iterable[Any], plain: Callable[[type], Collection[str]] = _no_fields
) -> dict[str, set[str]]:
    """Every id that any of ``records`` refers to, by collection: :func:`referenced_ids` of
    many records at once, field by field over the records of each class. ``plain(cls)`` names
    the fields of a class that hold no attrs value, so no id unless they are marked as
    references: those are passed by.

    >>> import conflictmodel as cm
    >>> found = referenced_id_sets([
    ...     cm.Relation(id="r", source="turkey", kind="supports", target="hts"),
    ...     cm.Relation(id="s", source="russia", kind="supports", target="syria")])
    >>> sorted(found["actors"])
    ['hts', 'russia', 'syria', 'turkey']
    """
    found: dict[str, set[str]] = {}
    values = list(records)
    _gather(values, set(map(type, values)), found, plain)
    return {collection: ids for collection, ids in found.items() if ids}


def references(record: Any) -> Iterator[Reference]:
    """Every id a record (or a nested value in it) refers to, with the path of its field.

    >>> import conflictmodel as cm
    >>> attack = cm.Engagement(id="a", when="2020-02-03", kind="attack",
    ...     initiators=["syrian-army"], targets=["turkish-army"],
    ...     casualties=[cm.Casualties("turkish-army", killed=8)])
    >>> list(references(attack))  # doctest: +NORMALIZE_WHITESPACE
    [('initiators[0]', 'actors', 'syrian-army'), ('targets[0]', 'actors', 'turkish-army'),
     ('casualties[0].actor', 'actors', 'turkish-army')]
    """
    for name, collection in _plan(type(record)):
        value = getattr(record, name)
        if collection is None and not (isinstance(value, tuple) or attrs.has(type(value))):
            continue
        yield from _walk(value, name, collection)
