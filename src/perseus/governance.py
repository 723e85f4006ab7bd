"""Governance records: data-spec releases, artefact statuses and decision records.

All are YAML data under governance/, validated against spec/governance.yaml.
`frozen_file_problems` recomputes the SHA-256 of every file a decision pinned: an
approved version is frozen, so any difference is an error naming the decision and
the artefact. A correction to an approved file is recorded as an erratum
(governance/errata/), which freezes the file at its corrected digest: a decision's
pin moves with the erratum whose old digest it names, and nothing else moves it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from perseus.paths import GOVERNANCE, METHODOLOGIES, ROOT
from perseus.records import RecordInvalid, load_record

MODULE = "governance.yaml"
FROZEN = "approved versions are frozen: make a new version"


def load_releases(governance: Path = GOVERNANCE) -> list[dict]:
    return load_record(governance / "releases.yaml", "ReleaseRegister", MODULE)["releases"]


def load_statuses(governance: Path = GOVERNANCE) -> list[dict]:
    path = governance / "status.yaml"
    statuses = load_record(path, "StatusRegister", MODULE)["statuses"]
    seen: set[str] = set()
    for index, record in enumerate(statuses):
        if record["artefact"] in seen:
            raise RecordInvalid(f"{path}: /statuses/{index}: {record['artefact']} has a second status record")
        seen.add(record["artefact"])
    return statuses


def _records_named_by_id(folder: Path, target_class: str) -> list[dict]:
    """One record per file, each file named after the record's id."""
    records = []
    for path in sorted(folder.glob("*.yaml")):
        record = load_record(path, target_class, MODULE)
        if record["id"] != path.stem:
            raise RecordInvalid(f"{path}: /id: {record['id']!r} must equal the file name {path.stem!r}")
        records.append(record)
    return records


def load_decisions(governance: Path = GOVERNANCE) -> list[dict]:
    return _records_named_by_id(governance / "decisions", "DecisionRecord")


def load_errata(governance: Path = GOVERNANCE) -> list[dict]:
    return _records_named_by_id(governance / "errata", "Erratum")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pins_after_errata(decision: dict, errata: list[dict]) -> dict[str, str]:
    """path -> the digest pinned now: the decision's, moved by each erratum from the digest it replaces."""
    pins = {p["path"]: p["sha256"] for a in decision["artefacts"] for p in a.get("files") or []}
    for erratum in sorted(errata, key=lambda e: (str(e["date"]), e["id"])):
        if pins.get(erratum["file"]) == erratum["old_sha256"]:
            pins[erratum["file"]] = erratum["new_sha256"]
    return pins


def frozen_file_problems(root: Path = ROOT, decisions: list[dict] | None = None) -> list[str]:
    """One message per pinned or corrected file that is missing or whose bytes changed since the decision
    (as its errata left it) or the erratum."""
    decisions = decisions if decisions is not None else load_decisions(root / "governance")
    errata = load_errata(root / "governance")
    problems = []
    pinned_paths: set[str] = set()
    for decision in decisions:
        who = f'decision {decision["id"]} ({decision["date"]}, {decision["group"]}: "{decision["motion"]}")'
        pins = _pins_after_errata(decision, errata)
        pinned_paths |= set(pins)
        for artefact in decision["artefacts"]:
            what = f'{artefact["kind"]} {artefact["artefact"]}'
            for pinned in artefact.get("files") or []:
                path = root / pinned["path"]
                if not path.exists():
                    problems.append(f"{pinned['path']}: missing, but {who} approved it for {what}; {FROZEN}")
                    continue
                actual = sha256_of(path)
                if actual != pins[pinned["path"]]:
                    problems.append(
                        f"{pinned['path']}: changed since {who} approved {what} "
                        f"(pinned sha256 {pins[pinned['path']]}, now {actual}); {FROZEN}"
                    )
    for erratum in errata:
        if erratum["file"] in pinned_paths:  # checked above, against the pin the erratum moved
            continue
        path = root / erratum["file"]
        actual = sha256_of(path) if path.exists() else "missing"
        if actual != erratum["new_sha256"]:
            problems.append(
                f"{erratum['file']}: changed since erratum {erratum['id']} ({erratum['date']}) corrected "
                f"{erratum['artefact']} (corrected sha256 {erratum['new_sha256']}, now {actual}); {FROZEN}"
            )
    return problems


