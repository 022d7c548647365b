"""The Dataset: what it refuses, and lookups that agree with a scan of every record."""

from __future__ import annotations

import pickle
import time
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.examples import share

import conflictmodel as cm
from conflictmodel.dataset import COLLECTIONS
from conflictmodel.testing import actors, datasets, time_spans

MISSING = "Missing Id"
"""An id the strategies never make (they make lowercase slugs)."""

PARENT = {"actors": "part_of", "locations": "within", "events": "part_of"}

fewer = share(1 / 3)
"""Whole datasets are slow to draw: a third of the profile's examples for each such test."""


def _replace(value: Any, parts: list[str], new: str) -> Any:
    """``value`` with the item at ``parts`` (a parsed reference path) set to ``new``."""
    if not parts:
        return new
    head, rest = parts[0], parts[1:]
    if head.isdigit():
        index = int(head)
        return (*value[:index], _replace(value[index], rest, new), *value[index + 1 :])
    return attrs.evolve(value, **{head: _replace(getattr(value, head), rest, new)})


def _path_parts(path: str) -> list[str]:
    return path.replace("]", "").replace("[", ".").split(".")


def _table(ds: cm.Dataset, collection: str) -> dict[str, cm.Record]:
    return {record.id: record for record in ds.records() if record.collection == collection}


def _with_replaced(ds: cm.Dataset, old: cm.Record, new: cm.Record) -> list[cm.Record]:
    return [new if record is old else record for record in ds.records()]


@fewer
@given(datasets())
def test_every_generated_dataset_is_accepted_and_rebuilds_equal(ds: cm.Dataset) -> None:
    again = cm.Dataset(ds.records())
    assert again == ds
    assert len(again) == sum(1 for _ in ds.records())
    for record in ds.records():
        for _, collection, target in cm.references(record):
            assert target in _table(ds, collection)


@fewer
@given(datasets(min_events=1), st.data())
def test_breaking_one_reference_is_refused_naming_the_record(
    ds: cm.Dataset, data: st.DataObject
) -> None:
    referring = [record for record in ds.records() if any(cm.references(record))]
    if not referring:
        return
    record = data.draw(st.sampled_from(referring), label="record")
    path, collection, _ = data.draw(st.sampled_from(list(cm.references(record))), label="ref")
    broken = _replace(record, _path_parts(path), MISSING)
    with pytest.raises(cm.UnresolvedReferenceError) as raised:
        cm.Dataset(_with_replaced(ds, record, broken))
    noun = COLLECTIONS[collection].kind_label
    problem = cm.Problem(record.label, path, f"no {noun} has id {MISSING!r}")
    assert raised.value.problems == (problem,)
    assert f"{record.label}.{path}: no {noun} has id {MISSING!r}" in str(raised.value)


@fewer
@given(datasets(min_events=1), st.data())
def test_closing_a_loop_is_refused_naming_every_record_in_it(
    ds: cm.Dataset, data: st.DataObject
) -> None:
    choices = [c for c in PARENT if _table(ds, c)]
    collection = data.draw(st.sampled_from(choices), label="collection")
    table = _table(ds, collection)
    field = PARENT[collection]
    start = data.draw(st.sampled_from(sorted(table)), label="start")
    chain = [start]
    while getattr(table[chain[-1]], field) is not None:
        chain.append(getattr(table[chain[-1]], field))
    loop = chain[: data.draw(st.integers(1, len(chain)), label="length")]
    top = table[loop[-1]]
    looped = attrs.evolve(top, **{field: start})
    with pytest.raises(cm.CycleError) as raised:
        cm.Dataset(_with_replaced(ds, top, looped))
    (problem,) = raised.value.problems
    assert problem.field == field
    assert problem.record == table[min(loop)].label
    assert problem.message.startswith("forms a cycle: ")
    named = problem.message.removeprefix("forms a cycle: ").split(" -> ")
    assert set(named) == set(loop)
    assert named[0] == named[-1]


