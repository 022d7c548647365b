"""The importers' :class:`~conflictmodel._bulk.Builder` against the constructors it stands in for.

Built records equal constructor-built ones and behave like them; arguments a field refuses
are refused with the constructor's own error, also after other arguments were remembered, and
again each time they are given.
"""

from __future__ import annotations

import datetime
import gc
import weakref
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel._bulk import Builder, Coded
from conflictmodel._converter import converter
from conflictmodel.records import Record
from conflictmodel.tables import layout

JUNK: list[Any] = [
    None,
    "",
    " ",
    "x",
    "2020-13",
    0,
    -1,
    2.5,
    True,
    [],
    ["a", "a"],
    ("a", ""),
    (1,),
    {},
    {"a": " "},
    {"a": 1},
    (cm.Casualties("a", killed=1),) * 2,
    cm.Estimate.exact(1),
    "attack",
    "exact",
]


def outcome(make: Any, arguments: dict[str, Any]) -> Any:
    """What ``make(**arguments)`` gives: the instance, or the type and message of its error."""
    try:
        return make(**arguments)
    except Exception as error:
        return (type(error), str(error))


def lenient(value: object) -> object:
    """An argument the constructor reads as ``value``: a tuple as a list, a member as its value."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, cm.EngagementKind | cm.ActorKind | cm.PlacePrecision):
        return value.value
    return value


STRATEGIES: list[st.SearchStrategy[Any]] = [
    testing.engagements(),
    testing.events(),
    testing.sources(),
    testing.actors(),
    testing.locations(),
    testing.agreements(),
]


@st.composite
def calls(draw: st.DrawFn) -> tuple[type, list[dict[str, Any]]]:
    """A record class and the arguments of several calls: those of generated records of the
    class, sometimes lenient, sharing argument objects, and some with one argument changed to
    junk, left out, or an unknown keyword added."""
    records = draw(
        st.sampled_from(STRATEGIES).flatmap(lambda s: st.lists(s, min_size=1, max_size=3))
    )
    cls = type(records[0])
    records = [record for record in records if type(record) is cls]
    shared = {a.alias: getattr(r, a.name) for r in records for a in attrs.fields(cls)}
    runs: list[dict[str, Any]] = []
    for record in records:
        arguments = {a.alias: getattr(record, a.name) for a in attrs.fields(cls)}
        for keyword in draw(st.sets(st.sampled_from(sorted(arguments)))):
            arguments[keyword] = lenient(arguments[keyword])
        runs.append(arguments)
    for _ in range(draw(st.integers(1, 3))):
        arguments = dict(draw(st.sampled_from(runs)))
        keyword = draw(st.sampled_from(sorted(shared)))
        action = draw(st.sampled_from(["junk", "remove", "unknown", "shared"]))
        if action == "junk":
            arguments[keyword] = draw(st.sampled_from(JUNK))
        elif action == "remove":
            arguments.pop(keyword, None)
        elif action == "unknown":
            arguments["extra"] = 1
        else:
            arguments[keyword] = shared[keyword]
        runs += [arguments, arguments]
    return cls, runs


@given(calls())
def test_a_builder_gives_what_the_constructor_gives(
    call: tuple[type, list[dict[str, Any]]],
) -> None:
    cls, runs = call
    build: Any = Builder(cls).build
    for arguments in runs:
        built, made = outcome(build, arguments), outcome(cls, arguments)
        assert type(built) is type(made)
        assert built == made
        if isinstance(made, Record):
            assert repr(built) == repr(made)
            assert hash(built) == hash(made)
            assert attrs.evolve(built, id="other") == attrs.evolve(made, id="other")
            assert converter.unstructure(built) == converter.unstructure(made)


def by_keywords(
    runs: list[dict[str, Any]],
) -> list[tuple[list[dict[str, Any]], dict[str, list[Any]]]]:
    """The calls of ``runs`` grouped by the keywords they give, each group with its arguments
    column by column."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for arguments in runs:
        groups.setdefault(tuple(sorted(arguments)), []).append(arguments)
    return [
        (group, {keyword: [arguments[keyword] for arguments in group] for keyword in keywords})
        for keywords, group in groups.items()
    ]


@given(calls())
def test_building_column_by_column_gives_what_the_constructor_gives(
    call: tuple[type, list[dict[str, Any]]],
) -> None:
    cls, runs = call
    builder: Builder[Any] = Builder(cls)
    for group, columns in by_keywords(runs):
        for passed in (columns, {keyword: coded(column) for keyword, column in columns.items()}):
            built, refused = builder.build_all(passed, len(group))
            for row, arguments in enumerate(group):
                made = outcome(cls, arguments)
                if isinstance(made, Record):
                    assert row not in refused
                    assert built[row] == made
                    assert repr(built[row]) == repr(made)
                else:
                    assert built[row] is None
                    assert (type(refused[row]), str(refused[row])) == made


