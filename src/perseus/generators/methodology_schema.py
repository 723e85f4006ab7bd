"""JSON Schema of the methodology and factor models, so that methodology documents and
factor metadata are checked against the LinkML model quickly (loading LinkML costs a
second per process; the generated file is committed and drift-checked like the rest)."""

from __future__ import annotations

import json

from linkml.generators.jsonschemagen import JsonSchemaGenerator

from perseus.paths import METHODOLOGY_SCHEMA as PATH  # noqa: F401  (where run.py writes it)
from perseus.spec_versions import merged_root

CLASSES = ("Methodology", "FactorSet", "EmissionFactor", "CalorificValueDefaults")


def methodology_jsonschema() -> dict:
    generated = json.loads(JsonSchemaGenerator(merged_root(), include_null=False).serialize())
    return {
        "$schema": generated["$schema"],
        "$id": "https://registry.core.trust.ib1.org/scheme/perseus/jsonschema/methodology-and-factors",
        "title": "Methodology documents and factor datasets",
        "description": "Generated from spec/methodology.yaml and spec/factors.yaml; not a published data specification.",
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name in CLASSES],
        "$defs": dict(sorted(generated["$defs"].items())),
    }
