"""A readable account of a verified record: signers, steps and the report's sources."""

from __future__ import annotations

from perseus.provenance.vocabulary import METER


def _detail(step: dict) -> str:
    kind = step["type"]
    if kind == "origin" and step.get("sourceType") == METER:
        scheme = step.get("perseus:scheme") or {}
        period = scheme.get("meteringPeriod") or {}
        assurance = step.get("perseus:assurance") or {}
        label = "SYNTHETIC consumption" if "perseus:synthetic" in step else "consumption"
        parts = [f"{label} {step.get('perseus:energyType', '')}".rstrip(),
                 f"{period.get('from', '?')} to {period.get('to', '?')}"]
        if scheme.get("postcode"):
            parts.append(f"outcode {scheme['postcode']}")
        parts += [f"{k} {v}" for k, v in assurance.items()]
        return ", ".join(parts)
    if kind == "origin":
        dataset = step.get("perseus:dataset") or {}
        return (f"{dataset.get('role', 'dataset')}: {dataset.get('title', '?')} ({dataset.get('version', '?')}), "
                f"{dataset.get('publisher', '?')}, licence {step.get('originLicense')}, {step.get('origin')}")
    if kind == "process":
        return (f"{step.get('perseus:methodology') or step.get('process')} for {step.get('perseus:energyType', '?')}, "
                f"{len(step.get('inputs', []))} inputs, {(step.get('perseus:report') or {}).get('entries', '?')} entries bound")
    if kind == "transfer":
        return f"of {step.get('of')} to {step.get('to')}"
    if kind == "receipt":
        return f"of transfer {step.get('transfer')} from {step.get('from', '?')}"
    return ""


def summary(result, report: dict) -> str:
    lines = ["", "Signers:"]
    seen = {}
    for step in result.steps:
        signer = step["_signature"]["signed"]
        seen.setdefault(signer["member"], signer)
    for signer in seen.values():
        lines.append(f"  {signer['name']} ({', '.join(signer['roles'])}), member {signer['member']}")
    lines += ["", "Steps:"]
    for step in result.steps:
        signer = step["_signature"]["signed"]["name"]
        nested = " (nested)" if step["_signature"]["includedBy"] else ""
        lines.append(f"  {step['type']:<10} {step['id']}  {step['timestamp']}  signed by {signer}{nested}")
        if detail := _detail(step):
            lines.append(f"             {detail}")
    lines += ["", "Sources:"]
    for source in report.get("sources") or []:
        lines.append(f"  {source.get('type')}: {source.get('methodology')} ({source.get('methodologyUri')})")
        for dataset in source.get("datasets") or []:
            lines.append(f"    {dataset.get('role')}: {dataset.get('title')} ({dataset.get('version')}), licence "
                         f"{dataset.get('licence')}, months {', '.join(dataset.get('months') or [])}")
    if result.notes:
        lines += ["", "Notes:"] + [f"  {note}" for note in result.notes]
    return "\n".join(lines)
