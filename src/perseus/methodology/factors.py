"""The factor datasets in factors/: per-set metadata (YAML) beside a tidy table (CSV), both checked against the factor model."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from perseus.methodology.model_schema import problems
from perseus.paths import FACTORS
from perseus.yaml_loading import SAFE_LOADER

TABLE_COLUMNS = ["setYear", "activity", "unitBasis", "ghg", "value"]


class FactorError(ValueError):
    """A factor dataset is invalid."""


@dataclass(frozen=True)
class FactorSetData:
    """A factor set as held in factors/: its metadata (an instance of the model's `FactorSet`, checked
    against its JSON Schema) and its table of factors (each row an `EmissionFactor`)."""

    metadata: dict
    table: pd.DataFrame  # columns TABLE_COLUMNS

    @property
    def year(self) -> int:
        return int(self.metadata["year"])

    def value(self, activity: str, unit_basis: str, ghg: str) -> float | None:
        t = self.table
        hit = t[(t.activity == activity) & (t.unitBasis == unit_basis) & (t.ghg == ghg)]
        return float(hit.value.iloc[0]) if len(hit) else None


def load_set(meta_path: Path) -> FactorSetData:
    metadata = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    found = problems("FactorSet", metadata)
    if found:
        raise FactorError("\n".join(f"{meta_path}: {p}" for p in found))
    table_path = meta_path.parent / metadata["table"]
    table = pd.read_csv(table_path, dtype={"value": float})
    if list(table.columns) != TABLE_COLUMNS:
        raise FactorError(f"{table_path}: columns must be {','.join(TABLE_COLUMNS)}")
    for index, row in enumerate(table.to_dict(orient="records")):
        row_problems = problems("EmissionFactor", row)
        if row_problems:
            raise FactorError("\n".join(f"{table_path}: line {index + 2}: {p}" for p in row_problems))
        if row["setYear"] != metadata["year"]:
            raise FactorError(
                f"{table_path}: line {index + 2}: setYear {row['setYear']} is not the set's year {metadata['year']}"
            )
    keys = table[["activity", "unitBasis", "ghg"]]
    if keys.duplicated().any():
        line = int(keys.duplicated().to_numpy().nonzero()[0][0]) + 2
        raise FactorError(f"{table_path}: line {line}: the same factor appears twice")
    return FactorSetData(metadata, table)


@lru_cache(maxsize=4)
def factor_sets(directory: Path = FACTORS) -> dict[tuple[str, int], FactorSetData]:
    sets = [load_set(p) for p in sorted(directory.glob("*.yaml")) if p.name != "calorific-values.yaml"]
    by_year: dict[tuple[str, int], FactorSetData] = {}
    for s in sets:
        key = (s.metadata["publisher"], s.year)
        if key in by_year:
            raise FactorError(f"{directory}: two sets for {key[0]} {key[1]}")
        by_year[key] = s
    return by_year


def sets_for(publisher: str, directory: Path = FACTORS) -> dict[int, FactorSetData]:
    return {year: s for (pub, year), s in factor_sets(directory).items() if pub == publisher}


def calorific_value_defaults(directory: Path = FACTORS) -> list[dict]:
    path = directory / "calorific-values.yaml"
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    found = problems("CalorificValueDefaults", document)
    if found:
        raise FactorError("\n".join(f"{path}: {p}" for p in found))
    return document["values"]
