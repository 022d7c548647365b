"""What changed between two versions of a dataset: records added, removed and changed.

Conflict data is revised: ACLED edits and deletes events every week, and each UCDP GED release
revises earlier events. :func:`diff` compares two datasets record by record (records are the
same when their collection and id are), and says for each changed record which fields changed,
with the old and the new value (of a mapping such as ``source_values``, the keys that changed).
Printed, a record with a name shows it beside its id.

>>> import conflictmodel as cm
>>> old = cm.Dataset([cm.Actor(id="hts", name="HTS", kind="rebel_group")])
>>> new = cm.Dataset([cm.Actor(id="hts", name="Hayat Tahrir al-Sham", kind="rebel_group",
...                            aliases=["HTS"])])
>>> changes = cm.diff(old, new)
>>> print(changes)
1 changed, 0 added, 0 removed
  actor 'hts' (Hayat Tahrir al-Sham)
    aliases: [] -> ["HTS"]
    name: "HTS" -> "Hayat Tahrir al-Sham"
>>> changes.apply(old) == new
True
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import orjson
from immutabledict import immutabledict

from conflictmodel import registry
from conflictmodel._converter import converter
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.records import Record

if TYPE_CHECKING:
    import pandas as pd

RecordKey = tuple[str, str]
"""``(collection, id)``: ids are unique within a collection, so this names one record."""

_TYPE = "type"


@attrs.frozen
class FieldChange:
    """One field of a record that differs between two versions; values as the records hold them."""

    field: str
    old: Any
    new: Any

    def parts(self) -> list[tuple[str, str, str]]:
        """The change as ``(what, old, new)`` texts, values as JSON: the field; or, where both
        values are mappings (a record's ``source_values`` or ``external_ids``), each key whose
        value changed, as ``field["key"]``, with "(absent)" where a version lacks the key."""
        if not (isinstance(self.old, Mapping) and isinstance(self.new, Mapping)):
            return [(self.field, _render(self.old), _render(self.new))]
        old, new = self.old, self.new
        return [
            (f"{self.field}[{_render(key)}]", _render_in(old, key), _render_in(new, key))
            for key in sorted(old.keys() | new.keys(), key=str)
            if key not in old or key not in new or old[key] != new[key]
        ]

    def lines(self) -> list[str]:
        """The :meth:`parts` as lines, ``what: old -> new``.

        >>> print(FieldChange("source_values", {"a": "1", "b": "2"}, {"a": "1", "c": "3"}))
        source_values["b"]: "2" -> (absent)
        source_values["c"]: (absent) -> "3"
        """
        return [f"{what}: {old} -> {new}" for what, old, new in self.parts()]

    def __str__(self) -> str:
        return "\n".join(self.lines())


@attrs.frozen
class RecordChange:
    """A record present in both versions with different contents.

    ``fields`` lists the changed fields by name; a record whose type changed (an event that
    became an engagement) has a ``type`` change, and the fields of both types are compared.
    """

    old: Record
    new: Record
    fields: tuple[FieldChange, ...]

    @property
    def key(self) -> RecordKey:
        return (self.new.collection, self.new.id)

    def __str__(self) -> str:
        lines = [f"  {_named(self.new)}"]
        lines.extend(f"    {line}" for change in self.fields for line in change.lines())
        return "\n".join(lines)


def _named(record: Record) -> str:
    """The record's label, with its name where it has one (an actor's, a place's)."""
    name = getattr(record, "name", None)
    return record.label if not isinstance(name, str) else f"{record.label} ({name})"


def _render_in(mapping: Mapping[Any, Any], key: Any) -> str:
    return _render(mapping[key]) if key in mapping else "(absent)"


def _render(value: Any) -> str:
    if isinstance(value, type):
        return value.__name__
    plain = converter.unstructure(value)
    return orjson.dumps(plain, option=orjson.OPT_SORT_KEYS).decode()


def _field_values(record: Record) -> dict[str, Any]:
    return {
        field.name: getattr(record, field.name)
        for field in attrs.fields(type(record))
        if field.name != "id"
    }


def field_changes(
    old: Record, new: Record, *, ignore: Collection[str] = ()
) -> tuple[FieldChange, ...]:
    """The fields whose values differ between two versions of one record, by field name.

    >>> import conflictmodel as cm
    >>> a = cm.Event(id="e", when="2020-02")
    >>> b = cm.Event(id="e", when="2020-02-06", where=None)
    >>> field_changes(a, b)
    (FieldChange(field='when', old=when('2020-02'), new=when('2020-02-06')),)
    """
    before, after = _field_values(old), _field_values(new)
    changes = [
        FieldChange(name, before.get(name), after.get(name))
        for name in sorted(before.keys() | after.keys())
        if name not in ignore and before.get(name) != after.get(name)
    ]
    if type(old) is not type(new):
        changes.insert(0, FieldChange(_TYPE, type(old), type(new)))
    return tuple(changes)


@attrs.frozen(repr=False)
class Diff:
    """The differences between an ``old`` and a ``new`` dataset.

    ``added`` and ``removed`` hold whole records; ``changed`` maps each record's
    ``(collection, id)`` to its :class:`RecordChange`. Records equal in both are not listed.
    Its ``repr`` counts them; printed, it lists them; in a notebook, a table shows the first.
    """

    added: tuple[Record, ...]
    removed: tuple[Record, ...]
    changed: Mapping[RecordKey, RecordChange] = attrs.field(converter=immutabledict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def __len__(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)

    def changed_fields(self) -> dict[str, int]:
        """How many changed records changed each field, most often changed first."""
        counts: dict[str, int] = {}
        for change in self.changed.values():
            for field in change.fields:
                counts[field.field] = counts.get(field.field, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def apply(self, old: Dataset) -> Dataset:
        """``old`` with this diff's changes made: the ``new`` it was computed against."""
        if not isinstance(old, Dataset):
            raise ValidationError(f"Diff.apply() takes a Dataset, got {type(old).__name__}")
        dropped = {(r.collection, r.id) for r in self.removed} | set(self.changed)
        kept = [r for r in old.records() if (r.collection, r.id) not in dropped]
        return Dataset([*kept, *(c.new for c in self.changed.values()), *self.added])

    def rows(self) -> Iterator[dict[str, str]]:
        """One row per added or removed record and per changed field, values as JSON text."""
        for record in self.added:
            yield _row("added", record)
        for record in self.removed:
            yield _row("removed", record)
        for change in self.changed.values():
            for field in change.fields:
                yield {
                    **_row("changed", change.new),
                    "field": field.field,
                    "old": _render(field.old),
                    "new": _render(field.new),
                }

    def to_frame(self) -> pd.DataFrame:
        """The rows of :meth:`rows` as a pandas DataFrame (needs pandas, the ``frames`` extra)."""
        import pandas as pd

        columns = ["change", "collection", "id", "field", "old", "new"]
        return pd.DataFrame(list(self.rows()), columns=columns)

    def _counts(self) -> str:
        return (
            f"{len(self.changed):,} changed, {len(self.added):,} added, "
            f"{len(self.removed):,} removed"
        )

    def __repr__(self) -> str:
        return f"<Diff: {self._counts()}>"

    def _repr_html_(self) -> str:
        from conflictmodel._html import html_table

        def rows() -> Iterator[tuple[str, str, str, str, str]]:
            for change in self.changed.values():
                for field in change.fields:
                    for what, old, new in field.parts():
                        yield "changed", _named(change.new), what, old, new
            for verb, records in (("added", self.added), ("removed", self.removed)):
                for record in records:
                    yield verb, _named(record), "", "", ""

        total = len(self.added) + len(self.removed)
        total += sum(len(f.parts()) for c in self.changed.values() for f in c.fields)
        headers = ["change", "record", "field", "old", "new"]
        return html_table(f"Diff: {self._counts()}", headers, rows(), total=total)

    def __str__(self) -> str:
        lines = [self._counts()]
        lines.extend(str(change) for change in self.changed.values())
        lines.extend(f"  added {_named(record)}" for record in self.added)
        lines.extend(f"  removed {_named(record)}" for record in self.removed)
        return "\n".join(lines)


def _row(change: str, record: Record) -> dict[str, str]:
    return {"change": change, "collection": record.collection, "id": record.id}


def _keyed(ds: Dataset) -> dict[RecordKey, Record]:
    return {(record.collection, record.id): record for record in ds.records()}


def diff(old: Dataset, new: Dataset, *, ignore: Collection[str] = ()) -> Diff:
    """What changed from ``old`` to ``new``: records added, removed, and changed field by field.

    Records are matched by collection and id; order within the datasets does not matter.
    ``diff(a, a)`` is empty, and ``diff(a, b).apply(a) == b``. Fields named in ``ignore`` (such
    as ``"source_values"``, which differ whenever a release adds columns) are not compared, so a
    record differing only there is not listed and :meth:`Diff.apply` keeps its old version.
    """
    if isinstance(ignore, str):
        raise ValidationError(
            f"diff() ignore: expected a collection of field names, got {ignore!r}"
        )
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, Dataset):
            raise ValidationError(f"diff() {name}: expected a Dataset, got {type(value).__name__}")
    before, after = _keyed(old), _keyed(new)
    classes = {*registry.record_types().values(), *map(type, before.values())}
    classes.update(map(type, after.values()))
    known = {field.name for cls in classes for field in attrs.fields(cls)}
    unknown = sorted(set(ignore) - known)
    if unknown:
        raise ValidationError(
            f"diff() ignore: {', '.join(map(repr, unknown))} is not a field of any record "
            f"(fields: {', '.join(sorted(known - {'id'}))})"
        )
    return Diff(
        added=tuple(after[key] for key in sorted(after.keys() - before.keys())),
        removed=tuple(before[key] for key in sorted(before.keys() - after.keys())),
        changed={
            key: RecordChange(before[key], after[key], fields)
            for key in sorted(before.keys() & after.keys())
            if before[key] != after[key]
            and (fields := field_changes(before[key], after[key], ignore=ignore))
        },
    )
