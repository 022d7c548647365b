"""Typed records for armed-conflict reporting: actors, places, agreements, events and claims."""

from conflictmodel import examples
from conflictmodel._fields import refers_to
from conflictmodel.actors import Actor, ActorKind, Relation, RelationKind
from conflictmodel.agreements import Agreement, AgreementKind
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
    Problem,
    UnknownNameError,
    UnresolvedReferenceError,
    ValidationError,
)
from conflictmodel.events import (
    Casualties,
    ControlChange,
    Engagement,
    EngagementKind,
    Event,
    Toll,
)
from conflictmodel.places import Location, LocationKind, Point, distance_km
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries import (
    Basis,
    CasualtyTable,
    Certainty,
    ControlSpan,
    Dispute,
    Violation,
    casualties_by_actor,
    ceasefire_violations,
    control_timeline,
    disputes,
)
from conflictmodel.records import Record, references
from conflictmodel.sources import Source
from conflictmodel.timespans import Precision, SpanRelation, TimeSpan, when

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementKind",
    "AmbiguousNameError",
    "Attribution",
    "Basis",
    "Casualties",
    "CasualtyFigure",
    "CasualtyTable",
    "Certainty",
    "Claim",
    "ConflictModelError",
    "ControlChange",
    "ControlSpan",
    "Controls",
    "CycleError",
    "Dataset",
    "DatasetError",
    "Dispute",
    "DuplicateIdError",
    "Engagement",
    "EngagementKind",
    "Estimate",
    "Event",
    "Location",
    "LocationKind",
    "Occurred",
    "Point",
    "Precision",
    "Problem",
    "Record",
    "Relation",
    "RelationKind",
    "Source",
    "SpanRelation",
    "Stance",
    "Statement",
    "TimeSpan",
    "Toll",
    "UnknownNameError",
    "UnresolvedReferenceError",
    "ValidationError",
    "Violated",
    "Violation",
    "casualties_by_actor",
    "ceasefire_violations",
    "control_timeline",
    "disputes",
    "distance_km",
    "examples",
    "references",
    "refers_to",
    "total",
    "when",
]