@fewer
@given(datasets(max_events=0, max_claims=0))
def test_names_and_aliases_resolve_or_list_every_candidate(ds: cm.Dataset) -> None:
    for collection, lookup in (("actors", ds.actor), ("locations", ds.location)):
        table = _table(ds, collection)
        for record in table.values():
            for name in {record.id, *getattr(record, "names", ())}:
                if name in table:
                    assert lookup(name).id == name
                    continue
                fitting = [
                    other.id
                    for other in table.values()
                    if name.casefold()
                    in {n.casefold() for n in (other.id, *getattr(other, "names", ()))}
                ]
                if len(fitting) == 1:
                    assert lookup(name).id == record.id
                else:
                    with pytest.raises(cm.AmbiguousNameError) as raised:
                        lookup(name)
                    for candidate in fitting:
                        assert repr(candidate) in str(raised.value)


@fewer
@given(datasets(min_events=0, max_events=0, max_claims=0), actors(), st.data())
def test_a_shared_alias_is_ambiguous_and_lists_both(
    ds: cm.Dataset, extra: cm.Actor, data: st.DataObject
) -> None:
    if not ds.actors:
        return
    first = data.draw(st.sampled_from(sorted(ds.actors)), label="actor")
    alias = "Shared Alias"
    taken = attrs.evolve(ds.actors[first], aliases=(alias,))
    other = attrs.evolve(extra, id=MISSING, aliases=(alias.upper(),), part_of=None)
    both = cm.Dataset([*_with_replaced(ds, ds.actors[first], taken), other])
    with pytest.raises(cm.AmbiguousNameError) as raised:
        both.actor("shared alias")
    assert repr(first) in str(raised.value)
    assert repr(MISSING) in str(raised.value)


@fewer
@given(datasets(), st.randoms(use_true_random=False))
def test_order_of_records_does_not_matter(ds: cm.Dataset, random: Any) -> None:
    shuffled = list(ds.records())
    random.shuffle(shuffled)
    assert cm.Dataset(shuffled) == ds
    assert (ds == cm.Dataset()) == (not shuffled)


@fewer
@given(datasets(), st.data())
def test_a_repeated_id_is_refused(ds: cm.Dataset, data: st.DataObject) -> None:
    records = list(ds.records())
    if not records:
        return
    record = data.draw(st.sampled_from(records), label="record")
    with pytest.raises(cm.DuplicateIdError) as raised:
        cm.Dataset([*records, record])
    assert raised.value.problems == (
        cm.Problem(record.label, "id", f"duplicate id: an identical {record.kind_label} has it"),
    )


@fewer
@given(datasets())
def test_hierarchy_indexes_agree_with_the_parent_fields(ds: cm.Dataset) -> None:
    for actor in ds.actors.values():
        chain, parent = [], actor.part_of
        while parent is not None:
            chain.append(parent)
            parent = ds.actors[parent].part_of
        assert ds.actor_ancestors(actor.id) == tuple(chain)
        assert ds.top_actor(actor.id) == (chain[-1] if chain else actor.id)
        descendants = set(ds.actor_descendants(actor.id))
        assert descendants == {a for a in ds.actors if actor.id in ds.actor_ancestors(a)}
    for location in ds.locations.values():
        descendants = set(ds.location_descendants(location.id))
        expected = {p for p in ds.locations if location.id in ds.location_ancestors(p)}
        assert descendants == expected
        assert all(ds.is_within(p, location.id) for p in descendants)


def _by_time(events: list[cm.Event]) -> bool:
    keys = [event.when.sort_key for event in events]
    return keys == sorted(keys)


@fewer
@given(datasets(min_events=1))
def test_events_within_agrees_with_a_scan(ds: cm.Dataset) -> None:
    for location in ds.locations:
        found = ds.events_within(location)
        expected = {
            e.id
            for e in ds.events.values()
            if e.where is not None and ds.is_within(e.where, location)
        }
        assert [e.id for e in found] == sorted(
            expected, key=lambda i: [e.id for e in found].index(i)
        )
        assert {e.id for e in found} == expected
        assert len(found) == len(expected)
        assert _by_time(found)


