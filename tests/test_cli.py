"""The command line, called through ``main([...])``."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
import pytest
from tests.io.ucdp_files import ACLED_SAMPLE, GED191_SAMPLE
from tests.queries.world import strike, world
from tests.shellings import shellings

import conflictmodel as cm
from conflictmodel import tables
from conflictmodel.cli import main
from conflictmodel.io.geojson import dumps_geojson
from conflictmodel.io.ucdp import read_ged

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "seed.json"
    cm.dump(cm.examples.idlib_2020(), path)
    return path


@pytest.fixture
def ged(tmp_path: Path) -> tuple[cm.Dataset, Path]:
    """The 37-row UCDP sample imported, and written as JSON Lines."""
    ds = read_ged(GED191_SAMPLE, progress=False).dataset
    path = tmp_path / "ged.jsonl"
    cm.dump(ds, path)
    return ds, path


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_demo_prints_the_seed_and_its_findings(capsys: Capture, tmp_path: Path) -> None:
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "Ceasefire violations" in out
    assert "Syrian Arab Army violated Idlib ceasefire through attack-2020-02-03" in out
    assert (
        "[attack: Syrian Arab Army -> Turkish Armed Forces]; Turkish Armed Forces killed 8" in out
    )
    assert "syrian-war-toll at Syria [toll: killed 100,000 to 999,999]" in out
    assert "  Saraqeb: Hayat Tahrir al-Sham 2020-02-06, then Syrian Arab Army 2020-02-06/.." in out
    assert "syrian-army" not in out.split("\nEvents\n")[1]
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
    status, _, err = run(capsys, "import", "ucdp", str(GED191_SAMPLE), "-o", str(tmp_path / "x"))
    assert status == 1
    assert "name the file .json or .jsonl" in err
    assert "format=" not in err
    status, _, err = run(
        capsys, "import", "ucdp", str(GED191_SAMPLE), "-o", str(tmp_path / "no" / "x.json")
    )
    assert status == 1
    assert f"the folder {str(tmp_path / 'no')!r} does not exist" in err
    assert ".tmp" not in err
    status, _, err = run(
        capsys, "import", "ucdp", str(ACLED_SAMPLE), "-o", str(tmp_path / "x.json")
    )
    assert status == 1
    assert "not a valid UCDP GED file: missing columns" in err


def test_import_tells_the_source_from_the_header_or_says_why_not(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for sample, named in ((GED191_SAMPLE, "ucdp"), (ACLED_SAMPLE, "acled")):
        told, given = tmp_path / f"told-{named}.jsonl", tmp_path / f"given-{named}.jsonl"
        status, out, _ = run(capsys, "import", str(sample), "-o", str(told), "-q")
        assert status == 0, out
        run(capsys, "import", named, str(sample), "-o", str(given), "-q")
        assert told.read_bytes() == given.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GED191_SAMPLE.read_bytes())))
    status, out, _ = run(capsys, "import", "-", "-o", str(tmp_path / "stdin.jsonl"), "-q")
    assert (status, len(cm.load(tmp_path / "stdin.jsonl").events)) == (0, 37)
    header = ACLED_SAMPLE.read_text().splitlines()[0].split(",")
    for columns, said in (
        (
            [c for c in header if c not in ("actor1", "fatalities")],
            "as ACLED it lacks actor1, fatalities",
        ),
        (["a", "b"], "it names neither UCDP GED's columns nor ACLED's"),
    ):
        bad = tmp_path / "bad.csv"
        bad.write_text(",".join(columns) + "\n")
        status, _, err = run(capsys, "import", str(bad), "-o", str(tmp_path / "bad.jsonl"))
        assert (status, err) == (
            1,
            f"conflictmodel: error: import {str(bad)!r}: cannot tell the file's source from its "
            f"header ({said}); name it: conflictmodel import ucdp|acled FILE -o OUTPUT\n",
        )


def test_summary_is_short_with_names_and_full_lists(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "summary", str(seed))
    assert status == 0
    assert out.startswith("Records: 10 actors")
    assert "  Syrian Arab Army      27 to 29" in out
    assert "Idlib ceasefire (ceasefire, signed 2020-01-12)" in out
    assert len(out.splitlines()) < 30
    status, out, _ = run(capsys, "summary", str(seed), "--full")
    assert out.startswith("<Dataset:")
    assert "saraqeb-capture-2020-02-06" in out
    status, out, _ = run(capsys, "summary", str(seed), "--json")
    data = orjson.loads(out)
    assert data["event_types"]["engagement"] >= 1
    assert data["first_day"] <= data["last_day"]
    assert data["most_killed"][0] == {
        "id": "syrian-army",
        "name": "Syrian Arab Army",
        "killed": None,
        "killed_low": 27,
        "killed_high": 29,
    }


def test_summary_gives_the_range_where_no_best_figure_is_known(
    capsys: Capture, tmp_path: Path
) -> None:
    killed = [cm.Estimate(1200, None, 3400), cm.Estimate(3, 4, None), cm.Estimate.exact(8)]
    path = tmp_path / "ranges.json"
    cm.dump(cm.Dataset(shellings(killed)), path)
    status, out, _ = run(capsys, "summary", str(path))
    assert status == 0
    assert "Killed (best, record or claims): no best figure, 1,211 or more" in out
    assert "  South  1,211 or more" in out
    status, out, _ = run(capsys, "summary", str(path), "--json")
    data = orjson.loads(out)
    assert (data["killed"], data["killed_low"], data["killed_high"]) == (None, 1211, None)


def test_violations_table_filters_and_json(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "violations", str(seed))
    expected = cm.ceasefire_violations(cm.examples.idlib_2020())
    assert status == 0
    assert len(out.strip().splitlines()) == 3 + len(expected)
    assert out.splitlines()[0].endswith("alleged by     denied by")
    assert out.strip().splitlines()[-1] == expected.summary()
    assert "Syrian Arab Army" in out
    assert "Russia, Syria" in out
    status, out, _ = run(capsys, "violations", str(seed), "--according-to", "turkey", "--json")
    rows = orjson.loads(out)
    assert rows[0]["violator_name"] == "Syria"
    assert rows[0]["alleged_by_names"] == ["Turkey"]
    turkish = cm.ceasefire_violations(cm.examples.idlib_2020(), according_to="turkey")
    assert [(r["violator"], r["event"], r["basis"]) for r in rows] == [
        (v.violator, v.event, "; ".join(b.value for b in v.basis)) for v in turkish
    ]
    status, _, err = run(capsys, "violations", str(seed), "--agreement", "nope")
    assert status == 1
    assert "nope" in err


def test_violations_explained_by_name(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "violations", str(seed), "--explain")
    expected = cm.ceasefire_violations(cm.examples.idlib_2020())
    assert status == 0
    assert out.splitlines() == [expected.summary(), *expected.lines()]
    assert "attributing the event to Turkey" in out
    status, out, _ = run(capsys, "violations", str(seed), "--explain", "--period", "2019-06")
    assert (status, out) == (0, "no violations found of 1 agreement\n")


def test_violations_say_what_could_not_be_checked(capsys: Capture, tmp_path: Path) -> None:
    bare = tmp_path / "bare.json"
    cm.dump(cm.Dataset([cm.Actor(id="a", name="A", kind="state")]), bare)
    status, out, _ = run(capsys, "violations", str(bare))
    assert (status, out) == (0, "no ceasefire, truce or de-escalation agreement to check\n")
    shelling = cm.Engagement(
        id="e",
        when="2020-02-04",
        where="saraqeb",
        kind="shelling",
        initiators=[],
        targets=["turkish-army"],
    )
    unjudged = tmp_path / "unjudged.json"
    cm.dump(cm.examples.idlib_2020().with_records([shelling]), unjudged)
    status, out, _ = run(capsys, "violations", str(unjudged))
    assert out.strip().endswith("; 1 engagement in scope could not be assessed")


def test_casualties_table_and_options(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "casualties", str(seed), "--roll-up")
    assert status == 0
    assert [line.split("  ")[0] for line in out.splitlines()[2:]] == [
        "Syria",
        "Syrian civilians",
        "Turkey",
    ]
    assert out.splitlines()[4].endswith("turkey")
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
    assert {row["name"] for row in orjson.loads(out)} >= {"Syrian Arab Army"}
    expected = cm.casualties_by_actor(
        cm.examples.idlib_2020(), according_to="turkey", period="2020-02"
    )
    assert rows == {actor: estimate.best for actor, estimate in expected.items()}
    status, out, _ = run(capsys, "casualties", str(seed), "--within", "Saraqeb")
    assert out.strip() == "no casualty figures found"
    status, _, err = run(capsys, "casualties", str(seed), "--period", "2020-13")
    assert status == 1
    assert "2020-13" in err


def test_a_json_lines_file_read_lazily_answers_alike(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "seed.jsonl"
    cm.dump(cm.examples.idlib_2020(), path)
    _, expected, _ = run(capsys, "casualties", str(path), "--according-to", "Turkey")
    status, out, _ = run(capsys, "casualties", str(path), "--according-to", "Turkey", "--lazy")
    assert status == 0
    assert out == expected
    status, _, err = run(capsys, "casualties", str(tmp_path / "seed.json"), "--lazy")
    assert status == 1
    assert "only a JSON Lines file (.jsonl) is read with --lazy" in err


@pytest.mark.parametrize("target", ["csv", "parquet", "geojson", "tables"])
def test_export_writes_files(capsys: Capture, seed: Path, tmp_path: Path, target: str) -> None:
    output = tmp_path / ("out.geojson" if target == "geojson" else "out")
    status, out, _ = run(capsys, "export", str(seed), "--to", target, "-o", str(output))
    assert status == 0
    written = [Path(line.removeprefix("wrote ")) for line in out.splitlines()]
    assert written
    assert all(path.exists() for path in written)
    if target == "csv":
        events = (output / "events.csv").read_text(encoding="utf-8")
        assert "initiators_names" in events.splitlines()[0]
        assert "Syrian Arab Army" in events
        assert "actor_name" in (output / "casualties.csv").read_text(encoding="utf-8")
    if target == "tables":
        assert cm.load(output) == cm.load(seed)


def test_export_prints_geojson(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "export", str(seed), "--to", "geojson", "-o", "-")
    assert status == 0
    assert out == dumps_geojson(cm.load(seed)).decode("utf-8") + "\n"


def test_plot_draws_pngs(capsys: Capture, seed: Path, tmp_path: Path) -> None:
    for option in (
        ["--place", "Saraqeb"],
        ["--casualties", "--roll-up"],
        ["--violations", "idlib-ceasefire-2020"],
        ["--map"],
    ):
        png = tmp_path / f"{option[0].strip('-')}.png"
        status, out, err = run(capsys, "plot", str(seed), *option, "-o", str(png))
        assert status == 0, err
        assert out.startswith("wrote ")
        assert out.strip().endswith(f" to {png}")
        assert png.read_bytes().startswith(b"\x89PNG")
    status, out, err = run(capsys, "plot", str(seed), "--casualties", "-o", str(tmp_path / "p.txt"))
    assert (status, out) == (1, "")
    assert "'.txt'" in err
    assert err.count("\n") == 1
    status, _, err = run(capsys, "plot", str(seed), "--place", "Atlantis", "-o", str(png))
    assert status == 1
    assert "Atlantis" in err


def test_plot_applies_the_options_its_chart_takes_and_refuses_the_others(
    capsys: Capture, seed: Path, tmp_path: Path
) -> None:
    png = str(tmp_path / "chart.png")
    status, _, err = run(capsys, "plot", str(seed), "--casualties", "--period", "2019", "-o", png)
    assert (status, err) == (1, "conflictmodel: error: no casualty figures to draw\n")
    for option, chart, takes in (
        (["--within", "Idlib"], ["--map"], "--period"),
        (["--period", "2020"], ["--place", "Saraqeb"], "no other option"),
        (
            ["--roll-up"],
            ["--violations", "idlib-ceasefire-2020"],
            "--freq, --according-to, --period, --min-grade",
        ),
        (["--min-grade", "fair"], ["--map"], "--period"),
    ):
        status, out, err = run(capsys, "plot", str(seed), *chart, *option, "-o", png)
        assert (status, out) == (1, "")
        assert err == (
            f"conflictmodel: error: {option[0]} does not apply to {chart[0]}, which takes {takes}\n"
        )


def test_totals_for_a_period_say_that_longer_events_count_in_full_also_beside_json(
    capsys: Capture, seed: Path
) -> None:
    rule = "Every event meeting 2020-02 counts in full, also one that lasts longer"
    for command in ("casualties", "matrix"):
        status, out, _ = run(capsys, command, str(seed), "--period", "2020-02")
        assert status == 0
        assert rule in out
        status, out, _ = run(capsys, command, str(seed))
        assert "counts in full" not in out
        status, out, err = run(capsys, command, str(seed), "--period", "2020-02", "--json")
        assert status == 0
        assert orjson.loads(out)
        assert rule in err
        status, out, err = run(capsys, command, str(seed), "--json")
        assert "counts in full" not in err


def test_an_unknown_name_is_told_by_its_option_with_names_alike(
    capsys: Capture, seed: Path
) -> None:
    status, _, err = run(capsys, "casualties", str(seed), "--according-to", "Turky")
    assert (status, err) == (
        1,
        "conflictmodel: error: --according-to 'Turky': no actor is named 'Turky'; "
        "did you mean 'Turkey'?\n",
    )


def test_nothing_found_with_min_grade_says_ungraded_events_do_not_count(
    capsys: Capture, seed: Path
) -> None:
    graded = " in events graded confirmed or better (an event nobody has graded does not count)\n"
    status, out, _ = run(capsys, "casualties", str(seed), "--min-grade", "confirmed")
    assert (status, out) == (0, "no casualty figures found" + graded)
    status, out, _ = run(capsys, "violations", str(seed), "--min-grade", "confirmed")
    assert (status, out) == (0, "no violations found of 1 agreement" + graded)


def test_as_of_warns_when_the_file_keeps_no_history(capsys: Capture, seed: Path) -> None:
    status, _, err = run(capsys, "summary", str(seed), "--as-of", "2020-02-04")
    assert status == 0
    assert err == (
        f"conflictmodel: warning: {seed} does not say when its records were recorded: "
        "--as-of dates each by what it shows (an event by its sources' publication or its start, "
        "an agreement by its signing, a claim by when it was made) and keeps every actor and "
        "place\n"
    )


def test_a_csv_given_as_a_dataset_points_to_import(capsys: Capture) -> None:
    status, _, err = run(capsys, "summary", "ged.csv")
    assert status == 1
    assert err.endswith(
        "; to read a UCDP or ACLED export, import it first: "
        "conflictmodel import ucdp|acled ged.csv -o ged.jsonl\n"
    )


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
    done = subprocess.run(
        [sys.executable, "-m", "conflictmodel.examples", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: conflictmodel demo")


def test_summary_sums_the_totals_the_source_reports_with_their_range(
    capsys: Capture, ged: tuple[cm.Dataset, Path]
) -> None:
    ds, path = ged
    reported = [e.reported_total for e in ds.events.values() if isinstance(e, cm.Engagement)]
    figure = cm.total([r for r in reported if r is not None])
    assert figure.best is not None
    assert figure.high is not None
    assert figure.low is not None
    assert figure.low < figure.best < figure.high
    _, out, _ = run(capsys, "summary", str(path))
    assert f"Killed, the source's totals of 37 events, as imported: {figure:,}\n" in out
    _, out, _ = run(capsys, "summary", str(path), "--json")
    assert orjson.loads(out)["reported"] == {
        "events": 37,
        "killed": figure.best,
        "killed_low": figure.low,
        "killed_high": figure.high,
    }


def test_totals_show_low_and_high_only_where_a_range_is_stated(
    capsys: Capture, seed: Path, ged: tuple[cm.Dataset, Path]
) -> None:
    _, path = ged
    for command in ("casualties", "matrix"):
        _, out, _ = run(capsys, command, str(path))
        assert out.split("\n")[0].split() == (
            ["actor", "killed", "alleged", "by", "denied", "by", "id"]
            if command == "casualties"
            else ["killed", "by", "victims", "killed", "alleged", "by", "denied", "by"]
        )
        _, out, _ = run(capsys, command, str(seed))
        assert "low  high" in out.split("\n")[0]


def test_events_near_leave_out_and_count_those_placed_only_to_an_area(
    capsys: Capture, ged: tuple[cm.Dataset, Path]
) -> None:
    ds, path = ged
    town = ds.locations[ds.events["ucdp-ged-215936"].where or ""].name
    coarse = [
        e.id for e in ds.events_near(town, 30, coarse=True) if e not in ds.events_near(town, 30)
    ]
    assert "ucdp-ged-313671" in coarse
    status, out, _ = run(capsys, "events", str(path), "--near", town, "--km", "30")
    assert status == 0
    assert "ucdp-ged-215936" in out
    assert "ucdp-ged-313671" not in out
    assert out.endswith(
        f"\n{len(coarse)} more event{'s' if len(coarse) > 1 else ''} placed only to a region, "
        "a country or a wide area, whose point is the area's, are left out.\n"
    )


def test_events_near_within_and_during(capsys: Capture, seed: Path) -> None:
    status, out, _ = run(capsys, "events", str(seed), "--near", "Saraqeb", "--km", "20")
    assert status == 0
    listed = [line.split()[1] for line in out.splitlines()[2:]]
    assert listed == [e.id for e in cm.examples.idlib_2020().events_near("Saraqeb", 20)]
    status, out, _ = run(capsys, "events", str(seed), "--within", "Saraqeb", "--json")
    rows = orjson.loads(out)
    assert {row["id"] for row in rows} == {
        "saraqeb-capture-2020-02-06",
        "highway-capture-2020-02-06",
    }
    assert rows[0]["initiators_names"] == "Syrian Arab Army"
    status, out, _ = run(capsys, "events", str(seed), "--near", "35.86,36.80", "--km", "1")
    assert "saraqeb-capture-2020-02-06" in out
    status, _, err = run(capsys, "events", str(seed), "--near", "Saraqeb")
    assert status == 1
    assert "--km" in err


def test_standard_input_and_output(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "conflictmodel"]
    seed = subprocess.run([*command, "demo", "-o", "-"], capture_output=True, check=True).stdout
    assert cm.loads(seed) == cm.examples.idlib_2020()
    done = subprocess.run(
        [*command, "casualties", "-", "--json"], input=seed, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert orjson.loads(done.stdout)[0]["name"] == "Syrian Arab Army"
    imported = subprocess.run(
        [*command, "import", "ucdp", "-", "-o", "-"],
        input=GED191_SAMPLE.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert len(cm.loads(imported.stdout).events) == 37
    assert imported.stderr.startswith(
        b"standard input (UCDP GED 19.1 layout, 41 columns): 37 rows read"
    )
    png = subprocess.run(
        [*command, "plot", "-", "--casualties", "-o", "-"],
        input=seed,
        capture_output=True,
        check=False,
    )
    assert png.stdout.startswith(b"\x89PNG")


def test_unknown_types_are_refused_with_the_flag_to_keep_them(
    capsys: Capture, tmp_path: Path
) -> None:
    text = cm.dumps(cm.examples.idlib_2020()).replace('"type": "toll"', '"type": "tally"')
    path = tmp_path / "custom.json"
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "validate", str(path))
    assert status == 1
    assert "--lenient" in err
    assert "strict=False" not in err
    status, out, _ = run(capsys, "validate", str(path), "--lenient")
    assert status == 0
    assert "14 events" in out


def test_a_closed_pipe_and_ctrl_c_end_quietly(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    cm.dump(cm.examples.idlib_2020(), seed)
    done = subprocess.run(
        f"{sys.executable} -m conflictmodel summary --full {seed} | head -1",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert done.stdout.startswith(b"<Dataset:")
    assert done.stderr == b""
    script = (
        "import sys, conflictmodel.cli as c\n"
        "def stop(args): raise KeyboardInterrupt\n"
        "c._validate = stop\n"
        f"sys.exit(c.main(['validate', {str(seed)!r}]))"
    )
    stopped = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert stopped.returncode == 130
    assert stopped.stderr.strip() == "conflictmodel: interrupted"


def test_plugins_lists_the_known_types(capsys: Capture) -> None:
    status, out, _ = run(capsys, "plugins", "--json")
    assert status == 0
    assert "engagement" in orjson.loads(out)["record_types"]


def test_periods_read_dates_in_words(capsys: Capture, seed: Path) -> None:
    _, spelled, _ = run(capsys, "violations", str(seed), "--period", "3 February 2020", "--json")
    _, iso, _ = run(capsys, "violations", str(seed), "--period", "2020-02-03", "--json")
    assert orjson.loads(spelled) == orjson.loads(iso)
    assert len(orjson.loads(iso)) == 4


def test_matrix_lists_who_killed_whom_by_name_alike_on_the_engine(
    capsys: Capture, seed: Path
) -> None:
    expected = cm.casualty_matrix(cm.examples.idlib_2020(), according_to="turkey", roll_up=True)
    for engine in ((), ("--engine", "duckdb")):
        status, out, _ = run(
            capsys, "matrix", str(seed), "--according-to", "turkey", "--roll-up", "--json", *engine
        )
        assert status == 0
        rows = orjson.loads(out)
        assert {
            (row["perpetrator"], row["victim"]): (
                row["killed_low"],
                row["killed_best"],
                row["killed_high"],
            )
            for row in rows
        } == {pair: (e.low, e.best, e.high) for pair, e in expected.items()}
        assert rows[0]["perpetrator_names"] == "Turkey"
        assert rows[0]["victim_name"] == "Syria"
    status, out, _ = run(capsys, "matrix", str(seed), "--period", "1999")
    assert (status, out) == (0, "no casualty figures found\n")


def test_matrix_infers_from_the_sides_when_asked(capsys: Capture, tmp_path: Path) -> None:
    dead = [cm.Casualties("north-army", killed=2), cm.Casualties("south-army", killed=3)]
    path = tmp_path / "clash.json"
    cm.dump(world(strike("clash", by=[], on=["north-army", "south-army"], casualties=dead)), path)
    _, plain, _ = run(capsys, "matrix", str(path))
    assert "inferred" not in plain
    assert plain.splitlines()[2].split() == ["unknown", "South", "Army", "3"]
    for engine in ((), ("--engine", "duckdb")):
        status, out, _ = run(capsys, "matrix", str(path), "--infer-from-sides", "--json", *engine)
        assert status == 0
        assert [
            (row["perpetrator"], row["victim"], row["killed_best"], row["inferred_best"])
            for row in orjson.loads(out)
        ] == [("north-army", "south-army", 3, 3), ("south-army", "north-army", 2, 2)]
    _, table, _ = run(capsys, "matrix", str(path), "--infer-from-sides")
    assert table.splitlines()[0].split()[-1] == "inferred"
    assert table.splitlines()[2].split() == ["North", "Army", "South", "Army", "3", "3"]


def test_duckdb_holds_a_dataset_files_tables_in_memory(
    capsys: Capture, seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    status, out, _ = run(capsys, "casualties", str(seed), "--engine", "duckdb", "--json")
    assert status == 0
    totals = cm.casualties_by_actor(cm.examples.idlib_2020())
    assert {row["actor"]: row["killed_best"] for row in orjson.loads(out)} == {
        actor: estimate.best for actor, estimate in totals.items()
    }
    assert list(scratch.iterdir()) == []


def test_duckdb_takes_a_memory_limit_and_threads_and_says_when_it_runs_out(
    capsys: Capture, seed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    tables.write(cm.examples.idlib_2020(), folder)
    lines = tmp_path / "seed.jsonl"
    cm.dump(cm.examples.idlib_2020(), lines)
    plain = run(capsys, "casualties", str(seed), "--json")
    for source in (seed, lines, folder):
        limited = ("--memory-limit", "64MB", "--threads", "1")
        found = run(capsys, "casualties", str(source), "--engine", "duckdb", *limited, "--json")
        assert found == plain
    status, out, err = run(capsys, "matrix", str(seed), "--memory-limit", "64MB")
    assert (status, out) == (1, "")
    assert err == (
        "conflictmodel: error: --memory-limit and --threads set DuckDB's; give --engine duckdb "
        "(Spark takes its memory and cores from spark-submit or its session)\n"
    )
    status, out, err = run(
        capsys, "casualties", str(folder), "--engine", "duckdb", "--memory-limit", "128KB"
    )
    assert (status, out) == (1, "")
    assert err.startswith(
        f"conflictmodel: error: DuckDB ran out of memory running a query on the tables in "
        f"{str(folder)!r} (it may use 125.0 KiB): give it more, or fewer threads "
        "(settings={'memory_limit': '8GB', 'threads': 1} in Python, --memory-limit 8GB "
        "--threads 1 on the command line); DuckDB said: Out of Memory Error: "
    )
    status, out, err = run(
        capsys, "casualties", str(lines), "--lazy", "--engine", "duckdb", "--memory-limit", "4MB"
    )
    assert (status, out) == (1, "")
    assert err.startswith(
        f"conflictmodel: error: DuckDB ran out of memory reading {str(lines)!r} (it may use "
    )


def test_durability_tells_how_the_truce_held_alike_on_the_engine(
    capsys: Capture, tmp_path: Path
) -> None:
    path = tmp_path / "karabakh.json"
    cm.dump(cm.examples.karabakh_2020(), path)
    truce = "moscow-truce-2020-10-10"
    expected = cm.ceasefire_durability(cm.examples.karabakh_2020(), truce)
    for engine in ((), ("--engine", "duckdb")):
        status, out, _ = run(capsys, "durability", str(path), truce, "--json", *engine)
        assert status == 0
        found = orjson.loads(out)
        assert found["days_held"] == expected.days_held
        assert found["rate"] == expected.rate
        assert sum(found["per_week"].values()) == sum(expected.per_week.values())
        assert expected.first_violation is not None
        assert found["first_violation"] == expected.first_violation.event
        assert found["first_possible"] == "front-clashes-2020-10-10"
        assert found["attributed"] == 5
        assert found["undetermined"] == 2
    status, out, _ = run(capsys, "durability", str(path), truce)
    assert (
        out.splitlines()[0]
        == "Moscow humanitarian truce: in force from 2020-10-10, until 2020-10-17"
    )
    assert "held: 4 days\n" in out
    assert "possibly broken before: 2020-10-10 by undetermined: Armenian and Artsakh" in out
    assert "shares of the 5 of 7 violations with a known or alleged violator (2 undetermined" in out
    status, _, err = run(capsys, "durability", str(path), "no-such-truce")
    assert status == 1
    assert "no-such-truce" in err
    assert err.count("\n") == 1


def test_as_of_answers_with_what_was_known_then(capsys: Capture, tmp_path: Path) -> None:
    from tests.test_vintages import _edited

    from conflictmodel import tables

    path = tmp_path / "edited.json"
    cm.dump(_edited(), path)
    for engine in ((), ("--engine", "duckdb")):
        status, out, _ = run(
            capsys, "casualties", str(path), "--as-of", "2020-02-09", "--json", *engine
        )
        assert (status, orjson.loads(out)) == (0, [])
        status, out, _ = run(
            capsys, "casualties", str(path), "--as-of", "2020-02-10", "--json", *engine
        )
        assert [(row["actor"], row["killed_best"]) for row in orjson.loads(out)] == [("turkey", 8)]
    status, out, _ = run(capsys, "events", str(path), "--as-of", "2020-02-03", "--json")
    assert (status, orjson.loads(out)) == (0, [])
    folder = tmp_path / "tables"
    tables.write(_edited(), folder)
    for engine in ((), ("--engine", "duckdb"), ("--engine", "spark")):
        for day, found in (("2020-02-09", []), ("2020-02-10", [("turkey", 8)])):
            status, out, _ = run(
                capsys, "casualties", str(folder), *engine, "--as-of", day, "--json"
            )
            assert status == 0
            assert [(row["actor"], row["killed_best"]) for row in orjson.loads(out)] == found
    status, _, err = run(capsys, "casualties", str(path), "--as-of", "last spring")
    assert status == 1
    assert "last spring" in err
    assert err.count("\n") == 1


def test_a_folder_of_tables_is_a_dataset_for_every_command(capsys: Capture, tmp_path: Path) -> None:
    from conflictmodel import tables

    path = tmp_path / "seed.json"
    cm.dump(cm.examples.idlib_2020(), path)
    folder = tmp_path / "tables"
    tables.write(cm.load(path), folder)
    for command in (["casualties", "--roll-up"], ["violations"], ["summary"], ["events"]):
        from_folder = run(capsys, command[0], str(folder), *command[1:])
        assert from_folder == run(capsys, command[0], str(path), *command[1:])
        assert from_folder[0] == 0


def test_spark_without_pyspark_names_the_extra_in_one_line(
    capsys: Capture, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    status, out, err = run(capsys, "casualties", str(seed), "--engine", "spark")
    assert (status, out) == (1, "")
    assert err == (
        "conflictmodel: error: the Spark engine needs pyspark: pip install 'conflictmodel[spark]'\n"
    )


def test_best_names_the_rule_for_claims_that_disagree(capsys: Capture, tmp_path: Path) -> None:
    """The airstrike's dead: Syria says 15, Russia "dozens", the record nothing. Without a
    rule the total is the range with no best; --best takes one of the known bests (15: "dozens"
    gives none), in casualties, matrix and the chart alike."""
    dozens = cm.Claim(
        id="russia-dozens",
        claimant="russia",
        statement=cm.CasualtyFigure("turkish-airstrike-2020-02-06", "syrian-civilians", "dozens"),
    )
    path = tmp_path / "dozens.json"
    cm.dump(cm.examples.idlib_2020().with_records([dozens]), path)

    def civilians(*options: str) -> list[object]:
        status, out, _ = run(capsys, "casualties", str(path), "--json", *options)
        assert status == 0
        rows = orjson.loads(out)
        return [
            (r["killed_low"], r["killed_best"], r["killed_high"])
            for r in rows
            if r["actor"] == "syrian-civilians"
        ]

    assert civilians() == [(12, None, 99)]
    assert civilians("--best", "lowest") == [(12, 15, 99)]
    status, out, _ = run(capsys, "matrix", str(path), "--json", "--best", "highest")
    assert status == 0
    assert [
        (r["victim"], r["killed_best"])
        for r in orjson.loads(out)
        if r["victim"] == "syrian-civilians"
    ] == [("syrian-civilians", 15)]
    status, _, err = run(capsys, "casualties", str(path), "--best", "mean")
    assert status == 2
    assert "--best: invalid choice: 'mean'" in err
    png = str(tmp_path / "best.png")
    status, out, _ = run(capsys, "plot", str(path), "--casualties", "--best", "median", "-o", png)
    assert (status, out) == (0, f"wrote killed per month by actor to {png}\n")


def test_an_agreement_is_named_as_the_command_was_given_it(
    capsys: Capture, seed: Path, tmp_path: Path
) -> None:
    unknown = ": no agreement has this id (known: 'idlib-ceasefire-2020')\n"
    status, _, err = run(capsys, "durability", str(seed), "nope")
    assert (status, err) == (1, f"conflictmodel: error: agreement 'nope'{unknown}")
    png = str(tmp_path / "v.png")
    status, _, err = run(capsys, "plot", str(seed), "--violations", "nope", "-o", png)
    assert (status, err) == (1, f"conflictmodel: error: --violations 'nope'{unknown}")
    status, _, err = run(capsys, "violations", str(seed), "--agreement", "nope")
    assert (status, err) == (1, f"conflictmodel: error: --agreement 'nope'{unknown}")


def test_a_misspelt_option_shows_its_commands_usage(capsys: Capture, seed: Path) -> None:
    status, out, err = run(capsys, "casualties", str(seed), "--perod", "2016")
    assert (status, out) == (2, "")
    assert err.startswith("usage: conflictmodel casualties [-h]")
    assert err.endswith("conflictmodel casualties: error: unrecognized arguments: --perod 2016\n")
    status, _, err = run(capsys, "validate", str(seed), "extra.json")
    assert status == 2
    assert err.startswith("usage: conflictmodel validate [-h]")
    assert err.endswith("conflictmodel validate: error: unrecognized arguments: extra.json\n")
    status, out, _ = run(capsys, "casualties", str(seed), "--period", "2020", "--json")
    assert status == 0
    assert orjson.loads(out)


def test_the_file_help_names_a_folder_of_tables(capsys: Capture) -> None:
    status, out, _ = run(capsys, "casualties", "--help")
    assert status == 0
    help_text = " ".join(out.split())
    assert (
        "file a dataset as .json or .jsonl (- reads stdin), or a folder of tables written by "
        "conflictmodel export --to tables or conflictmodel.tables.write" in help_text
    )
