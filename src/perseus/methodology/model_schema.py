"""Check documents against the methodology and factor models (the generated JSON Schema of spec/methodology.yaml and spec/factors.yaml)."""

from __future__ import annotations

import json
from functools import cache, lru_cache

from perseus.paths import METHODOLOGY_SCHEMA as PATH
from perseus.paths import ROOT
from perseus.validation import Problem, validate_payload


@lru_cache(maxsize=1)
def model_schema() -> dict:
    return json.loads((ROOT / PATH).read_text())


@cache
def _validator(cls: str):
    import jsonschema_rs

    from perseus.validation import class_schema

    return jsonschema_rs.validator_for(class_schema(model_schema(), cls), validate_formats=True)


def problems(cls: str, document) -> list[Problem]:
    if _validator(cls).is_valid(document):  # the common case: one compiled validator per class, not one per row
        return []
    return validate_payload(model_schema(), cls, document)


@cache
def enum_values(name: str) -> tuple[str, ...]:
    """The permissible values of an enum of the model, in the order spec/ lists them (vocabulary is never retyped)."""
    return tuple(model_schema()["$defs"][name]["enum"])
