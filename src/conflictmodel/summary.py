"""Readable text about a dataset: an overview (:func:`overview`), the full listing of its
records (:func:`summarise`) and what the queries find (:func:`findings`)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from typing import Any

from conflictmodel._words import counted, counted_records
from conflictmodel.claims import (
    UNATTRIBUTED,
    Claim,
    Controls,
    describe_statement,
)
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, EngagementKind, Event, Toll
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries import (
    Certainty,
    casualties_by_actor,
    ceasefire_violations,
    control_timeline,
    disputes,
)
from conflictmodel.queries.counts import event_counts, most_first
from conflictmodel.queries.results import actor_label, name_of

TOP = 5
"""How many actors and places an overview names."""


def describe_claim(claim: Claim, ds: Dataset | None = None) -> str:
    """``claimant asserts|denies: statement``; with ``ds``, the actors, places and agreements
    it holds by name.

    >>> import conflictmodel as cm
    >>> from conflictmodel.summary import describe_claim
    >>> seed = cm.examples.idlib_2020()
    >>> print(describe_claim(seed.claims["sana-saraqeb-control"], seed))
    Syrian Arab News Agency asserts (2020-02-06): Syrian Arab Army controls Saraqeb since ...
    """
    made = f" ({claim.made})" if claim.made else ""
    claimant = UNATTRIBUTED if claim.claimant is None else name_of(ds, "actors", claim.claimant)
    statement = describe_statement(claim.statement, functools.partial(name_of, ds))
    return f"{claimant} {claim.stance.value}{made}: {statement}"


def _event_line(ds: Dataset, event: Event) -> str:
    def actors(ids: tuple[str, ...], none: str) -> str:
        return ", ".join(actor_label(ds, actor) for actor in ids) or none

    place = f" at {name_of(ds, 'locations', event.where)}" if event.where else ""
    line = f"{event.when!s:<22} {event.id}{place}"
    if isinstance(event, Engagement):
        by, on = actors(event.initiators, "unknown"), actors(event.targets, "unnamed")
        if event.kind is EngagementKind.ARMED_CLASH and not event.initiators:
            line += f" [{event.kind.value} between {' and '.join(on.rsplit(', ', 1))}]"
        else:
            line += f" [{event.kind.value}: {by} -> {on}]"
        for entry in event.casualties:
            if entry.killed is not None:
                line += f"; {actor_label(ds, entry.actor)} killed {entry.killed:,}"
        if event.captured is not None:
            change = event.captured
            taken = name_of(ds, "locations", change.location)
            line += f"; {actor_label(ds, change.gained_by)} takes {taken}"
    if isinstance(event, Toll):
        figures = [
            f"{label} {value:,}"
            for label, value in (("killed", event.killed), ("displaced", event.displaced))
            if value
        ]
        line += f" [toll: {', '.join(figures)}]"
    return line


def summary_lines(ds: Dataset) -> Iterator[str]:
    """The lines of :func:`summarise`: every record, each actor, place and agreement it names
    by name (records by id where they have no name)."""
    yield f"{ds!r}"
    yield ""
    yield "Actors"
    for actor in ds.actors.values():
        parent = f", part of {actor_label(ds, actor.part_of)}" if actor.part_of else ""
        yield f"  {actor.id:<18} {actor.name} ({actor.kind.value}{parent})"
    for relation in ds.relations.values():
        span = f" ({relation.span})" if relation.span else ""
        source, target = actor_label(ds, relation.source), actor_label(ds, relation.target)
        yield f"  {source} {relation.kind.value} {target}{span}"
    yield ""
    yield "Agreements"
    for agreement in ds.agreements.values():
        sides = " vs ".join(", ".join(actor_label(ds, a) for a in side) for side in agreement.sides)
        scope = ", ".join(name_of(ds, "locations", area) for area in agreement.scope)
        yield (
            f"  {agreement.id:<18} {agreement.name}: {agreement.kind.value} signed "
            f"{agreement.signed}, effective {agreement.effective}; sides {sides}; "
            f"scope {scope or 'everywhere'}"
        )
    yield ""
    yield "Events"
    for event in sorted(ds.events.values(), key=lambda e: e.when.sort_key):
        yield "  " + _event_line(ds, event)
    yield ""
    yield "Claims"
    for claim in ds.claims.values():
        yield "  " + describe_claim(claim, ds)


def summarise(ds: Dataset) -> str:
    """A readable summary of ``ds``; ``make demo`` prints it for the seed."""
    return "\n".join(summary_lines(ds))


def _places_changing_hands(ds: Dataset) -> list[str]:
    captured = {
        event.captured.location
        for event in ds.events.values()
        if isinstance(event, Engagement) and event.captured is not None
    }
    claimed = {
        c.statement.location for c in ds.claims.values() if isinstance(c.statement, Controls)
    }
    return sorted(captured | claimed)


def findings_lines(ds: Dataset) -> Iterator[str]:
    """The lines of :func:`findings`."""
    yield "Ceasefire violations"
    for violation in ceasefire_violations(ds):
        yield f"  - {violation.explain(ds)}"
    yield ""
    yield "Killed by actor: best (low–high), from the record, or from claims where it has none"
    table = casualties_by_actor(ds)
    labels = {actor: actor_label(ds, actor) for actor in table}
    width = max(map(len, labels.values()), default=0)
    for actor, estimate in table.items():
        alleged = ", ".join(actor_label(ds, a) for a in table.alleged_by(actor))
        source = f"claims by {alleged}" if table.rests_on_claims(actor) else "record"
        denying = ", ".join(actor_label(ds, a) for a in table.denied_by(actor))
        denied = f"; denied by {denying}" if denying else ""
        yield f"  {labels[actor]:<{width}}  {format(estimate, ','):<14}  {source}{denied}"
    yield ""
    yield "Control"
    for location in _places_changing_hands(ds):
        spans = ", then ".join(
            f"{actor_label(ds, held.holder)} {held.span}" for held in control_timeline(ds, location)
        )
        yield f"  {name_of(ds, 'locations', location)}: {spans}"
    yield ""
    yield "Disputes"
    found = disputes(ds)
    for line in found.lines():
        yield f"  {line}"
    if not found:
        yield "  none: no two claims on the same subject disagree"


def findings(ds: Dataset) -> str:
    """What the queries find in ``ds``: violations, killed by actor, control and disputes.

    >>> import conflictmodel as cm
    >>> print(findings(cm.examples.idlib_2020()).splitlines()[-1])
      none: no two claims on the same subject disagree
    """
    return "\n".join(findings_lines(ds))


def _region(ds: Dataset, location_id: str) -> str:
    """The place's region: the ancestor just inside the outermost one (or the place)."""
    chain = (location_id, *ds.location_ancestors(location_id))
    return chain[-2] if len(chain) > 1 else chain[-1]


