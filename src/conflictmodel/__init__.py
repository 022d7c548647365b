"""Typed records for armed-conflict reporting: actors, places, agreements, events and claims."""

from conflictmodel import examples, registry
from conflictmodel._checks import refers_to
from conflictmodel._converter import converter
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
    LoadError,
    LoadProblem,
    PluginError,
    Problem,
    RegistrationError,
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
from conflictmodel.io.json import dump, dumps, iter_records, load, loads
from conflictmodel.opaque import UnknownEvent, UnknownStatement
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
from conflictmodel.registry import event_type, statement_type
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
    "LoadError",
    "LoadProblem",
    "Location",
    "LocationKind",
    "Occurred",
    "PluginError",
    "Point",
    "Precision",
    "Problem",
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
    "UnknownEvent",
    "UnknownNameError",
    "UnknownStatement",
    "UnresolvedReferenceError",
    "ValidationError",
    "Violated",
    "Violation",
    "casualties_by_actor",
    "ceasefire_violations",
    "control_timeline",
    "converter",
    "disputes",
    "distance_km",
    "dump",
    "dumps",
    "event_type",
    "examples",
    "iter_records",
    "load",
    "loads",
    "references",
    "refers_to",
    "registry",
    "statement_type",
    "total",
    "when",
]
