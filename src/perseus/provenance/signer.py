"""A member's signer for ib1-provenance records, from key and certificate objects or PEM files."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord, SigningCertificate
from ib1.provenance.signing import SignerInMemory

from perseus.provenance.keys import load_certificates, load_key


class SigningError(ValueError):
    """The key or certificate cannot sign a Perseus record (names the file and the reason)."""


def member_signer(key, cert_chain) -> tuple[SignerInMemory, dict]:
    """A self-contained-record signer (the record carries the certificate chain, so a verifier
    needs only the environment's trust anchor) and what the certificate says about its member."""
    private_key = key if isinstance(key, ec.EllipticCurvePrivateKey) else _key(Path(key))
    chain = list(cert_chain) if isinstance(cert_chain, (list, tuple)) else _chain(Path(cert_chain))
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or private_key.curve.name != "secp256r1":
        raise SigningError(f"{key}: the signing key must be an EC P-256 key (the scheme's signatures are ECDSA P-256)")
    public_key = chain[0].public_key()
    if (
        not isinstance(public_key, ec.EllipticCurvePublicKey)
        or public_key.public_numbers() != private_key.public_key().public_numbers()
    ):
        raise SigningError(f"{cert_chain}: the first certificate does not belong to the signing key")
    try:
        info = SigningCertificate(chain[0])
        member = {
            "member": info.member(),
            "name": info.organisation_name(),
            "application": info.application(),
            "roles": info.roles(),
        }
    except Exception as exc:  # the library raises bare exceptions for missing extensions
        raise SigningError(
            f"{cert_chain}: not a scheme signing certificate ({exc or type(exc).__name__}): "
            "it needs one SAN URI, an O= name and the IB1 member and roles extensions"
        ) from exc
    # Signing never consults the CA store; the provider only tells the signer to embed the chain.
    provider = CertificatesProviderSelfContainedRecord(chain[-1].public_bytes(_pem()))
    return SignerInMemory(provider, chain, private_key), member


def _pem():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.PEM


def _key(path: Path):
    try:
        return load_key(path)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(f"{path}: cannot read a PEM private key without a password ({exc})") from exc


def _chain(path: Path) -> list[x509.Certificate]:
    try:
        chain = load_certificates(path)
    except (OSError, ValueError) as exc:
        raise SigningError(f"{path}: cannot read PEM certificates ({exc})") from exc
    if not chain:
        raise SigningError(f"{path}: no certificate in the file")
    return chain
