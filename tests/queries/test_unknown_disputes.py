"""Statements of types not registered here (read with ``strict=False``) are disputed only by
claims on the same type and fields, never by unrelated unknown statements."""

from __future__ import annotations

import conflictmodel as cm
from conflictmodel.opaque import UnknownStatement


def claim(
    claim_id: str, statement: UnknownStatement, stance: str = "asserts", claimant: str = "turkey"
) -> cm.Claim:
    return cm.Claim(
        id=claim_id, claimant=claimant, statement=statement, made="2020-02-07", stance=stance
    )


def test_unrelated_unknown_statements_are_no_dispute() -> None:
    used = UnknownStatement(tag="acme.used_munition", payload={"event": "attack-2020-02-03"})
    other_event = UnknownStatement(tag="acme.used_munition", payload={"event": "e2"})
    other_type = UnknownStatement(tag="acme.sighted", payload={"event": "attack-2020-02-03"})
    seed = cm.examples.idlib_2020()
    ds = seed.with_records(
        [claim("a", used), claim("b", other_event, "denies"), claim("c", other_type, "denies")]
    )
    assert [str(d.subject) for d in cm.disputes(ds)] == [str(d.subject) for d in cm.disputes(seed)]


def test_a_denial_of_the_same_unknown_statement_is_a_dispute() -> None:
    used = UnknownStatement(tag="acme.used_munition", payload={"event": "attack-2020-02-03"})
    same = UnknownStatement(tag="acme.used_munition", payload='{"event": "attack-2020-02-03"}')
    denial = claim("b", same, "denies", claimant="syria")
    ds = cm.examples.idlib_2020().with_records([claim("a", used), denial])
    found = [d for d in cm.disputes(ds) if d.subject.kind.startswith("acme")]
    assert [str(d.subject) for d in found] == ['acme.used_munition({"event":"attack-2020-02-03"})']
    assert sorted(c for p in found[0].positions for c in p.claims) == ["a", "b"]
