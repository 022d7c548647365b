"""The three Nagorno-Karabakh truces of October 2020, from public reporting, with claims.

The Moscow humanitarian truce took effect at 12:00 Moscow time on 10 October, after talks
mediated by Russia; a second humanitarian truce from midnight on 17/18 October replaced it, and
a third, brokered by the United States, from 08:00 on 26 October. Each was reported broken
within hours, each side blaming the other. Figures are those officials gave at the time
(Azerbaijan's prosecutor general for Ganja and Barda); who fired is the record's only where
reporting agreed, and otherwise a claim. The truces start at the hour reported (Moscow time is
UTC+3; Armenia and Azerbaijan kept UTC+4); events are dated to the day, so a clash on the day a
truce began is only possibly after it.
"""

from __future__ import annotations

from conflictmodel.actors import Actor
from conflictmodel.agreements import Agreement, Ending
from conflictmodel.claims import Attribution, Claim, Statement, Violated
from conflictmodel.dataset import Dataset
from conflictmodel.events import Casualties, Engagement
from conflictmodel.places import Location, Point
from conflictmodel.records import Record
from conflictmodel.sources import Source

_SIDES = [["armenia"], ["azerbaijan"]]


def _actors() -> list[Record]:
    return [
        Actor(id="armenia", name="Armenia", kind="state", country="ARM"),
        Actor(
            id="armenian-forces",
            name="Armenian and Artsakh forces",
            kind="state_forces",
            part_of="armenia",
            aliases=["Artsakh Defence Army"],
        ),
        Actor(id="azerbaijan", name="Azerbaijan", kind="state", country="AZE"),
        Actor(
            id="azerbaijani-forces",
            name="Azerbaijani Armed Forces",
            kind="state_forces",
            part_of="azerbaijan",
        ),
        Actor(id="russia", name="Russia", kind="state", country="RUS"),
        Actor(id="united-states", name="United States", kind="state", country="USA"),
        Actor(id="civilians", name="Civilians", kind="civilians"),
    ]


def _places() -> list[Record]:
    return [
        Location(id="azerbaijan-country", name="Azerbaijan", kind="country"),
        Location(id="armenia-country", name="Armenia", kind="country"),
        Location(
            id="nagorno-karabakh",
            name="Nagorno-Karabakh",
            kind="region",
            within="azerbaijan-country",
        ),
        Location(
            id="stepanakert",
            name="Stepanakert",
            kind="city",
            within="nagorno-karabakh",
            point=Point(39.8153, 46.7519),
        ),
        Location(id="hadrut", name="Hadrut", kind="town", within="nagorno-karabakh"),
        Location(
            id="ganja",
            name="Ganja",
            kind="city",
            within="azerbaijan-country",
            point=Point(40.6828, 46.3606),
        ),
        Location(id="barda", name="Barda", kind="city", within="azerbaijan-country"),
        Location(id="vardenis", name="Vardenis", kind="town", within="armenia-country"),
    ]


def _truce(agreement_id: str, name: str, start: str, **fields: object) -> Agreement:
    day = start.partition("T")[0]
    return Agreement(
        id=agreement_id,
        name=name,
        kind="truce",
        signed=day,
        declared=day,
        effective=f"{start}/..",
        signatories=["armenia", "azerbaijan"],
        sides=_SIDES,
        written=True,
        purposes=["humanitarian"],
        ceasefire_class="cessation_of_hostilities",
        **fields,  # type: ignore[arg-type]
    )


def _agreements() -> list[Record]:
    return [
        _truce(
            "moscow-truce-2020-10-10",
            "Moscow humanitarian truce",
            "2020-10-10T12:00+03:00",
            mediators=["russia"],
            ended=Ending("replaced", when="2020-10-17"),
        ),
        _truce(
            "humanitarian-truce-2020-10-18",
            "Humanitarian truce of 17 October",
            "2020-10-18T00:00+04:00",
            supersedes=["moscow-truce-2020-10-10"],
            ended=Ending("replaced", when="2020-10-25"),
        ),
        _truce(
            "washington-truce-2020-10-26",
            "US-brokered humanitarian truce",
            "2020-10-26T08:00+04:00",
            mediators=["united-states"],
            supersedes=["humanitarian-truce-2020-10-18"],
            ended=Ending("settlement", when="2020-11-09"),
        ),
    ]


def _clash(day: str, where: str = "nagorno-karabakh") -> Engagement:
    return Engagement(
        id=f"front-clashes-{day}",
        when=day,
        where=where,
        kind="armed_clash",
        initiators=[],
        targets=["armenian-forces", "azerbaijani-forces"],
        description="fighting along the line of contact, each side saying the other attacked",
    )


def _strike(event_id: str, day: str, where: str, killed: int, description: str) -> Engagement:
    return Engagement(
        id=event_id,
        when=day,
        where=where,
        kind="missile_strike",
        initiators=[],
        targets=["civilians"],
        casualties=[Casualties("civilians", killed=killed)],
        description=description,
    )


