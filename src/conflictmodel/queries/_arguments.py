"""Checks for the arguments of the query functions, with errors that name the argument, the
warning of what a query leaves out of a dataset read with ``strict=False``, and the warning
that actors asked for have no account of their own."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable
from operator import attrgetter
from types import FrameType
from typing import TYPE_CHECKING, TypeGuard

from conflictmodel._checks import describe
from conflictmodel.agreements import Agreement
from conflictmodel.dataset import Dataset
from conflictmodel.errors import (
    ConflictModelError,
    ConflictModelWarning,
    NoAccountWarning,
    UnknownNameError,
    ValidationError,
)
from conflictmodel.opaque import REGISTER_THEM, UnknownEvent, UnknownStatement, counted_tags
from conflictmodel.queries.perspective import BEST_RULES, Perspective
from conflictmodel.timespans import TimeSpan, when

if TYPE_CHECKING:
    from conflictmodel.tables.queries import Scope
    from conflictmodel.tables.store import Tables


def is_tables(value: object) -> TypeGuard[Tables]:
    """Whether ``value`` is tables opened with :func:`conflictmodel.tables.open` (the engine
    module loads only when tables are in use)."""
    from conflictmodel.tables.store import Tables

    return isinstance(value, Tables)


HELD_IN_ENGINE_FROM = 50_000
"""The number of events from which an in-memory dataset's casualty totals are computed in
DuckDB over its tables (:func:`conflictmodel.tables.from_dataset`, made on the first such query
and kept with the dataset), when the ``arrow`` extra is installed."""


def engine_tables(value: object, *, held: bool = False) -> Tables | None:
    """The tables an aggregate query on ``value`` runs on in an engine: ``value`` itself when
    it is opened tables, those of a dataset loaded from tables (:func:`conflictmodel.tables.load`),
    with ``held`` those of an in-memory dataset of :data:`HELD_IN_ENGINE_FROM` events or more,
    else ``None`` (the query visits the records)."""
    if is_tables(value):
        return value
    if not isinstance(value, Dataset):
        return None
    if is_tables(value._engine):
        return value._engine
    if held and len(value.events) >= HELD_IN_ENGINE_FROM:
        return value.cached("tables.from_dataset", _held_tables)
    return None


def _held_tables(ds: Dataset) -> Tables | None:
    """The tables of ``ds`` in DuckDB's memory; ``None`` when the ``arrow`` extra is not
    installed or the records cannot be laid out as tables (an unregistered type, a plug-in's
    fields whose columns clash): the queries then visit the records."""
    from conflictmodel.tables.store import from_dataset

    try:
        return from_dataset(ds)
    except (ConflictModelError, ImportError):
        return None


def table_scope(
    function: str,
    tables: Tables,
    according_to: object,
    span: object,
    within: object,
    roll_up: object,
    include_parts: object,
    best: object,
) -> Scope:
    """The arguments of a casualty query over ``tables`` (``span``: its ``period``), checked
    and resolved against the small tables; ``camp`` asks the engine whether the claimants
    made any claim."""
    from conflictmodel.tables import queries

    ds = tables.dimensions
    asked = perspective(function, ds, according_to, include_parts, best, tables=tables)
    checked = period(function, span)
    place = None if within is None else location(function, "within", ds, within)
    return queries.Scope(
        camp=asked.members if queries.has_claims(tables, asked.members) else None,
        period=checked,
        places=None if place is None else (place, *ds.location_descendants(place)),
        tops={a: ds.top_actor(a) for a in ds.actors}
        if flag(function, "roll_up", roll_up)
        else None,
    )


def dataset(function: str, ds: object) -> Dataset:
    """``ds`` itself, when it is a :class:`~conflictmodel.Dataset`; called from outside the
    package, ``function`` warns of the opaque records its answer leaves out
    (:func:`warn_left_out`).

    >>> import conflictmodel as cm, warnings
    >>> from conflictmodel.opaque import UnknownEvent
    >>> kept = cm.examples.idlib_2020().with_records(
    ...     [UnknownEvent(id="s", when="2020-02", tag="acme.shelling")])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     table = cm.casualties_by_actor(kept)
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    casualties_by_actor: left out of the answer: 1 event of type 'acme.shelling', read with...
    """
    if not isinstance(ds, Dataset):
        hint = (
            ": open the folder with conflictmodel.tables.load() for a Dataset over its tables"
            if is_tables(ds) and ds.path is not None
            else ""
        )
        raise ValidationError(f"{function}(ds=...): expected a Dataset, got {describe(ds)}{hint}")
    if ds.cached(_OPAQUE_KEY, opaque_records):
        _warn_caller(ds, function)
    return ds


_PACKAGE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "")
"""The folder of the package's modules: a frame running code from it is the library's own."""

READS_OPAQUE: dict[str, tuple[type[UnknownEvent | UnknownStatement], ...]] = {
    "disputes": (UnknownStatement,),
    "grade_of": (UnknownEvent, UnknownStatement),
    "in_force": (UnknownEvent, UnknownStatement),
}
"""The opaque records a query's answer holds all the same: :func:`disputes` compares unknown
statements by tag and payload; :func:`grade_of` and :func:`in_force` read no event or claim."""


def _warn_caller(ds: Dataset, function: str) -> None:
    """:func:`warn_left_out` at the line outside the package that called ``function``, when
    that line called ``function`` itself (:func:`_called_from_outside`)."""
    level = _called_from_outside(function, 2)
    if level is not None:
        warn_left_out(ds, function, stacklevel=level, reads=READS_OPAQUE.get(function, ()))


def _called_from_outside(function: str, depth: int) -> int | None:
    """The ``stacklevel`` that points a warning from this function's caller at the line
    outside the package that called ``function`` (the library's code from ``depth`` calls
    up); ``None`` when that line called the library for something else (a query calling
    another, a command, an overview), which says itself what it warns of: one call, one
    warning, whatever runs inside it."""
    frame, level = _outermost(sys._getframe(depth + 1), depth + 2)
    return level if frame.f_code.co_name == function else None


def _outermost(frame: FrameType, level: int) -> tuple[FrameType, int]:
    """The frame of the library's code called from outside the package, going up from
    ``frame`` (at ``stacklevel`` ``level - 1``), and the ``stacklevel`` of its caller's line."""
    while frame.f_back is not None and frame.f_back.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return frame, level


