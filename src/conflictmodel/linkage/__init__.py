"""Several sources for one war: match their events, link their actors, merge and compare them."""

from conflictmodel.linkage.crosswalk import Crosswalk, Link, crosswalk, successions
from conflictmodel.linkage.matching import (
    Matches,
    Pair,
    Score,
    evaluate,
    match,
    match_fixed_window,
)
from conflictmodel.linkage.merge import Reported, merge, source_of
from conflictmodel.linkage.taxonomy import DEFAULT_TAXONOMY, Taxonomy

__all__ = [
    "DEFAULT_TAXONOMY",
    "Crosswalk",
    "Link",
    "Matches",
    "Pair",
    "Reported",
    "Score",
    "Taxonomy",
    "crosswalk",
    "evaluate",
    "match",
    "match_fixed_window",
    "merge",
    "source_of",
    "successions",
]
