"""The Idlib report of 6 February 2020, every fact of it as records.

What the report states as fact is a record's own field; what it says someone claims is a
:class:`~conflictmodel.Claim` by that someone, reported by the report itself. Events the
report knows only from a claim (the Turkish airstrike, the Israeli missiles) are records of
what is alleged, and that they happened is the claimant's :class:`~conflictmodel.Occurred`
claim. Where the seed infers what the report does not say, the record's description says so.
"""

from __future__ import annotations

import functools

from conflictmodel.actors import Actor, Relation
from conflictmodel.agreements import Agreement
from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Claim,
    Controls,
    Occurred,
    Statement,
    Violated,
)
from conflictmodel.dataset import Dataset
from conflictmodel.events import Casualties, ControlChange, Engagement, Toll
from conflictmodel.places import Location, Point
from conflictmodel.records import Record
from conflictmodel.sources import Source, SourceKind

REPORT = "report-2020-02-06"


def _actors() -> list[Record]:
    return [
        Actor(
            id="syria",
            name="Syria",
            kind="state",
            country="SYR",
            aliases=["Syrian government", "Government of Syria"],
        ),
        Actor(
            id="syrian-army",
            name="Syrian Arab Army",
            kind="state_forces",
            part_of="syria",
            country="SYR",
            aliases=["Syrian forces", "SAA", "Syrian government forces", "Syrian soldiers"],
        ),
        Actor(
            id="russia", name="Russia", kind="state", country="RUS", aliases=["Russian Federation"]
        ),
        Actor(id="turkey", name="Turkey", kind="state", country="TUR", aliases=["Türkiye"]),
        Actor(
            id="turkish-army",
            name="Turkish Armed Forces",
            kind="state_forces",
            part_of="turkey",
            country="TUR",
            aliases=["Turkish soldiers", "Turkish forces"],
        ),
        Actor(
            id="hts",
            name="Hayat Tahrir al-Sham",
            kind="rebel_group",
            country="SYR",
            aliases=["HTS"],
        ),
        Actor(id="al-qaida", name="al-Qaida", kind="rebel_group", aliases=["al-Qaeda"]),
        Actor(id="israel", name="Israel", kind="state", country="ISR"),
        Actor(id="syrian-civilians", name="Syrian civilians", kind="civilians", country="SYR"),
        Actor(
            id="sana",
            name="Syrian Arab News Agency",
            kind="media",
            part_of="syria",
            country="SYR",
            aliases=["SANA"],
        ),
    ]


def _locations() -> list[Record]:
    return [
        Location(
            id="syria",
            name="Syria",
            kind="country",
            point=Point(35.0, 38.5),
            codes={"iso3166-1": "SYR"},
        ),
        Location(
            id="idlib-governorate",
            name="Idlib Governorate",
            kind="region",
            within="syria",
            point=Point(35.75, 36.65),
            aliases=["Idlib province"],
            codes={"iso3166-2": "SY-ID"},
        ),
        Location(
            id="idlib",
            name="Idlib",
            kind="city",
            within="idlib-governorate",
            point=Point(35.9306, 36.6339),
            aliases=["Idlib city"],
        ),
        Location(
            id="saraqeb",
            name="Saraqeb",
            kind="town",
            within="idlib-governorate",
            point=Point(35.8623, 36.8006),
            aliases=["Saraqib"],
        ),
        Location(
            id="aleppo", name="Aleppo", kind="city", within="syria", point=Point(36.2021, 37.1343)
        ),
        Location(
            id="damascus",
            name="Damascus",
            kind="city",
            within="syria",
            point=Point(33.5138, 36.2765),
        ),
        Location(
            id="daraa-governorate",
            name="Daraa Governorate",
            kind="region",
            within="syria",
            point=Point(32.75, 36.25),
            aliases=["Derra", "Daraa"],
            codes={"iso3166-2": "SY-DR"},
        ),
        Location(
            id="quneitra-governorate",
            name="Quneitra Governorate",
            kind="region",
            within="syria",
            point=Point(33.0, 35.85),
            aliases=["Quneitra"],
            codes={"iso3166-2": "SY-QU"},
        ),
        Location(
            id="damascus-aleppo-highway",
            name="Damascus–Aleppo highway",
            kind="road",
            within="syria",
            point=Point(35.8623, 36.8006),
            aliases=["M5", "M5 highway"],
        ),
        Location(
            id="saraqeb-aleppo-m5",
            name="Saraqeb–Aleppo stretch of the M5",
            kind="road",
            within="damascus-aleppo-highway",
            point=Point(35.8623, 36.8006),
            aliases=["Saraqeb-Aleppo highway", "Saraqeb–Aleppo highway"],
        ),
        Location(
            id="rif-dimashq-governorate",
            name="Rif Dimashq Governorate",
            kind="region",
            within="syria",
            point=Point(33.5, 36.5),
            aliases=["Damascus countryside", "Rural Damascus", "near Damascus"],
            codes={"iso3166-2": "SY-RD"},
        ),
        Location(
            id="north-east-syria",
            name="North East Syria",
            kind="area",
            within="syria",
            point=Point(36.6, 40.5),
            aliases=["north-east Syria", "northeast Syria"],
        ),
    ]


