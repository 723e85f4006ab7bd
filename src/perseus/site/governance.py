"""Governance pages: the status of every artefact and every decision record, linked to the artefacts."""

from __future__ import annotations

from perseus.site import artefacts
from perseus.site.markdown import cell, key_values, table
from perseus.site.status import badge, decisions, register


def _artefact(ref: str, from_page: str) -> str:
    page = artefacts.page_of(ref)
    return f"[{ref}]({artefacts.link(from_page, page)})" if page else ref


def _decision_page(decision: dict) -> str:
    page = f"governance/decisions/{decision['id']}.md"
    out = [
        f"---\ntitle: {decision['motion']} ({decision['date']})\n---\n",
        f"# {decision['motion']}\n",
        key_values([
            ("Meeting", decision["meeting"]), ("Date", decision["date"]), ("Group", decision["group"]),
            ("Chair", decision.get("chair") or "not recorded"), ("Outcome", decision["outcome"]),
            ("Tally", _tally(decision.get("tally"))), ("Minutes", decision.get("minutes") or "not recorded"),
        ]),
    ]
    if decision.get("note"):
        out.append(f"{cell(decision['note'])}\n")
    out.append("## Artefacts decided on\n\nEach approved file is pinned by its SHA-256; the tests fail if it changes. "
               "Each artefact links to its page, which shows its status now.\n")
    rows = []
    for artefact in decision["artefacts"]:
        ref = artefact["artefact"]
        status = badge(register()[ref].status) if ref in register() else "–"
        files = artefact.get("files") or []
        if not files:
            rows.append([_artefact(ref, page), artefact["kind"], status, "–", artefact.get("note", "")])
        for pinned in files:
            rows.append([_artefact(ref, page), artefact["kind"], status, f"`{pinned['path']}`", f"`{pinned['sha256']}`"])
    out.append(table(["artefact", "kind", "status now", "file", "SHA-256"], rows))
    return "\n".join(out)


def _tally(tally) -> str:
    if not tally:
        return "not recorded"
    return ", ".join(f"{k}: {v}" for k, v in tally.items())


def pages() -> dict[str, str]:
    page = "governance/index.md"
    standings = sorted(register().values(), key=lambda a: (a.kind, a.ref))
    index = (
        "---\ntitle: Governance\n---\n\n# Governance\n\nThe status of every published artefact, and the decisions that "
        "set them. An approved version never changes: a change is a new version.\n\n## Statuses\n\n"
        + table(["artefact", "kind", "status", "decision"],
                [[_artefact(a.ref, page), a.kind, badge(a.status), artefacts.decision_links(a.ref, page)] for a in standings])
        + "\n## Decisions\n\n"
        + table(["date", "decision", "outcome"],
                [[d["date"], f"[{d['motion']}](decisions/{d['id']}.md)", d["outcome"]] for d in decisions().values()])
    )
    return {page: index} | {f"governance/decisions/{d['id']}.md": _decision_page(d) for d in decisions().values()}
