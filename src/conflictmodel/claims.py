"""Who says what: claims by an actor, reported by a source, about a statement."""

from __future__ import annotations

import enum
import warnings
from collections.abc import Callable, Iterable
from typing import ClassVar

import attrs

from conflictmodel._checks import (
    coerce_enum,
    fail,
    instance,
    member,
    optional_text,
    refers_to,
    text,
    texts,
    to_texts,
)
from conflictmodel.quantities import Estimate, estimate_field, to_estimate
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan, optional_span_field, to_optional_span


class Stance(enum.StrEnum):
    """Whether the claimant asserts the statement or denies it."""

    ASSERTS = "asserts"
    DENIES = "denies"


def _to_stance(value: Stance | str) -> Stance:
    return coerce_enum(Stance, value)


@attrs.frozen
class Statement:
    """What a claim is about. Subclass it (and register the subclass) for new statement types."""


@attrs.frozen
class Occurred(Statement):
    """That ``event`` took place."""

    event: str = attrs.field(validator=text, metadata=refers_to("events"))


@attrs.frozen
class Attribution(Statement):
    """That ``perpetrators`` carried out ``event``.

    >>> Attribution("airstrike", ["turkey"]).perpetrators
    ('turkey',)
    """

    event: str = attrs.field(validator=text, metadata=refers_to("events"))
    perpetrators: tuple[str, ...] = attrs.field(
        converter=to_texts, validator=texts, metadata=refers_to("actors")
    )

    def __attrs_post_init__(self) -> None:
        if not self.perpetrators:
            fail(self, attrs.fields(Attribution).perpetrators, "name at least one perpetrator")


@attrs.frozen
class CasualtyFigure(Statement):
    """That ``actor`` (``None``: unattributed) lost this many in ``event``.

    >>> CasualtyFigure("airstrike", "syrian-civilians", killed=15).killed
    Estimate(low=15, best=15, high=15)
    """

    event: str = attrs.field(validator=text, metadata=refers_to("events"))
    actor: str | None = attrs.field(validator=optional_text, metadata=refers_to("actors"))
    killed: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )
    injured: Estimate | None = attrs.field(
        default=None, converter=to_estimate, validator=estimate_field
    )

    def __attrs_post_init__(self) -> None:
        if self.killed is None and self.injured is None:
            fail(self, attrs.fields(CasualtyFigure).killed, "give killed, injured or both")


@attrs.frozen
class Violated(Statement):
    """That ``violators`` broke ``agreement``, through ``events`` when named."""

    agreement: str = attrs.field(validator=text, metadata=refers_to("agreements"))
    violators: tuple[str, ...] = attrs.field(
        converter=to_texts, validator=texts, metadata=refers_to("actors")
    )
    events: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("events")
    )

    def __attrs_post_init__(self) -> None:
        if not self.violators:
            fail(self, attrs.fields(Violated).violators, "name at least one violator")


@attrs.frozen
class Controls(Statement):
    """That ``actor`` controls ``location``, since ``since`` when known."""

    location: str = attrs.field(validator=text, metadata=refers_to("locations"))
    actor: str = attrs.field(validator=text, metadata=refers_to("actors"))
    since: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )


UNATTRIBUTED = "unattributed"
"""How results name the claimant of an unattributed claim (one whose ``claimant`` is None)."""


@attrs.frozen(kw_only=True, init=False)
class Claim(Record):
    """``claimant`` asserts (or denies) ``statement``, as reported by ``sources``.

    >>> claim = Claim(id="c", claimant="syria", statement=Attribution("airstrike", ["turkey"]),
    ...               made="2020-02-06", sources=["report"])
    >>> claim.stance, claim.sources
    (<Stance.ASSERTS: 'asserts'>, ('report',))

    A claim whose ``claimant`` is ``None`` is unattributed ("according to reports"): it is
    reported, but by nobody in particular, so it never counts as the record's fact; results
    name it :data:`UNATTRIBUTED` among those who allege or deny.

    ``source=`` (one source id) is deprecated: it still works, added to ``sources``.
    """

    collection: ClassVar[str] = "claims"
    kind_label: ClassVar[str] = "claim"

    claimant: str | None = attrs.field(validator=optional_text, metadata=refers_to("actors"))
    statement: Statement = attrs.field(validator=instance(Statement))
    stance: Stance = attrs.field(
        default=Stance.ASSERTS, converter=_to_stance, validator=member(Stance)
    )
    made: TimeSpan | None = attrs.field(
        default=None, converter=to_optional_span, validator=optional_span_field
    )
    sources: tuple[str, ...] = attrs.field(
        default=(), converter=to_texts, validator=texts, metadata=refers_to("sources")
    )

    def __init__(
        self,
        *,
        id: str,
        claimant: str | None,
        statement: Statement,
        stance: Stance | str = Stance.ASSERTS,
        made: TimeSpan | str | None = None,
        sources: Iterable[str] = (),
        source: str | None = None,
    ) -> None:
        if source is not None:
            warnings.warn(
                "Claim(source=...) is deprecated; give sources=[...] instead",
                DeprecationWarning,
                stacklevel=2,
            )
            listed = to_texts(sources)
            if isinstance(listed, tuple) and source not in listed:
                sources = (*listed, source)
        self.__attrs_init__(
            id=id, claimant=claimant, statement=statement, stance=stance, made=made, sources=sources
        )

    @property
    def claimant_label(self) -> str:
        """The claimant's id, or :data:`UNATTRIBUTED` for a claim by nobody in particular."""
        return UNATTRIBUTED if self.claimant is None else self.claimant

    @property
    def source(self) -> str | None:
        """Deprecated: the first of :attr:`sources` (``None`` when there is none)."""
        warnings.warn(
            "Claim.source is deprecated; read Claim.sources", DeprecationWarning, stacklevel=2
        )
        return self.sources[0] if self.sources else None


def describe_statement(
    statement: Statement, name: Callable[[str, str], str] = lambda collection, id: id
) -> str:
    """One line for a statement, in words; ``name(collection, id)`` words each record it
    names (its id by default).

    >>> describe_statement(Attribution("airstrike", ["turkey"]))
    'airstrike was carried out by turkey'
    """

    def actors(ids: Iterable[str]) -> str:
        return ", ".join(name("actors", actor) for actor in ids)

    if isinstance(statement, Occurred):
        return f"{statement.event} took place"
    if isinstance(statement, Attribution):
        return f"{statement.event} was carried out by {actors(statement.perpetrators)}"
    if isinstance(statement, CasualtyFigure):
        figures = [
            f"{label} {value:,}"
            for label, value in (("killed", statement.killed), ("injured", statement.injured))
            if value
        ]
        who = UNATTRIBUTED if statement.actor is None else name("actors", statement.actor)
        return f"{statement.event}: {who} {', '.join(figures)}"
    if isinstance(statement, Violated):
        through = f" through {', '.join(statement.events)}" if statement.events else ""
        agreement = name("agreements", statement.agreement)
        return f"{actors(statement.violators)} violated {agreement}{through}"
    if isinstance(statement, Controls):
        since = f" since {statement.since}" if statement.since else ""
        place = name("locations", statement.location)
        return f"{actors([statement.actor])} controls {place}{since}"
    return repr(statement)
