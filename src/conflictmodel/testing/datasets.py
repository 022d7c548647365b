"""Strategies for whole valid datasets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from conflictmodel.actors import Actor, Relation
from conflictmodel.agreements import Agreement
from conflictmodel.claims import Claim
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event, Toll
from conflictmodel.places import Location
from conflictmodel.records import Record
from conflictmodel.sources import Source
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.testing.records import MAX_ITEMS, Context, records_in
from conflictmodel.testing.values import ids

BUILTIN_EVENT_TYPES: tuple[type[Event], ...] = (Event, Engagement, Toll)


def _inward(cls: type[Record]) -> tuple[FieldSpec, ...]:
    """The fields of ``cls`` holding ids of its own collection (``part_of``, ``extends``)."""
    return tuple(
        field
        for field in fields_of(cls)
        if field.collection == cls.collection
        and (field.kind is Kind.REFERENCES or (field.kind is Kind.REFERENCE and field.optional))
    )


def _earlier(field: FieldSpec, drawn: Sequence[str]) -> SearchStrategy[Any]:
    if field.kind is Kind.REFERENCES:
        chosen = st.lists(st.sampled_from(drawn), max_size=MAX_ITEMS, unique=True)
        return chosen.map(tuple) if drawn else st.just(())
    return st.none() | st.sampled_from(drawn) if drawn else st.none()


def _without_inward(cls: type[Record]) -> dict[str, SearchStrategy[Any]]:
    return {field.name: _earlier(field, ()) for field in _inward(cls)}


def datasets(
    *,
    min_events: int = 0,
    max_events: int = 12,
    max_actors: int = 8,
    max_locations: int = 8,
    max_claims: int = 8,
    max_agreements: int = 3,
    max_sources: int = 3,
    max_relations: int = 4,
    event_types: Sequence[type[Event]] = BUILTIN_EVENT_TYPES,
) -> SearchStrategy[Dataset]:
    """Valid datasets: every reference resolves and ``part_of`` / ``within`` form forests.

    Each actor, location and event is ``part_of`` / ``within`` an earlier one or none, events
    respond to earlier events, agreements extend earlier agreements (every field that refers
    to its own collection refers to earlier records); agreements bind real actors over real
    locations, and claims are about records in the dataset. Events are of the
    ``event_types`` (plain events, engagements and tolls, or your own); claims carry every
    built-in statement type.
    """
    if not 0 <= min_events <= max_events:
        raise ValidationError(
            f"datasets(): expected 0 <= min_events <= max_events, got {min_events}, {max_events}"
        )

    def unique_ids(max_size: int, min_size: int = 0) -> SearchStrategy[list[str]]:
        return st.lists(ids(), min_size=min_size, max_size=max_size, unique=True)

    layout: dict[str, tuple[type[Record], ...]] = {
        "sources": (Source,),
        "actors": (Actor,),
        "locations": (Location,),
        "relations": (Relation,),
        "agreements": (Agreement,),
        "events": tuple(event_types),
        "claims": (Claim,),
    }

    @st.composite
    def build(draw: st.DrawFn) -> Dataset:
        tables = {
            "sources": draw(unique_ids(max_sources)),
            "actors": draw(unique_ids(max_actors)),
            "locations": draw(unique_ids(max_locations)),
        }
        people = tables["actors"]
        tables["relations"] = draw(unique_ids(max_relations)) if len(people) > 1 else []
        tables["agreements"] = draw(unique_ids(max_agreements)) if people else []
        tables["events"] = draw(unique_ids(max_events, min_events))
        subjects = tables["events"] or tables["agreements"] or tables["locations"]
        tables["claims"] = draw(unique_ids(max_claims)) if people and subjects else []
        ctx = Context(tables)
        records: list[Record] = []
        for collection, drawn in tables.items():
            strategy = st.one_of(
                [records_in(cls, ctx, _without_inward(cls)) for cls in layout[collection]]
            )
            for index, record_id in enumerate(drawn):
                record = draw(strategy)
                changes: dict[str, Any] = {"id": record_id}
                for field in _inward(type(record)):
                    changes[field.name] = draw(_earlier(field, drawn[:index]))
                records.append(attrs.evolve(record, **changes))
        return Dataset(records)

    return build()
