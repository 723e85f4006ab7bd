"""Records the scheme's own code makes pass, and this project's records are found by the scheme's library (issue 11).

MeterData is built the way the demo EDP builds it and the emissions report the way the CAP
agent does (tests/scheme_records.py), with ib1-provenance and certmaker-shaped certificates
whose roles are registry URIs.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json

import pytest
from ib1.provenance import Record

from perseus.provenance.inbound import verify_inbound
from perseus.provenance.verify import verify_report
from tests.scheme_records import (
    cap_agent_report,
    certmaker_pki,
    demo_edp_meter_data,
    intensity_csv,
    library_example_report,
    month_readings,
    write_json,
)

OCTOBER = (dt.date(2025, 10, 1), dt.date(2025, 11, 1))


def _steps(container: list) -> list[dict]:
    found = []
    for item in container:
        if isinstance(item, str):
            found.append(json.loads(base64.urlsafe_b64decode(item)))
        elif item and item[0] != 0:
            found += _steps(item)
    return found


def _retimed(provenance: dict, kind: str, change) -> dict:
    """A copy whose first step of `kind` (searched innermost first) is changed and re-encoded."""
    provenance = copy.deepcopy(provenance)

    def visit(container):
        for index, item in enumerate(container):
            if isinstance(item, list) and item and item[0] != 0 and visit(item):
                return True
            if isinstance(item, str):
                step = json.loads(base64.urlsafe_b64decode(item))
                if step["type"] == kind:
                    change(step)
                    container[index] = base64.urlsafe_b64encode(
                        json.dumps(step, separators=(",", ":")).encode()
                    ).decode()
                    return True
        return False

    assert visit(provenance["steps"])
    return provenance


@pytest.fixture(scope="module", params=["production", "sandbox"])
def scheme(request, tmp_path_factory):
    """certmaker's certificates, the demo EDP's MeterData and the CAP agent's report, in one environment."""
    folder = tmp_path_factory.mktemp(request.param)
    pki = certmaker_pki(request.param)
    readings = month_readings(2025, 10)
    meter = demo_edp_meter_data(pki, readings, *OCTOBER)
    (folder / "intensity.csv").write_text(intensity_csv(readings))
    return {
        "pki": pki,
        "certs": pki.write(folder / "certs"),
        "meter": meter,
        "folder": folder,
        "meter_file": write_json(folder / "meter.json", meter),
        "intensity": folder / "intensity.csv",
        "report_file": write_json(folder / "agent-report.json", cap_agent_report(pki, meter)),
    }


def test_the_records_have_the_scheme_shapes(scheme):
    """The fixtures are what the issue describes (so that the tests below test the right thing)."""
    pki = scheme["pki"]
    edp = {s["type"]: s for s in _steps(scheme["meter"]["provenance"]["steps"])}
    assert scheme["meter"]["provenance"]["ib1:provenance"] == pki.trust_framework
    assert set(scheme["meter"]["provenance"]) == {"ib1:provenance", "origins", "steps", "certificates"}
    assert len(edp["permission"]["timestamp"]) == len("2026-12-01T19:06:57.99999Z")  # sub-second
    assert edp["origin"]["perseus:scheme"]["meteringPeriod"] == {"from": "2025-10-01T00:00Z", "to": "2025-11-01T00:00Z"}
    assert edp["origin"]["perseus:assurance"]["processing"].endswith("/assurance/processing/SmartDCCOtherUser")
    assert edp["transfer"]["to"] == pki.members["cap"].application
    report = json.loads(scheme["report_file"].read_text())
    assert "sources" not in report
    roles = {s["_signature"]["signed"]["roles"][0] for s in verified(report["provenance"], pki).decoded()}
    assert roles == {f"{pki.scheme}/role/energy-data-provider", f"{pki.scheme}/role/carbon-accounting-provider"}


def verified(provenance: dict, pki) -> Record:
    record = Record(pki.trust_framework, provenance)
    record.verify(pki.provider())
    return record


