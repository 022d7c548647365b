"""The command line, called through ``main([...])``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from tests.io.ucdp_files import ACLED_SAMPLE, GED191_SAMPLE

import conflictmodel as cm
from conflictmodel.cli import main

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "seed.json"
    cm.dump(cm.examples.idlib_2020(), path)
    return path


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_demo_prints_the_seed_and_its_findings(capsys: Capture, tmp_path: Path) -> None:
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "Ceasefire violations" in out
    status, out, _ = run(capsys, "demo", "-o", str(tmp_path / "seed.jsonl"))
    assert status == 0
    assert cm.load(tmp_path / "seed.jsonl") == cm.examples.idlib_2020()


def test_validate_reports_counts_or_one_line_of_error(
    capsys: Capture, seed: Path, tmp_path: Path
) -> None:
    status, out, _ = run(capsys, "validate", str(seed))
    assert status == 0
    assert "valid (10 actors" in out
    status, out, _ = run(capsys, "validate", str(seed), "--json")
    assert orjson.loads(out)["records"]["events"] == 14
    broken = tmp_path / "broken.json"
    broken.write_text(seed.read_text().replace('"saraqeb"', '"atlantis"', 1), encoding="utf-8")
    status, out, err = run(capsys, "validate", str(broken))
    assert status == 1
    assert out == ""
    assert err.startswith("conflictmodel: error: ")
    assert err.count("\n") == 1
    status, _, err = run(capsys, "validate", str(tmp_path / "missing.json"))
    assert status == 1
    assert "No such file" in err


def test_import_writes_jsonl_and_prints_the_report(capsys: Capture, tmp_path: Path) -> None:
    out_file = tmp_path / "ged.jsonl"
    status, out, _ = run(capsys, "import", "ucdp", str(GED191_SAMPLE), "-o", str(out_file))
    assert status == 0
    assert "37 rows read, 37 imported, 0 refused" in out
    assert len(cm.load(out_file).events) == 37
    status, out, _ = run(
        capsys, "import", "acled", str(ACLED_SAMPLE), "-o", str(tmp_path / "a.json"), "--json"
    )
    report = orjson.loads(out)
    assert [r["line"] for r in report["refused"]] == [16, 17]
    status, _, err = run(
        capsys,
        "import",
        "acled",
        str(ACLED_SAMPLE),
        "-o",
        str(tmp_path / "b.json"),
        "--errors",
        "raise",
    )
    assert status == 1
    assert "line 16: fatalities" in err
    assert not (tmp_path / "b.json").exists()


def test_import_of_the_wrong_format_is_one_line(capsys: Capture, tmp_path: Path) -> None:
    status, _, err = run(capsys, "import", "ucdp", str(ACLED_SAMPLE), "-o", str(tmp_path / "x"))
    assert status == 1
    assert "not a UCDP GED file: missing columns" in err


def test_summary_and_its_json(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "summary", str(seed))
    assert status == 0
    assert out.startswith("<Dataset:")
    status, out, _ = run(capsys, "summary", str(seed), "--json")
    data = orjson.loads(out)
    assert data["event_types"]["engagement"] >= 1
    assert data["first_day"] <= data["last_day"]


def test_violations_table_filters_and_json(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "violations", str(seed))
    expected = cm.ceasefire_violations(cm.examples.idlib_2020())
    assert status == 0
    assert out.strip().splitlines()[2 + len(expected) :] == [expected.summary()]
    status, out, _ = run(capsys, "violations", str(seed), "--according-to", "turkey", "--json")
    rows = orjson.loads(out)
    turkish = cm.ceasefire_violations(cm.examples.idlib_2020(), according_to="turkey")
    assert [(r["violator"], r["event"], r["basis"]) for r in rows] == [
        (v.violator, v.event, "; ".join(b.value for b in v.basis)) for v in turkish
    ]
    status, _, err = run(capsys, "violations", str(seed), "--agreement", "nope")
    assert status == 1
    assert "nope" in err


def test_violations_say_what_could_not_be_checked(capsys: Capture, tmp_path: Path) -> None:
    bare = tmp_path / "bare.json"
    cm.dump(cm.Dataset([cm.Actor(id="a", name="A", kind="state")]), bare)
    status, out, _ = run(capsys, "violations", str(bare))
    assert (status, out) == (0, "no ceasefire, truce or de-escalation agreement to check\n")
    clash = cm.Engagement(
        id="e",
        when="2020-02-04",
        where="saraqeb",
        kind="armed_clash",
        initiators=[],
        targets=["turkish-army", "isis"],
    )
    unjudged = tmp_path / "unjudged.json"
    seed = cm.examples.idlib_2020()
    isis = cm.Actor(id="isis", name="IS", kind="rebel_group")
    cm.dump(seed.with_records([isis, clash]), unjudged)
    status, out, _ = run(capsys, "violations", str(unjudged))
    assert out.strip().endswith("; 1 engagement in scope could not be assessed")


def test_casualties_table_and_options(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "casualties", str(seed), "--roll-up")
    assert status == 0
    assert "turkey" in out
    status, out, _ = run(
        capsys,
        "casualties",
        str(seed),
        "--according-to",
        "Turkey",
        "--period",
        "2020-02",
        "--json",
    )
    rows = {row["actor"]: row["killed_best"] for row in orjson.loads(out)}
    expected = cm.casualties_by_actor(
        cm.examples.idlib_2020(), according_to="turkey", period="2020-02"
    )
    assert rows == {actor: estimate.best for actor, estimate in expected.items()}
    status, out, _ = run(capsys, "casualties", str(seed), "--within", "Saraqeb")
    assert out.strip() == "no casualty figures found"
    status, _, err = run(capsys, "casualties", str(seed), "--period", "2020-13")
    assert status == 1
    assert "2020-13" in err


@pytest.mark.parametrize("target", ["csv", "parquet", "geojson"])
def test_export_writes_files(capsys: Capture, seed: Path, tmp_path: Path, target: str) -> None:
    output = tmp_path / ("out.geojson" if target == "geojson" else "out")
    status, out, _ = run(capsys, "export", str(seed), "--to", target, "-o", str(output))
    assert status == 0
    written = [Path(line.removeprefix("wrote ")) for line in out.splitlines()]
    assert written
    assert all(path.exists() for path in written)


def test_plot_draws_pngs(capsys: Capture, seed: Path, tmp_path: Path) -> None:
    for option in (["--place", "Saraqeb"], ["--casualties", "--roll-up"]):
        png = tmp_path / f"{option[0].strip('-')}.png"
        status, _, err = run(capsys, "plot", str(seed), *option, "-o", str(png))
        assert status == 0, err
        assert png.read_bytes().startswith(b"\x89PNG")
    status, _, err = run(capsys, "plot", str(seed), "--place", "Atlantis", "-o", str(png))
    assert status == 1
    assert "Atlantis" in err


def test_help_everywhere_and_usage_errors(capsys: Capture) -> None:
    for command in ([], ["import"], ["casualties"], ["plot"], ["export"]):
        status, out, _ = run(capsys, *command, "--help")
        assert status == 0
        assert out.startswith("usage: conflictmodel")
    status, _, err = run(capsys, "export", "x.json", "--to", "xls")
    assert status == 2
    assert "invalid choice" in err


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "conflictmodel", "validate", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: conflictmodel validate")


def test_periods_read_dates_in_words(capsys: Capture, seed: Path) -> None:
    _, spelled, _ = run(capsys, "violations", str(seed), "--period", "3 February 2020", "--json")
    _, iso, _ = run(capsys, "violations", str(seed), "--period", "2020-02-03", "--json")
    assert orjson.loads(spelled) == orjson.loads(iso)
    assert len(orjson.loads(iso)) == 4
