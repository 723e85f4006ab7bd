"""Records and certificates built the way the scheme's own code builds them, with ib1-provenance.

- `certmaker_pki`: a signing CA, an issuer under it and three members, shaped as
  ib1-provenance's scripts/certmaker.sh makes them (subject C=GB, ST=London, O=..., CN=<application
  URL>; a SAN URI; the IB1 roles extension as a SEQUENCE of role URIs; the IB1 member extension;
  key identifiers; no key usage or basic constraints on members; serials 123456, 98765, 88889999;
  a bundle of member certificate and issuer). The sandbox's roles are the sandbox registry's URIs,
  as the CAP agent's scripts/gen-test-certs.py writes them.
- `demo_edp_meter_data`: MeterData whose record is the demo EDP's (resource/api/provenance.py):
  permission with a sub-second timestamp and `allows.licences`, origin with `originLicence`,
  `external`, minute-precision metering period and assurance URIs, transfer to the CAP's
  application URL with standard, licence, service, path, parameters and transaction.
- `cap_agent_report`: an emissions report as the CAP agent (lib/runner.ts) makes it: the EDP's
  record nested with a receipt, a GridCarbonIntensity origin, an electricity-emissions-calculation
  process and a transfer to the FSP, signed in four rounds, and `data` with no `sources`.

Interface facts (keys, URIs, shapes) are the scheme's; the code is this project's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import asn1crypto.core as asn1
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ib1.provenance import Record
from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord
from ib1.provenance.signing import SignerInMemory

OID_ROLES = x509.ObjectIdentifier("1.3.6.1.4.1.62329.1.1")
OID_MEMBER = x509.ObjectIdentifier("1.3.6.1.4.1.62329.1.3")
# Written out here, not read from the code under test: hosts, and the directory's URL paths
# (certmaker's long ones in production, the short ones the sandbox directory issues).
HOSTS = {"production": "trust.ib1.org", "sandbox": "sandbox.trust.ib1.org"}
DIRECTORY_PATHS = {"production": ("application", "member"), "sandbox": ("a", "m")}


class _Utf8Sequence(asn1.SequenceOf):
    _child_spec = asn1.UTF8String


@dataclass
class Member:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    application: str
    member: str
    role: str


@dataclass
class Pki:
    environment: str
    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    issuer: x509.Certificate
    members: dict[str, Member]

    @property
    def registry(self) -> str:
        return f"https://registry.core.{HOSTS[self.environment]}"

    @property
    def scheme(self) -> str:
        return f"{self.registry}/scheme/perseus"

    @property
    def trust_framework(self) -> str:
        return f"{self.registry}/trust-framework"

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def provider(self) -> CertificatesProviderSelfContainedRecord:
        return CertificatesProviderSelfContainedRecord(self.root_pem())

    def signer(self, who: str) -> SignerInMemory:
        member = self.members[who]
        return SignerInMemory(self.provider(), [member.certificate, self.issuer], member.key)

    def write(self, folder: Path) -> Path:
        """certmaker's files: the root CA, and for each member a bundle (certificate, issuer) and its key."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "4-signing-ca-cert.pem").write_bytes(self.root_pem())
        for who, member in self.members.items():
            pem = serialization.Encoding.PEM
            (folder / f"{who}-bundle.pem").write_bytes(
                member.certificate.public_bytes(pem) + self.issuer.public_bytes(pem)
            )
            (folder / f"{who}-key.pem").write_bytes(
                member.key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            )
        return folder


def _name(*attributes) -> x509.Name:
    oids = (NameOID.COUNTRY_NAME, NameOID.STATE_OR_PROVINCE_NAME, NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME)
    return x509.Name(
        [x509.NameAttribute(oid, value) for oid, value in zip(oids, attributes, strict=True) if value is not None]
    )


def _certificate(subject, key, issuer_name, issuer_key, serial, days, extensions):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _ca_usage(path_length):
    return [
        (
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
        ),
        (x509.BasicConstraints(ca=True, path_length=path_length), True),
    ]


MEMBERS = {  # who: (serial, organisation, application number, member number, role label)
    "edp": (123456, "Smart Meter Reading Co", "38936455", "2876152", "energy-data-provider"),
    "cap": (98765, "Carbon Accounting provider", "26241", "81524", "carbon-accounting-provider"),
    "fsp": (88889999, "Financial Service Provider", "261551511", "71212388", "financial-service-provider"),
}


