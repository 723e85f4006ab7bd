"""The report's provenance record, built with the scheme's ib1-provenance library.

The library encodes a record only when it signs it (`Record.sign(signer)`), and
signing needs the calculating member's certificate and key, which a later issue
brings. Until then the calculator writes the closest honest unsigned form: the
steps encoded exactly as the library encodes them, the data provider's signed
record nested as received, and no signature block of its own.
"""

from __future__ import annotations

import base64
import json

import pandas as pd
from ib1.provenance import Record

TRUST_FRAMEWORK = "https://registry.core.trust.ib1.org/trust-framework"
SOURCE_TYPES = "https://registry.core.trust.ib1.org/scheme/perseus/source-type"


class UnsignedRecord(Record):
    """A Record that can show its pending steps without a signature (uses the library's own step encoding)."""

    def unsigned(self, nested: list[list]) -> dict:
        steps: list = [container for container in nested]
        steps += [self._encode_step(step) for step in self._additional_steps]
        origins: list[str] = []
        _gather_origins(steps, origins)
        return {"ib1:provenance": self.trust_framework, "origins": origins, "steps": steps}


def _gather_origins(container: list, origins: list[str]) -> None:
    for item in container:
        if isinstance(item, str):
            step = decode_step(item)
            if step and step.get("type") == "origin":
                origins.append(step["id"])
        elif isinstance(item, list) and not (item and item[0] == 0):  # skip signature blocks
            _gather_origins(item, origins)


def decode_step(encoded: str) -> dict | None:
    try:
        return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None


def received_container(provenance: dict | None) -> list | None:
    """The data provider's record, nested as received, when it is one of this trust framework's and its steps decode."""
    if not provenance or provenance.get("ib1:provenance") != TRUST_FRAMEWORK or not isinstance(provenance.get("steps"), list):
        return None
    found: list[str] = []
    _gather_origins(provenance["steps"], found)
    return provenance["steps"] if found else None


def build(taken_at: str, consumption, intensity, results) -> dict:
    record = UnsignedRecord(TRUST_FRAMEWORK)
    file_steps = {}
    nested = []
    for item in consumption:
        period = {"from": f"{item.readings['from'].min():%Y-%m-%dT%H:%M:%SZ}",
                  "to": f"{item.readings['from'].max() + pd.Timedelta(minutes=30):%Y-%m-%dT%H:%M:%SZ}"} if len(item.readings) else {}
        scheme = {"meteringPeriod": period}
        if item.outcode:
            scheme["postcode"] = item.outcode
        file_steps[str(item.path)] = record.add_step({
            "type": "origin", "timestamp": taken_at, "sourceType": f"{SOURCE_TYPES}/Meter",
            "perseus:file": {"name": item.path.name, "sha256": item.sha256}, "perseus:scheme": scheme,
        })
        if (container := received_container(item.provenance)) is not None:
            nested.append(container)
    for result in results:
        inputs = [file_steps[f] for f in sorted(set(result.files))]
        for dataset in result.datasets:
            step = {"type": "origin", "timestamp": taken_at, "sourceType": f"{SOURCE_TYPES}/{dataset['role']}",
                    "origin": dataset["url"], "originLicense": dataset["licence"],
                    "perseus:dataset": {k: dataset[k] for k in ("publisher", "title", "version")}}
            if intensity is not None and dataset["role"] == "grid-intensity":
                step["perseus:file"] = {"name": intensity.path.name, "sha256": intensity.sha256}
            inputs.append(record.add_step(step))
        record.add_step({"type": "process", "timestamp": taken_at, "process": result.methodology.uri,
                         "perseus:methodology": result.methodology.ref, "inputs": inputs})
    return record.unsigned(nested)
