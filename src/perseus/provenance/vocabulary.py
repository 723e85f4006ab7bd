"""The scheme's provenance vocabulary, in one place: environments, trust frameworks, URIs, roles,
assurance signals, source types, processes, licences, and the instants steps are dated with.

Each environment has its own registry host, so every scheme URI (trust framework, role,
assurance value, source type...) names its environment: a sandbox certificate holds
`https://registry.core.sandbox.trust.ib1.org/scheme/perseus/role/carbon-accounting-provider`.
The enums here are kept equal to spec/provenance_steps.yaml by a test.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PRODUCTION_HOST = "trust.ib1.org"
HOSTS = {  # environment -> the suffix of its registry and directory hosts
    "sandbox": f"sandbox.{PRODUCTION_HOST}",
    "pilot": f"pilot.{PRODUCTION_HOST}",
    "production": PRODUCTION_HOST,
}
ENVIRONMENTS = tuple(HOSTS)

# Role labels as certificates and the directory name them (the URI is Environment.role(label)).
EDP = "energy-data-provider"
CAP = "carbon-accounting-provider"
FSP = "financial-service-provider"
ROLES = (EDP, CAP, FSP)

# IB1 certificate extensions: the member's directory URL and the list of role URIs.
OID_ROLES = "1.3.6.1.4.1.62329.1.1"
OID_MEMBER = "1.3.6.1.4.1.62329.1.3"

STEP_TYPES = ("permission", "origin", "transfer", "receipt", "process")

# perseus:assurance: step key -> (the registry's signal label, its values), as assurance.rb lists them.
ASSURANCE = {
    "dataSource": ("data-source", ("SmartMeter", "VirtualMeter")),
    "missingData": ("missing-data", ("Complete", "Missing", "Substituted")),
    "processing": ("processing", ("Emissions", "SmartDCCOtherUser", "VirtualMeter")),
    "processingVirtualMeter": (
        "processing-virtual-meter",
        ("AreaOccupied", "NumberOfOccupants", "AdditionalMetering", "Other"),
    ),
}

# Source types (`sourceType` of origin steps): the registry's, the CAP agent's, and this project's own.
METER = "Meter"
GRID_INTENSITY = "GridCarbonIntensity"
GAS_FACTOR = "GasGreenhouseGasFactor"
EMISSION_FACTORS = "EmissionFactors"  # electricity annual factors: no scheme source type yet
CALORIFIC_VALUES = "CalorificValues"  # gas calorific values: no scheme source type yet
DATASET_SOURCE_TYPES = (GRID_INTENSITY, GAS_FACTOR, EMISSION_FACTORS, CALORIFIC_VALUES)


def dataset_source_type(role: str, energy_type: str) -> str:
    """The source type label of a dataset in a report's `sources` (its role there, for one energy type)."""
    if role == "grid-intensity":
        return GRID_INTENSITY
    if role == "emission-factors":
        return GAS_FACTOR if energy_type == "gas" else EMISSION_FACTORS
    if role == "calorific-values":
        return CALORIFIC_VALUES
    raise ValueError(f"unknown dataset role {role!r}")


# The registry's and the CAP agent's calculation processes, and the energy type each computes
# (this project's own process steps say theirs in `perseus:energyType`).
PROCESS_ENERGY_TYPES = {
    "emissions-calculations": "electricity",
    "electricity-emissions-calculation": "electricity",
    "gas-emissions-calculation": "gas",
}

# What this project's records cite: the 2026-03-12 release's standards and licences.
RELEASE = "2026-03-12"
CONSUMPTION_STANDARD = ("energy-consumption-data", RELEASE)
EMISSIONS_STANDARD = ("emissions-report", RELEASE)
EDP_CAP_LICENCE = ("energy-consumption-edp-cap", RELEASE)
CAP_FSP_LICENCE = ("emissions-cap-fsp", RELEASE)


@dataclass(frozen=True)
class Environment:
    """One environment's registry and directory, and the scheme URIs under them."""

    name: str

    @property
    def registry(self) -> str:
        return f"https://registry.core.{HOSTS[self.name]}"

    @property
    def directory(self) -> str:
        return f"https://directory.core.{HOSTS[self.name]}"

    @property
    def trust_framework(self) -> str:
        return f"{self.registry}/trust-framework"

    @property
    def scheme(self) -> str:
        return f"{self.registry}/scheme/perseus"

    def role(self, label: str) -> str:
        return f"{self.scheme}/role/{label}"

    def assurance(self, key: str, value: str) -> str:
        signal, values = ASSURANCE[key]
        if value not in values:
            raise ValueError(f"{key} {value!r} is not one of {', '.join(values)}")
        return f"{self.scheme}/assurance/{signal}/{value}"

    def source_type(self, label: str) -> str:
        return f"{self.scheme}/source-type/{label}"

    def standard(self, label: str, version: str) -> str:
        return f"{self.scheme}/standard/{label}/{version}"

    def licence(self, label: str, version: str) -> str:
        # The 2026-03-12 release spells it `license` (the 2024-12-05 one `licence`).
        return f"{self.scheme}/license/{label}/{version}"

    def process(self, label: str, version: str) -> str:
        return f"{self.scheme}/process/{label}/{version}"


