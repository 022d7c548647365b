"""The tags that name record and statement types in files, and the plug-ins that add more.

Every record and statement is written with a ``type`` field holding its tag. The tag is the
only way text becomes a class: loaders look it up here and never import a name from a file.
Built-in types are always present; :func:`event_type` and :func:`statement_type` add your own,
and third-party packages add theirs through the ``conflictmodel.types`` entry-point group,
loaded on the first look-up of a tag that is not registered yet.

>>> import conflictmodel as cm
>>> from conflictmodel.registry import record_class, tag_of
>>> record_class("engagement")
<class 'conflictmodel.events.Engagement'>
>>> tag_of(cm.Toll)
'toll'
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

from conflictmodel.actors import Actor, Relation
from conflictmodel.agreements import Agreement
from conflictmodel.assessments import Assessment
from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Claim,
    Controls,
    Occurred,
    Statement,
    Violated,
)
from conflictmodel.errors import PluginError, RegistrationError, ValidationError
from conflictmodel.events import Engagement, Event, Toll
from conflictmodel.opaque import OPAQUE, REGISTER_THEM
from conflictmodel.places import Location
from conflictmodel.records import Record
from conflictmodel.sources import Source

if TYPE_CHECKING:
    import importlib.metadata

ENTRY_POINT_GROUP = "conflictmodel.types"
"""Entry points in this group name modules (or objects) whose import registers types."""

BUILTIN_PLUGINS = ("conflictmodel.linkage.merge",)
"""The package's own modules that register types above the model (the ``reported``
statement of merged sources); loaded with the plug-ins, so ``import conflictmodel`` stays
light and a file naming their tags still loads."""

TAG_PATTERN = re.compile(r"[a-z][a-z0-9_]*(?:[.:-][a-z0-9_]+)*")
"""Lower-case words joined by ``_``, optionally namespaced with ``.``, ``:`` or ``-``."""

TYPE_KEY = "type"
"""The field of a written record or statement that holds its tag."""

BUILTIN_RECORDS: Mapping[str, type[Record]] = {
    "actor": Actor,
    "relation": Relation,
    "location": Location,
    "agreement": Agreement,
    "source": Source,
    "event": Event,
    "engagement": Engagement,
    "toll": Toll,
    "claim": Claim,
    "assessment": Assessment,
}
BUILTIN_STATEMENTS: Mapping[str, type[Statement]] = {
    "occurred": Occurred,
    "attribution": Attribution,
    "casualty_figure": CasualtyFigure,
    "violated": Violated,
    "controls": Controls,
}

R = TypeVar("R", bound=type[Record])
S = TypeVar("S", bound=type[Statement])

_lock = threading.RLock()
_records: dict[str, type[Record]] = dict(BUILTIN_RECORDS)
_statements: dict[str, type[Statement]] = dict(BUILTIN_STATEMENTS)
_tags: dict[type, str] = {cls: tag for tag, cls in (*_records.items(), *_statements.items())}
_plugins_loaded = False
_plugin_errors: dict[str, PluginError] = {}


def _entry_points() -> tuple[importlib.metadata.EntryPoint, ...]:
    import importlib.metadata

    return tuple(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


def _check(tag: object, cls: Any, base: type, decorator: str) -> None:
    if not isinstance(tag, str) or not TAG_PATTERN.fullmatch(tag):
        raise RegistrationError(
            f"@{decorator}({tag!r}): a tag is lower-case text such as 'displacement' or "
            "'acme.drone_strike'"
        )
    name = getattr(cls, "__qualname__", repr(cls))
    if not (isinstance(cls, type) and "__attrs_attrs__" in vars(cls) and issubclass(cls, base)):
        raise RegistrationError(
            f"@{decorator}({tag!r}) on {name}: expected an attrs subclass of {base.__name__} "
            f"(decorate it with @attrs.frozen(kw_only=True) and derive from {base.__name__})"
        )
    if cls is base:
        raise RegistrationError(f"@{decorator}({tag!r}): {base.__name__} itself is built in")
    record_cls = cast("type[attrs.AttrsInstance]", cls)
    if any(field.name == TYPE_KEY for field in attrs.fields(record_cls)):
        raise RegistrationError(
            f"@{decorator}({tag!r}) on {name}: a field may not be called {TYPE_KEY!r}; "
            "files use it for the tag"
        )
    try:
        attrs.resolve_types(record_cls)
    except Exception as error:
        raise RegistrationError(
            f"@{decorator}({tag!r}) on {name}: cannot resolve its field types ({error}); "
            "define the class at module level with its annotations importable"
        ) from error
    taken = _records.get(tag) or _statements.get(tag)
    if taken is not None and taken is not cls:
        raise RegistrationError(
            f"@{decorator}({tag!r}) on {name}: the tag is taken by "
            f"{taken.__module__}.{taken.__qualname__}; to replace it (as when a notebook cell "
            f"defining it runs again), call conflictmodel.registry.unregister({tag!r}) first"
        )
    other = _tags.get(cls)
    if other is not None and other != tag:
        raise RegistrationError(f"@{decorator}({tag!r}) on {name}: already registered as {other!r}")
    _check_columns(tag, cls, base, decorator)


_COLUMNS_OF = "conflictmodel.tables.layout"
"""The module that lays fields out in table columns (imported by name: it sits above the
registry), consulted at registration when a new type's field may share a column with another's."""


def _shared(a: str, b: str) -> bool:
    """Whether fields called ``a`` and ``b`` may fill one column: a field's columns are named
    after it, ``<field>`` or ``<field>_<part>`` (see :mod:`conflictmodel.tables.layout`)."""
    return a == b or a.startswith(f"{b}_") or b.startswith(f"{a}_")


def _check_columns(tag: str, cls: type, base: type, decorator: str) -> None:
    """Refuse ``cls`` if one of its fields would fill a table column with values of another
    kind than a field of ``cls`` or of a registered type sharing its table does.

    Event types share the columns of the events table, statement types the ``statement_``
    columns of the claims table. Only fields whose names may share a column and that differ
    in type are laid out (an import of the layout), so registration stays cheap.
    """
    table, prefix = ("events", "") if base is Event else ("claims", "statement_")
    registered = _records.values() if base is Event else _statements.values()
    others = [other for other in registered if issubclass(other, base) and other is not cls]
    for other in others:
        attrs.resolve_types(other)
    own = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    theirs = {(f.name, f.type) for other in others for f in attrs.fields(other)}
    laid_out = {name for name, _ in theirs}
    new = [f.name for f in own if (f.name, f.type) not in theirs]
    if not any(
        _shared(field, name)
        for field in new
        for name in laid_out.union(f.name for f in own if f.name != field)
    ):
        return
    layout = importlib.import_module(_COLUMNS_OF)
    label = getattr(cls, "__qualname__", repr(cls))

    def refuse(words: str) -> RegistrationError:
        return RegistrationError(
            f"@{decorator}({tag!r}) on {label}: {words}; {base.__name__.lower()} types share "
            f"the columns of the {table} table, so rename one of the fields"
        )

    def columns(of: type) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for field in layout.fields_of(of):
            try:
                spread = layout._columns(prefix, field)
            except ValidationError as error:
                raise refuse(f"field {field.name!r}: {error}") from None
            for column, kind in spread:
                first, held = found.setdefault(column, (field.name, str(kind)))
                if held != str(kind):
                    raise refuse(
                        f"fields {first!r} ({held}) and {field.name!r} ({kind}) would both fill "
                        f"column {column!r}"
                    )
        return found

    mine = columns(cls)
    for other in others:
        for column, (field, held) in columns(other).items():
            if column in mine and mine[column][1] != held:
                own_field, kind = mine[column]
                raise refuse(
                    f"field {own_field!r} would fill column {column!r} with {kind}, but field "
                    f"{field!r} of {other.__module__}.{other.__qualname__} fills it with {held}"
                )


def event_type(tag: str) -> Callable[[R], R]:
    """Class decorator registering an :class:`~conflictmodel.Event` subclass under ``tag``.

    >>> import attrs
    >>> import conflictmodel as cm
    >>> from conflictmodel.registry import event_type, record_class, unregister
    >>> @event_type("protest")
    ... @attrs.frozen(kw_only=True)
    ... class Protest(cm.Event):
    ...     organisers: tuple[str, ...] = ()
    >>> record_class("protest") is Protest
    True
    >>> event_type("protest")(cm.Toll)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    conflictmodel.errors.RegistrationError: @event_type('protest') on Toll: the tag is taken by ...
    >>> unregister("protest")
    """

    def register(cls: R) -> R:
        with _lock:
            _check(tag, cls, Event, "event_type")
            _records[tag] = cls
            _tags[cls] = tag
        return cls

    return register


def statement_type(tag: str) -> Callable[[S], S]:
    """Class decorator registering a :class:`~conflictmodel.Statement` subclass under ``tag``."""

    def register(cls: S) -> S:
        with _lock:
            _check(tag, cls, Statement, "statement_type")
            _statements[tag] = cls
            _tags[cls] = tag
        return cls

    return register


def unregister(tag: str) -> None:
    """Forget a registered type (built-ins stay); for tests and interactive sessions."""
    with _lock:
        if tag in BUILTIN_RECORDS or tag in BUILTIN_STATEMENTS:
            raise RegistrationError(f"{tag!r} is a built-in type and cannot be unregistered")
        cls = _records.pop(tag, None) or _statements.pop(tag, None)
        if cls is None:
            raise RegistrationError(f"no type is registered as {tag!r}")
        del _tags[cls]


def load_plugins() -> dict[str, PluginError]:
    """Import every plug-in of the entry-point group, once; return those that failed, by name.

    A plug-in that fails (cannot be imported, raises, or registers a taken tag) is recorded
    here and named by later errors; the built-in types and the other plug-ins keep working.
    """
    global _plugins_loaded
    with _lock:
        if _plugins_loaded:
            return dict(_plugin_errors)
        _plugins_loaded = True
        for module in BUILTIN_PLUGINS:
            importlib.import_module(module)
        try:
            found = _entry_points()
        except Exception as error:
            _plugin_errors["<entry points>"] = PluginError(
                f"cannot list the {ENTRY_POINT_GROUP!r} entry points: {error}"
            )
            found = ()
        for entry in found:
            try:
                entry.load()
            except Exception as error:
                _plugin_errors[entry.name] = PluginError(
                    f"plug-in {entry.name!r} ({entry.value}) of {ENTRY_POINT_GROUP!r} failed to "
                    f"load: {type(error).__name__}: {error}"
                )
        return dict(_plugin_errors)


def reset_plugins() -> None:
    """Forget that plug-ins were loaded, so the next look-up loads them again."""
    global _plugins_loaded
    with _lock:
        _plugins_loaded = False
        _plugin_errors.clear()


def _lookup(table: Mapping[str, type[Any]], tag: str) -> type[Any] | None:
    if not isinstance(tag, str):
        return None
    found = table.get(tag)
    if found is None and not _plugins_loaded:
        load_plugins()
        found = table.get(tag)
    return found


def record_class(tag: str) -> type[Record] | None:
    """The record class registered under ``tag``, or ``None``; loads plug-ins on a miss."""
    return _lookup(_records, tag)


def statement_class(tag: str) -> type[Statement] | None:
    """The statement class registered under ``tag``, or ``None``; loads plug-ins on a miss."""
    return _lookup(_statements, tag)


def tag_of(cls: type) -> str:
    """The tag ``cls`` is registered under; an unregistered class is refused with the fix."""
    tag = _tags.get(cls)
    if tag is None and cls in OPAQUE:
        raise RegistrationError(
            f"{cls.__module__}.{cls.__qualname__} stands for records of types not registered "
            f"here, each with its own tag (record_tag gives it); {REGISTER_THEM}"
        )
    if tag is None:
        base = "Event" if issubclass(cls, Event) else "Statement"
        decorator = "event_type" if base == "Event" else "statement_type"
        raise RegistrationError(
            f"{cls.__module__}.{cls.__qualname__} is not a registered type; decorate it with "
            f"@conflictmodel.{decorator}('<tag>') to write and read it"
        )
    return tag


def record_tag(value: Record | Statement) -> str:
    """The tag ``value`` is written with: an opaque record's own (see
    :mod:`conflictmodel.opaque`), else its class's.

    >>> import conflictmodel as cm
    >>> record_tag(cm.UnknownEvent(id="e", when="2020", tag="acme.shelling"))
    'acme.shelling'
    >>> record_tag(cm.Toll(id="t", when="2020", population="civilians", killed=3))
    'toll'
    """
    if isinstance(value, OPAQUE):
        return value.tag
    return tag_of(type(value))


def unknown_type_hint(tag: object, kind: str, *, keepable: bool = True) -> str:
    """Why ``tag`` is unknown and how to make it known (or, where it can be, kept as an opaque
    record), naming any plug-in that failed."""
    decorator = "event_type" if kind == "event" else "statement_type"
    hint = (
        f"unknown {kind} type {tag!r}; register its class with "
        f"@conflictmodel.{decorator}({tag!r}) or install the plug-in that provides it"
    )
    if keepable:
        hint += ", or load with strict=False to keep it as an opaque record"
    failed = load_plugins()
    if failed:
        hint += "; " + "; ".join(str(error) for error in failed.values())
    return hint


def record_types() -> dict[str, type[Record]]:
    """Every registered record type by tag, plug-ins included."""
    load_plugins()
    with _lock:
        return dict(_records)


def statement_types() -> dict[str, type[Statement]]:
    """Every registered statement type by tag, plug-ins included."""
    load_plugins()
    with _lock:
        return dict(_statements)
