"""The grade each event and claim has: its latest :class:`~conflictmodel.Assessment`.

The latest assessment of a record (by ``made``; undated ones count as the earliest, and
among equals the larger id) is its grade; a record nobody assessed has none. A query given
``min_grade`` keeps only events whose grade meets it, so an ungraded event is left out:
nobody has said it meets the grade.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020().with_records([
...     cm.Assessment(id="first", grade="weak", event="missiles-daraa-2020-02-06",
...                   made="2020-02-07"),
...     cm.Assessment(id="later", grade="fair", event="missiles-daraa-2020-02-06",
...                   made="2020-03"),
... ])
>>> grade_of(ds, "events", "missiles-daraa-2020-02-06")
<Grade.FAIR: 'fair'>
>>> grade_of(ds, "events", "missiles-quneitra-2020-02-06") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conflictmodel._checks import describe
from conflictmodel.assessments import Assessment, Grade
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.queries import _arguments

_UNDATED = (-(2**64), -(2**64))


def _order(assessment: Assessment) -> tuple[tuple[int, int], str]:
    made = assessment.made
    return (_UNDATED if made is None or made.start is None else made.sort_key, assessment.id)


def latest(assessments: Iterable[Assessment]) -> dict[tuple[str, str], Grade]:
    """The grade of every record ``assessments`` grade, by ``(collection, id)``."""
    grades: dict[tuple[str, str], Grade] = {}
    for assessment in sorted(assessments, key=_order):
        if assessment.event is not None:
            grades[("events", assessment.event)] = assessment.grade
        elif assessment.claim is not None:
            grades[("claims", assessment.claim)] = assessment.grade
    return grades


def grades(ds: Dataset) -> dict[tuple[str, str], Grade]:
    """The grade of every assessed record, by ``(collection, id)``; kept with the dataset."""
    return ds.cached("grades.latest", lambda ds: latest(ds.assessments.values()))


def grade_of(ds: Dataset, collection: str, record_id: str) -> Grade | None:
    """The grade of the event or claim ``record_id`` (``None``: never assessed)."""
    ds = _arguments.dataset("grade_of", ds)
    ds.get(collection, record_id)
    return grades(ds).get((collection, record_id))


def of_events(graded: Mapping[tuple[str, str], Grade]) -> dict[str, Grade]:
    """The events' grades among ``graded``, by event id."""
    return {key: grade for (collection, key), grade in graded.items() if collection == "events"}


def event_grades(ds: Dataset) -> dict[str, Grade]:
    """The grade of every assessed event, by event id; kept with the dataset."""
    return ds.cached("grades.events", lambda ds: of_events(grades(ds)))


def min_grade(function: str, value: object) -> Grade | None:
    """The grade ``min_grade=`` asks for (a :class:`Grade` or its value), or ``None``."""
    if value is None or isinstance(value, Grade):
        return value
    if isinstance(value, str):
        try:
            return Grade(value)
        except ValueError:
            pass
    accepted = ", ".join(repr(g.value) for g in Grade)
    raise ValidationError(
        f"{function}(min_grade=...): expected one of {accepted}, got {describe(value)}"
    )


def meets(grade: Grade | None, minimum: Grade | None) -> bool:
    """Whether a record of ``grade`` counts under ``min_grade=minimum`` (ungraded: never)."""
    return minimum is None or (grade is not None and grade.meets(minimum))
