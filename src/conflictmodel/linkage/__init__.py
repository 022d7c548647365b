"""Several sources for one war: match their events, link their actors, merge and compare them.

:func:`match` and the names around it load numpy and SciPy, so they load when first used.
"""

from typing import TYPE_CHECKING, Any

from conflictmodel.linkage.compare import AgreementTable, source_agreement
from conflictmodel.linkage.crosswalk import Crosswalk, Link, crosswalk, successions
from conflictmodel.linkage.merge import Reported, merge, source_of
from conflictmodel.linkage.taxonomy import DEFAULT_TAXONOMY, Taxonomy

if TYPE_CHECKING:
    from conflictmodel.linkage.matching import (
        Matches,
        Pair,
        Score,
        evaluate,
        match,
        match_fixed_window,
    )

_MATCHING = ("Matches", "Pair", "Score", "evaluate", "match", "match_fixed_window")


def __getattr__(name: str) -> Any:
    """The matching names, on first use (they need numpy)."""
    if name in _MATCHING:
        from conflictmodel.linkage import matching

        return getattr(matching, name)
    raise AttributeError(f"module 'conflictmodel.linkage' has no attribute {name!r}")


__all__ = [
    "DEFAULT_TAXONOMY",
    "AgreementTable",
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
    "source_agreement",
    "source_of",
    "successions",
]
