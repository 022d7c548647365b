"""The exceptions every public function raises on bad input."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs


class ConflictModelError(Exception):
    """Base of every error this library raises on purpose."""


class ConflictModelWarning(UserWarning):
    """Base of every warning this library gives: something was done, but not all of it
    (such as tables written without the dataset's history)."""


class NoAccountWarning(ConflictModelWarning):
    """A query was asked for the account of actors who made no claim, so it answered with
    the default account."""


class ValidationError(ConflictModelError, ValueError):
    """A value or record is invalid on its own.

    >>> import conflictmodel as cm
    >>> cm.Estimate(5, 3, 8)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Estimate.best: 3 is below low 5

    ``field`` names the offending field when one is to blame (``"best"`` above), else ``None``.
    """

    field: str | None = None


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


class UnknownNameError(ConflictModelError, LookupError):
    """No record has this name, alias or id."""


class AmbiguousNameError(ConflictModelError, LookupError):
    """A name or alias fits several records; the message lists them."""


class RegistrationError(ConflictModelError, TypeError):
    """A type cannot be registered: a taken tag, or a class that is not a subclass of the base."""


class PluginError(ConflictModelError, ImportError):
    """A plug-in from the ``conflictmodel.types`` entry-point group failed to load."""


class OutputError(ConflictModelError, OSError):
    """A file cannot be written where asked: its folder is missing, or is not writable."""


@attrs.frozen
class LoadProblem:
    """One thing wrong with a document being loaded, at its JSON path.

    ``path`` reads like ``events[3].casualties[0].killed.low``; ``$`` is the whole document.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProblemsError(ConflictModelError, ValueError):
    """Base of the errors that list every problem found, not only the first.

    ``problems`` holds them: :class:`Problem` (a record and its field) for a
    :class:`DatasetError`, :class:`LoadProblem` (a JSON path) for a :class:`LoadError`.
    ``uncollected`` counts further problems that were found but not kept (a loader keeps the
    first thousand, so that a broken file of millions of records does not fill the memory).
    """

    subject = "the input"
    """What the problems are in, for the message's first line."""

    def __init__(
        self,
        problems: Sequence[Problem | LoadProblem],
        *,
        limit: int = 25,
        uncollected: int = 0,
    ) -> None:
        self.problems: tuple[Problem | LoadProblem, ...] = tuple(problems)
        self.uncollected = uncollected
        shown = "\n".join(f"  - {problem}" for problem in self.problems[:limit])
        count = len(self.problems) + uncollected
        more = count - min(limit, len(self.problems))
        if more > 0:
            shown += f"\n  ... and {more} more"
        plural = "s" if count != 1 else ""
        super().__init__(f"{count} problem{plural} in {self.subject}:\n{shown}")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the message and the problems as they are: unpickling would otherwise pass
        the message to ``__init__`` as the list of problems."""
        return (_unpickled, (type(self), self.args), self.__dict__)


def _unpickled(cls: type[ProblemsError], args: tuple[Any, ...]) -> ProblemsError:
    """A :class:`ProblemsError` of ``args`` without running ``__init__`` again; pickle then
    restores its ``problems`` and ``uncollected``."""
    return cls.__new__(cls, *args)


class DatasetError(ProblemsError, ValidationError):
    """A set of records that cannot form a :class:`~conflictmodel.Dataset`.

    ``problems`` lists every :class:`Problem` found.
    """

    subject = "the dataset"
    problems: tuple[Problem, ...]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, limit=len(problems))

    @classmethod
    def of(cls, problems: Iterable[Problem], kinds: Iterable[type[DatasetError]]) -> DatasetError:
        """Build the most specific error: a subclass when all problems are of one kind."""
        problem_list = list(problems)
        distinct = set(kinds)
        if len(distinct) == 1:
            return distinct.pop()(problem_list)
        return cls(problem_list)


class LoadError(ProblemsError):
    """A document that cannot be loaded; ``problems`` lists every :class:`LoadProblem` found."""

    subject = "the document"
    problems: tuple[LoadProblem, ...]

    def __init__(
        self, problems: Sequence[LoadProblem], *, limit: int = 25, uncollected: int = 0
    ) -> None:
        super().__init__(problems, limit=limit, uncollected=uncollected)


class DuplicateIdError(DatasetError):
    """Two records of the same kind share an id."""


class UnresolvedReferenceError(DatasetError):
    """A record refers to an id that no record of the expected kind has."""


class CycleError(DatasetError):
    """A ``part_of`` or ``within`` chain loops back on itself."""


class ImportFormatError(ConflictModelError, ValueError):
    """The file cannot be read as the format at all (not CSV, or required columns missing)."""


class ImportRowError(ConflictModelError, ValueError):
    """A row cannot be imported and the importer was asked to raise (``errors="raise"``)."""


class MissingExtraError(ConflictModelError, ImportError):
    """A feature needs an optional dependency that is not installed."""


class EngineError(ConflictModelError, RuntimeError):
    """The engine could not run a query for a reason that is not the data's: DuckDB ran out
    of the memory it may use. The message says how much that was and how to give it more
    (:func:`conflictmodel.tables.open`'s ``settings``); the engine's own error is the
    ``__cause__``."""
