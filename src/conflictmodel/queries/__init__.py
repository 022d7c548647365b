"""Questions an analyst asks of a dataset, answered from any claimant's perspective."""

from conflictmodel.queries.casualties import CasualtyTable, casualties_by_actor
from conflictmodel.queries.control import ControlAt, ControlSpan, control_at, control_timeline
from conflictmodel.queries.disputes import Dispute, Position, disputes
from conflictmodel.queries.durability import Durability, ceasefire_durability
from conflictmodel.queries.matrix import CasualtyMatrix, casualty_matrix
from conflictmodel.queries.perspective import Figure, FigureSource, Perspective, span_of
from conflictmodel.queries.subjects import Fact, Subject, facts
from conflictmodel.queries.violations import (
    Basis,
    Certainty,
    Unassessed,
    Violation,
    Violations,
    Who,
    ceasefire_violations,
    in_force,
)

__all__ = [
    "Basis",
    "CasualtyMatrix",
    "CasualtyTable",
    "Certainty",
    "ControlAt",
    "ControlSpan",
    "Dispute",
    "Durability",
    "Fact",
    "Figure",
    "FigureSource",
    "Perspective",
    "Position",
    "Subject",
    "Unassessed",
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
    "facts",
    "in_force",
    "span_of",
]
