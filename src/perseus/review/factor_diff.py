"""Differences between two versions of a factor table, kept as tidy CSV.

Rows are keyed by every column that is not a value column. Value columns are the
column `value` and any column ending in `_value`; with none of those, every column
whose cells are all numbers. Each changed value is shown with its relative change.
"""

from __future__ import annotations

from pathlib import Path

from perseus.review.changes import Change, relative


class FactorTableError(ValueError):
    pass


def _read(path: Path):
    import pandas as pd

    try:
        # All text first, so keys compare exactly as written (no 1.0 vs 1, no NaN keys).
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise FactorTableError(f"{path}: file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise FactorTableError(f"{path}: not a readable CSV table: {exc}") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def value_columns(table) -> list[str]:
    named = [c for c in table.columns if c == "value" or c.endswith("_value")]
    if named:
        return named
    return [c for c in table.columns if len(table) and all(_is_number(v) for v in table[c])]


def _numbers(table, path: Path, columns: list[str]) -> dict[str, list[float | None]]:
    out = {}
    for column in columns:
        values: list[float | None] = []
        for index, text in enumerate(table[column]):
            if text == "":
                values.append(None)
            elif _is_number(text):
                values.append(float(text))
            else:
                raise FactorTableError(f"{path}: line {index + 2}, column {column!r}: {text!r} is not a number")
        out[column] = values
    return out


def _rows(table, path: Path, keys: list[str], values: list[str]) -> dict[tuple, dict]:
    numbers = _numbers(table, path, values)
    rows: dict[tuple, dict] = {}
    first_line: dict[tuple, int] = {}
    for index in range(len(table)):
        key = tuple(table[k].iloc[index] for k in keys)
        if key in rows:
            raise FactorTableError(
                f"{path}: line {index + 2} repeats the key {dict(zip(keys, key, strict=True))} of line {first_line[key]}: "
                "a tidy table has one row per key"
            )
        first_line[key] = index + 2
        rows[key] = {v: numbers[v][index] for v in values}
    return rows


def compare_tables(old_path: Path, new_path: Path, name: str | None = None) -> list[Change]:
    old, new = _read(old_path), _read(new_path)
    old_values, new_values = value_columns(old), value_columns(new)
    old_keys = [c for c in old.columns if c not in old_values]
    new_keys = [c for c in new.columns if c not in new_values]
    if old_keys != new_keys:
        raise FactorTableError(
            f"{new_path}: key columns {new_keys} differ from {old_keys} in {old_path}; rows cannot be matched"
        )
    prefix = f"{name}: " if name else ""
    # A key column that is one value per table and differs between the tables (e.g. `setYear`) names the
    # version, not the row: matching on it would show every row as removed and added again.
    version_columns = [
        c for c in old_keys if old[c].nunique() == 1 and new[c].nunique() == 1 and old[c].iloc[0] != new[c].iloc[0]
    ]
    old_keys = new_keys = [c for c in old_keys if c not in version_columns]
    changes = [Change("changed", "version", f"{prefix}{c}", old[c].iloc[0], new[c].iloc[0], c) for c in version_columns]
    changes += [Change("added", "column", f"{prefix}{c}") for c in new_values if c not in old_values]
    changes += [Change("removed", "column", f"{prefix}{c}") for c in old_values if c not in new_values]
    shared = [c for c in old_values if c in new_values]
    before = _rows(old, old_path, old_keys, old_values)
    after = _rows(new, new_path, new_keys, new_values)

    def label(key: tuple) -> str:
        return prefix + ", ".join(f"{k}={v}" for k, v in zip(old_keys, key, strict=True))

    for key in [k for k in after if k not in before]:
        changes.append(Change("added", "row", label(key), new=after[key]))
    for key in [k for k in before if k not in after]:
        changes.append(Change("removed", "row", label(key), old=before[key]))
    for key in [k for k in before if k in after]:
        for column in shared:
            a, b = before[key][column], after[key][column]
            if a != b:
                changes.append(Change("changed", "value", label(key), a, b, column, relative(a, b)))
    return changes


def first_rows(path: Path, name: str | None = None) -> list[Change]:
    """A first version's table: every row added, with its values."""
    table = _read(path)
    values = value_columns(table)
    keys = [c for c in table.columns if c not in values]
    prefix = f"{name}: " if name else ""
    rows = _rows(table, path, keys, values)
    return [
        Change("added", "row", prefix + ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True)), new=row)
        for key, row in rows.items()
    ]
