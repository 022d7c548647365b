"""Typed records for armed-conflict reporting: actors, places, agreements, events and claims.

What this package exports is the public API; docs/api.md lists it with the public modules.
The queries, linkage, JSON io and ``examples`` load on first use (PEP 562), numpy with the first
query: ``import conflictmodel`` loads the model only.
"""

import importlib
from typing import TYPE_CHECKING, Any

from conflictmodel import fields
from conflictmodel.actors import Actor, ActorKind, Relation, RelationKind
from conflictmodel.agreements import (
    Agreement,
    AgreementKind,
    CeasefireClass,
    Ending,
    EndingKind,
    Purpose,
)
from conflictmodel.assessments import Assessment, Grade
from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Claim,
    Controls,
    Occurred,
    Stance,
    Statement,
    Violated,
)
from conflictmodel.dataset import Dataset
from conflictmodel.errors import (
    AmbiguousNameError,
    ConflictModelError,
    ConflictModelWarning,
    CycleError,
    DatasetError,
    DuplicateIdError,
    EngineError,
    ImportFormatError,
    ImportRowError,
    LoadError,
    LoadProblem,
    MissingExtraError,
    NoAccountWarning,
    OutputError,
    PluginError,
    Problem,
    ProblemsError,
    RegistrationError,
    UnknownNameError,
    UnresolvedReferenceError,
    ValidationError,
)
from conflictmodel.events import (
    Associate,
    Casualties,
    ControlChange,
    Engagement,
    EngagementKind,
    Event,
    Toll,
)
from conflictmodel.fields import refers_to
from conflictmodel.opaque import UnknownEvent, UnknownStatement
from conflictmodel.places import (
    Location,
    LocationKind,
    Placement,
    PlacePrecision,
    Point,
    distance_km,
)
from conflictmodel.quantities import Estimate, total
from conflictmodel.records import Record, references
from conflictmodel.sources import Source, SourceKind
from conflictmodel.timespans import Precision, SpanRelation, TimeSpan, when
from conflictmodel.vintages import Version

if TYPE_CHECKING:
    from conflictmodel import examples
    from conflictmodel.io.json import dump, dumps, iter_records, load, loads
    from conflictmodel.linkage import source_agreement
    from conflictmodel.linkage.crosswalk import Crosswalk, crosswalk
    from conflictmodel.linkage.matching import Matches, match
    from conflictmodel.linkage.merge import merge
    from conflictmodel.queries import (
        Basis,
        CasualtyMatrix,
        CasualtyTable,
        Certainty,
        ControlAt,
        ControlSpan,
        Dispute,
        Disputes,
        Durability,
        Unassessed,
        Violation,
        Violations,
        Who,
        casualties_by_actor,
        casualties_over_time,
        casualty_matrix,
        ceasefire_durability,
        ceasefire_violations,
        control_at,
        control_timeline,
        grade_of,
        in_force,
        violations_over_time,
    )
    from conflictmodel.queries.disputes import disputes
    from conflictmodel.registry import event_type, statement_type
    from conflictmodel.versions import Diff, diff

__version__ = "0.1.0"


