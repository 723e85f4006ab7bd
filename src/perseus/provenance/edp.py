"""An energy data provider's signed record for consumption data (MeterData), as the EDP sends it.

Used by tests and local sandboxes to produce the inbound records a CAP verifies and nests:
an origin step (metering period, outcode, assurance) and a transfer of it to the CAP.
"""

from __future__ import annotations

import copy

from ib1.provenance import Record

from perseus.provenance.signer import SigningError, member_signer
from perseus.provenance.vocabulary import EDP, METER, TRUST_FRAMEWORK


def sign_meter_data(meter_data: dict, *, key, cert_chain, cap: str, data_source: str = "SmartMeter",
                    missing: str = "Complete", timestamp: str | None = None) -> dict:
    """A copy of `meter_data` whose `provenance` is the EDP's signed origin and transfer to `cap`."""
    signer, member = member_signer(key, cert_chain)
    if EDP not in member["roles"]:
        raise SigningError(f"{cert_chain}: the certificate's roles are {', '.join(member['roles'])}; "
                           f"consumption origins are signed by an {EDP}")
    readings = meter_data["data"]
    stamp = timestamp or max(r["takenAt"] for r in readings)
    scheme = {"meteringPeriod": {"from": min(r["from"] for r in readings), "to": max(r["to"] for r in readings)}}
    if outcode := (meter_data.get("location") or {}).get("ukPostcodeOutcode"):
        scheme["postcode"] = outcode
    types = sorted({r["type"] for r in readings})
    if len(types) != 1:
        raise ValueError(f"MeterData carries one energy type per data source; found {', '.join(types)}")
    record = Record(TRUST_FRAMEWORK)
    origin = record.add_step({
        "type": "origin", "timestamp": stamp, "sourceType": METER, "perseus:energyType": types[0],
        "perseus:scheme": scheme, "perseus:assurance": {"dataSource": data_source, "missingData": missing},
    })
    record.add_step({"type": "transfer", "timestamp": stamp, "of": origin, "to": cap})
    signed = copy.deepcopy(meter_data)
    signed["provenance"] = record.sign(signer).encoded()
    return signed
