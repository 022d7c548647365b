"""Several datasets as one, each a claimant: matched events merged, disagreements kept as claims.

:func:`merge` turns each source dataset into a claimant: an actor of kind ``dataset`` whose id
is the source's key, with a :class:`~conflictmodel.Source` ``<key>-dataset``. A matched group of
events becomes one event (id: the group's ids joined by ``+``), whose own fields are the first
source's record; what every source says of it becomes that source's claims:

- :class:`~conflictmodel.Occurred`, and :class:`Reported`: the source's own event id, span,
  place, kind, actors and killed total;
- :class:`~conflictmodel.Attribution` to the source's initiators, when it names any;
- a :class:`~conflictmodel.CasualtyFigure` per actor the source counts.

An unmatched event keeps its record and gets the same claims from its one source. Columns of
the other sources' rows stay in the merged event's ``source_values`` as ``<key>:<column>``, and
the actors stay as they are, joined by ``same_as`` relations from the crosswalk.

So every query answers from any source's perspective: a dataset claimant's account is its
claims alone (see :mod:`conflictmodel.queries.perspective`), so ``according_to="ucdp"`` gives
UCDP's own totals, while the default answer counts each matched event once, as its first
source has it. :func:`~conflictmodel.disputes` lists where the sources' :class:`Reported`
statements differ in date, kind or toll.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from conflictmodel import fields
from conflictmodel._checks import REFERENCE, describe
from conflictmodel.actors import Actor, ActorKind
from conflictmodel.claims import Attribution, CasualtyFigure, Claim, Occurred, Statement
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event
from conflictmodel.linkage.crosswalk import Crosswalk, crosswalk
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries.perspective import record_figures
from conflictmodel.queries.subjects import Fact, Subject, facts
from conflictmodel.records import Record, referenced_ids
from conflictmodel.registry import statement_type
from conflictmodel.sources import Source, SourceKind
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    from conflictmodel.linkage.matching import Matches

__all__ = ["Reported", "merge", "source_of"]


@statement_type("reported")
@attrs.frozen
class Reported(Statement):
    """That ``event`` is the claimant's record ``record``: at ``when`` and ``where``, of
    ``kind``, among ``actors``, with ``killed`` dead in all (when the record counts any)."""

    event: str = fields.reference("events")
    record: str = fields.text()
    when: TimeSpan = fields.span()
    where: str | None = fields.reference("locations", optional=True)
    kind: str = fields.text(default="event")
    actors: tuple[str, ...] = fields.references("actors", default=())
    killed: Estimate | None = fields.estimate()


@facts.register
def _reported(statement: Reported) -> tuple[Fact, ...]:
    found = [
        Fact(Subject("date", (statement.event,)), str(statement.when)),
        Fact(Subject("kind", (statement.event,)), statement.kind),
    ]
    if statement.killed is not None:
        found.append(Fact(Subject("toll", (statement.event,)), statement.killed))
    return tuple(found)


def source_of(ds: Dataset, event_id: str) -> tuple[str, ...]:
    """The dataset claimants reporting ``event_id`` in a merged dataset."""
    return tuple(
        sorted(
            {
                claim.claimant
                for claim in ds.claims_about("events", event_id)
                if isinstance(claim.statement, Reported) and claim.claimant is not None
            }
        )
    )


def _renamed(record: Any, renames: Mapping[str, str]) -> Any:
    """``record`` with the event ids it holds (in fields marked as event references) renamed."""
    changes: dict[str, object] = {}
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if field.metadata.get(REFERENCE) == "events":
            if isinstance(value, str) and value in renames:
                changes[field.name] = renames[value]
            elif isinstance(value, tuple) and any(v in renames for v in value):
                changes[field.name] = tuple(renames.get(v, v) for v in value)
        elif isinstance(value, Statement):
            renamed = _renamed(value, renames)
            if renamed is not value:
                changes[field.name] = renamed
    return attrs.evolve(record, **changes) if changes else record


def _summed(figures: Sequence[Estimate]) -> Estimate | None:
    """The sum of a source's figures for one statement; ``None`` for none, or where the sum
    states neither a low nor a best (a best with no range beside a range with no best), which
    no statement can hold: the source's records keep the figures."""
    summed = total(figures) if figures else None
    return summed if summed is not None and summed.is_stated else None


