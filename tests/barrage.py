"""A plug-in event type for the tests of unregistered and re-registered types: shelling with a
count of rounds, a column no built-in type has."""

from __future__ import annotations

import attrs

import conflictmodel as cm

TAG = "test.barrage"


@attrs.frozen(kw_only=True)
class Barrage(cm.Engagement):
    """Shelling with a count of rounds."""

    rounds: int = 0


def shelling(event_id: str) -> Barrage:
    """A barrage of 40 rounds on Saraqeb on 4 February 2020 by the Syrian army, killing two
    civilians."""
    return Barrage(
        id=event_id,
        when="2020-02-04",
        where="saraqeb",
        kind="shelling",
        initiators=("syrian-army",),
        targets=("syrian-civilians",),
        casualties=(cm.Casualties("syrian-civilians", killed=2),),
        rounds=40,
    )
