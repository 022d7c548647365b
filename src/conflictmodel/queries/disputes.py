"""Where claimants disagree, with each other or with the record: what a fact-checker opens first.

Claims are grouped by :class:`~conflictmodel.queries.Subject` (see
:func:`~conflictmodel.queries.facts`). A subject is disputed when an assertion meets a denial,
or when assertions say things that cannot all be true: figures whose ranges do not overlap,
perpetrators that are not the same hands (an actor, a part of it, or its group under another
dataset's record, linked ``same_as``), different holders of a
place from the same date. Any assertion about an event also asserts that the event took
place, so it disputes a denial that it did. The record's own fields take part as one more
position: a claimed toll beside the recorded one, an attribution beside the recorded
initiators. Only current claims count: a claimant revising itself is not in dispute with
itself (:mod:`conflictmodel.queries.revisions`), and one whose claims made at the same time
say different things (two tolls given the same day, say) is one account, not a dispute: a
subject is disputed only between two voices (two claimants, or a claimant and the record).

Figures are consistent when their ranges overlap ("about 30", 27–33, and "30"); a best given
with no range (:meth:`~conflictmodel.Estimate.best_only`, as UCDP gives each side's dead) is
the one number its source stated, so two sources' different best figures disagree. With
``strict=True`` only equal figures and equal sets of perpetrators agree.

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
>>> about = cm.Claim(id="turkey-about-30", claimant="turkey",
...     statement=cm.CasualtyFigure("retaliation-2020-02-03", "syrian-army", killed="35 to 40"))
>>> for dispute in disputes(ds.with_records([about])):
...     print(dispute)
casualties(retaliation-2020-02-03, syrian-army, killed): record 27 to 29 \
vs turkey asserts 35 to 40 (turkey-about-30)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from conflictmodel._gc import paused_gc
from conflictmodel._html import html_table
from conflictmodel._words import counted
from conflictmodel.claims import Claim, Occurred, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement
from conflictmodel.quantities import Estimate
from conflictmodel.queries import _arguments
from conflictmodel.queries.perspective import claimants, record_figures
from conflictmodel.queries.results import Named, frame_of, names_of
from conflictmodel.queries.revisions import Revisions
from conflictmodel.queries.subjects import Subject, facts
from conflictmodel.records import references

if TYPE_CHECKING:
    import pandas


def _render(value: Hashable, name: Callable[[str], str] = str) -> str:
    """``value`` in words, each id in it worded by ``name``."""
    if isinstance(value, frozenset):
        return ", ".join(sorted(name(str(item)) for item in value))
    if isinstance(value, str):
        return name(value)
    if value is True:
        return ""
    return str(value)


@attrs.frozen
class Position:
    """One side of a dispute: ``claimants`` who, with ``stance``, say ``value``.

    ``record`` marks the dataset's own fields (with no claims and no claimants).
    """

    stance: Stance
    value: Hashable
    claims: tuple[str, ...]
    claimants: tuple[str, ...]
    record: bool = False

    def __str__(self) -> str:
        said = _render(self.value)
        if self.record:
            return f"record {said}"
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


class Disputes(Named, list[Dispute]):
    """The list :func:`disputes` returns, with a frame (one row per position) and a notebook
    table; ``names`` holds the names of the actors, places and agreements they mention, by
    id."""

    def __init__(self, found: Iterable[Dispute] = (), *, names: Mapping[str, str] = {}):
        super().__init__(found)
        self.names = dict(names)

    def _name(self, text: str) -> str:
        return self._named([text])

    def _subject(self, subject: Subject) -> str:
        parts = ("-" if part is None else self._name(part) for part in subject.about)
        return f"{subject.kind}({', '.join(parts)})"

    def to_frame(self) -> pandas.DataFrame:
        """One row per position: the subject (``kind`` and what it is ``about``), the
        ``stance``, the ``value`` said, the ``claimants`` (ids and names), the ``claims``, and
        whether it is the ``record``'s own value."""
        columns = ["kind", "about", "about_names", "stance", "value", "value_names"]
        columns += ["claimants", "claimant_names", "claims"]
        frame: pandas.DataFrame = frame_of(
            (
                {
                    "kind": dispute.subject.kind,
                    "about": "; ".join(part or "" for part in dispute.subject.about),
                    "about_names": "; ".join(
                        self._name(part) if part else "" for part in dispute.subject.about
                    ),
                    "stance": position.stance.value,
                    "value": _render(position.value) or None,
                    "value_names": _render(position.value, self._name) or None,
                    "claimants": "; ".join(position.claimants) or None,
                    "claimant_names": self._named(position.claimants) or None,
                    "claims": "; ".join(position.claims) or None,
                    "record": position.record,
                }
                for dispute in self
                for position in dispute.positions
            ),
            [*columns, "record"],
            "Disputes.to_frame()",
        )
        return frame

    def _said(self, position: Position, *, claims: bool = False) -> str:
        value = _render(position.value, self._name)
        if position.record:
            return f"record {value}"
        words = f"{self._named(position.claimants)} {position.stance.value}"
        words = f"{words} {value}" if value else words
        return f"{words} ({', '.join(position.claims)})" if claims else words

    def lines(self) -> Iterator[str]:
        """Each dispute in one line, naming the actors, places and agreements it mentions (the
        claims by id).

        >>> import conflictmodel as cm
        >>> ds = cm.examples.idlib_2020()
        >>> denial = cm.Claim(id="not-us", claimant="turkey", stance="denies",
        ...     statement=cm.Attribution("turkish-airstrike-2020-02-06", ["turkey"]))
        >>> print(*cm.disputes(ds.with_records([denial])).lines())
        attribution(turkish-airstrike-2020-02-06): Syria asserts Turkey \
(syria-airstrike-by-turkey) vs Turkey denies Turkey (not-us)
        """
        for dispute in self:
            positions = " vs ".join(self._said(p, claims=True) for p in dispute.positions)
            yield f"{self._subject(dispute.subject)}: {positions}"

    def _repr_html_(self) -> str:
        rows = ((self._subject(d.subject), " vs ".join(map(self._said, d.positions))) for d in self)
        caption = counted(len(self), "dispute")
        return html_table(caption, ["subject", "positions"], rows, total=len(self))


