"""The field spec classifies every field of every built-in class."""

from __future__ import annotations

import attrs
import pytest

import conflictmodel as cm
from conflictmodel import registry
from conflictmodel.errors import ValidationError
from conflictmodel.spec import Kind, field_of, fields_of


def kinds(cls: type) -> dict[str, tuple[Kind, bool, str | None]]:
    return {f.name: (f.kind, f.optional, f.collection) for f in fields_of(cls)}


def test_engagement_fields_are_classified() -> None:
    assert kinds(cm.Engagement) == {
        "id": (Kind.ID, False, None),
        "when": (Kind.SPAN, False, None),
        "where": (Kind.REFERENCE, True, "locations"),
        "description": (Kind.TEXT, False, None),
        "sources": (Kind.REFERENCES, False, "sources"),
        "part_of": (Kind.REFERENCE, True, "events"),
        "source_values": (Kind.TEXT_MAPPING, False, None),
        "where_precision": (Kind.ENUM, True, None),
        "aggregate": (Kind.BOOL, False, None),
        "kind": (Kind.ENUM, False, None),
        "initiators": (Kind.REFERENCES, False, "actors"),
        "targets": (Kind.REFERENCES, False, "actors"),
        "casualties": (Kind.VALUES, False, None),
        "captured": (Kind.VALUE, True, None),
        "responds_to": (Kind.REFERENCE, True, "events"),
        "reported_total": (Kind.ESTIMATE, True, None),
        "associates": (Kind.VALUES, False, None),
    }
    assert field_of(cm.Engagement, "kind").value_type is cm.EngagementKind
    assert field_of(cm.Engagement, "captured").value_type is cm.ControlChange
    assert field_of(cm.Engagement, "where_precision").value_type is cm.PlacePrecision


def test_other_kinds() -> None:
    assert field_of(cm.Agreement, "sides").kind is Kind.REFERENCE_GROUPS
    assert field_of(cm.Location, "point").kind is Kind.POINT
    assert field_of(cm.Claim, "statement").kind is Kind.STATEMENT
    assert field_of(cm.Actor, "aliases").kind is Kind.TEXTS
    assert field_of(cm.Estimate, "high").kind is Kind.INT
    assert field_of(cm.Estimate, "high").optional
    assert field_of(cm.TimeSpan, "start").kind is Kind.DATE
    assert field_of(cm.Point, "lat").kind is Kind.FLOAT


def test_every_registered_field_has_a_known_kind() -> None:
    for cls in (*registry.record_types().values(), *registry.statement_types().values()):
        for spec in fields_of(cls):
            assert spec.kind is not Kind.OTHER, (cls, spec)


def test_required_follows_the_default() -> None:
    assert field_of(cm.Engagement, "kind").required
    assert not field_of(cm.Engagement, "casualties").required


def test_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValidationError, match="takes an attrs class"):
        fields_of(int)
    with pytest.raises(ValidationError, match="no field 'nope'"):
        field_of(cm.Actor, "nope")

    @attrs.frozen
    class Unresolvable:
        thing: NoSuchName  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(ValidationError, match="cannot resolve"):
        fields_of(Unresolvable)
