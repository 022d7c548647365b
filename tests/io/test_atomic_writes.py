"""Every file the library writes is replaced whole or not at all, and killed writes are cleaned."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import conflictmodel as cm
from conflictmodel.io import _atomic
from conflictmodel.io.csv_export import to_csv
from conflictmodel.io.frames import to_parquet
from conflictmodel.io.geojson import write_geojson

SEED = cm.examples.idlib_2020()

Writer = Callable[[Path], Path]


def _dump(name: str) -> Writer:
    def write(folder: Path) -> Path:
        cm.dump(SEED, folder / name)
        return folder / name

    return write


WRITERS: dict[str, Writer] = {
    "dump": _dump("seed.json"),
    "dump-jsonl": _dump("seed.jsonl"),
    "csv": lambda folder: to_csv(SEED, folder, kinds=["events"])[0],
    "geojson": lambda folder: write_geojson(SEED, folder / "seed.geojson"),
    "parquet": lambda folder: to_parquet(SEED, folder, kinds=["events"])[0],
}


def test_the_module_examples_run() -> None:
    results = doctest.testmod(_atomic, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert results.failed == 0


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    writer: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = writer(tmp_path)
    target.write_bytes(b"the old file")

    def failing_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        writer(tmp_path)
    assert target.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.skipif(os.name != "posix", reason="stale files are cleaned on POSIX only")
@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_the_next_write_removes_what_a_killed_write_left(writer: Writer, tmp_path: Path) -> None:
    target = writer(tmp_path)
    killed = tmp_path / f".{target.name}.{_dead_pid()}.0a1b2c3d.tmp"
    running = tmp_path / f".{target.name}.{os.getpid()}.0a1b2c3d.tmp"
    other = tmp_path / f".other{target.suffix}.{_dead_pid()}.0a1b2c3d.tmp"
    for path in (killed, running, other):
        path.write_bytes(b"half a fi")
    assert writer(tmp_path) == target
    assert not killed.exists()
    assert running.exists()
    assert other.exists()


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_a_dump_killed_part_way_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "big.jsonl"
    cm.dump(SEED, target)
    before = target.read_bytes()
    script = (
        "import conflictmodel as cm, os, signal\n"
        "from conflictmodel.io import _atomic\n"
        "def die(descriptor): os.kill(os.getpid(), signal.SIGKILL)\n"
        "_atomic.os.fsync = die\n"
        f"cm.dump(cm.examples.idlib_2020(), {str(target)!r})\n"
    )
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == -9
    assert target.read_bytes() == before
    assert len(list(tmp_path.iterdir())) == 2
    cm.dump(SEED, target)
    assert [p.name for p in tmp_path.iterdir()] == ["big.jsonl"]


@pytest.mark.parametrize(
    "write",
    [
        lambda path: cm.dump(SEED, path / "seed.json"),
        lambda path: write_geojson(SEED, path / "seed.geojson"),
    ],
)
def test_a_missing_folder_is_named_not_the_temporary_file(
    write: Callable[[Path], object], tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(cm.OutputError, match=f"the folder {str(missing)!r} does not exist") as e:
        write(missing)
    assert ".tmp" not in str(e.value)


def test_a_file_in_the_way_of_an_export_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(cm.OutputError, match="cannot make the folder"):
        to_csv(SEED, tmp_path / "file" / "out")
