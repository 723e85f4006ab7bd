"""Where the JSON Schema of decoded provenance steps lives, and the release it is cut as.

No API payload carries decoded steps, so they are not part of a published data
specification; the schema is generated (perseus.generators.provenance_steps, from
spec/provenance_steps.yaml) into generated/provenance/ and `perseus verify` checks
every decoded step against it.
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
    description="The decoded steps of a Perseus provenance record: permission, origin, transfer, receipt and process.",
    payloads=STEP_CLASSES,
)
STEP_SCHEMA_RELATIVE = f"generated/provenance/{STEPS_RELEASE.ref}.schema.json"
STEP_SCHEMA_PATH = GENERATED / "provenance" / f"{STEPS_RELEASE.ref}.schema.json"
