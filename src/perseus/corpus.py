"""The release corpus (spec/corpus/): real-shaped payloads and the verdicts they get.

Each payload records the verdict of every registry document that defines its class,
worked out once from the registry's published documents when the corpus was written
(tools/corpus_verdicts.py), and the verdict of every release here, in its default
profile and in its strict one. `differences` compares the two: a release reproducing a
registry document must agree with it except where a listed fix says why not, and every
other difference between the project's releases and the registry's has a reason in
spec/corpus/aspects.yaml. The tests and the site's differences page both read it here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from perseus.paths import SPEC
from perseus.releases import STRICT, Release, all_releases, registry_counterpart
from perseus.yaml_loading import safe_load

CORPUS = SPEC / "corpus"
VALID, INVALID = "valid", "invalid"


@dataclass(frozen=True)
class Payload:
    file: str
    cls: str
    aspect: str
    summary: str
    registry: dict[str, str]  # registry document (label@date) -> verdict, as recorded
    releases: dict[str, str]  # release -> verdict of its default profile, as recorded
    strict: dict[str, str]  # release -> verdict of its strict profile, as recorded

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    def load(self):
        return json.loads(self.path.read_text())


@dataclass(frozen=True)
class Aspect:
    name: str
    title: str
    reason: str
    fix: bool  # the reproductions of the registry's releases depart from its documents here


@dataclass(frozen=True)
class Difference:
    release: str
    strict: bool
    payload: Payload
    ours: str
    registry_document: str
    theirs: str


def load_index(corpus: Path = CORPUS) -> dict:
    return safe_load((corpus / "index.yaml").read_text())


@lru_cache(maxsize=1)
def all_payloads() -> tuple[Payload, ...]:
    return tuple(
        Payload(
            file=p["file"],
            cls=p["class"],
            aspect=p["aspect"],
            summary=p["summary"],
            registry=dict(p.get("registry") or {}),
            releases=dict(p.get("releases") or {}),
            strict=dict(p.get("strict") or {}),
        )
        for p in load_index()["payloads"]
    )


@lru_cache(maxsize=1)
def aspects() -> dict[str, Aspect]:
    raw = safe_load((CORPUS / "aspects.yaml").read_text())["aspects"]
    return {
        name: Aspect(name, a["title"], " ".join(a["reason"].split()), bool(a.get("fix"))) for name, a in raw.items()
    }


def strict_profiles() -> list[Release]:
    """The releases that have a strict profile of their own (a separate file)."""
    return [r for r in all_releases() if r.has_strict_profile and r.profile != STRICT]


@cache
def _validator(ref: str, cls: str, strict: bool):
    import jsonschema_rs

    from perseus.validation import class_schema, load_release_schema

    return jsonschema_rs.validator_for(
        class_schema(load_release_schema(ref, strict=strict), cls), validate_formats=True
    )


def verdict(ref: str, cls: str, payload, strict: bool = False) -> str:
    """What `perseus validate` says of the payload (the same validator, the same schema)."""
    return VALID if _validator(ref, cls, strict).is_valid(payload) else INVALID


def computed_verdicts(payload: Payload) -> tuple[dict[str, str], dict[str, str]]:
    """The verdicts of every release here, now: default profiles, then strict ones."""
    body = payload.load()
    releases = {r.ref: verdict(r.ref, payload.cls, body) for r in all_releases() if payload.cls in r.payloads}
    strict = {
        r.ref: verdict(r.ref, payload.cls, body, strict=True) for r in strict_profiles() if payload.cls in r.payloads
    }
    return releases, strict


def differences(payloads: tuple[Payload, ...] | None = None) -> list[Difference]:
    """Every recorded verdict of a release here that differs from its registry counterpart's."""
    found = []
    for payload in payloads or all_payloads():
        for strict, verdicts in ((False, payload.releases), (True, payload.strict)):
            for ref, ours in verdicts.items():
                counterpart = registry_counterpart(_release(ref))
                if counterpart is None:
                    continue
                theirs = payload.registry.get(counterpart.ref)
                if theirs is not None and theirs != ours:
                    found.append(Difference(ref, strict, payload, ours, counterpart.ref, theirs))
    return found


def _release(ref: str) -> Release:
    from perseus.releases import get_release

    return get_release(ref)


@lru_cache(maxsize=1)
def registry_names() -> dict:
    """spec/corpus/registry-names.yaml: the registry's names per document, and what is not reproduced."""
    return safe_load((CORPUS / "registry-names.yaml").read_text())


def openapi_names(document: dict) -> dict:
    """The names a client is generated from, in the shape of registry-names.yaml."""
    return {
        "security_scheme": sorted(document["components"].get("securitySchemes", {})),
        "tags": [t["name"] for t in document.get("tags", [])],
        "operations": {
            f"{method.upper()} {path}": {"operation_id": op.get("operationId"), "tags": op.get("tags", [])}
            for path, item in document["paths"].items()
            for method, op in item.items()
        },
        "components": sorted(document["components"].get("schemas", {})),
    }
