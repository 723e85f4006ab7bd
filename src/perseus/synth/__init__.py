"""Deterministic synthetic data for offline use, the demo and the sandbox.

Everything here is SYNTHETIC and labelled so in every output: half-hourly
electricity and gas consumption for SME archetypes, and a regional grid carbon
intensity series. The same request with the same seed gives the same bytes.

    from perseus.synth import SynthRequest, build_files
    files = build_files(SynthRequest(archetype="cafe", output=Path("out"), intensity_output=Path("ci.json")))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from perseus.calculator.instants import z
from perseus.synth.archetypes import ARCHETYPES, Archetype
from perseus.synth.consumption import DEFAULT_CALORIFIC_VALUE, MeterSeries, synthesise_consumption
from perseus.synth.intensity import REGIONS, IntensitySeries, synthesise_intensity
from perseus.synth.timegrid import SynthError, half_hour_starts
from perseus.vocabulary import ENERGY_TYPES

OUTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")  # the pattern of Location.ukPostcodeOutcode
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_VALUES = 20_000_000  # half-hourly values per run: about 570 meter-years of both fuels
FORMATS = ("json", "csv", "parquet")
INTENSITY_FORMATS = {".json": "json", ".csv": "csv", ".parquet": "parquet"}

__all__ = [
    "ARCHETYPES",
    "Archetype",
    "IntensitySeries",
    "MeterSeries",
    "REGIONS",
    "SynthError",
    "SynthRequest",
    "build_files",
    "half_hour_starts",
    "synthesise_consumption",
    "synthesise_intensity",
]


@dataclass(frozen=True)
class SynthRequest:
    archetype: str = "office"
    meters: int = 1
    start: datetime = datetime(2025, 1, 1, tzinfo=UTC)
    end: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    seed: int = 0
    types: tuple[str, ...] = ENERGY_TYPES
    gas_unit: str = "MTQ"
    calorific_value: float | None = None  # MJ/m³ carried by MTQ gas data; None leaves it out
    outcode: str = "SW1A"
    region_id: int = 13
    format: str = "json"
    output: Path | None = None  # json: a directory; csv/parquet: a file
    intensity_output: Path | None = None  # .json (NESO shape), .csv or .parquet
    datasources_output: Path | None = None  # a DataSources JSON listing the synthetic meters

    def check(self) -> None:
        """Raise SynthError naming the option and the rule it breaks."""
        if self.archetype not in ARCHETYPES:
            raise SynthError(f"--archetype {self.archetype!r} is not one of {', '.join(ARCHETYPES)}")
        if self.meters < 1:
            raise SynthError(f"--meters {self.meters} must be at least 1")
        if self.seed < 0:
            raise SynthError(f"--seed {self.seed} must be zero or positive")
        if not self.types or set(self.types) - set(ENERGY_TYPES):
            raise SynthError(f"--type {', '.join(self.types)}: choose electricity, gas or both")
        if self.gas_unit not in ("MTQ", "KWH"):
            raise SynthError(f"--gas-unit {self.gas_unit!r} must be MTQ (SMETS2, m³) or KWH (SMETS1)")
        if self.calorific_value is not None:
            if not 30 <= self.calorific_value <= 50:
                raise SynthError(
                    f"--calorific-value {self.calorific_value} is outside 30-50 MJ/m³ (CalorificValue.megajoulesPerCubicMetre)"
                )
            if self.gas_unit != "MTQ" or "gas" not in self.types:
                raise SynthError("--calorific-value applies only to gas in MTQ (a volume needs it; kWh does not)")
        if not OUTCODE.match(self.outcode):
            raise SynthError(
                f"--outcode {self.outcode!r} is not a UK postcode outcode (pattern {OUTCODE.pattern}, e.g. SW1A, M1, RG10)"
            )
        if self.region_id not in REGIONS:
            raise SynthError(f"--region-id {self.region_id} is not a NESO region id (1-17)")
        if self.format not in FORMATS:
            raise SynthError(f"--format {self.format!r} must be one of {', '.join(FORMATS)}")
        if self.end <= self.start:
            raise SynthError(f"--to {z(self.end)} must be after --from {z(self.start)}")
        if self.start < EARLIEST or self.end > LATEST:
            raise SynthError(f"--from/--to must lie within [{z(EARLIEST)}, {z(LATEST)})")
        if self.output is None and self.intensity_output is None and self.datasources_output is None:
            raise SynthError("nothing to write: give --output, --intensity-output or --datasources-output")
        half_hours = int((self.end - self.start).total_seconds() // 1800)
        values = half_hours * self.meters * len(self.types)
        if self.output is not None and values > MAX_VALUES:
            raise SynthError(
                f"{values:,} half-hourly values requested; the limit per run is {MAX_VALUES:,} (fewer --meters or a shorter period)"
            )
        if self.output is not None:
            if self.format == "json" and self.output.exists() and not self.output.is_dir():
                raise SynthError(
                    f"--output {self.output}: with --format json this must be a directory (one MeterData file per meter and type)"
                )
            if self.format != "json" and self.output.is_dir():
                raise SynthError(f"--output {self.output} is a directory; with --format {self.format} give a file name")
        if self.intensity_output is not None and self.intensity_output.suffix.lower() not in INTENSITY_FORMATS:
            raise SynthError(
                f"--intensity-output {self.intensity_output}: the name must end in .json (NESO API shape), .csv or .parquet"
            )


def build_files(request: SynthRequest) -> dict[Path, bytes]:
    """Every file the request asks for, as bytes, keyed by path; nothing is written here."""
    from perseus.synth import files, payloads

    request.check()
    starts = half_hour_starts(request.start, request.end)
    out: dict[Path, bytes] = {}
    archetype = ARCHETYPES[request.archetype]
    calorific = request.calorific_value if request.calorific_value is not None else DEFAULT_CALORIFIC_VALUE
    if request.output is not None or request.datasources_output is not None:
        series = synthesise_consumption(
            archetype, starts, request.seed, request.meters, request.types, request.gas_unit, calorific
        )
        if request.output is not None:
            if request.format == "json":
                for one in series:
                    payload = payloads.meter_data(
                        one,
                        outcode=request.outcode,
                        archetype=archetype.name,
                        seed=request.seed,
                        calorific_value=request.calorific_value,
                    )
                    out[request.output / f"{one.meter}-{one.type}.json"] = files.json_bytes(payload)
            else:
                metadata = payloads.synthetic_metadata(
                    f"half-hourly consumption, archetype {archetype.name}",
                    archetype=archetype.name,
                    seed=request.seed,
                    meters=request.meters,
                    postcode=request.outcode,
                )
                out.update(
                    files.table_files(payloads.consumption_frame(series), request.output, request.format, metadata)
                )
        if request.datasources_output is not None:
            out[request.datasources_output] = files.json_bytes(payloads.data_sources(series, outcode=request.outcode))
    if request.intensity_output is not None:
        intensity = synthesise_intensity(starts, request.seed, request.region_id)
        fmt = INTENSITY_FORMATS[request.intensity_output.suffix.lower()]
        if fmt == "json":
            out[request.intensity_output] = files.json_bytes(
                payloads.neso_regional_response(intensity, outcode=request.outcode, seed=request.seed)
            )
        else:
            metadata = payloads.synthetic_metadata(
                "regional grid carbon intensity, gCO2/kWh",
                seed=request.seed,
                regionid=request.region_id,
                postcode=request.outcode,
            )
            out.update(files.table_files(payloads.intensity_frame(intensity), request.intensity_output, fmt, metadata))
    return out
