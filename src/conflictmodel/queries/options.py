"""The options the queries share with the time series and charts built on them, named once.

A chart and a table asked the same question count the same figures:
:func:`~conflictmodel.casualties_over_time` and the casualties chart take the keyword
arguments of :func:`~conflictmodel.casualties_by_actor` (:class:`CasualtyOptions`),
:func:`~conflictmodel.violations_over_time` and the violations chart those of
:func:`~conflictmodel.ceasefire_violations` (:class:`ViolationOptions`). They pass them on as
given, checked first under their own name (:func:`checked`).

>>> import conflictmodel as cm
>>> asked: CasualtyOptions = {"according_to": "turkey", "roll_up": True}
>>> dict(cm.casualties_by_actor(cm.examples.idlib_2020(), **asked))["syria"]
Estimate(low=27, best=None, high=29)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, TypeVar

from conflictmodel.assessments import Grade
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.perspective import BestRule
from conflictmodel.timespans import TimeSpan

__all__ = ["CasualtyOptions", "ViolationOptions", "checked"]


class ViolationOptions(TypedDict, total=False):
    """The keyword arguments of :func:`~conflictmodel.ceasefire_violations`: whose account
    (``according_to``, with the claims of its parts unless ``include_parts=False``), which
    events (meeting ``period``, graded ``min_grade`` or better)."""

    according_to: str | Iterable[str] | None
    period: TimeSpan | str | None
    include_parts: bool
    min_grade: Grade | str | None


class CasualtyOptions(ViolationOptions, total=False):
    """The keyword arguments of :func:`~conflictmodel.casualties_by_actor`: those of
    :class:`ViolationOptions`, and the events ``within`` a place, each actor counted under
    its top ``part_of`` ancestor (``roll_up``), and the ``best`` rule for disagreeing
    claims."""

    within: str | None
    roll_up: bool
    best: BestRule | None


_Options = TypeVar("_Options", CasualtyOptions, ViolationOptions)


def checked(
    function: str, ds: Dataset, given: Mapping[str, object], kind: type[_Options]
) -> _Options:
    """``given`` (keyword arguments of ``kind``) checked as ``function``'s arguments and each
    resolved, by the names of ``ds`` (of its tables, when it is held in them): the claimants'
    ids, the period's span, the place's id, the grade. Each option of ``kind`` is in the
    answer, those not given at their defaults. An unknown keyword is refused, naming those
    taken (Python does not check the keywords of a function that takes them all).

    >>> import conflictmodel as cm
    >>> checked("casualties_chart", cm.examples.idlib_2020(), {"min_grad": "fair"},
    ...         CasualtyOptions)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: casualties_chart(min_grad=...): not an option; \
expected according_to, period, include_parts, min_grade, within, roll_up or best
    """
    known = list(kind.__annotations__)
    for name in given:
        if name not in known:
            raise ValidationError(
                f"{function}({name}=...): not an option; "
                f"expected {', '.join(known[:-1])} or {known[-1]}"
            )
    engine = _arguments.engine_tables(ds)
    names = ds if engine is None else engine.dimensions
    include_parts = given.get("include_parts", True)
    according_to = given.get("according_to")
    view = _arguments.perspective(
        function, names, according_to, include_parts, given.get("best"), tables=engine, warn=False
    )
    account = _arguments.has_account(view, engine)
    if view.asked and not account:
        _arguments.warn_no_account(view, according_to, engine)
    found: dict[str, Any] = {
        "according_to": view.asked if account else None,
        "period": _arguments.period(function, given.get("period")),
        "include_parts": include_parts is True,
        "min_grade": grades.min_grade(function, given.get("min_grade")),
    }
    if kind is CasualtyOptions:
        within = given.get("within")
        found["within"] = (
            None if within is None else _arguments.location(function, "within", names, within)
        )
        found["roll_up"] = _arguments.flag(function, "roll_up", given.get("roll_up", False))
        found["best"] = view.best
    answer: _Options = kind(**found)
    return answer
