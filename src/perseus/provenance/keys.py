"""Local certificate authorities and member signing certificates, for development and tests.

Shaped like the scheme's (as ib1-provenance's certmaker makes them): an EC P-256 key,
a subject `C=GB, O=<organisation>, CN=<application URL>`, exactly one SAN URI (the
member's application), subject and authority key identifiers, the IB1 member extension
(the member's directory URL) and the IB1 roles extension, a sequence of role URIs of the
environment (`https://registry.core.sandbox.trust.ib1.org/scheme/perseus/role/...`).
Each environment has its own CA, so a record signed under the sandbox CA does not verify
against a production anchor. Written with `cryptography` (ib1-provenance's own dependency).
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

from perseus.provenance.vocabulary import CAP, EDP, FSP, OID_MEMBER, OID_ROLES, ROLES
from perseus.provenance.vocabulary import environment as _environment


class _Roles(asn1.SequenceOf):  # the roles extension is a SEQUENCE OF UTF8String (as ib1-provenance reads it)
    _child_spec = asn1.UTF8String


@dataclass(frozen=True)
class Issued:
    """A key and its certificate (and, for members, the CA that issued it)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def application(self) -> str:
        """The member's application URL (the SAN URI), to which energy data providers address transfers."""
        san = self.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        return san.get_values_for_type(x509.UniformResourceIdentifier)[0]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def create_ca(
    environment: str, *, days: int = 3650, not_before: dt.datetime | None = None, purpose: str = "signing"
) -> Issued:
    """A self-signed root CA for one environment ("sandbox" or "production"); `purpose` names what it
    certifies ("governance" for the secretariat's CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    _environment(environment)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Perseus local development"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Perseus {environment} {purpose} CA (local)"),
        ]
    )
    start = not_before or _now() - dt.timedelta(days=1)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
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
            critical=True,
        )
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
    environment: str = "sandbox",
    application: str | None = None,
    days: int = 365,
    not_before: dt.datetime | None = None,
    allowed_roles: tuple[str, ...] = ROLES,
) -> Issued:
    """A member's signing certificate, issued by `ca`, holding `roles` (labels) as the role URIs of `environment`.
    `allowed_roles` is the scheme's roles unless the caller signs for another office (the secretariat)."""
    unknown = [r for r in roles if r not in allowed_roles]
    if unknown or not roles:
        raise ValueError(f"roles must be some of {', '.join(allowed_roles)}; got {', '.join(roles) or 'none'}")
    _environment(environment)
    application = application or application_url(member)
    if len(application) > 64:  # X.520's upper bound for a common name
        raise ValueError(f"the application URL {application} is longer than the 64 characters a certificate's CN holds")
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or _now() - dt.timedelta(hours=1)
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                    x509.NameAttribute(NameOID.COMMON_NAME, application),
                ]
            )
        )
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(application)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier(OID_MEMBER), asn1.UTF8String(member).dump()),
            critical=False,
        )
        .add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier(OID_ROLES), _Roles(role_uris(roles, environment)).dump()),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, certificate)


def role_uris(roles, environment: str) -> list[str]:
    """The URIs a certificate of `environment` holds for these role labels."""
    env = _environment(environment)
    return [env.role(r) for r in roles]


def application_url(member: str) -> str:
    """The default application URL of a member: the directory's `/application/` beside its `/member/`."""
    return member.replace("/member/", "/application/", 1) if "/member/" in member else f"{member}/application"


# Throwaway members for local work, tests and the documentation's drawing (hosts under .example).
EXAMPLES = {
    CAP: ("cap", "Example Carbon Accounting Ltd"),
    EDP: ("edp", "Example Energy Data Ltd"),
    FSP: ("fsp", "Example Bank plc"),
}


def example_member_url(name: str, environment: str = "sandbox") -> str:
    return f"https://directory.{environment}.example/member/{name}"


def example_member(ca: Issued, role: str, environment: str = "sandbox", **options) -> Issued:
    """A member holding one role, with the example name, organisation and URLs for that role."""
    name, organisation = EXAMPLES[role]
    return create_member(
        ca,
        member=options.pop("member", example_member_url(name, environment)),
        organisation=options.pop("organisation", organisation),
        roles=[role],
        environment=environment,
        **options,
    )


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
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: a {type(key).__name__}, not an EC private key (the scheme signs with EC P-256)")
    return key


def load_certificates(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(Path(path).read_bytes())