def published_files(kind: str, ref: str, root: Path = ROOT) -> list[str]:
    """The files, relative to `root`, an artefact version is published as (those that exist)."""
    candidates = {
        "data-specification": [f"generated/jsonschema/{ref}.schema.json", f"generated/openapi/{ref}.json"],
        "permission-text": [f"generated/permission-text/{ref}.txt", f"generated/permission-text/{ref}.md"],
        "methodology": [str((METHODOLOGIES / f"{ref}.yaml").relative_to(ROOT))],
    }.get(kind, [])
    return [rel for rel in candidates if (root / rel).exists()]


@dataclass(frozen=True)
class Artefact:
    ref: str
    kind: str
    status: str
    source: str  # the register the status comes from


def all_statuses(governance: Path = GOVERNANCE) -> dict[str, Artefact]:
    """Every artefact's status: data specifications from releases.yaml, the rest from status.yaml."""
    found: dict[str, Artefact] = {}
    for r in load_releases(governance):
        ref = f"{r['label']}@{r['version']}"
        found[ref] = Artefact(ref, "data-specification", r["status"], "releases.yaml")
    for s in load_statuses(governance):
        if s["artefact"] in found:
            raise RecordInvalid(f"{governance / 'status.yaml'}: {s['artefact']} already has a status in releases.yaml")
        found[s["artefact"]] = Artefact(s["artefact"], s["kind"], s["status"], "status.yaml")
    return found


def consistency_problems(root: Path = ROOT) -> list[str]:
    """Cross-record rules the LinkML model cannot state on its own."""
    governance = root / "governance"
    statuses = all_statuses(governance)
    decisions = {d["id"]: d for d in load_decisions(governance)}
    problems = []
    for decision in decisions.values():
        for artefact in decision["artefacts"]:
            ref = artefact["artefact"]
            where = f"decision {decision['id']}: {artefact['kind']} {ref}"
            status = statuses.get(ref)
            if status is None:
                problems.append(f"{where}: has no status record")
            elif decision["outcome"] == "approved" and status.status not in ("approved", "superseded"):
                problems.append(f"{where}: approved, but its status is {status.status}")
            elif status.kind != artefact["kind"]:
                problems.append(f"{where}: the status record says kind {status.kind}")
            pinned = {f["path"] for f in artefact.get("files") or []}
            for rel in published_files(artefact["kind"], ref, root):
                if rel not in pinned:
                    problems.append(
                        f"{where}: published file {rel} is not pinned; add it to `files` with "
                        f"sha256 {sha256_of(root / rel)} if that is the version approved"
                    )
            if not pinned and not artefact.get("note"):
                problems.append(f"{where}: pins no file and has no note saying why")
    for s in load_statuses(governance):
        where = f"governance/status.yaml: {s['artefact']}"
        decision = decisions.get(s.get("decision")) if s.get("decision") else None
        if s.get("decision") and decision is None:
            problems.append(f"{where}: names decision {s['decision']}, which has no record")
        if s["status"] == "approved" and decision is not None:
            if s["artefact"] not in {a["artefact"] for a in decision["artefacts"]}:
                problems.append(f"{where}: approved by decision {decision['id']}, which does not list it")
        if s["status"] == "superseded":
            successor = statuses.get(s.get("superseded_by") or "")
            if successor is None or successor.status != "approved":
                problems.append(f"{where}: superseded, but superseded_by names no approved version")
        elif s.get("superseded_by"):
            problems.append(f"{where}: superseded_by is set but the status is {s['status']}")
    # Every artefact held in the repository has a status record.
    held = [("permission-text", p.stem) for p in sorted((root / "permission-texts").glob("*@*.yaml"))]
    held += [("methodology", p.stem) for p in sorted((root / "methodologies").glob("*@*.yaml"))]
    for kind, ref in held:
        if ref not in statuses:
            problems.append(f"{kind} {ref}: held in the repository but has no record in governance/status.yaml")
    return problems