def _relations() -> list[Record]:
    return [
        Relation(id="turkey-supports-hts", source="turkey", kind="supports", target="hts"),
        Relation(id="russia-supports-syria", source="russia", kind="supports", target="syria"),
        Relation(
            id="russia-turkey-cooperation",
            source="russia",
            kind="allied_with",
            target="turkey",
            span="2019/..",
        ),
        Relation(
            id="hts-formerly-al-qaida",
            source="hts",
            kind="affiliated_with",
            target="al-qaida",
            span="../2016",
        ),
    ]


def _agreements() -> list[Record]:
    return [
        Agreement(
            id="idlib-ceasefire-2020",
            name="Idlib ceasefire",
            kind="ceasefire",
            signed="2020-01-12",
            effective="2020-01-12/..",
            signatories=["russia", "turkey"],
            sides=[["syria", "russia"], ["turkey"]],
            scope=["idlib-governorate"],
        ),
    ]


def _events() -> list[Record]:
    sources = [REPORT]
    return [
        Engagement(
            id="turkish-invasion-2019",
            when="2019",
            where="north-east-syria",
            kind="invasion",
            initiators=["turkish-army"],
            targets=[],
            sources=sources,
            description="Turkey's invasion of north-east Syria",
        ),
        Engagement(
            id="idlib-offensive",
            when="2019-12/..",
            where="idlib-governorate",
            kind="offensive",
            initiators=["syrian-army"],
            targets=["hts"],
            sources=sources,
            description="Government offensive to retake Idlib, begun in December 2019",
        ),
        Engagement(
            id="attack-2020-02-03",
            when="2020-02-03",
            where="idlib-governorate",
            kind="attack",
            initiators=["syrian-army"],
            targets=["turkish-army"],
            casualties=[Casualties("turkish-army", killed=8)],
            sources=sources,
            description="Syrian forces kill eight Turkish soldiers guarding the front",
        ),
        Engagement(
            id="retaliation-2020-02-03",
            when="2020-02-03",
            where="idlib-governorate",
            kind="attack",
            initiators=["turkish-army"],
            targets=["syrian-army"],
            casualties=[Casualties("syrian-army", killed="almost 30")],
            responds_to="attack-2020-02-03",
            sources=sources,
            description="Turkey retaliates, killing almost 30 Syrian soldiers",
        ),
        Engagement(
            id="saraqeb-capture-2020-02-06",
            when="2020-02-06",
            where="saraqeb",
            kind="capture",
            initiators=["syrian-army"],
            targets=["hts"],
            captured=ControlChange(location="saraqeb", gained_by="syrian-army", lost_by="hts"),
            part_of="idlib-offensive",
            sources=sources,
            description="Syrian forces enter Saraqeb and nearby villages and towns",
        ),
        Engagement(
            id="highway-capture-2020-02-06",
            when="2020-02-06",
            where="saraqeb",
            kind="capture",
            initiators=["syrian-army"],
            targets=["hts"],
            captured=ControlChange(
                location="saraqeb-aleppo-m5", gained_by="syrian-army", lost_by="hts"
            ),
            part_of="idlib-offensive",
            sources=sources,
            description="Syrian forces take the Saraqeb–Aleppo stretch of the M5",
        ),
        Engagement(
            id="turkish-airstrike-2020-02-06",
            when="2020-02-06",
            where="idlib-governorate",
            kind="airstrike",
            initiators=[],
            targets=["syrian-civilians"],
            sources=sources,
            description="Syria's account: a Turkish airstrike in Idlib that killed 15 civilians",
        ),
        Engagement(
            id="israeli-missiles-2020-02-06",
            when="2020-02-06",
            where="syria",
            kind="missile_strike",
            initiators=[],
            targets=["syria"],
            sources=sources,
            description="Syria's account: Israel fired two rounds of missiles at regions near "
            "Damascus and at Daraa and Quneitra",
        ),
        *(
            Engagement(
                id=f"missiles-{place}-2020-02-06",
                when="2020-02-06",
                where=where,
                kind="missile_strike",
                initiators=[],
                targets=["syria"],
                part_of="israeli-missiles-2020-02-06",
                sources=sources,
                description=f"Syria's account: missiles target regions {name}",
            )
            for place, where, name in (
                ("damascus", "rif-dimashq-governorate", "near Damascus"),
                ("daraa", "daraa-governorate", "of Daraa"),
                ("quneitra", "quneitra-governorate", "of Quneitra"),
            )
        ),
        Engagement(
            id="interception-2020-02-06",
            when="2020-02-06",
            kind="interception",
            initiators=["syrian-army"],
            targets=[],
            responds_to="israeli-missiles-2020-02-06",
            sources=sources,
            description="Syrian forces intercept some of the missiles",
        ),
        Toll(
            id="syrian-war-toll",
            when="2011-03/2020-02",
            where="syria",
            killed="hundreds of thousands",
            sources=sources,
            description="The nine-year war has killed hundreds of thousands of people",
        ),
        Toll(
            id="syrian-war-displacement",
            when="2011-03/2020-02",
            where="syria",
            displaced="almost seven million",
            population="syrian-civilians",
            sources=sources,
            description="The nine-year war has displaced almost seven million Syrians",
        ),
    ]