def _subject_order(subject: Subject) -> tuple[str, tuple[str, ...]]:
    return (subject.kind, tuple(part or "" for part in subject.about))


def _position_order(position: Position) -> tuple[bool, bool, str, tuple[str, ...]]:
    return (
        not position.record,
        position.stance is not Stance.ASSERTS,
        _render(position.value),
        position.claims,
    )


def recorded(ds: Dataset, subject: Subject) -> Hashable | None:
    """What the record's own fields say on ``subject``, if anything.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> recorded(ds, Subject("attribution", ("attack-2020-02-03",)))
    frozenset({'syrian-army'})
    """
    event_id = _event_of(subject)
    event = None if event_id is None else ds.events.get(event_id)
    if subject.kind == "casualties" and event is not None:
        _, actor, measure = subject.about
        return record_figures(event).get((actor, measure or ""))
    if subject.kind == "attribution" and isinstance(event, Engagement) and event.initiators:
        return frozenset(event.initiators)
    return None


def _event_of(subject: Subject) -> str | None:
    """The id of the event whose fields :func:`recorded` reads for ``subject``, if any."""
    if subject.kind in ("casualties", "attribution") and subject.about:
        return subject.about[0] or None
    return None


def _stated(figure: Estimate) -> tuple[int, int | None]:
    """The range ``figure`` states, as disputes compare it: its low and high (``None``: open),
    a best given with no range standing for itself, as the one number its source gave.

    >>> _stated(Estimate.best_only(40)), _stated(Estimate(None, 40, 50))
    ((40, 40), (40, 50))
    >>> _stated(Estimate(8, 9, None)), _stated(Estimate(27, None, 29))
    ((8, None), (27, 29))
    """
    if figure.low is not None:
        return figure.low, figure.high
    return figure.best_or_low, figure.best if figure.high is None else figure.high


def _consistent(ds: Dataset, first: Hashable, second: Hashable, strict: bool) -> bool:
    if first == second:
        return True
    if strict:
        return False
    if isinstance(first, Estimate) and isinstance(second, Estimate):
        (first_low, first_high), (second_low, second_high) = _stated(first), _stated(second)
        return (second_high is None or first_low <= second_high) and (
            first_high is None or second_low <= first_high
        )
    if isinstance(first, frozenset) and isinstance(second, frozenset):
        return all(_same_hands(ds, a, second) for a in first) and all(
            _same_hands(ds, b, first) for b in second
        )
    return False


