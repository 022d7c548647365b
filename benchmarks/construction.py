"""The cost of a checked record: ``python -m benchmarks.construction [REPEAT]``.

Times building an :class:`~conflictmodel.Engagement` against a plain ``attrs.frozen`` class with
the same fields and no converters or validators, from the same arguments, and prints both in
microseconds with the median ratio of rounds timing both in turn (issue 9 asks for at most 3).
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit
from typing import Any

import attrs

import conflictmodel as cm


def plain_class(cls: type) -> type:
    """An ``attrs.frozen`` class with ``cls``'s fields (names, order and defaults) and no
    converters or validators."""
    fields = {
        field.name: attrs.field(default=field.default, kw_only=True, type=field.type)
        for field in attrs.fields(cls)
    }
    return attrs.make_class(f"Plain{cls.__name__}", fields, frozen=True, slots=True)


PlainEngagement = plain_class(cm.Engagement)
""":class:`~conflictmodel.Engagement`'s fields, unchecked."""


ARGUMENTS: dict[str, Any] = {
    "id": "attack",
    "when": cm.when("2020-02-03"),
    "where": "saraqeb",
    "sources": ("sohr",),
    "kind": cm.EngagementKind.ATTACK,
    "initiators": ("syrian-army",),
    "targets": ("turkish-army",),
    "casualties": (cm.Casualties("turkish-army", killed=8),),
    "reported_total": cm.Estimate.exact(8),
}


ROUNDS = 21
"""How many times the two classes are timed in turn."""


def microseconds(cls: type, repeat: int) -> float:
    """One run of ``repeat`` constructions, per construction."""
    return timeit.timeit(lambda: cls(**ARGUMENTS), number=repeat) / repeat * 1e6


def measure(repeat: int) -> dict[str, float]:
    """Both classes timed in turn, :data:`ROUNDS` times, so that a busy moment slows both: the
    best time of each and the median of the rounds' ratios."""
    rounds = [
        (microseconds(cm.Engagement, repeat), microseconds(PlainEngagement, repeat))
        for _ in range(ROUNDS)
    ]
    return {
        "engagement_us": round(min(checked for checked, _ in rounds), 2),
        "plain_attrs_us": round(min(plain for _, plain in rounds), 2),
        "ratio": round(statistics.median(checked / plain for checked, plain in rounds), 2),
    }


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    print(json.dumps(measure(repeat)))


if __name__ == "__main__":
    main()
