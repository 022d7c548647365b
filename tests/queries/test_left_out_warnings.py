"""A query on a dataset read with ``strict=False`` warns, once per call, how many records of
which unknown types its answer left out, and answers as if they were not there; a dataset
without such records gives no warning."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.barrage import TAG, Barrage, shelling
from tests.test_cli import Capture, run
from tests.test_opaque_outputs import Fired

import conflictmodel as cm
from conflictmodel import registry
from conflictmodel.opaque import UnknownEvent, UnknownStatement
from conflictmodel.queries.over_time import killed_by_span

CEASEFIRE = "idlib-ceasefire-2020"
REGISTER = (
    "read with strict=False as opaque records, which the queries cannot read; install the "
    "plug-in that provides them (a package naming its module in the conflictmodel.types entry "
    "point) or register their classes with @conflictmodel.event_type / "
    "@conflictmodel.statement_type, then load the file again"
)
EVENTS = "3 events of type 'test.barrage'"
CLAIMS = "1 statement of type 'test.fired'"

Query = Callable[[cm.Dataset], Any]
QUERIES: dict[str, Query] = {
    "casualties_by_actor": lambda ds: cm.casualties_by_actor(ds, roll_up=True),
    "casualty_matrix": lambda ds: cm.casualty_matrix(ds),
    "ceasefire_violations": lambda ds: cm.ceasefire_violations(ds),
    "ceasefire_durability": lambda ds: cm.ceasefire_durability(ds, CEASEFIRE),
    "violations_over_time": lambda ds: cm.violations_over_time(ds, CEASEFIRE),
    "casualties_over_time": lambda ds: cm.casualties_over_time(ds),
    "killed_by_span": lambda ds: killed_by_span(ds),
    "control_timeline": lambda ds: cm.control_timeline(ds, "Saraqeb"),
    "control_at": lambda ds: cm.control_at(ds, "Saraqeb", "2020-02-06"),
    "disputes": lambda ds: cm.disputes(ds),
}
"""Each query by the name its warning gives; several call others, which must not warn again."""


@pytest.fixture(scope="module")
def lenient_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed with three barrages on Saraqeb during the Idlib ceasefire, each killing two
    civilians, and Turkey's claim that one was fired, written with their plug-in types
    registered (and unregistered after)."""
    registry.event_type(TAG)(Barrage)
    registry.statement_type("test.fired")(Fired)
    try:
        barrages = [shelling(f"barrage-{n}") for n in (1, 2, 3)]
        claim = cm.Claim(
            id="fired", claimant="turkey", statement=Fired(event="barrage-1"), made="2020-02-05"
        )
        path = tmp_path_factory.mktemp("lenient") / "plug.jsonl"
        cm.dump(cm.examples.idlib_2020().with_records([*barrages, claim]), path)
    finally:
        registry.unregister(TAG)
        registry.unregister("test.fired")
    return path


@pytest.fixture(scope="module")
def lenient(lenient_file: Path) -> cm.Dataset:
    return cm.load(lenient_file, strict=False)


@pytest.fixture(scope="module")
def without(lenient: cm.Dataset) -> cm.Dataset:
    """The lenient dataset without its opaque records, checked again."""
    return cm.Dataset(
        r
        for r in lenient.records()
        if not isinstance(r, UnknownEvent)
        and not (isinstance(r, cm.Claim) and isinstance(r.statement, UnknownStatement))
    )


def same(answer: Any, expected: Any) -> bool:
    equals = getattr(answer, "equals", None)
    return bool(equals(expected)) if equals is not None else bool(answer == expected)


@pytest.mark.parametrize("name", QUERIES)
def test_a_query_warns_once_of_what_it_left_out_and_answers_without_it(
    name: str, lenient: cm.Dataset, without: cm.Dataset
) -> None:
    with pytest.warns(cm.ConflictModelWarning) as caught:
        answer = QUERIES[name](lenient)
    left_out = EVENTS if name == "disputes" else f"{EVENTS} and {CLAIMS}"
    assert [str(w.message) for w in caught] == [
        f"{name}: left out of the answer: {left_out}, {REGISTER}"
    ]
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert same(answer, QUERIES[name](without))


@pytest.mark.parametrize("name", QUERIES)
def test_a_query_on_a_dataset_of_known_types_does_not_warn(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        QUERIES[name](cm.examples.idlib_2020())


def test_the_left_out_records_would_change_the_answers(
    lenient_file: Path, without: cm.Dataset
) -> None:
    registry.event_type(TAG)(Barrage)
    registry.statement_type("test.fired")(Fired)
    try:
        known = cm.load(lenient_file)
    finally:
        registry.unregister(TAG)
        registry.unregister("test.fired")
    civilians = [cm.casualties_by_actor(ds)["syrian-civilians"] for ds in (known, without)]
    assert civilians == [cm.Estimate.exact(21), cm.Estimate.exact(15)]
    barrages = [v for v in cm.ceasefire_violations(known) if v.event in known.events]
    assert {v.event for v in barrages} - {v.event for v in cm.ceasefire_violations(without)} == {
        "barrage-1",
        "barrage-2",
        "barrage-3",
    }


def test_a_look_up_that_reads_no_event_or_claim_does_not_warn(lenient: cm.Dataset) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cm.grade_of(lenient, "events", "barrage-1") is None
        assert str(cm.in_force(lenient, CEASEFIRE)) == "2020-01-12/.."


def test_unknown_statements_alone_leave_nothing_out_of_disputes(lenient: cm.Dataset) -> None:
    only_claims = cm.Dataset(r for r in lenient.records() if not isinstance(r, UnknownEvent))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cm.disputes(only_claims)
    with pytest.warns(cm.ConflictModelWarning, match=f"^casualties_by_actor: .*: {CLAIMS}, "):
        cm.casualties_by_actor(only_claims)


@pytest.mark.parametrize(
    ("command", "arguments"),
    [("casualties", ()), ("durability", (CEASEFIRE,)), ("summary", ())],
)
def test_the_command_line_warns_once_naming_its_command(
    command: str, arguments: tuple[str, ...], lenient_file: Path, capsys: Capture
) -> None:
    status, _, err = run(capsys, command, str(lenient_file), *arguments, "--lenient")
    assert status == 0
    assert err == (
        f"conflictmodel: warning: {command}: left out of the answer: {EVENTS} and {CLAIMS}, "
        f"{REGISTER.replace('strict=False', '--lenient')}\n"
    )
