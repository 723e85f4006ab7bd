"""Governance pages: the process, the one register of status, every decision with its tally,
pins and frozen review packs, the errata, the member register and the changelog; each
artefact linked to its page and shown with its status now."""

from __future__ import annotations

from perseus.governance.changelog import changelog
from perseus.governance.manifest import effective_pins
from perseus.paths import GOVERNANCE, ROOT
from perseus.site import artefacts
from perseus.site.markdown import cell, key_values, table
from perseus.site.status import badge, decisions, records, register

DATES = ("proposed", "approved", "deployed", "superseded", "withdrawn")
INDEX = "governance/index.md"
ERRATA = artefacts.ERRATA


def _decision(decision_id: str | None, from_page: str) -> str:
    page = f"governance/decisions/{decision_id}.md"
    return f"[{decision_id}]({artefacts.link(from_page, page)})" if decision_id else "–"


def _artefact(ref: str, from_page: str) -> str:
    page = artefacts.page_of(ref)
    return f"[{ref}]({artefacts.link(from_page, page)})" if page else f"`{ref}`"


def _status_now(ref: str) -> str:
    return badge(register()[ref].status) if ref in register() else "–"


def _tally(decision: dict) -> str:
    tally = decision.get("tally")
    if not tally:
        return {
            "transcribed": "not recorded (transcribed from a public account that gives none)",
            "registry-publication": "none: a registry publication, not a vote here",
        }.get(decision["basis"], "not recorded")
    return f"{tally['in_favour']} for, {tally['against']} against, {tally['abstentions']} abstaining"


def _decision_page(decision: dict) -> str:
    page = f"governance/decisions/{decision['id']}.md"
    errata = records().errata_for(decision["id"])
    in_force = effective_pins(decision, errata)
    facts = [
        ("Meeting", decision["meeting"]),
        ("Date", decision["date"]),
        ("Group", decision["group"]),
        ("Basis", decision["basis"]),
        ("Chair", decision.get("chair") or "not recorded"),
        ("Outcome", decision["outcome"]),
        ("Tally", _tally(decision)),
    ]
    if decision.get("votes"):
        facts.append(("Votes", ", ".join(f"{v['member']}: {v['vote']}" for v in decision["votes"])))
    if decision.get("minutes"):
        facts.append(("Minutes", decision["minutes"]))
    facts += [("Source", source) for source in decision.get("sources") or []]
    out = [
        f"---\ntitle: {decision['motion']} ({decision['date']})\n---\n",
        f"# {decision['motion']}\n",
        key_values(facts),
    ]
    if decision.get("note"):
        out.append(f"{cell(decision['note'])}\n")
    out.append(
        "## Artefacts and pins\n\nEvery file the decision covered, pinned by its SHA-256. `perseus governance check` "
        "fails if one changes; a pin changes only by an erratum, shown below. Each artefact links to its page, "
        "which shows its status now.\n"
    )
    rows = []
    for artefact in decision["artefacts"]:
        ref = artefact["artefact"]
        for pinned in artefact["files"]:
            now = in_force[(ref, pinned["path"])]
            rows.append(
                [
                    f"{_artefact(ref, page)} {_status_now(ref)} ({artefact['effect']})",
                    f"`{pinned['path']}`",
                    f"`{pinned['sha256'][:16]}…`",
                    "same" if now == pinned["sha256"] else f"`{now[:16]}…` (erratum)",
                    pinned.get("pinned_on") or artefact["pinned_on"],
                ]
            )
    out.append(table(["artefact, status now (effect)", "file", "SHA-256 pinned", "in force", "pinned on"], rows))
    packs = [p for p in decision.get("review_packs") or [] if p["path"].endswith(".md")]
    if packs:
        out.append(
            "## Review packs shown\n\n"
            + "\n".join(
                f"- [{p['path'].rsplit('/', 1)[1].removesuffix('.md').replace('..', ' → ')}]"
                f"(../packs/{decision['id']}/{p['path'].rsplit('/', 1)[1]}) `{p['sha256'][:16]}…`"
                for p in packs
            )
            + "\n"
        )
    if errata:
        out.append(
            "## Errata\n\n"
            + "\n".join(f"- [{e['id']}]({artefacts.link(page, ERRATA)}#{e['id']}): {cell(e['reason'])}" for e in errata)
            + "\n"
        )
    return "\n".join(out)


