"""Load methodology documents from methodologies/, check them against the model, compile their steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml

from perseus.methodology.expressions import CompiledExpression, ExpressionError, compile_expression
from perseus.methodology.model_schema import problems
from perseus.paths import METHODOLOGIES
from perseus.provenance.vocabulary import process_uri
from perseus.yaml_loading import safe_load


class MethodologyError(ValueError):
    """A methodology document is invalid, or the one asked for does not exist."""


@dataclass
class CompiledMethodology:
    """A methodology document with its steps compiled. The document is an instance of the model's
    `Methodology` (perseus.models, checked against its JSON Schema when loaded); it is kept as the dict
    it was read as, since the runtime would otherwise import every generated model to read it."""

    path: Path
    document: dict
    steps: list[tuple[str, CompiledExpression]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.document["label"]

    @property
    def version(self) -> str:
        return self.document["version"]

    @property
    def ref(self) -> str:
        return f"{self.label}@{self.version}"

    @property
    def uri(self) -> str:
        return process_uri(self.label, self.version)

    @property
    def energy_type(self) -> str:
        return self.document["energyType"]

    @property
    def status(self) -> str:
        """The status in the governance register: the one place it is kept."""
        from perseus.governance.register import NotRegistered, status_of

        try:
            return status_of(self.ref)
        except NotRegistered:
            return "draft"  # a document the register does not know is nobody's approved method

    @cached_property
    def parameters(self) -> dict[str, float]:
        return {p["name"]: float(p["default"]) for p in self.document.get("parameters", [])}

    @cached_property
    def input_sources(self) -> dict[str, str]:
        return {i["name"]: i["source"] for i in self.document["inputs"]}

    def uses(self, source: str) -> bool:
        return source in self.input_sources.values()

    @property
    def rounding(self) -> dict:
        return self.document["rounding"]

    @property
    def factor_rule(self) -> dict | None:
        return self.document.get("factorSetRule")

    @cached_property
    def factor_inputs(self) -> dict[str, tuple[str, str, str]]:
        """Each input from emission-factors and the factor it takes: (activity, unit basis, gases), the rule's
        unless the input names its own activity or unit basis."""
        rule = self.factor_rule
        if not rule:  # no input comes from emission-factors (checked when loaded)
            return {}
        return {
            i["name"]: (i.get("activity", rule["activity"]), i.get("unitBasis", rule["unitBasis"]), rule["ghg"])
            for i in self.document["inputs"]
            if i["source"] == "emission-factors"
        }

    @property
    def calorific_rule(self) -> dict | None:
        return self.document.get("calorificValueRule")

    def half_hour_emissions(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Run every step over whole columns; returns the `result` step, kg CO2e per half-hour."""
        return self.every_value(inputs, only=self.document["result"])[self.document["result"]]

    def every_value(self, inputs: dict[str, np.ndarray], only: str | None = None) -> dict[str, np.ndarray]:
        """Each input and each step over whole columns (or only the one named), in the document's order."""
        values: dict[str, np.ndarray | float] = {**self.parameters, **inputs}
        for name, expression in self.steps:
            values[name] = expression(values)
        length = len(next(iter(inputs.values()))) if inputs else 0
        names = [only] if only else [*inputs, *(name for name, _ in self.steps)]
        return {name: np.broadcast_to(np.asarray(values[name], dtype=float), (length,)).copy() for name in names}


def load(path: Path) -> CompiledMethodology:
    try:
        document = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MethodologyError(f"{path}: cannot read: {exc}") from exc
    found = problems("Methodology", document)
    if found:
        raise MethodologyError("\n".join(f"{path}: {p}" for p in found))
    return compiled(path, document)


_COMPILED: dict[
    tuple[str, str], CompiledMethodology
] = {}  # per process: Dask workers get the document, not the closures


def compiled(path: Path | str, document: dict) -> CompiledMethodology:
    """The methodology of a checked document, its steps compiled (once per process and document)."""
    key = (str(path), repr(document))
    if key not in _COMPILED:
        methodology = CompiledMethodology(Path(path), document)
        _check_consistency(methodology)
        _COMPILED[key] = methodology
    return _COMPILED[key]