def _same_hands(ds: Dataset, actor: object, others: frozenset[object]) -> bool:
    """Whether ``actor`` is one of ``others``, a part of one or one's group: a group under two
    records linked ``same_as`` (two datasets' names for it) counts as one."""
    if not isinstance(actor, str) or actor not in ds.actors:
        return actor in others
    mine = ds.same_as(actor)
    return any(
        isinstance(other, str)
        and other in ds.actors
        and any(
            ds.is_part_of(one, another) or ds.is_part_of(another, one)
            for one in mine
            for another in ds.same_as(other)
        )
        for other in others
    )


_RECORD = object()
"""Who says what the record's own fields say, in :func:`disputes`."""


def _hands(claim: Claim) -> object:
    """Whose voice ``claim`` is: its claimant, or for an unattributed claim the claim itself
    (two such claims may come from anyone)."""
    return claim.claimant if claim.claimant is not None else ("claim", claim.id)


def disputes(ds: Dataset, *, strict: bool = False) -> Disputes:
    """Every subject on which claimants disagree, with each other or the record.

    ``strict=True`` compares figures and perpetrators exactly instead of by overlap.
    """
    ds = _arguments.dataset("disputes", ds)
    _arguments.flag("disputes", "strict", strict)
    with paused_gc():
        return _disputes(ds, strict)


def _disputes(ds: Dataset, strict: bool) -> Disputes:
    """:func:`disputes` with its arguments checked (the cyclic collector paused: a dataset of
    a million events holds millions of objects it would walk again and again, for nothing)."""
    revisions = Revisions(ds.claims.values())
    groups: dict[Subject, list[tuple[Claim, Hashable]]] = defaultdict(list)
    for claim in ds.claims.values():
        current = [f for f in facts(claim.statement) if revisions.is_current(claim, f.subject)]
        for fact in current:
            groups[fact.subject].append((claim, fact.value))
        if current and claim.stance is Stance.ASSERTS and not isinstance(claim.statement, Occurred):
            named = {t for _, kind, t in references(claim.statement) if kind == "events"}
            for event in sorted(named):
                groups[Subject("occurred", (event,))].append((claim, True))
    ds.get_many("events", {e for e in map(_event_of, groups) if e is not None})
    found = []
    for subject, entries in groups.items():
        record = recorded(ds, subject)
        asserted: dict[Hashable, set[object]] = defaultdict(set)
        deniers: set[object] = set()
        for claim, value in entries:
            if claim.stance is Stance.ASSERTS:
                asserted[value].add(_hands(claim))
            else:
                deniers.add(_hands(claim))
        if record is not None:
            asserted[record].add(_RECORD)
        values = sorted(asserted, key=_render)
        conflicting = any(
            len(asserted[a] | asserted[b]) > 1 and not _consistent(ds, a, b, strict)
            for i, a in enumerate(values)
            for b in values[i + 1 :]
        )
        asserters = set().union(*asserted.values())
        if not ((asserters and deniers and len(asserters | deniers) > 1) or conflicting):
            continue
        sides: dict[tuple[Stance, Hashable], list[Claim]] = defaultdict(list)
        for claim, value in entries:
            sides[(claim.stance, value)].append(claim)
        positions = [
            Position(stance, value, tuple(sorted(c.id for c in side)), claimants(side))
            for (stance, value), side in sides.items()
        ]
        if record is not None:
            positions.append(Position(Stance.ASSERTS, record, (), (), record=True))
        found.append(Dispute(subject, tuple(sorted(positions, key=_position_order))))
    return Disputes(sorted(found, key=lambda d: _subject_order(d.subject)), names=_names(ds, found))


def _names(ds: Dataset, found: list[Dispute]) -> dict[str, str]:
    """The names of the actors, places and agreements ``found`` mentions (as claimants, in
    their subjects or in what the positions say), by id."""
    texts = {part for dispute in found for part in dispute.subject.about if part}
    for dispute in found:
        for position in dispute.positions:
            texts.update(position.claimants)
            value = position.value
            texts.update(map(str, value) if isinstance(value, frozenset) else ())
            if isinstance(value, str):
                texts.add(value)
    names: dict[str, str] = {}
    for collection in ("actors", "locations", "agreements"):
        held = getattr(ds, collection)
        names.update(names_of(ds, collection, [text for text in texts if text in held]))
    return names
