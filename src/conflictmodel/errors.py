"""The exceptions every public function raises on bad input."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs


class ConflictModelError(Exception):
    """Base of every error this library raises on purpose."""


class ValidationError(ConflictModelError, ValueError):
    """A value or record is invalid on its own.

    >>> import conflictmodel as cm
    >>> cm.Estimate(5, 3, 8)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Estimate.best: 3 is below low 5
    """


@attrs.frozen
class Problem:
    """One thing wrong with a dataset: which record, which field, and what.

    ``record`` reads ``"<kind> '<id>'"``, for example ``"event 'attack'"``.
    """

    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}.{self.field}: {self.message}"


class DatasetError(ValidationError):
    """A set of records that cannot form a :class:`~conflictmodel.Dataset`.

    ``problems`` lists every :class:`Problem` found, not only the first.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the dataset:\n{lines}")

    @classmethod
    def of(cls, problems: Iterable[Problem], kinds: Iterable[type[DatasetError]]) -> DatasetError:
        """Build the most specific error: a subclass when all problems are of one kind."""
        problem_list = list(problems)
        distinct = set(kinds)
        if len(distinct) == 1:
            return distinct.pop()(problem_list)
        return cls(problem_list)


class DuplicateIdError(DatasetError):
    """Two records of the same kind share an id."""


class UnresolvedReferenceError(DatasetError):
    """A record refers to an id that no record of the expected kind has."""


class CycleError(DatasetError):
    """A ``part_of`` or ``within`` chain loops back on itself."""


class UnknownNameError(ConflictModelError, LookupError):
    """No record has this name, alias or id."""


class AmbiguousNameError(ConflictModelError, LookupError):
    """A name or alias fits several records; the message lists them."""
