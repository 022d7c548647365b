"""Questions an analyst asks of a dataset, answered from any claimant's perspective."""

from conflictmodel.queries.casualties import CasualtyTable, casualties_by_actor
from conflictmodel.queries.control import ControlAt, ControlSpan, control_at, control_timeline
from conflictmodel.queries.disputes import Dispute, Disputes, Position, disputes
from conflictmodel.queries.durability import Durability, ceasefire_durability
from conflictmodel.queries.grades import grade_of
from conflictmodel.queries.matrix import CasualtyMatrix, casualty_matrix
from conflictmodel.queries.options import CasualtyOptions, ViolationOptions
from conflictmodel.queries.over_time import casualties_over_time, violations_over_time
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
    "CasualtyOptions",
    "CasualtyTable",
    "Certainty",
    "ControlAt",
    "ControlSpan",
    "Dispute",
    "Disputes",
    "Durability",
    "Fact",
    "Figure",
    "FigureSource",
    "Perspective",
    "Position",
    "Subject",
    "Unassessed",
    "Violation",
    "ViolationOptions",
    "Violations",
    "Who",
    "casualties_by_actor",
    "casualties_over_time",
    "casualty_matrix",
    "ceasefire_durability",
    "ceasefire_violations",
    "control_at",
    "control_timeline",
    "disputes",
    "facts",
    "grade_of",
    "in_force",
    "span_of",
    "violations_over_time",
]
