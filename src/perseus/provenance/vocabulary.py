"""The scheme's names for provenance: trust framework, roles, certificate extensions, URIs.

The assurance enums here are kept equal to spec/provenance_steps.yaml by a test.
"""

from __future__ import annotations

TRUST_FRAMEWORK = "https://registry.core.trust.ib1.org/trust-framework"
SCHEME = "https://registry.core.trust.ib1.org/scheme/perseus"
SOURCE_TYPES = f"{SCHEME}/source-type"
PROCESSES = f"{SCHEME}/process"

# Roles as the registry labels them; a signing certificate lists its member's roles.
EDP = "energy-data-provider"
CAP = "carbon-accounting-provider"
FSP = "financial-service-provider"
ROLES = (EDP, CAP, FSP)

# IB1 certificate extensions (see the scheme facts): member URL and role list.
OID_ROLES = "1.3.6.1.4.1.62329.1.1"
OID_MEMBER = "1.3.6.1.4.1.62329.1.3"

ENVIRONMENTS = ("sandbox", "production")

# `sourceType` of origin steps.
METER = f"{SOURCE_TYPES}/Meter"
DATASET_SOURCE_TYPES = {  # dataset role in the report's sources -> origin sourceType
    "grid-intensity": f"{SOURCE_TYPES}/GridIntensity",
    "emission-factors": f"{SOURCE_TYPES}/EmissionFactors",
    "calorific-values": f"{SOURCE_TYPES}/CalorificValues",
}

# The assurance vocabulary (perseus:assurance).
DATA_SOURCES = ("SmartMeter", "VirtualMeter")
MISSING_DATA = ("Complete", "Missing", "Substituted")
PROCESSING = ("Emissions",)

STEP_TYPES = ("permission", "origin", "transfer", "receipt", "process")


def process_uri(label: str, version: str) -> str:
    """The registry URI of a methodology version (a scheme `process`)."""
    return f"{PROCESSES}/{label}/{version}"
