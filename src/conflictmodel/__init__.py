"""Typed records for armed-conflict reporting: actors, places, agreements, events and claims.

What this package exports is the public API; docs/api.md lists it with the public modules.
``examples`` loads when first used, and numpy with the first query.
"""

from types import ModuleType
from typing import TYPE_CHECKING

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
from conflictmodel.opaque import UnknownEvent, UnknownStatement
from conflictmodel.places import Location, LocationKind, Point, distance_km
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
    casualty_matrix,
    ceasefire_durability,
    ceasefire_violations,
    control_at,
    control_timeline,
    disputes,
    in_force,
)
from conflictmodel.records import Record, references
from conflictmodel.registry import event_type, statement_type
from conflictmodel.sources import Source
from conflictmodel.timespans import Precision, SpanRelation, TimeSpan, when

if TYPE_CHECKING:
    from conflictmodel import examples

__version__ = "0.1.0"


def __getattr__(name: str) -> ModuleType:
    """``examples`` on first use, so that importing the package stays light."""
    if name == "examples":
        import conflictmodel.examples

        return conflictmodel.examples
    raise AttributeError(f"module 'conflictmodel' has no attribute {name!r}")


__all__ = [
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementKind",
    "AmbiguousNameError",
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
    "CycleError",
    "Dataset",
    "DatasetError",
    "Dispute",
    "DuplicateIdError",
    "Durability",
    "Ending",
    "EndingKind",
    "Engagement",
    "EngagementKind",
    "Estimate",
    "Event",
    "ImportFormatError",
    "ImportRowError",
    "LoadError",
    "LoadProblem",
    "Location",
    "LocationKind",
    "MissingExtraError",
    "Occurred",
    "OutputError",
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
    "casualty_matrix",
    "ceasefire_durability",
    "ceasefire_violations",
    "control_at",
    "control_timeline",
    "disputes",
    "distance_km",
    "dump",
    "dumps",
    "event_type",
    "examples",
    "fields",
    "in_force",
    "iter_records",
    "load",
    "loads",
    "references",
    "refers_to",
    "statement_type",
    "total",
    "when",
]