_LAZY = {
    "dump": "conflictmodel.io.json",
    "dumps": "conflictmodel.io.json",
    "iter_records": "conflictmodel.io.json",
    "load": "conflictmodel.io.json",
    "loads": "conflictmodel.io.json",
    "Crosswalk": "conflictmodel.linkage",
    "crosswalk": "conflictmodel.linkage",
    "merge": "conflictmodel.linkage",
    "source_agreement": "conflictmodel.linkage",
    "Matches": "conflictmodel.linkage.matching",
    "match": "conflictmodel.linkage.matching",
    "Basis": "conflictmodel.queries",
    "CasualtyMatrix": "conflictmodel.queries",
    "CasualtyTable": "conflictmodel.queries",
    "Certainty": "conflictmodel.queries",
    "ControlAt": "conflictmodel.queries",
    "ControlSpan": "conflictmodel.queries",
    "Dispute": "conflictmodel.queries",
    "Disputes": "conflictmodel.queries",
    "Durability": "conflictmodel.queries",
    "Unassessed": "conflictmodel.queries",
    "Violation": "conflictmodel.queries",
    "Violations": "conflictmodel.queries",
    "Who": "conflictmodel.queries",
    "casualties_by_actor": "conflictmodel.queries",
    "casualties_over_time": "conflictmodel.queries",
    "casualty_matrix": "conflictmodel.queries",
    "ceasefire_durability": "conflictmodel.queries",
    "ceasefire_violations": "conflictmodel.queries",
    "control_at": "conflictmodel.queries",
    "control_timeline": "conflictmodel.queries",
    "disputes": "conflictmodel.queries.disputes",
    "grade_of": "conflictmodel.queries",
    "in_force": "conflictmodel.queries",
    "violations_over_time": "conflictmodel.queries",
    "event_type": "conflictmodel.registry",
    "statement_type": "conflictmodel.registry",
    "Diff": "conflictmodel.versions",
    "diff": "conflictmodel.versions",
}
"""The module of each name that loads on first use (queries, linkage, io, ...)."""


_SUBMODULES = ("examples", "io", "linkage", "plots", "queries", "tables", "testing")
"""The subpackages ``cm.<name>`` reaches without importing them first."""


def __getattr__(name: str) -> Any:
    """The subpackages of :data:`_SUBMODULES` and the names of :data:`_LAZY`, loaded on first
    use so importing stays light."""
    if name in _SUBMODULES:
        return importlib.import_module(f"conflictmodel.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'conflictmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


__all__ = [
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementKind",
    "AmbiguousNameError",
    "Assessment",
    "Associate",
    "Attribution",
    "Basis",
    "Casualties",
    "CasualtyFigure",
    "CasualtyMatrix",
    "CasualtyTable",
    "CeasefireClass",
    "Certainty",
    "Claim",
    "ConflictModelError",
    "ConflictModelWarning",
    "ControlAt",
    "ControlChange",
    "ControlSpan",
    "Controls",
    "Crosswalk",
    "CycleError",
    "Dataset",
    "DatasetError",
    "Diff",
    "Dispute",
    "Disputes",
    "DuplicateIdError",
    "Durability",
    "Ending",
    "EndingKind",
    "Engagement",
    "EngagementKind",
    "EngineError",
    "Estimate",
    "Event",
    "Grade",
    "ImportFormatError",
    "ImportRowError",
    "LoadError",
    "LoadProblem",
    "Location",
    "LocationKind",
    "Matches",
    "MissingExtraError",
    "NoAccountWarning",
    "Occurred",
    "OutputError",
    "PlacePrecision",
    "Placement",
    "PluginError",
    "Point",
    "Precision",
    "Problem",
    "ProblemsError",
    "Purpose",
    "Record",
    "RegistrationError",
    "Relation",
    "RelationKind",
    "Source",
    "SourceKind",
    "SpanRelation",
    "Stance",
    "Statement",
    "TimeSpan",
    "Toll",
    "Unassessed",
    "UnknownEvent",
    "UnknownNameError",
    "UnknownStatement",
    "UnresolvedReferenceError",
    "ValidationError",
    "Version",
    "Violated",
    "Violation",
    "Violations",
    "Who",
    "casualties_by_actor",
    "casualties_over_time",
    "casualty_matrix",
    "ceasefire_durability",
    "ceasefire_violations",
    "control_at",
    "control_timeline",
    "crosswalk",
    "diff",
    "disputes",
    "distance_km",
    "dump",
    "dumps",
    "event_type",
    "examples",
    "fields",
    "grade_of",
    "in_force",
    "iter_records",
    "load",
    "loads",
    "match",
    "merge",
    "references",
    "refers_to",
    "source_agreement",
    "statement_type",
    "total",
    "violations_over_time",
    "when",
]
