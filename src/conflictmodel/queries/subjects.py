"""What a statement is about (its subject) and what it says on it (its value).

Two claims on the same subject can be compared: they agree when they say the same thing
with the same stance. :func:`facts` knows the built-in statement types; register a function
for your own statement types with ``facts.register``. Without one, a statement's subject is
the records it names and its value is the statement itself.

>>> import conflictmodel as cm
>>> facts(cm.CasualtyFigure("airstrike", "syrian-civilians", killed=15))
... # doctest: +NORMALIZE_WHITESPACE
(Fact(subject=Subject(kind='casualties', about=('airstrike', 'syrian-civilians', 'killed')),
      value=Estimate(low=15, best=15, high=15)),)
>>> str(facts(cm.Attribution("airstrike", ["turkey"]))[0].subject)
'attribution(airstrike)'
"""

from __future__ import annotations

import functools
from collections.abc import Hashable

import attrs

from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Controls,
    Occurred,
    Statement,
    Violated,
)
from conflictmodel.opaque import UnknownStatement
from conflictmodel.records import references


@attrs.frozen
class Subject:
    """One question a statement answers: its ``kind`` and the ids (or values) it is about.

    ``casualties(e, a, killed)``: how many of ``a`` were killed in ``e``;
    ``attribution(e)``: who carried out ``e``; ``occurred(e)``: whether ``e`` happened;
    ``violated(g, a, e)``: whether ``a`` broke agreement ``g`` (through ``e``, or ``None``);
    ``controls(p, since)``: who holds ``p`` from ``since``.
    """

    kind: str
    about: tuple[str | None, ...]

    def __str__(self) -> str:
        return f"{self.kind}({', '.join('-' if part is None else part for part in self.about)})"


@attrs.frozen
class Fact:
    """What a statement says (``value``) on one ``subject``."""

    subject: Subject
    value: Hashable


@functools.singledispatch
def facts(statement: Statement) -> tuple[Fact, ...]:
    """The subjects ``statement`` speaks to, each with what it says on it."""
    about = tuple(target for _, _, target in references(statement))
    return (Fact(Subject(type(statement).__name__, about), statement),)


@facts.register
def _unknown(statement: UnknownStatement) -> tuple[Fact, ...]:
    """A statement of a type not registered here is about its tag and all its fields (which
    may name records no reference check sees): only a denial of the same can dispute it.

    >>> from conflictmodel.opaque import UnknownStatement
    >>> str(facts(UnknownStatement(tag="acme.used", payload={"event": "e1"}))[0].subject)
    'acme.used({"event":"e1"})'
    """
    return (Fact(Subject(statement.tag, (statement.payload,)), statement),)


@facts.register
def _occurred(statement: Occurred) -> tuple[Fact, ...]:
    return (Fact(Subject("occurred", (statement.event,)), True),)


@facts.register
def _attribution(statement: Attribution) -> tuple[Fact, ...]:
    return (Fact(Subject("attribution", (statement.event,)), frozenset(statement.perpetrators)),)


@facts.register
def _figure(statement: CasualtyFigure) -> tuple[Fact, ...]:
    return tuple(
        Fact(Subject("casualties", (statement.event, statement.actor, measure)), value)
        for measure, value in (("killed", statement.killed), ("injured", statement.injured))
        if value is not None
    )


@facts.register
def _violated(statement: Violated) -> tuple[Fact, ...]:
    events: tuple[str | None, ...] = statement.events or (None,)
    return tuple(
        Fact(Subject("violated", (statement.agreement, violator, event)), True)
        for violator in statement.violators
        for event in events
    )


@facts.register
def _controls(statement: Controls) -> tuple[Fact, ...]:
    since = None if statement.since is None else str(statement.since)
    return (Fact(Subject("controls", (statement.location, since)), statement.actor),)
