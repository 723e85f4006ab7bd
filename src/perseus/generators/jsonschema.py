"""JSON Schema for one release, from LinkML, completed where LinkML stops short.

A release is written in one of two profiles (governance/releases.yaml). `strict`, as
the 2025-10-27 releases were approved: every object closed, timestamps in Z, LinkML's
class names, enums as definitions of their own. `registry`, as the registry's
documents: objects open except those the model closes (`extra_slots`), timestamps any
RFC 3339 date-time, the registry's component names (a class's `registry_name`) and
enums written where they are used, so that a client generated from either document
is the same. The project's registry-profile releases also get a strict file
(`<release>.strict.schema.json`), which `perseus validate --strict` uses.
"""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass

from linkml.generators.jsonschemagen import JsonSchemaGenerator
from linkml_runtime import SchemaView
from linkml_runtime.linkml_model.meta import SchemaDefinition

from perseus.generators.refs import inline_refs, rename_definitions
from perseus.releases import STRICT, Release
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
# The registry's names for the definitions above (for LinkML classes: `registry_name`).
EXTRA_REGISTRY_NAMES = {"StepContainerItem": "ProvenanceStep"}
DEFS = "#/$defs/"


@dataclass(frozen=True)
class Rendering:
    registry_names: bool  # the registry's component names; enums written where used
    closed: bool  # every object closed, not only those the model closes
    strict_patterns: bool  # keep the patterns of types annotated `pattern_profile: strict`


def rendering(release: Release, strict: bool = False) -> Rendering:
    """How a release's document is written; `strict` asks for its strict file."""
    if release.profile == STRICT:
        return Rendering(registry_names=False, closed=True, strict_patterns=True)
    return Rendering(registry_names=True, closed=strict, strict_patterns=strict)


def _property_name(slot) -> str:
    return slot.alias or slot.name


def _complete(defs: dict, schema: SchemaDefinition) -> None:
    """Add what the LinkML generator leaves out: recursive items and rule texts."""
    view = SchemaView(schema)
    for cls_name in view.all_classes():
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
                target["properties"][_property_name(slot)] = {
                    "description": prop.get("description", ""),
                    "$ref": f"#/$defs/{ref}",
                }
                defs.setdefault(ref, EXTRA_DEFS[ref])
            if prop.get("$ref") == f"{DEFS}Any":  # any JSON value: the description is all there is to say
                del prop["$ref"]
        # The generator writes one conditional a rule, the ancestors' rules too, in this order; a
        # rule it writes no `if` for would shift the descriptions, so strict= makes that fail loudly.
        rules = [rule for name in view.class_ancestors(cls_name) for rule in view.get_class(name).rules or []]
        conditionals = [target] if "if" in target else [s for s in target.get("allOf", []) if "if" in s]
        for conditional, rule in zip(conditionals, rules, strict=True):
            if rule.description:
                conditional["then"]["description"] = rule.description
    defs.pop("Any", None)


def _without_strict_patterns(schema: SchemaDefinition) -> SchemaDefinition:
    schema = deepcopy(schema)
    for type_ in schema.types.values():
        if annotation(type_, "pattern_profile") == STRICT:
            type_.pattern = None
    return schema


def _registry_names(defs: dict, schema: SchemaDefinition) -> dict:
    """The definitions under the registry's names, with enums written where they are used."""
    # The using property's description says what the value is; the enum's own title and description go.
    enums = {
        name: {k: v for k, v in d.items() if k not in ("title", "description")}
        for name, d in defs.items()
        if "enum" in d
    }
    defs = {name: inline_refs(d, enums, DEFS) for name, d in defs.items() if name not in enums}
    # An abstract class no definition refers to is not a component of the registry's documents.
    text = json.dumps(defs)
    for name, cls in schema.classes.items():
        if cls.abstract and f'"{DEFS}{name}"' not in text:
            defs.pop(name, None)
    for definition in defs.values():  # open is the default; the registry's documents do not say it
        if definition.get("additionalProperties") is True:
            del definition["additionalProperties"]
    names = {n: name for n, c in schema.classes.items() if (name := annotation(c, "registry_name"))}
    return rename_definitions(defs, names | EXTRA_REGISTRY_NAMES, DEFS)


def release_jsonschema(release: Release, schema: SchemaDefinition | None = None, strict: bool = False) -> dict:
    """The JSON Schema document of a release: every payload under `$defs`, any of them at the top.

    `strict` gives the strict file of a registry-profile release."""
    how = rendering(release, strict)
    schema = schema or cut_schema(release)
    if not how.strict_patterns:
        schema = _without_strict_patterns(schema)
    generated = json.loads(JsonSchemaGenerator(schema, include_null=False, not_closed=not how.closed).serialize())
    defs = generated["$defs"]
    _complete(defs, schema)
    if how.registry_names:
        defs = _registry_names(defs, schema)
    title = f"{release.title} ({release.ref})"
    description = release.description
    if strict and release.profile != STRICT:
        title = f"{release.title} ({release.ref}, strict profile)"
        description += (
            " Strict profile: every object closed, timestamps in UTC written with `Z`, "
            "emissions entries aligned to calendar months."
        )
    return {
        "$schema": generated["$schema"],
        "$id": f"{REGISTRY}/jsonschema/{release.label}/{release.version}" + ("/strict" if strict else ""),
        "title": title,
        "description": description,
        "version": release.version,
        "x-ib1-registry-label": release.label,
        "anyOf": [{"$ref": f"{DEFS}{p}"} for p in release.payloads],
        "$defs": dict(sorted(defs.items())),
    }
