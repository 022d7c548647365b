"""A readable text summary of a dataset: actors, agreements, events and claims."""

from __future__ import annotations

from collections.abc import Iterator

from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Claim,
    Controls,
    Occurred,
    Statement,
    Violated,
)
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, Event, Toll
from conflictmodel.queries import (
    casualties_by_actor,
    ceasefire_violations,
    control_timeline,
    disputes,
)


def describe_statement(statement: Statement) -> str:
    """One line for a statement, in words.

    >>> describe_statement(Attribution("airstrike", ["turkey"]))
    'airstrike was carried out by turkey'
    """
    if isinstance(statement, Occurred):
        return f"{statement.event} took place"
    if isinstance(statement, Attribution):
        return f"{statement.event} was carried out by {', '.join(statement.perpetrators)}"
    if isinstance(statement, CasualtyFigure):
        figures = [
            f"{label} {value}"
            for label, value in (("killed", statement.killed), ("injured", statement.injured))
            if value
        ]
        who = statement.actor or "unattributed"
        return f"{statement.event}: {who} {', '.join(figures)}"
    if isinstance(statement, Violated):
        through = f" through {', '.join(statement.events)}" if statement.events else ""
        return f"{', '.join(statement.violators)} violated {statement.agreement}{through}"
    if isinstance(statement, Controls):
        since = f" since {statement.since}" if statement.since else ""
        return f"{statement.actor} controls {statement.location}{since}"
    return repr(statement)


def describe_claim(claim: Claim) -> str:
    """``claimant asserts|denies: statement``."""
    made = f" ({claim.made})" if claim.made else ""
    return f"{claim.claimant} {claim.stance.value}{made}: {describe_statement(claim.statement)}"


def _event_line(event: Event) -> str:
    place = f" at {event.where}" if event.where else ""
    line = f"{event.when!s:<22} {event.id}{place}"
    if isinstance(event, Engagement):
        by = ", ".join(event.initiators) or "unknown"
        on = ", ".join(event.targets) or "unnamed"
        line += f" [{event.kind.value}: {by} -> {on}]"
        for entry in event.casualties:
            if entry.killed is not None:
                line += f"; {entry.actor or 'unattributed'} killed {entry.killed}"
        if event.captured is not None:
            change = event.captured
            line += f"; {change.gained_by} takes {change.location}"
    if isinstance(event, Toll):
        figures = [
            f"{label} {value}"
            for label, value in (("killed", event.killed), ("displaced", event.displaced))
            if value
        ]
        line += f" [toll: {', '.join(figures)}]"
    return line


def summary_lines(ds: Dataset) -> Iterator[str]:
    """The lines of :func:`summarise`."""
    yield f"{ds!r}"
    yield ""
    yield "Actors"
    for actor in ds.actors.values():
        parent = f", part of {actor.part_of}" if actor.part_of else ""
        yield f"  {actor.id:<18} {actor.name} ({actor.kind.value}{parent})"
    for relation in ds.relations.values():
        span = f" ({relation.span})" if relation.span else ""
        yield f"  {relation.source} {relation.kind.value} {relation.target}{span}"
    yield ""
    yield "Agreements"
    for agreement in ds.agreements.values():
        sides = " vs ".join("/".join(side) for side in agreement.sides)
        scope = ", ".join(agreement.scope) or "everywhere"
        yield (
            f"  {agreement.id}: {agreement.kind.value} signed {agreement.signed}, "
            f"effective {agreement.effective}; sides {sides}; scope {scope}"
        )
    yield ""
    yield "Events"
    for event in sorted(ds.events.values(), key=lambda e: e.when.sort_key):
        yield "  " + _event_line(event)
    yield ""
    yield "Claims"
    for claim in ds.claims.values():
        yield "  " + describe_claim(claim)


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
        yield f"  - {violation.explain()}"
    yield ""
    yield "Killed by actor: best (low–high), from the record, or from claims where it has none"
    table = casualties_by_actor(ds)
    for actor, estimate in table.items():
        high = "open" if estimate.high is None else str(estimate.high)
        alleged = table.alleged_by(actor)
        source = f"claims by {', '.join(alleged)}" if table.rests_on_claims(actor) else "record"
        denied = (
            f"; denied by {', '.join(table.denied_by(actor))}" if table.denied_by(actor) else ""
        )
        figure = (
            f"{estimate}"
            if estimate.best is None
            else f"{estimate.best:>6} ({estimate.low}–{high})"
        )
        yield f"  {actor or 'unattributed':<18} {figure:<16} {source}{denied}"
    yield ""
    yield "Control"
    for location in _places_changing_hands(ds):
        spans = ", then ".join(
            f"{held.holder} {held.span}" for held in control_timeline(ds, location)
        )
        yield f"  {location}: {spans}"
    yield ""
    yield "Disputes"
    found = disputes(ds)
    for dispute in found:
        yield f"  {dispute}"
    if not found:
        yield "  none: no two claims on the same subject disagree"


def findings(ds: Dataset) -> str:
    """What the queries find in ``ds``: violations, killed by actor, control and disputes.

    >>> import conflictmodel as cm
    >>> print(findings(cm.examples.idlib_2020()).splitlines()[-1])
      none: no two claims on the same subject disagree
    """
    return "\n".join(findings_lines(ds))
