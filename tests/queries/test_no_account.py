"""A query asked for the account of actors who made no claim says that it answers with the
default account."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.queries.world import strike, world
from tests.test_cli import Capture, run

import conflictmodel as cm
from conflictmodel import tables

IDLIB = "idlib-ceasefire-2020"


def test_an_actor_without_claims_gets_the_default_account_and_a_warning() -> None:
    ds = cm.examples.idlib_2020()
    with pytest.warns(cm.NoAccountWarning) as caught:
        found = cm.ceasefire_violations(ds, IDLIB, according_to="hts")
    assert found == cm.ceasefire_violations(ds, IDLIB)
    assert len(caught) == 1
    assert caught[0].filename == __file__
    assert str(caught[0].message) == (
        "ceasefire_violations(according_to='hts'): Hayat Tahrir al-Sham made no claim, so it "
        "has no account of its own: the answer is the default account, the record with every "
        "claimant's claims"
    )


def test_one_call_warns_once_whatever_it_calls_inside() -> None:
    ds = cm.examples.idlib_2020()
    for query in (cm.casualty_matrix, cm.casualties_over_time, cm.casualties_by_actor):
        with pytest.warns(cm.NoAccountWarning) as caught:
            query(ds, according_to="hts")
        assert [str(w.message).split("(")[0] for w in caught] == [query.__name__]


def test_a_camp_none_of_whom_made_a_claim_is_named_whole() -> None:
    ds = cm.examples.idlib_2020()
    with pytest.warns(cm.NoAccountWarning, match="neither Hayat Tahrir al-Sham nor Israel"):
        cm.casualties_by_actor(ds, according_to=["hts", "israel"])


def test_the_warning_says_when_the_parts_made_no_claim_either() -> None:
    ds = world(strike("raid", casualties=[cm.Casualties("south-army", killed=2)]))
    with pytest.warns(cm.NoAccountWarning) as caught:
        cm.casualties_by_actor(ds, according_to="north")
    assert str(caught[0].message).startswith(
        "casualties_by_actor(according_to='north'): North made no claim (nor did any of its "
        "parts), so it has no account of its own"
    )


@pytest.mark.parametrize("according_to", [None, "turkey", ["hts", "turkey"], "syria"])
def test_an_account_with_claims_does_not_warn(according_to: str | list[str] | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", cm.NoAccountWarning)
        cm.casualty_matrix(cm.examples.idlib_2020(), according_to=according_to)


def no_account_warnings(query: Callable[[], object]) -> list[str]:
    """The no-account warnings ``query()`` gives (the engine's own, from threads of its own,
    are left alone)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", cm.NoAccountWarning)
        query()
    return [str(w.message) for w in caught if w.category is cm.NoAccountWarning]


def test_tables_warn_alike(tmp_path: Path) -> None:
    tables.write(cm.examples.idlib_2020(), tmp_path / "idlib")
    opened = tables.open(tmp_path / "idlib")
    matrix = no_account_warnings(lambda: cm.casualty_matrix(opened, according_to="hts"))
    assert [m.split(":")[0] for m in matrix] == ["casualty_matrix(according_to='hts')"]
    found = no_account_warnings(lambda: cm.ceasefire_violations(opened, IDLIB, according_to="hts"))
    assert [m.split(":")[0] for m in found] == ["ceasefire_violations(according_to='hts')"]
    assert no_account_warnings(lambda: cm.casualties_by_actor(opened, according_to="turkey")) == []
    violations = no_account_warnings(
        lambda: cm.ceasefire_violations(opened, IDLIB, according_to="russia")
    )
    assert violations == []


def test_the_command_line_warns_in_its_own_words(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "idlib.json"
    cm.dump(cm.examples.idlib_2020(), path)
    for engine in ((), ("--engine", "duckdb")):
        status, _, err = run(capsys, "casualties", str(path), "--according-to", "hts", *engine)
        assert status == 0
        assert err.startswith("conflictmodel: warning: --according-to 'hts': Hayat Tahrir")
        _, _, err = run(capsys, "casualties", str(path), "--according-to", "turkey", *engine)
        assert "no account" not in err


def test_queries_that_call_others_warn_once_and_answer_as_the_default_account(
    tmp_path: Path,
) -> None:
    ds = cm.examples.idlib_2020()
    tables.write(ds, tmp_path / "idlib")
    lazy = tables.load(tmp_path / "idlib")
    calls: dict[str, Callable[[], object]] = {
        "casualties_over_time": lambda: cm.casualties_over_time(lazy, according_to="hts"),
        "violations_over_time": lambda: cm.violations_over_time(ds, IDLIB, according_to="hts"),
        "control_at": lambda: cm.control_at(ds, "saraqeb", "2020-02-10", according_to="hts"),
        "ceasefire_durability": lambda: cm.ceasefire_durability(ds, IDLIB, according_to="hts"),
    }
    for name, call in calls.items():
        assert [m.split("(")[0] for m in no_account_warnings(call)] == [name]
    with pytest.warns(cm.NoAccountWarning):
        held = cm.ceasefire_durability(ds, IDLIB, according_to="hts")
    assert held.account == ""
    assert held == cm.ceasefire_durability(ds, IDLIB)


def test_charts_warn_once_and_claim_no_account(capsys: Capture, tmp_path: Path) -> None:
    plots = pytest.importorskip("conflictmodel.plots")
    ds = cm.examples.idlib_2020()
    found = no_account_warnings(lambda: plots.casualties_chart_data(ds, according_to="hts"))
    assert [m.split("(")[0] for m in found] == ["casualties_chart_data"]
    found = no_account_warnings(
        lambda: plots.violations_figure(ds, IDLIB, according_to="hts").savefig(tmp_path / "v.png")
    )
    assert [m.split("(")[0] for m in found] == ["violations_figure"]
    path = tmp_path / "idlib.json"
    cm.dump(ds, path)
    out = str(tmp_path / "chart.png")
    status, _, err = run(
        capsys, "plot", str(path), "--casualties", "-o", out, "--according-to", "hts"
    )
    assert status == 0
    assert err.count("no account of its own") == 1
