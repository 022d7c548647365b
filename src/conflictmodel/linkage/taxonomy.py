"""What sort of violence an event is, in terms two datasets share, for matching them.

UCDP GED codes each event by its ``type_of_violence``: 1 state-based (a government is a side),
2 non-state (organised groups, no government), 3 one-sided (an organised actor against
civilians). ACLED codes an ``event_type`` (battles; explosions/remote violence; violence
against civilians; ...) and a ``sub_event_type`` (armed clash, air/drone strike, attack, ...),
which its importer maps to :class:`~conflictmodel.EngagementKind`. A :class:`Taxonomy` places any
event on three levels, coarse to fine, both datasets can be read into:

1. the UCDP type of violence, read from the actors: one-sided when the event is one-sided
   violence or its targets are civilians; state-based when a state or state forces take part;
   non-state otherwise ("other" for events that are not engagements);
2. the ACLED event type the kind belongs to (:data:`EVENT_TYPES`);
3. the kind itself.

Two events are as similar as the levels they share, weighted by :attr:`Taxonomy.weights`.

>>> import conflictmodel as cm
>>> ds = cm.examples.idlib_2020()
>>> DEFAULT_TAXONOMY.labels(ds, ds.events["attack-2020-02-03"])
('state_based', 'battles', 'attack')
>>> DEFAULT_TAXONOMY.similarity(("state_based", "battles", "attack"),
...                             ("state_based", "explosions_remote_violence", "shelling"))
0.5
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from immutabledict import immutabledict

from conflictmodel.actors import ActorKind
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, EngagementKind, Event

__all__ = ["DEFAULT_TAXONOMY", "EVENT_TYPES", "UCDP_TYPES", "Taxonomy"]

_K = EngagementKind
EVENT_TYPES: Mapping[EngagementKind, str] = immutabledict(
    {
        _K.ARMED_CLASH: "battles",
        _K.CAPTURE: "battles",
        _K.OFFENSIVE: "battles",
        _K.INVASION: "battles",
        _K.RAID: "battles",
        _K.AMBUSH: "battles",
        _K.ATTACK: "battles",
        _K.AIRSTRIKE: "explosions_remote_violence",
        _K.MISSILE_STRIKE: "explosions_remote_violence",
        _K.SHELLING: "explosions_remote_violence",
        _K.DRONE_STRIKE: "explosions_remote_violence",
        _K.BOMBING: "explosions_remote_violence",
        _K.EXPLOSIVE: "explosions_remote_violence",
        _K.SUICIDE_BOMBING: "explosions_remote_violence",
        _K.CHEMICAL_ATTACK: "explosions_remote_violence",
        _K.INTERCEPTION: "strategic_developments",
        _K.ONE_SIDED_VIOLENCE: "violence_against_civilians",
        _K.ABDUCTION: "violence_against_civilians",
        _K.SEXUAL_VIOLENCE: "violence_against_civilians",
        _K.OTHER: "other",
    }
)
"""The ACLED event type of each engagement kind (an attack on civilians is reclassified by
the first level, so ``attack`` sits with battles here)."""

UCDP_TYPES: Mapping[str, str] = immutabledict(
    {"1": "state_based", "2": "non_state", "3": "one_sided"}
)
"""UCDP's ``type_of_violence`` codes and the first-level labels they stand for."""

_STATE = frozenset({ActorKind.STATE, ActorKind.STATE_FORCES})


@attrs.frozen
class Taxonomy:
    """Labels events on levels from coarse to fine and scores how alike two label tuples are.

    Replace :attr:`event_types` to regroup kinds, or :attr:`weights` to weigh the levels
    (they must add up to 1).
    """

    event_types: Mapping[EngagementKind, str] = EVENT_TYPES
    weights: tuple[float, ...] = (0.5, 0.3, 0.2)

    def __attrs_post_init__(self) -> None:
        if len(self.weights) != 3 or abs(sum(self.weights) - 1) > 1e-9:
            raise ValidationError(
                f"Taxonomy.weights: expected three weights adding up to 1, got {self.weights}"
            )

    def labels(self, ds: Dataset, event: Event) -> tuple[str, str, str]:
        """The event's violence type, event type and kind."""
        if not isinstance(event, Engagement):
            return ("other", "other", type(event).__name__.lower())
        kinds = {ds.actors[a].kind for a in (*event.initiators, *event.targets)}
        targets = {ds.actors[a].kind for a in event.targets}
        if event.kind is _K.ONE_SIDED_VIOLENCE or (
            ActorKind.CIVILIANS in targets and event.kind is not _K.ARMED_CLASH
        ):
            violence = "one_sided"
        elif kinds & _STATE:
            violence = "state_based"
        else:
            violence = "non_state"
        return (violence, self.event_types.get(event.kind, "other"), event.kind.value)

    def similarity(self, a: tuple[str, ...], b: tuple[str, ...]) -> float:
        """The summed weight of the levels on which ``a`` and ``b`` agree."""
        return round(sum(w for w, x, y in zip(self.weights, a, b, strict=True) if x == y), 9)


DEFAULT_TAXONOMY = Taxonomy()
"""UCDP types of violence, ACLED event types and this library's kinds, weighted 0.5/0.3/0.2."""
