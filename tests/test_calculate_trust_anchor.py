"""`perseus calculate --trust-anchor CA.pem` checks the inputs' records, with or without --sign (issue 11).

Each refusal exits 1, writes no output file, and names the file and the rule broken.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest

from perseus.provenance import keys
from perseus.provenance.edp import sign_meter_data
from perseus.provenance.vocabulary import CAP, EDP

INPUTS = Path(__file__).parent / "conformance" / "005-blended" / "inputs"
CAP_MEMBER = "https://directory.sandbox.example/member/cap"
SIGNING = ("without --sign", "with --sign")


def _step(encoded: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def _encode(step: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(step, separators=(",", ":")).encode()).decode()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """An EDP-signed electricity input, the sandbox CA that issued it, a CAP key, and a foreign CA."""
    folder = tmp_path_factory.mktemp("anchor")
    ca, foreign = keys.create_ca("sandbox"), keys.create_ca("sandbox")
    edp = keys.create_member(
        ca, member="https://directory.sandbox.example/member/edp", organisation="Example EDP Ltd", roles=[EDP]
    )
    cap = keys.create_member(ca, member=CAP_MEMBER, organisation="Example CAP Ltd", roles=[CAP])
    (folder / "ca.pem").write_bytes(ca.certificate_pem())
    (folder / "foreign-ca.pem").write_bytes(foreign.certificate_pem())
    (folder / "cap.pem").write_bytes(cap.certificate_pem())
    (folder / "cap.key").write_bytes(cap.key_pem())
    (folder / "junk.pem").write_text("this is not a certificate\n")
    payload = json.loads((INPUTS / "electricity.json").read_text())
    signed = sign_meter_data(payload, key=edp.key, cert_chain=[edp.certificate], cap=CAP_MEMBER)
    (folder / "signed.json").write_text(json.dumps(signed))
    return folder


def calculate(perseus, files, consumption: Path, anchor: Path, signing: str, out: Path):
    sign = ["--sign", files / "cap.key", "--cert", files / "cap.pem"] if signing == "with --sign" else []
    return perseus(
        "calculate",
        "--consumption",
        consumption,
        "--intensity",
        INPUTS / "intensity.json",
        "--taken-at",
        "2026-01-01T00:00:00Z",
        "--trust-anchor",
        anchor,
        *sign,
        "--output",
        out,
    )


def refused(done, out: Path, *texts: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert not out.exists() and not list(out.parent.glob(f".{out.name}.*"))  # no output, not even a partial one
    for text in texts:
        assert text in done.stderr, (text, done.stderr)


def variant(files, tmp_path, name: str, change) -> Path:
    record = json.loads((files / "signed.json").read_text())
    change(record["provenance"])
    path = tmp_path / name
    path.write_text(json.dumps(record))
    return path


@pytest.mark.parametrize("signing", SIGNING)
def test_the_signed_record_passes(perseus, files, tmp_path, signing):
    out = tmp_path / "report.json"
    done = calculate(perseus, files, files / "signed.json", files / "ca.pem", signing, out)
    assert done.returncode == 0, done.stderr
    nested = [item for item in json.loads(out.read_text())["provenance"]["steps"] if isinstance(item, list)]
    assert json.loads((files / "signed.json").read_text())["provenance"]["steps"] in nested


@pytest.mark.parametrize("signing", SIGNING)
@pytest.mark.parametrize(
    "anchor, rule", [("missing.pem", "cannot read the file"), ("junk.pem", "the file holds no PEM certificate")]
)
def test_an_unreadable_anchor_is_refused(perseus, files, tmp_path, signing, anchor, rule):
    out = tmp_path / "report.json"
    done = calculate(perseus, files, files / "signed.json", files / anchor, signing, out)
    refused(done, out, f"{files / anchor}: --trust-anchor: {rule}")


@pytest.mark.parametrize("signing", SIGNING)
def test_an_empty_anchor_is_refused(perseus, files, tmp_path, signing):
    out = tmp_path / "report.json"
    done = calculate(perseus, files, files / "signed.json", Path("/dev/null"), signing, out)
    refused(done, out, "/dev/null: --trust-anchor: the file holds no PEM certificate")


@pytest.mark.parametrize("signing", SIGNING)
def test_a_foreign_ca_is_refused(perseus, files, tmp_path, signing):
    out = tmp_path / "report.json"
    done = calculate(perseus, files, files / "signed.json", files / "foreign-ca.pem", signing, out)
    refused(
        done,
        out,
        f"{files / 'signed.json'}: $.provenance: the energy data provider's record does not verify",
        "does not chain to the trust anchor",
        str(files / "foreign-ca.pem"),
    )


@pytest.mark.parametrize("signing", SIGNING)
def test_a_tampered_record_is_refused(perseus, files, tmp_path, signing):
    def tamper(provenance):
        container = provenance["steps"][0] if isinstance(provenance["steps"][0], list) else provenance["steps"]
        for index, encoded in enumerate(container[:-1]):
            step = _step(encoded)
            if step["type"] == "origin":
                step["perseus:scheme"]["postcode"] = "SW1A"  # the meter moved after signing
                container[index] = _encode(step)

    path = variant(files, tmp_path, "tampered.json", tamper)
    out = tmp_path / "report.json"
    done = calculate(perseus, files, path, files / "ca.pem", signing, out)
    refused(
        done,
        out,
        f"{path}: $.provenance: the energy data provider's record does not verify",
        "the record was altered after signing",
    )


@pytest.mark.parametrize("signing", SIGNING)
def test_origins_that_name_no_signed_step_are_refused(perseus, files, tmp_path, signing):
    def unsign(provenance):  # the same steps, the signature block dropped
        provenance["steps"] = provenance["steps"][:-1]
        provenance.pop("certificates")

    path = variant(files, tmp_path, "unsigned.json", unsign)
    out = tmp_path / "report.json"
    done = calculate(perseus, files, path, files / "ca.pem", signing, out)
    refused(done, out, f"{path}: $.provenance: the record's origins (", "name no signed step")


@pytest.mark.parametrize("signing", SIGNING)
def test_origins_that_are_not_the_signed_origins_are_refused(perseus, files, tmp_path, signing):
    path = variant(files, tmp_path, "origins.json", lambda provenance: provenance.update(origins=["not-a-step"]))
    out = tmp_path / "report.json"
    done = calculate(perseus, files, path, files / "ca.pem", signing, out)
    refused(done, out, f"{path}: $.provenance:", "its `origins` list does not name the record's signed origin steps")


def test_synthetic_data_says_it_is_unsigned_and_passes(perseus, files, tmp_path):
    made = perseus(
        "synth",
        "--archetype",
        "office",
        "--from",
        "2025-10-01",
        "--to",
        "2025-11-01",
        "--type",
        "electricity",
        "--output",
        tmp_path / "synth",
        "--intensity-output",
        tmp_path / "intensity.json",
    )
    assert made.returncode == 0, made.stderr
    (meter,) = (tmp_path / "synth").glob("*.json")
    out = tmp_path / "report.json"
    done = perseus(
        "calculate",
        "--consumption",
        meter,
        "--intensity",
        tmp_path / "intensity.json",
        "--trust-anchor",
        files / "ca.pem",
        "--output",
        out,
    )
    assert done.returncode == 0, done.stderr


def test_fsp_without_a_signing_key_is_refused(perseus, files, tmp_path):
    out = tmp_path / "report.json"
    done = perseus(
        "calculate",
        "--consumption",
        files / "signed.json",
        "--intensity",
        INPUTS / "intensity.json",
        "--fsp",
        "https://directory.sandbox.example/member/bank",
        "--output",
        out,
    )
    refused(done, out, "--sign KEY and --cert CERT go together (--fsp needs them)")


def test_a_tampered_copy_is_still_refused_when_another_input_verifies(perseus, files, tmp_path):
    good = json.loads((files / "signed.json").read_text())
    gas = json.loads((INPUTS / "gas.json").read_text())
    gas["provenance"] = copy.deepcopy(good["provenance"])
    gas["provenance"]["steps"][-1][3] = good["provenance"]["steps"][-1][3][::-1]  # a signature that is not the EDP's
    path = tmp_path / "gas.json"
    path.write_text(json.dumps(gas))
    out = tmp_path / "report.json"
    done = perseus(
        "calculate",
        "--consumption",
        files / "signed.json",
        path,
        "--intensity",
        INPUTS / "intensity.json",
        "--calorific-value",
        "39.8",
        "--trust-anchor",
        files / "ca.pem",
        "--output",
        out,
    )
    refused(done, out, f"{path}: $.provenance: the energy data provider's record does not verify")
