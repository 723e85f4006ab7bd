"""Writes the inputs and arguments of the conformance cases (run once; the expected reports and READMEs are kept by hand)."""

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PROV = json.loads((ROOT.parents[1] / "spec/examples/valid/MeterData-gas-cubic-metres.json").read_text())["provenance"]


def z(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def hh(start, n):
    t = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return [(t + timedelta(minutes=30 * i), t + timedelta(minutes=30 * (i + 1))) for i in range(n)]


def meter_data(type_, start, values, unit, outcode, cv=None, reading_cv=None):
    data, cum = [], 1000.0
    for i, ((f, t), v) in enumerate(zip(hh(start, len(values)), values, strict=True)):
        cum = round(cum + v, 6)
        r = {
            "type": type_,
            "from": z(f),
            "to": z(t),
            "takenAt": z(t + timedelta(hours=1)),
            "energy": {"value": v, "unitCode": unit},
            "cumulative": {"value": cum, "unitCode": unit},
        }
        if reading_cv and i in reading_cv:
            r["calorificValue"] = reading_cv[i]
        data.append(r)
    doc = {"data": data, "location": {"ukPostcodeOutcode": outcode}}
    if cv:
        doc["calorificValue"] = cv
    doc["provenance"] = PROV
    return doc


def rows(type_, start, values, unit, meter=None):
    out = []
    for (f, t), v in zip(hh(start, len(values)), values, strict=True):
        r = {"type": type_, "from": z(f), "to": z(t), "value": v, "unitCode": unit}
        if meter is not None:
            r["meter"] = meter
        out.append(r)
    return out


def write_csv(path, records, columns):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(records)


def neso(start, values, postcode="M1", listform=False):
    region = {
        "regionid": 3,
        "dnoregion": "Electricity North West",
        "shortname": "North West England",
        "postcode": postcode,
        "data": [
            {
                "from": f.strftime("%Y-%m-%dT%H:%MZ"),
                "to": t.strftime("%Y-%m-%dT%H:%MZ"),
                "intensity": {"forecast": v, "index": "moderate"},
                "generationmix": [{"fuel": "gas", "perc": 40.0}, {"fuel": "wind", "perc": 60.0}],
            }
            for (f, t), v in zip(hh(start, len(values)), values, strict=True)
        ],
    }
    return {"data": [region] if listform else region}


def intensity_rows(start, values):
    return [
        {"from": z(f), "to": z(t), "intensity": v} for (f, t), v in zip(hh(start, len(values)), values, strict=True)
    ]


def case(name, files, args):
    d = ROOT / name
    (d / "inputs").mkdir(parents=True, exist_ok=True)
    for fname, content in files.items():
        p = d / "inputs" / fname
        if isinstance(content, tuple):
            write_csv(p, *content)
        else:
            p.write_text(json.dumps(content, indent=2) + "\n")
    (d / "args.json").write_text(json.dumps(args, indent=2) + "\n")


C = ["type", "from", "to", "value", "unitCode"]
INTENSITY = ["from", "to", "intensity"]

case(
    "001-gas-cubic-metres",
    {
        "gas.json": meter_data(
            "gas",
            "2025-10-01T00:00:00Z",
            [0.081, 0.094, 0.112, 0.075],
            "MTQ",
            "M1",
            cv={"megajoulesPerCubicMetre": 39.4, "source": "distribution-zone-daily", "distributionZone": "NW"},
        )
    },
    ["--consumption", "inputs/gas.json", "--from", "2025-10-01T00:00:00Z", "--to", "2025-10-01T02:00:00Z"],
)
case(
    "002-gas-kilowatt-hours",
    {"gas.csv": (rows("gas", "2025-03-10T06:00:00Z", [1.25, 2.5, 3.75, 0.5], "KWH"), C)},
    ["--consumption", "inputs/gas.csv", "--from", "2025-03-10T06:00:00Z", "--to", "2025-03-10T08:00:00Z"],
)
case(
    "003-watt-hours",
    {
        "electricity.csv": (rows("electricity", "2025-06-15T12:00:00Z", [1500, 250, 0, 4200], "WHR"), C),
        "intensity.csv": (intensity_rows("2025-06-15T12:00:00Z", [120, 95, 101, 143]), INTENSITY),
    },
    [
        "--consumption",
        "inputs/electricity.csv",
        "--intensity",
        "inputs/intensity.csv",
        "--from",
        "2025-06-15T12:00:00Z",
        "--to",
        "2025-06-15T14:00:00Z",
    ],
)
case(
    "004-electricity-half-hourly-intensity",
    {
        "electricity.json": meter_data(
            "electricity", "2025-09-30T22:00:00Z", [0.8, 1.1, 0.95, 1.4, 0.6, 0.7], "KWH", "M1"
        ),
        "intensity.json": neso("2025-09-30T22:00:00Z", [210, 198, 187, 176, 181, 190]),
    },
    [
        "--consumption",
        "inputs/electricity.json",
        "--intensity",
        "inputs/intensity.json",
        "--from",
        "2025-09-30T22:00:00Z",
        "--to",
        "2025-10-01T01:00:00Z",
    ],
)
case(
    "005-blended",
    {
        "electricity.json": meter_data("electricity", "2025-11-03T08:00:00Z", [2.4, 3.1, 2.9, 3.6], "KWH", "RG10"),
        "gas.json": meter_data(
            "gas",
            "2025-11-03T08:00:00Z",
            [0.41, 0.52, 0.38, 0.47],
            "MTQ",
            "RG10",
            reading_cv={
                0: {"megajoulesPerCubicMetre": 39.1, "source": "distribution-zone-daily", "distributionZone": "SO"}
            },
        ),
        "intensity.json": neso("2025-11-03T08:00:00Z", [244, 251, 239, 230], postcode="RG10", listform=True),
    },
    [
        "--consumption",
        "inputs/electricity.json",
        "--consumption",
        "inputs/gas.json",
        "--intensity",
        "inputs/intensity.json",
        "--calorific-value",
        "39.8",
        "--from",
        "2025-11-03T08:00:00Z",
        "--to",
        "2025-11-03T10:00:00Z",
    ],
)
case(
    "006-december-january-factor-change",
    {"gas.csv": (rows("gas", "2024-12-31T23:00:00Z", [0.9, 1.1, 1.3, 0.7], "MTQ"), C)},
    [
        "--consumption",
        "inputs/gas.csv",
        "--calorific-value",
        "39.0",
        "--from",
        "2024-12-31T23:00:00Z",
        "--to",
        "2025-01-01T01:00:00Z",
    ],
)
case(
    "007-missing-factor-set",
    {"gas.csv": (rows("gas", "2026-12-31T23:00:00Z", [10.0, 12.0, 14.0, 9.0], "KWH"), C)},
    ["--consumption", "inputs/gas.csv", "--from", "2026-12-31T23:00:00Z", "--to", "2027-01-01T01:00:00Z"],
)
leap = [round(0.5 + 0.01 * i, 2) for i in range(48)]
case(
    "008-leap-day",
    {"gas.csv": (rows("gas", "2024-02-29T00:00:00Z", leap, "KWH"), C)},
    ["--consumption", "inputs/gas.csv"],
)
spring = [1.0] * 48
autumn = [2.0] * 48
case(
    "009-clock-change-days",
    {
        "electricity.csv": (
            rows("electricity", "2025-03-30T00:00:00Z", spring, "KWH")
            + rows("electricity", "2025-10-26T00:00:00Z", autumn, "KWH"),
            C,
        ),
        "intensity.csv": (
            intensity_rows("2025-03-30T00:00:00Z", [100] * 48) + intensity_rows("2025-10-26T00:00:00Z", [150] * 48),
            INTENSITY,
        ),
    },
    ["--consumption", "inputs/electricity.csv", "--intensity", "inputs/intensity.csv"],
)
case(
    "010-incomplete-month",
    {"gas.csv": (rows("gas", "2025-11-01T00:00:00Z", [3.0, 3.0, 3.0, 3.0, 3.0, 3.0], "KWH"), C)},
    ["--consumption", "inputs/gas.csv", "--from", "2025-11-01T00:00:00Z", "--to", "2025-12-01T00:00:00Z"],
)
dup_a = rows("electricity", "2025-05-01T00:00:00Z", [1.2, 0.8, 1.0, 1.5], "KWH")
dup_b = rows("electricity", "2025-05-01T00:30:00Z", [800, 1000], "WHR")
case(
    "011-duplicate-readings",
    {
        "part-1.csv": (dup_a, C),
        "part-2.csv": (dup_b, C),
        "intensity.csv": (intensity_rows("2025-05-01T00:00:00Z", [150, 140, 130, 120]), INTENSITY),
    },
    [
        "--consumption",
        "inputs/part-1.csv",
        "--consumption",
        "inputs/part-2.csv",
        "--intensity",
        "inputs/intensity.csv",
        "--from",
        "2025-05-01T00:00:00Z",
        "--to",
        "2025-05-01T02:00:00Z",
    ],
)
case(
    "012-several-meters",
    {
        "gas.csv": (
            rows("gas", "2025-02-03T09:00:00Z", [0.2, 0.3], "MTQ", meter="boiler-house")
            + rows("gas", "2025-02-03T09:00:00Z", [1.5, 2.5], "KWH", meter="kitchen"),
            C + ["meter"],
        )
    },
    ["--consumption", "inputs/gas.csv", "--from", "2025-02-03T09:00:00Z", "--to", "2025-02-03T10:00:00Z"],
)
case(
    "013-electricity-annual-factor",
    {"electricity.csv": (rows("electricity", "2025-12-31T23:00:00Z", [2.0, 2.0, 3.0, 3.0], "KWH"), C)},
    [
        "--consumption",
        "inputs/electricity.csv",
        "--method",
        "electricity-desnz-annual@2025-10-27",
        "--from",
        "2025-12-31T23:00:00Z",
        "--to",
        "2026-01-01T01:00:00Z",
    ],
)
case(
    "014-rounding-half-even",
    {
        "electricity.csv": (rows("electricity", "2025-07-01T12:00:00Z", [0.125], "KWH"), C),
        "intensity.csv": (intensity_rows("2025-07-01T12:00:00Z", [100]), INTENSITY),
    },
    [
        "--consumption",
        "inputs/electricity.csv",
        "--intensity",
        "inputs/intensity.csv",
        "--from",
        "2025-07-01T12:00:00Z",
        "--to",
        "2025-07-01T12:30:00Z",
    ],
)
# Every case is calculated as of the same instant, so its expected report is fixed.
for d in sorted(p for p in ROOT.iterdir() if p.is_dir()):
    a = json.loads((d / "args.json").read_text())
    if "--taken-at" not in a:
        a += ["--taken-at", "2027-02-01T00:00:00Z"]
    (d / "args.json").write_text(json.dumps(a, indent=2) + "\n")
