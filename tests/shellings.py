"""A small dataset for tests that need figures the record states: two states, and shellings of
the south by the north."""

from __future__ import annotations

from collections.abc import Iterable

import conflictmodel as cm


def shellings(killed: Iterable[int | cm.Estimate]) -> list[cm.Record]:
    """The actors ``north`` and ``south``, and one shelling in February 2020 for each figure of
    ``killed`` (events ``e0``, ``e1``, ...), each recording that many of the south killed.

    >>> [record.id for record in shellings([3, 4])]
    ['north', 'south', 'e0', 'e1']
    """
    actors = [cm.Actor(id=name, name=name.title(), kind="state") for name in ("north", "south")]
    events = [
        cm.Engagement(
            id=f"e{number}",
            when="2020-02",
            kind="shelling",
            initiators=("north",),
            targets=("south",),
            casualties=(cm.Casualties("south", killed=figure),),
        )
        for number, figure in enumerate(killed)
    ]
    return [*actors, *events]
