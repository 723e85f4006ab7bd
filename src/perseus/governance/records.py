"""Read every governance record, and check each against its class in spec/governance.yaml.

A record that cannot be read at all (missing register, not YAML, not a mapping) raises
`Unreadable` (`perseus governance check` exits 2). A record that reads but breaks its
model is a `Problem` under the rule `model` (exit 1), and the cross-record rules skip it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from perseus.paths import ROOT
from perseus.yaml_loading import safe_load

MODULE = "governance.yaml"
MANIFEST_SUFFIX = ".json"


class Unreadable(ValueError):
    """A governance record that cannot be read (exit 2)."""


@dataclass(frozen=True)
class Problem:
    rule: str  # the rule broken, as PROCESS.md names it
    where: str  # the file, relative to the repository root
    message: str
    decision: str | None = None
    artefact: str | None = None

    def __str__(self) -> str:
        subject = " ".join(
            part
            for part in (
                f"decision {self.decision}:" if self.decision else "",
                f"{self.artefact}:" if self.artefact else "",
            )
            if part
        )
        return f"{self.where}: {subject + ' ' if subject else ''}{self.message} (rule: {self.rule})"


@dataclass
class Records:
    root: Path
    releases: list[dict] = field(default_factory=list)
    register: list[dict] = field(default_factory=list)
    groups: dict[str, dict] = field(default_factory=dict)
    members: list[dict] = field(default_factory=list)
    decisions: dict[str, dict] = field(default_factory=dict)
    proposals: dict[str, dict] = field(default_factory=dict)
    errata: dict[str, dict] = field(default_factory=dict)
    manifests: dict[str, dict] = field(default_factory=dict)  # decision id -> {"manifest", "signature"}
    problems: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    @property
    def entries(self) -> dict[str, dict]:
        return {e["artefact"]: e for e in self.register}

    def errata_for(self, decision_id: str) -> list[dict]:
        """The errata that correct one decision, in the order they were decided."""
        return sorted(
            (e for e in self.errata.values() if e["decision"] == decision_id), key=lambda e: (e["date"], e["id"])
        )


def read_yaml(path: Path):
    try:
        data = safe_load(path.read_text())
    except FileNotFoundError:
        raise Unreadable(f"{path}: file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise Unreadable(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise Unreadable(f"{path}: expected a mapping of fields, found {type(data).__name__}")
    return data


def _model_problems(records: Records, path: Path, data, target_class: str) -> bool:
    from perseus.records import problems

    found = problems(data, target_class, MODULE)
    for message in found:
        records.problems.append(Problem("model", records.rel(path), f"not a valid {target_class}: {message}"))
    return not found


def _named_records(records: Records, folder: str, target_class: str) -> dict[str, dict]:
    out = {}
    for path in sorted((records.root / "governance" / folder).glob("*.yaml")):
        data = read_yaml(path)
        if not _model_problems(records, path, data, target_class):
            continue
        if data["id"] != path.stem:
            records.problems.append(
                Problem("model", records.rel(path), f"id {data['id']!r} must equal the file name {path.stem!r}")
            )
            continue
        out[data["id"]] = data
    return out


def load(root: Path = ROOT) -> Records:
    """Every record under root/governance; model problems are collected, unreadable files raise."""
    records = Records(root)
    governance = root / "governance"
    releases = read_yaml(governance / "releases.yaml")
    if _model_problems(records, governance / "releases.yaml", releases, "ReleaseRegister"):
        records.releases = releases["releases"]
    register = read_yaml(governance / "register.yaml")
    if _model_problems(records, governance / "register.yaml", register, "ArtefactRegister"):
        records.register = register["artefacts"]
    members = read_yaml(governance / "members.yaml")
    if _model_problems(records, governance / "members.yaml", members, "MemberRegister"):
        records.groups = {g["id"]: g for g in members["groups"]}
        records.members = members.get("members") or []
    records.decisions = _named_records(records, "decisions", "DecisionRecord")
    records.proposals = _named_records(records, "proposals", "Proposal")
    records.errata = _named_records(records, "errata", "Erratum")
    for path in sorted((governance / "manifests").glob(f"*{MANIFEST_SUFFIX}")):
        try:
            data = json.loads(path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise Unreadable(f"{path}: not valid JSON: {exc}") from None
        if not isinstance(data, dict) or not _model_problems(records, path, data.get("manifest"), "ReleaseManifest"):
            continue
        records.manifests[path.stem] = data
    return records
