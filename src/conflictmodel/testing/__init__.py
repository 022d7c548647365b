"""Hypothesis strategies for every value and record type, and for whole valid datasets.

Hypothesis is a test dependency (the ``test`` extra): ``import conflictmodel`` never imports
it, only ``import conflictmodel.testing`` does, which also registers the value strategies
with ``st.register_type_strategy`` (``st.from_type(cm.TimeSpan)`` draws valid spans).

Record strategies are derived from the :mod:`~conflictmodel.spec` of their class, so your
own record types get them too. Each takes a strategy per field to override the default
(``actors(kind=st.just(cm.ActorKind.STATE))``) and ``within=ds`` to draw every reference from
the records of an existing dataset, so that the records it makes can join that dataset.
:func:`records_of` does the same for your own record types, and :func:`datasets` builds
whole datasets whose references resolve and whose hierarchies have no cycles.

The strategies live in three modules by job: ``conflictmodel.testing.values``,
``conflictmodel.testing.records`` and ``conflictmodel.testing.datasets``.

>>> import conflictmodel as cm
>>> from hypothesis import HealthCheck, given, settings
>>> from conflictmodel import testing
>>> @settings(max_examples=10, database=None, suppress_health_check=[HealthCheck.too_slow])
... @given(testing.datasets(max_events=3))
... def test_every_event_has_a_span(ds: cm.Dataset) -> None:
...     assert all(isinstance(e.when, cm.TimeSpan) for e in ds.events.values())
>>> test_every_event_has_a_span()
"""

from conflictmodel.testing.datasets import datasets
from conflictmodel.testing.records import (
    actors,
    agreements,
    casualties,
    claims,
    control_changes,
    engagements,
    events,
    locations,
    records_of,
    registered_events,
    relations,
    sources,
    statements,
    tolls,
)
from conflictmodel.testing.values import estimates, ids, names, points, time_spans

__all__ = [
    "actors",
    "agreements",
    "casualties",
    "claims",
    "control_changes",
    "datasets",
    "engagements",
    "estimates",
    "events",
    "ids",
    "locations",
    "names",
    "points",
    "records_of",
    "registered_events",
    "relations",
    "sources",
    "statements",
    "time_spans",
    "tolls",
]