def _claims(key: str, merged_id: str, events: Sequence[Event]) -> list[Claim]:
    """What the source ``key`` says, through ``events``, of the merged event."""
    sources = (f"{key}-dataset",)
    base = f"{key}:{merged_id}"
    made = [
        Claim(id=f"{base}:occurred", claimant=key, statement=Occurred(merged_id), sources=sources)
    ]
    figures: dict[tuple[str | None, str], list[Estimate]] = defaultdict(list)
    perpetrators: list[str] = []
    for event in events:
        own = record_figures(event)
        for (actor, measure), value in own.items():
            figures[(actor, measure)].append(value)
        killed = [v for (_, m), v in own.items() if m == "killed"]
        actors: tuple[str, ...] = ()
        kind = type(event).__name__.lower()
        if isinstance(event, Engagement):
            actors = tuple(dict.fromkeys((*event.initiators, *event.targets)))
            kind = event.kind.value
            perpetrators.extend(event.initiators)
        made.append(
            Claim(
                id=f"{base}:reported:{event.id}",
                claimant=key,
                sources=sources,
                statement=Reported(
                    event=merged_id,
                    record=event.id,
                    when=event.when,
                    where=event.where,
                    kind=kind,
                    actors=actors,
                    killed=_summed(killed),
                ),
            )
        )
    if perpetrators:
        made.append(
            Claim(
                id=f"{base}:attribution",
                claimant=key,
                sources=sources,
                statement=Attribution(merged_id, tuple(dict.fromkeys(perpetrators))),
            )
        )
    by_actor: dict[str | None, dict[str, Estimate]] = defaultdict(dict)
    for (actor, measure), values in figures.items():
        summed = _summed(values)
        if summed is not None:
            by_actor[actor][measure] = summed
    for actor, measures in by_actor.items():
        made.append(
            Claim(
                id=f"{base}:figure:{actor or '-'}",
                claimant=key,
                sources=sources,
                statement=CasualtyFigure(merged_id, actor, **measures),
            )
        )
    return made