@fewer
@given(datasets(min_events=1))
def test_events_involving_agrees_with_a_scan(ds: cm.Dataset) -> None:
    naming = {
        e.id: {t for _, c, t in cm.references(e) if c == "actors"} for e in ds.events.values()
    }
    for actor in ds.actors:
        found = ds.events_involving(actor)
        assert {e.id for e in found} == {e for e, named in naming.items() if actor in named}
        assert len(found) == len({e.id for e in found})
        assert _by_time(found)
        group = {actor, *ds.actor_descendants(actor)}
        wide = ds.events_involving(actor, include_parts=True)
        assert {e.id for e in wide} == {e for e, named in naming.items() if named & group}


@fewer
@given(datasets(min_events=1), time_spans())
def test_events_during_agrees_with_a_scan(ds: cm.Dataset, span: cm.TimeSpan) -> None:
    found = ds.events_during(span)
    assert {e.id for e in found} == {e.id for e in ds.events.values() if e.when.meets(span)}
    assert _by_time(found)


@fewer
@given(datasets(min_events=1))
def test_claims_about_agrees_with_a_scan(ds: cm.Dataset) -> None:
    for collection in ("events", "agreements", "locations", "actors"):
        for record_id in _table(ds, collection):
            expected = [
                claim.id
                for claim in ds.claims.values()
                if any(
                    path.startswith("statement.") and (c, t) == (collection, record_id)
                    for path, c, t in cm.references(claim)
                )
            ]
            assert [c.id for c in ds.claims_about(collection, record_id)] == expected


# Bad input and examples --------------------------------------------------------------------


def test_every_problem_is_listed_in_one_error() -> None:
    records = [
        cm.Actor(id="army", name="Army", kind="state_forces", part_of="state"),
        cm.Actor(id="army", name="Other army", kind="state_forces"),
        cm.Location(id="a", name="A", kind="town", within="b"),
        cm.Location(id="b", name="B", kind="region", within="a"),
    ]
    with pytest.raises(cm.DatasetError) as raised:
        cm.Dataset(records)
    error = raised.value
    assert type(error) is cm.DatasetError
    assert [str(problem) for problem in error.problems] == [
        "actor 'army'.id: duplicate id: another actor has it",
        "actor 'army'.part_of: no actor has id 'state'",
        "location 'a'.within: forms a cycle: a -> b -> a",
    ]
    assert str(error).startswith("3 problems in the dataset:\n  - actor 'army'.id")


def test_same_id_in_different_kinds_is_fine() -> None:
    ds = cm.Dataset(
        [
            cm.Actor(id="syria", name="Syria", kind="state"),
            cm.Location(id="syria", name="Syria", kind="country"),
        ]
    )
    assert ds.actor("syria").kind is cm.ActorKind.STATE
    assert ds.location("syria").kind is cm.LocationKind.COUNTRY


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ("abc", "Dataset() takes an iterable of records, got str 'abc'"),
        (None, "Dataset() takes an iterable of records, got NoneType None"),
        (5, "Dataset() takes an iterable of records, got int 5"),
        (cm.Actor(id="a", name="A", kind="state"), "Dataset() takes an iterable of records, got"),
        (["a"], "Dataset() item 0: expected a record (Actor, Event, ...), got str 'a'"),
        ([cm.Point(0, 0)], "Dataset() item 0: expected a record (Actor, Event, ...), got Point"),
        ([cm.Record(id="x")], "Dataset() item 0: expected a record (Actor, Event, ...), got"),
    ],
)
def test_dataset_of_non_records_is_refused(records: Any, message: str) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        cm.Dataset(records)
    assert str(raised.value).startswith(message)


def test_with_records_checks_its_argument() -> None:
    ds = cm.Dataset([cm.Actor(id="a", name="A", kind="state")])
    with pytest.raises(cm.ValidationError, match=r"with_records\(\) takes an iterable of records"):
        ds.with_records(None)  # type: ignore[arg-type]
    with pytest.raises(cm.UnresolvedReferenceError):
        ds.with_records([cm.Actor(id="b", name="B", kind="militia", part_of="c")])
    grown = ds.with_records([cm.Actor(id="b", name="B", kind="militia", part_of="a")])
    assert grown.actor_descendants("a") == ("b",)


