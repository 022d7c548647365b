"""Import the UCDP Georeferenced Event Dataset (GED) from its CSV releases.

Both layouts are read, told apart by the header: GED 19.1 (41 columns) and GED 23.x/25.x
(49 columns, with ``relid`` and the ``*_dset_id`` columns). Each row becomes an
:class:`~conflictmodel.Engagement` with id ``ucdp-ged-<id>``:

- ``side_a`` / ``side_b`` become actors ``ucdp-actor-<side_*_new_id>`` with
  ``external_ids={"ucdp": "<side_*_new_id>"}``, one per UCDP id across the file. Id 1
  ("Civilians") is an actor of kind civilians; "Government of ..." a state; every other side a
  rebel group. A coalition side (``"Ahrar al-Sham, Jabhat Fateh al-Sham"``, its own UCDP id) is
  one actor; each member named in it that also appears on its own gets an ``affiliated_with``
  relation to the coalition.
- ``type_of_violence`` 1 (state-based) and 2 (non-state) are armed clashes. GED does not say who
  started one, so ``initiators`` stays empty and ``targets`` holds side a then side b.
  3 (one-sided) is one-sided violence by side a against side b, the civilians.
- ``deaths_a``, ``deaths_b``, ``deaths_civilians`` are killed figures of side a, side b and the
  civilians actor; ``deaths_unknown``, when not zero, is unattributed (``actor=None``). Side a
  and b always get an entry, zero included. The best figures add up to the file's columns exactly.
- ``low`` / ``best`` / ``high`` become :attr:`~conflictmodel.Engagement.reported_total`. Where
  ``low`` is above ``best`` it is lowered to ``best``; where ``high`` is below ``best`` it is raised
  to ``best``. Each change is listed in the report and the original value stays in the event's
  ``source_values``.
- ``date_start`` / ``date_end`` are the event's span, at day precision, or at month or year
  precision when they bound exactly one calendar month or year.
- ``country`` / ``adm_1`` / ``adm_2`` become a country, region and district; ``where_coordinates``
  is the event's place within the deepest of them, at ``latitude`` / ``longitude`` (or that area
  itself when the names agree). Areas take their point from the first event located at them.
- ``where_prec`` becomes :attr:`~conflictmodel.Event.where_precision`: 1 exact, 2 near (within
  about 25 km of the place named), 3 district (second-order area), 4 region (first-order area),
  5 wide area (a road, a river, "northern Syria"), 6 country, 7 international waters or airspace.
  ``date_prec`` needs no field: ``date_start`` and ``date_end`` already bound the days.
- ``source_article`` is split into its quoted references, each a :class:`~conflictmodel.Source`
  published by its office. ``source_original`` (split on ";") names who first gave the
  information (a monitor, an army statement): each name that is not also one of the row's
  offices (``source_office``) becomes a source of the event as well. ``number_of_sources``
  counts UCDP's articles and stays, with both columns, in ``source_values``.
- Every other non-empty column (``date_prec``, ``event_clarity``, ``conflict_name``, ...), and
  ``where_prec`` too, is kept in :attr:`~conflictmodel.Event.source_values`, as are
  ``latitude`` / ``longitude`` where they differ from the point of the event's location.

UCDP data is published under CC BY 4.0; cite Sundberg and Melander (2013), "Introducing the UCDP
Georeferenced Event Dataset", Journal of Peace Research 50(4), and Davies, Pettersson and Öberg
(2023), Journal of Peace Research 60(4).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import re
from collections.abc import Iterable

import attrs

from conflictmodel.actors import Actor, ActorKind, Relation, RelationKind
from conflictmodel.events import Casualties, Engagement, EngagementKind
from conflictmodel.io._csvfile import BadRow, Progress, import_csv, row_count, row_point
from conflictmodel.io._gazetteer import Gazetteer, slug
from conflictmodel.io.report import Errors, ImportResult, ReportBuilder
from conflictmodel.places import LocationKind, PlacePrecision, Point
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.sources import Source
from conflictmodel.timespans import Precision, TimeSpan, unit_end, unit_start
from conflictmodel.vintages import Moment, Version, to_optional_moment

__all__ = ["CIVILIANS_ID", "read_ged"]

CIVILIANS_ID = "1"
"""UCDP's id for the civilians side of one-sided violence."""

