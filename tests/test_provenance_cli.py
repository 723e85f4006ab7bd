"""`perseus keys` and `perseus verify` as a user runs them (issue 7)."""

from __future__ import annotations

import json
import stat

import pytest

from perseus.paths import EXAMPLES
from perseus.provenance.build import sign_report


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from tests.helpers import run_perseus

    out = tmp_path_factory.mktemp("keys")
    for args in (
        [
            "--name",
            "cap",
            "--member",
            "https://directory.sandbox.example/member/cap",
            "--organisation",
            "Example CAP Ltd",
        ],
        ["--environment", "production", "--ca-only"],
        ["--name", "old", "--valid-from", "2020-01-01T00:00:00Z", "--days", "30"],
    ):
        done = run_perseus("keys", "--output", out, *args)
        assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def signed_file(folder):
    report = json.loads((EXAMPLES / "valid" / "EmissionsReport-blended-with-sources.json").read_text())
    signed = sign_report(
        report,
        key=folder / "cap.key",
        cert_chain=folder / "cap.pem",
        outcode="RG10",
        fsp="https://directory.sandbox.example/member/bank",
    )
    path = folder / "signed.json"
    path.write_text(json.dumps(signed, indent=2))
    return path


def test_keys_writes_pem_files_with_private_keys_0600(folder):
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".pem", ".key"))
    assert names == [
        "cap.key",
        "cap.pem",
        "old.key",
        "old.pem",
        "production-ca.key",
        "production-ca.pem",
        "sandbox-ca.key",
        "sandbox-ca.pem",
    ]
    for key in folder.glob("*.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
    assert (folder / "sandbox-ca.pem").read_bytes() != (folder / "production-ca.pem").read_bytes()


def test_keys_refuses_an_unknown_role(perseus, tmp_path):
    done = perseus("keys", "--output", tmp_path, "--role", "auditor")
    assert done.returncode == 2 and "invalid choice: 'auditor'" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_verify_prints_steps_signers_and_sources(perseus, folder, signed_file):
    done = perseus("verify", signed_file, "--trust-anchor", folder / "sandbox-ca.pem")
    assert done.returncode == 0, done.stderr
    assert "valid against" in done.stdout
    assert (
        "Example CAP Ltd (carbon-accounting-provider), member https://directory.sandbox.example/member/cap"
        in done.stdout
    )
    assert "electricity-location-based@2025-10-27 for electricity" in done.stdout
    assert "licence CC-BY-4.0" in done.stdout and "licence OGL-UK-3.0" in done.stdout


def test_verify_with_the_production_anchor_exits_1_naming_the_cause(perseus, folder, signed_file):
    done = perseus("verify", signed_file, "--trust-anchor", folder / "production-ca.pem")
    assert done.returncode == 1
    assert "INVALID" in done.stderr and "another CA or environment" in done.stderr


def test_verify_of_a_changed_figure_exits_1(perseus, folder, signed_file, tmp_path):
    report = json.loads(signed_file.read_text())
    report["data"][2]["emissions"]["value"] = 28.13
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(report))
    done = perseus("verify", changed, "--trust-anchor", folder / "sandbox-ca.pem")
    assert done.returncode == 1
    assert "process step" in done.stderr and "(gas-desnz-annual@2025-10-27)" in done.stderr
    assert "gas entries or source were changed after signing" in done.stderr


def test_verify_exits_2_for_unusable_input(perseus, folder, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "data": [\n')
    done = perseus("verify", broken, "--trust-anchor", folder / "sandbox-ca.pem")
    assert done.returncode == 2 and f"{broken}: line 3: not JSON" in done.stderr
    unsigned = EXAMPLES / "valid" / "MeterData-electricity.json"
    done = perseus("verify", unsigned, "--trust-anchor", folder / "sandbox-ca.key")
    assert done.returncode == 2 and "trust anchor" in done.stderr


def test_verify_of_a_report_signed_with_an_expired_certificate_exits_1(perseus, folder, tmp_path):
    report = json.loads((EXAMPLES / "valid" / "EmissionsReport-blended-with-sources.json").read_text())
    path = tmp_path / "expired.json"
    path.write_text(json.dumps(sign_report(report, key=folder / "old.key", cert_chain=folder / "old.pem")))
    done = perseus("verify", path, "--trust-anchor", folder / "sandbox-ca.pem")
    assert done.returncode == 1
    assert (
        "had expired at the signing time" in done.stderr
        and "valid 2020-01-01T00:00:00Z to 2020-01-31T00:00:00Z" in done.stderr
    )


BLENDED = EXAMPLES.parents[1] / "tests" / "conformance" / "005-blended" / "inputs"


def test_calculate_sign_nests_the_edp_records_and_verifies(perseus, folder, tmp_path):
    from perseus.provenance.edp import sign_meter_data

    done = perseus("keys", "--output", folder, "--name", "edp", "--role", "energy-data-provider")
    assert done.returncode == 0, done.stderr
    inputs = []
    for name in ("electricity.json", "gas.json"):
        payload = json.loads((BLENDED / name).read_text())
        signed = sign_meter_data(
            payload,
            key=folder / "edp.key",
            cert_chain=folder / "edp.pem",
            cap="https://directory.sandbox.example/member/cap",
        )
        (tmp_path / name).write_text(json.dumps(signed))
        inputs.append(tmp_path / name)
    out = tmp_path / "report.json"
    done = perseus(
        "calculate",
        "--consumption",
        *inputs,
        "--intensity",
        BLENDED / "intensity.json",
        "--calorific-value",
        "39.8",
        "--taken-at",
        "2026-01-01T00:00:00Z",
        "--sign",
        folder / "cap.key",
        "--cert",
        folder / "cap.pem",
        "--trust-anchor",
        folder / "sandbox-ca.pem",
        "--fsp",
        "https://directory.sandbox.example/member/bank",
        "--output",
        out,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    for nested, path in zip(report["provenance"]["steps"][:2], inputs, strict=True):
        assert nested == json.loads(path.read_text())["provenance"]["steps"]  # verified and nested as received
    done = perseus("verify", out, "--trust-anchor", folder / "sandbox-ca.pem", "--require-edp")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("signed by Example Energy Data Ltd (nested)") == 6  # permission, origin, transfer per type


def test_calculate_refuses_an_edp_record_it_cannot_verify(perseus, folder, tmp_path):
    out = tmp_path / "report.json"
    common = [
        "calculate",
        "--consumption",
        BLENDED / "electricity.json",
        "--intensity",
        BLENDED / "intensity.json",
        "--taken-at",
        "2026-01-01T00:00:00Z",
        "--output",
        out,
    ]
    done = perseus(
        *common, "--sign", folder / "cap.key", "--cert", folder / "cap.pem", "--trust-anchor", folder / "sandbox-ca.pem"
    )
    assert done.returncode == 1 and not out.exists()
    assert (
        f"{BLENDED / 'electricity.json'}: $.provenance: the energy data provider's record cannot be read" in done.stderr
    )
    done = perseus(*common, "--sign", folder / "cap.key")
    assert done.returncode == 1 and "--sign KEY and --cert CERT go together" in done.stderr and not out.exists()
