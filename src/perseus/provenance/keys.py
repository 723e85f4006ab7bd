"""Local certificate authorities and member signing certificates, for development and tests.

The scheme's signing certificates (see the scheme facts) need an EC P-256 key, exactly
one SAN URI (the member's application), an O= name, subject and authority key
identifiers, and the IB1 member and role extensions. Each environment has its own CA,
so a record signed under the sandbox CA does not verify against a production anchor.
Written with `cryptography` (ib1-provenance's own dependency); no CA tooling is needed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import asn1crypto.core as asn1
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from perseus.provenance.vocabulary import OID_MEMBER, OID_ROLES, ROLES


class _Roles(asn1.SequenceOf):  # the roles extension is a SEQUENCE OF UTF8String (as ib1-provenance reads it)
    _child_spec = asn1.UTF8String


@dataclass(frozen=True)
class Issued:
    """A key and its certificate (and, for members, the CA that issued it)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def create_ca(environment: str, *, days: int = 3650, not_before: dt.datetime | None = None) -> Issued:
    """A self-signed root CA for one environment ("sandbox" or "production")."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Perseus local development"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Perseus {environment} signing CA (local)"),
    ])
    start = not_before or _now() - dt.timedelta(days=1)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, certificate)


def create_member(
    ca: Issued,
    *,
    member: str,
    organisation: str,
    roles: tuple[str, ...] | list[str],
    application: str | None = None,
    days: int = 365,
    not_before: dt.datetime | None = None,
    allowed_roles: tuple[str, ...] = ROLES,
) -> Issued:
    """A member's signing certificate, issued by `ca`, carrying the IB1 member and role extensions.
    `allowed_roles` is the scheme's roles unless the caller signs for another office (the secretariat)."""
    unknown = [r for r in roles if r not in allowed_roles]
    if unknown or not roles:
        raise ValueError(f"roles must be some of {', '.join(allowed_roles)}; got {', '.join(roles) or 'none'}")
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or _now() - dt.timedelta(hours=1)
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} provenance signing"),
        ]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(application or f"{member}#application")]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(OID_MEMBER), asn1.UTF8String(member).dump()),
                       critical=False)
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(OID_ROLES), _Roles(list(roles)).dump()),
                       critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, certificate)


def write_private(path: Path, data: bytes) -> None:
    """Write a private key readable by its owner only (0600), atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def write_public(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def load_certificates(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(Path(path).read_bytes())
