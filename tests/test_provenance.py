"""Sources with a standing, claims citing several sources, unattributed claims."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

import conflictmodel as cm
from conflictmodel.io.frames import to_frame

AIRSTRIKE = "turkish-airstrike-2020-02-06"


def test_a_source_has_a_kind_and_an_affiliation() -> None:
    ds = cm.examples.idlib_2020()
    sana = ds.sources["sana"]
    assert (sana.kind, sana.affiliation) == (cm.SourceKind.STATE_MEDIA, "syria")
    assert cm.loads(cm.dumps(ds)) == ds
    table = to_frame(ds, "sources").set_index("id")
    assert table.loc["sana", "kind"] == "state_media"
    assert table.loc["sana", "affiliation"] == "syria"


def test_a_bad_source_kind_names_the_field_and_the_accepted_kinds() -> None:
    with pytest.raises(
        cm.ValidationError, match=r"Source 'x'\.kind: 'blog' is not a valid SourceKind"
    ):
        cm.Source(id="x", title="t", kind="blog")


def test_an_affiliation_must_name_an_actor() -> None:
    with pytest.raises(cm.DatasetError, match=r"source 'x'\.affiliation: no actor has id 'nobody'"):
        cm.Dataset([cm.Source(id="x", title="t", affiliation="nobody")])


def test_source_is_deprecated_and_folded_into_sources() -> None:
    statement = cm.Occurred("e")
    with pytest.deprecated_call():
        claim = cm.Claim(id="c", claimant="a", statement=statement, source="s2", sources=["s1"])
    assert claim.sources == ("s1", "s2")
    with pytest.deprecated_call():
        assert claim.source == "s1"
    assert cm.Claim(id="c", claimant="a", statement=statement, sources=["s1", "s2"]) == claim


def _version_1(ds: cm.Dataset) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(cm.dumps(ds))
    document["version"] = 1
    for claim in document["claims"]:
        sources = claim.pop("sources")
        claim["source"] = sources[0] if sources else None
    return document


def test_version_1_files_load_with_their_source_as_sources(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    old = _version_1(seed)
    assert cm.loads(orjson.dumps(old)) == seed
    path = tmp_path / "old.jsonl"
    lines = [{"format": "conflictmodel", "version": 1}]
    lines += [record for name in sorted(cm.dataset.COLLECTIONS) for record in old.get(name, [])]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    assert cm.load(path) == seed


def _with_unattributed(stance: str = "asserts", killed: int = 40) -> cm.Dataset:
    rumour = cm.Claim(
        id="reports-say-40",
        claimant=None,
        statement=cm.CasualtyFigure(AIRSTRIKE, "syrian-civilians", killed=killed),
        stance=stance,
        made="2020-02-07",
        sources=["report-2020-02-06"],
    )
    return cm.examples.idlib_2020().with_records([rumour])


def test_an_unattributed_figure_is_never_the_record_but_is_shown() -> None:
    seed = cm.examples.idlib_2020()
    ds = _with_unattributed()
    assert cm.casualties_by_actor(ds) == cm.casualties_by_actor(seed)
    figures = cm.casualties_by_actor(ds).by_event[AIRSTRIKE]
    assert [f.alleged_by for f in figures] == [("syria", "unattributed")]
    assert [f.claims for f in figures] == [("syria-airstrike-killed-15",)]


def test_an_unattributed_figure_alone_gives_no_total() -> None:
    lone = cm.Claim(
        id="lone",
        claimant=None,
        statement=cm.CasualtyFigure("interception-2020-02-06", "syrian-army", killed=3),
    )
    ds = cm.examples.idlib_2020().with_records([lone])
    assert "interception-2020-02-06" not in cm.casualties_by_actor(ds).by_event


def test_according_to_cannot_select_unattributed_claims() -> None:
    ds = _with_unattributed()
    with pytest.raises(cm.UnknownNameError):
        cm.casualties_by_actor(ds, according_to="unattributed")
    assert cm.casualties_by_actor(ds, according_to="syria") == cm.casualties_by_actor(
        cm.examples.idlib_2020(), according_to="syria"
    )


def test_an_unattributed_claim_shows_in_disputes() -> None:
    disputes = cm.disputes(_with_unattributed())
    figure = [
        d for d in disputes if d.subject.kind == "casualties" and AIRSTRIKE in d.subject.about
    ]
    assert len(figure) == 1
    assert figure[0].claimants == ("syria", "unattributed")
    assert "unattributed asserts" in str(figure[0])
    frame = disputes.to_frame()
    rows = frame[(frame["kind"] == "casualties") & frame["about"].str.contains(AIRSTRIKE)]
    assert list(rows["claimant_names"]) == ["Syria", "unattributed"]
    assert len(frame) == sum(len(d.positions) for d in disputes)
    assert "<caption>1 dispute</caption>" in disputes._repr_html_()
    assert "<td>Syria asserts 15 vs unattributed asserts 40</td>" in disputes._repr_html_()
    assert f"<td>casualties({AIRSTRIKE}, Syrian civilians, killed)</td>" in disputes._repr_html_()
    assert list(rows["about_names"]) == [f"{AIRSTRIKE}; Syrian civilians; killed"] * 2
