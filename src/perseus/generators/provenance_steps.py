"""The JSON Schema of decoded provenance steps, cut from spec/provenance_steps.yaml."""

from __future__ import annotations

from perseus.generators.jsonschema import release_jsonschema
from perseus.provenance.model import STEPS_RELEASE
from perseus.provenance.vocabulary import SCHEME_PATTERN
from perseus.spec_versions import annotation, cut_schema


def step_jsonschema() -> dict:
    """The steps' JSON Schema. An enum annotated `registry_signal` is an assurance signal, whose
    values steps write as registry URIs in any environment: its definition becomes that pattern."""
    cut = cut_schema(STEPS_RELEASE)
    schema = release_jsonschema(STEPS_RELEASE, cut)
    for name, enum in cut.enums.items():
        if signal := annotation(enum, "registry_signal"):
            definition = schema["$defs"][name]
            values = "|".join(definition.pop("enum"))
            definition["pattern"] = f"^{SCHEME_PATTERN}/assurance/{signal}/({values})$"
            definition["description"] += f" Values: {values.replace('|', ', ')}."
    return schema
