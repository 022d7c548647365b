"""The validators' shortcuts for values already in their checked form accept and refuse
exactly what the full checks do, with the same messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st
from immutabledict import immutabledict

import conflictmodel as cm
from conflictmodel import _checks as checks


class _BlankToo(str):
    """A string whose own ``strip`` calls it blank: only the full checks consult it."""

    def strip(self, chars: str | None = None) -> str:
        return ""


class _Owner:
    id = "probe"


_SOURCES = attrs.fields(cm.Event).sources
_VALUES = attrs.fields(cm.Event).source_values
_CASUALTIES = attrs.fields(cm.Engagement).casualties

_texts = st.one_of(
    st.sampled_from(["a", "b", " a ", "", " ", "\x1c", "\u3000x"]),
    st.text(max_size=3),
    st.builds(_BlankToo, st.sampled_from(["a", "b"])),
    st.none(),
    st.integers(0, 2),
)
_entries = st.one_of(
    st.builds(cm.Casualties, st.sampled_from(["a", "b", None]), killed=st.integers(0, 3)),
    st.none(),
    st.just("a"),
)


def _outcome(
    check: Callable[..., None], value: object, attribute: attrs.Attribute[Any] = _SOURCES
) -> str | None:
    """The message ``check`` refuses ``value`` with, or ``None`` when it accepts it."""
    try:
        check(_Owner(), attribute, value)
    except cm.ValidationError as error:
        return str(error)
    return None


@given(st.one_of(st.tuples(_texts, _texts, _texts), st.lists(_texts, max_size=4), _texts))
def test_texts_gives_the_full_checks_answer(value: Any) -> None:
    if isinstance(value, list):
        value = tuple(value) if len(value) % 2 else value
    assert _outcome(checks.texts, value) == _outcome(checks.every_text, value)


@given(st.dictionaries(_texts, _texts, max_size=4), st.booleans())
def test_text_mapping_gives_the_full_checks_answer_every_time(
    mapping: dict[Any, Any], frozen: bool
) -> None:
    value = immutabledict(mapping) if frozen else mapping
    expected = _outcome(checks.every_text_item, value, _VALUES)
    assert _outcome(checks.text_mapping, value, _VALUES) == expected
    assert _outcome(checks.text_mapping, value, _VALUES) == expected


@given(st.lists(st.tuples(_texts, _texts), max_size=4))
def test_items_accepted_one_by_one_make_mappings_text_mapping_accepts(items: Any) -> None:
    accepted = checks.accepts_text_items(items)
    alone = [_outcome(checks.every_text_item, {key: item}, _VALUES) for key, item in items]
    assert accepted == all(outcome is None for outcome in alone)
    if accepted:
        made = checks.accepted_text_mapping(items)
        assert made == dict(items)
        assert _outcome(checks.every_text_item, made, _VALUES) is None
        assert _outcome(checks.text_mapping, made, _VALUES) is None


@given(st.one_of(st.lists(_entries, max_size=3).map(tuple), st.lists(_entries, max_size=2)))
def test_casualty_lists_are_refused_as_the_rule_says(value: Any) -> None:
    """A tuple of Casualties entries, one per actor."""
    entries = isinstance(value, tuple) and all(isinstance(e, cm.Casualties) for e in value)
    actors = [e.actor for e in value] if entries else []
    check = _CASUALTIES.validator
    assert check is not None
    refused = _outcome(check, value, _CASUALTIES)
    assert (refused is None) == (entries and len(set(actors)) == len(actors))
