"""Import ACLED's CSV export (the columns of the ACLED codebook).

Each row becomes an event with id ``acled-<event_id_cnty>``:

- Sub-event types of violence become :class:`~conflictmodel.Engagement` records: armed clash →
  armed clash; government regains territory, non-state actor overtakes territory and
  non-violent transfer of territory → capture (control passes to actor 1, from actor 2 when
  named); air/drone strike → airstrike; shelling/
  artillery/missile attack → shelling; remote explosive/landmine/IED and grenade → explosive;
  suicide bomb → suicide bombing; chemical weapon → chemical attack; attack, excessive force
  against protesters and mob violence → attack; sexual violence; abduction/forced
  disappearance → abduction; disrupted weapons use → interception. Every other sub-event type
  (peaceful protest, violent demonstration, agreement, arrests, ...) becomes a plain
  :class:`~conflictmodel.Event`: an agreement coded as a strategic development is an event, not
  an invented :class:`~conflictmodel.Agreement`.
- ``actor1`` and ``actor2`` are the two sides, as actors ``acled-actor-<slug of name>``. ACLED's
  actor order implies no direction, so an armed clash keeps ``initiators`` empty and lists both
  in ``targets``; in every other engagement actor 1 acts on actor 2. The actors of
  ``assoc_actor_1`` / ``assoc_actor_2`` (";"-separated) are :class:`~conflictmodel.Associate`
  entries of their side's actor, not initiators or targets (with no main actor on that side,
  they stand for the side). ``inter1`` / ``inter2`` give the actor's kind, as numbers (1–8) or
  text ("State forces", ...): state forces, rebel group, militia (political or identity), other
  (rioters, protesters), civilians; external/other forces, and associated actors, which have no
  code, are state forces or a state when the name says so ("Military Forces of ...", "Government
  of ..."), civilians for "Civilians ...", and other otherwise. An actor keeps the kind of the
  first row that codes it.
- ``fatalities`` is ACLED's unattributed event total, an estimate (the most conservative a
  report gives; "estimates only", ACLED says), so a best figure with no range:
  ``Casualties(None, killed=Estimate.best_only(n))``.
- ``event_date`` at ``time_precision`` 1 is that day; 2 (a week) the seven days centred on it;
  3 (a month) its calendar month. Dates read as YYYY-MM-DD, DD-MM-YYYY or "06 February 2020".
  ACLED gives no time of day: ``timestamp`` is when the row was last changed, so it is kept
  (below) and the event stays a date.
- ``country`` / ``admin1`` / ``admin2`` / ``admin3`` become a location hierarchy with ``location``
  within it at ``latitude`` / ``longitude`` (a town, or an area at ``geo_precision`` 3);
  ``geo_precision`` becomes :attr:`~conflictmodel.Event.where_precision`: 1 exact (the town),
  2 near (a part of a region, near the town named), 3 region (only a larger region is known);
  ``source`` is split on ";" into sources; ``notes`` is the description. Where
  ``source_scale`` names one kind of source for the row ("New media": social media, "Local
  partner": a monitor), its sources get that :class:`~conflictmodel.SourceKind`, unless rows
  disagree; geographic scales ("National", "Regional", ...) say nothing of the kind.
- ``timestamp`` (Unix time: when ACLED last edited the row) is when the event's version was
  recorded, in the dataset's :attr:`~conflictmodel.Dataset.history`.
- Every other non-empty column (``event_type``, ``sub_event_type``, ``inter1``, ``interaction``,
  ``geo_precision``, ``source_scale``, ``tags``, ...) is kept in
  :attr:`~conflictmodel.Event.source_values`, as are the actor columns and ``fatalities`` of
  plain events, which have no field for them.

:func:`update` applies a newer export, and ACLED's list of deleted events, to a dataset read
earlier: edited rows become new versions of their events, deleted events are withdrawn, and
the earlier versions stay in the history for :meth:`~conflictmodel.Dataset.as_of`.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import functools
import operator
import os
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
import pycountry
from immutabledict import immutabledict

from conflictmodel import vintages
from conflictmodel._bulk import Builder, Coded, numbered
from conflictmodel._checks import describe
from conflictmodel.actors import Actor, ActorKind
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import (
    Associate,
    Casualties,
    ControlChange,
    Engagement,
    EngagementKind,
    Event,
)
from conflictmodel.io._csvfile import (
    BadRow,
    CsvRows,
    CsvTable,
    Parsed,
    checked_events,
    combined,
    first_reasons,
    import_csv,
    refusal_reasons,
    text_count,
    text_named,
    text_point,
    text_unix_time,
)
from conflictmodel.io._gazetteer import Gazetteer, slug
from conflictmodel.io._progress import Progress
from conflictmodel.io.report import Errors, ImportResult, ReportBuilder
from conflictmodel.places import LocationKind, PlacePrecision
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.sources import Source, SourceKind
from conflictmodel.timespans import Precision, TimeSpan
from conflictmodel.vintages import Moment, RecordKey, Version, to_moment

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from conflictmodel.tables import layout
    from conflictmodel.tables.lazy import Stamps

__all__ = ["REQUIRED_COLUMNS", "read_acled", "update"]

REQUIRED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "fatalities",
)
"""The columns an ACLED export must have: :func:`read_acled` refuses a file that lacks one,
and ``conflictmodel import`` without a source takes a file that has them all for ACLED's."""
_ACTOR_COLUMNS = frozenset({"actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "fatalities"})
_PLACE_COLUMNS = frozenset(
    {"country", "iso", "iso3", "admin1", "admin2", "admin3", "location", "latitude", "longitude"}
)
_SCALE_KINDS: dict[str, SourceKind] = {
    "new media": SourceKind.SOCIAL_MEDIA,
    "local partner": SourceKind.MONITOR,
}
"""``source_scale`` values that name the kind of the row's sources."""

_MAPPED = (
    frozenset({"event_id_cnty", "event_date", "source", "notes", "timestamp"}) | _PLACE_COLUMNS
)

_K = EngagementKind
_SUB_EVENT_KINDS = {
    "armed clash": _K.ARMED_CLASH,
    "government regains territory": _K.CAPTURE,
    "non-state actor overtakes territory": _K.CAPTURE,
    "non-violent transfer of territory": _K.CAPTURE,
    "chemical weapon": _K.CHEMICAL_ATTACK,
    "air/drone strike": _K.AIRSTRIKE,
    "suicide bomb": _K.SUICIDE_BOMBING,
    "shelling/artillery/missile attack": _K.SHELLING,
    "remote explosive/landmine/ied": _K.EXPLOSIVE,
    "grenade": _K.EXPLOSIVE,
    "sexual violence": _K.SEXUAL_VIOLENCE,
    "attack": _K.ATTACK,
    "abduction/forced disappearance": _K.ABDUCTION,
    "excessive force against protesters": _K.ATTACK,
    "excessive force against protestors": _K.ATTACK,
    "mob violence": _K.ATTACK,
    "disrupted weapons use": _K.INTERCEPTION,
}
# External/other forces (8) take their kind from the name: "Military Forces of Turkey (2016-)".
_INTER: dict[str, ActorKind | None] = {
    "1": ActorKind.STATE_FORCES,
    "2": ActorKind.REBEL_GROUP,
    "3": ActorKind.MILITIA,
    "4": ActorKind.MILITIA,
    "5": ActorKind.OTHER,
    "6": ActorKind.OTHER,
    "7": ActorKind.CIVILIANS,
    "8": None,
    "state forces": ActorKind.STATE_FORCES,
    "rebel group": ActorKind.REBEL_GROUP,
    "rebel groups": ActorKind.REBEL_GROUP,
    "political militia": ActorKind.MILITIA,
    "political militias": ActorKind.MILITIA,
    "identity militia": ActorKind.MILITIA,
    "identity militias": ActorKind.MILITIA,
    "rioters": ActorKind.OTHER,
    "protesters": ActorKind.OTHER,
    "civilians": ActorKind.CIVILIANS,
    "external/other forces": None,
}
_GEO_PRECISION = {
    "1": PlacePrecision.EXACT,
    "2": PlacePrecision.NEAR,
    "3": PlacePrecision.REGION,
}
_WHERE_COLUMNS = (
    "country",
    "iso",
    "iso3",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "geo_precision",
    "latitude",
    "longitude",
)
"""The columns that say where an event was."""
_SIDE_COLUMNS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2")
_Side = tuple[tuple[str, ...], tuple[Associate, ...], tuple[str, str, ActorKind] | None]
"""A side's actors, its associates, and ``(column, actor, kind)`` when a column codes its kind."""
_Parties = tuple[tuple[str, ...], tuple[str, ...], tuple[Associate, ...]]
"""An engagement's initiators, targets and associates."""
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")


def _layout(header: Sequence[str]) -> str:
    """The report's name for the file's layout."""
    return f"ACLED export, {len(header)} columns"


def _coordinates_note(header: Sequence[str]) -> str | None:
    """What the report notes of a file without coordinates: its events are at places without
    a point, which no map or distance can use (``None`` when it has them)."""
    missing = [column for column in ("latitude", "longitude") if column not in header]
    if not missing:
        return None
    return (
        f"no {' or '.join(missing)} column, so no coordinates were given and no event has a point"
    )


@attrs.define
class _ActorSpec:
    name: str
    kind: ActorKind | None


@attrs.define
class _Taken:
    """Rows taken as events of one class, to be built together: each row's index, and the
    arguments worked out in file order (as they depend on the rows before), as lists or in
    :attr:`coded`."""

    rows: list[int] = attrs.Factory(list)
    where: list[str] = attrs.Factory(list)
    sources: list[tuple[str, ...]] = attrs.Factory(list)
    kept: list[immutabledict[str, str]] = attrs.Factory(list)
    parties: list[_Parties] = attrs.Factory(list)
    """Engagements only, as is ``captured``."""
    captured: list[ControlChange | None] = attrs.Factory(list)
    coded: dict[str, Coded] = attrs.Factory(dict)
    """Arguments given instead as distinct ones and each row's number, by keyword."""


def _date(text: str) -> datetime.date:
    for form in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise BadRow(f"event_date: {text!r} is not a date (YYYY-MM-DD, DD-MM-YYYY or 06 February 2020)")


def _span(event_date: str, time_precision: str) -> TimeSpan:
    day = _date(event_date)
    precision = time_precision.strip() or "1"
    if precision == "1":
        return TimeSpan.day(day)
    if precision == "2":
        week = datetime.timedelta(days=3)
        try:
            return TimeSpan(day - week, day + week, Precision.DAY)
        except OverflowError:
            raise BadRow(
                f"event_date: the week around {day} (time_precision 2) runs past the calendar"
            ) from None
    if precision == "3":
        last = calendar.monthrange(day.year, day.month)[1]
        return TimeSpan(day.replace(day=1), day.replace(day=last), Precision.MONTH)
    raise BadRow(f"time_precision: {precision!r} is not 1 (day), 2 (week) or 3 (month)")


def _inter(code: str, column: str) -> ActorKind | None:
    code = code.strip()
    if not code or code == "0":
        return None
    key = code.casefold()
    if key not in _INTER:
        raise BadRow(
            f"{column}: {code!r} is not an ACLED actor type (1-8, or a name such as 'State forces')"
        )
    return _INTER[key]


def _fatalities(text: str) -> tuple[Casualties]:
    """ACLED's unattributed total, as the event's one casualty entry."""
    return (Casualties(None, killed=Estimate.best_only(text_count(text, "fatalities"))),)


def _geo_precision(code: str) -> tuple[PlacePrecision | None, LocationKind]:
    """The event's ``where_precision``, and the kind of the place named in ``location``."""
    code = code.strip()
    if code and code not in _GEO_PRECISION:
        raise BadRow(f"geo_precision: {code!r} is not 1, 2 or 3")
    return _GEO_PRECISION.get(code), LocationKind.AREA if code == "3" else LocationKind.TOWN


def _sub_event_kind(sub_event_type: str) -> EngagementKind | None:
    return _SUB_EVENT_KINDS.get(sub_event_type.strip().casefold())


def _country_codes(numeric: str, alpha: str) -> dict[str, str]:
    codes: dict[str, str] = {}
    numeric = numeric.strip()
    if numeric.isascii() and numeric.isdigit() and len(numeric) <= 3:
        codes["iso3166-1-numeric"] = numeric.zfill(3)
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country is not None:
            codes["iso3166-1-alpha-3"] = country.alpha_3
    alpha = alpha.strip()
    if alpha:
        codes["iso3166-1-alpha-3"] = alpha
    return codes


def _side_names(actor: str, associated: str) -> tuple[str, tuple[str, ...]]:
    """A side's main actor and the names of its associated actors."""
    return actor.strip(), tuple(name.strip() for name in associated.split(";"))


def _sources(text: str, scale: str) -> tuple[tuple[Source, ...], SourceKind | None]:
    """The sources named in ``source``, and the kind ``source_scale`` gives them."""
    names = (name for name in dict.fromkeys(part.strip() for part in text.split(";")) if name)
    sources = tuple(Source(id=f"acled-source-{slug(name)}", title=name) for name in names)
    return sources, _SCALE_KINDS.get(scale.strip().casefold())


def _objects(values: list[Any]) -> NDArray[Any]:
    """``values`` as an array of objects (a tuple among them stays one item)."""
    import numpy as np

    return np.fromiter(values, dtype=object, count=len(values))


def _first_made(
    keys: NDArray[Any], rows: NDArray[Any], make: Callable[[int], Any]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """What ``make`` makes of the first of ``rows`` with each of their ``keys``, made in the
    order of those first rows (:func:`~conflictmodel._bulk.numbered` numbers keys in order of
    first appearance), and per row of ``rows`` the number of its key's."""
    codes, first = numbered(keys)
    return _objects([make(row) for row in rows[first].tolist()]), codes


def _kept_keys(
    kept: NDArray[Any], engagement: NDArray[Any], points: NDArray[Any], rows: NDArray[Any]
) -> NDArray[Any]:
    """For each of ``rows``, a number for what its event keeps: equal for equal kept
    mappings (by ``kept``, their ``id``), kinds of event and ``points`` (-1: none added)."""
    kept_codes, kept_firsts = numbered(kept[rows])
    point_codes, point_firsts = numbered(points[rows])
    encodings = [
        (len(kept_firsts), kept_codes),
        (2, engagement[rows]),
        (len(point_firsts), point_codes),
    ]
    return combined(encodings, len(rows))


def _guess_kind(name: str) -> ActorKind:
    lowered = name.casefold()
    if lowered.startswith("civilians"):
        return ActorKind.CIVILIANS
    if lowered.startswith(("military forces of", "police forces of")):
        return ActorKind.STATE_FORCES
    if lowered.startswith("government of"):
        return ActorKind.STATE
    return ActorKind.OTHER


class _AcledImport:
    """The records made from the rows of a file: :meth:`prepare` takes every row (or notes
    why it is refused) and builds the events."""

    def __init__(self, report: ReportBuilder) -> None:
        self.report = report
        self.builders: dict[bool, Builder[Event]] = {
            False: Builder(Event),
            True: Builder(Engagement),
        }
        """By whether they are engagements, the builders of the events."""
        self._start()

    def _start(self) -> None:
        """No row taken yet."""
        self.places = Gazetteer("acled")
        self.actors: dict[str, _ActorSpec] = {}
        self.actor_ids: dict[str, str] = {}
        self.sources: dict[str, Source] = {}
        self.source_kinds: dict[str, set[SourceKind | None]] = {}
        self.taken_lines: dict[str, int] = {}
        """The line of the row of each event id taken, as :meth:`_take_each` goes."""
        self.edited: dict[str, datetime.datetime] = {}
        self.plain, self.engaged = _Taken(), _Taken()
        self.refused: dict[int, str] = {}
        """By row, why each row refused is refused."""
        self.fielded: dict[int, immutabledict[str, str]] = {}
        """By the ``id`` of a row's kept cells, those an engagement keeps: not its actors'."""
        self.located: dict[int, tuple[str, bool]] = {}
        self.with_point: dict[tuple[int, int], immutabledict[str, str]] = {}
        """Kept cells with a point's, by the ``id`` of the kept cells and the point's cells."""
        self.captures: dict[tuple[str, str, str | None], ControlChange] = {}
        self.sided: dict[int, tuple[tuple[_Side, _Side], _Parties]] = {}
        self.settled: dict[int, _Parties] = {}
        """The parties of cells whose actors already have the kinds those cells code."""
        self.source_ids: dict[int, tuple[str, ...]] = {}

    def prepare(self, table: CsvTable) -> dict[int, str]:
        self._take(table)
        self.events = self._events()
        return self.refused

    def prepare_columns(self, table: CsvTable) -> dict[int, str]:
        self._take(table)
        self.checked = self._checked_events()
        return self.refused

    def _take(self, table: CsvTable) -> None:
        """Take the rows of ``table``, or note why each refused is refused; the events are
        made (or checked) afterwards, all together."""
        self.table = table
        note = _coordinates_note(table.header)
        if note is not None:
            self.report.note(note)
        span = table.parsed(_span, "event_date", "time_precision")
        point = table.parsed(text_point, "latitude", "longitude")
        edited = table.parsed(functools.partial(text_unix_time, column="timestamp"), "timestamp")
        country = table.parsed(functools.partial(text_named, column="country"), "country")
        casualties = table.parsed(_fatalities, "fatalities")
        geo_precision = table.parsed(_geo_precision, "geo_precision")
        inters = [
            table.parsed(functools.partial(_inter, column=column), column)
            for column in ("inter1", "inter2")
        ]
        self.refusals = first_reasons(
            [span, point, edited, country, casualties, geo_precision, *inters]
        )
        sources = table.parsed(_sources, "source", "source_scale")
        self.source_refusals = first_reasons([sources])
        self.event_ids = [
            f"acled-{raw}" if (raw := text.strip()) else None
            for text in table.texts("event_id_cnty")
        ]
        self.empty_ids = [row for row, event_id in enumerate(self.event_ids) if event_id is None]
        self.edits = edited
        self.kinds = table.parsed(_sub_event_kind, "sub_event_type")
        """Per row, the kind of engagement it records (``None``: a plain event)."""
        self.geo_precisions = geo_precision
        self.arguments: dict[str, Parsed[Any]] = {
            "when": span,
            "description": table.parsed(str.strip, "notes"),
            "where_precision": geo_precision.map(operator.itemgetter(0)),
            "kind": self.kinds,
            "casualties": casualties,
        }
        """The arguments made of a row's own cells, by keyword."""
        # Read at the first row of each combination of cells only.
        self.points, self.countries, self.inters = point, country, inters
        self.codes = table.parsed(_country_codes, "iso", "iso3")
        self.areas = [table.parsed(str.strip, f"admin{n}") for n in "123"]
        self.locations = table.parsed(str.strip, "location")
        self.sources_named = sources
        self.sides = [table.parsed(_side_names, f"actor{n}", f"assoc_actor_{n}") for n in "12"]
        self.kept_columns = list(dict.fromkeys(n for n in table.header if n not in _MAPPED))
        self.kept = table.kept(self.kept_columns)
        self.where_keys = table.combination_numbers(*_WHERE_COLUMNS)
        self.point_keys = table.combination_numbers("latitude", "longitude")
        self.side_keys = table.combination_numbers(*_SIDE_COLUMNS, "sub_event_type")
        self.source_keys = table.combination_numbers("source", "source_scale")
        lines = table.lines.tolist()
        named = len(self.event_ids) - len(self.empty_ids)
        repeated = len(set(self.event_ids) - {None}) < named
        if repeated or not self._take_columns(lines):
            self._take_each(lines)

    def _take_each(self, lines: list[int]) -> None:
        """Take each row in file order, or note why it is refused; the events are built
        afterwards, all together (:meth:`_events`)."""
        refused, event_ids, taken_lines = self.refused, self.event_ids, self.taken_lines
        where_keys, source_keys = self.where_keys.tolist(), self.source_keys.tolist()
        for row, line in enumerate(lines):
            event_id = event_ids[row]
            if event_id is None:
                refused[row] = "event_id_cnty: empty"
                continue
            if event_id in taken_lines and self._stands(event_id):
                refused[row] = (
                    f"event_id_cnty: {event_id.removeprefix('acled-')!r} repeats the event on "
                    f"line {taken_lines[event_id]}"
                )
                continue
            reason = self.refusals.get(row)
            if reason is not None:
                refused[row] = reason
                continue
            try:
                found = self.located.get(where_keys[row])
                if found is None:
                    found = self.located[where_keys[row]] = self._resolve(row)
                where, at_point = found
                kind = self.kinds.value(row)
                kept = self._event_kept(row, kind is not None, at_point)
                reason = self.source_refusals.get(row)
                if reason is not None:
                    refused[row] = reason
                    continue
                sources = self.source_ids.get(source_keys[row])
                if sources is None:
                    sources = self.source_ids[source_keys[row]] = self._sources(
                        *self.sources_named.value(row)
                    )
                taken = self.plain
                if kind is not None:
                    parties, captured = self._engaged(line, event_id, row, kind, where)
                    taken = self.engaged
                    taken.parties.append(parties)
                    taken.captured.append(captured)
            except (BadRow, ValidationError) as error:
                refused[row] = str(error)
                continue
            taken.rows.append(row)
            taken.where.append(where)
            taken.sources.append(sources)
            taken.kept.append(kept)
            taken_lines[event_id] = line

    def _take_columns(self, lines: list[int]) -> bool:
        """Take the rows as :meth:`_take_each` does, for a file whose event ids do not repeat
        (so that no row's fate hangs on another's), column by column: each place, kept
        mapping and set of sources made once, at the first row that needs it. ``False``,
        with nothing taken, when one cannot be made, which :meth:`_take_each` refuses row by
        row."""
        import numpy as np

        refused, rows = self.refused, self.table.rows
        refused.update((row, "event_id_cnty: empty") for row in self.empty_ids)
        for row, reason in self.refusals.items():
            refused.setdefault(row, reason)
        located = np.ones(rows, dtype=bool)
        located[list(refused)] = False
        located_rows = np.flatnonzero(located)
        located[list(self.source_refusals)] = False
        sourced_rows = np.flatnonzero(located)
        engagement = self.kinds.holds(lambda kind: kind is not None)
        codes = {name: np.zeros(rows, dtype=np.int64) for name in ("where", "kept", "sources")}
        try:
            wheres, codes["where"][located_rows] = _first_made(
                self.where_keys[located_rows], located_rows, self._resolve
            )
            at_point = np.zeros(rows, dtype=bool)
            at_point[located_rows] = np.array([at for _, at in wheres.tolist()], dtype=bool)[
                codes["where"][located_rows]
            ]
            kept, codes["kept"][located_rows] = _first_made(
                _kept_keys(
                    np.fromiter(map(id, self.kept), dtype=np.int64, count=rows),
                    engagement,
                    np.where(at_point, -1, self.point_keys),
                    located_rows,
                ),
                located_rows,
                lambda row: self._event_kept(row, bool(engagement[row]), bool(at_point[row])),
            )
            sources, codes["sources"][sourced_rows] = _first_made(
                self.source_keys[sourced_rows],
                sourced_rows,
                lambda row: self._sources(*self.sources_named.value(row)),
            )
            where = [where for where, _ in wheres.tolist()]
            self.plain.rows = sourced_rows[~engagement[sourced_rows]].tolist()
            self.engaged.rows = sourced_rows[engagement[sourced_rows]].tolist()
            self._engage_all(lines, where, codes["where"])
        except (BadRow, ValidationError):
            self._start()
            return False
        for row, reason in self.source_refusals.items():
            refused.setdefault(row, reason)
        for taken in (self.plain, self.engaged):
            numbers = np.array(taken.rows, dtype=np.int64)
            taken.coded |= {
                "where": Coded(where, codes["where"][numbers]),
                "sources": Coded(sources.tolist(), codes["sources"][numbers]),
                "source_values": Coded(kept.tolist(), codes["kept"][numbers]),
            }
        return True

    def _engage_all(self, lines: list[int], where: list[str], where_codes: NDArray[Any]) -> None:
        """The parties and changes of control of the engagements taken, as :meth:`_engaged`
        makes them row by row: the sides of each set of cells made at its first row, each
        actor of the kind its first coding row gives it, and each row coding another kind
        reported (after the rest, which may refuse: then nothing is reported)."""
        import numpy as np

        taken = self.engaged
        rows = np.array(taken.rows, dtype=np.int64)
        sided, codes = _first_made(self.side_keys[rows], rows, self._sided)
        for sides, _ in sided.tolist():
            for _, _, coded in sides:
                if coded is not None and self.actors[coded[1]].kind is None:
                    self.actors[coded[1]].kind = coded[2]
        parties = [parties for _, parties in sided.tolist()]
        taken.coded = {
            keyword: Coded([party[number] for party in parties], codes)
            for number, keyword in enumerate(("initiators", "targets", "associates"))
        }
        taken.captured = [None] * len(taken.rows)
        capture = self.kinds.holds(lambda kind: kind is EngagementKind.CAPTURE)
        for number in np.flatnonzero(capture[rows]).tolist():
            place = where[where_codes[taken.rows[number]]]
            taken.captured[number] = self._captured(place, parties[codes[number]])
        conflicting = [
            code
            for code, (sides, _) in enumerate(sided.tolist())
            if any(c is not None and self.actors[c[1]].kind is not c[2] for _, _, c in sides)
        ]
        for number in np.flatnonzero(np.isin(codes, conflicting)).tolist():
            row = taken.rows[number]
            for _, _, coded in sided[codes[number]][0]:
                if coded is not None:
                    self._code(lines[row], cast(str, self.event_ids[row]), *coded)

    def _event_kept(self, row: int, engagement: bool, at_point: bool) -> immutabledict[str, str]:
        """The cells the event of ``row`` keeps: an engagement's not its actors', and the
        point's when its location has another point."""
        kept = self.kept[row]
        if engagement:
            fielded = self.fielded.get(id(kept))
            kept = self._fielded(kept) if fielded is None else fielded
        return kept if at_point else self._with_point(kept, row)

    def _engaged(
        self, line: int, event_id: str, row: int, kind: EngagementKind, where: str
    ) -> tuple[_Parties, ControlChange | None]:
        """The parties of the engagement of ``row``, and the change of control it records."""
        parties = self.settled.get(self.side_keys.item(row))
        if parties is None:
            parties = self._parties(line, event_id, row, kind)
        captured = self._captured(where, parties) if kind is EngagementKind.CAPTURE else None
        return parties, captured

    def _with_point(self, kept: immutabledict[str, str], row: int) -> immutabledict[str, str]:
        """``kept`` with the row's ``latitude`` / ``longitude`` cells, made once for each
        kept mapping and pair of cells."""
        key = (id(kept), self.point_keys.item(row))
        found = self.with_point.get(key)
        if found is None:
            found = self.with_point[key] = kept | {
                "latitude": self.table.column("latitude")[row].as_py(),
                "longitude": self.table.column("longitude")[row].as_py(),
            }
        return found

    def _captured(self, where: str, parties: _Parties) -> ControlChange | None:
        """The change of control a capture by ``parties`` records, made once for each place
        and pair of actors (``None`` without initiators)."""
        initiators, targets, _ = parties
        if not initiators:
            return None
        gained_by = initiators[0]
        lost_by = targets[0] if targets and targets[0] != gained_by else None
        key = (where, gained_by, lost_by)
        found = self.captures.get(key)
        if found is None:
            found = self.captures[key] = ControlChange(
                location=where, gained_by=gained_by, lost_by=lost_by
            )
        return found

    def _fielded(self, kept: immutabledict[str, str]) -> immutabledict[str, str]:
        fielded = self.fielded[id(kept)] = immutabledict(
            (name, text) for name, text in kept.items() if name not in _ACTOR_COLUMNS
        )
        return fielded

    def _resolve(self, row: int) -> tuple[str, bool]:
        admin1, admin2, admin3 = (area.value(row) for area in self.areas)
        return self.places.resolve(
            [
                (self.countries.value(row), LocationKind.COUNTRY, self.codes.value(row)),
                (admin1, LocationKind.REGION, None),
                (admin2, LocationKind.DISTRICT, None),
                (admin3, LocationKind.AREA, None),
            ],
            self.locations.value(row),
            self.geo_precisions.value(row)[1],
            self.points.value(row),
            match_areas=False,
        )

    def _parties(self, line: int, event_id: str, row: int, kind: EngagementKind) -> _Parties:
        """The initiators, targets and associates of the engagement of ``row``, made once for
        each set of cells; each row codes the kinds of their actors until those actors have
        them (a kind, once set, stays, so such rows say nothing new)."""
        key = self.side_keys.item(row)
        found = self.sided.get(key)
        if found is None:
            found = self.sided[key] = self._sided(row)
        sides, parties = found
        coded = [side[2] for side in sides if side[2] is not None]
        for column, actor_id, actor_kind in coded:
            self._code(line, event_id, column, actor_id, actor_kind)
        if all(self.actors[actor_id].kind is actor_kind for _, actor_id, actor_kind in coded):
            self.settled[key] = parties
        return parties

    def _sided(self, row: int) -> tuple[tuple[_Side, _Side], _Parties]:
        """The sides of the engagement of ``row`` and its initiators, targets and associates."""
        (main1, names1), (main2, names2) = (side.value(row) for side in self.sides)
        kind1, kind2 = (inter.value(row) for inter in self.inters)
        sides = (
            self._side("1", main1, names1, kind1),
            self._side("2", main2, names2, kind2),
        )
        (side1, with1, _), (side2, with2, _) = sides
        clash = self.kinds.value(row) is EngagementKind.ARMED_CLASH
        parties: _Parties = (
            () if clash else side1,
            tuple(dict.fromkeys(side1 + side2)) if clash else side2,
            with1 + with2,
        )
        return sides, parties

    def _side(
        self, number: str, main: str, names: tuple[str, ...], kind: ActorKind | None
    ) -> _Side:
        """The side's actor (or, with none, its associated actors), its associates, and the
        kind ``inter<number>`` codes its actor as."""
        associated = [self._actor(name) for name in names if name]
        if not main:
            return tuple(dict.fromkeys(associated)), (), None
        lead = self._actor(main)
        helpers = (Associate(a, of=lead) for a in dict.fromkeys(associated) if a != lead)
        coded = None if kind is None else (f"inter{number}", lead, kind)
        return (lead,), tuple(helpers), coded

    def _actor(self, name: str) -> str:
        actor_id = self.actor_ids.get(name)
        if actor_id is None:
            actor_id = f"acled-actor-{slug(name)}"
            while actor_id in self.actors:
                actor_id += "~"
            self.actors[actor_id] = _ActorSpec(name, None)
            self.actor_ids[name] = actor_id
        return actor_id

    def _code(self, line: int, event_id: str, column: str, actor_id: str, kind: ActorKind) -> None:
        """The actor takes the kind of the first row that codes it; a row coding another is
        reported."""
        spec = self.actors[actor_id]
        if spec.kind is None:
            spec.kind = kind
        elif kind is not spec.kind:
            rule = f"{spec.name!r} is coded {spec.kind.value} on an earlier row: kept"
            self.report.normalise(line, event_id, column, kind.value, spec.kind.value, rule)

    def _sources(self, sources: tuple[Source, ...], kind: SourceKind | None) -> tuple[str, ...]:
        for source in sources:
            self.sources.setdefault(source.id, source)
            self.source_kinds.setdefault(source.id, set()).add(kind)
        return tuple(dict.fromkeys(source.id for source in sources))

    def _kinded(self, source: Source) -> Source:
        kinds = self.source_kinds.get(source.id, set())
        if len(kinds) != 1:
            return source
        return attrs.evolve(source, kind=next(iter(kinds)))

    def records(self) -> list[Record]:
        return [*self.dimensions(), *self.events]

    def dimensions(self) -> list[Record]:
        """The actors, places and sources of the rows taken."""
        actors = [
            Actor(id=actor_id, name=spec.name, kind=spec.kind or _guess_kind(spec.name))
            for actor_id, spec in self.actors.items()
        ]
        sources = [self._kinded(source) for source in self.sources.values()]
        return [*actors, *self.places.locations(), *sources]

    def _columns(self, taken: _Taken, start: int, stop: int) -> dict[str, Sequence[Any] | Coded]:
        """The arguments of the events of rows ``start:stop`` taken, column by column."""
        import numpy as np

        rows = taken.rows[start:stop]
        numbers = np.array(rows, dtype=np.int64)
        keywords = ["when", "description", "where_precision"]
        columns: dict[str, Sequence[Any] | Coded] = {
            "id": list(map(self.event_ids.__getitem__, rows)),
            "where": taken.where[start:stop],
            "sources": taken.sources[start:stop],
            "source_values": taken.kept[start:stop],
        }
        if taken is self.engaged:
            keywords += ["kind", "casualties"]
            parties = taken.parties[start:stop]
            columns |= {
                "initiators": [initiators for initiators, _, _ in parties],
                "targets": [targets for _, targets, _ in parties],
                "captured": taken.captured[start:stop],
                "associates": [associates for _, _, associates in parties],
            }
        for keyword, coded in taken.coded.items():
            columns[keyword] = Coded(coded.distinct, coded.codes[start:stop])
        for keyword in keywords:
            distinct, index = self.arguments[keyword].coded()
            codes = index[numbers]
            # Distinct arguments are all checked: for a few rows, only their own are.
            columns[keyword] = (
                Coded(distinct, codes)
                if len(distinct) <= len(rows)
                else list(map(distinct.__getitem__, codes.tolist()))
            )
        return columns

    def _built(
        self, taken: _Taken, start: int = 0, stop: int | None = None
    ) -> tuple[list[Event | None], dict[int, str]]:
        """The events of rows ``start:stop`` taken, and why their class refuses the others (by
        row)."""
        stop = len(taken.rows) if stop is None else stop
        built, errors = self.builders[taken is self.engaged].build_all(
            self._columns(taken, start, stop), stop - start
        )
        reasons = refusal_reasons(errors)
        return built, {taken.rows[start + number]: reason for number, reason in reasons.items()}

    def _stands(self, event_id: str) -> bool:
        """Whether the event of the row taken for ``event_id`` is made. A row whose event its
        class refuses is refused now, and leaves the id free."""
        row = bisect.bisect_left(self.table.lines, self.taken_lines[event_id])
        taken = self.plain if self.kinds.value(row) is None else self.engaged
        position = bisect.bisect_left(taken.rows, row)
        _, reasons = self._built(taken, position, position + 1)
        if not reasons:
            return True
        self.refused.update(reasons)
        del self.taken_lines[event_id]
        return False

    def _events(self) -> list[Event]:
        """The events of the rows taken, in file order; the rows whose event its class
        refuses are refused."""
        import numpy as np

        built = np.empty(self.table.rows, dtype=object)
        made = np.zeros(self.table.rows, dtype=bool)
        for taken in (self.plain, self.engaged):
            events, reasons = self._built(taken)
            built[taken.rows], made[taken.rows] = _objects(events), True
            made[list(reasons)] = False
            self.refused.update(reasons)
        self.made = np.flatnonzero(made)
        """The rows whose events are made."""
        made_events: list[Event] = built[self.made].tolist()
        edits = self.edits.values
        self.edited = {
            event.id: edited
            for event, row in zip(made_events, self.made.tolist(), strict=True)
            if (edited := edits[row]) is not None
        }
        deque(map(self.report.keep, [event.source_values for event in made_events]), maxlen=0)
        return made_events

    def _checked_events(self) -> list[layout.ClassColumns]:
        """The events of the rows taken checked as :meth:`_events` builds them, field by
        field, without making them; the rows whose event its class refuses are refused."""
        import numpy as np

        groups = []
        for taken in (self.plain, self.engaged):
            size = len(taken.rows)
            group, reasons = checked_events(
                self.builders[taken is self.engaged],
                np.array(taken.rows, dtype=np.int64),
                self._columns(taken, 0, size),
            )
            self.refused.update(reasons)
            groups.append(group)
        self.made = np.sort(np.concatenate([group.rows for group in groups]))
        for group in groups:
            kept_values = group.columns["source_values"]
            listed = kept_values.listed() if isinstance(kept_values, Coded) else kept_values
            deque(map(self.report.keep, listed), maxlen=0)
        return groups

    def event_columns(self) -> list[layout.ClassColumns]:
        """The events checked by :meth:`prepare_columns`, not made, by class."""
        return self.checked

    def stamps(self) -> tuple[Any, Any, Any, Stamps]:
        """The stamp of each event made that ``timestamp`` dates, in file order: the
        collection, id and number of each, and the stamps numbered."""
        import numpy as np

        from conflictmodel.tables import lazy

        distinct, index = self.edits.coded()
        stamps = lazy.Stamps()
        numbers = np.array(
            [-1 if moment is None else stamps.current(moment, None) for moment in distinct],
            dtype=np.int32,
        )[index[self.made]]
        dated = numbers >= 0
        ids = [self.event_ids[row] for row in self.made[dated].tolist()]
        return ["events"] * len(ids), ids, numbers[dated], stamps

    @functools.cached_property
    def lines(self) -> dict[str, int]:
        """The line of the row of each event made, by id: worked out when first asked."""
        ids = map(cast(list[str], self.event_ids).__getitem__, self.made.tolist())
        return dict(zip(ids, self.table.lines[self.made].tolist(), strict=True))

    def versions(self, records: Iterable[Record]) -> list[Version]:
        if not self.edited:
            return []
        return [
            Version(record=record, recorded=self.edited[record.id])
            for record in records
            if record.collection == "events" and record.id in self.edited
        ]


def read_acled(
    path: str | os.PathLike[str],
    *,
    errors: Errors = "report",
    progress: Progress = None,
    lazy: bool | None = None,
) -> ImportResult:
    """Read an ACLED CSV export into a dataset and a report.

    ``errors`` and ``progress`` work as in :func:`conflictmodel.io.ucdp.read_ged`;
    :doc:`/data` walks through an import.

    ``lazy=True`` checks the events field by field, each distinct value once, and lays them
    out in tables DuckDB holds without making them (the ``arrow`` extra): the dataset builds
    an event, and its version, when asked for, as :func:`conflictmodel.tables.load` gives
    one, and queries run on the tables at once. By default (``lazy=None``) a file of
    :data:`~conflictmodel.io._csvfile.LAZY_FROM_ROWS` rows or more is read so when the extra is
    installed; ``lazy=False`` makes every event. Either way the same rows are refused, for
    the same reasons, and the datasets are equal.
    """
    return import_csv(
        path,
        what="ACLED",
        required=REQUIRED_COLUMNS,
        errors=errors,
        progress=progress,
        layout=_layout,
        importer=_AcledImport,
        counted=("actors", "locations", "sources", "events"),
        lazy=lazy,
    )


def update(
    ds: Dataset,
    newer: str | os.PathLike[str],
    *,
    deletions: str | os.PathLike[str] | None = None,
    at: Moment | None = None,
    errors: Errors = "report",
    progress: Progress = None,
) -> ImportResult:
    """``ds`` (read from an ACLED export) brought up to date by a newer export of it.

    Each row of ``newer`` that differs from the event ``ds`` holds replaces it, its
    ``timestamp`` dating the new version; the old version stays in the history. New rows add
    events. Events listed in ``deletions`` (ACLED's deleted-events file: ``event_id_cnty``,
    ``deleted_timestamp``) are withdrawn at that time; ids the dataset never held are passed
    over, as the file lists deletions everywhere. Actors, places and sources the newer export
    describes differently are new versions as of ``at`` (by default the newer export's latest
    ``timestamp``). Rows edited before the version held, and deletions before it, are
    refused. The report lists what was added, edited and withdrawn. The updated dataset is
    made in memory: one read columns first has every event and version built for it.
    """
    if not isinstance(ds, Dataset):
        raise ValidationError(
            f"update(ds=...): expected the Dataset of an earlier ACLED export, got {describe(ds)}"
        )
    holder: list[_AcledImport] = []

    def importer(report: ReportBuilder) -> _AcledImport:
        holder.append(_AcledImport(report))
        return holder[0]

    result = import_csv(
        newer,
        what="ACLED",
        required=REQUIRED_COLUMNS,
        errors=errors,
        progress=progress,
        layout=_layout,
        importer=importer,
        counted=(),
    )
    rows = holder[0]
    refusals = ReportBuilder(str(newer), "ACLED update", errors)
    default = max(rows.edited.values(), default=None) if at is None else to_moment(at)
    versions: list[Version] = []
    history = dict(ds.history.items())
    for record in result.dataset.records():
        recorded = rows.edited.get(record.id) if record.collection == "events" else None
        held = history.get((record.collection, record.id))
        reason = _stale(record, recorded, held[-1] if held else None)
        if reason:
            refusals.refuse(rows.lines[record.id], reason)
        if reason is not None:
            continue
        versions.append(Version(record=record, recorded=recorded or default))
    updated, added, edited = vintages.updated(ds, versions)
    withdrawn: list[RecordKey] = []
    if deletions is not None:
        updated, withdrawn = _withdraw(updated, deletions, refusals)
    counts = {
        name: len(getattr(updated, name)) for name in ("actors", "locations", "sources", "events")
    }
    report = attrs.evolve(
        result.report,
        records=counts,
        refused=result.report.refused + refusals.finish({}).refused,
        added=tuple(added),
        edited=tuple(edited),
        withdrawn=tuple(withdrawn),
    )
    return ImportResult(updated, report)


def _stale(record: Record, edited: datetime.datetime | None, held: Version | None) -> str | None:
    """Why a row edited at ``edited`` cannot follow the version held ("": it is that version)."""
    if edited is None or held is None:
        return None
    if held.withdrawn and held.until is not None and edited <= held.until:
        return (
            f"timestamp: the row was edited {edited.isoformat()}, before the event was "
            f"deleted ({held.until.isoformat()})"
        )
    if not held.withdrawn and held.recorded is not None and edited < held.recorded:
        if held.record == record:
            return ""
        return (
            f"timestamp: the row was edited {edited.isoformat()}, before the version held "
            f"({held.recorded.isoformat()})"
        )
    return None


def _withdraw(
    ds: Dataset, path: str | os.PathLike[str], refusals: ReportBuilder
) -> tuple[Dataset, list[RecordKey]]:
    """``ds`` without the events ACLED lists as deleted, and their keys."""
    name = Path(path).name
    at: dict[datetime.datetime, list[RecordKey]] = {}
    required = ("event_id_cnty", "deleted_timestamp")
    with CsvRows(path, required=required, what="ACLED deletions") as rows:
        for line, row in rows:
            try:
                if isinstance(row, str):
                    raise BadRow(row)
                key = ("events", f"acled-{row['event_id_cnty'].strip()}")
                deleted = text_unix_time(row["deleted_timestamp"], "deleted_timestamp")
                if deleted is None:
                    raise BadRow("deleted_timestamp: empty")
                if key[1] not in ds.events:
                    continue
                recorded = ds.versions(*key)[-1].recorded
                if recorded is not None and deleted < recorded:
                    raise BadRow(
                        f"deleted_timestamp: deleted {deleted.isoformat()}, before the version "
                        f"held ({recorded.isoformat()})"
                    )
                at.setdefault(deleted, []).append(key)
            except BadRow as error:
                refusals.refuse(line, f"{name}: {error}")
    withdrawn: list[RecordKey] = []
    for moment, keys in sorted(at.items()):
        ds = vintages.withdraw(ds, keys, at=moment)
        withdrawn.extend(keys)
    return ds, withdrawn
