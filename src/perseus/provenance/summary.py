"""A readable account of a verified record: signers, steps and the report's sources."""

from __future__ import annotations

from perseus.provenance.vocabulary import METER, energy_type_of, is_a, short, shown_roles


def _detail(step: dict) -> str:
    kind = step["type"]
    if kind == "origin" and is_a(step.get("sourceType"), "source-type", {METER}):
        scheme = step.get("perseus:scheme") or {}
        period = scheme.get("meteringPeriod") or {}
        assurance = step.get("perseus:assurance") or {}
        label = "SYNTHETIC consumption" if "perseus:synthetic" in step else "consumption"
        parts = [
            f"{label} {step.get('perseus:energyType', '')}".rstrip(),
            f"{period.get('from', '?')} to {period.get('to', '?')}",
        ]
        if scheme.get("postcode"):
            parts.append(f"outcode {scheme['postcode']}")
        parts += [f"{k} {short(v)}" for k, v in assurance.items()]
        return ", ".join(parts)
    licence = step.get("originLicense") or step.get("originLicence")
    if kind == "origin" and (dataset := step.get("perseus:dataset")):
        return (
            f"{dataset.get('role', 'dataset')}: {dataset.get('title', '?')} ({dataset.get('version', '?')}), "
            f"{dataset.get('publisher', '?')}, licence {licence}, {step.get('origin')}"
        )
    if kind == "origin":
        return f"{short(step.get('sourceType'))}: {step.get('origin', '?')}, licence {licence}"
    if kind == "process":
        bound = (step.get("perseus:report") or {}).get("entries")
        return (
            f"{step.get('perseus:methodology') or step.get('process')} for {energy_type_of(step) or '?'}, "
            f"{len(step.get('inputs', []))} inputs, "
            + (f"{bound} entries bound" if bound is not None else "no figures bound")
        )
    if kind == "transfer":
        return f"of {step.get('of')} to {step.get('to')}"
    if kind == "receipt":
        return f"of transfer {step.get('transfer')} from {step.get('from', '?')}"
    return ""


def summary(result, report: dict) -> str:
    lines = ["", f"Environment: {result.environment.name} ({result.environment.trust_framework})", "", "Signers:"]
    seen: dict[str, dict] = {}
    for step in result.steps:
        signer = step["_signature"]["signed"]
        seen.setdefault(signer["member"], signer)
    for signer in seen.values():
        lines.append(
            f"  {signer['name']} ({shown_roles(signer['roles'], result.environment)}), member {signer['member']}"
        )
    lines += ["", "Steps:"]
    for step in result.steps:
        signer = step["_signature"]["signed"]["name"]
        nested = " (nested)" if step["_signature"]["includedBy"] else ""
        lines.append(f"  {step['type']:<10} {step['id']}  {step['timestamp']}  signed by {signer}{nested}")
        if detail := _detail(step):
            lines.append(f"             {detail}")
    lines += ["", "Sources:"] + ([] if report.get("sources") else ["  none in the report"])
    for source in report.get("sources") or []:
        lines.append(f"  {source.get('type')}: {source.get('methodology')} ({source.get('methodologyUri')})")
        for dataset in source.get("datasets") or []:
            lines.append(
                f"    {dataset.get('role')}: {dataset.get('title')} ({dataset.get('version')}), licence "
                f"{dataset.get('licence')}, months {', '.join(dataset.get('months') or [])}"
            )
    if result.notes:
        lines += ["", "Notes:"] + [f"  {note}" for note in result.notes]
    return "\n".join(lines)
