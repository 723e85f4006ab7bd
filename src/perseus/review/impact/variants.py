"""What `perseus impact OLD NEW` compares: two methodologies, factor sets, calorific values or zone datasets.

Each reference becomes a Variant: how the reference portfolio is calculated under it
(the methodologies, and the factor set, calorific value or dataset that replaces the
usual ones) and which energy types it can change.

- methodology `label@version` (methodologies/): that methodology for its energy type;
  OLD and NEW must be for the same energy type (their labels may differ).
- factor set `label@YYYY` (factors/): every half-hour takes its factor from that set,
  whatever year it falls in; the energy types are those whose methodology takes
  emission factors.
- calorific value, an id of factors/calorific-values.yaml: that value for every gas
  volume (the reference portfolio's data carries none, so it is the caller's value of
  the calorific-value rule); the energy types are those whose methodology takes one.
- calorific-value dataset, a path to a CSV of daily values per gas distribution zone
  in National Gas's layout (perseus.calculator.zones): it stands in for the reference
  portfolio's synthetic series; the energy types are those whose methodology takes a
  zone's daily value (choose one with --method).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perseus.paths import FACTORS, METHODOLOGIES
from perseus.vocabulary import ENERGY_TYPES

KINDS = ("methodology", "factor-set", "calorific-value", "calorific-value-dataset")


class ImpactError(ValueError):
    """The two references cannot be compared: unknown, of different kinds, or for different energy types."""


@dataclass(frozen=True)
class Variant:
    ref: str
    kind: str
    methods: tuple[str, ...]  # label@version for each energy type, as `perseus calculate --method` takes them
    energy_types: tuple[str, ...]  # the types this variant can change
    factor_set: object | None = None  # FactorSetData that serves every year
    calorific_value: float | None = None  # MJ/m³
    calorific_values: Path | None = None  # daily values per distribution zone (National Gas's layout)
    what: dict = field(default_factory=dict)  # the variant as the pack shows it

    def key(self) -> tuple:
        """What the calculation depends on: variants with the same key give the same figures (the approved
        methodology as OLD of a methodology pack is the calculation a factor-set pack may also need)."""
        return (
            self.methods,
            self.ref if self.factor_set is not None else None,
            self.calorific_value,
            str(self.calorific_values) if self.calorific_values else None,
        )


def _methodology(ref: str, directory: Path):
    from perseus.methodology.documents import load

    path = directory / f"{ref}.yaml"
    return load(path) if "@" in ref and path.is_file() else None


def _factor_set(ref: str, directory: Path):
    from perseus.methodology.factors import load_set

    path = directory / f"{ref}.yaml"
    return load_set(path) if "@" in ref and path.is_file() else None


def _calorific_value(ref: str, directory: Path) -> dict | None:
    from perseus.methodology.factors import calorific_value_defaults

    return next((v for v in calorific_value_defaults(directory) if v["id"] == ref), None)


def _zone_dataset(ref: str, directory: Path):
    """A calorific-value dataset file, read and checked (a file that breaks a rule raises CalculationError)."""
    from perseus.calculator.zones import read_calorific_values

    path = Path(ref)
    return read_calorific_values(path) if path.suffix.lower() == ".csv" and path.is_file() else None


def _unknown(ref: str, methodologies: Path, factors: Path) -> ImpactError:
    from perseus.methodology.factors import calorific_value_defaults

    known_methods = ", ".join(sorted(p.stem for p in methodologies.glob("*@*.yaml")))
    known_sets = ", ".join(sorted(p.stem for p in factors.glob("*@*.yaml")))
    known_values = ", ".join(v["id"] for v in calorific_value_defaults(factors))
    return ImpactError(
        f"{ref}: not a methodology (methodologies/{ref}.yaml), factor set (factors/{ref}.yaml), "
        "calorific value (an id in factors/calorific-values.yaml) or calorific-value dataset (a CSV file in "
        f"National Gas's layout). Methodologies: {known_methods}. "
        f"Factor sets: {known_sets}. Calorific values: {known_values}"
    )


def _defaults(methods: Iterable[str], directory: Path) -> dict:
    """The methodology of each energy type: the caller's (--method), else the latest approved."""
    from perseus.calculator.errors import CalculationError
    from perseus.calculator.methods import chosen_methodologies, methodology_for

    try:
        chosen = chosen_methodologies(methods, directory)
        return {t: methodology_for(t, chosen, directory) for t in ENERGY_TYPES}
    except CalculationError as exc:
        raise ImpactError("; ".join(b.message for b in exc.breaches)) from exc


def _find(ref: str, methodologies: Path, factors: Path) -> tuple[str, Any]:
    """(kind, the methodology, factor set or calorific-value entry) that `ref` names."""
    for kind, finder, where in (
        ("methodology", _methodology, methodologies),
        ("factor-set", _factor_set, factors),
        ("calorific-value", _calorific_value, factors),
        ("calorific-value-dataset", _zone_dataset, factors),
    ):
        item = finder(ref, where)
        if item is not None:
            return kind, item
    raise _unknown(ref, methodologies, factors)


