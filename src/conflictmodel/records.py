"""The base of every record kind, and the walk over the ids a record refers to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import attrs

from conflictmodel._fields import REFERENCE, text


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


Reference = tuple[str, str, str]
"""``(field path, collection, id)``: one id that a record refers to."""


_PLANS: dict[type, tuple[tuple[str, str | None], ...]] = {}


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
