"""A small hand-built world for query tests: two sides of a ceasefire, a province, civilians."""

from __future__ import annotations

from collections.abc import Iterable

import conflictmodel as cm

CEASEFIRE = "truce"


def world(*records: cm.Record) -> cm.Dataset:
    """The base records plus ``records``."""
    base: list[cm.Record] = [
        cm.Actor(id="north", name="North", kind="state"),
        cm.Actor(id="north-army", name="North Army", kind="state_forces", part_of="north"),
        cm.Actor(id="north-brigade", name="Brigade 1", kind="militia", part_of="north-army"),
        cm.Actor(id="south", name="South", kind="state"),
        cm.Actor(id="south-army", name="South Army", kind="state_forces", part_of="south"),
        cm.Actor(id="outsider", name="Outsider", kind="state"),
        cm.Actor(id="villagers", name="Villagers", kind="civilians", part_of="north"),
        cm.Actor(id="monitor", name="Monitor", kind="international_organisation"),
        cm.Location(id="land", name="Land", kind="country"),
        cm.Location(id="province", name="Province", kind="region", within="land"),
        cm.Location(id="town", name="Town", kind="town", within="province"),
        cm.Location(id="elsewhere", name="Elsewhere", kind="region", within="land"),
        cm.Agreement(
            id=CEASEFIRE,
            name="Truce",
            kind="truce",
            signed="2021-03-01",
            effective="2021-03-01/2021-06-30",
            signatories=["north", "south"],
            sides=[["north"], ["south"]],
            scope=["province"],
        ),
    ]
    return cm.Dataset([*base, *records])


def strike(
    event_id: str,
    day: str = "2021-04-01",
    *,
    by: Iterable[str] = ("north-army",),
    on: Iterable[str] = ("south-army",),
    where: str | None = "town",
    kind: str = "attack",
    casualties: Iterable[cm.Casualties] = (),
    part_of: str | None = None,
) -> cm.Engagement:
    return cm.Engagement(
        id=event_id,
        when=day,
        where=where,
        kind=kind,
        initiators=list(by),
        targets=list(on),
        casualties=list(casualties),
        part_of=part_of,
    )


def claim(
    claim_id: str, claimant: str, statement: cm.Statement, stance: str = "asserts"
) -> cm.Claim:
    return cm.Claim(id=claim_id, claimant=claimant, statement=statement, stance=stance)
