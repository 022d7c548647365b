"""When each record entered a dataset, and what it said before it was edited or withdrawn.

Conflict data is living data: ACLED edits and deletes events every week, each UCDP GED release
revises earlier events. A :class:`Version` is one state of one record: the record as it was,
when it was ``recorded``, the ``release`` it came in, and ``until`` when it stopped being
current (superseded by the next version, or ``withdrawn``). A dataset's
:attr:`~conflictmodel.Dataset.history` keeps every version of every record that has more than
one or carries a date; its collections hold only the current ones.
:meth:`~conflictmodel.Dataset.as_of` gives the dataset as it was known at a moment; a record
with no recorded date counts from the earliest moment it shows itself (:func:`known_from`).

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
from conflictmodel.agreements import Agreement
from conflictmodel.errors import Problem, ValidationError
from conflictmodel.events import Event
from conflictmodel.records import Record, referenced_ids
from conflictmodel.sources import Source
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
    """One version of a record: current from ``recorded`` (``None``: undated, which
    :meth:`~conflictmodel.Dataset.as_of` counts from :func:`known_from` its record) ``until``
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

    @property
    def bare(self) -> bool:
        """Whether this version says nothing beyond its record (undated, in no release,
        current): a dataset's history leaves such a version out.

        >>> import conflictmodel as cm
        >>> cm.Version(record=cm.Actor(id="a", name="A", kind="state")).bare
        True
        """
        return self.recorded is None and self.release is None and self.current

    def known_at(self, moment: datetime.datetime) -> bool:
        """Whether this was the current version at ``moment`` (an undated one counts from the
        start here; :meth:`~conflictmodel.Dataset.as_of` dates it by :func:`known_from`)."""
        started = self.recorded is None or self.recorded <= moment
        return started and (self.until is None or moment < self.until)


def misfiled(key: RecordKey, record: Record) -> str | None:
    """What is wrong when a history entry for ``key`` holds ``record`` as its version: that
    it is another record's (``None``: it is this one's)."""
    if (record.collection, record.id) == key:
        return None
    return f"holds {record.label}, not the {key[0]} record {key[1]!r}"


def recordless(key: RecordKey) -> str:
    """What is wrong with a history entry for ``key`` that holds no record (a current
    version's) when the dataset has no record ``key`` either."""
    return f"a version without a record, and {key[0]} has no record {key[1]!r}"


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
        ordered = sorted(listed, key=_order) if len(listed) > 1 else listed
        last = ordered[-1]
        wrong: list[str] = []
        for earlier, later in itertools.pairwise(ordered):
            if later.recorded is None:
                wrong.append("only the first version may be undated")
            elif earlier.until is None or earlier.until > later.recorded:
                ended = "never ends" if earlier.until is None else f"ends {earlier.until}"
                wrong.append(f"a version {ended} after the next was recorded ({later.recorded})")
        live = tables.get(key[0], {}).get(key[1])
        if live is None and last.current:
            wrong.append("its current version is not in the dataset")
        elif live is not None and not last.current:
            wrong.append(f"it is in the dataset, but its last version ended {last.until}")
        elif live is not None and last.record is not live and last.record != live:
            wrong.append("its current version differs from the record held")
        problems.extend(Problem(last.record.label, "history", message) for message in wrong)
        if len(ordered) > 1 or not ordered[0].bare:
            history[key] = tuple(ordered)
    return history, problems


def _made(record: Record) -> datetime.datetime | None:
    """When a record with a ``made`` span (a claim, an assessment) was certainly made."""
    made = getattr(record, "made", None)
    if not isinstance(made, TimeSpan):
        return None
    day = made.end or made.start
    return None if day is None else to_moment(datetime.date(day.year, day.month, day.day))


def _first(span: TimeSpan | None) -> datetime.datetime | None:
    """The first moment of ``span``: its first instant, or its first day from midnight UTC
    (``None``: no span, or one open at the start)."""
    if span is None or span.start is None:
        return None
    if span.start_time is not None:
        moment = span.start_time.astimezone(datetime.UTC)
        return datetime.datetime.combine(moment.date(), moment.timetz())
    return to_moment(datetime.date(span.start.year, span.start.month, span.start.day))


def known_from(
    record: Record, sources: Mapping[str, Record] | None = None
) -> datetime.datetime | None:
    """The earliest moment ``record`` can have been known, as the record itself shows it
    (``None``: from the start); :meth:`~conflictmodel.Dataset.as_of` counts a record without a
    recorded date from then.

    - an event: from the first day of its sources' ``published`` dates (looked up in
      ``sources``), and never before its ``when`` begins, since nothing is reported before it
      happens; with no dated source, from the start of ``when``;
    - an agreement: from its ``signed`` date, else from the start of its ``effective`` span;
    - a source: from its ``published`` date;
    - a claim or an assessment: from the day it was certainly made (the last day of ``made``);
    - anything else (actors, relations, places), or a record with none of these dates: from
      the start.

    >>> import conflictmodel as cm
    >>> from conflictmodel.vintages import known_from
    >>> ds = cm.examples.idlib_2020()
    >>> str(known_from(ds.agreements["idlib-ceasefire-2020"]))
    '2020-01-12 00:00:00+00:00'
    >>> known_from(ds.events["turkish-invasion-2019"], ds.sources).date()
    datetime.date(2020, 2, 6)
    >>> known_from(ds.events["turkish-invasion-2019"]).date()
    datetime.date(2019, 1, 1)
    >>> known_from(ds.actors["syria"]) is None
    True
    """
    if isinstance(record, Event):
        begins = _first(record.when)
        held = sources or {}
        published = [
            moment
            for source in record.sources
            if (moment := _first(getattr(held.get(source), "published", None))) is not None
        ]
        if not published:
            return begins
        first = min(published)
        return first if begins is None else max(first, begins)
    if isinstance(record, Agreement):
        return _first(record.signed) if record.signed is not None else _first(record.effective)
    if isinstance(record, Source):
        return _first(record.published)
    return _made(record)


def _ending_after(version: Version, moment: datetime.datetime) -> Version:
    if version.until is None or version.until <= moment:
        return version
    return attrs.evolve(version, until=None, withdrawn=False)


def as_of(ds: Dataset, moment: Moment) -> Dataset:
    """The dataset as it was known at ``moment``; see :meth:`conflictmodel.Dataset.as_of`.

    A version with a recorded date counts from that date; one without, from
    :func:`known_from` its record.
    """
    limit = to_moment(moment, end_of_day=True)
    history = ds.history
    cited: dict[str, Record] = {
        key[1]: listed[-1].record for key, listed in history.items() if key[0] == "sources"
    }
    cited.update(ds.sources)

    def known(record: Record, recorded: datetime.datetime | None = None) -> bool:
        since = known_from(record, cited) if recorded is None else recorded
        return since is None or since <= limit

    kept: dict[RecordKey, Record] = {}
    versions: dict[RecordKey, list[Version]] = {}
    for record in ds.records():
        key = (record.collection, record.id)
        if key not in history and known(record):
            kept[key] = record
    for key, listed in history.items():
        current = [_ending_after(v, limit) for v in listed if known(v.record, v.recorded)]
        if not current:
            continue
        if current[-1].current:
            kept[key] = current[-1].record
        versions[key] = current
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
