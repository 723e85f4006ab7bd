"""An energy data provider's signed record for consumption data (MeterData), shaped as the
scheme's demo EDP writes it: a permission, the meter's origin, and the transfer to the CAP.

Used by tests and local sandboxes to make the inbound records a CAP verifies and nests.
Every value the scheme names is a URI of the signer's environment (read from its roles).
"""

from __future__ import annotations

import uuid

from ib1.provenance import Record

from perseus.provenance.signer import SigningError, member_signer
from perseus.provenance.vocabulary import CONSUMPTION_STANDARD, EDP, EDP_CAP_LICENCE, METER, environment_of_role

DCC = "https://www.smartdcc.co.uk/"  # where smart meter readings come from
SEC = "https://smartenergycodecompany.co.uk/documents/sec/consolidated-sec/"  # the licence they are read under


def sign_meter_data(
    meter_data: dict,
    *,
    key,
    cert_chain,
    cap: str,
    data_source: str = "SmartMeter",
    missing: str = "Complete",
    timestamp: str | None = None,
    account: str = "example-account",
    service: str | None = None,
    source_id: str | None = None,
    measure: str = "import",
    transaction: str | None = None,
) -> dict:
    """`meter_data`'s fields in a new document whose `provenance` is the EDP's signed record of a transfer to `cap`
    (the CAP's application URL, as the demo EDP addresses it, or its member URL)."""
    signer, member = member_signer(key, cert_chain)
    env = environment_of_role(member["roles"], EDP)
    if env is None:
        raise SigningError(
            f"{cert_chain}: the certificate's roles are {', '.join(member['roles'])}; "
            f"consumption origins are signed by an {EDP} (a role URI .../scheme/perseus/role/{EDP})"
        )
    readings = meter_data["data"]
    types = sorted({r["type"] for r in readings})
    if len(types) != 1:
        raise ValueError(f"MeterData carries one energy type per data source; found {', '.join(types)}")
    stamp = timestamp or max(r["takenAt"] for r in readings)
    period = {"from": min(r["from"] for r in readings), "to": max(r["to"] for r in readings)}
    scheme = {"meteringPeriod": period}
    if outcode := (meter_data.get("location") or {}).get("ukPostcodeOutcode"):
        scheme["postcode"] = outcode
    licence = env.licence(*EDP_CAP_LICENCE)
    record = Record(env.trust_framework)
    permission = record.add_step(
        {
            "type": "permission",
            "timestamp": stamp,
            "scheme": env.scheme,
            "account": account,
            "allows": {"licenses": [licence]},
        }
    )
    origin = record.add_step(
        {
            "type": "origin",
            "timestamp": stamp,
            "scheme": env.scheme,
            "sourceType": env.source_type(METER),
            "origin": DCC,
            "originLicense": SEC,
            "external": True,
            "permissions": [permission],
            "perseus:energyType": types[0],
            "perseus:scheme": scheme,
            "perseus:assurance": {
                "dataSource": env.assurance("dataSource", data_source),
                "missingData": env.assurance("missingData", missing),
                "processing": env.assurance("processing", "SmartDCCOtherUser"),
            },
        }
    )
    transfer = {
        "type": "transfer",
        "timestamp": stamp,
        "scheme": env.scheme,
        "of": origin,
        "to": cap,
        "standard": env.standard(*CONSUMPTION_STANDARD),
        "license": licence,
        "parameters": {"measure": measure, **period},
        "permissions": [permission],
        "transaction": transaction or str(uuid.uuid4()),
    }
    if service:
        transfer["service"] = service  # the request's URL
    if source_id:
        transfer["path"] = f"/datasources/{source_id}/{measure}"
    record.add_step(transfer)
    # A new top-level dict, not a deep copy: the readings (a year is 17,520 dicts) are shared with the
    # caller's document, and neither is changed.
    return {**meter_data, "provenance": record.sign(signer).encoded()}
