"""Which tables the CSV and Parquet exports write, and what they say when they cannot."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import conflictmodel as cm
from conflictmodel.cli import main
from conflictmodel.io.csv_export import to_csv
from conflictmodel.io.frames import to_arrow, to_frame, to_parquet


def test_one_kind_named_alone_is_that_table(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    [parquet] = to_parquet(ds, tmp_path / "parquet", "events")
    assert parquet.name == "events.parquet"
    assert pq.read_table(parquet).column("id").to_pylist() == list(to_frame(ds, "events")["id"])
    [written] = to_csv(ds, tmp_path / "csv", "actors")
    with written.open(encoding="utf-8", newline="") as handle:
        assert sorted(row["id"] for row in csv.DictReader(handle)) == sorted(ds.actors)
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["actors.csv"]


def test_kinds_are_written_once_each_in_the_order_given(tmp_path: Path) -> None:
    ds = cm.examples.idlib_2020()
    written = to_csv(ds, tmp_path, iter(["claims", "events", "claims"]))
    assert [p.name for p in written] == ["claims.csv", "events.csv"]


@pytest.mark.parametrize("export", [to_csv, to_parquet], ids=lambda f: f.__name__)
def test_unknown_kinds_are_refused_before_anything_is_written(
    export: Callable[..., list[Path]], tmp_path: Path
) -> None:
    ds = cm.examples.idlib_2020()
    name = export.__name__
    target = tmp_path / "out"
    with pytest.raises(cm.ValidationError, match=rf"^{name}\(kinds=...\): no table 'killed';"):
        export(ds, target, ["events", "killed"])
    with pytest.raises(cm.ValidationError, match=rf"^{name}\(kinds=...\): .* got int 3"):
        export(ds, target, 3)
    assert not target.exists()


def test_without_pandas_each_export_names_itself_and_the_frames_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = cm.examples.idlib_2020()
    cm.dump(ds, tmp_path / "seed.json")
    monkeypatch.setitem(sys.modules, "pandas", None)
    hint = r" needs pandas: pip install 'conflictmodel\[frames\]'$"
    with pytest.raises(cm.MissingExtraError, match=r"^to_parquet\(\)" + hint):
        to_parquet(ds, tmp_path / "parquet")
    assert not (tmp_path / "parquet").exists()
    with pytest.raises(cm.MissingExtraError, match=r"^to_arrow\(\)" + hint):
        to_arrow(ds, "events")
    assert main(["export", str(tmp_path / "seed.json"), "--to", "parquet"]) == 1
    assert capsys.readouterr().err == (
        "conflictmodel: error: export --to parquet needs pandas: "
        "pip install 'conflictmodel[frames]'\n"
    )
    assert not (tmp_path / "seed-parquet").exists()
