"""Turning the errors raised while structuring (loading a file, reading a table row) into
problems with JSON paths."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

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


class _Repeating(dict[str, Any]):
    """An object in which some keys appear more than once (``repeated``)."""

    repeated: list[str]


def _note_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = _Repeating(pairs)
    if len(result) == len(pairs):
        return dict(result)
    counts = Counter(key for key, _ in pairs)
    result.repeated = [key for key, count in counts.items() if count > 1]
    return result


def _colons(data: str | bytes | bytearray) -> int:
    """Colons in JSON text, ``\\u003a`` escapes included (an over-count when escaped itself)."""
    if isinstance(data, str):
        return data.count(":") + data.count("\\u003a") + data.count("\\u003A")
    return data.count(b":") + data.count(b"\\u003a") + data.count(b"\\u003A")


def repeated_keys(data: str | bytes | bytearray, parsed: Any, where: str = "") -> list[LoadProblem]:
    """A problem for each key that appears twice in one object of ``data`` (parsed as ``parsed``).

    A parser keeps one of the values silently. Every colon of the text is a key's, or inside
    a string; re-writing ``parsed`` keeps every string and every key it kept, so equal colon
    counts prove that no key was dropped. Only otherwise is the text parsed again, slowly,
    to find the repeated keys and their paths.
    """
    try:
        if _colons(data) == orjson.dumps(parsed).count(b":"):
            return []
    except orjson.JSONEncodeError:
        pass
    try:
        tree = json.loads(data, object_pairs_hook=_note_repeats)
    except RecursionError:
        return [LoadProblem(where or "$", "the document is nested too deeply")]
    problems: list[LoadProblem] = []
    stack: list[tuple[str, Any]] = [(where, tree)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Repeating):
            problems.extend(
                LoadProblem(join(path, key), "the key appears more than once in this object")
                for key in value.repeated
            )
        if isinstance(value, dict):
            stack.extend((join(path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((join(path, index), item) for index, item in enumerate(value))
    return sorted(problems, key=lambda problem: problem.path)
