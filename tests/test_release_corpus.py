"""The release corpus: the reproductions of the registry's releases give the verdicts of
the registry's documents (recorded when the corpus was written), except for the listed
fixes; the project's releases differ only where a reason is given; the drafts accept
what the release they build on accepts."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from perseus.corpus import (
    CORPUS,
    INVALID,
    VALID,
    all_payloads,
    aspects,
    computed_verdicts,
    differences,
    verdict,
)
from perseus.releases import all_releases, ancestry

PAYLOADS = all_payloads()
DEPLOYED = [r for r in all_releases() if r.deployed]
CLASSES = {"DataSources", "MeterData", "EmissionsReport", "DataNotReady", "HTTPValidationError", "Heartbeat"}
REGISTRY_NAMES = yaml.safe_load((CORPUS / "registry-names.yaml").read_text())["documents"]
NO_DIFFERENCE = {"baseline", "refusal", "closed-location"}  # aspects on which every release agrees


def _text(payload) -> str:
    return payload.path.read_text()


def test_the_corpus_is_large_varied_and_indexed():
    assert len(PAYLOADS) >= 60
    assert {p.path for p in PAYLOADS} == set(CORPUS.glob("*.json"))
    assert {p.cls for p in PAYLOADS} == CLASSES
    for cls in CLASSES:  # each class both accepted and refused by the registry: no verdict is free
        verdicts = {v for p in PAYLOADS if p.cls == cls for v in p.registry.values()}
        assert verdicts == {VALID, INVALID}, cls
    assert {p.aspect for p in PAYLOADS} <= set(aspects())


def test_the_corpus_holds_what_real_payloads_carry_and_what_must_be_refused():
    def registry_says(predicate):
        return {v for p in PAYLOADS if predicate(p, p.load()) for v in p.registry.values()}

    def items(body):
        return body.get("detail") if isinstance(body.get("detail"), list) else []

    offsets = {"+00:00": VALID, "+01:00": VALID}
    for suffix, expected in offsets.items():
        assert registry_says(lambda p, b, suffix=suffix: suffix in _text(p) and p.cls == "MeterData") == {expected}, (
            suffix
        )
    assert VALID in registry_says(lambda p, b: p.cls == "MeterData" and "certificates" in b.get("provenance", {}))
    assert registry_says(lambda p, b: any({"input", "ctx", "url"} <= set(i) for i in items(b))) == {VALID}
    assert VALID in registry_says(lambda p, b: p.aspect == "extra-keys")
    refused = {
        "negative energy": lambda p, b: p.cls == "MeterData" and '"value": -' in _text(p),
        "bad outcode": lambda p, b: '"ukPostcodeOutcode": "sw8"' in _text(p),
        "unknown measure": lambda p, b: '"generation"' in _text(p) and p.cls == "DataSources",
        "extra key in the location": lambda p, b: p.aspect == "closed-location",
    }
    for what, predicate in refused.items():
        assert registry_says(predicate) == {INVALID}, what


def test_each_payload_has_the_verdict_of_every_registry_document_defining_its_class():
    for payload in PAYLOADS:
        defining = {ref for ref, names in REGISTRY_NAMES.items() if payload.cls in names["components"]}
        assert set(payload.registry) == defining, payload.file


def _fixed(payload) -> bool:
    return aspects()[payload.aspect].fix


@pytest.mark.parametrize("release", DEPLOYED, ids=[r.ref for r in DEPLOYED])
def test_a_reproduction_gives_the_registry_documents_verdicts_except_the_fixes(release):
    checked = departed = 0
    for payload in PAYLOADS:
        if payload.cls not in release.payloads:
            continue
        ours, theirs = verdict(release.ref, payload.cls, payload.load()), payload.registry[release.ref]
        checked += 1
        if _fixed(payload):
            departed += ours != theirs
            continue
        assert ours == theirs, f"{payload.file}: {release.ref} says {ours}, the registry's document {theirs}"
    assert checked >= 5


def test_every_fix_changes_a_verdict_and_only_to_accept_real_records():
    for name, aspect in aspects().items():
        if not aspect.fix:
            continue
        changed = [d for d in differences() if d.payload.aspect == name and d.release == d.registry_document]
        assert changed, f"fix {name} changes no verdict of a reproduction: remove it"
        assert {(d.ours, d.theirs) for d in changed} == {(VALID, INVALID)}


def test_the_recorded_verdicts_are_what_the_releases_give_now():
    stale = []
    for payload in PAYLOADS:
        releases, strict = computed_verdicts(payload)
        if (releases, strict) != (payload.releases, payload.strict):
            stale.append(payload.file)
    assert stale == [], "run tools/corpus_verdicts.py and commit spec/corpus/index.yaml"


def test_every_difference_from_the_registry_has_a_reason():
    found = differences()
    assert found
    for difference in found:
        assert difference.payload.aspect not in NO_DIFFERENCE, (difference.release, difference.payload.file)
        assert aspects()[difference.payload.aspect].reason


def test_a_draft_accepts_what_the_registry_release_it_builds_on_accepts():
    checked = Counter()
    for release in all_releases():
        if release.status != "draft":
            continue
        for base in (r for r in ancestry(release) if r.deployed):
            for payload in PAYLOADS:
                if payload.cls not in base.payloads or verdict(base.ref, payload.cls, payload.load()) != VALID:
                    continue
                checked[release.ref] += 1
                if verdict(release.ref, payload.cls, payload.load()) == INVALID:
                    assert payload.aspect == "project-additions", (release.ref, base.ref, payload.file)
    assert set(checked) == {"consumption-data@2026-11-28", "emissions-data@2026-11-28", "heartbeat@2026-11-28"}


def test_the_differences_page_lists_every_difference_with_its_reason():
    from perseus.site import differences as page

    text = page.pages()["registry/index.md"]
    for difference in differences():
        assert difference.payload.file in text
        assert aspects()[difference.payload.aspect].title in text
    assert f"{len(PAYLOADS)} payloads" in text
    rows = [line for line in text.splitlines() if line.startswith("| `") and ".json" in line]
    assert len(rows) == len(differences())


def test_the_payloads_are_stored_as_formatted_json():
    for payload in PAYLOADS:
        assert _text(payload) == json.dumps(payload.load(), indent=2) + "\n", payload.file