def resolve_pair(
    old: str, new: str, methods: Iterable[str] = (), methodologies: Path = METHODOLOGIES, factors: Path = FACTORS
) -> tuple[Variant, Variant]:
    """The two variants to compare; ImpactError when they cannot be compared."""
    if old == new:
        raise ImpactError(f"{old} twice: give two different versions to compare")
    (kind, before), (new_kind, after) = _find(old, methodologies, factors), _find(new, methodologies, factors)
    if kind != new_kind:
        raise ImpactError(f"{old} is a {kind} but {new} is a {new_kind}: only like can be compared")
    base = _defaults(methods, methodologies)
    if kind == "methodology":
        if before.energy_type != after.energy_type:
            raise ImpactError(
                f"{old} is for {before.energy_type} but {new} is for {after.energy_type}: "
                "compare two methodologies of one energy type"
            )
        return _methodology_variant(before, base), _methodology_variant(after, base)
    refs = tuple(base[t].ref for t in ENERGY_TYPES)
    if kind == "calorific-value-dataset":
        from perseus.calculator.calorific import uses_zones

        types = _types_taking(base, uses_zones, "a distribution zone's daily calorific value", old, new)
        return _dataset_variant(old, before, refs, types), _dataset_variant(new, after, refs, types)
    source = "emission-factors" if kind == "factor-set" else "calorific-value"
    types = _types_taking(base, lambda m: m.uses(source), source, old, new)
    if kind == "factor-set":
        return _factor_variant(old, before, base, types), _factor_variant(new, after, base, types)
    return _calorific_variant(old, before, refs, types), _calorific_variant(new, after, refs, types)


def _types_taking(base: dict, takes, what: str, old: str, new: str) -> tuple[str, ...]:
    """The energy types whose methodology takes `what`: those OLD and NEW can change (none: refused)."""
    types = tuple(t for t in ENERGY_TYPES if takes(base[t]))
    if not types:
        raise ImpactError(
            f"none of the methodologies ({', '.join(m.ref for m in base.values())}) takes {what}, "
            f"so {old} and {new} cannot change a figure (--method chooses the methodologies)"
        )
    return types


def _factor_variant(ref: str, factor_set, base: dict, types: tuple[str, ...]) -> Variant:
    for t in types:
        m = base[t]
        missing = [key for key in m.factor_inputs.values() if factor_set.value(*key) is None]
        if factor_set.metadata["publisher"] != m.factor_rule["publisher"] or missing:
            raise ImpactError(
                f"{ref} cannot serve the factor-set rule of {m.ref} ({m.factor_rule['publisher']}; "
                f"factors {', '.join(', '.join(k) for k in m.factor_inputs.values())})"
            )
    refs = tuple(base[t].ref for t in ENERGY_TYPES)
    return Variant(
        ref,
        "factor-set",
        refs,
        types,
        factor_set=factor_set,
        what={
            "factorSet": ref,
            "title": factor_set.metadata["title"],
            "url": factor_set.metadata["url"],
            "methodologies": list(refs),
        },
    )


def _calorific_variant(ref: str, entry: dict, refs: tuple[str, ...], types: tuple[str, ...]) -> Variant:
    value = float(entry["megajoulesPerCubicMetre"])
    return Variant(
        ref,
        "calorific-value",
        refs,
        types,
        calorific_value=value,
        what={
            "calorificValue": ref,
            "megajoulesPerCubicMetre": value,
            "source": " ".join(str(entry["source"]).split()),
            "methodologies": list(refs),
        },
    )


def _dataset_variant(ref: str, dataset, refs: tuple[str, ...], types: tuple[str, ...]) -> Variant:
    return Variant(
        ref,
        "calorific-value-dataset",
        refs,
        types,
        calorific_values=Path(ref).resolve(),
        what={
            "calorificValues": Path(ref).name,
            **{k: dataset.dataset[k] for k in ("publisher", "title", "version") if k in dataset.dataset},
            "methodologies": list(refs),
        },
    )


def _methodology_variant(m, base: dict) -> Variant:
    refs = tuple(m.ref if t == m.energy_type else base[t].ref for t in ENERGY_TYPES)
    return Variant(
        m.ref,
        "methodology",
        refs,
        (m.energy_type,),
        what={"methodology": m.ref, "title": m.document["title"], "status": m.status},
    )


def proposed_options(methodologies: Path = METHODOLOGIES) -> list[tuple[str, str]]:
    """(in force, proposed) for every proposed methodology (status from governance/register.yaml): against the
    version the register compares it with, else the latest in force of its own label, else the default
    methodology of its energy type."""
    from perseus.governance.register import IN_FORCE, entries
    from perseus.methodology.documents import DEFAULTS, all_methodologies, resolve

    loaded = all_methodologies(methodologies)
    register = entries()
    pairs = []
    for m in loaded:
        if m.status != "proposed":
            continue
        own = [o for o in loaded if o.label == m.label and o.status in IN_FORCE]
        baseline = register.get(m.ref, {}).get("compared_with") or (
            max(own, key=lambda o: o.version).ref if own else resolve(DEFAULTS[m.energy_type], methodologies).ref
        )
        pairs.append((baseline, m.ref))
    return pairs
