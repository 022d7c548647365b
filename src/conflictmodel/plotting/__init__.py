"""Charts of query results; needs the ``plot`` extra (matplotlib), drawn off-screen (Agg)."""

from conflictmodel.plotting.durability import durability_chart

__all__ = ["durability_chart"]
