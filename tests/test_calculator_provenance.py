"""The report's provenance: built with ib1-provenance, one origin per input and dataset, one process per methodology."""

from __future__ import annotations

import json
from pathlib import Path

from perseus.calculator import calculate
from tests.calc_helpers import decode

CASE = Path(__file__).parent / "conformance" / "005-blended"


def steps_of(container, found=None):
    found = [] if found is None else found
    for item in container:
        if isinstance(item, str):
            found.append(decode(item))
        elif isinstance(item, list) and not (item and item[0] == 0):
            steps_of(item, found)
    return found


def test_provenance_names_inputs_datasets_and_methodologies(monkeypatch):
    monkeypatch.chdir(CASE)
    report = calculate(
        ["inputs/electricity.json", "inputs/gas.json"],
        intensity="inputs/intensity.json",
        calorific_value=39.8,
        taken_at="2025-12-01T00:00:00Z",
    )
    record = report["provenance"]
    assert record["ib1:provenance"] == "https://registry.core.trust.ib1.org/trust-framework"
    steps = steps_of(record["steps"])
    by_id = {s["id"]: s for s in steps}
    assert record["origins"] == [s["id"] for s in steps if s["type"] == "origin"]
    processes = [s for s in steps if s["type"] == "process"]
    assert [p["perseus:methodology"] for p in processes] == [s["methodology"] for s in report["sources"]]
    for process, source in zip(processes, report["sources"], strict=True):
        assert process["process"] == source["methodologyUri"]
        inputs = [by_id[i] for i in process["inputs"]]
        assert all(i["type"] == "origin" for i in inputs)
        files = {i["perseus:file"]["name"] for i in inputs if i.get("sourceType", "").endswith("/Meter")}
        assert files == {f"{source['type']}.json"}
        assert {i.get("origin") for i in inputs if "origin" in i} == {d["url"] for d in source["datasets"]}
    # The data provider's signed record travels nested as received, and its origins are listed.
    received = json.loads((CASE / "inputs/gas.json").read_text())["provenance"]
    assert received["steps"] in record["steps"]
    assert set(received["origins"]) <= set(record["origins"])
    # Unsigned for now: no signature block of the calculator's own at the top level.
    assert isinstance(record["steps"][-1], str)
    assert not [item for item in record["steps"] if isinstance(item, list) and item and item[0] == 0]