def no_account(
    function: str, ds: Dataset, according_to: object, tables: Tables | None = None
) -> str | None:
    """Why the answer of ``function`` from the account of ``according_to`` (checked as
    :func:`perspective` checks it, their parts included) is the default one: none of the
    actors made a claim (their parts neither), so they have no account of their own.
    ``None`` when they made one, or no one is asked. ``tables`` hold the claims when ``ds``
    holds only their actors.

    >>> import conflictmodel as cm
    >>> print(no_account("casualties_by_actor", cm.examples.idlib_2020(), "hts"))
    ... # doctest: +NORMALIZE_WHITESPACE
    casualties_by_actor(according_to='hts'): Hayat Tahrir al-Sham made no claim, so it has no
    account of its own: the answer is the default account, the record with every claimant's
    claims
    >>> no_account("casualties_by_actor", cm.examples.idlib_2020(), "turkey") is None
    True
    """
    view = perspective(function, ds, according_to, warn=False)
    return _no_account(function, view, according_to, tables)


def has_account(view: Perspective, tables: Tables | None = None) -> bool:
    """Whether ``view`` is the account of actors who made claims (or whose parts did): the
    default account is none. ``tables`` hold the claims when ``view`` is over their actors."""
    if not view.asked:
        return False
    if tables is None:
        return view.camp is not None
    from conflictmodel.tables import queries

    return queries.has_claims(tables, view.members)


