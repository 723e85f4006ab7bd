"""The JSON Schema of decoded provenance steps, cut from spec/provenance_steps.yaml."""

from __future__ import annotations

from perseus.generators.jsonschema import release_jsonschema
from perseus.provenance.model import STEP_CLASSES, STEPS_RELEASE


def step_jsonschema() -> dict:
    """The steps' JSON Schema; steps stay open to members' own keys, their parts stay closed."""
    schema = release_jsonschema(STEPS_RELEASE)
    for name in STEP_CLASSES:
        schema["$defs"][name]["additionalProperties"] = True
    return schema
