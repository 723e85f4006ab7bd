"""Signed provenance: sign_report, verify_report, EDP records, the step model (issue 7)."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json

import pytest
import yaml
from jsonschema import Draft201909Validator

from perseus.paths import EXAMPLES, SPEC
from perseus.provenance import keys, vocabulary
from perseus.provenance.build import InboundError, sign_report
from perseus.provenance.edp import sign_meter_data
from perseus.provenance.model import STEP_SCHEMA_PATH
from perseus.provenance.signer import SigningError
from perseus.provenance.steps import decode_step
from perseus.provenance.verify import UnusableInput, verify_report
from perseus.provenance.vocabulary import CAP, EDP, FSP, GAS_FACTOR, GRID_INTENSITY, METER, SANDBOX

CAP_URL = "https://directory.sandbox.example/member/cap"
CAP_APP = "https://directory.sandbox.example/application/cap"  # where an EDP addresses its transfers
BANK_URL = "https://directory.sandbox.example/member/bank"


@pytest.fixture(scope="module")
def pki():
    sandbox, production, other = keys.create_ca("sandbox"), keys.create_ca("production"), keys.create_ca("sandbox")
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return {
        "sandbox": sandbox,
        "production": production,
        "cap": keys.create_member(sandbox, member=CAP_URL, organisation="Example CAP Ltd", roles=[CAP]),
        "cap-production": keys.create_member(
            production, member=CAP_URL, organisation="Example CAP Ltd", roles=[CAP], environment="production"
        ),
        "edp": keys.create_member(
            sandbox, member="https://directory.sandbox.example/member/edp", organisation="Example EDP Ltd", roles=[EDP]
        ),
        "fsp": keys.create_member(sandbox, member=BANK_URL, organisation="Example Bank plc", roles=[FSP]),
        "expired": keys.create_member(
            sandbox, member=CAP_URL, organisation="Example CAP Ltd", roles=[CAP], not_before=long_ago, days=30
        ),
        "other": keys.create_member(other, member=CAP_URL, organisation="Example CAP Ltd", roles=[CAP]),
    }


def example(name: str) -> dict:
    return json.loads((EXAMPLES / "valid" / name).read_text())


@pytest.fixture(scope="module")
def blended():
    return example("EmissionsReport-blended-with-sources.json")


def sign(report, member, **options):
    return sign_report(report, key=member.key, cert_chain=[member.certificate], outcode="RG10", **options)


@pytest.fixture(scope="module")
def signed(pki, blended):
    return sign(blended, pki["cap"], fsp=BANK_URL)


def anchor(pki, environment="sandbox") -> bytes:
    return pki[environment].certificate_pem()


def problems(report, pki, environment="sandbox", **options) -> str:
    result = verify_report(report, anchor(pki, environment), **options)
    assert not result.valid, "expected verification to fail"
    return "\n".join(map(str, result.problems))


def encode(step: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(step, separators=(",", ":")).encode()).decode()


# --- environments and certificates -------------------------------------------------------------


def test_signed_report_verifies_with_the_sandbox_anchor(pki, signed):
    result = verify_report(signed, anchor(pki))
    assert result.valid, result.problems
    assert {s["type"] for s in result.steps} == {"origin", "process", "transfer"}
    assert all(s["_signature"]["signed"]["name"] == "Example CAP Ltd" for s in result.steps)


def test_signed_report_fails_with_the_production_anchor(pki, signed):
    text = problems(signed, pki, "production")
    assert "not by the trust anchor CN=Perseus production signing CA" in text
    assert "another CA or environment" in text


def test_the_two_environments_have_distinct_anchors(pki):
    assert pki["sandbox"].certificate.subject != pki["production"].certificate.subject
    assert pki["sandbox"].certificate.public_key() != pki["production"].certificate.public_key()


def test_certificate_from_another_ca_fails(pki, blended):
    text = problems(sign(blended, pki["other"]), pki)
    assert "from another CA or environment" in text
    assert "container $.provenance.steps signed by Example CAP Ltd" in text


def test_expired_certificate_fails(pki, blended):
    text = problems(sign(blended, pki["expired"]), pki)
    assert "had expired at the signing time" in text
    assert "valid 2020-01-01T00:00:00Z to 2020-01-31T00:00:00Z" in text


def test_signer_without_the_cap_role_fails_naming_the_process_steps(pki, blended):
    report = sign(blended, pki["fsp"], check_role=False)
    text = problems(report, pki)
    for methodology in ("electricity-location-based@2025-10-27", "gas-desnz-annual@2025-10-27"):
        assert (
            f"({methodology}): signed by Example Bank plc, whose certificate holds {FSP}; "
            f"only a {CAP} signs the emissions calculation" in text
        )


def test_sign_report_refuses_a_certificate_without_the_cap_role(pki, blended):
    with pytest.raises(SigningError, match="only a carbon-accounting-provider signs"):
        sign(blended, pki["edp"])


def test_sign_report_refuses_a_key_that_is_not_the_certificates(pki, blended):
    with pytest.raises(SigningError, match="does not belong to the signing key"):
        sign_report(blended, key=pki["edp"].key, cert_chain=[pki["cap"].certificate])


def test_sign_report_refuses_a_key_file_that_is_not_an_ec_key(blended, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    path = tmp_path / "ed25519.key"
    path.write_bytes(
        ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(ValueError, match="ed25519.key: a .*Ed25519PrivateKey, not an EC private key"):
        keys.load_key(path)
    with pytest.raises(SigningError, match="not an EC private key"):
        sign_report(blended, key=path, cert_chain=tmp_path / "unread.pem")


# --- tampering ---------------------------------------------------------------------------------


def test_every_step_when_altered_fails_naming_its_container(pki, signed):
    container = signed["provenance"]["steps"]
    for index, encoded in enumerate(container[:-1]):
        tampered = copy.deepcopy(signed)
        step = decode_step(encoded)
        step["timestamp"] = "2025-11-02T09:00:01Z"  # a change no other check would notice
        tampered["provenance"]["steps"][index] = encode(step)
        text = problems(tampered, pki)
        assert "the signature does not match the signed steps" in text, index
        assert step["id"] in text  # the container's steps are listed


def test_altered_signature_time_fails(pki, signed):
    tampered = copy.deepcopy(signed)
    moved = pki["cap"].certificate.not_valid_before_utc + dt.timedelta(
        minutes=1
    )  # still within the certificate's validity
    tampered["provenance"]["steps"][-1][2] = f"{moved:%Y-%m-%dT%H:%M:%SZ}"
    assert "the signature does not match" in problems(tampered, pki)


REPORT_TAMPERING = {
    "emissions value": lambda r: r["data"][0]["emissions"].__setitem__("value", 400.0),
    "gas value": lambda r: r["data"][3]["emissions"].__setitem__("value", 1.0),
    "missing-data status": lambda r: r["data"][3]["dataQuality"].__setitem__("missingData", "Complete"),
    "dropped month": lambda r: r["data"].pop(1),
    "dataset licence": lambda r: r["sources"][1]["datasets"][0].__setitem__("licence", "CC0-1.0"),
    "dataset url": lambda r: r["sources"][0]["datasets"][0].__setitem__("url", "https://example.org/intensity"),
    "calorific value": lambda r: r["sources"][1]["calorificValue"].__setitem__("megajoulesPerCubicMetre", 38.0),
}


@pytest.mark.parametrize("change", sorted(REPORT_TAMPERING))
def test_altered_report_values_fail(pki, signed, change):
    tampered = copy.deepcopy(signed)
    REPORT_TAMPERING[change](tampered)
    text = problems(tampered, pki)
    assert "were changed after signing" in text


def test_altered_dataset_names_both_sides(pki, signed):
    tampered = copy.deepcopy(signed)
    tampered["sources"][0]["datasets"][0]["title"] = "Another intensity series"
    text = problems(tampered, pki)
    assert (
        "its datasets differ from the report's sources: only in the record ['Carbon Intensity API, regional forecast'], "
        "only in the report ['Another intensity series']" in text
    )


def test_a_methodology_missing_from_the_sources_fails(pki, signed):
    tampered = copy.deepcopy(signed)
    tampered["sources"].pop(1)
    text = problems(tampered, pki)
    assert "(gas-desnz-annual@2025-10-27): no source in the report names this methodology" in text


def test_unusable_input_is_not_a_failed_verification(pki, signed):
    with pytest.raises(UnusableInput, match="no `provenance`"):
        verify_report({"data": []}, anchor(pki))
    with pytest.raises(UnusableInput, match="trust anchor"):
        verify_report(signed, b"not a certificate")
    broken = copy.deepcopy(signed)
    broken["provenance"]["steps"] = ["abc"]
    with pytest.raises(UnusableInput, match="signature block"):
        verify_report(broken, anchor(pki))


# --- the record and the report's sources -------------------------------------------------------


def test_blended_record_names_the_sources_the_report_names(pki, signed):
    steps = verify_report(signed, anchor(pki)).steps
    by_id = {s["id"]: s for s in steps}
    processes = {s["perseus:energyType"]: s for s in steps if s["type"] == "process"}
    assert set(processes) == {source["type"] for source in signed["sources"]} == {"electricity", "gas"}
    for source in signed["sources"]:
        process = processes[source["type"]]
        assert process["process"] == source["methodologyUri"]
        assert process["process"] == vocabulary.process_uri(*source["methodology"].split("@"))
        used = [by_id[i] for i in process["inputs"] if by_id[i].get("origin")]
        assert sorted(
            (d["origin"], d["originLicense"], d["perseus:dataset"]["title"], d["perseus:dataset"]["months"])
            for d in used
        ) == sorted((d["url"], d["licence"], d["title"], d["months"]) for d in source["datasets"])
    intensity = [s for s in steps if s.get("sourceType") == SANDBOX.source_type(GRID_INTENSITY)]
    factors = [s for s in steps if s.get("sourceType") == SANDBOX.source_type(GAS_FACTOR)]
    assert [(s["origin"], s["originLicense"]) for s in intensity] == [
        ("https://api.carbonintensity.org.uk", "CC-BY-4.0")
    ]
    assert [s["originLicense"] for s in factors] == ["OGL-UK-3.0"]
    assert processes["electricity"]["inputs"].count(intensity[0]["id"]) == 1
    assert factors[0]["id"] in processes["gas"]["inputs"] and factors[0]["id"] not in processes["electricity"]["inputs"]


def test_consumption_origins_carry_period_outcode_and_the_calculators_data_quality(pki, signed):
    steps = verify_report(signed, anchor(pki)).steps
    origins = {s["perseus:energyType"]: s for s in steps if s.get("sourceType") == SANDBOX.source_type(METER)}
    assert origins["gas"]["perseus:assurance"] == {  # one month had gaps
        "dataSource": "https://registry.core.sandbox.trust.ib1.org/scheme/perseus/assurance/data-source/SmartMeter",
        "missingData": "https://registry.core.sandbox.trust.ib1.org/scheme/perseus/assurance/missing-data/Missing",
    }
    assert origins["electricity"]["perseus:assurance"]["missingData"] == SANDBOX.assurance("missingData", "Complete")
    assert all(s["scheme"] == "https://registry.core.sandbox.trust.ib1.org/scheme/perseus" for s in steps)
    assert origins["gas"]["perseus:scheme"] == {
        "meteringPeriod": {"from": "2025-09-01T00:00:00Z", "to": "2025-11-01T00:00:00Z"},
        "postcode": "RG10",
    }


def test_transfer_to_the_fsp_only_when_one_is_named(pki, blended, signed):
    with_fsp = verify_report(signed, anchor(pki)).steps
    assert {s["to"] for s in with_fsp if s["type"] == "transfer"} == {BANK_URL}
    without = verify_report(sign(blended, pki["cap"]), anchor(pki)).steps
    assert not [s for s in without if s["type"] == "transfer"]


def test_a_signed_report_is_valid_under_the_draft_release_and_pinned_files_are_untouched(signed):
    from perseus.validation import load_release_schema, validate_payload

    assert validate_payload(load_release_schema("emissions-data@2026-11-28"), "EmissionsReport", signed) == []
    pinned = load_release_schema("emissions-data@2025-10-27")
    assert "certificates" not in pinned["$defs"]["Provenance"]["properties"]


# --- inbound EDP records -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def meter_data(pki):
    return sign_meter_data(
        example("MeterData-electricity.json"), key=pki["edp"].key, cert_chain=[pki["edp"].certificate], cap=CAP_APP
    )


def test_signing_meter_data_leaves_the_document_given_unchanged(pki):
    given = example("MeterData-electricity.json")
    before = copy.deepcopy(given)
    signed = sign_meter_data(given, key=pki["edp"].key, cert_chain=[pki["edp"].certificate], cap=CAP_APP)
    assert given == before  # its own provenance, not the new one
    assert {k: v for k, v in signed.items() if k != "provenance"} == {
        k: v for k, v in before.items() if k != "provenance"
    }
    assert signed["provenance"] != before.get("provenance")


def test_edp_signed_consumption_is_verified_and_nested(pki, blended, meter_data):
    report = sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki))
    result = verify_report(report, anchor(pki), require_edp=False)
    assert result.valid, result.problems
    edp_steps = [s for s in result.steps if s["_signature"]["signed"]["name"] == "Example EDP Ltd"]
    assert {s["type"] for s in edp_steps} == {"permission", "origin", "transfer"}
    assert all(s["_signature"]["includedBy"][0]["name"] == "Example CAP Ltd" for s in edp_steps)
    nested = report["provenance"]["steps"][0]
    assert nested == meter_data["provenance"]["steps"]  # included as the EDP signed it
    by_id = {s["id"]: s for s in result.steps}
    electricity = next(
        s for s in result.steps if s.get("perseus:energyType") == "electricity" and s["type"] == "process"
    )
    receipt = by_id[electricity["inputs"][0]]
    assert receipt["type"] == "receipt" and by_id[receipt["transfer"]]["of"] in {s["id"] for s in edp_steps}
    assert electricity["permissions"] == [s["id"] for s in edp_steps if s["type"] == "permission"]
    assert not [
        s
        for s in result.steps
        if s.get("sourceType") == SANDBOX.source_type(METER)
        and s["perseus:energyType"] == "electricity"
        and s not in edp_steps
    ]  # not started afresh
    assert [n for n in result.notes if "(electricity)" in n] == []
    assert [n for n in result.notes if "(gas)" in n]  # gas came without an EDP record: said so


def test_require_edp_refuses_the_caps_own_consumption_origins(pki, blended, meter_data):
    report = sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki))
    text = problems(report, pki, require_edp=True)
    assert "origin step" in text and "(gas): signed by Example CAP Ltd" in text
    assert "consumption origins are signed by an energy-data-provider" in text
    assert "(electricity)" not in text


def test_an_inbound_record_that_does_not_verify_is_refused(pki, blended, meter_data):
    tampered = copy.deepcopy(meter_data)
    step = decode_step(tampered["provenance"]["steps"][1])
    step["perseus:assurance"]["missingData"] = SANDBOX.assurance("missingData", "Missing")
    tampered["provenance"]["steps"][1] = encode(step)
    with pytest.raises(InboundError, match="does not verify: the signature does not match"):
        sign(blended, pki["cap"], inbound_records=[tampered], trust_anchor=anchor(pki))
    with pytest.raises(InboundError, match="does not chain to the trust anchor"):
        sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki, "production"))
    with pytest.raises(InboundError, match="needs the environment's trust anchor"):
        sign(blended, pki["cap"], inbound_records=[meter_data])


def test_an_inbound_consumption_origin_not_signed_by_an_edp_is_refused(pki, blended):
    from ib1.provenance import Record

    from perseus.provenance.signer import member_signer

    record = Record(SANDBOX.trust_framework)
    record.add_step({"type": "origin", "sourceType": SANDBOX.source_type(METER), "perseus:energyType": "electricity"})
    forged = dict(
        example("MeterData-electricity.json"),
        provenance=record.sign(member_signer(pki["fsp"].key, [pki["fsp"].certificate])[0]).encoded(),
    )
    with pytest.raises(InboundError, match="signed by Example Bank plc, which is not an energy-data-provider"):
        sign(blended, pki["cap"], inbound_records=[forged], trust_anchor=anchor(pki))


# --- the step model ----------------------------------------------------------------------------


def test_decoded_steps_follow_the_step_model(pki, blended, meter_data):
    report = sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki), fsp=BANK_URL)
    schema = json.loads(STEP_SCHEMA_PATH.read_text())
    steps = verify_report(report, anchor(pki)).steps
    assert {s["type"] for s in steps} == {"permission", "origin", "transfer", "receipt", "process"}
    for step in steps:
        body = {k: v for k, v in step.items() if k != "_signature"}
        validator = Draft201909Validator({"$ref": f"#/$defs/{step['type'].capitalize()}Step", "$defs": schema["$defs"]})
        assert list(validator.iter_errors(body)) == [], step
    origin = next(s for s in steps if s["type"] == "origin")
    bad = {k: v for k, v in origin.items() if k != "_signature"} | {"perseus:assurance": {"missingData": "Partial"}}
    assert list(Draft201909Validator({"$ref": "#/$defs/OriginStep", "$defs": schema["$defs"]}).iter_errors(bad))


def test_verify_refuses_a_step_outside_the_model(pki, blended):
    from ib1.provenance import Record

    from perseus.provenance.signer import member_signer

    report = sign(blended, pki["cap"])
    record = Record(SANDBOX.trust_framework)
    for encoded in report["provenance"]["steps"][:-1]:
        step = decode_step(encoded)
        step = {k: v for k, v in step.items() if k != "id"}
        if step["type"] == "origin" and step.get("sourceType") == SANDBOX.source_type(METER):
            step["perseus:assurance"] = {"dataSource": SANDBOX.scheme + "/assurance/data-source/Guess"}
        record.add_step(step)  # new ids: the process inputs then point nowhere, but the model check comes first
    report["provenance"] = record.sign(member_signer(pki["cap"].key, [pki["cap"].certificate])[0]).encoded()
    assert (
        "does not follow the provenance step model at perseus:assurance/dataSource: "
        "'https://registry.core.sandbox.trust.ib1.org/scheme/perseus/assurance/data-source/Guess' does not match"
        in problems(report, pki)
    )


def test_vocabulary_is_the_spec_vocabulary():
    spec = yaml.safe_load((SPEC / "provenance_steps.yaml").read_text())
    emissions = yaml.safe_load((SPEC / "emissions.yaml").read_text())
    assurance = spec["classes"]["Assurance"]["attributes"]
    for key, (signal, values) in vocabulary.ASSURANCE.items():
        enum = spec["enums"][assurance[key]["range"]]
        assert (enum["annotations"]["registry_signal"], tuple(enum["permissible_values"])) == (signal, values), key
    assert tuple(spec["enums"]["StepType"]["permissible_values"]) == vocabulary.STEP_TYPES
    assert tuple(emissions["enums"]["MissingData"]["permissible_values"]) == vocabulary.ASSURANCE["missingData"][1]
    assert spec["types"]["StepInstant"]["pattern"] == vocabulary.INSTANT_PATTERN
    for role in emissions["enums"]["DatasetRole"]["permissible_values"]:
        assert vocabulary.dataset_source_type(role, "gas") in vocabulary.DATASET_SOURCE_TYPES


# --- certificates ------------------------------------------------------------------------------


def test_member_certificates_carry_what_the_scheme_requires(pki):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    from ib1.provenance.certificates import SigningCertificate

    cert = pki["cap"].certificate
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey) and cert.public_key().curve.name == "secp256r1"
    info = SigningCertificate(cert)
    assert (info.member(), info.organisation_name(), info.roles()) == (
        CAP_URL,
        "Example CAP Ltd",
        ["https://registry.core.sandbox.trust.ib1.org/scheme/perseus/role/carbon-accounting-provider"],
    )
    assert info.application() == CAP_APP
    assert cert.subject.rfc4514_string() == f"CN={CAP_APP},O=Example CAP Ltd,C=GB"  # as certmaker writes it
    production = SigningCertificate(pki["cap-production"].certificate).roles()
    assert production == ["https://registry.core.trust.ib1.org/scheme/perseus/role/carbon-accounting-provider"]
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ca_ski = pki["sandbox"].certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ca_ski.digest and ski.digest != ca_ski.digest


def test_a_member_needs_a_known_role(pki):
    with pytest.raises(ValueError, match="roles must be some of"):
        keys.create_member(pki["sandbox"], member=CAP_URL, organisation="X", roles=["auditor"])


def test_an_altered_nested_edp_step_names_the_edp_container(pki, blended, meter_data):
    report = sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki))
    nested = report["provenance"]["steps"][0]
    step = decode_step(nested[1])
    step["perseus:scheme"]["postcode"] = "SW1A"
    nested[1] = encode(step)
    text = problems(report, pki)
    assert "container $.provenance.steps[0] signed by Example EDP Ltd" in text
    assert f"{step['id']} (origin)" in text


# --- the drawing -------------------------------------------------------------------------------


def test_the_drawing_shows_every_step_and_signer(pki, blended, meter_data):
    from perseus.paths import DOCS
    from perseus.provenance.drawing import MARKER, render_record_png, render_record_svg

    report = sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki), fsp=BANK_URL)
    steps = verify_report(report, anchor(pki)).steps
    svg = render_record_svg(steps)
    for kind in {s["type"].upper() for s in steps}:
        assert kind in svg
    assert "signed by Example EDP Ltd" in svg and "signed by Example CAP Ltd" in svg
    assert "electricity-location-based@2025-10-27" in svg and "OGL-UK-3.0" in svg
    assert render_record_png(steps).startswith(b"\x89PNG\r\n\x1a\n")
    assert MARKER in (DOCS / "provenance.md").read_text()


def test_synthetic_consumption_keeps_its_label_and_claims_no_meter(pki, blended, tmp_path):
    from perseus.provenance.build import sign_calculated
    from perseus.provenance.synthetic import origin_step, step_id, unsigned_record

    payload = example("MeterData-electricity.json")
    step = origin_step(
        meter="synthetic-cafe-001",
        energy_type="electricity",
        archetype="cafe",
        seed=0,
        outcode="RG10",
        start="2025-10-01T00:00:00Z",
        end="2025-10-01T01:00:00Z",
        timestamp="2025-10-02T00:00:00Z",
    )
    payload["provenance"] = unsigned_record(step, step_id("x"))
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(payload))
    (keyfile := tmp_path / "cap.key").write_bytes(pki["cap"].key_pem())
    (certfile := tmp_path / "cap.pem").write_bytes(pki["cap"].certificate_pem())
    report = sign_calculated(blended, [path], key=keyfile, cert=certfile)
    steps = verify_report(report, anchor(pki)).steps
    origin = next(s for s in steps if s.get("perseus:energyType") == "electricity" and s["type"] == "origin")
    assert origin["perseus:synthetic"]["generator"] == "perseus synth" and "Synthetic" in origin["description"]
    assert "dataSource" not in origin["perseus:assurance"]
    assert origin["perseus:scheme"]["postcode"] == "RG10"
    gas = next(s for s in steps if s.get("perseus:energyType") == "gas" and s["type"] == "origin")
    assert gas["perseus:assurance"]["dataSource"] == SANDBOX.assurance("dataSource", "SmartMeter")
    assert "perseus:synthetic" not in gas


def test_a_report_whose_dates_cannot_be_read_is_unusable(pki, signed):
    broken = copy.deepcopy(signed)
    broken["data"][0]["takenAt"] = "yesterday"
    with pytest.raises(UnusableInput, match="cannot be read"):
        verify_report(broken, anchor(pki))


def test_container_dates_are_checked(pki, blended, meter_data):
    from perseus.provenance.steps import containers
    from perseus.provenance.verify import _container_date_findings

    report = sign(blended, pki["cap"], inbound_records=[meter_data], trust_anchor=anchor(pki))
    tree = containers(report["provenance"]["steps"])
    certificates = report["provenance"]["certificates"]
    assert _container_date_findings(tree, certificates) == []
    tree.nested[0].timestamp = "2099-01-01T00:00:00Z"
    text = "\n".join(map(str, _container_date_findings(tree, certificates)))
    assert "container $.provenance.steps[0] signed by Example EDP Ltd" in text and "signed in the future" in text
    assert "signed before the record nested in it ($.provenance.steps[0], signed 2099-01-01T00:00:00Z)" in text


def test_a_digest_on_a_calculation_of_no_known_energy_type_is_a_finding():
    """Its figures cannot be picked out of the report: not checked as the digest of no entries."""
    from perseus.provenance.digest import report_digest
    from perseus.provenance.verify import _source_findings

    report = {"data": [{"type": "electricity", "emissions": {"value": 1.0, "unitCode": "KGM"}}]}
    process = {
        "id": "calc",
        "type": "process",
        "process": vocabulary.process_uri("another-calculation", "2025-01-01"),
        "inputs": [],
        "perseus:report": report_digest({}, "electricity"),
    }  # what no entries digest to
    found = [str(f) for f in _source_findings([process], report, [])]
    assert "process step calc: binds a digest of the report's figures but names no energy type" in found[0]
    assert found[1:] == ["$.data[0]: no process step in the record covers electricity entries"]


def test_data_transferred_to_another_member_is_refused(pki, blended):
    elsewhere = sign_meter_data(
        example("MeterData-electricity.json"),
        key=pki["edp"].key,
        cert_chain=[pki["edp"].certificate],
        cap="https://directory.sandbox.example/member/someone-else",
    )
    with pytest.raises(
        InboundError, match="was sent to https://directory.sandbox.example/member/someone-else, not to this member"
    ):
        sign(blended, pki["cap"], inbound_records=[elsewhere], trust_anchor=anchor(pki))


def test_a_receipt_by_someone_other_than_the_recipient_fails(pki, blended, meter_data):
    from ib1.provenance import Record

    from perseus.provenance.build import verify_inbound
    from perseus.provenance.signer import member_signer

    nested, steps = verify_inbound(meter_data, anchor(pki))
    transfer = next(s for s in steps if s["type"] == "transfer")
    record = Record(SANDBOX.trust_framework)
    record.add_record(nested)
    record.add_step(
        {"type": "receipt", "transfer": transfer["id"], "from": "https://directory.sandbox.example/member/edp"}
    )
    report = dict(blended, provenance=record.sign(member_signer(pki["fsp"].key, [pki["fsp"].certificate])[0]).encoded())
    text = problems(report, pki)
    assert (
        f"signed by Example Bank plc (member {BANK_URL}), but transfer {transfer['id']} was sent to {CAP_APP}" in text
    )


def test_the_signed_examples_verify_with_their_committed_anchor(pki):
    from perseus.provenance.build import verify_inbound

    example_anchor = (EXAMPLES.parent / "examples" / "trust-anchors" / "sandbox-example-ca.pem").read_bytes()
    report = example("EmissionsReport-blended-signed.json")
    result = verify_report(report, example_anchor, require_edp=False)
    assert result.valid, result.problems
    assert report["data"] == example("EmissionsReport-blended-with-sources.json")["data"]  # the same figures, signed
    assert not verify_report(report, anchor(pki)).valid  # another sandbox CA: not trusted
    _, steps = verify_inbound(example("MeterData-electricity-signed.json"), example_anchor)
    assert [s["type"] for s in steps] == ["permission", "origin", "transfer"]


# --- instants and environments -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-09-01Z", dt.datetime(2023, 9, 1, tzinfo=dt.UTC)),
        ("2025-10-01T00:00Z", dt.datetime(2025, 10, 1, tzinfo=dt.UTC)),
        ("2025-10-01T00:00:30Z", dt.datetime(2025, 10, 1, 0, 0, 30, tzinfo=dt.UTC)),
        ("2026-12-01T19:06:57.18741Z", dt.datetime(2026, 12, 1, 19, 6, 57, 187410, tzinfo=dt.UTC)),
        ("2026-12-01T19:06:57.1874123Z", dt.datetime(2026, 12, 1, 19, 6, 57, 187412, tzinfo=dt.UTC)),
    ],
)
def test_every_precision_the_scheme_writes_is_an_instant(text, expected):
    assert vocabulary.instant(text) == expected
    schema = json.loads(STEP_SCHEMA_PATH.read_text())
    period = {"from": text, "to": "2030-01-01Z"}
    assert (
        list(Draft201909Validator({"$ref": "#/$defs/MeteringPeriod", "$defs": schema["$defs"]}).iter_errors(period))
        == []
    )


@pytest.mark.parametrize(
    "text", ["2025-10-01T00:00:00+00:00", "2025-10-01", "2023-09Z", "2025-13-01Z", "2025-10-01T24:00Z"]
)
def test_what_is_not_a_utc_instant_is_refused(text):
    with pytest.raises(ValueError, match="is not a UTC instant"):
        vocabulary.instant(text)
    schema = json.loads(STEP_SCHEMA_PATH.read_text())
    assert list(
        Draft201909Validator({"$ref": "#/$defs/MeteringPeriod", "$defs": schema["$defs"]}).iter_errors(
            {"from": text, "to": "2030-01-01Z"}
        )
    )


def test_a_step_in_the_second_of_its_signature_is_not_later_than_it():
    assert vocabulary.not_after("2026-12-01T19:06:57.99999Z", "2026-12-01T19:06:57Z")
    assert vocabulary.not_after("2026-12-01T19:06Z", "2026-12-01T19:06:00Z")
    assert not vocabulary.not_after("2026-12-01T19:06:58.0Z", "2026-12-01T19:06:57Z")
    assert not vocabulary.not_after("2026-12-02Z", "2026-12-01T19:06:57Z")


def test_each_environment_has_its_own_trust_framework_and_scheme_uris():
    assert [vocabulary.environment(n).trust_framework for n in vocabulary.ENVIRONMENTS] == [
        "https://registry.core.sandbox.trust.ib1.org/trust-framework",
        "https://registry.core.pilot.trust.ib1.org/trust-framework",
        "https://registry.core.trust.ib1.org/trust-framework",
    ]
    assert vocabulary.by_trust_framework("https://registry.core.sandbox.trust.ib1.org/trust-framework") == SANDBOX
    assert vocabulary.by_trust_framework("https://registry.example/trust-framework") is None
    sandbox_cap = "https://registry.core.sandbox.trust.ib1.org/scheme/perseus/role/carbon-accounting-provider"
    assert vocabulary.roles_held([sandbox_cap], SANDBOX) == {CAP}
    assert (
        vocabulary.roles_held([sandbox_cap], vocabulary.PRODUCTION) == set()
    )  # a sandbox role does not count in production
    assert vocabulary.roles_held([CAP], SANDBOX) == set()  # nor does a bare label
    assert vocabulary.energy_type_of({"process": SANDBOX.process("gas-emissions-calculation", "2026-03-12")}) == "gas"
    assert (
        vocabulary.energy_type_of({"process": SANDBOX.process("emissions-calculations", "2024-12-05")}) == "electricity"
    )


def test_a_sandbox_record_verifies_and_a_production_certificate_signs_a_production_record(pki, blended):
    sandbox = verify_report(sign(blended, pki["cap"]), anchor(pki))
    assert sandbox.valid and sandbox.environment == SANDBOX
    production = sign(blended, pki["cap-production"])
    assert production["provenance"]["ib1:provenance"] == "https://registry.core.trust.ib1.org/trust-framework"
    result = verify_report(production, anchor(pki, "production"))
    assert result.valid, result.problems


def test_a_certificate_holding_bare_role_labels_is_not_a_cap(pki, blended):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    from perseus.provenance.keys import Issued, _Roles

    member = pki["cap"]
    builder = (
        x509.CertificateBuilder()
        .subject_name(member.certificate.subject)
        .issuer_name(member.certificate.issuer)
        .public_key(member.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(member.certificate.not_valid_before_utc)
        .not_valid_after(member.certificate.not_valid_after_utc)
    )
    for extension in member.certificate.extensions:
        value = extension.value
        if extension.oid.dotted_string == vocabulary.OID_ROLES:
            value = x509.UnrecognizedExtension(extension.oid, _Roles([CAP]).dump())
        builder = builder.add_extension(value, extension.critical)
    bare = Issued(member.key, builder.sign(pki["sandbox"].key, hashes.SHA256()))
    with pytest.raises(SigningError, match="only a carbon-accounting-provider signs an emissions calculation"):
        sign(blended, bare)
    text = problems(sign(blended, bare, check_role=False), pki)
    assert (
        "whose certificate holds carbon-accounting-provider (not a role URI of the production environment); "
        "only a carbon-accounting-provider signs"
    ) in text
