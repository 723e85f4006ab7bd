"""GET /emissions: the reference calculator (perseus.calculator) run on the synthetic meters.

The report covers whole calendar months: [from, to) is widened to the months it touches,
because the emissions-data API answers one entry per month, and narrowed to the months
that have readings (from the meters' commissioning to the last reading collected): no
month in the future is reported. Each (data source, month) is calculated once and kept;
a request computes only the months it lacks, in one calculator run per source. At most
`limit` calculations run at once; a request that would need another is answered 202
DataNotReady with Retry-After, as a real CAP answers while it prepares a report.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from perseus.calculator.instants import z
from perseus.sandbox.catalogue import CATALOGUE, SEED, SOURCES, meter_data_json, month_start, next_month
from perseus.sandbox.config import DATA_START
from perseus.sandbox.signing import Signers, emissions_record, meter_data_record

KEPT = 20_000  # (source, month) figures kept; each is a few hundred bytes
FIRST_COLLECTION = timedelta(hours=25)  # a month's first half-hour is collected at 01:00 the next day


class NotReady(Exception):
    """Answered as 202 DataNotReady with Retry-After."""

    def __init__(self, reason: str, retry_after: int):
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


def report_months(start: datetime, end: datetime, now: datetime) -> list[datetime]:
    """The months [start, end) touches that hold at least one collected reading."""
    month, months = max(month_start(start), DATA_START), []
    while month < end and month + FIRST_COLLECTION <= now:
        months.append(month)
        month = next_month(month)
    return months


class Calculations:
    def __init__(self, limit: int, retry_after: int, signers: Signers):
        self.retry_after, self.signers = retry_after, signers
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)
        self._figures: OrderedDict[tuple, tuple[dict, dict]] = OrderedDict()  # key -> (entry, source without months)
        self._lock = threading.Lock()

    @staticmethod
    def key(source_id: str, month: datetime, now: datetime) -> tuple:
        # A month still being collected is figured again once more of it is collected (each day at 01:00).
        end = next_month(month)
        collected_to = min(end, datetime.combine((now - timedelta(hours=1)).date(), datetime.min.time(), UTC))
        return source_id, month, collected_to

    def report(self, source_ids: list[str], start: datetime, end: datetime, now: datetime, recipient: str) -> dict:
        """The EmissionsReport (emissions-data@2025-10-27 payload) of the sources over whole months, with
        the sandbox CAP's signed record: the sandbox EDP's records of the consumption nested, the
        calculation transferred to `recipient`."""
        months = report_months(start, end, now)
        keys = {(s, m): self.key(s, m, now) for s in source_ids for m in months}
        with self._lock:
            missing = [pair for pair, key in keys.items() if key not in self._figures]
        if missing:
            if not self._slots.acquire(blocking=False):
                raise NotReady(f"The report is being calculated (at most {self.limit} at once)", self.retry_after)
            try:
                for source_id in dict.fromkeys(s for s, _ in missing):
                    self._calculate(source_id, sorted(m for s, m in missing if s == source_id), now)
            finally:
                self._slots.release()
        with self._lock:
            figures = [self._figures[keys[pair]] for pair in keys if keys[pair] in self._figures]
        report = assemble(figures)
        if not months:  # nothing collected in the period: a signed record of no steps
            return {**report, "provenance": self.signers_empty_record()}
        first, last = months[0], next_month(months[-1])
        inbound = []
        for source_id in source_ids:
            source = SOURCES[source_id]
            readings = CATALOGUE.readings(source, first, last, now)
            inbound.append(
                {
                    "data": readings.ends()[:1],
                    "provenance": meter_data_record(
                        self.signers, source, readings, first, last, now, self.signers.cap.application
                    ),
                }
            )
        return emissions_record(self.signers, report, inbound, SOURCES[source_ids[0]].outcode, recipient)

    def signers_empty_record(self) -> dict:
        from ib1.provenance import Record

        from perseus.provenance.signer import member_signer
        from perseus.provenance.vocabulary import SANDBOX

        signer, _ = member_signer(self.signers.cap.key, [self.signers.cap.certificate])
        return Record(SANDBOX.trust_framework).sign(signer).encoded()

    def _calculate(self, source_id: str, months: list[datetime], now: datetime) -> None:
        from perseus.calculator import CalculationError, calculate
        from perseus.synth import half_hour_starts, synthesise_intensity
        from perseus.synth.payloads import neso_regional_response

        source = SOURCES[source_id]
        first, last = months[0], next_month(months[-1])
        with tempfile.TemporaryDirectory(prefix="perseus-sandbox-") as folder:
            consumption = Path(folder) / f"{source.id}.json"
            readings = CATALOGUE.readings(source, first, last, now)
            record = meter_data_record(self.signers, source, readings, first, last, now, self.signers.cap.application)
            consumption.write_bytes(meter_data_json(source, readings, record))
            intensity = None
            if source.type == "electricity":
                series = synthesise_intensity(half_hour_starts(first, last), SEED, source.region_id)
                intensity = Path(folder) / "intensity.json"
                intensity.write_text(json.dumps(neso_regional_response(series, outcode=source.outcode, seed=SEED)))
            try:
                report = calculate(
                    [consumption],
                    intensity=intensity,
                    start=z(first),
                    end=z(last),
                    taken_at=z(now.replace(microsecond=0)),
                )
            except CalculationError as exc:  # the sandbox's own inputs broke a rule: a server fault
                raise RuntimeError(f"the calculator refused the sandbox's synthetic inputs: {exc}") from exc
        (described,) = report["sources"]
        general = {k: v for k, v in described.items() if k != "datasets"}
        wanted = {z(m) for m in months}
        with self._lock:
            for entry in report["data"]:
                if entry["from"] not in wanted:
                    continue
                month = datetime.fromisoformat(entry["from"].replace("Z", "+00:00"))
                label = entry["from"][:7]
                datasets = [
                    {k: v for k, v in d.items() if k != "months"}
                    for d in described.get("datasets", [])
                    if label in d.get("months", [])
                ]
                self._figures[self.key(source_id, month, now)] = (entry, {**general, "datasets": datasets})
            while len(self._figures) > KEPT:
                self._figures.popitem(last=False)


def assemble(figures: list[tuple[dict, dict]]) -> dict:
    """One report from (entry, source) figures: entries by type and month, each type's datasets with their months."""
    data = sorted((entry for entry, _ in figures), key=lambda e: (e["type"], e["from"]))
    sources: dict[str, dict] = {}
    for entry, described in figures:
        kept = sources.setdefault(
            described["type"], {**{k: v for k, v in described.items() if k != "datasets"}, "datasets": {}}
        )
        for dataset in described["datasets"]:
            identity = json.dumps(dataset, sort_keys=True)
            kept["datasets"].setdefault(identity, {**dataset, "months": []})["months"].append(entry["from"][:7])
    ordered = []
    for energy_type in sorted(sources):
        described = sources[energy_type]
        datasets = sorted(described.pop("datasets").values(), key=lambda d: min(d["months"]))
        for dataset in datasets:
            dataset["months"] = sorted(set(dataset["months"]))
        ordered.append({**described, "datasets": datasets} if datasets else described)
    return {"data": data, "sources": ordered}