def _claims() -> list[Record]:
    def claim(claim_id: str, claimant: str, statement: Statement, made: str) -> Claim:
        return Claim(
            id=claim_id, claimant=claimant, statement=statement, made=made, sources=[REPORT]
        )

    return [
        claim(
            "turkey-offensive-violates",
            "turkey",
            Violated("idlib-ceasefire-2020", ["syria"], events=["idlib-offensive"]),
            "2020-01-12/2020-02-06",
        ),
        claim(
            "russia-turkey-violates",
            "russia",
            Violated("idlib-ceasefire-2020", ["turkey", "hts"]),
            "2020-01-12/2020-02-06",
        ),
        claim(
            "syria-turkey-violates",
            "syria",
            Violated("idlib-ceasefire-2020", ["turkey", "hts"]),
            "2020-01-12/2020-02-06",
        ),
        claim(
            "syria-airstrike-occurred",
            "syria",
            Occurred("turkish-airstrike-2020-02-06"),
            "2020-02-06",
        ),
        claim(
            "syria-airstrike-by-turkey",
            "syria",
            Attribution("turkish-airstrike-2020-02-06", ["turkey"]),
            "2020-02-06",
        ),
        claim(
            "syria-airstrike-killed-15",
            "syria",
            CasualtyFigure("turkish-airstrike-2020-02-06", "syrian-civilians", killed=15),
            "2020-02-06",
        ),
        claim(
            "syria-missiles-occurred",
            "syria",
            Occurred("israeli-missiles-2020-02-06"),
            "2020-02-06",
        ),
        claim(
            "syria-missiles-by-israel",
            "syria",
            Attribution("israeli-missiles-2020-02-06", ["israel"]),
            "2020-02-06",
        ),
        Claim(
            id="report-hts-controls-idlib",
            claimant=None,
            statement=Controls("idlib-governorate", "hts"),
            made="2020-02-06",
            sources=[REPORT],
        ),
        claim(
            "sana-saraqeb-control",
            "sana",
            Controls("saraqeb", "syrian-army", since="2020-02-06"),
            "2020-02-06",
        ),
    ]


@functools.cache
def idlib_2020() -> Dataset:
    """The seed report as a dataset.

    >>> ds = idlib_2020()
    >>> ds.events["retaliation-2020-02-03"].responds_to
    'attack-2020-02-03'
    >>> str(ds.events["idlib-offensive"].when)
    '2019-12/..'
    """
    source = Source(
        id=REPORT, title="Syrian government forces capture Saraqeb in Idlib", published="2020-02-06"
    )
    sana = Source(
        id="sana",
        title="Syrian Arab News Agency",
        publisher="Syrian Arab News Agency",
        kind=SourceKind.STATE_MEDIA,
        affiliation="syria",
    )
    return Dataset(
        [
            source,
            sana,
            *_actors(),
            *_locations(),
            *_relations(),
            *_agreements(),
            *_events(),
            *_claims(),
        ]
    )
