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

import math
from enum import Enum
from typing import Any, cast

import attrs
from immutabledict import immutabledict

from conflictmodel import _checks as checks
from conflictmodel._checks import MAX_COUNT, REFERENCE, describe, fail, refers_to
from conflictmodel.errors import ValidationError
from conflictmodel.quantities import Estimate, estimate_field, to_estimate
from conflictmodel.timespans import (
    TimeSpan,
    optional_span_field,
    span_field,
    to_optional_span,
    to_span,
)

__all__ = [
    "BOUNDS",
    "MAX_INTEGER",
    "MIN_INTEGER",
    "REFERENCE",
    "enum",
    "estimate",
    "flag",
    "integer",
    "mapping",
    "number",
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


BOUNDS = "conflictmodel.bounds"
"""Key of the metadata of a field made by :func:`integer` or :func:`number`: the
``(minimum, maximum)`` it accepts, ``None`` where unbounded; the strategies of
:mod:`conflictmodel.testing` draw within them."""

MIN_INTEGER = -(2**63)
"""The smallest whole number an :func:`integer` field holds: a signed 64-bit integer, what the
file format and every table engine hold."""
MAX_INTEGER = MAX_COUNT
"""The largest whole number an :func:`integer` field holds, ``2**63 - 1``."""


def _declared(
    constructor: str,
    kind: tuple[type, ...],
    optional: bool,
    default: object,
    minimum: float | None = None,
    maximum: float | None = None,
) -> None:
    """Refuse bounds or a default that are not of ``kind`` (a whole number within 64 bits, a
    finite number), or a default the field itself would refuse."""
    words: dict[tuple[type, ...], str] = {(int,): "a whole number", (bool,): "True or False"}
    word = words.get(kind, "a finite number")
    if default is None and not optional:
        raise ValidationError(
            f"fields.{constructor}(default=None): pass optional=True to allow None"
        )
    given = {"minimum": minimum, "maximum": maximum, "default": default}
    for name, bound in given.items():
        if bound is None or bound is _UNSET or bound is _NOTHING:
            continue
        number = cast(float, bound)
        if (
            (isinstance(bound, bool) and kind != (bool,))
            or not isinstance(bound, kind)
            or (kind == (int,) and not MIN_INTEGER <= number <= MAX_INTEGER)
            or (isinstance(bound, float) and not math.isfinite(bound))
        ):
            raise ValidationError(
                f"fields.{constructor}({name}=...): expected {word}, got {describe(bound)}"
            )
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ValidationError(
                f"fields.{constructor}({name}={bound!r}): outside minimum {minimum!r} and "
                f"maximum {maximum!r}"
            )


def _within(
    instance: object,
    attribute: attrs.Attribute[Any],
    value: float,
    minimum: float | None,
    maximum: float | None,
) -> None:
    if minimum is not None and value < minimum:
        fail(instance, attribute, f"must be at least {minimum!r}, got {_shown(value)}")
    if maximum is not None and value > maximum:
        fail(instance, attribute, f"must be at most {maximum!r}, got {_shown(value)}")


def _shown(value: float) -> str:
    """``repr(value)``; a whole number past 64 bits by its sign alone (its digits may be too
    many to print)."""
    if isinstance(value, int) and value > MAX_INTEGER:
        return "a number above 2**63 - 1"
    if isinstance(value, int) and value < MIN_INTEGER:
        return "a number below -2**63"
    return repr(value)


def integer(
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    optional: bool = False,
    default: int | None = _UNSET,
) -> Any:
    """A whole number (``int``, not ``bool`` nor ``float``) from ``minimum`` to ``maximum``,
    within 64 bits; ``optional`` allows ``None`` (the default then, unless ``default`` says
    otherwise). Without ``default`` (or ``optional``) the field must be given.

    >>> import attrs
    >>> import conflictmodel as cm
    >>> from conflictmodel import fields
    >>> @attrs.frozen(kw_only=True)
    ... class Sortie(cm.Event):
    ...     drones: int = fields.integer(minimum=1, default=1)
    >>> Sortie(id="s", when="2020-02-05", drones=3).drones
    3
    >>> Sortie(id="s", when="2020-02-05", drones="two")
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Sortie 's'.drones: expected a whole number, got str 'two'
    >>> Sortie(id="s", when="2020-02-05", drones=0)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Sortie 's'.drones: must be at least 1, got 0
    """
    _declared("integer", (int,), optional, default, minimum, maximum)
    low = MIN_INTEGER if minimum is None else minimum
    high = MAX_INTEGER if maximum is None else maximum

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is int and low <= value <= high:
            return
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            fail(instance, attribute, f"expected a whole number, got {describe(value)}")
        if value < MIN_INTEGER or value > MAX_INTEGER:
            fail(
                instance,
                attribute,
                f"must lie in -2**63 to 2**63 - 1 (as files and tables hold it), got "
                f"{_shown(value)}",
            )
        _within(instance, attribute, value, minimum, maximum)

    return _bounded(optional, default, _to_int, check, minimum, maximum)


def _bounded(
    optional: bool,
    default: object,
    converter: Any,
    check: Any,
    minimum: float | None,
    maximum: float | None,
) -> Any:
    """The attrs field of :func:`integer` or :func:`number`, its bounds in its metadata."""
    return attrs.field(
        default=_default(optional, default, _NOTHING),
        converter=converter,
        validator=check,
        metadata={BOUNDS: (minimum, maximum)},
    )


def _to_int(value: Any) -> Any:
    """An ``int`` subclass (an ``IntEnum`` member) as a plain ``int``; anything else unchanged,
    for the validator."""
    if type(value) is not int and isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return value


def number(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    optional: bool = False,
    default: float | None = _UNSET,
) -> Any:
    """A finite ``float`` from ``minimum`` to ``maximum``. A whole number is taken as its
    ``float``; ``bool``, text, NaN and infinities are refused. ``optional`` allows ``None`` (the
    default then, unless ``default`` says otherwise); without either the field must be given.

    >>> import attrs
    >>> from conflictmodel import fields
    >>> @attrs.frozen
    ... class Coverage:
    ...     share: float = fields.number(minimum=0, maximum=1)
    >>> Coverage(1)
    Coverage(share=1.0)
    >>> Coverage(float("nan"))
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Coverage.share: expected a finite number, got nan
    >>> Coverage(1.5)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Coverage.share: must be at most 1, got 1.5
    """
    _declared("number", (int, float), optional, default, minimum, maximum)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if type(value) is not float:
            if isinstance(value, int) and not isinstance(value, bool):
                fail(
                    instance,
                    attribute,
                    "expected a number, got a whole number too large for a float",
                )
            fail(instance, attribute, f"expected a number, got {describe(value)}")
        if not math.isfinite(value):
            fail(instance, attribute, f"expected a finite number, got {value!r}")
        _within(instance, attribute, value, minimum, maximum)

    return _bounded(optional, default, _to_float, check, minimum, maximum)


def _to_float(value: Any) -> Any:
    """A whole number or a ``float`` subclass (``numpy.float64``) as a plain ``float``;
    anything else unchanged, for the validator."""
    if type(value) is float or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    try:
        return float(value)
    except OverflowError:
        return value


def flag(*, optional: bool = False, default: bool | None = _UNSET) -> Any:
    """``True`` or ``False`` (not ``1``, ``0`` or ``"true"``), ``False`` by default;
    ``optional`` allows ``None`` (then the default, for "not known", unless ``default`` says
    otherwise).

    >>> import attrs
    >>> from conflictmodel import fields
    >>> @attrs.frozen
    ... class Report:
    ...     verified: bool = fields.flag()
    >>> Report(), Report(True)
    (Report(verified=False), Report(verified=True))
    >>> Report(1)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Report.verified: expected True or False, got int 1
    """
    _declared("flag", (bool,), optional, default)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not bool and not (value is None and optional):
            fail(instance, attribute, f"expected True or False, got {describe(value)}")

    return attrs.field(default=_default(optional, default, False), validator=check)


def _default(optional: bool, default: object, otherwise: object) -> object:
    """``default`` if given, else ``None`` for an optional field and ``otherwise`` for another
    (:data:`attrs.NOTHING`: it must be given)."""
    if default is not _UNSET:
        return default
    return None if optional else otherwise
