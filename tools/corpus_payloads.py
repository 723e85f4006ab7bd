"""Write the payloads of the release corpus (spec/corpus/) that are not there yet.

Run once when the corpus is written, not by the tests:

    .venv/bin/python tools/corpus_payloads.py

Most payloads are variations of a few real-shaped bases. The signed records are made
with ib1-provenance the way the scheme's demo energy data provider and a carbon
accounting provider make theirs, under a local CA from `perseus keys`; FastAPI's 422
bodies come from a FastAPI app declaring the parameters the deployed APIs declare.
Signatures and timestamps differ from run to run, so existing files are never rewritten.
Then run tools/corpus_verdicts.py to record the verdicts.
"""

from __future__ import annotations

import copy
import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "spec" / "corpus"
SCHEME = "https://registry.core.trust.ib1.org/scheme/perseus"
TRUST_FRAMEWORK = "https://registry.core.trust.ib1.org/trust-framework"

# A record in the step shape the registry's documents describe: containers of encoded
# steps and a signature block of strings (as the demo EDP's own model example writes it).
DOCUMENTED_RECORD = {
    "ib1:provenance": TRUST_FRAMEWORK,
    "origins": ["q3Xv0pLk"],
    "steps": [[
        "eyJpZCI6InEzWHYwcExrIiwidHlwZSI6Im9yaWdpbiJ9",
        "eyJpZCI6Ijl0ZlJ3a0UiLCJ0eXBlIjoidHJhbnNmZXIifQ",
        ["588165", "2025-10-02T03:00:00Z", "MEUCIQC7kB2x3y9w0nXq1v8fY5sZ0aR4mD6tH2jL9pE1cK3oWgIgR5uN8vT2bQ7xZ1yA4fD9kL0sP3mV6nB8cX2zH5jQ1wE="],
    ]],
}


def reading(start: str, end: str, taken: str, energy: float, cumulative: float, unit="KWH", kind="electricity"):
    return {"type": kind, "from": start, "to": end, "takenAt": taken,
            "energy": {"value": energy, "unitCode": unit}, "cumulative": {"value": cumulative, "unitCode": unit}}


def meter_data(readings=None, outcode="SW8", provenance=None) -> dict:
    readings = readings if readings is not None else [
        reading("2025-10-01T00:00:00Z", "2025-10-01T00:30:00Z", "2025-10-02T03:00:00Z", 0.412, 10234.412),
        reading("2025-10-01T00:30:00Z", "2025-10-01T01:00:00Z", "2025-10-02T03:00:00Z", 0.398, 10234.81),
    ]
    return {"data": readings, "location": {"ukPostcodeOutcode": outcode},
            "provenance": copy.deepcopy(provenance or DOCUMENTED_RECORD)}


def data_sources(*sources) -> dict:
    return {"data": list(sources) or [source()]}


def source(id="S018011012261305588165", kind="electricity", outcode="SW8", measures=("import", "export")) -> dict:
    return {"id": id, "type": kind, "location": {"ukPostcodeOutcode": outcode}, "availableMeasures": list(measures)}


def entry(kind: str, start: str, end: str, value: float, taken="2025-11-02T09:00:00Z") -> dict:
    return {"type": kind, "from": start, "to": end, "takenAt": taken, "emissions": {"value": value, "unitCode": "KGM"}}


def report(entries=None, provenance=None) -> dict:
    entries = entries if entries is not None else [
        entry("electricity", "2025-09-01T00:00:00Z", "2025-10-01T00:00:00Z", 412.718),
        entry("electricity", "2025-10-01T00:00:00Z", "2025-11-01T00:00:00Z", 455.201),
    ]
    return {"data": entries, "provenance": copy.deepcopy(provenance or DOCUMENTED_RECORD)}


def with_(payload: dict, path: tuple, value) -> dict:
    """A copy with the value at `path` replaced (a key or index per step; `...` deletes it)."""
    out = copy.deepcopy(payload)
    node = out
    for part in path[:-1]:
        node = node[part]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def offset(payload: dict, suffix: str) -> dict:
    """Every reading's instants written with another UTC offset, the same instants."""
    out = copy.deepcopy(payload)
    hours = int(suffix[:3])
    for item in out["data"]:
        for key in ("from", "to", "takenAt"):
            instant = datetime.datetime.fromisoformat(item[key].replace("Z", "+00:00"))
            local = instant.astimezone(datetime.timezone(datetime.timedelta(hours=hours)))
            item[key] = local.strftime("%Y-%m-%dT%H:%M:%S") + suffix
    return out


