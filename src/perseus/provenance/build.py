"""The carbon accounting provider's signed record of an emissions report.

    signed = sign_report(report, key="keys/cap.key", cert_chain="keys/cap.pem",
                         inbound_records=[meter_data], fsp="https://directory.../member/bank",
                         trust_anchor=Path("keys/sandbox-ca.pem").read_bytes())

The record is made under the trust framework of the environment the certificate's role
URIs name, and every scheme value in it is a URI of that environment. Steps (all built
with ib1-provenance's Record, each carrying `scheme`, signed by the CAP):
- for each energy type: the EDP's signed record, verified and nested as received, with a
  receipt of its transfer; or, when the consumption came without one, an origin step of
  the CAP's own (metering period, outcode, `perseus:assurance`);
- an origin step for each dataset in the report's `sources` (URL, licence, `external`);
- a process step per methodology version (its registry URI) with those inputs, the EDP's
  permissions, the calculator's data quality, and the digest of that type's entries and source;
- a transfer step to the FSP when one is named (the emissions standard, the CAP-FSP licence).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from perseus.provenance.digest import report_digest
from perseus.provenance.ids import DerivedIds
from perseus.provenance.inbound import (
    InboundError,
    check_consumption,
    consumption_context,
    energy_types,
    is_consumption_origin,
    read_anchor,
    verify_inbound,
)
from perseus.provenance.signer import SigningError, member_signer
from perseus.provenance.unsigned import dataset_step
from perseus.provenance.vocabulary import (
    ASSURANCE,
    CAP,
    CAP_FSP_LICENCE,
    EMISSIONS_STANDARD,
    METER,
    PRODUCTION,
    ROLES,
    environment_of_role,
    process_uri,
)

__all__ = ["InboundError", "SigningError", "sign_calculated", "sign_report"]


def missing_data(entries: list[dict]) -> str:
    """The type's overall assurance: Missing if any month had gaps, else Substituted if any was filled, else Complete."""
    states = {(e.get("dataQuality") or {}).get("missingData", "Complete") for e in entries}
    for state in ("Missing", "Substituted"):
        if state in states:
            return state
    return "Complete"


def metering_period(entries: list[dict]) -> dict:
    return {"from": min(e["from"] for e in entries), "to": max(e["to"] for e in entries)}


def signing_environment(member: dict, cert_chain, check_role: bool):
    """The environment whose CAP role the certificate holds (with check_role off, whichever role it holds)."""
    env = environment_of_role(member["roles"], CAP)
    if env is None and check_role:
        raise SigningError(
            f"{cert_chain}: the certificate's roles are {', '.join(member['roles']) or 'none'}; "
            f"only a {CAP} signs an emissions calculation (a role URI "
            f"<registry>/scheme/perseus/role/{CAP})"
        )
    return env or next((e for r in ROLES if (e := environment_of_role(member["roles"], r))), PRODUCTION)


