"""Signed release manifests: what the secretariat published for a decision, and its signature.

`governance/manifests/<decision>.json` holds `manifest` (class ReleaseManifest: every file
published with its SHA-256, the decision record, its proposal, the frozen review packs and
the errata applied) and `signature`, an ib1-provenance record whose one step holds the
SHA-256 of the manifest, signed under a certificate with the secretariat role. The trust
anchors are `governance/signing/trust-anchors.pem`; the secretariat's private key never
enters the repository.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from perseus.governance.pins import sha256_of
from perseus.provenance.vocabulary import SCHEME, TRUST_FRAMEWORK

SECRETARIAT = "governance-secretariat"  # this project's role label for its secretariat, not one of the registry's roles
SECRETARIAT_ROLE = f"{SCHEME}/role/{SECRETARIAT}"  # as a production certificate holds it
RELEASE_STEP = "release"
TRUST_ANCHORS = "governance/signing/trust-anchors.pem"
SECRETARIAT_CHAIN = "governance/signing/secretariat.pem"


class SignatureProblem(ValueError):
    """A manifest whose signature does not hold (names the manifest and the reason)."""


def canonical(manifest: dict) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(manifest: dict) -> str:
    return hashlib.sha256(canonical(manifest)).hexdigest()


def effective_pins(decision: dict, errata: list[dict]) -> dict[tuple[str, str], str]:
    """(artefact or `review-packs`, path) -> the SHA-256 in force: the decision's pin, then each erratum's."""
    pins = {}
    for artefact in decision["artefacts"]:
        for pinned in artefact["files"]:
            pins[(artefact["artefact"], pinned["path"])] = pinned["sha256"]
    for pinned in decision.get("review_packs") or []:
        pins[("review-packs", pinned["path"])] = pinned["sha256"]
    for erratum in errata:
        for change in erratum.get("pins") or []:
            pins[(change["artefact"], change["path"])] = change["new_sha256"]
    return pins


def expected_files(records, decision: dict) -> list[dict]:
    """Every file a manifest of `decision` must list, with the hash it must hold."""
    root = records.root
    files = {
        f"governance/decisions/{decision['id']}.yaml": sha256_of(
            root / "governance/decisions" / f"{decision['id']}.yaml"
        )
    }
    if decision.get("proposal"):
        path = root / "governance/proposals" / f"{decision['proposal']}.yaml"
        if path.exists():
            files[str(path.relative_to(root))] = sha256_of(path)
    errata = records.errata_for(decision["id"])
    for erratum in errata:
        files[f"governance/errata/{erratum['id']}.yaml"] = sha256_of(
            root / "governance/errata" / f"{erratum['id']}.yaml"
        )
    for (_, path), sha in effective_pins(decision, errata).items():
        files[path] = sha
    return [{"path": p, "sha256": files[p]} for p in sorted(files)]


def build(records, decision: dict, edition: int, published: str) -> dict:
    return {
        "decision": decision["id"],
        "edition": edition,
        "published": published,
        "artefacts": [a["artefact"] for a in decision["artefacts"] if a["effect"] != "baseline"],
        "errata": [e["id"] for e in records.errata_for(decision["id"])],
        "files": expected_files(records, decision),
    }


def sign(manifest: dict, key, chain) -> dict:
    """The ib1-provenance record over the manifest, signed with the secretariat's key and chain."""
    from ib1.provenance import Record

    from perseus.provenance.signer import SigningError, member_signer

    signer, member = member_signer(key, chain)
    if SECRETARIAT_ROLE not in member["roles"]:
        raise SigningError(f"{chain}: the certificate does not carry the secretariat role {SECRETARIAT_ROLE}")
    record = Record(TRUST_FRAMEWORK)
    record.add_step(
        {
            "type": RELEASE_STEP,
            "perseus:release": {
                "decision": manifest["decision"],
                "edition": manifest["edition"],
                "manifestSha256": digest(manifest),
            },
        }
    )
    return record.sign(signer).encoded()


@dataclass(frozen=True)
class Verified:
    signer: str  # the organisation named in the certificate
    signed_at: str


def verify(manifest: dict, signature: dict, anchors_pem: bytes, now: dt.datetime | None = None) -> Verified:
    """Check the record's chain and signature under the anchors, the signer's role and the manifest's digest."""
    from ib1.provenance import Record
    from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

    from perseus.provenance.verify import explain

    try:
        record = Record(TRUST_FRAMEWORK, signature)
        record.verify(CertificatesProviderSelfContainedRecord(anchors_pem))
        steps = record.filter_steps({"type": RELEASE_STEP})
    except Exception as exc:  # the library raises bare exceptions; say why in words
        raise SignatureProblem(f"the signature does not verify: {explain(exc)}") from exc
    if len(steps) != 1:
        raise SignatureProblem(f"the signature holds {len(steps)} release steps, not one")
    step = steps[0]
    signed = step["_signature"]["signed"]
    if SECRETARIAT_ROLE not in signed["roles"]:
        raise SignatureProblem(f"signed by {signed['name']}, whose certificate lacks the secretariat role")
    release = step.get("perseus:release") or {}
    if release.get("manifestSha256") != digest(manifest):
        raise SignatureProblem("the manifest was changed after it was signed (its SHA-256 is not the one signed)")
    if (release.get("decision"), release.get("edition")) != (manifest["decision"], manifest["edition"]):
        raise SignatureProblem("the signature is for another decision or edition")
    return Verified(signed["name"], step["timestamp"])


def file_problems(root: Path, manifest: dict) -> list[str]:
    """Each listed file that is missing or whose bytes differ from the manifest."""
    out = []
    for listed in manifest["files"]:
        path = root / listed["path"]
        if not path.is_file():
            out.append(f"{listed['path']}: missing")
        elif sha256_of(path) != listed["sha256"]:
            out.append(f"{listed['path']}: sha256 {sha256_of(path)}, the manifest holds {listed['sha256']}")
    return out