# --- real records ---------------------------------------------------------------------------------

def _keys(folder: Path, name: str, role: str, member: str, organisation: str) -> None:
    subprocess.run([sys.executable, "-m", "perseus.cli", "keys", "--output", str(folder), "--name", name,
                    "--role", role, "--member", member, "--organisation", organisation],
                   check=True, capture_output=True)


def _signer(folder: Path, name: str, provider):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from ib1.provenance.signing import SignerInMemory

    chain = x509.load_pem_x509_certificates((folder / f"{name}.pem").read_bytes() + (folder / "sandbox-ca.pem").read_bytes())
    key = load_pem_private_key((folder / f"{name}.key").read_bytes(), password=None)
    return SignerInMemory(provider, chain[:1], key)


def _edp_record(folder: Path, provider):
    """The steps the demo EDP writes for one day of readings, signed by the EDP."""
    from ib1.provenance import Record

    record = Record(TRUST_FRAMEWORK)
    permission = record.add_step({
        "type": "permission", "scheme": SCHEME, "timestamp": "2025-10-02T02:58:11.51872Z",
        "account": "f3b0c44298fc1c14", "allows": {"licences": [f"{SCHEME}/licence/energy-consumption-data/2024-12-05"]},
        "expires": "2026-10-02T02:58:11Z"})
    origin = record.add_step({
        "type": "origin", "scheme": SCHEME, "sourceType": f"{SCHEME}/source-type/Meter",
        "origin": "https://www.smartdcc.co.uk/",
        "originLicence": "https://smartenergycodecompany.co.uk/documents/sec/consolidated-sec/",
        "external": True, "permissions": [permission],
        "perseus:scheme": {"meteringPeriod": {"from": "2025-10-01T00:00Z", "to": "2025-10-02T00:00Z"}},
        "perseus:assurance": {"dataSource": f"{SCHEME}/assurance/data-source/SmartMeter",
                              "missingData": f"{SCHEME}/assurance/missing-data/Missing",
                              "processing": f"{SCHEME}/assurance/processing/SmartDCCOtherUser"}})
    record.add_step({
        "type": "transfer", "scheme": SCHEME, "of": origin, "to": "https://directory.core.trust.ib1.org/application/84251",
        "standard": f"{SCHEME}/standard/energy-consumption-data/2024-12-05",
        "licence": f"{SCHEME}/licence/energy-consumption-data/2024-12-05",
        "service": "https://api.edp.example/datasources/S018011012261305588165/import", "path": "/readings",
        "parameters": {"measure": "import", "from": "2025-10-01T00:00Z", "to": "2025-10-02T00:00Z"},
        "permissions": [permission], "transaction": "0b5e5e1c-6f7e-4b8e-9d1f-5b8f0c6f7a21"})
    return record.sign(_signer(folder, "edp", provider))


def _cap_record(folder: Path, provider, edp_signed):
    """A carbon accounting provider's record: the EDP's nested, its own steps on top, signed."""
    from ib1.provenance import Record

    from ib1.provenance import Record as Received

    received = Received(TRUST_FRAMEWORK, edp_signed.encoded())
    received.verify(provider)
    record = Record(TRUST_FRAMEWORK)
    record.add_record(received)
    transfer = next(s for s in received.decoded() if s["type"] == "transfer")
    receipt = record.add_step({"type": "receipt", "scheme": SCHEME, "from": "https://directory.core.trust.ib1.org/member/2876152",
                               "of": transfer["id"], "transaction": transfer["transaction"]})
    intensity = record.add_step({
        "type": "origin", "scheme": SCHEME, "sourceType": f"{SCHEME}/source-type/GridCarbonIntensity",
        "origin": "https://api.carbonintensity.org.uk/", "originLicence": "https://creativecommons.org/licenses/by/4.0/",
        "external": True, "perseus:scheme": {"meteringPeriod": {"from": "2025-10-01T00:00Z", "to": "2025-10-02T00:00Z"}}})
    process = record.add_step({"type": "process", "scheme": SCHEME, "inputs": [receipt, intensity],
                               "process": f"{SCHEME}/process/emissions-calculations/2025-10-23"})
    record.add_step({"type": "transfer", "scheme": SCHEME, "of": process,
                     "to": "https://directory.core.trust.ib1.org/application/90331",
                     "standard": f"{SCHEME}/standard/emissions-data/2026-03-12",
                     "licence": f"{SCHEME}/licence/emissions-report/2025-10-23", "path": "/emissions",
                     "transaction": "7d2c9a40-2f1e-4f8b-a3c5-0e6d9b1f4c88"})
    return record.sign(_signer(folder, "cap", provider))