_REQUIRED = (
    "id",
    "type_of_violence",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "side_b",
    "source_article",
    "where_coordinates",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "low",
    "best",
    "high",
)
# Columns the records hold: geom_wkt is the point as WKT, country_id a code of the country.
_MAPPED = frozenset(_REQUIRED) | {"geom_wkt", "country_id"}

_KINDS = {
    "1": EngagementKind.ARMED_CLASH,
    "2": EngagementKind.ARMED_CLASH,
    "3": EngagementKind.ONE_SIDED_VIOLENCE,
}
_WHERE_PREC = dict(zip("1234567", PlacePrecision, strict=True))
_PLACE_KINDS = {
    "village": LocationKind.VILLAGE,
    "town": LocationKind.TOWN,
    "city": LocationKind.CITY,
    "road": LocationKind.ROAD,
    "highway": LocationKind.ROAD,
}
_REFERENCE = re.compile(r"(?P<publisher>.+?),\s*(?P<date>\d{4}-\d{2}-\d{2}),\s*(?P<title>.*)", re.S)


@attrs.define
class _ActorSpec:
    ucdp_id: str
    name: str
    aliases: list[str]


def _date(row: dict[str, str], column: str) -> datetime.date:
    text = row[column].strip().split(" ")[0].split("T")[0]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise BadRow(f"{column}: {row[column]!r} is not a date (YYYY-MM-DD)") from None


@functools.lru_cache(maxsize=1 << 14)
def _span(start: datetime.date, end: datetime.date) -> TimeSpan:
    if end < start:
        raise BadRow(f"date_end {end} is before date_start {start}")
    if start.day == 1 and end != start:
        for precision in (Precision.MONTH, Precision.YEAR):
            if unit_start(start, precision) == start and unit_end(start, precision) == end:
                return TimeSpan(start, end, precision)
    return TimeSpan(start, end, Precision.DAY)


def _place_kind(name: str, where_prec: str) -> LocationKind:
    last = name.rsplit(" ", 1)[-1].casefold()
    if last in _PLACE_KINDS:
        return _PLACE_KINDS[last]
    return LocationKind.SITE if where_prec.strip() in ("1", "2") else LocationKind.AREA


def _references(article: str) -> list[str]:
    text = article.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        parts = text[1:-1].split('";"')
    else:
        parts = [text]
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


@functools.lru_cache(maxsize=1 << 14)
def _source(reference: str) -> Source:
    digest = hashlib.blake2b(reference.encode("utf-8"), digest_size=6).hexdigest()
    match = _REFERENCE.fullmatch(reference)
    if match is None or not match["title"].strip():
        return Source(id=f"ucdp-source-{digest}", title=reference)
    try:
        published: TimeSpan | None = TimeSpan.day(datetime.date.fromisoformat(match["date"]))
    except ValueError:
        published = None
    return Source(
        id=f"ucdp-source-{digest}",
        title=match["title"].strip(),
        publisher=match["publisher"].strip(),
        published=published,
    )


@functools.lru_cache(maxsize=1 << 14)
def _casualties(actor: str | None, killed: int) -> Casualties:
    """Equal entries are built once and shared (they are frozen)."""
    return Casualties(actor, killed=Estimate.exact(killed))


