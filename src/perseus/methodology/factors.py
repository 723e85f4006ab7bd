"""The factor datasets in factors/: per-set metadata (YAML) beside a tidy table (CSV), both checked against the factor model."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from perseus.methodology.model_schema import problems
from perseus.paths import FACTORS
from perseus.yaml_loading import safe_load

TABLE_COLUMNS = ["setYear", "activity", "unitBasis", "ghg", "value"]


class FactorError(ValueError):
    """A factor dataset is invalid."""


@dataclass(frozen=True)
class FactorSetData:
    """A factor set as held in factors/: its metadata (an instance of the model's `FactorSet`, checked
    against its JSON Schema) and its table of factors (each row an `EmissionFactor`)."""

    metadata: dict
    rows: list[dict]  # each with the keys TABLE_COLUMNS, in the table's order

    @property
    def year(self) -> int:
        return int(self.metadata["year"])

    @cached_property
    def _by_key(self) -> dict[tuple[str, str, str], float]:
        return {(r["activity"], r["unitBasis"], r["ghg"]): r["value"] for r in self.rows}

    def value(self, activity: str, unit_basis: str, ghg: str) -> float | None:
        return self._by_key.get((activity, unit_basis, ghg))

    @cached_property
    def table(self):
        """The rows as a pandas DataFrame (columns TABLE_COLUMNS), for the readers that want one; the
        calculator reads `rows`, so that a calculation does not import pandas."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=TABLE_COLUMNS).astype({"setYear": "int64", "value": "float64"})


def load_set(meta_path: Path) -> FactorSetData:
    metadata = safe_load(meta_path.read_text(encoding="utf-8"))
    found = problems("FactorSet", metadata)
    if found:
        raise FactorError("\n".join(f"{meta_path}: {p}" for p in found))
    table_path = meta_path.parent / metadata["table"]
    rows = _read_table(table_path)
    seen = set()
    for index, row in enumerate(rows):
        row_problems = problems("EmissionFactor", row)
        if row_problems:
            raise FactorError("\n".join(f"{table_path}: line {index + 2}: {p}" for p in row_problems))
        if row["setYear"] != metadata["year"]:
            raise FactorError(
                f"{table_path}: line {index + 2}: setYear {row['setYear']} is not the set's year {metadata['year']}"
            )
        key = (row["activity"], row["unitBasis"], row["ghg"])
        if key in seen:
            raise FactorError(f"{table_path}: line {index + 2}: the same factor appears twice")
        seen.add(key)
    return FactorSetData(metadata, rows)


def _read_table(path: Path) -> list[dict]:
    """The rows of a factor table, with setYear an integer and value a number (the standard library's reader:
    a few dozen rows, not worth importing pandas for)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            lines = list(reader)
    except OSError as exc:
        raise FactorError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if header != TABLE_COLUMNS:
        raise FactorError(f"{path}: columns must be {','.join(TABLE_COLUMNS)}")
    rows = []
    for index, cells in enumerate(lines):
        if len(cells) != len(TABLE_COLUMNS):
            raise FactorError(f"{path}: line {index + 2}: expected {len(TABLE_COLUMNS)} values, found {len(cells)}")
        row: dict = dict(zip(TABLE_COLUMNS, cells, strict=True))
        row["setYear"] = int(row["setYear"]) if row["setYear"].strip().lstrip("-").isdigit() else row["setYear"]
        try:
            row["value"] = float(row["value"])
        except ValueError:
            raise FactorError(f"{path}: line {index + 2}: value {row['value']!r} is not a number") from None
        rows.append(row)
    return rows


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
    document = safe_load(path.read_text(encoding="utf-8"))
    found = problems("CalorificValueDefaults", document)
    if found:
        raise FactorError("\n".join(f"{path}: {p}" for p in found))
    return document["values"]