PRODUCTION = Environment("production")
SANDBOX = Environment("sandbox")
TRUST_FRAMEWORK = PRODUCTION.trust_framework  # records that name no environment of their own
SCHEME = PRODUCTION.scheme


def environment(name: str) -> Environment:
    if name not in HOSTS:
        raise ValueError(f"unknown environment {name!r}; known: {', '.join(ENVIRONMENTS)}")
    return Environment(name)


def by_trust_framework(url: object) -> Environment | None:
    return next((Environment(n) for n in ENVIRONMENTS if Environment(n).trust_framework == url), None)


def trust_frameworks() -> list[str]:
    return [Environment(n).trust_framework for n in ENVIRONMENTS]


def process_uri(label: str, version: str) -> str:
    """The registry URI of a methodology version (a scheme `process`); methodologies are published in production."""
    return PRODUCTION.process(label, version)


# --- reading scheme URIs -----------------------------------------------------------------------

SCHEME_PATTERN = r"https://registry\.core\.(?:(?:sandbox|pilot)\.)?trust\.ib1\.org/scheme/perseus"
_SCHEME_URI = re.compile(rf"^({SCHEME_PATTERN})/([a-z-]+)/(.+)$")


def scheme_path(uri) -> tuple[str, str] | None:
    """(kind, rest) of a scheme URI in any environment, e.g. ("role", "carbon-accounting-provider"); else None."""
    match = _SCHEME_URI.match(uri) if isinstance(uri, str) else None
    return (match.group(2), match.group(3)) if match else None


def is_a(uri, kind: str, labels=None) -> bool:
    """Whether `uri` is a scheme URI of this kind (in any environment), with one of `labels` if given."""
    found = scheme_path(uri)
    return found is not None and found[0] == kind and (labels is None or found[1].split("/")[0] in labels)


def roles_held(roles, env: Environment) -> set[str]:
    """The role labels a certificate's role list gives its member in `env`."""
    return {label for label in ROLES if env.role(label) in roles}


def short(uri) -> str:
    """The last part of a scheme URI (an assurance value, a source type), else the value as written."""
    found = scheme_path(uri)
    return found[1].rsplit("/", 1)[-1] if found else str(uri)


def environment_of_role(roles, label: str) -> Environment | None:
    """The environment in which a certificate's role list holds `label` (its role URIs name it)."""
    return next((Environment(n) for n in ENVIRONMENTS if Environment(n).role(label) in roles), None)


def role_label(uri: str) -> str:
    found = scheme_path(uri)
    return found[1] if found and found[0] == "role" else uri


def shown_roles(roles, env: Environment) -> str:
    """A certificate's roles for people: labels for the environment's role URIs, anything else as written."""
    own = {env.role(label) for label in roles_held(roles, env)}
    return (
        ", ".join(role_label(r) if r in own else f"{r} (not a role URI of the {env.name} environment)" for r in roles)
        or "no role"
    )


def energy_type_of(process: dict) -> str | None:
    """The energy type a calculation computes: its own `perseus:energyType`, else the registry process's."""
    if process.get("perseus:energyType"):
        return process["perseus:energyType"]
    found = scheme_path(process.get("process"))
    return PROCESS_ENERGY_TYPES.get(found[1].split("/")[0]) if found and found[0] == "process" else None


def assurance_pattern(key: str) -> str:
    """The JSON Schema pattern of one assurance signal's values: its URIs in any environment."""
    signal, values = ASSURANCE[key]
    return f"^{SCHEME_PATTERN}/assurance/{re.escape(signal)}/({'|'.join(values)})$"


# --- instants ----------------------------------------------------------------------------------

# Steps are dated at every precision the scheme's members write: a date (`2023-09-01Z`), minutes
# (`2025-10-01T00:00Z`, the demo EDP's metering periods), seconds, or a fraction of any length
# (`2026-12-01T19:06:57.18741Z`). Always UTC with `Z`. spec/provenance_steps.yaml has the same pattern.
INSTANT_PATTERN = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?)?Z$"
)
_INSTANT = re.compile(INSTANT_PATTERN)


def instant(text) -> dt.datetime:
    """The UTC instant a step's timestamp names, at whatever precision it is written."""
    if not isinstance(text, str) or not _INSTANT.match(text):
        raise ValueError(f"{text!r} is not a UTC instant written with Z (a date, minutes, seconds or a fraction)")
    body, _, fraction = text[:-1].partition(".")
    if "T" not in body:
        body += "T00:00"
    moment = dt.datetime.fromisoformat(body).replace(tzinfo=dt.UTC)
    return moment.replace(microsecond=int(fraction[:6].ljust(6, "0"))) if fraction else moment


def not_after(step_time: str, signed_at: str) -> bool:
    """Whether a step dated `step_time` can be in a container signed at `signed_at`: the library
    writes signing times in whole seconds, so a step in the same second is not later."""
    return instant(step_time).replace(microsecond=0) <= instant(signed_at)