def test_an_unknown_name_suggests_names_holding_its_words_or_spelled_alike() -> None:
    seed = cm.examples.idlib_2020()
    with pytest.raises(cm.UnknownNameError, match=r"'Turky'; did you mean 'Turkey'\?$"):
        seed.actor("Turky")
    with pytest.raises(cm.UnknownNameError) as raised:
        seed.actor("army")
    assert str(raised.value) == ("no actor is named 'army'; did you mean 'Syrian Arab Army'?")
    with pytest.raises(cm.UnknownNameError, match=r"'Atlantis'$"):
        seed.location("Atlantis")


def test_lookups_take_names_as_the_queries_do() -> None:
    seed = cm.examples.idlib_2020()
    assert seed.events_within("Saraqeb") == seed.events_within("saraqeb")
    assert seed.events_involving("SAA") == seed.events_involving("syrian-army")
    assert seed.claims_by("Turkey") == seed.claims_by("turkey")
    assert seed.events_during("2020-02-06") == seed.events_during(cm.when("2020-02-06"))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda ds: ds.actor("nobody"), cm.UnknownNameError, "no actor is named 'nobody'"),
        (lambda ds: ds.location(5), cm.UnknownNameError, "look-up needs a name, alias or id"),
        (lambda ds: ds.get("people", "x"), cm.UnknownNameError, "no collection 'people'"),
        (lambda ds: ds.get("actors", ["x"]), cm.UnknownNameError, "no actor has id ['x']"),
        (lambda ds: ds.events_within("nowhere"), cm.UnknownNameError, "no location is named"),
        (lambda ds: ds.events_involving("nobody"), cm.UnknownNameError, "no actor is named"),
        (lambda ds: ds.events_during(2020), cm.ValidationError, "events_during() takes a"),
        (lambda ds: ds.events_during("2020-13"), cm.ValidationError, "events_during('2020-13')"),
        (lambda ds: ds.actor_ancestors("nobody"), cm.UnknownNameError, "no actor has id"),
        (lambda ds: ds.claims_about("events", "x"), cm.UnknownNameError, "no event has id 'x'"),
    ],
)
def test_lookups_refuse_unknown_names(call: Any, error: type[Exception], message: str) -> None:
    ds = cm.Dataset([cm.Actor(id="a", name="A", kind="state")])
    with pytest.raises(error) as raised:
        call(ds)
    assert isinstance(raised.value, cm.ConflictModelError)
    assert message in str(raised.value)


def test_datasets_are_unhashable_and_compare_only_to_datasets() -> None:
    ds = cm.Dataset()
    assert ds == cm.Dataset([])
    assert ds != []
    with pytest.raises(TypeError):
        hash(ds)


def test_a_dataset_pickles_to_an_equal_dataset_with_working_indexes() -> None:
    ds = cm.examples.idlib_2020()
    ds.events_within("idlib-governorate")
    copy = pickle.loads(pickle.dumps(ds))
    assert copy == ds
    assert copy.actors["hts"] == ds.actors["hts"]
    assert [e.id for e in copy.events_within("saraqeb")] == [
        e.id for e in ds.events_within("saraqeb")
    ]


def test_roll_up_walks_each_part_of_chain_once() -> None:
    depth = 20_000
    actors = [
        cm.Actor(
            id=f"a{n}", name=f"A{n}", kind="militia", part_of=f"a{n + 1}" if n < depth else None
        )
        for n in range(depth + 1)
    ]
    attack = cm.Engagement(
        id="e",
        when="2020",
        kind="attack",
        initiators=[f"a{n}" for n in range(0, depth, 7)],
        targets=[],
        casualties=[cm.Casualties(f"a{n}", killed=1) for n in range(0, depth, 7)],
    )
    ds = cm.Dataset([*actors, attack])
    started = time.perf_counter()
    table = cm.casualties_by_actor(ds, roll_up=True)
    assert time.perf_counter() - started < 5, "quadratic in the depth of part_of chains"
    assert dict(table) == {f"a{depth}": cm.Estimate.exact(len(range(0, depth, 7)))}