def overview_data(ds: Dataset, top: int = TOP) -> dict[str, Any]:
    """What :func:`overview` prints, as plain data with names (for ``summary --json``). The
    killed are each figure's best (``None`` where some figure gives none) and its low and high
    (``None``: no ceiling); ``aggregates`` counts the events that are aggregates of several
    incidents (:attr:`~conflictmodel.Event.aggregate`); ``reported`` sums the events' own
    totals where the source states them (:attr:`~conflictmodel.Engagement.reported_total`,
    UCDP's low, best and high) as imported: after the importer's normalisations, which its
    report lists (a low above the best set to the best; the file's value kept in
    ``source_values``). On a dataset held in tables the counts and totals come from the
    engine; only the events a violation or a dispute rests on are built.

    >>> import conflictmodel as cm
    >>> data = overview_data(cm.examples.idlib_2020())
    >>> data["records"]["events"], data["first_day"], data["killed"]
    (14, '2011-03-01', None)
    >>> data["killed_low"], data["killed_high"]
    (50, 52)
    >>> data["most_killed"][0]  # doctest: +NORMALIZE_WHITESPACE
    {'id': 'syrian-army', 'name': 'Syrian Arab Army', 'killed': None, 'killed_low': 27,
     'killed_high': 29}
    """
    records = {name: len(table) for name, table in _collections(ds)}
    counts = event_counts(ds)
    table = casualties_by_actor(ds)
    ranked = sorted(
        table.items(), key=lambda item: (-item[1].best_or_low, item[0] is None, item[0] or "")
    )
    regions: Counter[str] = Counter()
    for place, count in counts.at.items():
        regions[_region(ds, place)] += count
    found = ceasefire_violations(ds, list(ds.agreements))
    violations = Counter(v.agreement for v in found)
    definite = Counter(v.agreement for v in found if v.certainty is Certainty.DEFINITE)
    return {
        "records": records,
        "event_types": dict(counts.types),
        "aggregates": counts.aggregates,
        "first_day": None if counts.first_day is None else counts.first_day.isoformat(),
        "last_day": None if counts.last_day is None else counts.last_day.isoformat(),
        **_killed(total(table.values())),
        "reported": None
        if counts.reported is None
        else {"events": counts.reporting, **_killed(counts.reported)},
        "most_killed": [
            {"id": actor, "name": actor_label(ds, actor), **_killed(estimate)}
            for actor, estimate in ranked[:top]
        ],
        "most_engaged": [
            {"id": actor, "name": actor_label(ds, actor), "events": count}
            for actor, count in list(most_first(counts.sides).items())[:top]
        ],
        "most_events_in": [
            {"id": place, "name": ds.locations[place].name, "events": count}
            for place, count in list(most_first(regions).items())[:top]
        ],
        "agreements": [
            {
                "id": agreement.id,
                "name": agreement.name,
                "kind": agreement.kind.value,
                "signed": None if agreement.signed is None else str(agreement.signed),
                "violations": violations[agreement.id],
                "definite": definite[agreement.id],
            }
            for agreement in ds.agreements.values()
        ],
        "claims": len(ds.claims),
        "claimants": counts.claimants,
        "unattributed": counts.unattributed,
        "disputes": len(disputes(ds)) if ds.claims else 0,
    }


