"""The digest that binds a report's figures and sources to the CAP's signed process step."""

from __future__ import annotations

import hashlib
import json


def canonical(value) -> bytes:
    # Sorted keys, no whitespace, UTF-8: the same JSON text for the same values (the report's
    # numbers are plain decimals, which json writes identically on every platform).
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def report_digest(report: dict, energy_type: str) -> dict:
    """SHA-256 over the report's entries of one energy type (in order) and its source for that type."""
    entries = [e for e in report.get("data", []) if isinstance(e, dict) and e.get("type") == energy_type]
    sources = [s for s in report.get("sources", []) if isinstance(s, dict) and s.get("type") == energy_type]
    body = {"data": entries, "sources": sources}
    return {"sha256": hashlib.sha256(canonical(body)).hexdigest(), "entries": len(entries)}