def test_the_reference_check_passes_by_fields_of_plain_kinds() -> None:
    """The dataset's check reads no field whose declared kind holds only plain values (text,
    a text mapping, enums, numbers) unless it is marked as a reference; spans, estimates and
    nested values are read (the walk over every registered type finds every id:
    tests/test_plugin_types.py)."""
    from conflictmodel.dataset import _plain_fields
    from conflictmodel.records import referenced_id_sets

    assert _plain_fields(cm.Engagement) == {
        "id",
        "description",
        "source_values",
        "where_precision",
        "aggregate",
        "kind",
    }
    assert _plain_fields(cm.Casualties) == set()
    relation = cm.Relation(id="r", source="turkey", kind="supports", target="hts")
    assert referenced_id_sets([relation], lambda cls: {"source"}) == {"actors": {"turkey", "hts"}}
    attack = cm.Engagement(
        id="a",
        when="2020-02-03",
        kind="attack",
        initiators=[],
        targets=["hts"],
        casualties=[cm.Casualties("turkey", killed=8)],
    )
    assert referenced_id_sets([attack]) == {"actors": {"turkey", "hts"}}
    assert referenced_id_sets([attack], lambda cls: {"casualties"}) == {"actors": {"hts"}}


@given(datasets())
def test_a_collection_is_its_records_read_only_and_counted_in_its_repr(ds: cm.Dataset) -> None:
    for collection in COLLECTIONS:
        records = getattr(ds, collection)
        held = {record.id: record for record in ds.records() if record.collection == collection}
        assert records == held
        assert dict(records.items()) == held
        assert list(records) == list(held)
        assert all(records.get(key) is value and key in records for key, value in held.items())
        assert records.get("no-such-id") is None
        assert "no-such-id" not in records
        with pytest.raises(TypeError):
            records["x"] = None
        shown = repr(records)
        assert shown.startswith(f"<{len(held):,} ")
        assert all(repr(key) in shown for key in list(held)[:3])
        assert ("…" in shown) == (len(held) > 3)
        assert records._repr_html_().count("<tr><td>") == min(len(held), 10)


def test_a_collection_in_a_notebook_shows_names_not_ids() -> None:
    ds = cm.examples.idlib_2020()
    assert repr(ds.agreements) == "<1 agreement: 'idlib-ceasefire-2020'>"
    assert repr(ds.events).startswith("<14 events: 'turkish-invasion-2019', 'idlib-offensive'")
    claims = ds.claims._repr_html_()
    assert claims.startswith("<table><caption>10 claims</caption>")
    assert "<td>turkey-offensive-violates</td><td>Turkey</td>" in claims
    events = ds.events._repr_html_()
    assert "<td>Syria</td>" in events
    assert "<td>Hayat Tahrir al-Sham</td><td>rebel_group</td>" in ds.actors._repr_html_()
    assert (
        "<td>turkey-supports-hts</td><td>Turkey</td><td>supports</td><td>Hayat Tahrir al-Sham</td>"
        in ds.relations._repr_html_()
    )
    assert "<td>syria-airstrike-killed-15</td><td>Syria</td>" in claims
    assert "<td>CasualtyFigure</td>" in claims


def test_a_lazy_collection_in_a_notebook_builds_only_the_records_it_shows(tmp_path: Any) -> None:
    pytest.importorskip("duckdb")
    seed = cm.examples.idlib_2020()
    again = [attrs.evolve(claim, id=f"{claim.id}-again") for claim in seed.claims.values()]
    path = tmp_path / "idlib.jsonl"
    cm.dump(seed.with_records(again), path)
    ds = cm.load(path, lazy=True)
    assert repr(ds.claims) == "<20 claims, 0 built>"
    page = ds.claims._repr_html_()
    assert page.count("<tr><td>") == 10
    assert "<tfoot><tr><td colspan=5>… 10 more</td></tr></tfoot>" in page
    assert repr(ds.claims) == "<20 claims, 10 built>"
