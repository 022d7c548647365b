"""Files from strangers: every bad document raises a ConflictModelError listing its problems."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.examples import share

import conflictmodel as cm
from conflictmodel._problems import repeated_keys

SEED = orjson.loads(cm.dumps(cm.examples.idlib_2020()))
Document = dict[str, Any]


def _seed() -> Document:
    document: Document = orjson.loads(orjson.dumps(SEED))
    return document


def _event(document: Document, event_id: str) -> dict[str, Any]:
    event: dict[str, Any] = next(e for e in document["events"] if e["id"] == event_id)
    return event


def _index(document: Document, collection: str, record_id: str) -> int:
    return next(i for i, r in enumerate(document[collection]) if r["id"] == record_id)


def _edit(change: Callable[[Document], object]) -> bytes:
    document = _seed()
    change(document)
    return orjson.dumps(document)


ATTACK = "attack-2020-02-03"
A = _index(SEED, "events", ATTACK)


def _set(path: list[str | int], value: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _delete(path: list[str | int]) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


def _duplicate_attack(document: Document) -> None:
    document["events"].append(dict(_event(document, ATTACK)))


def _cycle(document: Document) -> None:
    document["actors"][_index(document, "actors", "syria")]["part_of"] = "syrian-army"


def _deep_payload(document: Document) -> None:
    _event(document, ATTACK)["deep"] = "DEEP"
    _event(document, ATTACK)["type"] = "acme.deep"


DEEP = _edit(_deep_payload).replace(b'"DEEP"', b"[" * 300 + b"1" + b"]" * 300)

E = f"events[{A}]"

# (name, document bytes, path of a problem, words of its message)
CORPUS: list[tuple[str, bytes, str, str]] = [
    ("not json", b"{", "$", "not valid JSON"),
    ("empty", b"", "$", "not valid JSON"),
    ("nan", b'{"format": "conflictmodel", "version": 1, "x": NaN}', "$", "not valid JSON"),
    ("infinity", b'{"format": "conflictmodel", "version": 1e400}', "$", "not valid JSON"),
    ("invalid utf-8", b'{"format": "conflictmodel\xff", "version": 1}', "$", "UTF-8"),
    ("lone surrogate", b'{"format": "\\ud800", "version": 1}', "$", "surrogate"),
    ("deep", b"[" * 5000 + b"]" * 5000, "$", "not valid JSON"),
    ("list", b"[]", "$", "expected a JSON object"),
    ("no format", b'{"version": 1}', "$", "not a conflictmodel document"),
    ("newer", b'{"format": "conflictmodel", "version": 7}', "$", "upgrade conflictmodel"),
    ("version text", b'{"format": "conflictmodel", "version": "1"}', "$", "'version' must"),
    ("version bool", b'{"format": "conflictmodel", "version": true}', "$", "'version' must"),
    ("extra top", _edit(_set(["people"], [])), "$", "unexpected fields 'people'"),
    ("collection", _edit(_set(["events"], {})), "events", "expected a list"),
    ("record", _edit(_set(["events", A], "attack")), E, "expected a record object"),
    ("no type", _edit(_delete(["events", A, "type"])), f"{E}.type", "tag is missing"),
    ("type int", _edit(_set(["events", A, "type"], 3)), f"{E}.type", "not text"),
    ("unknown", _edit(_set(["events", A, "type"], "riot")), f"{E}.type", "unknown event"),
    (
        "python path",
        _edit(_set(["events", A, "type"], "os.system")),
        f"{E}.type",
        "@conflictmodel.event_type('os.system')",
    ),
    ("wrong kind", _edit(_set(["events", A, "type"], "actor")), f"{E}.type", "not a Event"),
    ("actor tag", _edit(_set(["actors", 0, "type"], "event")), "actors[0].type", "not a Actor"),
    ("missing", _edit(_delete(["events", A, "when"])), f"{E}.when", "required field"),
    ("extra", _edit(_set(["events", A, "deaths"], 8)), E, "unexpected field 'deaths'"),
    ("id int", _edit(_set(["events", A, "id"], 8)), f"{E}.id", "expected text, got int"),
    ("span", _edit(_set(["events", A, "when"], "2020-13-01")), f"{E}.when", "month must be"),
    ("span int", _edit(_set(["events", A, "when"], 2020)), f"{E}.when", "expected a time span"),
    ("enum", _edit(_set(["events", A, "kind"], "raidd")), f"{E}.kind", "valid EngagementKind"),
    ("enum int", _edit(_set(["events", A, "kind"], 1)), f"{E}.kind", "valid EngagementKind"),
    (
        "negative",
        _edit(_set(["events", A, "casualties", 0, "killed", "low"], -1)),
        f"{E}.casualties[0].killed.low",
        "must not be negative",
    ),
    (
        "float count",
        _edit(_set(["events", A, "casualties", 0, "killed", "best"], 8.5)),
        f"{E}.casualties[0].killed.best",
        "expected a whole number",
    ),
    (
        "huge count",
        _edit(_set(["events", A, "casualties", 0, "killed", "best"], 987654321)).replace(
            b"987654321", b"1" + b"0" * 30
        ),
        f"{E}.casualties[0].killed.best",
        "expected a whole number",
    ),
    (
        "bool count",
        _edit(_set(["events", A, "casualties", 0, "killed", "high"], True)),
        f"{E}.casualties[0].killed.high",
        "expected a whole number",
    ),
    (
        "best below low",
        _edit(_set(["events", A, "casualties", 0, "killed", "best"], 1)),
        f"{E}.casualties[0].killed.best",
        "below low",
    ),
    (
        "estimate as list",
        _edit(_set(["events", A, "casualties", 0, "killed"], [8, 8, 8])),
        f"{E}.casualties[0].killed",
        "expected a Estimate object",
    ),
    ("string as list", _edit(_set(["events", A, "targets"], "hts")), f"{E}.targets", "a list"),
    (
        "item type",
        _edit(_set(["events", A, "targets"], ["hts", None])),
        f"{E}.targets[1]",
        "expected text",
    ),
    ("repeated", _edit(_set(["events", A, "targets"], ["hts", "hts"])), f"{E}.targets", "repeats"),
    ("latitude", _edit(_set(["locations", 0, "point", "lat"], 91)), "locations[0].point.lat", "91"),
    ("latitude bool", _edit(_set(["locations", 0, "point", "lat"], False)), "locations[0]", "bool"),
    ("country", _edit(_set(["actors", 0, "country"], "XXX")), "actors[0].country", "ISO 3166"),
    (
        "mapping",
        _edit(_set(["actors", 0, "external_ids"], {"a": 1})),
        "actors[0].external_ids.a",
        "text",
    ),
    (
        "mapping list",
        _edit(_set(["actors", 0, "external_ids"], [])),
        "actors[0].external_ids",
        "object",
    ),
    ("duplicate id", _edit(_duplicate_attack), "events[", "duplicate id"),
    ("dangling", _edit(_set(["events", A, "where"], "atlantis")), f"{E}.where", "no location"),
    ("cycle", _edit(_cycle), "actors[", "forms a cycle"),
    (
        "unknown statement",
        _edit(_set(["claims", 0, "statement", "type"], "rumour")),
        "claims[0].statement.type",
        "unknown statement type 'rumour'",
    ),
    (
        "statement extra",
        _edit(_set(["claims", 0, "statement", "note"], "x")),
        "claims[0].statement",
        "unexpected field 'note'",
    ),
    ("deep payload", DEEP, f"{E}.type", "unknown event type"),
]


@pytest.mark.parametrize(
    ("document", "path", "words"), [case[1:] for case in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_corpus_is_refused_with_the_path_and_the_reason(
    document: bytes, path: str, words: str
) -> None:
    with pytest.raises(cm.LoadError) as raised:
        cm.loads(document)
    problems = raised.value.problems
    assert any(p.path.startswith(path) and words in p.message for p in problems), problems
    assert words in str(raised.value)


def test_a_deep_payload_kept_opaque_is_refused_not_a_crash_on_dump() -> None:
    with pytest.raises(cm.LoadError, match="cannot keep the fields"):
        cm.loads(DEEP, strict=False)


def test_every_problem_is_listed_not_only_the_first() -> None:
    def change(document: Document) -> None:
        _event(document, ATTACK)["when"] = "soon"
        _event(document, ATTACK)["casualties"][0]["killed"]["low"] = -3
        document["actors"][0]["name"] = 7

    with pytest.raises(cm.LoadError) as raised:
        cm.loads(_edit(change))
    paths = {problem.path for problem in raised.value.problems}
    assert {f"{E}.when", f"{E}.casualties[0].killed.low", "actors[0].name"} <= paths


def test_a_python_path_as_a_type_is_never_imported(tmp_path: Path) -> None:
    (tmp_path / "planted_module_xyz.py").write_text("raise SystemExit('imported!')\n")
    sys.path.insert(0, str(tmp_path))
    try:
        for tag in ("planted_module_xyz", "planted_module_xyz.Evil", "planted_module_xyz:Evil"):
            for strict in (True, False):
                document = _edit(_set(["claims", 0, "statement", "type"], tag))
                with pytest.raises(cm.LoadError):
                    cm.loads(document, strict=strict) if strict else cm.loads(document)
                document = _edit(_set(["actors", 0, "type"], tag))
                with pytest.raises(cm.LoadError):
                    cm.loads(document, strict=strict)
    finally:
        sys.path.remove(str(tmp_path))
    assert "planted_module_xyz" not in sys.modules


def test_size_limit() -> None:
    text = cm.dumps(cm.examples.idlib_2020())
    with pytest.raises(cm.LoadError, match="larger than 100 bytes"):
        cm.loads(text, max_bytes=100)
    with pytest.raises(cm.LoadError, match="expected JSON text or bytes"):
        cm.loads(12)  # type: ignore[arg-type]


def test_jsonl_problems_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    cm.dump(cm.examples.idlib_2020(), path)
    lines = path.read_bytes().splitlines()
    lines[3] = b"{not json"
    record = orjson.loads(lines[5])
    record["id"] = 5
    lines[5] = orjson.dumps(record)
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(cm.LoadError) as raised:
        cm.load(path)
    paths = [problem.path for problem in raised.value.problems]
    assert paths == ["line 4", "line 6.id"]
    with pytest.raises(cm.LoadError) as first:
        list(cm.iter_records(path))
    assert [problem.path for problem in first.value.problems] == ["line 4"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b'{"type": "actor"}\n', "not a conflictmodel document"),
        (b"[1]\n", "expected a JSON object"),
        (b'{"format": "conflictmodel", "version": 1, "x": 1}\n', "unexpected header fields"),
        (b'{"format": "conflictmodel", "version": 1}\n' + b'"' + b"a" * 200 + b'"\n', "longer"),
        (b'{"format": "conflictmodel", "version": 1}\n[]\n', "expected a record object"),
    ],
)
def test_bad_jsonl_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(cm.LoadError, match=words):
        cm.load(path, max_bytes=100)


def test_large_json_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    cm.dump(cm.examples.idlib_2020(), path)
    with pytest.raises(cm.LoadError, match="larger than"):
        cm.load(path, max_bytes=1000)


# Fuzzing -----------------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2020-02-06", "syria", "hts", "engagement", "attack", "..", "2019/.."]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _locations(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_locations(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_locations(item, (*path, index)))
    return found


LOCATIONS = _locations(SEED)[1:]


@st.composite
def mutated(draw: st.DrawFn) -> Document:
    document = _seed()
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(LOCATIONS))
        parent: Any = document
        try:
            for step in path[:-1]:
                parent = parent[step]
            operation = draw(st.sampled_from(["replace", "delete", "add", "copy"]))
            last = path[-1]
            if isinstance(parent, dict) != isinstance(last, str):
                continue
            if operation == "replace":
                parent[last] = draw(JSON)
            elif operation == "delete":
                del parent[last]
            elif operation == "add" and isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = draw(JSON)
            elif operation == "add" and isinstance(parent, list):
                parent.append(draw(JSON))
            elif isinstance(parent, list) and isinstance(last, int):
                parent.append(parent[last])
        except (KeyError, IndexError, TypeError):
            continue
    return document


def _check(data: bytes | str, strict: bool = True) -> None:
    try:
        ds = cm.loads(data, strict=strict)
    except cm.ConflictModelError:
        return
    text = cm.dumps(ds)
    assert cm.loads(text, strict=strict) == ds


@share(10)
@given(mutated(), st.booleans())
def test_mutated_documents_raise_only_conflictmodel_errors(
    document: Document, strict: bool
) -> None:
    _check(orjson.dumps(document), strict)


SEED_BYTES = orjson.dumps(SEED)


@share(5)
@given(st.data())
def test_damaged_bytes_raise_only_conflictmodel_errors(data: st.DataObject) -> None:
    damaged = bytearray(SEED_BYTES)
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    _check(bytes(damaged[:cut]))


@pytest.mark.parametrize("best", [2**63, 2**64 - 1])
def test_a_count_past_the_signed_64_bit_range_is_refused_at_its_path(best: int) -> None:
    document = orjson.loads(cm.dumps(cm.examples.idlib_2020()))
    event = next(e for e in document["events"] if e.get("casualties"))
    event["casualties"][0]["killed"] = {"low": 0, "best": best, "high": None}
    with pytest.raises(cm.LoadError) as raised:
        cm.loads(orjson.dumps(document))
    (problem,) = raised.value.problems
    assert problem.path.endswith("casualties[0].killed.best")
    assert "must be at most 2**63 - 1" in problem.message


def _broken_events(count: int) -> bytes:
    events = [
        {"type": "engagement", "id": f"e{n}", "when": "2020-13", "kind": "attack"}
        for n in range(count)
    ]
    return orjson.dumps({"format": "conflictmodel", "version": 1, "events": events})


def test_problems_past_the_first_thousand_are_counted_not_kept() -> None:
    with pytest.raises(cm.LoadError) as raised:
        cm.loads(_broken_events(1500))
    error = raised.value
    assert len(error.problems) == 1000
    assert error.uncollected == 3 * 1500 - 1000
    assert str(error).startswith("4500 problems in the document:\n  - events[0]")
    assert str(error).endswith("\n  ... and 4475 more")


def test_the_garbage_collector_runs_while_problems_pile_up() -> None:
    collections: list[str] = []

    def note(phase: str, info: dict[str, int]) -> None:
        collections.append(phase)

    assert gc.isenabled()
    gc.callbacks.append(note)
    try:
        with pytest.raises(cm.LoadError):
            cm.loads(_broken_events(3000))
    finally:
        gc.callbacks.remove(note)
    assert "start" in collections
    assert gc.isenabled()


def _with_repeated_kind(escape: str = "") -> str:
    text = cm.dumps(cm.examples.idlib_2020())
    attack = '"kind": "attack",'
    assert attack in text
    return text.replace(attack, f'{attack} "kind": "interception", "description": "{escape}",', 1)


@pytest.mark.parametrize("escape", ["", "\\u003a", "\\\\u003a", ":"])
def test_a_repeated_key_is_refused_at_its_path(escape: str) -> None:
    with pytest.raises(cm.LoadError) as raised:
        cm.loads(_with_repeated_kind(escape))
    paths = [(p.path, p.message) for p in raised.value.problems]
    assert ("events[0].kind", "the key appears more than once in this object") in paths


def test_a_repeated_key_in_json_lines_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "seed.jsonl"
    cm.dump(cm.examples.idlib_2020(), path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if '"id":"syria"' in line)
    lines[number] = lines[number].replace('"id":"syria"', '"id":"syria","id":"iraq"')
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(cm.LoadError, match=rf"line {number + 1}\.id: the key appears more than"):
        cm.load(path)


@pytest.mark.parametrize(
    "text",
    ['{"a": "x:y", "b": "\\u003a"}', '{"a": "\\\\u003a", "b": [{"c": ":"}]}', "[]", "{}"],
)
def test_no_repeated_key_is_found_where_there_is_none(text: str) -> None:
    assert repeated_keys(text, orjson.loads(text)) == []


@pytest.mark.parametrize("name", ["ged.csv", "ACLED.CSV"])
def test_loading_a_csv_export_points_to_its_importers(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("id,best\n1,2\n", encoding="utf-8")
    expected = (
        f"{str(path)!r} is a CSV file, not a dataset (.json or .jsonl): to read a UCDP GED or "
        "ACLED export, use conflictmodel.io.ucdp.read_ged or conflictmodel.io.acled.read_acled, "
        f"or import it first: conflictmodel import ucdp|acled {path} -o "
        f"{path.with_suffix('.jsonl')}"
    )
    with pytest.raises(cm.ValidationError) as raised:
        cm.load(path)
    assert str(raised.value) == expected
    with pytest.raises(cm.ValidationError) as raised:
        list(cm.iter_records(path))
    assert str(raised.value) == expected
    # Written, a .csv is no dataset either, and no importer helps: the message says the names.
    with pytest.raises(cm.ValidationError, match=r"use \.json or \.jsonl, or pass format="):
        cm.dump(cm.examples.idlib_2020(), path)
