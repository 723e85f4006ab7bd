"""Governance pages: the status of every artefact and every decision record."""

from __future__ import annotations

from perseus.governance import all_statuses, load_decisions
from perseus.site.markdown import cell, table


def _decision_page(decision: dict) -> str:
    out = [
        f"# {decision['motion']}\n",
        table(["", ""], [
            ["meeting", decision["meeting"]], ["date", decision["date"]], ["group", decision["group"]],
            ["chair", decision.get("chair") or "not recorded"], ["outcome", decision["outcome"]],
            ["tally", _tally(decision.get("tally"))],
        ]),
    ]
    if decision.get("note"):
        out.append(f"{cell(decision['note'])}\n")
    out.append("## Artefacts decided on\n\nEach approved file is pinned by its SHA-256; the tests fail if it changes.\n")
    rows = []
    for artefact in decision["artefacts"]:
        files = artefact.get("files") or []
        if not files:
            rows.append([artefact["artefact"], artefact["kind"], "–", artefact.get("note", "")])
        for pinned in files:
            rows.append([artefact["artefact"], artefact["kind"], f"`{pinned['path']}`", f"`{pinned['sha256']}`"])
    out.append(table(["artefact", "kind", "file", "SHA-256"], rows))
    return "\n".join(out)


def _tally(tally) -> str:
    if not tally:
        return "not recorded"
    return ", ".join(f"{k}: {v}" for k, v in tally.items())


def pages() -> dict[str, str]:
    decisions = load_decisions()
    statuses = sorted(all_statuses().values(), key=lambda a: (a.kind, a.ref))
    index = (
        "# Governance\n\nThe status of every published artefact, and the decisions that set them. "
        "An approved version never changes: a change is a new version.\n\n## Statuses\n\n"
        + table(["artefact", "kind", "status", "recorded in"], [[a.ref, a.kind, a.status, a.source] for a in statuses])
        + "\n## Decisions\n\n"
        + table(["date", "decision", "outcome"],
                [[d["date"], f"[{d['motion']}](decisions/{d['id']}.md)", d["outcome"]] for d in decisions])
    )
    return {"governance/index.md": index} | {f"governance/decisions/{d['id']}.md": _decision_page(d) for d in decisions}
