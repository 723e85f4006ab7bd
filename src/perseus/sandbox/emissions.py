"""GET /emissions: the reference calculator (perseus.calculator) run on the synthetic meters.

The report covers whole calendar months: [from, to) is widened to the months it touches,
because the emissions-data API answers one entry per month. The consumption and the
synthetic grid intensity of those months are written as the files the calculator reads.
"""

from __future__ import annotations

import json
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

from perseus.sandbox.catalogue import SEED, SOURCES, meter_data_json
from perseus.sandbox.problems import SandboxProblem

_cache: dict[tuple, dict] = {}
_lock = threading.Lock()
KEPT_REPORTS = 64


def month_floor(instant: datetime) -> datetime:
    return datetime(instant.year, instant.month, 1, tzinfo=timezone.utc)


def month_ceiling(instant: datetime) -> datetime:
    floor = month_floor(instant)
    if floor == instant:
        return floor
    return datetime(floor.year + floor.month // 12, floor.month % 12 + 1, 1, tzinfo=timezone.utc)


def emissions_report(source_ids: list[str], start: datetime, end: datetime) -> dict:
    """The EmissionsReport (emissions-data@2025-10-27 payload) of the sources over whole months."""
    try:
        from perseus.calculator import CalculationError, calculate
    except ImportError:  # until the calculator is part of this build; no figures are made up meanwhile
        raise SandboxProblem("unavailable", "The reference calculator is not part of this build.", retry_after=3600) from None

    first, last = month_floor(start), month_ceiling(end)
    key = (tuple(sorted(source_ids)), first, last)
    with _lock:
        if key in _cache:
            return _cache[key]
    from perseus.synth import half_hour_starts, synthesise_intensity
    from perseus.synth.payloads import neso_regional_response

    sources = [SOURCES[s] for s in source_ids]
    taken_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with tempfile.TemporaryDirectory(prefix="perseus-sandbox-") as folder:
        files = []
        for source in sources:
            path = Path(folder) / f"{source.id}.json"
            path.write_bytes(meter_data_json(source, first, last))
            files.append(path)
        intensity = None
        electricity = [s for s in sources if s.type == "electricity"]
        if electricity:
            meter = electricity[0]  # one premises, one outcode
            series = synthesise_intensity(half_hour_starts(first, last), SEED, meter.region_id)
            intensity = Path(folder) / "intensity.json"
            intensity.write_text(json.dumps(neso_regional_response(series, outcode=meter.outcode, seed=SEED)))
        try:
            report = calculate(files, intensity=intensity, start=_iso(first), end=_iso(last), taken_at=taken_at)
        except CalculationError as exc:  # the sandbox's own inputs broke a rule: a server fault
            raise RuntimeError(f"the calculator refused the sandbox's synthetic inputs: {exc}") from exc
    with _lock:
        if len(_cache) >= KEPT_REPORTS:
            _cache.pop(next(iter(_cache)))
        _cache[key] = report
    return report


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
