"""Writes the signed examples and their trust anchor (run by hand when the record's shape changes):

    .venv/bin/python tests/make_signed_examples.py

spec/examples/valid/MeterData-electricity-signed.json    the electricity example with an EDP's record
spec/examples/valid/EmissionsReport-blended-signed.json  the blended report signed by a CAP, nesting it
spec/examples/trust-anchors/sandbox-example-ca.pem       the throwaway sandbox CA both verify against

Keys are made afresh and thrown away (only the CA's certificate is kept), so every run
gives new signatures; tests check that the files verify, not their bytes.
"""

import json
from pathlib import Path

from perseus.provenance import keys
from perseus.provenance.build import sign_report
from perseus.provenance.edp import sign_meter_data
from perseus.provenance.vocabulary import CAP, EDP, FSP

EXAMPLES = Path(__file__).resolve().parents[1] / "spec" / "examples"


def main() -> None:
    ca = keys.create_ca("sandbox")
    cap, edp = keys.example_member(ca, CAP), keys.example_member(ca, EDP)
    meter = json.loads((EXAMPLES / "valid" / "MeterData-electricity.json").read_text())
    report = json.loads((EXAMPLES / "valid" / "EmissionsReport-blended-with-sources.json").read_text())
    inbound = sign_meter_data(
        meter,
        key=edp.key,
        cert_chain=[edp.certificate],
        cap=cap.application,
        timestamp="2025-10-01T02:00:00Z",
        account="example-account-1",
    )
    signed = sign_report(
        report,
        key=cap.key,
        cert_chain=[cap.certificate],
        inbound_records=[inbound],
        trust_anchor=ca.certificate_pem(),
        fsp=keys.example_member_url(keys.EXAMPLES[FSP][0]),
        outcode="RG10",
    )
    (EXAMPLES / "valid" / "MeterData-electricity-signed.json").write_text(json.dumps(inbound, indent=2) + "\n")
    (EXAMPLES / "valid" / "EmissionsReport-blended-signed.json").write_text(json.dumps(signed, indent=2) + "\n")
    (EXAMPLES / "trust-anchors" / "sandbox-example-ca.pem").write_bytes(ca.certificate_pem())


if __name__ == "__main__":
    main()