def warn_no_account(view: Perspective, according_to: object, tables: Tables | None) -> None:
    """Warn (a :class:`~conflictmodel.NoAccountWarning`) that ``view`` is no one's account
    (:func:`no_account`), at the line outside the package that called one of the functions
    ``conflictmodel`` and ``conflictmodel.plots`` export (named in the warning), however
    deep inside it the arguments are checked; silent when that line called something
    else (the command line says it itself). For callers that pass on the default account,
    not the actors asked, to what they call, so that nothing inside warns again."""
    frame, level = _outermost(sys._getframe(1), 3)
    exported = {
        name
        for module in ("conflictmodel", "conflictmodel.plots")
        for name in getattr(sys.modules.get(module), "__all__", ())
    }
    if frame.f_code.co_name in exported:
        message = _no_account(frame.f_code.co_name, view, according_to, tables)
        if message is not None:
            warnings.warn(message, NoAccountWarning, stacklevel=level)


def _no_account(
    function: str, view: Perspective, according_to: object, tables: Tables | None
) -> str | None:
    if not view.asked or has_account(view, tables):
        return None
    names = [view.ds.actors[actor].name for actor in view.asked]
    several = len(names) > 1
    said = f"neither {' nor '.join(names)} made a claim" if several else f"{names[0]} made no claim"
    their, have = ("their", "they have") if several else ("its", "it has")
    parts = f" (nor did any of {their} parts)" if view.members != frozenset(view.asked) else ""
    return (
        f"{function}(according_to={according_to!r}): {said}{parts}, so {have} no "
        f"account of {their} own: the answer is the default account, the record with every "
        "claimant's claims"
    )


def _named(function: str, argument: str, ds: Dataset, name: object, collection: str) -> str:
    noun = "an actor" if collection == "actors" else "a location"
    if not isinstance(name, str):
        raise UnknownNameError(
            f"{function}({argument}=...): expected {noun} id or name, got {describe(name)}"
        )
    try:
        found = ds.actor(name) if collection == "actors" else ds.location(name)
    except ConflictModelError as error:
        raise type(error)(f"{function}({argument}={name!r}): {error}") from None
    return found.id


def actor(function: str, argument: str, ds: Dataset, name: object) -> str:
    """The id of the actor with this id, name or alias."""
    return _named(function, argument, ds, name, "actors")


def perspective(
    function: str,
    ds: Dataset,
    according_to: object,
    include_parts: object = True,
    best: object = None,
    *,
    tables: Tables | None = None,
    warn: bool = True,
) -> Perspective:
    """The perspective of the actor or actors (ids, names or aliases) ``according_to`` names.
    Called from outside the package, ``function`` warns when they have no account of their
    own (:func:`no_account`; ``tables`` hold the claims when ``ds`` holds only the actors)
    unless ``warn`` is ``False``."""
    asked: tuple[str, ...]
    if isinstance(according_to, str) or according_to is None:
        asked = () if according_to is None else (actor(function, "according_to", ds, according_to),)
    elif isinstance(according_to, Iterable):
        asked = tuple(actor(function, "according_to", ds, name) for name in according_to)
        if not asked:
            raise ValidationError(f"{function}(according_to=()): name at least one actor")
    else:
        raise UnknownNameError(
            f"{function}(according_to=...): expected an actor id or name, or several, "
            f"got {describe(according_to)}"
        )
    flag(function, "include_parts", include_parts)
    if best is not None and best not in BEST_RULES:
        raise ValidationError(
            f"{function}(best={best!r}): expected one of {', '.join(map(repr, BEST_RULES))} or None"
        )
    view = Perspective(ds, asked or None, include_parts=include_parts is True, best=best)
    level = _called_from_outside(function, 1) if warn else None
    if level is not None:
        message = _no_account(function, view, according_to, tables)
        if message is not None:
            warnings.warn(message, NoAccountWarning, stacklevel=level)
    return view


