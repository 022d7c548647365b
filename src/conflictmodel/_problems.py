"""Turning the errors raised while structuring (loading a file, reading a table row) into
problems with JSON paths."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
import orjson
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from conflictmodel.errors import ConflictModelError, LoadProblem, ValidationError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def join(path: str, step: str | int) -> str:
    """``path`` extended by a field name or list index, in JSONPath-like notation.

    >>> join("events[3]", "casualties"), join("events[3].casualties", 0)
    ('events[3].casualties', 'events[3].casualties[0]')
    >>> join("actors[0].external_ids", "a b")
    'actors[0].external_ids["a b"]'
    """
    if isinstance(step, int):
        return f"{path}[{step}]"
    if _NAME.fullmatch(step):
        return f"{path}.{step}" if path else step
    return f"{path}[{orjson.dumps(step).decode()}]"


def _extra_keys(error: ForbiddenExtraKeysError) -> str:
    extra = ", ".join(repr(name) for name in sorted(error.extra_fields))
    plural = "s" if len(error.extra_fields) != 1 else ""
    if not attrs.has(error.cl):
        return f"unexpected field{plural} {extra}"
    accepted = ", ".join(["type", *attrs.fields_dict(error.cl)])
    return f"unexpected field{plural} {extra}; {error.cl.__name__} has fields {accepted}"


def problems_of(error: BaseException, path: str) -> Iterator[LoadProblem]:
    """Every problem inside ``error`` (a cattrs error tree or a single error) under ``path``."""
    if isinstance(error, ClassValidationError):
        named, unnamed = error.group_exceptions()
        for inner, note in named:
            yield from problems_of(inner, join(path, note.name))
        for inner in unnamed:
            yield from problems_of(inner, path)
    elif isinstance(error, IterableValidationError):
        indexed, unindexed = error.group_exceptions()
        for inner, index_note in indexed:
            yield from problems_of(inner, join(path, index_note.index))
        for inner in unindexed:
            yield from problems_of(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        yield LoadProblem(path or "$", _extra_keys(error))
    elif isinstance(error, KeyError):
        yield LoadProblem(path or "$", "required field is missing")
    elif isinstance(error, ValidationError) and error.field is not None:
        yield LoadProblem(join(path, error.field), str(error))
    elif isinstance(error, ConflictModelError):
        yield LoadProblem(path or "$", str(error))
    else:
        yield LoadProblem(path or "$", f"{type(error).__name__}: {error}")