def _check_consistency(m: CompiledMethodology) -> None:
    doc, where = m.document, m.path
    if where.name != f"{m.ref}.yaml":
        raise MethodologyError(f"{where}: the file must be named {m.ref}.yaml after its label and version")
    names = [i["name"] for i in doc["inputs"]] + list(m.parameters)
    if len(set(names)) != len(names):
        raise MethodologyError(f"{where}: an input and a parameter share a name")
    known = set(names)
    for step in doc["steps"]:
        if step["name"] in known:
            raise MethodologyError(f"{where}: step {step['name']!r} reuses a name already defined")
        try:
            compiled = compile_expression(step["expression"], known, f"{where}: step {step['name']!r}")
        except ExpressionError as exc:
            raise MethodologyError(str(exc)) from exc
        m.steps.append((step["name"], compiled))
        known.add(step["name"])
    if doc["result"] not in {s["name"] for s in doc["steps"]}:
        raise MethodologyError(f"{where}: result {doc['result']!r} is not one of the steps")
    if m.uses("emission-factors") and not m.factor_rule:
        raise MethodologyError(f"{where}: an input comes from emission-factors but there is no factorSetRule")
    own = [
        i["name"] for i in doc["inputs"] if i["source"] != "emission-factors" and ({"activity", "unitBasis"} & set(i))
    ]
    if own:
        raise MethodologyError(
            f"{where}: input {own[0]!r} names a factor (activity, unitBasis) but does not come from emission-factors"
        )
    rule = m.factor_rule
    if rule and rule["setYear"] == "latest-published-at-half-hour":
        if rule["whenMissing"] != "reject":
            raise MethodologyError(
                f"{where}: a factor-set rule by publication has no earlier set to fall back on; "
                "whenMissing must be reject"
            )
        years = [p["setYear"] for p in rule.get("publications", [])]
        if not years or len(set(years)) != len(years):
            raise MethodologyError(
                f"{where}: a factor-set rule by publication lists each set's publication once "
                "(factorSetRule.publications)"
            )
    if m.uses("calorific-value"):
        rule = m.calorific_rule
        if not rule:
            raise MethodologyError(f"{where}: an input comes from calorific-value but there is no calorificValueRule")
        if "methodology-default" in rule["precedence"] and rule.get("defaultParameter") not in m.parameters:
            raise MethodologyError(f"{where}: calorificValueRule.defaultParameter must name one of the parameters")


def all_methodologies(directory: Path = METHODOLOGIES) -> list[CompiledMethodology]:
    return [load(p) for p in sorted(directory.glob("*@*.yaml"))]


def resolve(wanted: str, directory: Path = METHODOLOGIES) -> CompiledMethodology:
    """`label@version`, or `label` for its latest version the register holds approved or deployed."""
    label, _, version = wanted.partition("@")
    candidates = sorted(directory.glob(f"{label}@*.yaml"))
    if not candidates:
        known = sorted({p.name.split("@")[0] for p in directory.glob("*@*.yaml")})
        raise MethodologyError(f"no methodology {label!r}; known: {', '.join(known)}")
    if version:
        path = directory / f"{label}@{version}.yaml"
        if not path.exists():
            versions = ", ".join(p.stem.split("@")[1] for p in candidates)
            raise MethodologyError(f"no version {version} of {label}; versions: {versions}")
        return load(path)
    loaded = [load(p) for p in candidates]
    from perseus.governance.register import IN_FORCE

    approved = [m for m in loaded if m.status in IN_FORCE]
    if not approved:
        listing = ", ".join(f"{m.ref} ({m.status})" for m in loaded)
        raise MethodologyError(f"{label} has no approved version; name one explicitly: {listing}")
    return max(approved, key=lambda m: m.version)


DEFAULTS = {"electricity": "electricity-location-based", "gas": "gas-desnz-annual"}
