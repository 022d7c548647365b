"""Conflicts in the hand-built world: engagements and claims dense enough to violate the truce."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from tests.queries.world import world

import conflictmodel as cm
from conflictmodel import testing

FIGHTERS = ["north", "north-army", "north-brigade", "south", "south-army", "outsider"]
VICTIMS = [*FIGHTERS, "villagers"]
CLAIMANTS = [*FIGHTERS, "monitor"]
PLACES = ["land", "province", "town", "elsewhere"]
KINDS = ["attack", "airstrike", "capture", "interception"]
spans = testing.time_spans(min_year=2020, max_year=2022, open_ends=True)
counts = testing.estimates(max_value=50)


@st.composite
def _casualties(draw: st.DrawFn) -> list[cm.Casualties]:
    victims = draw(st.lists(st.sampled_from([*VICTIMS, None]), unique=True, max_size=3))
    return [
        cm.Casualties(victim, killed=draw(counts), injured=draw(st.none() | counts))
        for victim in victims
    ]


@st.composite
def _engagement(draw: st.DrawFn, event_id: str, earlier: list[str]) -> cm.Event:
    if draw(st.integers(0, 9)) == 0:
        return cm.Toll(id=event_id, when=draw(spans), where=draw(st.sampled_from(PLACES)), killed=9)
    return cm.Engagement(
        id=event_id,
        when=draw(spans),
        where=draw(st.none() | st.sampled_from(PLACES)),
        kind=draw(st.sampled_from(KINDS)),
        initiators=draw(st.lists(st.sampled_from(FIGHTERS), unique=True, max_size=2)),
        targets=draw(st.lists(st.sampled_from(VICTIMS), unique=True, max_size=2)),
        casualties=draw(_casualties()),
        part_of=draw(st.none() | st.sampled_from(earlier)) if earlier else None,
    )


def _statement(events: list[str]) -> st.SearchStrategy[cm.Statement]:
    event = st.sampled_from(events)
    actors = st.lists(st.sampled_from(FIGHTERS), unique=True, min_size=1, max_size=2)
    return st.one_of(
        st.builds(cm.Occurred, event),
        st.builds(cm.Attribution, event, actors),
        st.builds(cm.CasualtyFigure, event, st.sampled_from([*VICTIMS, None]), killed=counts),
        st.builds(
            cm.Violated,
            st.just("truce"),
            actors,
            events=st.lists(event, unique=True, max_size=2),
        ),
        st.builds(cm.Controls, st.sampled_from(PLACES), st.sampled_from(FIGHTERS), since=spans),
    )


@st.composite
def conflicts(draw: st.DrawFn, max_events: int = 8, max_claims: int = 8) -> cm.Dataset:
    """The world with up to ``max_events`` events and ``max_claims`` claims about them."""
    records: list[Any] = []
    events: list[str] = []
    for index in range(draw(st.integers(1, max_events))):
        records.append(draw(_engagement(f"e{index}", list(events))))
        events.append(f"e{index}")
    for index in range(draw(st.integers(0, max_claims))):
        records.append(
            cm.Claim(
                id=f"c{index}",
                claimant=draw(st.sampled_from(CLAIMANTS)),
                statement=draw(_statement(events)),
                stance=draw(st.sampled_from(cm.Stance)),
                made=draw(st.none() | spans),
            )
        )
    return world(*records)