def _errata_page() -> str:
    out = [
        "---\ntitle: Errata\n---\n",
        "# Errata\n",
        "The only way a pinned hash changes, or an approval recorded in error is taken back, "
        "without a new vote: each erratum says what changed, why, and who decided.\n",
    ]
    for erratum in sorted(records().errata.values(), key=lambda e: (e["date"], e["id"])):
        out.append(f"## {erratum['id']}\n")
        out.append(
            key_values(
                [
                    ("Date", erratum["date"]),
                    ("Decision", _decision(erratum["decision"], ERRATA)),
                    ("Decided by", erratum["decided_by"]),
                    ("Reason", erratum["reason"]),
                ]
            )
        )
        if erratum.get("pins"):
            out.append(
                table(
                    ["artefact", "file", "old SHA-256", "new SHA-256"],
                    [
                        [
                            _artefact(c["artefact"], ERRATA),
                            f"`{c['path']}`",
                            f"`{c['old_sha256']}`",
                            f"`{c['new_sha256']}`",
                        ]
                        for c in erratum["pins"]
                    ],
                )
            )
        if erratum.get("withdraws"):
            out.append("Withdraws: " + ", ".join(_artefact(r, ERRATA) for r in erratum["withdraws"]) + ".\n")
    return "\n".join(out)


def _index() -> str:
    held = records()
    register_rows = []
    for entry in sorted(held.register, key=lambda e: (e["kind"], e["artefact"])):
        later = []
        if entry.get("deprecated"):
            later.append(f"deprecated {entry['deprecated']}, sunset {entry.get('sunset')}")
        if entry.get("superseded_by"):
            later.append(f"by {_artefact(entry['superseded_by'], INDEX)}")
        if entry.get("withdrawn_by"):
            later.append(f"by [{entry['withdrawn_by']}]({artefacts.link(INDEX, ERRATA)}#{entry['withdrawn_by']})")
        register_rows.append(
            [
                _artefact(entry["artefact"], INDEX),
                entry["kind"],
                badge(entry["status"]),
                *[entry.get(d) or "–" for d in DATES],
                _decision(entry.get("decision"), INDEX),
                "; ".join(later) or "–",
            ]
        )
    decision_rows = [
        [d["date"], _decision(d["id"], INDEX), d["basis"], d["outcome"], _tally(d), cell(d["motion"])]
        for d in decisions().values()
    ]
    groups = [
        [g["id"], g["name"], f"{g['quorum']:.0%} of voting members", g["records_from"]] for g in held.groups.values()
    ]
    members = [
        [m["id"], m["name"], m["organisation"], m["group"], m["role"], m["joined"], m.get("left") or "–"]
        for m in held.members
    ]
    return "\n".join(
        [
            "---\ntitle: Governance\n---\n",
            "# Governance\n",
            "What the advisory group decided, and the one status of every artefact. The steps are written down in "
            "[the process](process.md); `perseus governance check` holds every record to its rules and `make test` runs it. "
            "An approved version never changes: a change is a new version, or an [erratum](errata.md). "
            "Every change, newest first, is in the [changelog](changelog.md).\n",
            "## The register\n",
            table(["artefact", "kind", "status", *DATES, "decision", "later"], register_rows),
            "## Decisions\n",
            table(["date", "decision", "basis", "outcome", "tally", "motion"], decision_rows),
            "## Groups and members\n",
            table(["group", "name", "quorum", "register begins"], groups),
            table(["member", "name", "organisation", "group", "role", "joined", "left"], members)
            if members
            else "No members are recorded yet: the member register begins on the date above, and the earlier "
            "decisions are transcribed without a tally.\n",
        ]
    )


def pages() -> dict[str, str]:
    out = {
        INDEX: _index(),
        "governance/process.md": (GOVERNANCE / "PROCESS.md").read_text(),
        ERRATA: _errata_page(),
        "governance/changelog.md": changelog(),
    }
    for decision in decisions().values():
        out[f"governance/decisions/{decision['id']}.md"] = _decision_page(decision)
        for pinned in decision.get("review_packs") or []:
            if pinned["path"].endswith(".md"):
                out[f"governance/packs/{decision['id']}/{pinned['path'].rsplit('/', 1)[1]}"] = (
                    ROOT / pinned["path"]
                ).read_text()
    return out
