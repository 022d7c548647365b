"""Typed records for armed-conflict reporting: actors, places, agreements, events and claims.

What this package exports is the public API; docs/api.md lists it with the public modules.
``examples`` loads when first used, and numpy with the first query.
"""

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
    CycleError,
    DatasetError,
    DuplicateIdError,
    ImportFormatError,
    ImportRowError,
    LoadError,
    LoadProblem,
    MissingExtraError,
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
from conflictmodel.io.json import dump, dumps, iter_records, load, loads
from conflictmodel.linkage import Crosswalk, crosswalk, merge, source_agreement
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
from conflictmodel.queries import (
    Basis,
    CasualtyMatrix,
    CasualtyTable,
    Certainty,
    ControlAt,
    ControlSpan,
    Dispute,
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
    disputes,
    grade_of,
    in_force,
    violations_over_time,
)
from conflictmodel.records import Record, references
from conflictmodel.registry import event_type, statement_type
from conflictmodel.sources import Source, SourceKind
from conflictmodel.timespans import Precision, SpanRelation, TimeSpan, when
from conflictmodel.versions import Diff, diff

if TYPE_CHECKING:
    from conflictmodel import examples
    from conflictmodel.linkage.matching import Matches, match

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``examples``, ``match`` and ``Matches`` on first use, so that importing stays light."""
    if name == "examples":
        import conflictmodel.examples

        return conflictmodel.examples
    if name in ("match", "Matches"):
        from conflictmodel.linkage import matching

        return getattr(matching, name)
    raise AttributeError(f"module 'conflictmodel' has no attribute {name!r}")


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
    "DuplicateIdError",
    "Durability",
    "Ending",
    "EndingKind",
    "Engagement",
    "EngagementKind",
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
