"""A report computed from synthetic intensity names it as synthetic, never as the real source it imitates."""

import json

import pytest


@pytest.mark.parametrize("suffix", ["json", "csv", "parquet"])
def test_synthetic_intensity_is_never_named_as_neso(perseus, tmp_path, suffix):
    fmt = "json" if suffix == "json" else suffix
    consumption = tmp_path / ("consumption" if fmt == "json" else f"consumption.{fmt}")
    intensity = tmp_path / f"intensity.{suffix}"
    made = perseus(
        "synth",
        "--archetype",
        "office",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-03",
        "--type",
        "electricity",
        "--format",
        fmt,
        "--output",
        consumption,
        "--intensity-output",
        intensity,
    )
    assert made.returncode == 0, made.stderr
    inputs = sorted(consumption.glob("*.json")) if fmt == "json" else [consumption]
    result = perseus("calculate", "--consumption", *inputs, "--intensity", intensity)
    assert result.returncode == 0, result.stderr
    (dataset,) = json.loads(result.stdout)["sources"][0]["datasets"]
    assert dataset["title"].startswith("SYNTHETIC") and "not real data" in dataset["title"]
    assert "carbonintensity" not in json.dumps(dataset) and "National Energy System Operator" not in json.dumps(dataset)