def sign_report(
    report: dict,
    *,
    key,
    cert_chain,
    inbound_records: Iterable[dict] = (),
    fsp: str | None = None,
    trust_anchor: bytes | None = None,
    outcode: str | dict[str, str] | None = None,
    data_source: str = "SmartMeter",
    declared: dict[str, dict] | None = None,
    check_role: bool = True,
) -> dict:
    """A copy of `report` whose `provenance` is the CAP's signed record (see the module docstring).

    `inbound_records` are consumption payloads (MeterData: `data` readings and an EDP-signed
    `provenance`); each is verified against `trust_anchor` and nested. `outcode` is one
    outcode or one per energy type. `declared` adds keys to the CAP's own consumption
    origin of a type (e.g. the synthetic-data label an unsigned input carried; a
    `dataSource` of None drops the claim of a meter). Raises SigningError
    (key or certificate unusable) or InboundError (an inbound record does not verify).
    """
    signer, member = member_signer(key, cert_chain)
    env = signing_environment(member, cert_chain, check_role)
    if data_source not in ASSURANCE["dataSource"][1]:
        raise ValueError(f"data_source must be one of {', '.join(ASSURANCE['dataSource'][1])}")
    report = copy.deepcopy(report)
    entries_by_type: dict[str, list[dict]] = {}
    for entry in report["data"]:
        entries_by_type.setdefault(entry["type"], []).append(entry)
    taken_at = max(e["takenAt"] for e in report["data"])
    record = DerivedIds(env.trust_framework)  # same report and inputs, same steps: only the signature differs
    step = {"timestamp": taken_at, "scheme": env.scheme}  # what every step of the CAP's carries

    consumption_inputs: dict[str, list[str]] = {}
    permissions: dict[str, list[str]] = {}
    for item in inbound_records:
        nested, steps = verify_inbound(item, trust_anchor, member)
        if nested.trust_framework != env.trust_framework:
            raise InboundError(
                f"the energy data provider's record is made under {nested.trust_framework}, the signing "
                f"certificate is of the {env.name} environment ({env.trust_framework})"
            )
        record.add_record(nested)
        origins = [s["id"] for s in steps if is_consumption_origin(s)]
        received = [
            record.add_step(
                {
                    **step,
                    "type": "receipt",
                    "transfer": transfer["id"],
                    "from": transfer["_signature"]["signed"]["member"],
                }
            )
            for transfer in steps
            if transfer["type"] == "transfer"
        ]
        for energy_type in energy_types(item):
            # The calculation reads what the CAP received; without a transfer, the EDP's origins themselves.
            consumption_inputs.setdefault(energy_type, []).extend(received or origins)
            permissions.setdefault(energy_type, []).extend(s["id"] for s in steps if s["type"] == "permission")

    for energy_type, entries in entries_by_type.items():
        if energy_type in consumption_inputs:
            continue
        scheme: dict[str, Any] = {"meteringPeriod": metering_period(entries)}
        if postcode := (outcode.get(energy_type) if isinstance(outcode, dict) else outcode):
            scheme["postcode"] = postcode
        extra = dict((declared or {}).get(energy_type, {}))
        source = extra.pop("dataSource", data_source)
        assurance = {"dataSource": env.assurance("dataSource", source)} if source else {}
        assurance["missingData"] = env.assurance("missingData", missing_data(entries))
        consumption_inputs[energy_type] = [
            record.add_step(
                {
                    **step,
                    "type": "origin",
                    "sourceType": env.source_type(METER),
                    "perseus:energyType": energy_type,
                    "perseus:scheme": scheme,
                    "perseus:assurance": assurance,
                    **extra,
                }
            )
        ]

    processes = []
    for source in report.get("sources", []):
        energy_type = source["type"]
        label, _, version = source["methodology"].partition("@")
        if source["methodologyUri"] != process_uri(label, version):
            raise ValueError(
                f"sources[{energy_type}]: methodologyUri {source['methodologyUri']} does not name "
                f"{source['methodology']} (expected {process_uri(label, version)})"
            )
        datasets = [record.add_step(dataset_step(d, energy_type, taken_at, env)) for d in source.get("datasets", [])]
        entries = entries_by_type.get(energy_type, [])
        process = {
            **step,
            "type": "process",
            "process": source["methodologyUri"],
            "perseus:methodology": source["methodology"],
            "perseus:energyType": energy_type,
            "inputs": consumption_inputs.get(energy_type, []) + datasets,
        }
        if permissions.get(energy_type):
            process["permissions"] = sorted(set(permissions[energy_type]))
        process["perseus:assurance"] = {
            "processing": env.assurance("processing", "Emissions"),
            "missingData": env.assurance("missingData", missing_data(entries)),
        }
        process["perseus:report"] = report_digest(report, energy_type)
        processes.append((energy_type, record.add_step(process)))
    if fsp:
        for energy_type, process_id in processes:
            period = metering_period(entries_by_type.get(energy_type) or report["data"])
            record.add_step(
                {
                    **step,
                    "type": "transfer",
                    "of": process_id,
                    "to": fsp,
                    "standard": env.standard(*EMISSIONS_STANDARD),
                    "license": env.licence(*CAP_FSP_LICENCE),
                    "path": "/emissions",
                    "parameters": {"type": energy_type, **period},
                }
            )
    report["provenance"] = record.sign(signer).encoded()
    return report


def sign_calculated(report: dict, consumption, *, key, cert, fsp=None, trust_anchor=None) -> dict:
    """`perseus calculate --sign`: sign the calculator's report, nesting the EDP records its inputs carry."""
    found = consumption_context(consumption)
    anchor = read_anchor(trust_anchor) if trust_anchor else None
    if anchor is None and found.signed:
        raise InboundError(
            f"{found.signed[0][0]}: $.provenance: the consumption carries an energy data provider's "
            "signed record; give --trust-anchor (the environment's CA) so that it can be verified"
        )
    _, member = member_signer(key, cert)
    verified = check_consumption(found, anchor, trust_anchor, member) if anchor else []
    return sign_report(
        report,
        key=key,
        cert_chain=cert,
        inbound_records=[payload for _, payload, *_ in verified],
        fsp=fsp,
        trust_anchor=anchor,
        outcode=found.outcodes,
        declared=found.declared,
    )
