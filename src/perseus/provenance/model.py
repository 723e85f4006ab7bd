"""The JSON Schema of decoded provenance steps, cut from spec/provenance_steps.yaml.

No API payload carries decoded steps, so they are not part of a published data
specification; the schema is generated next to them (generated/provenance/) and
`perseus verify` checks every decoded step against it.
"""

from __future__ import annotations

from perseus.paths import GENERATED
from perseus.releases import Release

VERSION = "2026-11-28"
STEP_CLASSES = ("PermissionStep", "OriginStep", "TransferStep", "ReceiptStep", "ProcessStep")
STEPS_RELEASE = Release(
    label="provenance-steps",
    version=VERSION,
    title="Provenance steps",
    status="draft",
    description="The decoded steps of a Perseus provenance record: permission, origin, transfer, receipt and process.",
    payloads=STEP_CLASSES,
)
STEP_SCHEMA_RELATIVE = f"generated/provenance/{STEPS_RELEASE.ref}.schema.json"
STEP_SCHEMA_PATH = GENERATED / "provenance" / f"{STEPS_RELEASE.ref}.schema.json"


def step_jsonschema() -> dict:
    """The steps' JSON Schema. An enum annotated `registry_signal` is an assurance signal, whose
    values steps write as registry URIs in any environment: its definition becomes that pattern."""
    from perseus.generators.jsonschema import release_jsonschema
    from perseus.provenance.vocabulary import SCHEME_PATTERN
    from perseus.spec_versions import annotation, cut_schema

    cut = cut_schema(STEPS_RELEASE)
    schema = release_jsonschema(STEPS_RELEASE, cut)
    for name, enum in cut.enums.items():
        if signal := annotation(enum, "registry_signal"):
            definition = schema["$defs"][name]
            values = "|".join(definition.pop("enum"))
            definition["pattern"] = f"^{SCHEME_PATTERN}/assurance/{signal}/({values})$"
            definition["description"] += f" Values: {values.replace('|', ', ')}."
    return schema