@given(calls(), st.data())
def test_checking_column_by_column_gives_the_fields_and_errors_of_the_constructor(
    call: tuple[type, list[dict[str, Any]]], data: st.DataObject
) -> None:
    """:meth:`Builder.checked_all` gives the fields of the records the constructor makes (the
    rows it refuses with the constructor's error), and those fields laid out in tables
    (:func:`~conflictmodel.tables.layout.columns_tables`, the rows in any order) are the
    tables of those records."""
    cls, runs = call
    builder: Builder[Any] = Builder(cls)
    for group, columns in by_keywords(runs):
        passed = {
            keyword: coded(column) if data.draw(st.booleans()) else column
            for keyword, column in columns.items()
        }
        checked, refused = builder.checked_all(passed, len(group))
        made = [outcome(cls, arguments) for arguments in group]
        records = [record for record in made if isinstance(record, Record)]
        for row, record in enumerate(made):
            if isinstance(record, Record):
                assert row not in refused
                for field in attrs.fields(cls):
                    value = checked[field.name][row]
                    assert value == getattr(record, field.name)
                    assert type(value) is type(getattr(record, field.name))
            else:
                assert (type(refused[row]), str(refused[row])) == record
        if not records:
            continue
        collection, record_class = records[0].collection, type(records[0])
        kept = np.array([row not in refused for row in range(len(group))])
        values = {name: layout.kept_values(column, kept) for name, column in checked.items()}
        sides = np.array(
            data.draw(st.lists(st.booleans(), min_size=len(records), max_size=len(records)))
        )
        parts = [
            layout.ClassColumns(
                record_class,
                np.flatnonzero(side),
                {name: layout.kept_values(column, side) for name, column in values.items()},
            )
            for side in (sides, ~sides)
        ]
        laid = layout.columns_tables(collection, parts)
        expected = layout._collection_tables(collection, records)
        assert laid.keys() == expected.keys()
        for name, table in expected.items():
            assert laid[name].equals(table), name


def coded(column: list[Any]) -> Coded:
    """``column`` as its distinct argument objects and each row's number among them."""
    numbers: dict[int, int] = {}
    distinct: list[Any] = []
    for argument in column:
        if id(argument) not in numbers:
            numbers[id(argument)] = len(distinct)
            distinct.append(argument)
    return Coded(distinct, np.array([numbers[id(argument)] for argument in column], dtype=np.int64))


def test_building_column_by_column_sets_fields_of_classes_without_slots() -> None:
    @attrs.define(frozen=True, slots=False)
    class Plain:
        name: str
        size: int = 0

    built, refused = Builder(Plain).build_all({"name": ["a", "b"]}, 2)
    assert (built, refused) == ([Plain("a"), Plain("b")], {})
    assert vars(built[0]) == {"name": "a", "size": 0}


def test_building_column_by_column_takes_columns_of_one_length() -> None:
    with pytest.raises(ValueError, match="columns of 2 arguments"):
        Builder(cm.Event).build_all({"id": ["a"], "when": ["2020", "2021"]}, 2)


def test_a_builder_refuses_classes_whose_fields_are_not_checked_one_by_one() -> None:
    @attrs.frozen
    class Own:
        value: int

        def __init__(self, value: int) -> None:
            self.__attrs_init__(value=value)  # type: ignore[attr-defined]

    @attrs.frozen
    class Private:
        value: int = attrs.field(alias="_f0")

    for cls in (cm.Casualties, cm.Estimate, Own, Private, dict):
        with pytest.raises(TypeError):
            Builder(cls)


def test_a_builder_builds_a_class_without_fields() -> None:
    @attrs.frozen
    class Empty:
        pass

    assert Builder(Empty).build() == Empty()


def test_a_builder_checks_again_an_argument_that_can_change() -> None:
    build: Any = Builder(cm.Event).build
    sources = ["sohr"]
    assert build(id="e", when="2020", sources=sources).sources == ("sohr",)
    sources.append(" ")
    with pytest.raises(cm.ValidationError, match=r"Event 'f'\.sources: expected non-empty"):
        build(id="f", when="2020", sources=sources)


def test_a_dropped_builder_and_what_it_remembers_go_without_the_cyclic_collector() -> None:
    build: Any = Builder(cm.Event).build
    span = cm.when("2020")
    build(id="e", when=span)
    function, argument = weakref.ref(build), weakref.ref(span)
    gc.disable()
    try:
        del build, span
        assert function() is None
        assert argument() is None
    finally:
        gc.enable()


def test_building_column_by_column_keeps_no_argument() -> None:
    """Arguments given column by column are checked once each per call and not remembered: a
    builder that served a whole file does not hold its arguments (a span each, here) alive."""
    builder = Builder(cm.Event)
    spans = [cm.TimeSpan.day(datetime.date(2020, 1, day)) for day in (1, 2)]
    built, refused = builder.build_all(
        {"id": ["a", "b", "c"], "when": Coded(spans, np.array([0, 1, 0]))}, 3
    )
    assert [event.when for event in built if event] == [spans[0], spans[1], spans[0]]
    assert refused == {}
    kept = [weakref.ref(span) for span in spans]
    del built, spans
    assert [span() for span in kept] == [None, None]
