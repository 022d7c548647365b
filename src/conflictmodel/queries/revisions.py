"""A claimant revising itself: its later claim on a subject supersedes its earlier ones.

Turkey says 4 soldiers died, later 6, then 8: that is one account, revised, not three
accounts in dispute. Of the claims one claimant makes on one :class:`~conflictmodel.queries.Subject`
(the same event and actor for a figure, the same event for an attribution, the same place
and date for control), a claim is **superseded** when another was made definitely later (its
``made`` starts after the first one's ends). What is left is **current**; the superseded claims
stay in the dataset as the claimant's history. Claims made at the same time, or at times that
overlap or are unknown, supersede nothing: they are merged as before.

A control claim with no ``since`` speaks of the time it was made, so two such claims made at
different times are two changes of holder, not a revision.

>>> import conflictmodel as cm
>>> from conflictmodel.queries.revisions import Revisions
>>> figure = lambda n: cm.CasualtyFigure("attack", "turkish-army", killed=n)
>>> claims = [cm.Claim(id=f"turkey-{n}", claimant="turkey", statement=figure(n), made=made)
...           for n, made in ((4, "2020-02-03"), (6, "2020-02-04"), (8, "2020-02-05"))]
>>> revisions = Revisions(claims)
>>> [c.id for c in claims if revisions.is_current(c)]
['turkey-8']
>>> revisions.history(claims[2])
('turkey-4', 'turkey-6')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from conflictmodel.claims import Claim, Controls
from conflictmodel.queries.subjects import Subject, facts
from conflictmodel.timespans import TimeSpan

_Key = tuple[str, Subject, TimeSpan | None]


def made_later(claim: Claim, than: Claim) -> bool:
    """Whether ``claim`` was definitely made after ``than`` (both times known, not overlapping)."""
    later, earlier = claim.made, than.made
    return (
        later is not None
        and earlier is not None
        and later.start is not None
        and earlier.end is not None
        and earlier.end < later.start
    )


def _moment(claim: Claim) -> TimeSpan | None:
    statement = claim.statement
    if isinstance(statement, Controls) and statement.since is None:
        return claim.made
    return None


def _made_order(claim: Claim) -> tuple[object, ...]:
    return (claim.made.sort_key if claim.made is not None else (), claim.id)


def none_revised(claims: Iterable[Claim]) -> bool:
    """Whether no claim of ``claims`` can revise another: no claimant made two of them (then
    every one is current, and :class:`Revisions` need not be worked out)."""
    made = [claim.claimant for claim in claims if claim.claimant is not None]
    return len(made) == len(set(made))


class Revisions:
    """Which of ``claims`` are current and which each claimant has since revised (an
    unattributed claim is nobody's in particular: it revises nothing and stays current)."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        groups: dict[_Key, list[Claim]] = defaultdict(list)
        self._keys: dict[str, list[_Key]] = defaultdict(list)
        for claim in claims:
            if claim.claimant is None:
                continue
            moment = _moment(claim)
            for fact in facts(claim.statement):
                key = (claim.claimant, fact.subject, moment)
                group = groups[key]
                if claim not in group:
                    group.append(claim)
                    self._keys[claim.id].append(key)
        self._superseded: set[tuple[str, _Key]] = set()
        self._history: dict[_Key, tuple[str, ...]] = {}
        for key, group in groups.items():
            if len(group) == 1:
                self._history[key] = ()
                continue
            earlier = [c for c in group if any(made_later(other, c) for other in group)]
            self._superseded.update((c.id, key) for c in earlier)
            self._history[key] = tuple(c.id for c in sorted(earlier, key=_made_order))

    def is_current(self, claim: Claim, subject: Subject | None = None) -> bool:
        """Whether ``claim`` still stands on ``subject`` (on any of its subjects when ``None``)."""
        keys = self._keys.get(claim.id)
        if keys and subject is not None:
            keys = [key for key in keys if key[1] == subject]
        if not keys or not self._superseded:
            return True
        return any((claim.id, key) not in self._superseded for key in keys)

    def history(self, claim: Claim, subject: Subject | None = None) -> tuple[str, ...]:
        """The ids of the earlier claims a current ``claim`` revises, oldest first."""
        if not self.is_current(claim, subject):
            return ()
        found: list[str] = []
        for key in self._keys.get(claim.id, ()):
            if subject is None or key[1] == subject:
                found.extend(i for i in self._history[key] if i not in found)
        return tuple(found)
