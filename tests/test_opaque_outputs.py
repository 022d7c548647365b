"""A dataset read with ``strict=False`` holding records of unknown types: exports keep them as
their tag and JSON, tables refuse them naming their tags, and the command line's queries warn
that they left them out."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import orjson
import pytest
from tests.barrage import TAG, Barrage, shelling
from tests.test_cli import Capture, run

import conflictmodel as cm
from conflictmodel import registry
from conflictmodel.io.frames import to_frame


@attrs.frozen(kw_only=True)
class Fired(cm.Statement):
    event: str = attrs.field(metadata=cm.refers_to("events"))


@pytest.fixture
def lenient_file(tmp_path: Path) -> Path:
    """The seed with a barrage killing 2 civilians and a claim that it was fired, written with
    their types registered (and unregistered after)."""
    registry.event_type(TAG)(Barrage)
    registry.statement_type("test.fired")(Fired)
    try:
        barrage = shelling("barrage")
        claim = cm.Claim(
            id="fired", claimant="turkey", statement=Fired(event="barrage"), made="2020-02-05"
        )
        path = tmp_path / "plug.jsonl"
        cm.dump(cm.examples.idlib_2020().with_records([barrage, claim]), path)
    finally:
        registry.unregister(TAG)
        registry.unregister("test.fired")
    return path


def test_frames_keep_an_unknown_record_as_its_tag_and_json(lenient_file: Path) -> None:
    ds = cm.load(lenient_file, strict=False)
    events = to_frame(ds, "events").set_index("id")
    assert events.loc["barrage", "type"] == "test.barrage"
    payload = orjson.loads(str(events.loc["barrage", "payload"]))
    assert payload["rounds"] == 40
    assert payload["casualties"][0]["killed"] == {"best": 2, "high": 2, "low": 2}
    assert "tag" not in events.columns
    assert events.loc["attack-2020-02-03", "type"] == "engagement"
    claims = to_frame(ds, "claims").set_index("id")
    assert claims.loc["fired", "statement"] == "test.fired"
    assert claims.loc["fired", "statement_payload"] == '{"event":"barrage"}'
    assert "payload" not in to_frame(cm.examples.idlib_2020(), "events").columns


def test_tables_refuse_unknown_records_naming_their_tags(lenient_file: Path) -> None:
    tables = pytest.importorskip("conflictmodel.tables")
    pytest.importorskip("ibis")
    ds = cm.load(lenient_file, strict=False)
    refusal = (
        r"^event 'barrage'\.type: the tables have no columns for 1 event of type "
        r"'test\.barrage', read with strict=False as opaque records; install the plug-in"
    )
    with pytest.raises(cm.ValidationError, match=refusal):
        tables.from_dataset(ds)
    with pytest.raises(cm.ValidationError, match=refusal):
        tables.write(ds, lenient_file.parent / "tables")


def test_an_unknown_class_is_not_to_be_registered() -> None:
    with pytest.raises(cm.RegistrationError, match="stands for records of types not registered"):
        registry.tag_of(cm.UnknownEvent)
    unknown = cm.UnknownStatement(tag="acme.used", payload={"event": "e"})
    assert registry.record_tag(unknown) == "acme.used"


def test_the_queries_of_the_command_line_warn_of_what_they_left_out(
    lenient_file: Path, capsys: Capture
) -> None:
    status, out, err = run(capsys, "casualties", str(lenient_file), "--lenient")
    assert status == 0
    assert re.search(r"Syrian civilians +15 ", out)
    assert err == (
        "conflictmodel: warning: casualties: left out of the answer: 1 event of type "
        "'test.barrage' and 1 statement of type 'test.fired', read with --lenient as opaque "
        "records, which the queries cannot read; install the plug-in that provides them (a "
        "package naming its module in the conflictmodel.types entry point) or register their "
        "classes with @conflictmodel.event_type / @conflictmodel.statement_type, then load the "
        "file again\n"
    )
    status, _, err = run(capsys, "violations", str(lenient_file), "--lenient")
    assert status == 0
    assert "violations: left out of the answer: 1 event" in err
    status, out, err = run(capsys, "summary", str(lenient_file), "--lenient")
    assert status == 0
    assert "test.barrage 1" in out
    assert "summary: left out of the answer: 1 event" in err
    chart = lenient_file.parent / "chart.png"
    status, _, err = run(
        capsys, "plot", str(lenient_file), "--casualties", "--lenient", "-o", str(chart)
    )
    assert status == 0
    assert "plot: left out of the answer: 1 event" in err
    status, out, err = run(capsys, "events", str(lenient_file), "--lenient")
    assert status == 0
    assert re.search(r"barrage +test\.barrage", out), out
