"""How far an event or a claim is believed: graded on Airwars' scale.

`Airwars <https://airwars.org/about/methodology/>`_ grades each alleged incident of civilian
harm, from the best supported to the least:

- **confirmed**: the belligerent has accepted responsibility for the harm;
- **fair**: reported by two or more credible sources, with the belligerent known to have
  acted nearby at the time;
- **weak**: a single source, or sources too vague to corroborate one another;
- **contested**: competing claims, such as several belligerents blamed for the harm;
- **discounted**: most likely not so (those harmed were combatants, or another party did it).

The library orders the grades in that sequence, so ``min_grade="fair"`` keeps what is
confirmed or fair (Airwars' own threshold for incidents it considers likely).

>>> Grade.FAIR.meets(Grade.WEAK), Grade.CONTESTED.meets(Grade.WEAK)
(True, False)
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

import attrs

from conflictmodel._checks import (
    coerce_enum,
    fail,
    member,
    optional_text,
    plain_text,
    refers_to,
    texts,
    to_texts,
)
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan, optional_span_field, to_optional_span


class Grade(enum.StrEnum):
    """A grade on Airwars' scale, best supported first."""

    CONFIRMED = "confirmed"
    FAIR = "fair"
    WEAK = "weak"
    CONTESTED = "contested"
    DISCOUNTED = "discounted"

    @property
    def rank(self) -> int:
        """0 for confirmed, up to 4 for discounted."""
        return list(Grade).index(self)

    def meets(self, minimum: Grade) -> bool:
        """Whether this grade is ``minimum`` or better supported."""
        return self.rank <= minimum.rank


def _to_grade(value: Grade | str) -> Grade:
    return coerce_enum(Grade, value)


@attrs.frozen(kw_only=True)
class Assessment(Record):
    """``assessor`` grades ``event`` or ``claim`` (exactly one of them), ``made`` then.

    The latest assessment of a record (by ``made``; an undated one counts as the earliest)
    is its grade. ``reason`` says why; ``sources`` are the source ids it rests on.

    >>> Assessment(id="a", grade="contested", event="airstrike", made="2020-02-08").grade
    <Grade.CONTESTED: 'contested'>
    >>> Assessment(id="a", grade="fair")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Assessment 'a'.event: grade an event or a claim, ...
    """

    collection: ClassVar[str] = "assessments"
    kind_label: ClassVar[str] = "assessment"

    grade: Grade = attrs.field(converter=_to_grade, validator=member(Grade))
    event: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("events")
    )
    claim: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("claims")
    )
    assessor: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("actors")
    )
    made: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )
    reason: str = attrs.field(default="", validator=plain_text)
    sources: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("sources")
    )

    def __attrs_post_init__(self) -> None:
        if (self.event is None) == (self.claim is None):
            field: Any = attrs.fields(Assessment).event
            given = "both" if self.event is not None else "neither"
            fail(self, field, f"grade an event or a claim, exactly one of them (given {given})")
