"""JSON Schema for one release, from LinkML, completed where LinkML stops short."""

from __future__ import annotations

import json

from linkml.generators.jsonschemagen import JsonSchemaGenerator
from linkml_runtime import SchemaView
from linkml_runtime.linkml_model.meta import SchemaDefinition

from perseus.releases import Release
from perseus.spec_versions import annotation, cut_schema

REGISTRY = "https://registry.core.trust.ib1.org/scheme/perseus"

# LinkML cannot state a recursive array whose items are strings, integers or
# arrays of the same; a slot annotated `json_schema_items: NAME` gets this
# definition as its items instead.
EXTRA_DEFS = {
    "StepContainerItem": {
        "title": "StepContainerItem",
        "description": (
            "An item of a provenance step container: an encoded step (string), a nested "
            "container (array of items), or the integer 0 that opens a signature block."
        ),
        "anyOf": [
            {"type": "string"},
            {"type": "integer"},
            {"type": "array", "items": {"$ref": "#/$defs/StepContainerItem"}},
        ],
    },
    "CertificateMap": {
        "title": "CertificateMap",
        "description": (
            "Signing certificates keyed by certificate serial (decimal string): the signing "
            "certificate in PEM followed by the serials of its issuers, or an issuer's PEM alone."
        ),
        "type": "object",
        "propertyNames": {"pattern": "^[0-9]+$"},
        "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    },
}


def _property_name(slot) -> str:
    return slot.alias or slot.name


def _complete(defs: dict, schema: SchemaDefinition) -> None:
    """Add what the LinkML generator leaves out: recursive items and rule texts."""
    view = SchemaView(schema)
    for cls_name, cls in view.all_classes().items():
        target = defs.get(cls_name)
        if target is None:
            continue
        for slot in view.class_induced_slots(cls_name):
            prop = target.get("properties", {}).get(_property_name(slot))
            if prop is None:
                continue
            if items := annotation(slot, "json_schema_items"):
                prop["items"] = {"$ref": f"#/$defs/{items}"}
                defs.setdefault(items, EXTRA_DEFS[items])
            if ref := annotation(slot, "json_schema_ref"):  # a single value LinkML cannot state (e.g. a map)
                target["properties"][_property_name(slot)] = {"description": prop.get("description", ""), "$ref": f"#/$defs/{ref}"}
                defs.setdefault(ref, EXTRA_DEFS[ref])
        conditionals = [target] if "if" in target else [s for s in target.get("allOf", []) if "if" in s]
        for conditional, rule in zip(conditionals, cls.rules or []):
            if rule.description:
                conditional["then"]["description"] = rule.description
    defs.pop("Any", None)


def release_jsonschema(release: Release, schema: SchemaDefinition | None = None) -> dict:
    """The JSON Schema document of a release: every payload under `$defs`, any of them at the top."""
    schema = schema or cut_schema(release)
    generated = json.loads(JsonSchemaGenerator(schema, include_null=False).serialize())
    defs = generated["$defs"]
    _complete(defs, schema)
    return {
        "$schema": generated["$schema"],
        "$id": f"{REGISTRY}/jsonschema/{release.label}/{release.version}",
        "title": f"{release.title} ({release.ref})",
        "description": release.description,
        "version": release.version,
        "x-ib1-registry-label": release.label,
        "anyOf": [{"$ref": f"#/$defs/{p}"} for p in release.payloads],
        "$defs": dict(sorted(defs.items())),
    }
