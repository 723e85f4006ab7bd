"""Which files a pin covers, and the hashes in force after errata.

A decision pins, per artefact, every file the vote covered: its sources as cut for that
version (the LinkML cut of a data specification, the clause cut of a permission text),
the methodology document, the factor tables, and the generated files implementers use.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from perseus.paths import ROOT
from perseus.yaml_loading import safe_load

FACTORS = "factors"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def artefact_files(kind: str, ref: str, root: Path = ROOT) -> list[str]:
    """The files, relative to `root`, that make up one artefact version (whether or not they exist)."""
    if kind == "data-specification":
        if ref.startswith("provenance-steps@"):
            return [f"generated/provenance/{ref}.schema.json"]
        files = [
            f"generated/linkml/{ref}.yaml",
            f"generated/jsonschema/{ref}.schema.json",
            f"generated/openapi/{ref}.json",
        ]
        strict = f"generated/jsonschema/{ref}.strict.schema.json"  # a project release in the registry profile
        return files + ([strict] if (root / strict).is_file() else [])
    if kind == "permission-text":
        return [f"permission-texts/{ref}.yaml"] + [
            f"generated/permission-text/{ref}.{e}" for e in ("yaml", "txt", "md")
        ]
    if kind == "methodology":
        return [f"methodologies/{ref}.yaml"]
    if kind == "factor-set":
        return [f"{FACTORS}/{ref}.yaml", f"{FACTORS}/{ref}.csv"]
    if kind == "calorific-values":
        return [calorific_values_file(ref, root)]
    raise ValueError(f"unknown artefact kind {kind!r}")


def calorific_values_file(ref: str, root: Path = ROOT) -> str:
    """`calorific-values@DATE`: the file in factors/ whose label and version say so."""
    for path in sorted((root / FACTORS).glob("calorific-values*.yaml")):
        document = safe_load(path.read_text()) or {}
        if f"{document.get('label')}@{document.get('version')}" == ref:
            return str(path.relative_to(root))
    return f"{FACTORS}/{ref}.yaml"  # not held: the name a new version would take


def held_artefacts(root: Path = ROOT) -> dict[str, str]:
    """Every artefact version held in the repository, `label@version` -> kind."""
    from perseus.provenance.model import STEPS_RELEASE

    held: dict[str, str] = {}
    releases = safe_load((root / "governance/releases.yaml").read_text())["releases"]
    for release in releases:
        held[f"{release['label']}@{release['version']}"] = "data-specification"
    held[STEPS_RELEASE.ref] = "data-specification"
    for path in sorted((root / "permission-texts").glob("*@*.yaml")):
        held[path.stem] = "permission-text"
    for path in sorted((root / "methodologies").glob("*@*.yaml")):
        held[path.stem] = "methodology"
    for path in sorted((root / FACTORS).glob("*@*.csv")):
        held[path.stem] = "factor-set"
    for path in sorted((root / FACTORS).glob("calorific-values*.yaml")):
        document = safe_load(path.read_text()) or {}
        held[f"{document.get('label')}@{document.get('version')}"] = "calorific-values"
    return held


def pin(paths: list[str], root: Path = ROOT) -> list[dict]:
    """`[{path, sha256}]` for files that exist; a missing file is an error naming it."""
    missing = [p for p in paths if not (root / p).is_file()]
    if missing:
        raise FileNotFoundError(f"cannot pin files that do not exist: {', '.join(missing)}")
    return [{"path": p, "sha256": sha256_of(root / p)} for p in paths]