def _events() -> list[Record]:
    return [
        *(_clash(day) for day in ("2020-09-27", "2020-09-29", "2020-10-02")),
        Engagement(
            id="stepanakert-shelling-2020-10-04",
            when="2020-10-04",
            where="stepanakert",
            kind="shelling",
            initiators=["azerbaijani-forces"],
            targets=["civilians", "armenian-forces"],
            description="shelling of Stepanakert",
        ),
        _clash("2020-10-10", "hadrut"),
        _strike(
            "ganja-strike-2020-10-11",
            "2020-10-11",
            "ganja",
            10,
            "missile strike on a residential block in Ganja",
        ),
        _clash("2020-10-14"),
        Engagement(
            id="vardenis-strike-2020-10-14",
            when="2020-10-14",
            where="vardenis",
            kind="airstrike",
            initiators=["azerbaijani-forces"],
            targets=["armenian-forces"],
            description="Azerbaijan says it destroyed missile launchers in Armenia",
        ),
        _strike(
            "ganja-strike-2020-10-17",
            "2020-10-17",
            "ganja",
            13,
            "night-time missile strike on Ganja",
        ),
        _clash("2020-10-18"),
        _clash("2020-10-20"),
        _clash("2020-10-26"),
        _strike(
            "barda-strike-2020-10-28",
            "2020-10-28",
            "barda",
            21,
            "rocket strike with cluster munitions on Barda",
        ),
    ]


def _claims() -> list[Record]:
    said: list[tuple[str, str, Statement, str, str]] = [
        (
            "az-ganja-1",
            "azerbaijan",
            Attribution("ganja-strike-2020-10-11", ["armenia"]),
            "asserts",
            "2020-10-11",
        ),
        (
            "am-ganja-1",
            "armenia",
            Attribution("ganja-strike-2020-10-11", ["armenia"]),
            "denies",
            "2020-10-11",
        ),
        (
            "az-ganja-2",
            "azerbaijan",
            Attribution("ganja-strike-2020-10-17", ["armenia"]),
            "asserts",
            "2020-10-17",
        ),
        (
            "am-ganja-2",
            "armenia",
            Attribution("ganja-strike-2020-10-17", ["armenia"]),
            "denies",
            "2020-10-17",
        ),
        (
            "am-hadrut",
            "armenia",
            Violated(
                "moscow-truce-2020-10-10", ["azerbaijan"], events=["front-clashes-2020-10-10"]
            ),
            "asserts",
            "2020-10-10",
        ),
        (
            "az-hadrut",
            "azerbaijan",
            Violated("moscow-truce-2020-10-10", ["armenia"], events=["front-clashes-2020-10-10"]),
            "asserts",
            "2020-10-10",
        ),
        (
            "am-18",
            "armenia",
            Violated(
                "humanitarian-truce-2020-10-18", ["azerbaijan"], events=["front-clashes-2020-10-18"]
            ),
            "asserts",
            "2020-10-18",
        ),
        (
            "az-18",
            "azerbaijan",
            Violated(
                "humanitarian-truce-2020-10-18", ["armenia"], events=["front-clashes-2020-10-18"]
            ),
            "asserts",
            "2020-10-18",
        ),
        (
            "am-26",
            "armenia",
            Violated(
                "washington-truce-2020-10-26", ["azerbaijan"], events=["front-clashes-2020-10-26"]
            ),
            "asserts",
            "2020-10-26",
        ),
        (
            "az-26",
            "azerbaijan",
            Violated(
                "washington-truce-2020-10-26", ["armenia"], events=["front-clashes-2020-10-26"]
            ),
            "asserts",
            "2020-10-26",
        ),
        (
            "az-barda",
            "azerbaijan",
            Attribution("barda-strike-2020-10-28", ["armenia"]),
            "asserts",
            "2020-10-28",
        ),
        (
            "am-barda",
            "armenia",
            Attribution("barda-strike-2020-10-28", ["armenia"]),
            "denies",
            "2020-10-28",
        ),
    ]
    return [
        Claim(
            id=claim_id,
            claimant=who,
            statement=statement,
            stance=stance,
            made=made,
            sources=["reporting-2020-10"],
        )
        for claim_id, who, statement, stance, made in said
    ]


def karabakh_2020() -> Dataset:
    """The October 2020 Nagorno-Karabakh truces as a dataset.

    >>> import conflictmodel as cm
    >>> sorted(cm.examples.karabakh_2020().agreements)
    ['humanitarian-truce-2020-10-18', 'moscow-truce-2020-10-10', 'washington-truce-2020-10-26']
    """
    source = Source(
        id="reporting-2020-10",
        title="Reporting on the Nagorno-Karabakh truces, October 2020",
        published="2020-10",
    )
    return Dataset([*_actors(), *_places(), *_agreements(), source, *_events(), *_claims()])
