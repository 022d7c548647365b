"""Tables written under one set of registered types are read under another: a folder written
before a plug-in was installed, one written with a plug-in read without it, and a folder whose
path holds a glob character (each read through Arrow rather than as a DuckDB view)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.barrage import TAG, Barrage, shelling
from tests.test_cli import Capture, run

import conflictmodel as cm
from conflictmodel import registry, tables

pytest.importorskip("ibis")


@pytest.fixture
def barrage() -> Iterator[type[Barrage]]:
    registry.event_type(TAG)(Barrage)
    yield Barrage
    registry.unregister(TAG)


def with_barrage() -> cm.Dataset:
    strike = shelling("barrage-2020-02-04")
    return cm.examples.idlib_2020().with_records([strike])


def test_tables_written_before_a_plug_in_load_with_it(
    tmp_path: Path, barrage: type[Barrage]
) -> None:
    seed = cm.examples.idlib_2020()
    registry.unregister(TAG)
    tables.write(seed, tmp_path / "plain")
    registry.event_type(TAG)(barrage)
    ds = tables.load(tmp_path / "plain")
    assert ds == seed
    assert cm.casualties_by_actor(ds) == cm.casualties_by_actor(seed)
    assert cm.ceasefire_violations(ds) == cm.ceasefire_violations(seed)
    opened = tables.open(tmp_path / "plain")
    assert cm.casualties_by_actor(opened) == cm.casualties_by_actor(seed)


def test_tables_written_with_a_plug_in_load_without_it_and_again_with_it(
    tmp_path: Path, barrage: type[Barrage]
) -> None:
    written = with_barrage()
    tables.write(written, tmp_path / "plug")
    registry.unregister(TAG)
    ds = tables.load(tmp_path / "plug")
    assert len(ds.events) == 15
    assert ds.events["attack-2020-02-03"] == written.events["attack-2020-02-03"]
    assert cm.casualties_by_actor(ds)["syrian-civilians"].best == 17
    with pytest.raises(cm.LoadError, match=r"unknown event type 'test\.barrage'") as refused:
        ds.events["barrage-2020-02-04"]
    assert "strict=False" not in str(refused.value)
    registry.event_type(TAG)(barrage)
    again = tables.load(tmp_path / "plug")
    assert again == written
    barrage_again = again.events["barrage-2020-02-04"]
    assert isinstance(barrage_again, Barrage)
    assert barrage_again.rounds == 40


def test_a_folder_with_a_glob_character_in_its_path_loads(tmp_path: Path, capsys: Capture) -> None:
    seed = cm.examples.idlib_2020()
    (tmp_path / "out").mkdir()
    folder = tmp_path / "out" / "data[1]"
    tables.write(seed, folder)
    tables.write(cm.Dataset(list(seed.actors.values())), tmp_path / "out" / "data1")
    ds = tables.load(folder)
    assert ds == seed
    assert cm.casualties_by_actor(ds) == cm.casualties_by_actor(seed)
    status, out, _ = run(capsys, "casualties", str(folder))
    assert status == 0
    assert re.search(r"Syrian civilians +15 +15 +15 ", out), out