def test_verify_accepts_the_cap_agents_report(perseus, scheme):
    done = perseus(
        "verify", scheme["report_file"], "--trust-anchor", scheme["certs"] / "4-signing-ca-cert.pem", "--require-edp"
    )
    assert done.returncode == 0, done.stderr
    assert f"Environment: {scheme['pki'].environment}" in done.stdout
    assert "Carbon Accounting provider (carbon-accounting-provider)" in done.stdout
    assert "Smart Meter Reading Co (energy-data-provider)" in done.stdout
    assert "none in the report" in done.stdout and "binds no digest of the report's figures" in done.stdout


def test_verify_refuses_the_agents_report_when_a_step_or_the_anchor_changes(perseus, scheme, tmp_path):
    report = json.loads(scheme["report_file"].read_text())
    moved = _retimed(
        report["provenance"],
        "origin",
        lambda s: s["perseus:scheme"].__setitem__(
            "meteringPeriod", {"from": "2025-09-01T00:00Z", "to": "2025-10-01T00:00Z"}
        ),
    )  # the EDP's origin, innermost
    path = write_json(tmp_path / "moved.json", dict(report, provenance=moved))
    done = perseus("verify", path, "--trust-anchor", scheme["certs"] / "4-signing-ca-cert.pem")
    assert done.returncode == 1 and "the record was altered after signing" in done.stderr
    other = certmaker_pki(scheme["pki"].environment).write(tmp_path / "other")
    done = perseus("verify", scheme["report_file"], "--trust-anchor", other / "4-signing-ca-cert.pem")
    assert done.returncode == 1 and "another CA or environment" in done.stderr


def test_calculate_with_the_trust_anchor_accepts_the_demo_edps_record(perseus, scheme, tmp_path):
    out = tmp_path / "report.json"
    done = perseus(
        "calculate",
        "--consumption",
        scheme["meter_file"],
        "--intensity",
        scheme["intensity"],
        "--trust-anchor",
        scheme["certs"] / "4-signing-ca-cert.pem",
        "--output",
        out,
    )
    assert done.returncode == 0, done.stderr
    assert scheme["meter"]["provenance"]["steps"] in json.loads(out.read_text())["provenance"]["steps"]
    tampered = dict(
        scheme["meter"],
        provenance=_retimed(
            scheme["meter"]["provenance"], "transfer", lambda s: s.__setitem__("to", "https://elsewhere.example/")
        ),
    )
    done = perseus(
        "calculate",
        "--consumption",
        write_json(tmp_path / "tampered.json", tampered),
        "--intensity",
        scheme["intensity"],
        "--trust-anchor",
        scheme["certs"] / "4-signing-ca-cert.pem",
        "--output",
        out.with_name("t.json"),
    )
    assert done.returncode == 1 and "altered after signing" in done.stderr and not out.with_name("t.json").exists()


