"""The sandbox's signed provenance: its EDP signs every MeterData, its CAP every EmissionsReport.

Both are sandbox members with their own signing certificate, issued by the sandbox's signing
CA (the trust anchor, served at GET /trust-anchor.pem), made with `perseus keys`' functions
and kept in a folder so that a bank configures the anchor once. The records are built by
perseus.provenance (the scheme's ib1-provenance library) exactly as for real members and
carry their certificates (self-contained records), so a verifier needs only the anchor.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from perseus.provenance import keys
from perseus.provenance.vocabulary import CAP, EDP

# The sandbox's own members and its clients live in a directory under .example: nobody mistakes
# them for members of the scheme's directories.
EDP_MEMBER = keys.example_member_url("sandbox-edp")
CAP_MEMBER = keys.example_member_url("sandbox-cap")
RENEW_BEFORE = dt.timedelta(days=7)  # a certificate this close to its end is issued again


def client_application(client_id: str) -> str:
    """The application URL the sandbox gives a client: where its EDP addresses a transfer, as the demo EDP does."""
    return keys.application_url(keys.example_member_url(client_id))


@dataclass(frozen=True)
class Signers:
    anchor_path: Path
    ca: keys.Issued
    edp: keys.Issued
    cap: keys.Issued

    @property
    def anchor_pem(self) -> bytes:
        return self.ca.certificate_pem()


def _fresh(certificate: x509.Certificate) -> bool:
    return certificate.not_valid_after_utc - dt.datetime.now(dt.UTC) > RENEW_BEFORE


def _load(folder: Path, stem: str) -> keys.Issued | None:
    cert, key = folder / f"{stem}.pem", folder / f"{stem}.key"
    if not (cert.exists() and key.exists()):
        return None
    try:
        issued = keys.Issued(keys.load_key(key), keys.load_certificates(cert)[0])
    except (OSError, ValueError, IndexError):
        return None
    return issued if _fresh(issued.certificate) else None


def _holds(issued: keys.Issued, ca: keys.Issued, role: str) -> bool:
    """Whether a kept certificate was issued by `ca` and holds `role` as this environment names it."""
    from perseus.provenance.signer import SigningError, member_signer
    from perseus.provenance.vocabulary import environment_of_role

    if issued.certificate.issuer != ca.certificate.subject:
        return False
    try:
        _, member = member_signer(issued.key, [issued.certificate])
    except SigningError:
        return False
    return environment_of_role(member["roles"], role) is not None


def _save(folder: Path, stem: str, issued: keys.Issued) -> keys.Issued:
    keys.write_private(folder / f"{stem}.key", issued.key_pem())
    keys.write_public(folder / f"{stem}.pem", issued.certificate_pem())
    return issued


def ensure_signers(folder: Path) -> Signers:
    """The sandbox CA, EDP and CAP under `folder`: reused while valid, created (again) otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = _load(folder, "sandbox-ca")
    renewed = ca is None
    if ca is None:
        ca = _save(folder, "sandbox-ca", keys.create_ca("sandbox"))
    members = {}
    for stem, member, organisation, role in (
        ("edp", EDP_MEMBER, "Perseus sandbox EDP", EDP),
        ("cap", CAP_MEMBER, "Perseus sandbox CAP", CAP),
    ):
        issued = None if renewed else _load(folder, stem)
        if issued is not None and not _holds(issued, ca, role):  # e.g. made before roles were URIs
            issued = None
        members[stem] = issued or _save(
            folder, stem, keys.create_member(ca, member=member, organisation=organisation, roles=[role])
        )
    return Signers(folder / "sandbox-ca.pem", ca, members["edp"], members["cap"])


_temporary: Signers | None = None
_lock = threading.Lock()


def signers_for(folder: Path | None) -> Signers:
    """The signers kept in `folder`, or (None) one temporary set per process, for tests and embedded use."""
    global _temporary
    if folder is not None:
        return ensure_signers(folder)
    with _lock:
        if _temporary is None:
            _temporary = ensure_signers(Path(tempfile.mkdtemp(prefix="perseus-sandbox-keys-")))
        return _temporary


KEPT_RECORDS = 4096
_records: OrderedDict[tuple, dict] = OrderedDict()


def meter_data_record(
    signers: Signers,
    source,
    readings,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    recipient: str,
    service: str | None = None,
) -> dict:
    """The EDP's signed record (origin and transfer to `recipient`) for MeterData of `source` holding
    `readings` (catalogue.Collected) for [start, end): only the first and last reading are read, for the metering
    period and the collection time; a period without readings is recorded as asked, Missing.

    The same request, while the same readings are collected, gets the same record: signing (about
    1 ms) is done once, not per answer."""
    key = (id(signers), source.id, start, end, recipient, service, readings.count, readings.last)
    with _lock:
        if key in _records:
            _records.move_to_end(key)
            return _records[key]
    record = _sign_meter_data(signers, source, readings, start, end, now, recipient, service)
    with _lock:
        _records[key] = record
        while len(_records) > KEPT_RECORDS:
            _records.popitem(last=False)
    return record


def _sign_meter_data(
    signers: Signers,
    source,
    readings,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    recipient: str,
    service: str | None,
) -> dict:
    from perseus.calculator.instants import z
    from perseus.provenance.edp import sign_meter_data
    from perseus.sandbox.catalogue import expected_half_hours

    if readings.count:
        ends = readings.ends()
    else:
        whole = [instant.replace(microsecond=0) for instant in (start, end, now)]  # the wire form has whole seconds
        ends = [{"type": source.type, "from": z(whole[0]), "to": z(whole[1]), "takenAt": z(whole[2])}]
    missing = "Complete" if readings.count == expected_half_hours(start, end) else "Missing"
    summary = {"data": ends, "location": {"ukPostcodeOutcode": source.outcode}}
    signed = sign_meter_data(
        summary,
        key=signers.edp.key,
        cert_chain=[signers.edp.certificate],
        cap=recipient,
        missing=missing,
        account=f"sandbox-account-{source.archetype}",
        service=service,
        source_id=source.id,
        measure="import",
    )
    return signed["provenance"]


def emissions_record(signers: Signers, report: dict, inbound: list[dict], outcode: str, recipient: str) -> dict:
    """The report with the CAP's signed record, nesting the EDP's records of its consumption and
    transferring the calculation to `recipient`."""
    from perseus.provenance.build import sign_report

    return sign_report(
        report,
        key=signers.cap.key,
        cert_chain=[signers.cap.certificate],
        inbound_records=inbound,
        fsp=recipient,
        trust_anchor=signers.anchor_pem,
        outcode=outcode,
    )