def merge(
    sources: Mapping[str, Dataset],
    matches: Matches | None = None,
    *,
    actors: Crosswalk | None = None,
) -> Dataset:
    """One dataset from several sources, each a claimant; see the module's description.

    ``sources`` maps each source's key (its claimant id) to its dataset, first source first;
    ``matches`` pairs the events of the first with those of the second (from
    :func:`~conflictmodel.linkage.match`). Without ``matches`` the datasets are joined as they
    are (``a | b``). ``actors`` links the actors (by default the proposed
    :func:`~conflictmodel.linkage.crosswalk`).
    """
    if not isinstance(sources, Mapping) or not sources:
        raise ValidationError(
            f"merge(sources=...): expected a mapping of keys to datasets, got {describe(sources)}"
        )
    for key, ds in sources.items():
        if not isinstance(key, str) or not key.strip() or not isinstance(ds, Dataset):
            raise ValidationError(
                f"merge(sources=...): {key!r} must be text naming a Dataset, got {describe(ds)}"
            )
    for key in sources:
        taken = taken_by(key, sources)
        if taken is not None:
            raise ValidationError(
                f"merge(sources=...): the key {key!r} would be the id of its source's claimant "
                f"actor and dataset source, but {taken}; give the sources other keys"
            )
    if matches is None:
        return functools.reduce(operator.or_, sources.values())
    if len(sources) != 2:
        raise ValidationError(
            f"merge(matches=...): matches pair two datasets, got {len(sources)} sources"
        )
    (key_a, a), (key_b, b) = sources.items()
    for pair in matches.pairs:
        if pair.a not in a.events or pair.b not in b.events:
            raise ValidationError(
                f"merge(matches=...): pair ({pair.a!r}, {pair.b!r}) names an event "
                f"that {key_a!r} or {key_b!r} does not hold"
            )
    shared = sorted(a.events.keys() & b.events.keys())
    if shared:
        raise ValidationError(
            f"merge(sources=...): {key_a!r} and {key_b!r} both hold events {shared[:3]}; "
            "a merge needs each source's own event ids"
        )
    groups: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for pair in matches.pairs:
        group = owner.get(pair.a) or owner.get(pair.b) or pair.a
        members = groups.setdefault(group, [group])
        for event in (pair.a, pair.b):
            if event not in owner:
                owner[event] = group
                if event not in members:
                    members.append(event)
    merged_ids = {group: "+".join(members) for group, members in groups.items()}
    renames = {event: merged_ids[group] for event, group in owner.items()}
    keyed = {**{e: key_a for e in a.events}, **{e: key_b for e in b.events}}
    originals = {**a.events, **b.events}

    walk = crosswalk(a, b) if actors is None else actors
    records: list[Record] = []
    for key in sources:
        records.append(Actor(id=key, name=key, kind=ActorKind.DATASET))
        records.append(
            Source(id=f"{key}-dataset", title=f"The {key} dataset", kind=SourceKind.DATASET)
        )
    base = _without_events(a) | _without_events(b)
    records.extend(base.records())
    about_events = {c.id: c for ds in (a, b) for c in ds.claims.values() if _names_events(c)}
    records.extend(_renamed(c, renames) for c in about_events.values())
    records.extend(walk.relations())
    for group, members in groups.items():
        first = originals[members[0]]
        values = dict(first.source_values)
        sources_cited: list[str] = list(first.sources)
        for member in members[1:]:
            other = originals[member]
            if keyed[member] != keyed[members[0]]:
                values.update({f"{keyed[member]}:{k}": v for k, v in other.source_values.items()})
            sources_cited.extend(s for s in other.sources if s not in sources_cited)
        merged = attrs.evolve(
            _renamed(first, renames),
            id=merged_ids[group],
            source_values=values,
            sources=tuple(sources_cited),
        )
        records.append(merged)
        for key in sources:
            own = [originals[m] for m in members if keyed[m] == key]
            if own:
                records.extend(_claims(key, merged.id, own))
    for event_id, original in originals.items():
        if event_id not in owner:
            records.append(_renamed(original, renames))
            records.extend(_claims(keyed[event_id], event_id, [original]))
    return Dataset(records)


def taken_by(key: str, sources: Mapping[str, Dataset]) -> str | None:
    """What in ``sources`` already holds an id that :func:`merge` gives the source ``key``
    (its claimant actor ``key`` and its source ``key-dataset``), else ``None``.

    >>> import conflictmodel as cm
    >>> seed = cm.examples.idlib_2020()
    >>> taken_by("syria", {"seed": seed, "syria": cm.Dataset([])})
    "actor 'syria' (Syria) of 'seed' has it"
    >>> taken_by("ucdp", {"seed": seed, "ucdp": cm.Dataset([])}) is None
    True
    """
    for name, ds in sources.items():
        for collection, record_id in (("actors", key), ("sources", f"{key}-dataset")):
            record = getattr(ds, collection).get(record_id)
            if record is not None:
                label = getattr(record, "name", None) or getattr(record, "title", None)
                shown = f"{record.kind_label} {record_id!r}" + (f" ({label})" if label else "")
                return f"{shown} of {name!r} has it"
    return None


def _without_events(ds: Dataset) -> Dataset:
    return Dataset(r for r in ds.records() if r.collection != "events" and not _names_events(r))


def _names_events(record: Record) -> bool:
    return any(collection == "events" for collection, _ in referenced_ids(record))
