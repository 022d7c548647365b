"""The ``match`` and ``merge`` commands: two datasets (or UCDP/ACLED CSV files) as one."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.io.acled import read_acled
from conflictmodel.io.json import dump, load
from conflictmodel.io.ucdp import read_ged
from conflictmodel.linkage.matching import AGGREGATES
from conflictmodel.linkage.merge import merge, taken_by

Command = Callable[..., argparse.ArgumentParser]

_LARGE = 5000
"""Inputs with more events than this get a progress bar (on a terminal)."""


def _read(path: Path) -> tuple[str, Dataset]:
    """A key and the dataset of a .json/.jsonl file or of a UCDP GED or ACLED CSV file."""
    if path.suffix.casefold() != ".csv":
        return path.stem, load(path)
    with open(path, newline="", encoding="utf-8") as file:
        header = next(csv.reader(file), [])
    if "event_id_cnty" in header:
        return "acled", read_acled(path).dataset
    if "type_of_violence" in header:
        return "ucdp", read_ged(path).dataset
    raise ValidationError(f"{path}: neither a UCDP GED nor an ACLED CSV file (header not known)")


def _inputs(args: argparse.Namespace, steps: int) -> tuple[dict[str, Dataset], tqdm[None]]:
    read = [_read(path) for path in (args.a, args.b)]
    if args.keys:
        names = list(args.keys)
    else:
        names = [key for key, _ in read]
        if names[0] == names[1]:
            names = [f"{names[0]}-1", f"{names[1]}-2"]
        names = _free(names, [ds for _, ds in read])
    sources = dict(zip(names, (ds for _, ds in read), strict=True))
    large = sum(len(ds.events) for ds in sources.values()) > _LARGE
    bar: tqdm[None] = tqdm(  # type: ignore[assignment]
        total=steps, desc="matching", disable=not (large and sys.stderr.isatty()), file=sys.stderr
    )
    return sources, bar


def _free(names: list[str], datasets: list[Dataset]) -> list[str]:
    """The keys named after the files, each numbered on (``syria-2``) while an id
    :func:`~conflictmodel.linkage.merge` would give it is taken in the inputs (an actor
    ``syria`` in the other file)."""
    inputs = {f"input {number}": ds for number, ds in enumerate(datasets, 1)}
    free: list[str] = []
    for name in names:
        key, number = name, 1
        while taken_by(key, inputs) or key in free:
            number += 1
            key = f"{name}-{number}"
        free.append(key)
    return free


def _matched(args: argparse.Namespace, steps: int) -> tuple[dict[str, Dataset], Any, Any]:
    """The two inputs, their matches and the progress bar (its first step done)."""
    from conflictmodel.linkage.matching import match

    sources, bar = _inputs(args, steps)
    a, b = sources.values()
    found = match(a, b, days=args.days, km=args.km, aggregate=args.aggregate)
    bar.update(1)
    return sources, found, bar


def _match(args: argparse.Namespace) -> int:
    _, found, bar = _matched(args, 1)
    bar.close()
    found.to_csv(args.output)
    print(
        f"{len(found.pairs)} pairs, {len(found.unmatched_a)} and {len(found.unmatched_b)} "
        f"unmatched: {args.output}"
    )
    return 0


def _merge(args: argparse.Namespace) -> int:
    sources, found, bar = _matched(args, 2)
    bar.set_description("merging")
    merged = merge(sources, found)
    bar.update(1)
    bar.close()
    dump(merged, args.output)
    print(f"{merged!r}: {args.output}")
    return 0


def register(command: Command) -> None:
    """Add ``match`` and ``merge`` to the command line, through its ``command`` helper."""
    for name, run, text, output in (
        ("match", _match, "match the events of two datasets", "the CSV of pairs to write"),
        ("merge", _merge, "match two datasets and merge them", "the .json/.jsonl to write"),
    ):
        sub = command(name, run, text, json=False)
        sub.add_argument("a", type=Path, help="a dataset (.json/.jsonl) or UCDP/ACLED CSV")
        sub.add_argument("b", type=Path, help="the other one")
        sub.add_argument("-o", "--output", type=Path, required=True, help=output)
        sub.add_argument("--days", type=int, help="base time window (default 2)")
        sub.add_argument("--km", type=float, help="base distance window (default 10)")
        sub.add_argument("--keys", nargs=2, help="the two sources' keys (claimant ids)")
        sub.add_argument(
            "--aggregate",
            choices=AGGREGATES,
            help="let each event of a (or b) take several of the other; flagged: only the "
            "events flagged as aggregates of several incidents (UCDP's lower clarity)",
        )
