"""Charts of query results; needs the ``plot`` extra (matplotlib), drawn off-screen (Agg)."""

from conflictmodel.plotting.durability import durability_chart
from conflictmodel.plotting.sources import source_agreement_chart

__all__ = ["durability_chart", "source_agreement_chart"]
