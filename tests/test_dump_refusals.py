"""A value JSON cannot hold (an integer beyond 64 bits in a plug-in's field) is refused when the
dataset is written, naming the record and the field, and the file is left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import conflictmodel as cm
from conflictmodel import registry


@attrs.frozen(kw_only=True)
class Headcount(cm.Event):
    heads: int = 0
    tallies: tuple[int, ...] = ()


@pytest.fixture
def headcount() -> Iterator[None]:
    cm.event_type("test.headcount")(Headcount)
    yield
    registry.unregister("test.headcount")


@pytest.mark.usefixtures("headcount")
@pytest.mark.parametrize(
    ("event", "where"),
    [
        (Headcount(id="huge", when="2020-02", heads=2**70), "event 'huge'.heads"),
        (Headcount(id="huge", when="2020-02", tallies=(1, -(2**64))), "event 'huge'.tallies[1]"),
    ],
)
@pytest.mark.parametrize("suffix", [".json", ".jsonl", None])
def test_an_integer_json_cannot_hold_is_refused_naming_record_and_field(
    tmp_path: Path, event: Headcount, where: str, suffix: str | None
) -> None:
    ds = cm.examples.idlib_2020().with_records([event])
    path = tmp_path / f"seed{suffix}"
    path.write_text("kept")
    with pytest.raises(cm.ValidationError) as raised:
        cm.dumps(ds) if suffix is None else cm.dump(ds, path)
    assert str(raised.value) == (
        f"cannot write the dataset as JSON: {where}: Integer exceeds 64-bit range"
    )
    assert path.read_text() == "kept"


@pytest.mark.usefixtures("headcount")
def test_integers_within_64_bits_are_written_and_read_back(tmp_path: Path) -> None:
    event = Headcount(id="big", when="2020-02", heads=2**63 - 1, tallies=(-(2**63),))
    ds = cm.examples.idlib_2020().with_records([event])
    cm.dump(ds, tmp_path / "seed.jsonl")
    assert cm.load(tmp_path / "seed.jsonl").events["big"] == event