def certmaker_pki(environment: str = "production") -> Pki:
    directory = f"https://directory.core.{HOSTS[environment]}"
    scheme = f"https://registry.core.{HOSTS[environment]}/scheme/perseus"
    root_key, issuer_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = _name("GB", None, "Core Trust Framework", "Core Trust Framework Signing CA")
    issuer_name = _name("GB", "London", "Core Trust Framework", "Core Trust Framework Signing Issuer")
    root = _certificate(root_name, root_key, root_name, root_key, x509.random_serial_number(), 3650, _ca_usage(None))
    issuer = _certificate(issuer_name, issuer_key, root_name, root_key, x509.random_serial_number(), 365, _ca_usage(0))
    members = {}
    for who, (serial, organisation, app, number, role) in MEMBERS.items():
        key = ec.generate_private_key(ec.SECP256R1())
        app_path, member_path = DIRECTORY_PATHS[environment]
        application, member = f"{directory}/{app_path}/{app}", f"{directory}/{member_path}/{number}"
        certificate = _certificate(
            _name("GB", "London", organisation, application),
            key,
            issuer_name,
            issuer_key,
            serial,
            365,
            [
                (x509.SubjectAlternativeName([x509.UniformResourceIdentifier(application)]), False),
                (x509.UnrecognizedExtension(OID_ROLES, _Utf8Sequence([f"{scheme}/role/{role}"]).dump()), False),
                (x509.UnrecognizedExtension(OID_MEMBER, asn1.UTF8String(member).dump()), False),
            ],
        )
        members[who] = Member(key, certificate, application, member, f"{scheme}/role/{role}")
    return Pki(environment, root_key, root, issuer, members)


# --- the demo EDP's MeterData -------------------------------------------------------------------


def month_readings(year: int, month: int, kwh: float = 0.5) -> list[dict]:
    """A month of half-hourly electricity readings in the registry's MeterData shape."""
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    readings, cumulative, t = [], 1000.0, start
    while t < end:
        cumulative = round(cumulative + kwh, 3)
        readings.append(
            {
                "type": "electricity",
                "from": _z(t),
                "to": _z(t + dt.timedelta(minutes=30)),
                "takenAt": _z(t + dt.timedelta(minutes=90)),
                "energy": {"value": kwh, "unitCode": "KWH"},
                "cumulative": {"value": cumulative, "unitCode": "KWH"},
            }
        )
        t += dt.timedelta(minutes=30)
    return readings


def intensity_csv(readings: list[dict], grams: int = 150) -> str:
    return "from,to,intensity\n" + "".join(f"{r['from']},{r['to']},{grams}\n" for r in readings)


