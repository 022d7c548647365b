"""Two tiny datasets of the same day in Idlib, as UCDP and ACLED would code it, for examples."""

from __future__ import annotations

import conflictmodel as cm


def two_sources() -> tuple[cm.Dataset, cm.Dataset]:
    """A UCDP-style dataset of two events (each side's dead a best with no range, as UCDP
    gives them) and an ACLED-style one of one of them.

    >>> a, b = two_sources()
    >>> sorted(a.events), sorted(b.events)
    (['ucdp-ged-1', 'ucdp-ged-2'], ['acled-SYR1'])
    """
    syria = cm.Location(id="u-syria", name="Syria", kind="country")
    saraqeb = cm.Location(
        id="u-saraqeb",
        name="Saraqeb",
        kind="town",
        within="u-syria",
        point=cm.Point(35.8623, 36.8006),
    )
    ucdp = cm.Dataset(
        [
            cm.Actor(
                id="ucdp-actor-118",
                name="Government of Syria",
                kind="state",
                external_ids={"ucdp": "118"},
            ),
            cm.Actor(id="ucdp-actor-1", name="Civilians", kind="civilians"),
            cm.Actor(id="ucdp-actor-4456", name="Syrian insurgents", kind="rebel_group"),
            syria,
            saraqeb,
            cm.Engagement(
                id="ucdp-ged-1",
                when="2020-02-03",
                where="u-saraqeb",
                where_precision="exact",
                kind="armed_clash",
                initiators=[],
                targets=["ucdp-actor-118", "ucdp-actor-4456"],
                casualties=[
                    cm.Casualties("ucdp-actor-118", killed=cm.Estimate.best_only(8)),
                    cm.Casualties("ucdp-actor-4456", killed=cm.Estimate.best_only(2)),
                ],
            ),
            cm.Engagement(
                id="ucdp-ged-2",
                when="2020-02-06",
                where="u-saraqeb",
                where_precision="near",
                kind="one_sided_violence",
                initiators=["ucdp-actor-118"],
                targets=["ucdp-actor-1"],
                casualties=[cm.Casualties("ucdp-actor-1", killed=cm.Estimate.best_only(15))],
            ),
        ]
    )
    acled = cm.Dataset(
        [
            cm.Actor(
                id="acled-actor-msf", name="Military Forces of Syria (2000-)", kind="state_forces"
            ),
            cm.Actor(id="acled-actor-hts", name="HTS: Hayat Tahrir al Sham", kind="rebel_group"),
            cm.Location(id="a-syria", name="Syria", kind="country"),
            cm.Location(
                id="a-saraqab",
                name="Saraqab",
                kind="town",
                within="a-syria",
                point=cm.Point(35.83, 36.77),
            ),
            cm.Engagement(
                id="acled-SYR1",
                when="2020-02-04",
                where="a-saraqab",
                where_precision="exact",
                kind="armed_clash",
                initiators=[],
                targets=["acled-actor-msf", "acled-actor-hts"],
                casualties=[cm.Casualties(None, killed=8)],
            ),
        ]
    )
    return ucdp, acled
