"""Field constructors: how a record declares a field, built-in or from a plug-in.

Each constructor returns an ``attrs.field`` with the converter, the validator and the metadata
the built-in records use (they spell the same ``attrs.field`` out, so that mypy's attrs plugin
types their ``__init__`` from the converters), so a custom field reads lenient input the same
way and refuses bad values with the same :class:`~conflictmodel.ValidationError` naming the
class, record and field:

>>> import attrs
>>> import conflictmodel as cm
>>> from conflictmodel import fields
>>> @attrs.frozen(kw_only=True)
... class Siege(cm.Event):
...     besiegers: tuple[str, ...] = fields.references("actors")
...     trapped: cm.Estimate | None = fields.estimate()
>>> siege = Siege(id="s", when="2019-05/2019-08", besiegers=["syrian-army"],
...     trapped="about 90,000")
>>> siege.besiegers, siege.trapped
(('syrian-army',), Estimate(low=81000, best=90000, high=99000))
>>> Siege(id="s", when="2019-05", besiegers=[], trapped="lots")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
conflictmodel.errors.ValidationError: Siege 's'.trapped: cannot read 'lots' as a count: ...

A field made by :func:`reference` or :func:`references` carries the :data:`REFERENCE`
metadata: the :class:`~conflictmodel.Dataset` checks that its ids resolve, and
:func:`~conflictmodel.references` walks it. Register the class (:func:`~conflictmodel.event_type`)
to load and dump it; see the how-to on extending the model.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs
from immutabledict import immutabledict

from conflictmodel import _checks as checks
from conflictmodel._checks import REFERENCE, refers_to
from conflictmodel.quantities import Estimate, estimate_field, to_estimate
from conflictmodel.timespans import (
    TimeSpan,
    optional_span_field,
    span_field,
    to_optional_span,
    to_span,
)

__all__ = [
    "REFERENCE",
    "enum",
    "estimate",
    "mapping",
    "optional_text",
    "reference",
    "references",
    "refers_to",
    "span",
    "text",
    "texts",
    "value",
]

_NOTHING: Any = attrs.NOTHING
_UNSET: Any = object()


def _optional_default(default: object) -> object:
    """``None`` unless the caller gave a default (``attrs.NOTHING``: required, may be None)."""
    return None if default is _UNSET else default


def _metadata(collection: str | None) -> dict[str, str]:
    return refers_to(collection) if collection is not None else {}


def text(*, default: str = _NOTHING, blank: bool = False) -> Any:
    """A string; non-blank unless ``blank`` (then it defaults to ``""``).

    >>> import attrs
    >>> from conflictmodel import fields
    >>> @attrs.frozen
    ... class Note:
    ...     body: str = fields.text()
    >>> Note("   ")
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Note.body: must not be empty
    """
    if blank:
        return attrs.field(
            default="" if default is _NOTHING else default, validator=checks.plain_text
        )
    return attrs.field(default=default, validator=checks.text)


def optional_text(*, default: str | None = None) -> Any:
    """A non-blank string or ``None`` (the default)."""
    return attrs.field(default=default, validator=checks.optional_text)


def reference(collection: str, *, optional: bool = False, default: str | None = _UNSET) -> Any:
    """The id of a record in ``collection``; ``optional`` allows ``None`` (and defaults to it).

    Pass ``default=attrs.NOTHING`` with ``optional`` for a required field that may be ``None``.
    """
    if optional:
        return attrs.field(
            default=_optional_default(default),
            validator=checks.optional_text,
            metadata=refers_to(collection),
        )
    required = _NOTHING if default is _UNSET else default
    return attrs.field(default=required, validator=checks.text, metadata=refers_to(collection))


def references(collection: str | None, *, default: tuple[str, ...] = _NOTHING) -> Any:
    """A tuple of distinct ids of records in ``collection`` (a list or set is accepted).

    ``collection=None`` makes a tuple of distinct non-blank texts that refer to nothing.
    """
    return attrs.field(
        default=default,
        converter=checks.to_texts,
        validator=checks.texts,
        metadata=_metadata(collection),
    )


def texts(*, default: tuple[str, ...] = ()) -> Any:
    """A tuple of distinct non-blank texts (names, aliases), empty by default."""
    return references(None, default=default)


def estimate(*, default: Estimate | None = None) -> Any:
    """An :class:`~conflictmodel.Estimate` or ``None`` (the default).

    Accepts a whole number (8), a hedged phrase ("about 90,000"), an ``Estimate`` or ``None``.
    """
    return attrs.field(default=default, converter=to_estimate, validator=estimate_field)


def span(*, optional: bool = False, default: TimeSpan | str | None = _UNSET) -> Any:
    """A :class:`~conflictmodel.TimeSpan`, given as one or as its text ("2020-02", "2019/..").

    ``optional`` allows ``None`` (the default then, unless ``default`` says otherwise).
    """
    if optional:
        return attrs.field(
            default=_optional_default(default),
            converter=to_optional_span,
            validator=optional_span_field,
        )
    return attrs.field(
        default=_NOTHING if default is _UNSET else default,
        converter=to_span,
        validator=span_field,
    )


def enum(kind: type[Enum], *, default: Enum = _NOTHING) -> Any:
    """A member of ``kind``, given as one or as its value; the error lists the accepted values."""

    def convert(value: object) -> Any:
        return checks.coerce_enum(kind, value)

    return attrs.field(default=default, converter=convert, validator=checks.member(kind))


def mapping() -> Any:
    """An immutable mapping of non-blank text to non-blank text, empty by default."""
    return attrs.field(
        factory=immutabledict, converter=checks.to_frozen_mapping, validator=checks.text_mapping
    )


def value(kind: type, *, optional: bool = False, default: object = _NOTHING) -> Any:
    """An instance of the value class ``kind`` (a point, a statement); ``optional`` allows None."""
    if optional and default is _NOTHING:
        default = None
    return attrs.field(default=default, validator=checks.instance(kind, optional=optional))
