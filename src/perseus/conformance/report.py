"""The run's report: JSON for machines, Markdown for people, a summary for the terminal, the exit status."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from perseus.conformance.catalogue import LEVELS
from perseus.conformance.exits import CONFORMS, EXIT_STATUSES, INCOMPLETE, MUST_FAILED
from perseus.conformance.verdicts import FAIL, NOT_RUN, OUTCOMES

if TYPE_CHECKING:
    from perseus.conformance.runner import Result

LABEL = {"pass": "PASS", "fail": "FAIL", "not-applicable": "N/A", "not-run": "NOT RUN"}


def exit_status(result: Result) -> int:
    musts = [v for v in result.verdicts if v.case.must]
    if any(v.outcome == FAIL for v in musts):
        return MUST_FAILED
    if any(v.outcome == NOT_RUN for v in musts):
        return INCOMPLETE
    return CONFORMS


def counts(result: Result) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = {level: Counter() for level in LEVELS}
    for verdict in result.verdicts:
        table[verdict.case.level][verdict.outcome] += 1
    return {level: {o: table[level][o] for o in OUTCOMES} for level in LEVELS}


def as_json(result: Result) -> dict:
    run = result.run
    status = exit_status(result)
    return {
        "suite": "perseus conformance",
        "role": run.role,
        "url": run.session.base_url,
        "release": run.documents.release.ref,
        "heartbeatRelease": run.documents.heartbeat.ref,
        "started": result.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds": round(result.seconds, 3),
        "requests": len(run.session.exchanges),
        "limits": {
            "maxRequests": run.session.max_requests,
            "timeoutSeconds": round(run.session.deadline - run.session.started, 3),
        },
        "options": {
            "until": run.options.until.isoformat(),
            "credentials": run.session.credentials.describe("full"),
            "foreignSource": run.options.foreign_source,
            "trustAnchor": run.options.trust_anchor is not None,
            "consumption": [str(p) for p in run.options.consumption],
        },
        "summary": counts(result),
        "exitStatus": status,
        "conforms": status == CONFORMS,
        "cases": [
            {
                "id": v.case.id,
                "title": v.case.title,
                "level": v.case.level,
                "requirement": v.case.requirement,
                "source": v.case.source,
                "method": v.case.method,
                "verdict": v.outcome,
                "detail": v.detail,
                "evidence": [{"request": e.request, "answer": e.answer, "excerpt": e.excerpt} for e in v.evidence],
            }
            for v in result.verdicts
        ],
        "exchanges": [
            {
                "number": e.number,
                "purpose": e.purpose,
                "request": e.request_line(),
                "answer": e.answer_line(),
                "milliseconds": round(e.seconds * 1000, 1),
            }
            for e in run.session.exchanges
        ],
    }


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def as_markdown(result: Result) -> str:
    data = as_json(result)
    lines = [
        f"# Conformance of {data['url']} to {data['release']}",
        "",
        f"Role: {data['role'].upper()}; heartbeat release {data['heartbeatRelease']}; started {data['started']}; "
        f"{data['requests']} requests in {data['seconds']:.1f} s; credentials: {data['options']['credentials']}; "
        f"periods end {data['options']['until']}.",
        "",
        f"**Exit status {data['exitStatus']}**: {EXIT_STATUSES[data['exitStatus']]}.",
        "",
        "| level | " + " | ".join(LABEL[o] for o in OUTCOMES) + " |",
        "|---|" + "---|" * len(OUTCOMES),
    ]
    for level, row in data["summary"].items():
        lines.append(f"| {level} | " + " | ".join(str(row[o]) for o in OUTCOMES) + " |")
    lines += ["", "| case | level | verdict | title |", "|---|---|---|---|"]
    lines += [
        f"| [{c['id']}](#{c['id'].lower()}) | {c['level']} | {LABEL[c['verdict']]} | {_md(c['title'])} |"
        for c in data["cases"]
    ]
    for c in data["cases"]:
        lines += [
            "",
            f"## {c['id']}",
            "",
            f"**{_md(c['title'])}** ({c['level']}): **{LABEL[c['verdict']]}**, {_md(c['detail'])}.",
            "",
            f"- Requirement: {c['requirement']}",
            f"- Source: {c['source']}",
            f"- Checked: {c['method']}",
        ]
        if c["evidence"]:
            lines += ["", "| request | answer | what decided |", "|---|---|---|"]
            lines += [f"| `{_md(e['request'])}` | {_md(e['answer'])} | {_md(e['excerpt'])} |" for e in c["evidence"]]
    return "\n".join(lines) + "\n"


def summary_lines(result: Result) -> list[str]:
    lines = [f"{LABEL[v.outcome]:<8} {v.case.id} {v.case.level:<6} {v.case.title}: {v.detail}" for v in result.verdicts]
    for verdict in result.verdicts:
        if verdict.outcome == FAIL:
            for evidence in verdict.evidence[:1]:
                lines.append(f"  {verdict.case.id}: {evidence.request} -> {evidence.answer}: {evidence.excerpt}")
    table = counts(result)
    lines.append(
        "; ".join(
            f"{level}: " + ", ".join(f"{n} {LABEL[o].lower()}" for o, n in row.items() if n)
            for level, row in table.items()
        )
    )
    lines.append(f"{len(result.run.session.exchanges)} requests in {result.seconds:.1f} s")
    status = exit_status(result)
    lines.append(f"exit status {status}: {EXIT_STATUSES[status]}")
    return lines
