"""Import the UCDP Georeferenced Event Dataset (GED) from its CSV releases.

Both layouts are read, told apart by the header: GED 19.1 (41 columns) and GED 23.x/25.x
(49 columns, with ``relid`` and the ``*_dset_id`` columns). Each row becomes an
:class:`~conflictmodel.Engagement` with id ``ucdp-ged-<id>``:

- ``side_a`` / ``side_b`` become actors ``ucdp-actor-<side_*_new_id>`` with
  ``external_ids={"ucdp": "<side_*_new_id>"}``, one per UCDP id across the file. Id 1
  ("Civilians") is an actor of kind civilians; "Government of ..." a state; every other side a
  rebel group. A coalition side (``"Ahrar al-Sham, Jabhat Fateh al-Sham"``, its own UCDP id) is
  one actor; each member named in it that also appears on its own gets one ``affiliated_with``
  relation to the coalition (one, also when the coalition names it by two of its names); the
  report notes the members that are never a side of their own.
- ``type_of_violence`` 1 (state-based) and 2 (non-state) are armed clashes. GED does not say who
  started one, so ``initiators`` stays empty and ``targets`` holds side a then side b.
  3 (one-sided) is one-sided violence by side a against side b, the civilians. The code stays
  in ``source_values``: it alone tells a state-based clash from a non-state one.
- ``deaths_a``, ``deaths_b``, ``deaths_civilians`` are killed figures of side a, side b and the
  civilians actor; ``deaths_unknown``, when not zero, is unattributed (``actor=None``). Each is
  a best figure with no range (:meth:`~conflictmodel.Estimate.best_only`): the codebook calls
  them best estimates and gives a low and a high only for the event's total. Side a
  and b always get an entry, zero included, but for side a of one-sided violence: UCDP counts
  only the civilians killed there, so its ``deaths_a`` of 0 says nothing of side a's dead and
  gives no entry (one it is not 0 would). The best figures add up to the file's columns exactly.
  The codebook's ``best`` is the sum of the four; a row where it is not keeps both as given
  (``best`` in the reported total, the deaths in the casualties) and is listed in the report.
- ``low`` / ``best`` / ``high`` become :attr:`~conflictmodel.Engagement.reported_total`. Where
  ``low`` is above ``best`` it is lowered to ``best``; where ``high`` is below ``best`` it is raised
  to ``best``. Each change is listed in the report and the original value stays in the event's
  ``source_values``.
- ``date_start`` / ``date_end`` are the event's span, at day precision, or at month or year
  precision when they bound exactly one calendar month or year. ``date_prec`` classes the span
  by its length: 1 one day, 2 two to six days, 3 a week (seven days), 4 eight days to a month
  (31 days), 5 longer. A row whose ``date_prec`` does not fit its span (4 on a single day) keeps
  the span as dated and is listed in the report; a ``date_prec`` that is not 1-5 refuses it.
- ``country`` / ``adm_1`` / ``adm_2`` become a country, region and district (the country with
  ``codes={"gleditsch-ward": "<country_id>"}``, its Gleditsch-Ward number); ``where_coordinates``
  is the event's place within the deepest of them, at ``latitude`` / ``longitude`` (or that area
  itself when the names agree). Areas take their point from the first event located at them.
- ``where_prec`` becomes :attr:`~conflictmodel.Event.where_precision`: 1 exact, 2 near (within
  about 25 km of the place named), 3 district (second-order area), 4 region (first-order area),
  5 wide area (a road, a river, "northern Syria"), 6 country, 7 international waters or airspace.
- ``source_article`` is split into its quoted references, each a :class:`~conflictmodel.Source`
  published by its office. A reference quoted twice in one cell makes one source: the row is
  listed in the report and the cell stays in ``source_values``, so that it can be rebuilt.
  ``source_original`` (split on ";") names who first gave the information (a monitor, an army
  statement): each name that is not also one of the row's offices (``source_office``) becomes
  a source of the event as well. ``number_of_sources`` counts UCDP's articles and stays, with
  both columns, in ``source_values``.
- ``event_clarity`` 2 (lower clarity: UCDP's figures for several incidents it could not tell
  apart, over days to a year, in an area up to a country) makes the event an
  :attr:`~conflictmodel.Event.aggregate`; 1 (one incident) does not.
- Every other non-empty column (``date_prec``, ``event_clarity``, ``conflict_name``, ...), and
  ``type_of_violence`` and ``where_prec`` too, is kept in
  :attr:`~conflictmodel.Event.source_values`, as are ``latitude`` / ``longitude`` where they
  differ from the point of the event's location. ``event_clarity`` must be 1 or 2 and
  ``active_year`` 0 or 1 where given; another value refuses the row.

UCDP data is published under CC BY 4.0; cite Sundberg and Melander (2013), "Introducing the UCDP
Georeferenced Event Dataset", Journal of Peace Research 50(4), and Davies, Pettersson and Öberg
(2023), Journal of Peace Research 60(4).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import operator
import os
import re
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

import attrs
from immutabledict import immutabledict

from conflictmodel._bulk import Builder, Coded, numbered
from conflictmodel.actors import Actor, ActorKind, Relation, RelationKind
from conflictmodel.errors import ValidationError
from conflictmodel.events import Casualties, Engagement, EngagementKind
from conflictmodel.io._csvfile import (
    BadRow,
    CsvTable,
    Parsed,
    checked_events,
    drop_frames,
    first_reasons,
    import_csv,
    refusal_reasons,
    text_count,
    text_named,
    text_point,
)
from conflictmodel.io._gazetteer import Gazetteer, slug
from conflictmodel.io._progress import Progress
from conflictmodel.io.report import Errors, ImportResult, ReportBuilder
from conflictmodel.places import LocationKind, PlacePrecision
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.sources import Source
from conflictmodel.timespans import Precision, TimeSpan, unit_end, unit_start
from conflictmodel.vintages import Moment, Version, to_optional_moment

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from conflictmodel.tables import layout
    from conflictmodel.tables.lazy import Stamps

__all__ = ["CIVILIANS_ID", "COUNTRY_SCHEME", "REQUIRED_COLUMNS", "read_ged"]

CIVILIANS_ID = "1"
"""UCDP's id for the civilians side of one-sided violence."""