def _z(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _minute(date: dt.date) -> str:  # the demo EDP's metering period: a date at midnight, minute precision
    return f"{date.isoformat()}T00:00Z"


def demo_edp_meter_data(
    pki: Pki,
    readings: list[dict],
    from_date: dt.date,
    to_date: dt.date,
    outcode: str = "CF99",
    account: str = "opaque-account-1",
) -> dict:
    scheme = pki.scheme
    cap = pki.members["cap"].application  # the demo reads it from the CAP's client certificate
    # A sub-second timestamp, as the demo writes `isoformat()[0:-7] + "Z"`: here at the very end of a
    # second, so that it falls after the second-precision signature made a moment later.
    granted = dt.datetime.now(dt.UTC).replace(microsecond=999990)
    record = Record(pki.trust_framework)
    permission = record.add_step(
        {
            "type": "permission",
            "scheme": scheme,
            "timestamp": f"{granted.isoformat()[0:-7]}Z",
            "account": account,
            "allows": {"licences": [f"{scheme}/licence/energy-consumption-data/2024-12-05"]},
            "expires": f"{(granted + dt.timedelta(days=365)).isoformat()[0:-7]}Z",
        }
    )
    origin = record.add_step(
        {
            "type": "origin",
            "scheme": scheme,
            "sourceType": f"{scheme}/source-type/Meter",
            "origin": "https://www.smartdcc.co.uk/",
            "originLicence": "https://smartenergycodecompany.co.uk/documents/sec/consolidated-sec/",
            "external": True,
            "permissions": [permission],
            "perseus:scheme": {"meteringPeriod": {"from": _minute(from_date), "to": _minute(to_date)}},
            "perseus:assurance": {
                "dataSource": f"{scheme}/assurance/data-source/SmartMeter",
                "missingData": f"{scheme}/assurance/missing-data/Missing",
                "processing": f"{scheme}/assurance/processing/SmartDCCOtherUser",
            },
        }
    )
    record.add_step(
        {
            "type": "transfer",
            "scheme": scheme,
            "of": origin,
            "to": cap,
            "standard": f"{scheme}/standard/energy-consumption-data/2024-12-05",
            "licence": f"{scheme}/licence/energy-consumption-data/2024-12-05",
            "service": "https://perseus-demo-energy.example/datasources/S018011012261305588165/import",
            "path": "/readings",
            "parameters": {"measure": "import", "from": _minute(from_date), "to": _minute(to_date)},
            "permissions": [permission],
            "transaction": str(uuid.uuid4()),
        }
    )
    return {
        "data": readings,
        "location": {"ukPostcodeOutcode": outcode},
        "provenance": record.sign(pki.signer("edp")).encoded(),
    }


# --- the CAP agent's emissions report -----------------------------------------------------------


def cap_agent_report(pki: Pki, meter_data: dict, grams: int = 150) -> dict:
    scheme, cap = pki.scheme, pki.members["cap"]
    provider = pki.provider()
    readings = meter_data["data"]
    window = {"from": readings[0]["from"][:16] + "Z", "to": readings[-1]["to"][:16] + "Z"}  # minute precision

    edp_record = Record(pki.trust_framework, meter_data["provenance"])
    edp_record.verify(provider)
    (transfer,) = edp_record.filter_steps({"type": "transfer", "to": cap.application})
    permission = transfer["permissions"][0]
    combined = Record(pki.trust_framework)
    combined.add_record(edp_record)
    receipt = combined.add_step({"type": "receipt", "scheme": scheme, "transfer": transfer["id"]})
    signed = combined.sign(pki.signer("cap")).encoded()

    record = Record(pki.trust_framework, signed)
    intensity = record.add_step(
        {
            "type": "origin",
            "scheme": scheme,
            "sourceType": f"{scheme}/source-type/GridCarbonIntensity",
            "origin": "https://api.carbonintensity.org.uk/",
            "originLicense": "https://creativecommons.org/licenses/by/4.0/",
            "external": True,
            "perseus:scheme": {"meteringPeriod": window, "postcode": meter_data["location"]["ukPostcodeOutcode"]},
            "perseus:assurance": {"missingData": f"{scheme}/assurance/missing-data/Complete"},
        }
    )
    signed = record.sign(pki.signer("cap")).encoded()

    record = Record(pki.trust_framework, signed)
    process = record.add_step(
        {
            "type": "process",
            "scheme": scheme,
            "inputs": [receipt, intensity],
            "process": f"{scheme}/process/electricity-emissions-calculation/2026-03-12",
            "permissions": [permission],
            "perseus:assurance": {"missingData": f"{scheme}/assurance/missing-data/Complete"},
        }
    )
    signed = record.sign(pki.signer("cap")).encoded()

    month = {"from": readings[0]["from"], "to": readings[-1]["to"]}
    record = Record(pki.trust_framework, signed)
    record.add_step(
        {
            "type": "transfer",
            "scheme": scheme,
            "of": process,
            "to": pki.members["fsp"].member,
            "standard": f"{scheme}/standard/emissions-report/2026-03-12",
            "license": f"{scheme}/license/energy-consumption-emissions-edp-cap-fsp/2026-03-12",
            "service": "http://localhost:3000",
            "path": "/emissions",
            "parameters": {"type": "electricity", **month},
            "permissions": [permission],
        }
    )
    final = record.sign(pki.signer("cap"))
    final.verify(provider)  # the agent checks the finished record as the FSP will
    taken_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    kg = round(sum(r["energy"]["value"] * grams / 1000 for r in readings), 3)
    return {
        "data": [{"type": "electricity", **month, "takenAt": taken_at, "emissions": {"value": kg, "unitCode": "KGM"}}],
        "provenance": final.encoded(),
    }


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value, indent=2))
    return path


# --- the library's own example (ib1-provenance's main.py) --------------------------------------