@pytest.fixture(scope="module")
def signed_by_us(scheme):
    """This project's signed report, by `perseus calculate --sign` with certmaker's CAP bundle and key."""
    from tests.helpers import run_perseus

    out = scheme["folder"] / "our-report.json"
    certs = scheme["certs"]
    done = run_perseus(
        "calculate",
        "--consumption",
        scheme["meter_file"],
        "--intensity",
        scheme["intensity"],
        "--sign",
        certs / "cap-key.pem",
        "--cert",
        certs / "cap-bundle.pem",
        "--trust-anchor",
        certs / "4-signing-ca-cert.pem",
        "--fsp",
        scheme["pki"].members["fsp"].member,
        "--output",
        out,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_calculate_sign_accepts_the_certmaker_cap_certificate_and_verify_passes_it(perseus, scheme, signed_by_us):
    done = perseus("verify", signed_by_us, "--trust-anchor", scheme["certs"] / "4-signing-ca-cert.pem", "--require-edp")
    assert done.returncode == 0, done.stderr
    assert "electricity-location-based@2025-10-27 for electricity" in done.stdout


def test_the_scheme_library_finds_our_signed_steps_by_role_uri(scheme, signed_by_us):
    pki = scheme["pki"]
    report = json.loads(signed_by_us.read_text())
    assert report["provenance"]["ib1:provenance"] == pki.trust_framework
    record = verified(report["provenance"], pki)
    cap, edp, fsp = pki.members["cap"], pki.members["edp"], pki.members["fsp"]
    process = record.find_step(
        {"type": "process", "scheme": pki.scheme, "_signature": {"signed": {"member": cap.member, "roles": [cap.role]}}}
    )
    assert process["process"] == report["sources"][0]["methodologyUri"]
    transfer = record.find_step(
        {"type": "transfer", "of": process["id"], "to": fsp.member, "_signature": {"signed": {"roles": [cap.role]}}}
    )  # what the FSP looks for
    assert transfer["standard"] == f"{pki.scheme}/standard/emissions-report/2026-03-12"
    receipt = record.find_step({"type": "receipt", "_signature": {"signed": {"roles": [cap.role]}}})
    origin = record.find_step(
        {
            "type": "origin",
            "sourceType": f"{pki.scheme}/source-type/Meter",
            "_signature": {"signed": {"roles": [edp.role]}, "includedBy": [{"roles": [cap.role]}]},
        }
    )
    assert receipt["transfer"] in {s["id"] for s in record.filter_steps({"type": "transfer", "of": origin["id"]})}
    intensity = record.find_step({"type": "origin", "sourceType": f"{pki.scheme}/source-type/GridCarbonIntensity"})
    assert intensity["id"] in process["inputs"] and intensity["perseus:dataset"]["role"] == "grid-intensity"
    ours = record.filter_steps({"_signature": {"signed": {"roles": [cap.role]}}})
    assert {s["type"] for s in ours} == {"receipt", "origin", "process", "transfer"}
    assert all(s["scheme"] == pki.scheme for s in ours)


def test_our_signed_report_still_fails_when_tampered(perseus, scheme, signed_by_us, tmp_path):
    report = json.loads(signed_by_us.read_text())
    report["data"][0]["emissions"]["value"] += 1
    done = perseus(
        "verify",
        write_json(tmp_path / "changed.json", report),
        "--trust-anchor",
        scheme["certs"] / "4-signing-ca-cert.pem",
    )
    assert done.returncode == 1 and "entries or source were changed after signing" in done.stderr
    stripped = json.loads(signed_by_us.read_text())
    del stripped["sources"]  # passing our report off as one without sources does not escape the digest
    done = perseus(
        "verify",
        write_json(tmp_path / "stripped.json", stripped),
        "--trust-anchor",
        scheme["certs"] / "4-signing-ca-cert.pem",
    )
    assert done.returncode == 1 and "entries or source were changed after signing" in done.stderr


def test_the_edps_sub_second_permission_is_not_later_than_its_signature(scheme):
    _, steps = verify_inbound(scheme["meter"], scheme["pki"].root_pem())
    permission = next(s for s in steps if s["type"] == "permission")
    signed_at = scheme["meter"]["provenance"]["steps"][-1][2]
    assert permission["timestamp"][:19] <= signed_at[:19] and "." in permission["timestamp"]
    result = verify_report(json.loads(scheme["report_file"].read_text()), scheme["pki"].root_pem())
    assert result.valid, result.problems


def test_verify_accepts_the_librarys_own_example_chain(scheme):
    """Date-precision periods, an open `perseus:assurance` (originMethod), transfers to member URLs
    and the bank's receipt around the CAP's record."""
    report = library_example_report(scheme["pki"])
    result = verify_report(report, scheme["pki"].root_pem(), require_edp=True)
    assert result.valid, result.problems
    assert [s["_signature"]["signed"]["name"] for s in result.steps][-1] == "Financial Service Provider"
    altered = copy.deepcopy(report)
    altered["provenance"] = _retimed(
        report["provenance"], "origin", lambda s: s["perseus:assurance"].__setitem__("originMethod", "made up")
    )
    assert not verify_report(altered, scheme["pki"].root_pem()).valid
