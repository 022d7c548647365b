"""The generated JSON Schema accepts every dumped document and is the one in the docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import orjson
from hypothesis import given, settings

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.io.schema import json_schema

DOCS_SCHEMA = Path(__file__).parents[2] / "docs" / "file-format.schema.json"


def _validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


VALIDATOR = _validator()


@settings(max_examples=20)
@given(testing.datasets())
def test_every_dumped_document_validates(ds: cm.Dataset) -> None:
    document: dict[str, Any] = orjson.loads(cm.dumps(ds))
    VALIDATOR.validate(document)


def test_the_seed_validates_and_broken_shapes_do_not() -> None:
    document: dict[str, Any] = orjson.loads(cm.dumps(cm.examples.idlib_2020()))
    VALIDATOR.validate(document)
    document["events"][0]["when"] = "6 February"
    document["actors"][0]["extra"] = 1
    document["claims"][0]["statement"]["type"] = "rumour"
    assert len(list(VALIDATOR.iter_errors(document))) == 3


def test_the_schema_in_the_docs_is_current() -> None:
    documented = orjson.loads(DOCS_SCHEMA.read_bytes())
    assert documented == json_schema(), (
        "regenerate with: python -m conflictmodel.io.schema > docs/file-format.schema.json"
    )