def library_example_report(pki: Pki) -> dict:
    """The EDP -> CAP -> bank chain of ib1-provenance's example: date-precision periods (`2023-09-01Z`),
    `originMethod` in the assurance, transfers addressed to member URLs, `allows.licenses` and
    `allows.processes`, and the bank's receipt outermost; as an emissions report of its twelve months."""
    scheme, provider = pki.scheme, pki.provider()
    cap, bank = pki.members["cap"], pki.members["fsp"]
    year = {"from": "2023-09-01Z", "to": "2024-09-01Z"}
    edp = Record(pki.trust_framework)
    permission = edp.add_step(
        {
            "type": "permission",
            "scheme": scheme,
            "timestamp": "2024-09-20T12:16:11Z",
            "account": "/yl4Y/aV6b80fo5cnmuDDByfuEA=",
            "expires": "2025-09-20T12:16:11Z",
            "allows": {"licenses": [f"{scheme}/license/energy-consumption-data/2024-12-05"]},
        }
    )
    origin = edp.add_step(
        {
            "type": "origin",
            "scheme": scheme,
            "sourceType": f"{scheme}/source-type/Meter",
            "origin": "https://www.smartdcc.co.uk/",
            "originLicense": "https://smartenergycodecompany.co.uk/documents/sec/consolidated-sec/",
            "external": True,
            "permissions": [permission],
            "perseus:scheme": {"meteringPeriod": year},
            "perseus:assurance": {
                "missingData": f"{scheme}/assurance/missing-data/Missing",
                "originMethod": f"{scheme}/assurance/origin-method/SmartDCCOtherUser",
            },
        }
    )
    edp.add_step(
        {
            "type": "transfer",
            "scheme": scheme,
            "of": origin,
            "to": cap.member,
            "standard": f"{scheme}/standard/energy-consumption-data/2024-12-05",
            "license": f"{scheme}/license/energy-consumption-data/2024-12-05",
            "service": "https://api.meters.example/meter-readings/0",
            "path": "/readings",
            "parameters": {"measure": "import", **year},
            "permissions": [permission],
        }
    )
    at_cap = Record(pki.trust_framework, edp.sign(pki.signer("edp")).encoded())
    at_cap.verify(provider)
    sent = at_cap.find_step(
        {"type": "transfer", "to": cap.member, "_signature": {"signed": {"roles": [pki.members["edp"].role]}}}
    )
    receipt = at_cap.add_step({"type": "receipt", "transfer": sent["id"]})
    consent = at_cap.add_step(
        {
            "type": "permission",
            "scheme": scheme,
            "timestamp": "2024-10-21T09:09:10Z",
            "account": "dbd16978-a0a642d9aa2d95318b50e605",
            "expires": "2025-10-21T09:09:10Z",
            "allows": {
                "licenses": [f"{scheme}/license/emissions-report/2024-12-05"],
                "processes": [f"{scheme}/process/emissions-calculations/2024-12-05"],
            },
        }
    )
    intensity = at_cap.add_step(
        {
            "type": "origin",
            "scheme": scheme,
            "sourceType": f"{scheme}/source-type/GridCarbonIntensity",
            "origin": "https://api.carbonintensity.org.uk/",
            "originLicense": "https://creativecommons.org/licenses/by/4.0/",
            "external": True,
            "perseus:scheme": {"meteringPeriod": year, "postcode": "CF99"},
            "perseus:assurance": {"missingData": f"{scheme}/assurance/missing-data/Complete"},
        }
    )
    process = at_cap.add_step(
        {
            "type": "process",
            "scheme": scheme,
            "inputs": [receipt, intensity],
            "process": f"{scheme}/process/emissions-calculations/2024-12-05",
            "permissions": [consent],
            "perseus:assurance": {"missingData": f"{scheme}/assurance/missing-data/Substituted"},
        }
    )
    at_cap.add_step(
        {
            "type": "transfer",
            "scheme": scheme,
            "of": process,
            "to": bank.member,
            "standard": f"{scheme}/standard/emissions-report/2024-12-05",
            "license": f"{scheme}/license/emissions-report/2024-12-05",
            "service": "https://api.emissions.example/emission-report/23",
            "path": "/emissions",
            "parameters": {"from": "2023-09Z", "to": "2024-09Z"},
            "permissions": [consent],
        }
    )
    at_bank = Record(pki.trust_framework, at_cap.sign(pki.signer("cap")).encoded())
    at_bank.verify(provider)
    delivered = at_bank.find_step(
        {"type": "transfer", "to": bank.member, "_signature": {"signed": {"roles": [cap.role]}}}
    )
    at_bank.add_step({"type": "receipt", "transfer": delivered["id"]})
    months = [dt.datetime(2023 + (8 + i) // 12, (8 + i) % 12 + 1, 1, tzinfo=dt.UTC) for i in range(13)]
    data = [
        {
            "type": "electricity",
            "from": _z(a),
            "to": _z(b),
            "takenAt": "2024-10-21T09:10:00Z",
            "emissions": {"value": 100.0 + i, "unitCode": "KGM"},
        }
        for i, (a, b) in enumerate(itertools.pairwise(months))
    ]
    return {"data": data, "provenance": at_bank.sign(pki.signer("fsp")).encoded()}