REQUIRED_COLUMNS = (
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
"""The columns a UCDP GED file must have: :func:`read_ged` refuses a file that lacks one, and
``conflictmodel import`` without a source takes a file that has them all for UCDP's."""
_NO_ID = "ucdp-ged-"
"""The event id of a row without one."""
_COUNTS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high")
_BEST_COLUMNS = (*_COUNTS[:4], "best")
"""The deaths whose sum ``best`` is, then ``best``."""
_SIDE_COLUMNS = ("side_a_new_id", "side_a", "side_b_new_id", "side_b")
# Columns the records hold: geom_wkt is the point as WKT, country_id the country's code.
# type_of_violence is kept as well: its 1 (state-based) and 2 (non-state) make one kind.
_MAPPED = (frozenset(REQUIRED_COLUMNS) - {"type_of_violence"}) | {"geom_wkt", "country_id"}
_WHERE_COLUMNS = (
    "country",
    "country_id",
    "adm_1",
    "adm_2",
    "where_coordinates",
    "where_prec",
    "latitude",
    "longitude",
)
"""The columns that say where an event was."""

COUNTRY_SCHEME = "gleditsch-ward"
"""The scheme of a country's ``country_id`` in its :attr:`~conflictmodel.Location.codes`: the
Gleditsch-Ward country number, as the GED codebook defines the column (Syria 652)."""

_KINDS = {
    "1": EngagementKind.ARMED_CLASH,
    "2": EngagementKind.ARMED_CLASH,
    "3": EngagementKind.ONE_SIDED_VIOLENCE,
}
_WHERE_PREC = dict(zip("1234567", PlacePrecision, strict=True))
_CODES = {
    "where_prec": (frozenset(_WHERE_PREC), "a precision code 1-7"),
    "date_prec": (frozenset("12345"), "a precision code 1-5"),
    "event_clarity": (frozenset("12"), "1 (high clarity) or 2 (lower clarity)"),
    "active_year": (frozenset("01"), "0 or 1"),
}
"""The codes each coded column may hold (an empty cell: none given), and what they are."""
_DATE_PREC_DAYS = {"1": (1, 1), "2": (2, 6), "3": (7, 7), "4": (8, 31), "5": (32, None)}
"""The fewest and most days from ``date_start`` to ``date_end`` that each ``date_prec`` covers
(the codebook's exact day, 2-6 days, week, 8-30 days or month, longer or year)."""
_DATE_PREC_RULE = (
    "date_prec does not fit the days from date_start to date_end "
    "(1: 1, 2: 2-6, 3: 7, 4: 8-31, 5: 32 or more): span kept as dated"
)
_BEST_RULE = "best is not the sum of the four deaths_* columns: both kept as given"
_REFERENCE_RULE = (
    "the same reference quoted more than once: one source made, the cell kept in source_values"
)
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


def _date(text: str, column: str) -> datetime.date:
    day = text.strip().split(" ")[0].split("T")[0]
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        raise BadRow(f"{column}: {text!r} is not a date (YYYY-MM-DD)") from None


def _span(start: str, end: str, day: Callable[[datetime.date], TimeSpan]) -> TimeSpan:
    first, last = _date(start, "date_start"), _date(end, "date_end")
    if last < first:
        raise BadRow(f"date_end {last} is before date_start {first}")
    if first.day == 1 and last != first:
        for precision in (Precision.MONTH, Precision.YEAR):
            if unit_start(first, precision) == first and unit_end(first, precision) == last:
                return TimeSpan(first, last, precision)
    return day(first) if last == first else TimeSpan(first, last, Precision.DAY)


def _kind(code: str) -> EngagementKind:
    kind = _KINDS.get(code.strip())
    if kind is None:
        raise BadRow(
            f"type_of_violence: {code!r} is not 1, 2 or 3 (state-based, non-state, one-sided)"
        )
    return kind


def _sides(a_id: str, a_name: str, b_id: str, b_name: str) -> tuple[tuple[str, str], ...]:
    """The UCDP ids and names of side a and side b."""
    sides = ((a_id.strip(), a_name.strip()), (b_id.strip(), b_name.strip()))
    for (ucdp_id, name), side in zip(sides, "ab", strict=True):
        if not ucdp_id or not name:
            raise BadRow(f"side_{side}: needs both side_{side} and side_{side}_new_id")
    if sides[0][0] == sides[1][0]:
        raise BadRow(f"side_a and side_b are the same actor (UCDP id {sides[0][0]})")
    return sides


def _code(text: str, column: str) -> str:
    """The code in a cell of ``column``, stripped (``""``: none given); one that is not among
    the column's ``_CODES`` is refused."""
    code = text.strip()
    codes, meaning = _CODES[column]
    if code and code not in codes:
        raise BadRow(f"{column}: {code!r} is not {meaning}")
    return code


def _where_precision(code: str) -> PlacePrecision | None:
    return _WHERE_PREC.get(_code(code, "where_prec"))


def _aggregate(code: str) -> bool:
    """Whether an ``event_clarity`` code marks a row that sums several incidents."""
    return _code(code, "event_clarity") == "2"


def _date_note(code: str, start: str, end: str) -> tuple[str, str, str, str] | None:
    """What the report says of a ``date_prec`` that does not fit the span from ``start`` to
    ``end``: the column, the code, the span kept and the rule; ``None`` when it fits (or is
    not given)."""
    code = _code(code, "date_prec")
    if not code:
        return None
    first, last = _date(start, "date_start"), _date(end, "date_end")
    days = (last - first).days + 1
    fewest, most = _DATE_PREC_DAYS[code]
    if fewest <= days and (most is None or days <= most):
        return None
    span = str(_span(start, end, TimeSpan.day))
    return ("date_prec", code, span, _DATE_PREC_RULE)


def _best_note(*cells: str) -> tuple[str, str, str, str] | None:
    """What the report says of a ``best`` that is not the sum of the deaths (``cells``: the
    four deaths_* cells, then best's): the column, best twice (it is kept) and the rule;
    ``None`` when it is the sum."""
    *deaths, best = map(text_count, cells, _BEST_COLUMNS)
    if sum(deaths) == best:
        return None
    return ("best", str(best), str(best), _BEST_RULE)


def _place_kind(name: str, where_prec: str) -> LocationKind:
    last = name.rsplit(" ", 1)[-1].casefold()
    if last in _PLACE_KINDS:
        return _PLACE_KINDS[last]
    return LocationKind.SITE if where_prec.strip() in ("1", "2") else LocationKind.AREA


def _quoted(article: str) -> list[str]:
    """The quoted references in ``source_article``, in order, repeats included."""
    text = article.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        parts = text[1:-1].split('";"')
    else:
        parts = [text]
    return list(filter(None, map(str.strip, parts)))


def _references(article: str) -> tuple[str, ...]:
    """The quoted references in ``source_article``, each once."""
    return tuple(dict.fromkeys(_quoted(article)))


def _reference_note(article: str) -> tuple[str, str, str, str] | None:
    """What the report says of a ``source_article`` that quotes a reference more than once:
    the column, the cell, the references made (each once) and the rule; ``None`` when no
    reference repeats."""
    once = _references(article)
    if len(once) == len(_quoted(article)):
        return None
    return ("source_article", article, ";".join(f'"{part}"' for part in once), _REFERENCE_RULE)


def _source_columns(
    references: list[str], published: Callable[[str], TimeSpan | None]
) -> dict[str, Sequence[Any] | Coded]:
    """The arguments of the source of each reference, column by column: its id, and the
    publisher, date and title it gives as ``publisher, YYYY-MM-DD, title`` (else it is the
    title)."""
    import numpy as np

    ids: list[str] = []
    titles: list[str] = []
    publishers: dict[str | None, int] = {None: 0}
    dates: dict[str | None, int] = {None: 0}
    codes: list[tuple[int, int]] = []
    for reference in references:
        digest = hashlib.blake2b(reference.encode("utf-8"), digest_size=6).hexdigest()
        ids.append(f"ucdp-source-{digest}")
        match = _REFERENCE.fullmatch(reference)
        publisher, date, title = match.groups() if match else ("", "", "")
        if not (title := title.strip()):
            titles.append(reference)
            codes.append((0, 0))
            continue
        titles.append(title)
        codes.append(
            (
                publishers.setdefault(publisher.strip(), len(publishers)),
                dates.setdefault(date, len(dates)),
            )
        )
    numbers = np.array(codes, dtype=np.int64).reshape(-1, 2)
    return {
        "id": ids,
        "title": titles,
        "publisher": Coded(list(publishers), numbers[:, 0]),
        "published": Coded(
            [None if date is None else published(date) for date in dates], numbers[:, 1]
        ),
    }


def _published(date: str, day: Callable[[datetime.date], TimeSpan]) -> TimeSpan | None:
    """The day of a reference's date."""
    try:
        return day(datetime.date.fromisoformat(date))
    except ValueError:
        return None


def _originals(originals: str, offices: str) -> tuple[Source, ...]:
    """Sources for the original sources the row's offices did not themselves publish."""
    published = {office.strip().casefold() for office in offices.split(";")}
    return tuple(
        Source(id=f"ucdp-original-{slug(name)}", title=name)
        for name in dict.fromkeys(part.strip() for part in originals.split(";"))
        if name and name.casefold() not in published
    )


def _ids(sources: tuple[Source, ...]) -> tuple[str, ...]:
    """The ids of ``sources``."""
    return tuple(source.id for source in sources)


def _reported_total(low: str, best: str, high: str) -> tuple[Estimate, bool]:
    """``low`` / ``best`` / ``high``, the low lowered and the high raised to the best; and
    whether either was."""
    least, most = text_count(low, "low"), text_count(high, "high")
    figure = text_count(best, "best")
    return Estimate(min(least, figure), figure, max(most, figure)), least > figure or most < figure


def _casualties(actor: str | None, killed: int) -> Casualties:
    return Casualties(actor, killed=Estimate.best_only(killed))


def _counted(column: str) -> Callable[[str], int]:
    return functools.partial(text_count, column=column)


class _GedImport:
    """The records made from the rows taken so far."""

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
        self.day = functools.cache(TimeSpan.day)
        self.published = functools.partial(_published, day=self.day)
        self.casualty = functools.cache(_casualties)
        """Days and casualty entries, each made once per import and shared by the rows that
        give it (they are frozen)."""
        self.builders = (Builder(Engagement), Builder(Source))
        self.checked: list[layout.ClassColumns] | None = None
        """The events checked, not made (:meth:`prepare_columns`)."""
        self.columns_first = False
        self.made_dimensions: list[Record] | None = None

    def prepare_columns(self, table: CsvTable) -> dict[int, str]:
        self.columns_first = True
        return self.prepare(table)

    def prepare(self, table: CsvTable) -> dict[int, str]:
        import numpy as np

        self.table = table
        kinds = table.parsed(_kind, "type_of_violence")
        sides = table.parsed(_sides, *_SIDE_COLUMNS)
        self.counts = [table.parsed(_counted(column), column) for column in _COUNTS]
        span = table.parsed(functools.partial(_span, day=self.day), "date_start", "date_end")
        point = table.parsed(text_point, "latitude", "longitude")
        country = table.parsed(functools.partial(text_named, column="country"), "country")
        where_precision = table.parsed(_where_precision, "where_prec")
        aggregate = table.parsed(_aggregate, "event_clarity")
        codes = [
            table.parsed(functools.partial(_code, column=column), column)
            for column in ("date_prec", "active_year")
        ]
        self.refusals = first_reasons(
            [kinds, sides, *self.counts, span, point, country, where_precision, aggregate, *codes]
        )
        self.ids = table.texts("id")
        self.event_ids = [_NO_ID + raw_id.strip() for raw_id in self.ids]
        self.sides = sides
        self.totals = table.parsed(_reported_total, "low", "best", "high")
        """Per row, the reported total, and whether it changes ``low`` or ``high``."""
        self.notes = [
            table.parsed(_best_note, *_BEST_COLUMNS),
            table.parsed(_date_note, "date_prec", "date_start", "date_end"),
            table.parsed(_reference_note, "source_article"),
        ]
        """Per row, what the report says of a ``best`` or ``date_prec`` kept as given though
        it contradicts the row's other cells, and of a ``source_article`` whose repeated
        references make one source each (``None``: nothing)."""
        self.adjusting: NDArray[np.bool_] = np.logical_or.reduce(
            [
                self.totals.holds(operator.itemgetter(1)),
                *(notes.holds(lambda note: note is not None) for notes in self.notes),
            ]
        )
        """Per row, whether :meth:`_adjusted` reports on it (its point aside)."""
        self.arguments: dict[str, Parsed[Any]] = {
            "when": span,
            "description": table.parsed(str.strip, "dyad_name"),
            "kind": kinds,
            "where_precision": where_precision,
            "aggregate": aggregate,
            "reported_total": self.totals.map(operator.itemgetter(0)),
        }
        """The arguments of an event made of its row's cells alone, by keyword."""
        self.where: list[Parsed[Any]] = [
            country,
            *(
                table.parsed(str.strip, name)
                for name in ("country_id", "adm_1", "adm_2", "where_coordinates")
            ),
            table.parsed(_place_kind, "where_coordinates", "where_prec"),
            point,
        ]
        """Per row: the country, the country id, adm_1, adm_2 and where_coordinates, stripped;
        the kind of place; the point."""
        references = self._cited(table.parsed(_references, "source_article"))
        originals = table.parsed(_originals, "source_original", "source_office")
        self.source_refusals = first_reasons([references, originals])
        self.cited: list[tuple[list[tuple[Source, ...]], NDArray[Any]]] = [
            (references.values, table.combination_numbers("source_article")),
            (originals.values, table.combination_numbers("source_original", "source_office")),
        ]
        """Per row, the sources of its references and its original sources, with a number
        for the cells they come from."""
        self.reference_ids = references.map(_ids)
        self.original_ids = originals.map(_ids)
        self.sourced: list[int] = []
        """The rows whose sources the dataset holds (see :meth:`records`), in file order."""
        self.kept_columns = list(dict.fromkeys(n for n in table.header if n not in _MAPPED))
        self.kept = table.kept(self.kept_columns)
        self.kept_names = table.filled(self.kept_columns)
        """Per row, the columns it keeps, for the report (shared, so counted once each)."""
        self.where_keys = table.combination_numbers(*_WHERE_COLUMNS)
        self.located: dict[int, tuple[str, bool]] = {}
        self.side_keys = table.combination_numbers(*_SIDE_COLUMNS)
        self.side_actors: dict[int, tuple[str, str]] = {}
        self.party_keys = table.combination_numbers(*_SIDE_COLUMNS, "type_of_violence")
        self.parties: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        """Initiators and targets, by the cells they come from."""
        self.killed_keys = table.combination_numbers(
            *_SIDE_COLUMNS, *_COUNTS[:4], "type_of_violence"
        )
        self.casualty_lists: dict[int, tuple[Casualties, ...]] = {}
        """Casualty entries, by the cells they come from."""
        self.source_keys = table.combination_numbers(
            "source_article", "source_original", "source_office"
        )
        named = [event_id for event_id in self.event_ids if event_id != _NO_ID]
        if len(set(named)) == len(named):
            return self._take_columns()
        return self._take_each()

    def _cited(self, cited: Parsed[tuple[str, ...]]) -> Parsed[tuple[Source, ...]]:
        """The sources of the references ``cited`` by each row, each reference's made once
        (and all together); cells citing one its class refuses are refused, for the reason
        it gives of the first."""
        articles, index = cited.coded()
        references = list(dict.fromkeys(chain.from_iterable(filter(None, articles))))
        built, errors = self.builders[1].build_all(
            _source_columns(references, self.published), len(references)
        )
        sources = cast(dict[str, Source], dict(zip(references, built, strict=True)))
        refusals = {references[n]: reason for n, reason in refusal_reasons(errors).items()}
        reasons = [
            next(filter(None, map(refusals.get, article or ())), None) for article in articles
        ]
        made: list[tuple[Source, ...] | None] = [
            None if reason else tuple(map(sources.__getitem__, article or ()))
            for article, reason in zip(articles, reasons, strict=True)
        ]
        return Parsed(made, reasons, index)

    def _take_each(self) -> dict[int, str]:
        """Take the rows one by one in file order (:meth:`_take`); why each row refused is
        refused, by row."""
        refused: dict[int, str] = {}
        for row, line in enumerate(self.table.lines.tolist()):
            try:
                self._take(line, row)
            except (BadRow, ValidationError) as error:
                refused[row] = str(error)
                drop_frames(error)
        return refused

    def _take(self, line: int, row: int) -> None:
        """Take row ``row``; raise :class:`BadRow` or ValidationError to refuse it."""
        event_id = self.event_ids[row]
        if event_id in self.lines or event_id == _NO_ID:
            raw_id = self.ids[row]
            if event_id == _NO_ID:
                raise BadRow("id: empty")
            raise BadRow(f"id: {raw_id!r} repeats the event on line {self.lines[event_id]}")
        reason = self.refusals.get(row)
        if reason is not None:
            raise BadRow(reason)
        where, at_point = self._located(row)
        actors = self.side_actors.get(self.side_keys.item(row))
        if actors is None:
            actors = self._sides(line, event_id, row)
        casualties = self.casualty_lists.get(self.killed_keys.item(row))
        if casualties is None:
            casualties = self._casualties(line, event_id, row, *actors)
        kept, kept_names = self._kept(line, event_id, row, at_point)
        reason = self.source_refusals.get(row)
        if reason is not None:
            raise BadRow(reason)
        self.sourced.append(row)
        initiators, targets = self._parties(row)
        self.events[event_id] = Engagement(
            id=event_id,
            **{keyword: parsed.value(row) for keyword, parsed in self.arguments.items()},
            where=where,
            sources=self._source_ids([row])[0],
            initiators=initiators,
            targets=targets,
            casualties=casualties,
            source_values=kept,
        )
        self.lines[event_id] = line
        self.report.keep(kept_names)

    def _take_columns(self) -> dict[int, str]:
        """Take the rows as :meth:`_take_each` takes them one by one, for a file whose event
        ids do not repeat (so that no row's fate hangs on another's): each place, pair of
        sides, casualty list and set of sources made once, at the first row that gives its
        cells, and the events built column by column. Gives why each row refused is refused,
        by row."""
        import numpy as np

        table, ids = self.table, self.event_ids
        refused = {row: "id: empty" for row, event_id in enumerate(ids) if event_id == _NO_ID}
        for row, reason in self.refusals.items():
            refused.setdefault(row, reason)
        taken = np.ones(table.rows, dtype=bool)
        taken[list(refused)] = False
        rows = np.flatnonzero(taken)
        where_codes, first = numbered(self.where_keys[rows])
        resolved = self._resolve(rows[first])
        at_point = np.ones(table.rows, dtype=bool)
        at_point[rows] = np.array([at for _, at in resolved], bool)[where_codes]
        adjusted = rows[~at_point[rows] | self.adjusting[rows]]
        """The rows whose kept cells :meth:`_kept` changes."""
        killed_codes, killed_first = numbered(self.killed_keys[rows])
        firsts = [numbered(self.side_keys[rows])[1], killed_first]
        kept: list[immutabledict[str, str]] = list(self.kept)
        kept_names: list[Collection[str]] = list(self.kept_names)
        failed: dict[int, str] = {}
        """By their cells, why the casualty lists that cannot be made are refused."""
        adjusting = set(adjusted.tolist())
        for row in np.union1d(rows[np.concatenate(firsts)], adjusted).tolist():
            event_id, line = ids[row], table.lines.item(row)
            actors = self.side_actors.get(self.side_keys.item(row))
            if actors is None:
                actors = self._sides(line, event_id, row)
            killed = self.killed_keys.item(row)
            if killed not in self.casualty_lists and killed not in failed:
                try:
                    self._casualties(line, event_id, row, *actors)
                except (BadRow, ValidationError) as error:
                    failed[killed] = str(error)
            if row in adjusting and killed not in failed:
                kept[row], kept_names[row] = self._kept(line, event_id, row, bool(at_point[row]))
        for row in rows[np.isin(self.killed_keys[rows], list(failed))].tolist():
            refused[row] = failed[self.killed_keys.item(row)]
        for row, reason in self.source_refusals.items():
            refused.setdefault(row, reason)
        taken[list(refused)] = False
        still = taken[rows]
        killed = self.killed_keys[rows[killed_first]].tolist()
        coded = {
            "where": Coded([where for where, _ in resolved], where_codes[still]),
            "casualties": Coded(list(map(self.casualty_lists.get, killed)), killed_codes[still]),
        }
        """The places and casualty lists of the rows taken, as numbered before some were
        refused (the numbers of those refused are left unused)."""
        rows = rows[still]
        self.sourced = rows.tolist()
        if self.columns_first:
            checked, reasons = checked_events(
                self.builders[0], rows, self._columns(rows, kept, coded)
            )
            refused.update(reasons)
            self.checked = [checked]
            made = checked.rows.tolist()
            deque(map(self.report.keep, [kept_names[row] for row in made]), maxlen=0)
            return refused
        built, errors = self.builders[0].build_all(self._columns(rows, kept, coded), len(rows))
        for number, reason in refusal_reasons(errors).items():
            refused[self.sourced[number]] = reason
        events = [(row, e) for row, e in zip(self.sourced, built, strict=True) if e is not None]
        self.events = {event.id: event for _, event in events}
        deque(map(self.report.keep, [kept_names[row] for row, _ in events]), maxlen=0)
        return refused

    def event_columns(self) -> list[layout.ClassColumns]:
        """The events checked by :meth:`prepare_columns`, not made, by class (those of a file
        whose ids repeat, taken row by row, are made)."""
        from conflictmodel.tables import layout

        if self.checked is None:
            return layout.record_columns(list(self.events.values()))
        return self.checked

    def stamps(self) -> tuple[Any, Any, Any, Stamps]:
        """Every record's version in the release read (none without one), in the order of
        :meth:`records`: the collection, id and number of each, and the stamps numbered."""
        from conflictmodel.tables import lazy

        stamps = lazy.Stamps()
        number = stamps.current(self.released, self.release)
        keys = [(record.collection, record.id) for record in self.dimensions()]
        if self.checked is None:
            keys += [("events", event_id) for event_id in self.events]
        else:
            ids = self.event_ids
            keys += [("events", ids[row]) for group in self.checked for row in group.rows.tolist()]
        if number is None:
            keys = []
        collections, record_ids = zip(*keys, strict=True) if keys else ((), ())
        return collections, record_ids, [number] * len(keys), stamps

    def _columns(
        self, rows: NDArray[Any], kept: list[immutabledict[str, str]], coded: dict[str, Coded]
    ) -> dict[str, Sequence[Any] | Coded]:
        """The arguments of the events of ``rows``, column by column; those ``coded`` as
        given."""
        columns: dict[str, Sequence[Any] | Coded] = {
            keyword: Coded(made, index[rows])
            for keyword, (made, index) in (
                (keyword, parsed.coded()) for keyword, parsed in self.arguments.items()
            )
        }
        columns |= coded
        codes, first = numbered(self.source_keys[rows])
        columns["sources"] = Coded(self._source_ids(rows[first].tolist()), codes)
        codes, first = numbered(self.party_keys[rows])
        parties = list(map(self._parties, rows[first].tolist()))
        for number, keyword in enumerate(("initiators", "targets")):
            columns[keyword] = Coded([both[number] for both in parties], codes)
        taken = rows.tolist()
        columns["id"] = [self.event_ids[row] for row in taken]
        columns["source_values"] = [kept[row] for row in taken]
        return columns

    def _located(self, row: int) -> tuple[str, bool]:
        """The location of ``row``, and whether its point is the location's: resolved at the
        first row of its cells."""
        key = self.where_keys.item(row)
        found = self.located.get(key)
        if found is None:
            found = self.located[key] = self._resolve([row])[0]
        return found

    def _kept(
        self, line: int, event_id: str, row: int, at_point: bool
    ) -> tuple[immutabledict[str, str], Collection[str]]:
        """The cells the event of ``row`` keeps, and their columns (for the report)."""
        if at_point and not self.adjusting.item(row):
            return self.kept[row], self.kept_names[row]
        kept = self._adjusted(line, event_id, row, self.kept[row], at_point)
        return kept, kept

    def _source_ids(self, rows: list[int]) -> list[tuple[str, ...]]:
        """The ids of the sources of each of ``rows``: its references', then its original
        sources'."""
        references: list[Any]
        originals: list[Any]
        references, of_reference = self.reference_ids.coded()
        originals, of_original = self.original_ids.coded()
        return [
            references[of_reference.item(row)] + originals[of_original.item(row)] for row in rows
        ]

    def _civilians(self, row: int) -> bool:
        """Whether the row names the civilians: as side b, or by a death among them."""
        return bool(self.counts[2].value(row)) or self.sides.value(row)[1][0] == CIVILIANS_ID

    def _casualties(
        self, line: int, event_id: str, row: int, side_a: str, side_b: str
    ) -> tuple[Casualties, ...]:
        """The casualty entries of the row's cells, made at the first row of them."""
        deaths_a, deaths_b, deaths_civilians, deaths_unknown = (
            count.value(row) for count in self.counts[:4]
        )
        killed: dict[str | None, int] = {side_a: deaths_a, side_b: deaths_b}
        if not deaths_a and self.arguments["kind"].value(row) is EngagementKind.ONE_SIDED_VIOLENCE:
            del killed[side_a]
        if self._civilians(row):
            civilians = self._actor(line, event_id, "deaths_civilians", CIVILIANS_ID, "Civilians")
            killed[civilians] = killed.get(civilians, 0) + deaths_civilians
        if deaths_unknown:
            killed[None] = deaths_unknown
        casualties = self.casualty_lists[self.killed_keys.item(row)] = tuple(
            self.casualty(actor, n) for actor, n in killed.items()
        )
        return casualties

    def _parties(self, row: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Initiators and targets: side a against side b in one-sided violence, else both
        sides targets of a clash no one is said to have started; made at the first row of
        their cells (whose sides are made)."""
        key = self.party_keys.item(row)
        parties = self.parties.get(key)
        if parties is None:
            side_a, side_b = self.side_actors[self.side_keys.item(row)]
            one_sided = self.arguments["kind"].value(row) is EngagementKind.ONE_SIDED_VIOLENCE
            parties = self.parties[key] = (
                ((side_a,), (side_b,)) if one_sided else ((), (side_a, side_b))
            )
        return parties

    def _adjusted(
        self, line: int, event_id: str, row: int, kept: immutabledict[str, str], at_point: bool
    ) -> immutabledict[str, str]:
        """``kept`` with the cells of a point that is not the location's, and of a ``low`` or
        ``high`` the reported total changes, and of a ``source_article`` quoting a reference
        more than once (each change reported, as is a ``best`` or ``date_prec`` kept though it
        contradicts the row)."""
        low, best, high = (count.value(row) for count in self.counts[4:])
        extra: dict[str, str] = {}
        if not at_point:
            extra["latitude"] = self.table.column("latitude")[row].as_py()
            extra["longitude"] = self.table.column("longitude")[row].as_py()
        if low > best:
            self.report.normalise(line, event_id, "low", low, best, "low above best: set to best")
            extra["low"] = self.table.column("low")[row].as_py()
        if high < best:
            self.report.normalise(
                line, event_id, "high", high, best, "high below best: set to best"
            )
            extra["high"] = self.table.column("high")[row].as_py()
        for notes in self.notes:
            note = notes.value(row)
            if note is not None:
                self.report.normalise(line, event_id, *note)
                column, cell, *_ = note
                if column == "source_article":
                    extra[column] = cell
        return kept | extra

    def _resolve(self, rows: NDArray[Any] | list[int]) -> list[tuple[str, bool]]:
        """Where each of ``rows`` is, resolved in their order, and whether its point is that
        location's."""
        cells = [
            list(map(made.__getitem__, index[rows].tolist()))
            for made, index in (parsed.coded() for parsed in self.where)
        ]
        return [
            self.places.resolve(
                [
                    (
                        country,
                        LocationKind.COUNTRY,
                        {COUNTRY_SCHEME: country_id} if country_id else None,
                    ),
                    (adm_1, LocationKind.REGION, None),
                    (adm_2, LocationKind.DISTRICT, None),
                ],
                place,
                kind,
                point,
            )
            for country, country_id, adm_1, adm_2, place, kind, point in zip(*cells, strict=True)
        ]

    def _sides(self, line: int, event_id: str, row: int) -> tuple[str, str]:
        """The actors of side a and b, made (or named again) at the first row of their cells."""
        actors = self.side_actors.get(self.side_keys.item(row))
        if actors is None:
            (a_id, a_name), (b_id, b_name) = self.sides.value(row)
            actors = self.side_actors[self.side_keys.item(row)] = (
                self._actor(line, event_id, "side_a", a_id, a_name),
                self._actor(line, event_id, "side_b", b_id, b_name),
            )
        return actors

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

    def records(self) -> list[Record]:
        return [*self.dimensions(), *self.events.values()]

    def dimensions(self) -> list[Record]:
        """The actors, their coalitions, the places and the sources of the rows taken (worked
        out once)."""
        if self.made_dimensions is not None:
            return self.made_dimensions
        self._take_sources()
        self._drop_rows()
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
        self.made_dimensions = [
            *actors,
            *self._coalitions(actors),
            *self.places.locations(),
            *self.sources.values(),
        ]
        return self.made_dimensions

    def _drop_rows(self) -> None:
        """Let go of the values read per row once every row is taken (the records hold those
        they use), so that the collector's first pass after the import does not walk them."""
        self.where.clear()
        self.cited.clear()
        self.kept.clear()
        self.kept_names.clear()

    def _take_sources(self) -> None:
        """The sources of the rows taken, in the order of the first row to cite each (a row's
        references before its original sources)."""
        import numpy as np

        rows = np.array(self.sourced, dtype=np.int64)
        firsts = [
            rows[numbered(keys[rows])[1]] * 2 + number
            for number, (_, keys) in enumerate(self.cited)
        ]
        for first in np.sort(np.concatenate(firsts)).tolist():
            row, number = divmod(first, 2)
            for source in self.cited[number][0][row]:
                self.sources.setdefault(source.id, source)

    def versions(self, records: Iterable[Record]) -> list[Version]:
        if self.release is None and self.released is None:
            return []
        return [
            Version(record=record, recorded=self.released, release=self.release)
            for record in records
        ]

    def _coalitions(self, actors: list[Actor]) -> list[Relation]:
        """A member's ``affiliated_with`` relation to each coalition side naming it; the
        report notes the members named only in coalitions, which no actor stands for."""
        by_name = {name: actor.id for actor in actors for name in actor.names}
        relations: list[Relation] = []
        unrelated: dict[str, None] = {}
        for actor in actors:
            members = [part.strip() for part in actor.name.split(",")]
            if len(members) < 2:
                continue
            unrelated.update((m, None) for m in members if m not in by_name)
            for member_id in dict.fromkeys(by_name.get(member) for member in members):
                if member_id is not None and member_id != actor.id:
                    relations.append(
                        Relation(
                            id=f"{member_id}-in-{actor.id}",
                            source=member_id,
                            kind=RelationKind.AFFILIATED_WITH,
                            target=actor.id,
                        )
                    )
        if unrelated:
            self.report.note(
                f"{len(unrelated):,} members of coalition sides are never a side of their own, so "
                "no actor stands for them and only the coalition's name says they took part: "
                + ", ".join(sorted(unrelated, key=str.casefold))
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
    lazy: bool | None = None,
) -> ImportResult:
    """Read a UCDP GED CSV file (19.1 or 23.x/25.x layout) into a dataset and a report.

    ``release`` ("GED 19.1") and ``released`` (the day it was published) date every record
    made, so that releases read this way combine with :meth:`~conflictmodel.Dataset.updated`
    into one dataset that :meth:`~conflictmodel.Dataset.as_of` can look back into.

    ``errors="raise"`` raises :class:`~conflictmodel.errors.ImportRowError` at the first bad
    row instead of listing it. ``progress`` shows a bar on standard error (by default only when
    it is a terminal) or calls ``progress(rows_done, rows_expected)``. :doc:`/data` walks
    through an import.

    ``lazy`` works as in :func:`conflictmodel.io.acled.read_acled`: ``lazy=True`` lays the
    events out in tables DuckDB holds without making them (and every record's version in the
    release beside them), and the default does so from
    :data:`~conflictmodel.io._csvfile.LAZY_FROM_ROWS` rows (the whole GED) when the ``arrow``
    extra is installed.
    """
    return import_csv(
        path,
        what="UCDP GED",
        required=REQUIRED_COLUMNS,
        errors=errors,
        progress=progress,
        layout=_layout,
        importer=lambda report: _GedImport(report, release, to_optional_moment(released)),
        counted=("actors", "relations", "locations", "sources", "events"),
        lazy=lazy,
    )


def _layout(header: list[str]) -> str:
    layout = "23.x/25.x" if "relid" in header else "19.1"
    return f"UCDP GED {layout} layout, {len(header)} columns"