def real_records() -> dict[str, dict]:
    """Encoded records: the EDP's and the CAP's, each with and without its certificates."""
    from ib1.provenance.certificates import CertificatesProviderLocal, CertificatesProviderSelfContainedRecord

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _keys(folder, "edp", "energy-data-provider", "https://directory.core.trust.ib1.org/member/2876152", "Example EDP Ltd")
        _keys(folder, "cap", "carbon-accounting-provider", "https://directory.core.trust.ib1.org/member/3319044", "Example CAP Ltd")
        root = (folder / "sandbox-ca.pem").read_bytes()
        for name in ("edp", "cap"):  # where the local provider looks a signer's certificate up
            pem = (folder / f"{name}.pem").read_bytes()
            from cryptography import x509

            serial = x509.load_pem_x509_certificate(pem).serial_number
            (folder / f"{serial}-bundle.pem").write_bytes(pem)
        contained = CertificatesProviderSelfContainedRecord(root)
        local = CertificatesProviderLocal(root, str(folder))
        edp_contained = _edp_record(folder, contained)
        edp_local = _edp_record(folder, local)
        return {
            "edp-contained": edp_contained.encoded(),
            "edp-local": edp_local.encoded(),
            "cap-contained": _cap_record(folder, contained, edp_contained).encoded(),
            "cap-local": _cap_record(folder, local, edp_local).encoded(),
        }


def fastapi_422_bodies() -> dict[str, dict]:
    """What FastAPI answers for bad requests to the parameters the deployed APIs declare."""
    from typing import Literal

    from fastapi import FastAPI, Query
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/datasources/{id}/{measure}")
    def readings(id: str, measure: Literal["import", "export"], start: datetime.datetime = Query(alias="from"),
                 end: datetime.datetime | None = Query(default=None, alias="to")):
        return {}

    @app.get("/demo/{id}/{measure}")  # as the demo EDP declares them: dates, `to` required
    def demo(id: str, measure: str, start: datetime.date = Query(alias="from"), end: datetime.date = Query(alias="to")):
        return {}

    client = TestClient(app)

    def body(url: str) -> dict:
        response = client.get(url)
        assert response.status_code == 422, (url, response.status_code)
        return response.json()

    # FastAPI before 0.111 also passed on pydantic's `url` (removed in fastapi/fastapi#11461):
    # the same errors as pydantic reports them by default, placed at the parameter.
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(datetime.datetime).validate_python("2025-10")
    except ValidationError as exc:
        with_url = {"detail": [{**e, "loc": ["query", "from", *e["loc"]]} for e in exc.errors()]}
    return {
        "with-url": with_url,
        "missing-from": body("/datasources/S0180/import"),
        "bad-from": body("/datasources/S0180/import?from=2025-10"),
        "unknown-measure": body("/datasources/S0180/generation?from=2025-10-01T00:00:00Z"),
        "demo-edp-missing-period": body("/demo/S0180/import"),
    }


# --- the corpus -----------------------------------------------------------------------------------

