"""Helpers shared by the calculator tests: run the command in-process, write small inputs, compare reports."""

from __future__ import annotations

import base64
import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from perseus.cli import main

CONSUMPTION_COLUMNS = ["type", "from", "to", "value", "unitCode"]


def run_calculate(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["calculate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def half_hour(start: datetime, k: int) -> tuple[str, str]:
    return z(start + timedelta(minutes=30 * k)), z(start + timedelta(minutes=30 * (k + 1)))


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or CONSUMPTION_COLUMNS + (["meter"] if rows and "meter" in rows[0] else [])
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def reading(type_: str, start: datetime, k: int, value, unit: str) -> dict:
    begin, end = half_hour(start, k)
    return {
        "type": type_,
        "from": begin,
        "to": end,
        "value": repr(value) if isinstance(value, float) else value,
        "unitCode": unit,
    }


def intensity_rows(start: datetime, values) -> list[dict]:
    return [
        {"from": half_hour(start, k)[0], "to": half_hour(start, k)[1], "intensity": v} for k, v in enumerate(values)
    ]


def decode(step: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(step + "=" * (-len(step) % 4)))


def normalised(report: dict) -> dict:
    """The report with provenance steps decoded and their random identifiers replaced by their order."""
    names: dict[str, str] = {}

    def walk(items):
        out = []
        for item in items:
            if isinstance(item, str):
                step = decode(item)
                names.setdefault(step.get("id", ""), f"step-{len(names) + 1}")
                out.append(step)
            else:
                signature_block = isinstance(item, list) and item and item[0] == 0
                out.append(item if signature_block else walk(item) if isinstance(item, list) else item)
        return out

    steps = walk(report["provenance"]["steps"])
    text = json.dumps({**report, "provenance": {**report["provenance"], "steps": steps}}, sort_keys=True)
    for original, name in names.items():
        if original:
            text = text.replace(json.dumps(original), json.dumps(name))
    return json.loads(text)


def without_provenance(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "provenance"}


def factor(year: int, activity: str, basis: str) -> float:
    """The total factor of a set, read straight from its CSV (independently of the calculator)."""
    root = Path(__file__).resolve().parents[1] / "factors"
    with (root / f"desnz@{year}.csv").open() as stream:
        for row in csv.DictReader(stream):
            if row["activity"] == activity and row["unitBasis"] == basis and row["ghg"] == "total":
                return float(row["value"])
    raise LookupError((year, activity, basis))