class _GedImport:
    """The records made from the rows read so far."""

    def __init__(
        self, report: ReportBuilder, release: str | None = None, released: Moment | None = None
    ) -> None:
        self.report = report
        self.release = release
        self.released = released
        self.places = Gazetteer("ucdp")
        self.actors: dict[str, _ActorSpec] = {}
        self.sources: dict[str, Source] = {}
        self.events: dict[str, Engagement] = {}
        self.lines: dict[str, int] = {}

    def add(self, line: int, row: dict[str, str]) -> None:
        event_id = f"ucdp-ged-{row['id'].strip()}"
        if event_id == "ucdp-ged-":
            raise BadRow("id: empty")
        if event_id in self.events:
            raise BadRow(f"id: {row['id']!r} repeats the event on line {self.lines[event_id]}")
        kind = _KINDS.get(row["type_of_violence"].strip())
        if kind is None:
            raise BadRow(
                f"type_of_violence: {row['type_of_violence']!r} is not 1, 2 or 3 "
                "(state-based, non-state, one-sided)"
            )
        sides = [(row[f"side_{s}_new_id"].strip(), row[f"side_{s}"].strip()) for s in "ab"]
        for (ucdp_id, name), side in zip(sides, "ab", strict=True):
            if not ucdp_id or not name:
                raise BadRow(f"side_{side}: needs both side_{side} and side_{side}_new_id")
        if sides[0][0] == sides[1][0]:
            raise BadRow(f"side_a and side_b are the same actor (UCDP id {sides[0][0]})")
        deaths = {
            column: row_count(row, column)
            for column in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
        }
        low, best, high = (row_count(row, column) for column in ("low", "best", "high"))
        span = _span(_date(row, "date_start"), _date(row, "date_end"))
        point = row_point(row)
        if not row["country"].strip():
            raise BadRow("country: empty")
        where_prec = row.get("where_prec", "").strip()
        if where_prec and where_prec not in _WHERE_PREC:
            raise BadRow(f"where_prec: {where_prec!r} is not a precision code 1-7")

        kept = {k: v for k, v in row.items() if k not in _MAPPED and v.strip()}
        where = self._locate(row, point, kept)
        side_a, side_b = (self._actor(line, event_id, s, *sides[i]) for i, s in enumerate("ab"))
        killed: dict[str | None, int] = {side_a: deaths["deaths_a"], side_b: deaths["deaths_b"]}
        if deaths["deaths_civilians"] or sides[1][0] == CIVILIANS_ID:
            civilians = self._actor(line, event_id, "deaths_civilians", CIVILIANS_ID, "Civilians")
            killed[civilians] = killed.get(civilians, 0) + deaths["deaths_civilians"]
        if deaths["deaths_unknown"]:
            killed[None] = deaths["deaths_unknown"]

        if low > best:
            self.report.normalise(line, event_id, "low", low, best, "low above best: set to best")
            kept["low"] = row["low"]
        if high < best:
            self.report.normalise(
                line, event_id, "high", high, best, "high below best: set to best"
            )
            kept["high"] = row["high"]
        sources = [self._source(reference) for reference in _references(row["source_article"])]
        sources += self._originals(row.get("source_original", ""), row.get("source_office", ""))
        one_sided = kind is EngagementKind.ONE_SIDED_VIOLENCE
        self.events[event_id] = Engagement(
            id=event_id,
            when=span,
            where=where,
            description=row.get("dyad_name", "").strip(),
            sources=sources,
            kind=kind,
            initiators=(side_a,) if one_sided else (),
            targets=(side_b,) if one_sided else (side_a, side_b),
            casualties=tuple(_casualties(actor, n) for actor, n in killed.items()),
            reported_total=Estimate(min(low, best), best, max(high, best)),
            source_values=kept,
            where_precision=_WHERE_PREC.get(where_prec),
        )
        self.lines[event_id] = line
        self.report.keep(kept)

    def _locate(self, row: dict[str, str], point: Point | None, kept: dict[str, str]) -> str:
        country_id = row.get("country_id", "").strip()
        where, at_point = self.places.resolve(
            [
                (
                    row["country"].strip(),
                    LocationKind.COUNTRY,
                    {"ucdp-country-id": country_id} if country_id else None,
                ),
                (row["adm_1"].strip(), LocationKind.REGION, None),
                (row["adm_2"].strip(), LocationKind.DISTRICT, None),
            ],
            row["where_coordinates"].strip(),
            _place_kind(row["where_coordinates"], row.get("where_prec", "")),
            point,
        )
        if not at_point:
            kept["latitude"], kept["longitude"] = row["latitude"], row["longitude"]
        return where

    def _actor(self, line: int, event_id: str, column: str, ucdp_id: str, name: str) -> str:
        actor_id = f"ucdp-actor-{ucdp_id}"
        spec = self.actors.get(actor_id)
        if spec is None:
            self.actors[actor_id] = _ActorSpec(ucdp_id, name, [])
        elif name != spec.name and name not in spec.aliases:
            spec.aliases.append(name)
            rule = f"UCDP id {ucdp_id} is already named {spec.name!r}: kept as an alias"
            self.report.normalise(line, event_id, column, name, spec.name, rule)
        return actor_id

    def _originals(self, originals: str, offices: str) -> list[str]:
        """Sources for the original sources the row's offices did not themselves publish."""
        published = {office.strip().casefold() for office in offices.split(";")}
        ids = []
        for name in dict.fromkeys(part.strip() for part in originals.split(";")):
            if name and name.casefold() not in published:
                source_id = f"ucdp-original-{slug(name)}"
                self.sources.setdefault(source_id, Source(id=source_id, title=name))
                ids.append(source_id)
        return ids

    def _source(self, reference: str) -> str:
        source = _source(reference)
        self.sources.setdefault(source.id, source)
        return source.id

    def records(self) -> list[Record]:
        actors = [
            Actor(
                id=actor_id,
                name=spec.name,
                kind=_actor_kind(spec),
                aliases=spec.aliases,
                external_ids={"ucdp": spec.ucdp_id},
            )
            for actor_id, spec in self.actors.items()
        ]
        return [
            *actors,
            *self._coalitions(actors),
            *self.places.locations(),
            *self.sources.values(),
            *self.events.values(),
        ]

    def versions(self, records: Iterable[Record]) -> list[Version]:
        if self.release is None and self.released is None:
            return []
        return [
            Version(record=record, recorded=self.released, release=self.release)
            for record in records
        ]

    def _coalitions(self, actors: list[Actor]) -> list[Relation]:
        by_name = {name: actor.id for actor in actors for name in actor.names}
        relations: list[Relation] = []
        for actor in actors:
            members = [part.strip() for part in actor.name.split(",")]
            if len(members) < 2:
                continue
            for member in dict.fromkeys(members):
                member_id = by_name.get(member)
                if member_id is not None and member_id != actor.id:
                    relations.append(
                        Relation(
                            id=f"{member_id}-in-{actor.id}",
                            source=member_id,
                            kind=RelationKind.AFFILIATED_WITH,
                            target=actor.id,
                        )
                    )
        return relations