def flag(function: str, argument: str, value: object) -> bool:
    """``value`` itself, when it is ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise ValidationError(
            f"{function}({argument}=...): expected True or False, got {describe(value)}"
        )
    return value


def location(function: str, argument: str, ds: Dataset, name: object) -> str:
    """The id of the location with this id, name or alias."""
    return _named(function, argument, ds, name, "locations")


def agreement(function: str, ds: Dataset, agreement_id: object) -> Agreement:
    """The agreement with this id."""
    if not isinstance(agreement_id, str):
        raise UnknownNameError(
            f"{function}(agreement=...): expected an agreement id, got {describe(agreement_id)}"
        )
    found = ds.agreements.get(agreement_id)
    if found is None:
        known = ", ".join(repr(a) for a in sorted(ds.agreements)) or "none"
        raise UnknownNameError(
            f"{function}(agreement={agreement_id!r}): no agreement has this id (known: {known})"
        )
    return found


def period(function: str, value: object, argument: str = "period") -> TimeSpan | None:
    """A span from a :class:`~conflictmodel.TimeSpan`, its text, or ``None``, given to
    ``function`` as ``argument``."""
    if value is None or isinstance(value, TimeSpan):
        return value
    if isinstance(value, str):
        try:
            return when(value)
        except ValidationError as error:
            raise ValidationError(f"{function}({argument}={value!r}): {error}") from None
    raise ValidationError(
        f"{function}({argument}=...): expected a TimeSpan or its text, got {describe(value)}"
    )


_OPAQUE_KEY = "queries.opaque_records"
"""The key :func:`opaque_records` of a dataset are kept under (:meth:`Dataset.cached`)."""


def opaque_records(ds: Dataset) -> list[UnknownEvent | UnknownStatement]:
    """The events of ``ds`` and the statements of its claims kept as opaque records (none in
    a dataset over tables, which refuse them).

    >>> import conflictmodel as cm
    >>> opaque_records(cm.examples.idlib_2020())
    []
    """
    if ds._engine is not None:
        return []
    found: list[UnknownEvent | UnknownStatement] = []
    if any(issubclass(cls, UnknownEvent) for cls in set(map(type, ds.events.values()))):
        found += [event for event in ds.events.values() if isinstance(event, UnknownEvent)]
    statements = list(map(attrgetter("statement"), ds.claims.values()))
    if any(issubclass(cls, UnknownStatement) for cls in set(map(type, statements))):
        found += [s for s in statements if isinstance(s, UnknownStatement)]
    return found


def warn_left_out(
    ds: Dataset,
    needed_by: str,
    *,
    stacklevel: int = 1,
    reads: tuple[type[UnknownEvent | UnknownStatement], ...] = (),
) -> None:
    """Warn (a :class:`~conflictmodel.ConflictModelWarning`) that the answer of ``needed_by``
    leaves out the opaque records of ``ds`` (but those of the classes it ``reads``), which
    no query can read, and how to read them; the warning points at the line ``stacklevel``
    calls up from the caller (1: the caller's).

    >>> import conflictmodel as cm, warnings
    >>> from conflictmodel.opaque import UnknownEvent
    >>> kept = cm.Dataset([UnknownEvent(id="a", when="2020", tag="acme.shelling")])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_left_out(kept, "casualties")
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    casualties: left out of the answer: 1 event of type 'acme.shelling', read with strict=False \
as opaque records, which the queries cannot read; install the plug-in that provides them...
    """
    found = [r for r in ds.cached(_OPAQUE_KEY, opaque_records) if not isinstance(r, reads)]
    if found:
        warnings.warn(
            f"{needed_by}: left out of the answer: {counted_tags(found)}, read with "
            f"strict=False as opaque records, which the queries cannot read; {REGISTER_THEM}",
            ConflictModelWarning,
            stacklevel=stacklevel + 1,
        )
