"""How far ``cm.load`` has read a JSON Lines file (``progress=``), columns first and record by
record."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.io.test_json_lazy import ACTORS, GOOD, KILLED_B, lines

import conflictmodel as cm
from conflictmodel.io.json import _REPORTED_EVERY

pytest.importorskip("ibis")

Calls = list[tuple[int, int]]


def heard(path: Path, lazy: bool) -> tuple[Calls, cm.Dataset | str]:
    """What the progress callback heard while ``path`` loaded, and what the load gave."""
    calls: Calls = []
    try:
        found: cm.Dataset | str = cm.load(
            path, lazy=lazy, progress=lambda done, total: calls.append((done, total))
        )
    except cm.LoadError as error:
        found = str(error)
    return calls, found


@pytest.mark.parametrize("lazy", [True, False], ids=["columns-first", "record-by-record"])
def test_progress_counts_the_records_from_none_to_all(tmp_path: Path, lazy: bool) -> None:
    path = tmp_path / "idlib.jsonl"
    cm.dump(cm.examples.idlib_2020(), path)
    calls, ds = heard(path, lazy)
    assert isinstance(ds, cm.Dataset)
    total = len(list(ds.records()))
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert {expected for _, expected in calls} == {total}
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) > 2 if lazy else len(calls) == 2


def test_a_large_file_is_reported_as_it_is_read_record_by_record(tmp_path: Path) -> None:
    events = [{**GOOD, "id": f"e{number}"} for number in range(2 * _REPORTED_EVERY + 5)]
    calls, ds = heard(lines(tmp_path / "many.jsonl", *ACTORS, *events), lazy=False)
    assert isinstance(ds, cm.Dataset)
    total = len(events) + len(ACTORS)
    assert calls == [
        (0, total),
        (_REPORTED_EVERY, total),
        (2 * _REPORTED_EVERY, total),
        (total, total),
    ]


def test_a_file_read_record_by_record_after_all_is_counted_again_from_none(
    tmp_path: Path,
) -> None:
    bad = {**GOOD, "id": "e2", "casualties": [KILLED_B, KILLED_B]}
    path = lines(tmp_path / "bad.jsonl", *ACTORS, GOOD, bad)
    calls, found = heard(path, lazy=True)
    assert isinstance(found, str)
    assert "more than one entry" in found
    restart = calls.index((0, 4), 1)
    assert max(done for done, _ in calls[:restart]) > 0
    assert calls[restart:] == [(0, 4), (4, 4)]


def test_a_bar_is_shown_when_asked_and_none_when_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "idlib.jsonl"
    cm.dump(cm.examples.idlib_2020(), path)
    cm.load(path, progress=True)
    assert "loading idlib.jsonl" in capsys.readouterr().err
    cm.load(path, progress=False)
    cm.load(path)
    assert capsys.readouterr().err == ""