def _killed(estimate: Estimate) -> dict[str, int | None]:
    return {"killed": estimate.best, "killed_low": estimate.low, "killed_high": estimate.high}


def _killed_text(row: dict[str, Any]) -> str:
    """The best figure of the killed in ``row``; their range where no best is known."""
    if row["killed"] is not None:
        return f"{row['killed']:,}"
    return f"{Estimate(row['killed_low'], None, row['killed_high']):,}"


def _collections(ds: Dataset) -> list[tuple[str, Any]]:
    names = ("actors", "relations", "locations", "agreements", "sources", "events", "claims")
    return [(name, getattr(ds, name)) for name in names]


def _ranked(title: str, rows: list[dict[str, Any]], measure: str) -> Iterator[str]:
    if not rows:
        return
    yield title
    width = max(len(row["name"]) for row in rows)
    figures = [_killed_text(row) if measure == "killed" else f"{row[measure]:,}" for row in rows]
    figure_width = max(len(figure) for figure in figures)
    for row, figure in zip(rows, figures, strict=True):
        yield f"  {row['name']:<{width}}  {figure:>{figure_width}}"


def overview_lines(ds: Dataset, top: int = TOP) -> Iterator[str]:
    """The lines of :func:`overview`."""
    data = overview_data(ds, top)
    counts = counted_records(data["records"])
    yield f"Records: {counts or 'none'}"
    if data["first_day"]:
        kinds = ", ".join(f"{tag} {n:,}" for tag, n in data["event_types"].items())
        if data["aggregates"]:
            kinds += f"; {data['aggregates']:,} of them aggregates of several incidents each"
        yield f"Events: {data['first_day']} to {data['last_day'] or 'open'} (by type: {kinds})"
    killed = _killed_text(data)
    yield "Killed (best, record or claims): " + (
        killed if data["killed"] is not None else f"no best figure, {killed}"
    )
    reported = data["reported"]
    if reported is not None:
        figure = Estimate(reported["killed_low"], reported["killed"], reported["killed_high"])
        events = reported["events"]
        yield f"Killed, the source's totals of {events:,} events, as imported: {figure:,}"
    yield from _ranked("Most killed, by the side that lost them", data["most_killed"], "killed")
    yield from _ranked("Most events, as a side", data["most_engaged"], "events")
    yield from _ranked("Most events, by region", data["most_events_in"], "events")
    for agreement in data["agreements"]:
        signed = f", signed {agreement['signed']}" if agreement["signed"] else ""
        yield (
            f"Agreement: {agreement['name']} ({agreement['kind']}{signed}): "
            f"{counted(agreement['violations'], 'violation')}"
            + (
                f" ({agreement['definite']:,} definite)"
                if agreement["definite"] != agreement["violations"]
                else ""
            )
        )
    if data["claims"]:
        yield (
            f"Claims: {data['claims']:,} by {counted(data['claimants'], 'claimant')}"
            + (f" ({data['unattributed']:,} unattributed)" if data["unattributed"] else "")
            + f"; {counted(data['disputes'], 'dispute')}"
        )


def overview(ds: Dataset, top: int = TOP) -> str:
    """A short overview of ``ds``: counts, span, the ``top`` actors and places, agreements and
    disputes; :func:`summarise` lists every record.

    >>> import conflictmodel as cm
    >>> print(overview(cm.examples.idlib_2020(), top=2))
    Records: 10 actors, 4 relations, 12 locations, 1 agreement, 2 sources, 14 events, 10 claims
    Events: 2011-03-01 to 2020-02-29 (by type: engagement 12, toll 2)
    Killed (best, record or claims): no best figure, 50 to 52
    Most killed, by the side that lost them
      Syrian Arab Army  27 to 29
      Syrian civilians        15
    Most events, as a side
      Syrian Arab Army  6
      Syria             4
    Most events, by region
      Idlib Governorate  6
      Syria              3
    Agreement: Idlib ceasefire (ceasefire, signed 2020-01-12): 7 violations (5 definite)
    Claims: 10 by 4 claimants (1 unattributed); 0 disputes
    """
    return "\n".join(overview_lines(ds, top))