def payloads() -> dict[str, tuple[str, str, dict]]:
    """file name -> (aspect, summary, payload)."""
    records = real_records()
    fastapi = fastapi_422_bodies()
    md = meter_data()
    rep = report()
    gas_readings = [reading("2025-10-01T00:00:00Z", "2025-10-01T00:30:00Z", "2025-10-02T03:00:00Z", 0.061, 4312.061, "MTQ", "gas"),
                    reading("2025-10-01T00:30:00Z", "2025-10-01T01:00:00Z", "2025-10-02T03:00:00Z", 0.058, 4312.119, "MTQ", "gas")]
    gas_kwh = [reading("2025-10-01T00:00:00Z", "2025-10-01T00:30:00Z", "2025-10-02T03:00:00Z", 0.69, 48213.4, "KWH", "gas")]
    certificates = records["edp-contained"]["certificates"]
    blended_sources = [{
        "type": "electricity", "methodology": "electricity-location-based@2025-10-27",
        "methodologyUri": f"{SCHEME}/process/emissions-calculations/2025-10-23",
        "datasets": [{"role": "grid-intensity", "publisher": "National Energy System Operator", "title": "Carbon Intensity API",
                      "version": "2025", "url": "https://api.carbonintensity.org.uk/", "licence": "CC-BY-4.0",
                      "months": ["2025-09", "2025-10"]}]}]
    out = {
        # DataSources
        "DataSources-demo-edp.json": ("baseline", "The demo EDP's one meter, import and export", data_sources()),
        "DataSources-two-meters.json": ("baseline", "Two electricity meters, one import only",
                                        data_sources(source(), source("S018011012261305599001", measures=("import",), outcode="RG10"))),
        "DataSources-none.json": ("baseline", "No data source is permitted yet", {"data": []}),
        "DataSources-extra-key-on-source.json": ("extra-keys", "A data source with a key the documents do not define (`mpxn`)",
                                                 data_sources({**source(), "mpxn": "1012261305588165"})),
        "DataSources-extra-key-at-top.json": ("extra-keys", "The list with paging links beside `data`",
                                              {**data_sources(), "links": {"next": None}}),
        "DataSources-gas.json": ("gas", "A gas meter", data_sources(source("G4312", kind="gas", measures=("import",)))),
        "DataSources-electricity-and-gas.json": ("gas", "An electricity meter and a gas meter",
                                                 data_sources(source(), source("G4312", kind="gas", measures=("import",)))),
        "DataSources-unknown-measure.json": ("refusal", "A measure other than import or export (`generation`)",
                                             data_sources(source(measures=("import", "generation")))),
        "DataSources-capitalised-type.json": ("refusal", "`Electricity` with a capital letter",
                                              data_sources(source(kind="Electricity"))),
        "DataSources-lower-case-outcode.json": ("refusal", "The outcode in lower case", data_sources(source(outcode="sw8"))),
        "DataSources-full-postcode.json": ("refusal", "A full postcode where only the outcode may go",
                                           data_sources(source(outcode="SW8 1AA"))),
        "DataSources-latitude-in-location.json": ("closed-location", "A latitude beside the outcode",
                                                  data_sources({**source(), "location": {"ukPostcodeOutcode": "SW8", "latitude": 51.48}})),
        "DataSources-missing-location.json": ("refusal", "A data source without its location", data_sources(with_(source(), ("location",), ...))),
        "DataSources-missing-data.json": ("refusal", "An object without `data`", {"sources": [source()]}),
        "DataSources-numeric-id.json": ("refusal", "An id written as a number", data_sources(source(id=4312))),
        "DataSources-measures-not-a-list.json": ("refusal", "`availableMeasures` as one string",
                                                 data_sources({**source(), "availableMeasures": "import"})),
        # MeterData
        "MeterData-documented-record.json": ("baseline", "Two half-hours in kWh with a record in the documented step shape", md),
        "MeterData-watt-hours.json": ("baseline", "Readings in Wh, as the demo EDP's sample data",
                                      meter_data([reading("2025-10-01T13:00:00Z", "2025-10-01T13:30:00Z", "2025-10-01T13:45:00Z", 976.0, 976.0, "WHR")])),
        "MeterData-no-readings.json": ("baseline", "A period with no readings", meter_data([])),
        "MeterData-zero-energy.json": ("baseline", "A half-hour with no consumption", with_(md, ("data", 0, "energy", "value"), 0)),
        "MeterData-fractional-seconds.json": ("baseline", "Instants with fractions of a second, in Z",
                                              with_(md, ("data", 0, "takenAt"), "2025-10-02T03:00:00.250Z")),
        "MeterData-taken-before-end.json": ("baseline", "`takenAt` before `to`, as in the demo EDP's sample data",
                                            meter_data([reading("2012-02-20T13:00:00Z", "2012-02-20T13:30:00Z", "2012-02-20T13:15:00Z", 976.0, 976.0, "WHR")])),
        "MeterData-offset-utc.json": ("utc-offset", "Every instant written with `+00:00` instead of `Z`", offset(md, "+00:00")),
        "MeterData-offset-bst.json": ("utc-offset", "Every instant in British Summer Time (`+01:00`)", offset(md, "+01:00")),
        "MeterData-offset-negative.json": ("utc-offset", "Every instant at `-05:00`", offset(md, "-05:00")),
        "MeterData-no-offset.json": ("refusal", "An instant without any offset", with_(md, ("data", 0, "from"), "2025-10-01T00:00:00")),
        "MeterData-minute-precision.json": ("refusal", "An instant without seconds (`2025-10-01T00:00Z`), as provenance steps write periods",
                                            with_(md, ("data", 0, "from"), "2025-10-01T00:00Z")),
        "MeterData-date-only.json": ("refusal", "A date where an instant goes", with_(md, ("data", 0, "from"), "2025-10-01")),
        "MeterData-impossible-date.json": ("refusal", "An instant on 30 February", with_(md, ("data", 0, "to"), "2025-02-30T00:30:00Z")),
        "MeterData-negative-energy.json": ("refusal", "A negative half-hour of energy", with_(md, ("data", 0, "energy", "value"), -0.2)),
        "MeterData-negative-cumulative.json": ("refusal", "A negative register", with_(md, ("data", 1, "cumulative", "value"), -1.0)),
        "MeterData-energy-as-text.json": ("refusal", "An amount written as a string", with_(md, ("data", 0, "energy", "value"), "0.412")),
        "MeterData-power-unit.json": ("refusal", "A reading in `KW`, which is power", with_(md, ("data", 0, "energy", "unitCode"), "KW")),
        "MeterData-cubic-metres-on-electricity.json": ("refusal", "Electricity in cubic metres",
                                                       with_(md, ("data", 1, "energy", "unitCode"), "MTQ")),
        "MeterData-capitalised-type.json": ("refusal", "`Electricity` with a capital letter, as the demo EDP writes it",
                                            with_(md, ("data", 0, "type"), "Electricity")),
        "MeterData-gas-cubic-metres.json": ("gas", "A SMETS2 gas meter's readings in cubic metres", meter_data(gas_readings)),
        "MeterData-gas-kilowatt-hours.json": ("gas", "A SMETS1 gas meter's reading in kWh", meter_data(gas_kwh)),
        "MeterData-extra-key-on-reading.json": ("extra-keys", "A reading with a quality flag the documents do not define",
                                                with_(md, ("data", 0, "quality"), "A")),
        "MeterData-extra-key-at-top.json": ("extra-keys", "The meter's id beside the readings", {**md, "meterId": "S018011012261305588165"}),
        "MeterData-calorific-value-as-number.json": ("project-additions", "`calorificValue` as a bare number (the project defines an object)",
                                                     {**md, "calorificValue": 39.5}),
        "MeterData-latitude-in-location.json": ("closed-location", "A latitude beside the outcode",
                                                with_(md, ("location",), {"ukPostcodeOutcode": "SW8", "latitude": 51.48})),
        "MeterData-lower-case-outcode.json": ("refusal", "The outcode in lower case", with_(md, ("location", "ukPostcodeOutcode"), "sw8")),
        "MeterData-missing-provenance.json": ("refusal", "Readings without their record", with_(md, ("provenance",), ...)),
        "MeterData-missing-location.json": ("refusal", "Readings without the location", with_(md, ("location",), ...)),
        "MeterData-record-without-origins.json": ("refusal", "A record without `origins`", with_(md, ("provenance", "origins"), ...)),
        "MeterData-record-framework-not-a-uri.json": ("refusal", "A trust framework that is not a URI",
                                                      with_(md, ("provenance", "ib1:provenance"), "perseus trust framework")),
        "MeterData-object-in-steps.json": ("refusal", "A decoded step object where an encoded step goes",
                                           with_(md, ("provenance", "steps", 0), {"id": "q3Xv0pLk", "type": "origin"})),
        "MeterData-signed-by-edp-with-certificates.json": (
            "signed-record", "The demo EDP's record, signed, carrying its certificates (self-contained)",
            meter_data(provenance=records["edp-contained"])),
        "MeterData-signed-by-edp.json": ("signed-record", "The demo EDP's record, signed, without certificates",
                                         meter_data(provenance=records["edp-local"])),
        "MeterData-certificates-with-documented-steps.json": (
            "certificates", "A record in the documented step shape carrying `certificates`",
            meter_data(provenance={**DOCUMENTED_RECORD, "certificates": certificates})),
        "MeterData-certificates-not-a-map.json": ("project-additions", "`certificates` as one PEM string",
                                                  meter_data(provenance={**DOCUMENTED_RECORD, "certificates": "-----BEGIN CERTIFICATE-----"})),
        # EmissionsReport
        "EmissionsReport-electricity.json": ("baseline", "Two months of electricity", rep),
        "EmissionsReport-electricity-and-gas.json": ("baseline", "A month of electricity and a month of gas",
                                                     report([entry("electricity", "2025-10-01T00:00:00Z", "2025-11-01T00:00:00Z", 455.201),
                                                             entry("gas", "2025-10-01T00:00:00Z", "2025-11-01T00:00:00Z", 281.3)])),
        "EmissionsReport-no-entries.json": ("baseline", "A report with no months yet", report([])),
        "EmissionsReport-registry-example-period.json": (
            "month-alignment", "One entry from 1 June to 18 October 00:30, the period of the registry's own example",
            report([entry("electricity", "2023-06-01T00:00:00Z", "2023-10-18T00:30:00Z", 123.45, "2024-07-01T00:00:00Z")])),
        "EmissionsReport-mid-month.json": ("month-alignment", "An entry from the 15th to the 15th",
                                           report([entry("electricity", "2025-09-15T00:00:00Z", "2025-10-15T00:00:00Z", 430.0)])),
        "EmissionsReport-offset-bst.json": ("utc-offset", "Month starts written in British Summer Time",
                                            report([entry("electricity", "2025-09-01T01:00:00+01:00", "2025-10-01T01:00:00+01:00", 412.718)])),
        "EmissionsReport-extra-key-on-entry.json": ("extra-keys", "An entry with the methodology named on it",
                                                    with_(rep, ("data", 0, "method"), "location-based")),
        "EmissionsReport-with-sources-and-quality.json": (
            "baseline", "The project's report: sources and data quality beside the months",
            {**with_(rep, ("data", 0, "dataQuality"), {"missingData": "Complete", "expectedHalfHours": 1440,
                                                        "presentHalfHours": 1440, "missingHalfHours": 0, "duplicateReadings": 0}),
             "sources": blended_sources}),
        "EmissionsReport-sources-as-text.json": ("project-additions", "`sources` as a sentence (the project defines a list)",
                                                 {**rep, "sources": "DESNZ 2025 and NESO"}),
        "EmissionsReport-negative-emissions.json": ("refusal", "A negative monthly figure", with_(rep, ("data", 0, "emissions", "value"), -3.2)),
        "EmissionsReport-in-kilowatt-hours.json": ("refusal", "Emissions in kWh", with_(rep, ("data", 0, "emissions", "unitCode"), "KWH")),
        "EmissionsReport-unknown-energy-type.json": ("refusal", "An energy type the scheme does not define (`heat`)",
                                                     with_(rep, ("data", 0, "type"), "heat")),
        "EmissionsReport-missing-provenance.json": ("refusal", "A report without its record", with_(rep, ("provenance",), ...)),
        "EmissionsReport-missing-taken-at.json": ("refusal", "An entry without `takenAt`", with_(rep, ("data", 1, "takenAt"), ...)),
        "EmissionsReport-signed-by-cap-with-certificates.json": (
            "signed-record", "A CAP's report nesting the EDP's record, signed, carrying the certificates",
            report(provenance=records["cap-contained"])),
        "EmissionsReport-signed-by-cap.json": ("signed-record", "A CAP's report nesting the EDP's record, signed, without certificates",
                                               report(provenance=records["cap-local"])),
        # DataNotReady
        "DataNotReady-requested.json": ("baseline", "Readings requested from the meter operator",
                                        {"message": "Meter readings have been requested, but are not yet available."}),
        "DataNotReady-empty-message.json": ("baseline", "An empty message", {"message": ""}),
        "DataNotReady-extra-key.json": ("extra-keys", "The wait repeated in the body", {"message": "Preparing.", "retryAfter": 30}),
        "DataNotReady-missing-message.json": ("refusal", "An empty object", {}),
        "DataNotReady-message-as-number.json": ("refusal", "The message as a number", {"message": 202}),
        # HTTPValidationError
        "HTTPValidationError-fastapi-missing-from.json": ("fastapi-422", "FastAPI's body for a missing `from`", fastapi["missing-from"]),
        "HTTPValidationError-fastapi-bad-from.json": ("fastapi-422", "FastAPI's body for `from=2025-10`", fastapi["bad-from"]),
        "HTTPValidationError-fastapi-unknown-measure.json": ("fastapi-422", "FastAPI's body for the measure `generation`",
                                                             fastapi["unknown-measure"]),
        "HTTPValidationError-fastapi-demo-edp.json": ("fastapi-422", "FastAPI's body when the demo EDP's required period is missing",
                                                      fastapi["demo-edp-missing-period"]),
        "HTTPValidationError-fastapi-with-url.json": ("fastapi-422", "The body of FastAPI before 0.111, with pydantic's `url`",
                                                      fastapi["with-url"]),
        "HTTPValidationError-minimal.json": ("baseline", "One problem with `loc`, `msg` and `type` only",
                                             {"detail": [{"loc": ["query", "from"], "msg": "Field required", "type": "missing"}]}),
        "HTTPValidationError-position-in-location.json": ("baseline", "A location path with a position",
                                                          {"detail": [{"loc": ["query", "measure", 0], "msg": "Input should be 'import' or 'export'", "type": "literal_error"}]}),
        "HTTPValidationError-no-detail.json": ("baseline", "An empty object (`detail` is optional)", {}),
        "HTTPValidationError-missing-msg.json": ("refusal", "A problem without `msg`", {"detail": [{"loc": ["query", "from"], "type": "missing"}]}),
        "HTTPValidationError-location-not-a-list.json": ("refusal", "`loc` as one string",
                                                         {"detail": [{"loc": "query.from", "msg": "Field required", "type": "missing"}]}),
        "HTTPValidationError-fractional-location.json": ("refusal", "A location element that is neither a name nor a position",
                                                         {"detail": [{"loc": ["query", 1.5], "msg": "Field required", "type": "missing"}]}),
        "HTTPValidationError-detail-as-text.json": ("refusal", "`detail` as a sentence, as FastAPI writes it for HTTP errors",
                                                    {"detail": "Meter not found"}),
        # Heartbeat
        "Heartbeat-ok.json": ("baseline", "The service is up", {"status": "ok", "timestamp": "2025-06-12T12:00:00Z"}),
        "Heartbeat-fractional-seconds.json": ("baseline", "A timestamp with microseconds", {"status": "ok", "timestamp": "2025-06-12T12:00:00.123456Z"}),
        "Heartbeat-offset-utc.json": ("utc-offset", "A timestamp with `+00:00`", {"status": "ok", "timestamp": "2025-06-12T12:00:00+00:00"}),
        "Heartbeat-offset-bst.json": ("utc-offset", "A timestamp in British Summer Time", {"status": "ok", "timestamp": "2025-06-12T13:00:00+01:00"}),
        "Heartbeat-extra-key.json": ("extra-keys", "The service's version beside the status",
                                     {"status": "ok", "timestamp": "2025-06-12T12:00:00Z", "version": "1.4.2"}),
        "Heartbeat-degraded.json": ("refusal", "A status other than ok", {"status": "degraded", "timestamp": "2025-06-12T12:00:00Z"}),
        "Heartbeat-missing-timestamp.json": ("refusal", "No timestamp", {"status": "ok"}),
        "Heartbeat-unix-time.json": ("refusal", "The timestamp as seconds since 1970", {"status": "ok", "timestamp": 1749729600}),
    }
    return out


def main() -> int:
    CORPUS.mkdir(parents=True, exist_ok=True)
    index_path = CORPUS / "index.yaml"
    index = yaml.safe_load(index_path.read_text()) if index_path.exists() else {"payloads": []}
    listed = {p["file"] for p in index["payloads"]}
    written = 0
    for name, (aspect, summary, payload) in payloads().items():
        target = CORPUS / name
        if not target.exists():
            target.write_text(json.dumps(payload, indent=2) + "\n")
            written += 1
        if name not in listed:
            index["payloads"].append({"file": name, "class": name.split("-")[0], "aspect": aspect, "summary": summary})
    index_path.write_text(yaml.safe_dump(index, sort_keys=False, allow_unicode=True, width=120))
    print(f"{written} payload(s) written; {len(index['payloads'])} in {index_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
