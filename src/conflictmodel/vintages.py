"""When each record entered a dataset, and what it said before it was edited or withdrawn.

Conflict data is living data: ACLED edits and deletes events every week, each UCDP GED release
revises earlier events. A :class:`Version` is one state of one record: the record as it was,
when it was ``recorded``, the ``release`` it came in, and ``until`` when it stopped being
current (superseded by the next version, or ``withdrawn``). A dataset's
:attr:`~conflictmodel.Dataset.history` keeps every version of every record that has more than
one or carries a date; its collections hold only the current ones.
:meth:`~conflictmodel.Dataset.as_of` gives the dataset as it was known at a moment.

>>> import conflictmodel as cm
>>> v1 = cm.Dataset().updated([cm.Event(id="e", when="2020-02")], recorded="2020-03-01")
>>> v2 = v1.updated([cm.Event(id="e", when="2020-02-06")], recorded="2020-04-01")
>>> [str(v.record.when) for v in v2.versions("events", "e")]
['2020-02', '2020-02-06']
>>> str(v2.as_of("2020-03-15").events["e"].when)
'2020-02'
>>> len(v2.as_of("2020-02-28"))
0
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from conflictmodel._checks import describe, instance, optional_text
from conflictmodel.errors import Problem, ValidationError
from conflictmodel.records import Record, referenced_ids
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    from conflictmodel.dataset import Dataset

RecordKey = tuple[str, str]
"""``(collection, id)``: ids are unique within a collection, so this names one record."""

Moment = datetime.datetime | datetime.date | str
"""A point in time as the functions here accept it: an aware or UTC datetime, a day, ISO text."""

_END_OF_DAY = datetime.time.max.replace(tzinfo=datetime.UTC)


def to_moment(value: Moment, *, end_of_day: bool = False) -> datetime.datetime:
    """``value`` as an aware UTC datetime; a day is its first instant (or its last).

    Naive datetimes are taken as UTC; text is an ISO date or date and time.

    >>> from conflictmodel.vintages import to_moment
    >>> to_moment("2020-02-06")
    datetime.datetime(2020, 2, 6, 0, 0, tzinfo=datetime.timezone.utc)
    >>> to_moment("2020-02-06T13:00:00+02:00")
    datetime.datetime(2020, 2, 6, 11, 0, tzinfo=datetime.timezone.utc)
    """
    if isinstance(value, str):
        try:
            parsed: datetime.date = datetime.datetime.fromisoformat(value.strip())
            if len(value.strip()) == 10:
                parsed = parsed.date() if isinstance(parsed, datetime.datetime) else parsed
        except ValueError:
            raise ValidationError(
                f"{value!r} is not an ISO date or date and time (2020-02-06, 2020-02-06T13:00Z)"
            ) from None
        value = parsed
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC)
    if isinstance(value, datetime.date):
        at = _END_OF_DAY if end_of_day else datetime.time(tzinfo=datetime.UTC)
        return datetime.datetime.combine(value, at)
    raise ValidationError(f"expected a date, a datetime or ISO text, got {describe(value)}")


def to_optional_moment(value: Moment | None) -> datetime.datetime | None:
    """:func:`to_moment` of ``value``, ``None`` kept; anything else is left for a validator."""
    if value is None or not isinstance(value, str | datetime.date):
        return value
    return to_moment(value)


def _check_until(version: Version, attribute: attrs.Attribute[Any], until: object) -> None:
    if until is None:
        if version.withdrawn:
            raise ValidationError(f"Version of {version.record.label}: withdrawn needs an until")
        return
    recorded = version.recorded
    if recorded is not None and isinstance(until, datetime.datetime) and until < recorded:
        raise ValidationError(
            f"Version of {version.record.label}.until: {until.isoformat()} is before it was "
            f"recorded ({recorded.isoformat()})"
        )


@attrs.frozen(kw_only=True)
class Version:
    """One version of a record: current from ``recorded`` (``None``: from the start) ``until``
    (``None``: still current), in ``release`` ("GED 19.1"); ``withdrawn`` when it ended with
    the record taken out of the dataset rather than replaced.

    >>> import conflictmodel as cm
    >>> v = Version(record=cm.Event(id="e", when="2020"), recorded="2020-03-01", release="r1")
    >>> v.recorded.isoformat(), v.current
    ('2020-03-01T00:00:00+00:00', True)
    """

    record: Record = attrs.field(validator=instance(Record))
    recorded: datetime.datetime | None = attrs.field(
        default=None,
        converter=to_optional_moment,
        validator=instance(datetime.datetime, optional=True),
    )
    release: str | None = attrs.field(default=None, validator=optional_text)
    until: datetime.datetime | None = attrs.field(
        default=None,
        converter=to_optional_moment,
        validator=instance(datetime.datetime, optional=True),
    )
    withdrawn: bool = attrs.field(default=False, validator=instance(bool))

    def __attrs_post_init__(self) -> None:
        _check_until(self, attrs.fields(Version).until, self.until)

    @property
    def key(self) -> RecordKey:
        return (self.record.collection, self.record.id)

    @property
    def current(self) -> bool:
        """Whether this version has not ended (it is the record the dataset holds)."""
        return self.until is None

    def known_at(self, moment: datetime.datetime) -> bool:
        """Whether this was the current version at ``moment``."""
        started = self.recorded is None or self.recorded <= moment
        return started and (self.until is None or moment < self.until)


def _order(version: Version) -> tuple[bool, datetime.datetime]:
    return (version.recorded is not None, version.recorded or datetime.datetime.min)


def check_history(
    tables: Mapping[str, Mapping[str, Record]], versions: Iterable[Version]
) -> tuple[dict[RecordKey, tuple[Version, ...]], list[Problem]]:
    """The versions grouped by record, oldest first, and every problem with them.

    Each record's versions follow each other in time (one ends before the next starts; only
    the first may lack a recorded date), every version but the last has ended, and the last is
    the record the dataset holds, unchanged, exactly when it has not ended.
    """
    grouped: dict[RecordKey, list[Version]] = defaultdict(list)
    problems: list[Problem] = []
    for position, version in enumerate(versions):
        if not isinstance(version, Version):
            raise ValidationError(
                f"Dataset() history item {position}: expected a Version, got {describe(version)}"
            )
        grouped[version.key].append(version)
    history: dict[RecordKey, tuple[Version, ...]] = {}
    for key, listed in grouped.items():
        ordered = sorted(listed, key=_order)
        label = ordered[-1].record.label
        for earlier, later in itertools.pairwise(ordered):
            if later.recorded is None:
                problems.append(Problem(label, "history", "only the first version may be undated"))
            elif earlier.until is None or earlier.until > later.recorded:
                ended = "never ends" if earlier.until is None else f"ends {earlier.until}"
                problems.append(
                    Problem(
                        label,
                        "history",
                        f"a version {ended} after the next was recorded ({later.recorded})",
                    )
                )
        live = tables.get(key[0], {}).get(key[1])
        last = ordered[-1]
        if live is None and last.current:
            problems.append(Problem(label, "history", "its current version is not in the dataset"))
        elif live is not None and not last.current:
            problems.append(
                Problem(
                    label,
                    "history",
                    f"it is in the dataset, but its last version ended {last.until}",
                )
            )
        elif live is not None and last.record != live:
            problems.append(
                Problem(label, "history", "its current version differs from the record held")
            )
        if len(ordered) > 1 or ordered[0] != Version(record=ordered[0].record):
            history[key] = tuple(ordered)
    return history, problems


def _made(record: Record) -> datetime.datetime | None:
    """When a record with a ``made`` span (a claim, an assessment) was certainly made."""
    made = getattr(record, "made", None)
    if not isinstance(made, TimeSpan):
        return None
    day = made.end or made.start
    return None if day is None else to_moment(datetime.date(day.year, day.month, day.day))


def _ending_after(version: Version, moment: datetime.datetime) -> Version:
    if version.until is None or version.until <= moment:
        return version
    return attrs.evolve(version, until=None, withdrawn=False)


def as_of(ds: Dataset, moment: Moment) -> Dataset:
    """The dataset as it was known at ``moment``; see :meth:`conflictmodel.Dataset.as_of`."""
    limit = to_moment(moment, end_of_day=True)
    history = ds.history
    kept: dict[RecordKey, Record] = {}
    versions: dict[RecordKey, list[Version]] = {}
    for record in ds.records():
        key = (record.collection, record.id)
        if key in history:
            continue
        made = _made(record)
        if made is None or made <= limit:
            kept[key] = record
    for key, listed in history.items():
        known = [
            _ending_after(v, limit) for v in listed if v.recorded is None or v.recorded <= limit
        ]
        if not known:
            continue
        if known[-1].current:
            kept[key] = known[-1].record
        versions[key] = known
    dropped = True
    while dropped:
        missing = [
            key
            for key, record in kept.items()
            if any(target not in kept for target in referenced_ids(record))
        ]
        dropped = bool(missing)
        for key in missing:
            del kept[key]
            ended = [v for v in versions.get(key, ()) if not v.current]
            if ended:
                versions[key] = ended
            else:
                versions.pop(key, None)
    return type(ds)(kept.values(), history=[v for listed in versions.values() for v in listed])


def _stamped(
    newer: Dataset | Iterable[Record | Version], recorded: Moment | None, release: str | None
) -> list[Version]:
    from conflictmodel.dataset import Dataset

    if isinstance(newer, Dataset):
        history = newer.history
        return [
            history[key][-1]
            if (key := (record.collection, record.id)) in history
            else Version(record=record, recorded=recorded, release=release)
            for record in newer.records()
        ]
    if isinstance(newer, Record | str | bytes) or not isinstance(newer, Iterable):
        raise ValidationError(f"updated() takes a Dataset or records, got {describe(newer)}")
    return [
        item
        if isinstance(item, Version)
        else Version(record=item, recorded=recorded, release=release)
        for item in newer
    ]


def updated(
    ds: Dataset,
    newer: Dataset | Iterable[Record | Version],
    *,
    recorded: Moment | None = None,
    release: str | None = None,
) -> tuple[Dataset, list[RecordKey], list[RecordKey]]:
    """``ds`` updated by ``newer``, with the keys added and the keys edited; see
    :meth:`conflictmodel.Dataset.updated`."""
    history = {key: list(listed) for key, listed in ds.history.items()}
    tables = {(r.collection, r.id): r for r in ds.records()}
    added: list[RecordKey] = []
    edited: list[RecordKey] = []
    for version in _stamped(newer, recorded, release):
        key = version.key
        old = tables.get(key)
        if old == version.record:
            continue
        listed = history.setdefault(key, [])
        if (old is not None or listed) and version.recorded is None:
            raise ValidationError(
                f"{version.record.label}: a new version of a record needs a recorded date"
            )
        if old is not None:
            if not listed:
                listed.append(Version(record=old))
            listed[-1] = attrs.evolve(listed[-1], until=version.recorded)
            edited.append(key)
        else:
            added.append(key)
        listed.append(version)
        tables[key] = version.record
    versions = [v for listed in history.values() for v in listed]
    return type(ds)(tables.values(), history=versions), added, edited


def withdraw(ds: Dataset, keys: Iterable[RecordKey], *, at: Moment) -> Dataset:
    """``ds`` without these records, each kept in the history as withdrawn ``at``."""
    moment = to_moment(at)
    history = {key: list(listed) for key, listed in ds.history.items()}
    tables = {(r.collection, r.id): r for r in ds.records()}
    for key in keys:
        record = tables.pop(key, None)
        if record is None:
            raise ValidationError(
                f"cannot withdraw {key[0]} {key[1]!r}: the dataset has no such record"
            )
        listed = history.setdefault(key, [Version(record=record)])
        listed[-1] = attrs.evolve(listed[-1], until=moment, withdrawn=True)
    return type(ds)(tables.values(), history=[v for listed in history.values() for v in listed])