def _actor_kind(spec: _ActorSpec) -> ActorKind:
    if spec.ucdp_id == CIVILIANS_ID or spec.name.casefold() == "civilians":
        return ActorKind.CIVILIANS
    if spec.name.startswith("Government of "):
        return ActorKind.STATE
    return ActorKind.REBEL_GROUP


def read_ged(
    path: str | os.PathLike[str],
    *,
    errors: Errors = "report",
    progress: Progress = None,
    release: str | None = None,
    released: Moment | None = None,
) -> ImportResult:
    """Read a UCDP GED CSV file (19.1 or 23.x/25.x layout) into a dataset and a report.

    ``release`` ("GED 19.1") and ``released`` (the day it was published) date every record
    made, so that releases read this way combine with :meth:`~conflictmodel.Dataset.updated`
    into one dataset that :meth:`~conflictmodel.Dataset.as_of` can look back into.

    ``errors="raise"`` raises :class:`~conflictmodel.errors.ImportRowError` at the first bad
    row instead of listing it. ``progress`` shows a bar on standard error (by default only when
    it is a terminal) or calls ``progress(rows_done, rows_expected)``. :doc:`/data` walks
    through an import.
    """
    return import_csv(
        path,
        what="UCDP GED",
        required=_REQUIRED,
        errors=errors,
        progress=progress,
        layout=_layout,
        importer=lambda report: _GedImport(report, release, to_optional_moment(released)),
        counted=("actors", "relations", "locations", "sources", "events"),
    )


def _layout(header: list[str]) -> str:
    layout = "23.x/25.x" if "relid" in header else "19.1"
    return f"UCDP GED {layout} layout, {len(header)} columns"
