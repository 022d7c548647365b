"""Registering event and statement types, and loading plug-ins from entry points."""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import orjson
import pytest
from cattrs.errors import ClassValidationError

import conflictmodel as cm
from conflictmodel import registry
from conflictmodel._problems import problems_of


@attrs.frozen(kw_only=True)
class Sighting(cm.Event):
    witnesses: int = 0


@attrs.frozen(kw_only=True)
class Proposal(cm.Statement):
    agreement: str = attrs.field(metadata=cm.refers_to("agreements"))


@attrs.frozen(kw_only=True)
class Typed(cm.Event):
    type: str = "x"


class NotAttrs(cm.Event):
    pass


@attrs.frozen(kw_only=True)
class Stranger:
    id: str


@pytest.fixture
def tags() -> Iterator[list[str]]:
    registered: list[str] = []
    yield registered
    for tag in registered:
        registry.unregister(tag)


def test_registered_types_are_found_by_tag_and_tag_by_class(tags: list[str]) -> None:
    cm.event_type("test.sighting")(Sighting)
    cm.statement_type("test.proposal")(Proposal)
    tags.extend(["test.sighting", "test.proposal"])
    assert registry.record_class("test.sighting") is Sighting
    assert registry.statement_class("test.proposal") is Proposal
    assert registry.tag_of(Sighting) == "test.sighting"
    assert cm.event_type("test.sighting")(Sighting) is Sighting


@pytest.mark.parametrize(
    ("decorator", "tag", "cls", "words"),
    [
        (cm.event_type, "engagement", Sighting, "taken by conflictmodel.events.Engagement"),
        (cm.event_type, "Bad Tag", Sighting, "lower-case text"),
        (cm.event_type, "", Sighting, "lower-case text"),
        (cm.event_type, "test.stranger", Stranger, "attrs subclass of Event"),
        (cm.event_type, "test.not_attrs", NotAttrs, "attrs subclass of Event"),
        (cm.event_type, "test.proposal", Proposal, "attrs subclass of Event"),
        (cm.statement_type, "test.sighting", Sighting, "attrs subclass of Statement"),
        (cm.event_type, "test.event", cm.Event, "built in"),
        (cm.event_type, "test.toll", cm.Toll, "already registered as 'toll'"),
        (cm.event_type, "test.typed", Typed, "may not be called 'type'"),
        (cm.event_type, "test.function", len, "attrs subclass of Event"),
    ],
)
def test_bad_registrations_are_refused(decorator: object, tag: str, cls: type, words: str) -> None:
    assert callable(decorator)
    with pytest.raises(cm.RegistrationError, match=words.replace(".", r"\.")):
        decorator(tag)(cls)


def test_a_tag_is_taken_once(tags: list[str]) -> None:
    cm.event_type("test.sighting")(Sighting)
    tags.append("test.sighting")

    @attrs.frozen(kw_only=True)
    class Other(cm.Event):
        pass

    with pytest.raises(cm.RegistrationError, match="taken by tests") as raised:
        cm.event_type("test.sighting")(Other)
    assert "call conflictmodel.registry.unregister('test.sighting') first" in str(raised.value)
    with pytest.raises(cm.RegistrationError, match="already registered"):
        cm.event_type("test.sighting_two")(Sighting)
    registry.unregister("test.sighting")
    assert cm.event_type("test.sighting")(Other) is Other
    assert registry.record_class("test.sighting") is Other


def test_built_ins_cannot_be_unregistered() -> None:
    with pytest.raises(cm.RegistrationError, match="built-in"):
        registry.unregister("engagement")
    with pytest.raises(cm.RegistrationError, match="no type is registered"):
        registry.unregister("test.never")


def test_unresolvable_annotations_are_refused_at_registration() -> None:
    @attrs.frozen(kw_only=True)
    class Local(cm.Event):
        crowd: LocalCount  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(cm.RegistrationError, match="cannot resolve its field types"):
        cm.event_type("test.local")(Local)


def test_types_registered_after_the_converter_was_used_still_load(tags: list[str]) -> None:
    record = {"type": "test.sighting", "id": "s", "when": "2020-02-06", "witnesses": 3}
    with pytest.raises(ClassValidationError) as raised:
        cm.io.json.converter.structure(record, cm.Event)
    assert "unknown event type" in str(next(problems_of(raised.value, "")))
    cm.event_type("test.sighting")(Sighting)
    tags.append("test.sighting")
    loaded = cm.io.json.converter.structure(record, cm.Event)
    assert loaded == Sighting(id="s", when="2020-02-06", witnesses=3)
    assert cm.io.json.converter.unstructure(loaded)["witnesses"] == 3


# Plug-ins ---------------------------------------------------------------------------------

GOOD = """
import attrs
import conflictmodel as cm


@cm.event_type("acme.sandstorm")
@attrs.frozen(kw_only=True)
class Sandstorm(cm.Event):
    visibility_m: int = 0
"""


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    (tmp_path / "acme_conflict_types.py").write_text(GOOD)
    (tmp_path / "broken_conflict_types.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = tuple(
        importlib.metadata.EntryPoint(name, value, registry.ENTRY_POINT_GROUP)
        for name, value in (("acme", "acme_conflict_types"), ("broken", "broken_conflict_types"))
    )
    monkeypatch.setattr(registry, "_entry_points", lambda: found)
    registry.reset_plugins()
    yield
    registry.reset_plugins()
    if registry.record_types().get("acme.sandstorm") is not None:
        registry.unregister("acme.sandstorm")
    for name in ("acme_conflict_types", "broken_conflict_types"):
        sys.modules.pop(name, None)


def _with_event(event: dict[str, object]) -> bytes:
    document = orjson.loads(cm.dumps(cm.examples.idlib_2020()))
    document["events"].append(event)
    return orjson.dumps(document)


@pytest.mark.usefixtures("plugins")
def test_plugins_load_lazily_and_a_broken_one_is_named_without_breaking_others() -> None:
    seed = cm.examples.idlib_2020()
    assert cm.loads(cm.dumps(seed)) == seed
    assert "acme_conflict_types" not in sys.modules
    storm = {"type": "acme.sandstorm", "id": "storm", "when": "2020-02", "visibility_m": 50}
    ds = cm.loads(_with_event(storm))
    assert type(ds.events["storm"]).__name__ == "Sandstorm"
    assert "acme_conflict_types" in sys.modules
    failed = registry.load_plugins()
    assert list(failed) == ["broken"]
    assert "RuntimeError: boom" in str(failed["broken"])
    with pytest.raises(cm.LoadError) as raised:
        cm.loads(_with_event({"type": "acme.tornado", "id": "t", "when": "2020"}))
    message = str(raised.value)
    assert "unknown event type 'acme.tornado'" in message
    assert "plug-in 'broken' (broken_conflict_types)" in message
    assert cm.loads(cm.dumps(seed)) == seed


def test_plugin_discovery_that_fails_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> tuple[importlib.metadata.EntryPoint, ...]:
        raise OSError("unreadable metadata")

    monkeypatch.setattr(registry, "_entry_points", fail)
    registry.reset_plugins()
    try:
        assert "unreadable metadata" in str(registry.load_plugins()["<entry points>"])
        assert registry.record_class("engagement") is cm.Engagement
    finally:
        registry.reset_plugins()
