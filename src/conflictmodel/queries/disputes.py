"""Where claimants disagree: the first thing a fact-checker opens.

Claims are grouped by :class:`~conflictmodel.queries.Subject` (see
:func:`~conflictmodel.queries.facts`). A subject is disputed when an assertion meets a denial,
or when assertions say different things: figures that differ, different perpetrators,
different holders of a place from the same date. Any assertion about an event also asserts
that the event took place, so it disputes a denial that it did. Claims are compared with
each other, not with the record's own fields.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020()
>>> disputes(ds)
[]
>>> denial = cm.Claim(id="turkey-not-us", claimant="turkey", stance="denies",
...     statement=cm.Attribution("turkish-airstrike-2020-02-06", ["turkey"]))
>>> for dispute in disputes(ds.with_records([denial])):
...     print(dispute)
attribution(turkish-airstrike-2020-02-06): syria asserts turkey (syria-airstrike-by-turkey) \
vs turkey denies turkey (turkey-not-us)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

import attrs

from conflictmodel.claims import Claim, Occurred, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.queries import _arguments
from conflictmodel.queries.perspective import claimants
from conflictmodel.queries.subjects import Subject, facts
from conflictmodel.records import references


def _render(value: Hashable) -> str:
    if isinstance(value, frozenset):
        return ", ".join(sorted(str(item) for item in value))
    if value is True:
        return ""
    return str(value)


@attrs.frozen
class Position:
    """One side of a dispute: ``claimants`` who, with ``stance``, say ``value``."""

    stance: Stance
    value: Hashable
    claims: tuple[str, ...]
    claimants: tuple[str, ...]

    def __str__(self) -> str:
        said = _render(self.value)
        return (
            f"{', '.join(self.claimants)} {self.stance.value}"
            f"{' ' + said if said else ''} ({', '.join(self.claims)})"
        )


@attrs.frozen
class Dispute:
    """A ``subject`` on which claimants disagree, with each ``position`` and its claims."""

    subject: Subject
    positions: tuple[Position, ...]

    @property
    def claimants(self) -> tuple[str, ...]:
        """Everyone taking part."""
        return tuple(sorted({c for p in self.positions for c in p.claimants}))

    def __str__(self) -> str:
        return f"{self.subject}: {' vs '.join(str(p) for p in self.positions)}"


def _subject_order(subject: Subject) -> tuple[str, tuple[str, ...]]:
    return (subject.kind, tuple(part or "" for part in subject.about))


def _position_order(position: Position) -> tuple[bool, str, tuple[str, ...]]:
    return (position.stance is not Stance.ASSERTS, _render(position.value), position.claims)


def disputes(ds: Dataset) -> list[Dispute]:
    """Every subject on which claimants disagree, with each side's claims."""
    ds = _arguments.dataset("disputes", ds)
    groups: dict[Subject, list[tuple[Claim, Hashable]]] = defaultdict(list)
    for claim in ds.claims.values():
        for fact in facts(claim.statement):
            groups[fact.subject].append((claim, fact.value))
        if claim.stance is Stance.ASSERTS and not isinstance(claim.statement, Occurred):
            named = {t for _, kind, t in references(claim.statement) if kind == "events"}
            for event in sorted(named):
                groups[Subject("occurred", (event,))].append((claim, True))
    found = []
    for subject, entries in groups.items():
        asserted = {value for claim, value in entries if claim.stance is Stance.ASSERTS}
        denied = any(claim.stance is Stance.DENIES for claim, _ in entries)
        if not ((asserted and denied) or len(asserted) > 1):
            continue
        sides: dict[tuple[Stance, Hashable], list[Claim]] = defaultdict(list)
        for claim, value in entries:
            sides[(claim.stance, value)].append(claim)
        positions = tuple(
            sorted(
                (
                    Position(stance, value, tuple(sorted(c.id for c in side)), claimants(side))
                    for (stance, value), side in sides.items()
                ),
                key=_position_order,
            )
        )
        found.append(Dispute(subject, positions))
    return sorted(found, key=lambda d: _subject_order(d.subject))
