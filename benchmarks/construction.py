"""The cost of a checked record: ``python -m benchmarks.construction [REPEAT]``.

Times building an :class:`~conflictmodel.Engagement` against a plain ``attrs.frozen`` class with
the same fields and no converters or validators, from the same arguments, and prints both in
microseconds with their ratio (issue 9 asks for at most 3).
"""

from __future__ import annotations

import json
import sys
import timeit
from collections.abc import Mapping
from typing import Any

import attrs
from immutabledict import immutabledict

import conflictmodel as cm


@attrs.frozen(kw_only=True)
class PlainEngagement:
    """:class:`~conflictmodel.Engagement`'s fields, unchecked."""

    id: str
    when: cm.TimeSpan
    where: str | None = None
    description: str = ""
    sources: tuple[str, ...] = ()
    part_of: str | None = None
    source_values: Mapping[str, str] = attrs.field(factory=immutabledict)
    kind: cm.EngagementKind
    initiators: tuple[str, ...]
    targets: tuple[str, ...]
    casualties: tuple[cm.Casualties, ...] = ()
    captured: cm.ControlChange | None = None
    responds_to: str | None = None
    reported_total: cm.Estimate | None = None


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


def microseconds(cls: type, repeat: int) -> float:
    """The best of five runs of ``repeat`` constructions, per construction."""
    runs = timeit.repeat(lambda: cls(**ARGUMENTS), number=repeat, repeat=5)
    return min(runs) / repeat * 1e6


def measure(repeat: int) -> dict[str, float]:
    checked = microseconds(cm.Engagement, repeat)
    plain = microseconds(PlainEngagement, repeat)
    return {
        "engagement_us": round(checked, 2),
        "plain_attrs_us": round(plain, 2),
        "ratio": round(checked / plain, 2),
    }


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    print(json.dumps(measure(repeat)))


if __name__ == "__main__":
    main()
